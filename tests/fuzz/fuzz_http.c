/* The whole request path, in process: a real Respire server (SQLite in a
 * temporary folder, the route table of `respire serve`) on a loopback port,
 * fed one HTTP request per input. Everything that reads outside input on the
 * way runs: MHD's parsing handed to the server, cookies, the CSRF check,
 * query strings, urlencoded and multipart forms, JSON bodies and their
 * shapes, the route parameters, then the handlers. The promise checked:
 * an answer that is never a 500, within 5 seconds (live streams excepted).
 *
 * An input is one flags byte, then the request head (lines separated by
 * '\n'), an empty line and the body. The target removes Content-Length,
 * Transfer-Encoding and Connection headers and adds its own, so that every
 * request is complete; flags add a member's bearer token (1), a member's
 * session cookie (2, and "@CSRF@" in the input becomes the session's CSRF
 * token) or the admin's credentials instead (4). */
#include "fuzz.h"

#include <arpa/inet.h>
#include <errno.h>
#include <jansson.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "domain/account.h"
#include "domain/domain.h"
#include "http/server.h"
#include "util/buf.h"

static struct app app;
static struct sockaddr_in addr;
static char member_token[128], admin_token[128], member_csrf[128], admin_csrf[128];

/* Sends a request, reads the answer until the server closes; 0, or -1 when
 * the answer did not come within the timeout (*partial: some bytes came). */
static int exchange(const char *req, size_t n, struct buf *out, int *partial)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	FUZZ_ASSERT(fd >= 0, "socket: %s", strerror(errno));
	struct timeval tv = { .tv_sec = 5 };
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
		/* libFuzzer's own timer may interrupt it: the connection goes on, wait for it */
		FUZZ_ASSERT(errno == EINTR, "connect: %s", strerror(errno));
		struct pollfd p = { .fd = fd, .events = POLLOUT };
		int err = 0;
		socklen_t len = sizeof err;
		while (poll(&p, 1, 5000) < 0 && errno == EINTR)
			;
		FUZZ_ASSERT(getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == 0,
			    "connect: %s", strerror(err));
	}
	for (size_t off = 0; off < n;) {
		ssize_t w = send(fd, req + off, n - off, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break; /* the server may answer and close before reading everything */
		off += (size_t)w;
	}
	int rc = 0;
	*partial = 0;
	for (;;) {
		char chunk[8192];
		ssize_t got = recv(fd, chunk, sizeof chunk, 0);
		if (got == 0)
			break;
		if (got < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				rc = -1;
			break; /* a reset after an answer is fine */
		}
		*partial = 1;
		if (out->len < 1 << 20)
			buf_append(out, chunk, (size_t)got);
	}
	close(fd);
	return rc;
}

/* A simple request the target writes itself (set-up only). */
static json_t *call(const char *method, const char *path, const char *token, const char *json,
		    int *status)
{
	struct buf req = { 0 }, resp = { 0 };
	int partial;
	buf_printf(&req, "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n", method, path);
	if (token)
		buf_printf(&req, "Authorization: Bearer %s\r\n", token);
	if (json)
		buf_printf(&req, "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
			   strlen(json), json);
	else
		buf_puts(&req, "\r\n");
	FUZZ_ASSERT(exchange(buf_str(&req), req.len, &resp, &partial) == 0, "set-up %s %s", method, path);
	const char *s = buf_str(&resp);
	FUZZ_ASSERT(s && sscanf(s, "HTTP/1.1 %d", status) == 1, "set-up answer: %s", s ? s : "");
	const char *body = strstr(s, "\r\n\r\n");
	json_t *j = body ? json_loads(body + 4, 0, NULL) : NULL;
	buf_free(&req);
	buf_free(&resp);
	return j;
}

/* The CSRF token of a session, read from a page's form (auth.c derives it). */
static void csrf_of(const char *token, char *out, size_t outlen)
{
	struct buf req = { 0 }, resp = { 0 };
	int partial;
	buf_printf(&req, "GET /me/edit HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
		   "Cookie: respire_session=%s\r\n\r\n", token);
	FUZZ_ASSERT(exchange(buf_str(&req), req.len, &resp, &partial) == 0, "csrf page");
	const char *p = strstr(buf_str(&resp), "name=\"csrf\" value=\"");
	FUZZ_ASSERT(p, "no csrf field in /me/edit");
	p += strlen("name=\"csrf\" value=\"");
	size_t n = strcspn(p, "\"");
	FUZZ_ASSERT(n < outlen, "csrf too long");
	memcpy(out, p, n);
	out[n] = '\0';
	buf_free(&req);
	buf_free(&resp);
}

static void *serve(void *arg)
{
	(void)arg;
	server_run(&app, &respire_site);
	return NULL;
}

static void login(const char *email, char *token, size_t tokenlen, char *csrf, size_t csrflen)
{
	char body[256];
	int st;
	snprintf(body, sizeof body, "{\"email\":\"%s\",\"password\":\"fuzz-password-2026\"}", email);
	json_t *j = call("POST", "/api/v1/sessions", NULL, body, &st);
	const char *t = json_string_value(json_object_get(j, "token"));
	FUZZ_ASSERT(st == 201 && t && strlen(t) < tokenlen, "login %s: %d", email, st);
	snprintf(token, tokenlen, "%s", t);
	json_decref(j);
	csrf_of(token, csrf, csrflen);
}

/* A few things for id routes to find: a group, a post with a reply, a room. */
static void populate(void)
{
	int st;
	json_t *j = call("POST", "/api/v1/groups", member_token,
			 "{\"name\":\"Fuzz\",\"description\":\"d\",\"kind\":\"practice\",\"visibility\":\"public\"}", &st);
	json_decref(j);
	j = call("POST", "/api/v1/posts", member_token,
		 "{\"kind\":\"discussion\",\"title\":\"Un titre\",\"body\":\"Du **texte**\",\"visibility\":\"public\"}", &st);
	json_decref(j);
	j = call("POST", "/api/v1/posts/1/replies", admin_token, "{\"body\":\"Une réponse\"}", &st);
	json_decref(j);
	j = call("POST", "/api/v1/conversations", member_token, "{\"user_ids\":[2]}", &st);
	json_decref(j);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	static char dir[] = "/tmp/respire-fuzz-http-XXXXXX";
	FUZZ_ASSERT(mkdtemp(dir), "no temporary folder");
	setenv("RESPIRE_LOG_LEVEL", getenv("RESPIRE_FUZZ_LOG") ? getenv("RESPIRE_FUZZ_LOG") : "error", 1);
	setenv("RESPIRE_PER_IP_LIMIT", "100000", 1);
	setenv("RESPIRE_ALLOWED_DOMAINS", "*", 1);
	setenv("TZ", "Europe/Paris", 1);
	signal(SIGPIPE, SIG_IGN);
	struct config_flags f = { .listen = "127.0.0.1:0", .data = dir };
	FUZZ_ASSERT(app_open(&app, &f) == 0, "app_open");

	struct dctx dc = { 0 };
	int64_t id;
	const char *field;
	FUZZ_ASSERT(cmd_dctx_open(&app, &dc) == 0, "dctx");
	FUZZ_ASSERT(account_create_verified(&dc, "membre.fuzz@ac-lyon.fr", "fuzz-password-2026",
					    "Membre Fuzz", 0, &id, &field) == D_OK, "member");
	FUZZ_ASSERT(account_create_verified(&dc, "admin.fuzz@ac-lyon.fr", "fuzz-password-2026",
					    "Admin Fuzz", 1, &id, &field) == D_OK, "admin");
	cmd_dctx_close(&app, &dc);

	/* The server thread waits for SIGTERM with sigwait: block it there only. */
	sigset_t set, old;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, &old);
	pthread_t t;
	FUZZ_ASSERT(pthread_create(&t, NULL, serve, NULL) == 0, "server thread");
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_detach(t);
	for (int i = 0; i < 500; i++) {
		pthread_mutex_lock(&app.mu);
		int up = app.base_url[0] != '\0';
		pthread_mutex_unlock(&app.mu);
		if (up)
			break;
		usleep(10000);
	}
	unsigned port = 0;
	FUZZ_ASSERT(sscanf(app.base_url, "http://127.0.0.1:%u", &port) == 1, "base URL '%s'", app.base_url);
	addr.sin_family = AF_INET;
	addr.sin_port = htons((uint16_t)port);
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	login("membre.fuzz@ac-lyon.fr", member_token, sizeof member_token, member_csrf, sizeof member_csrf);
	login("admin.fuzz@ac-lyon.fr", admin_token, sizeof admin_token, admin_csrf, sizeof admin_csrf);
	populate();
	return 0;
}

static int header_is(const char *line, size_t n, const char *name)
{
	size_t k = strlen(name);
	return n > k && !strncasecmp(line, name, k) && line[k] == ':';
}

/* Copies s[0..n) into b with "@CSRF@" replaced by csrf. */
static void put_with_csrf(struct buf *b, const char *s, size_t n, const char *csrf)
{
	static const char mark[] = "@CSRF@";
	size_t i = 0;
	while (i < n) {
		if (n - i >= sizeof mark - 1 && !memcmp(s + i, mark, sizeof mark - 1)) {
			buf_puts(b, csrf);
			i += sizeof mark - 1;
		} else {
			buf_putc(b, s[i++]);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2 || size > 256 * 1024)
		return 0;
	int flags = data[0];
	const char *in = (const char *)data + 1;
	size_t n = size - 1;
	const char *sep = memmem(in, n, "\n\n", 2);
	size_t head_n = sep ? (size_t)(sep - in) : n;
	const char *body = sep ? sep + 2 : in + n;
	size_t body_n = sep ? n - head_n - 2 : 0;
	const char *token = (flags & 4) ? admin_token : member_token;
	const char *csrf = (flags & 4) ? admin_csrf : member_csrf;

	/* Known and left to the library: libmicrohttpd 0.9.75 (Debian 12) keeps
	 * a raw NUL byte inside the request line, which hides the rest of the
	 * query from the URI callback that guards against crowded queries
	 * (http/server.c, on_uri); with a few hundred parameters after the NUL
	 * the connection gets no answer and is closed by the 30 s idle timeout,
	 * the server unaffected (docs/operations.md, Limits). Such request lines
	 * are not sent. */
	{
		const char *eol = memchr(in, '\n', head_n);
		if (memchr(in, '\0', eol ? (size_t)(eol - in) : head_n))
			return 0;
	}

	struct buf req = { 0 }, resp = { 0 }, b = { 0 };
	put_with_csrf(&b, body, body_n, (flags & 2) ? csrf : "");
	/* The head, line by line, without the framing headers. */
	for (size_t i = 0; i < head_n;) {
		const char *line = in + i;
		const char *nl = memchr(line, '\n', head_n - i);
		size_t len = nl ? (size_t)(nl - line) : head_n - i;
		i += len + 1;
		size_t l = len;
		if (l && line[l - 1] == '\r')
			l--;
		if (header_is(line, l, "Content-Length") || header_is(line, l, "Transfer-Encoding") ||
		    header_is(line, l, "Connection"))
			continue;
		put_with_csrf(&req, line, l, (flags & 2) ? csrf : "");
		buf_puts(&req, "\r\n");
	}
	if (flags & 1)
		buf_printf(&req, "Authorization: Bearer %s\r\n", token);
	if (flags & 2)
		buf_printf(&req, "Cookie: respire_session=%s\r\n", token);
	buf_printf(&req, "Content-Length: %zu\r\nConnection: close\r\n\r\n", b.len);
	buf_append(&req, buf_str(&b) ? buf_str(&b) : "", b.len);

	int partial;
	int rc = exchange(buf_str(&req), req.len, &resp, &partial);
	const char *s = buf_str(&resp);
	int status = 0;
	if (s)
		sscanf(s, "HTTP/1.%*d %d", &status);
	/* A live stream (text/event-stream) stays open on purpose. */
	int stream = s && strcasestr(s, "content-type: text/event-stream");
	FUZZ_ASSERT(rc == 0 || stream, "no complete answer within 5 s (status %d) to:\n%.*s", status,
		    (int)(req.len > 2000 ? 2000 : req.len), buf_str(&req));
	FUZZ_ASSERT(status != 500 && status != 502 && status != 503,
		    "status %d to:\n%.*s\n--- answer:\n%.*s", status,
		    (int)(req.len > 2000 ? 2000 : req.len), buf_str(&req),
		    (int)(resp.len > 2000 ? 2000 : resp.len), s);
	buf_free(&req);
	buf_free(&resp);
	buf_free(&b);
	return 0;
}
