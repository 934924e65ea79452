"""Big files: round trips of several sizes up to 1 GB, byte for byte, with
the server's memory staying flat while the gigabyte streams in and out."""
import hashlib
import http.client
import os

from lib import wait_until

RUN_IN = ("sqlite",)  # the HTTP and storage path is the same on both backends: once is enough
SERVER_ENV = {"RESPIRE_QUOTA_MEMBER": "4g"}

CHUNK = 1 << 20
S = {}


def pattern(i):
    """The i-th mebibyte of a test file: cheap to make, different everywhere."""
    head = hashlib.sha256(str(i).encode()).digest()
    return (head * (CHUNK // len(head)))[:CHUNK]


class Body:
    """A multipart body generated as it is read: a size-byte file, never in memory."""

    def __init__(self, size, name):
        self.boundary = "----respirebig" + os.urandom(6).hex()
        self.head = (f"--{self.boundary}\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\n{name}\r\n"
                     f"--{self.boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}.mp4\"\r\n"
                     f"Content-Type: video/mp4\r\n\r\n").encode()
        self.tail = f"\r\n--{self.boundary}--\r\n".encode()
        self.size = size
        self.sha = hashlib.sha256()
        self.length = len(self.head) + size + len(self.tail)

    def chunks(self):
        yield self.head
        # an MP4 header first, so that the file is taken for a film
        ftyp = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2"
        sent, i = 0, 0
        while sent < self.size:
            block = pattern(i)
            if i == 0:
                block = ftyp + block[len(ftyp):]
            block = block[:self.size - sent]
            self.sha.update(block)
            sent += len(block)
            i += 1
            yield block
        yield self.tail


def rss_kb(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def send(srv, body):
    conn = http.client.HTTPConnection(srv.host, srv.port, timeout=600)
    conn.putrequest("POST", "/api/v1/documents")
    conn.putheader("Authorization", "Bearer " + S["t"])
    conn.putheader("Content-Type", f"multipart/form-data; boundary={body.boundary}")
    conn.putheader("Content-Length", str(body.length))
    conn.endheaders()
    for c in body.chunks():
        conn.send(c)
    r = conn.getresponse()
    data = r.read()
    conn.close()
    return r.status, data


def fetch_sha(srv, doc, headers=None):
    conn = http.client.HTTPConnection(srv.host, srv.port, timeout=600)
    conn.request("GET", f"/api/v1/documents/{doc}/file", headers={"Authorization": "Bearer " + S["t"], **(headers or {})})
    r = conn.getresponse()
    h, n = hashlib.sha256(), 0
    while True:
        b = r.read(CHUNK)
        if not b:
            break
        h.update(b)
        n += len(b)
    conn.close()
    return r.status, h.hexdigest(), n


def test_setup(srv):
    S["uid"], S["t"] = srv.member("big.files@ac-nantes.fr", "Grands Fichiers")


def test_round_trips_of_several_sizes(srv):
    import json
    for size in [1, 1000, 64 * 1024 - 1, 64 * 1024 + 1, 5 * CHUNK + 123, 50 * CHUNK]:
        body = Body(size, f"film-{size}")
        st, data = send(srv, body)
        if size < 64:  # too short to be told a film: refused, nothing kept
            assert st == 415, (size, st, data)
            continue
        assert st == 201, (size, st, data)
        d = json.loads(data)
        assert d["size"] == size and d["sha256"] == body.sha.hexdigest(), size
        st, sha, n = fetch_sha(srv, d["id"])
        assert st == 200 and n == size and sha == body.sha.hexdigest(), size


def test_one_gigabyte_with_flat_memory(srv):
    import json
    pid = srv.proc.pid
    base = rss_kb(pid, "VmRSS")
    size = 1024 * CHUNK
    body = Body(size, "film-1g")
    st, data = send(srv, body)
    assert st == 201, data
    d = json.loads(data)
    assert d["size"] == size and d["sha256"] == body.sha.hexdigest()
    peak_in = rss_kb(pid, "VmHWM")
    st, sha, n = fetch_sha(srv, d["id"])
    assert st == 200 and n == size and sha == body.sha.hexdigest()
    # a seek near the end of the film
    st, sha, n = fetch_sha(srv, d["id"], {"Range": f"bytes={size - 1000}-"})
    assert st == 206 and n == 1000
    peak = rss_kb(pid, "VmHWM")
    # The whole gigabyte went through; the server grew by far less than it.
    assert peak_in - base < 64 * 1024, f"RSS grew by {(peak_in - base) // 1024} MiB during the upload"
    assert peak - base < 64 * 1024, f"RSS grew by {(peak - base) // 1024} MiB during the download"
    assert wait_until(lambda: os.listdir(os.path.join(srv.data, "tmp")) == [], timeout=10)
