"""A full disk: with its data folder on a small tmpfs that fills up, Respire
answers 507 storage_full (JSON for the API, a page for forms), keeps nothing
half-written (no document row without its file, no upload leftovers), loses
nothing it acknowledged, keeps serving reads, and writes again by itself once
space returns; /healthz reports the disk. On SQLite the database fills up too; on PostgreSQL the stored
files do (the database lives elsewhere)."""
import os
import shutil
import subprocess
import tempfile

import lib
from lib import expect, multipart

STATE = {}


def free_bytes(path):
    st = os.statvfs(path)
    return st.f_bavail * st.f_frsize


def fill(path, leave):
    """A filler file that leaves about `leave` bytes free."""
    with open(os.path.join(path, "filler"), "ab") as f:
        while free_bytes(path) > leave:
            try:
                f.write(b"\0" * min(1 << 20, max(4096, free_bytes(path) - leave)))
                f.flush()
            except OSError:
                break


def upload(srv, token, i, size=300_000):
    data = (f"ligne {i} " * 16 + "\n").encode() * (size // 120)
    body, ctype = multipart({"title": f"Fiche {i}", "visibility": "members"},
                            [("file", (f"fiche{i}.txt", data, "text/plain"))])
    return srv.api("POST", "/documents", raw=body, token=token, headers={"Content-Type": ctype})


def test_setup_a_server_on_a_small_disk(srv):
    mnt = tempfile.mkdtemp(prefix="respire-full-")
    out = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", mnt], capture_output=True, text=True)
    assert out.returncode == 0, f"this test mounts a small tmpfs (run as root): {out.stderr}"
    STATE["mnt"] = mnt
    data = os.path.join(mnt, "data")
    os.mkdir(data)
    proc = subprocess.Popen([srv.bin, "serve", "--listen", "127.0.0.1:0", "--data", data] + srv.db_args,
                            stdout=subprocess.PIPE, stderr=open(os.path.join(srv.data, "full-disk.log"), "wb"),
                            env=srv.env)
    line = proc.stdout.readline().decode()
    assert line.startswith("listening on "), line
    small = lib.Server(srv.bin, data, line.split()[-1], srv.db_args, srv.env)
    STATE.update(proc=proc, small=small, data=data)
    uid, token = small.member("disque.plein@ac-lyon.fr", "Disque Plein")
    STATE.update(uid=uid, token=token)
    STATE["post"] = expect(small.api("POST", "/posts", {"kind": "discussion", "title": "Avant la panne",
                                                        "body": "Écrit avant.", "visibility": "members"},
                                     token=token), 201)["id"]
    STATE["docs"] = [expect(upload(small, token, 0), 201)["id"]]


def test_an_upload_on_a_full_disk_is_refused_with_507_and_leaves_nothing(srv):
    small, token, mnt = STATE["small"], STATE["token"], STATE["mnt"]
    fill(mnt, 100_000)  # less than the file: its temporary copy cannot be written
    for i in (1, 2):
        r = upload(small, token, i)
        expect(r, 507, "storage_full")
        assert "storage" in r.json()["error"]["message"], r
    tmp = os.path.join(STATE["data"], "tmp")
    # the refused upload's temporary file goes when its request ends (after the answer is sent)
    assert lib.wait_until(lambda: not os.path.isdir(tmp) or os.listdir(tmp) == [], timeout=10), os.listdir(tmp)
    mine = expect(small.api("GET", f"/users/{STATE['uid']}/documents", token=token), 200)["items"]
    assert [d["id"] for d in mine] == STATE["docs"], mine


def test_a_form_on_a_full_disk_gets_a_page_that_says_so(srv):
    small = STATE["small"]
    os.remove(os.path.join(STATE["mnt"], "filler"))
    w = small.web()
    w.login("disque.plein@ac-lyon.fr")
    fill(STATE["mnt"], 0)
    body = "Un texte assez long. " * 500
    r = w.post("/posts/new", {"kind": "discussion", "title": "Pendant la panne", "body": body,
                              "visibility": "members"})
    if srv.db_args:  # PostgreSQL: the database is elsewhere, the post is written
        assert r.status in (200, 303), r
        return
    assert r.status == 507, r
    assert "stockage" in r.text and "rien n'a été enregistré" in r.text.replace("&#39;", "'"), r.text[:2000]
    r = small.api("POST", "/posts", {"kind": "discussion", "title": "Pendant la panne (API)",
                                     "body": body, "visibility": "members"}, token=STATE["token"])
    expect(r, 507, "storage_full")
    assert r.headers.get("retry-after"), r.headers


def test_reads_go_on_while_the_disk_is_full(srv):
    small, token = STATE["small"], STATE["token"]
    fill(STATE["mnt"], 0)
    assert expect(small.api("GET", f"/posts/{STATE['post']}", token=token), 200)["title"] == "Avant la panne"
    r = small.request("GET", f"/api/v1/documents/{STATE['docs'][0]}/file",
                      headers={"Authorization": f"Bearer {token}"})
    assert r.status == 200 and r.body.startswith(b"ligne 0"), r
    assert small.web().get("/").status == 200
    found = expect(small.api("GET", "/search?q=panne&type=post", token=token), 200)["items"]
    assert STATE["post"] in [x["id"] for x in found], found
    # the health check says why
    r = small.request("GET", "/healthz")
    h = r.json()
    assert r.status == 503 and h["status"] == "fail" and h["disk"]["ok"] is False, (r, h)
    assert h["disk"]["free_bytes"] < 1024 * 1024 and h["database"]["ok"] is True, h
    STATE["free_when_full"] = h["disk"]["free_bytes"]


def test_writes_come_back_by_themselves_when_space_returns(srv):
    small, token = STATE["small"], STATE["token"]
    os.remove(os.path.join(STATE["mnt"], "filler"))
    assert small.request("GET", "/healthz").json()["disk"]["free_bytes"] > STATE["free_when_full"] + 1024 * 1024
    STATE["docs"].append(expect(upload(small, token, 3), 201)["id"])
    post = expect(small.api("POST", "/posts", {"kind": "discussion", "title": "Après la panne", "body": "De retour.",
                                               "visibility": "members"}, token=token), 201)["id"]
    assert expect(small.api("GET", f"/posts/{post}", token=token), 200)["title"] == "Après la panne"
    mine = expect(small.api("GET", f"/users/{STATE['uid']}/documents", token=token), 200)["items"]
    assert sorted(d["id"] for d in mine) == sorted(STATE["docs"]), mine
    found = expect(small.api("GET", "/search?q=panne&type=post", token=token), 200)["items"]
    titles = sorted(x["title"] for x in found)
    if srv.db_args:  # the form's post was written (the database was not full)
        assert titles == ["Après la panne", "Avant la panne", "Pendant la panne"], titles
    else:  # nothing of what was refused is there, half or whole
        assert titles == ["Après la panne", "Avant la panne"], titles


def test_teardown(srv):
    proc = STATE.get("proc")
    if proc:
        proc.terminate()
        proc.wait(timeout=40)
    if STATE.get("mnt"):
        subprocess.run(["umount", STATE["mnt"]], check=True)
        shutil.rmtree(STATE["mnt"], ignore_errors=True)
