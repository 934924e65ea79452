/* libmicrohttpd glue: the only file that sees MHD types. Turns connections
 * into struct request, reads bodies within bounds, checks who may call a
 * route and its CSRF token, calls the handler and sends the response. */
#include "http/server.h"

#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "domain/mailq.h"
#include "domain/settings.h"
#include "domain/stats.h"
#include "http/auth.h"
#include "http/errors.h"
#include "http/events.h"
#include "http/metrics.h"
#include "http/router.h"
#include "store/blobs.h"
#include "util/clock.h"
#include "util/escape.h"
#include "util/log.h"
#include "util/text.h"

struct formfield {
	char *key;
	struct buf val;
	struct formfield *next;
};

struct reqstate {
	struct request r;
	struct MHD_PostProcessor *pp;
	struct formfield *fields;
	size_t form_bytes;
	uint64_t body_bytes;    /* read so far: chunked bodies are held to body_limit() too */
	struct upload *cur_upload;
	int upload_fd;
	int early_status;      /* 400, 404, 405, 413, 415 decided before dispatch */
	int bad_param;         /* the 400 is the router's: a typed path segment did not parse */
	const char *bad_field; /* a form field (or its name) with a NUL byte or invalid UTF-8 */
	int drop_body;         /* an upload by a visitor: read and drop it, then answer 401 */
	int nuploads;
	int queued;
	char *kept;            /* a live stream's method and path, for the log line (see shed_state) */
	struct timespec started;
	void *settings;        /* the configuration in force, held until the end (domain/settings.h) */
};

/* ---- request accessors ---------------------------------------------- */

static const char *kv_get(const struct kv *kv, const char *name)
{
	for (; kv; kv = kv->next)
		if (!strcmp(kv->key, name))
			return kv->val;
	return NULL;
}

const char *req_query(struct request *r, const char *name) { return kv_get(r->query, name); }
const char *req_form(struct request *r, const char *name) { return kv_get(r->form, name); }

int req_form_all(struct request *r, const char *name, const char **out, int max)
{
	int n = 0;

	for (struct kv *kv = r->form; kv && n < max; kv = kv->next)
		if (!strcmp(kv->key, name))
			out[n++] = kv->val;
	return n;
}

struct upload *req_upload(struct request *r, const char *field)
{
	for (struct upload *u = r->uploads; u; u = u->next)
		if (!strcmp(u->field, field))
			return u;
	return NULL;
}

const char *req_header(struct request *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *req_cookie(struct request *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}

int64_t req_param_id(struct request *r, int n)
{
	return n >= 0 && n < r->nparams && r->param_ids[n] > 0 ? r->param_ids[n] : -1;
}

const char *req_param(struct request *r, int n)
{
	return n >= 0 && n < r->nparams ? r->params[n] : NULL;
}

void resp_header(struct request *r, const char *name, const char *value)
{
	struct kv *kv = arena_alloc(r->arena, sizeof *kv);

	if (!kv)
		return;
	kv->key = arena_strdup(r->arena, name);
	kv->val = arena_strdup(r->arena, value);
	kv->next = r->resp_headers;
	r->resp_headers = kv;
}

void resp_cookie(struct request *r, const char *name, const char *value, long max_age)
{
	char *c;

	if (max_age < 0)
		c = arena_printf(r->arena, "%s=%s; Path=/; HttpOnly; SameSite=Lax%s", name, value,
				 r->secure ? "; Secure" : "");
	else
		c = arena_printf(r->arena, "%s=%s; Path=/; Max-Age=%ld; HttpOnly; SameSite=Lax%s",
				 name, value, max_age, r->secure ? "; Secure" : "");
	if (c)
		resp_header(r, MHD_HTTP_HEADER_SET_COOKIE, c);
}

void resp_redirect(struct request *r, const char *location)
{
	r->status = 303;
	resp_header(r, MHD_HTTP_HEADER_LOCATION, location);
	buf_reset(&r->out);
}

void resp_text(struct request *r, int status, const char *ctype, const char *body)
{
	r->status = status;
	r->content_type = ctype;
	buf_reset(&r->out);
	buf_puts(&r->out, body);
}

void resp_file(struct request *r, const char *path, const char *ctype)
{
	r->status = 200;
	r->content_type = ctype;
	r->resp_file = arena_strdup(r->arena, path);
}

void resp_file_cached(struct request *r, const char *path, const char *ctype, const char *etag,
		      int64_t mtime)
{
	resp_file(r, path, ctype);
	r->resp_etag = etag ? arena_printf(r->arena, "\"%s\"", etag) : NULL;
	r->resp_mtime = mtime;
}

void resp_json(struct request *r, int status, json_t *v)
{
	char *s = v ? json_dumps(v, JSON_COMPACT) : NULL;

	r->status = status;
	r->content_type = "application/json";
	buf_reset(&r->out);
	if (s)
		buf_puts(&r->out, s);
	free(s);
	json_decref(v);
}

void resp_json_error(struct request *r, int status, const char *code, const char *message)
{
	resp_json(r, status, json_pack("{s:{s:s,s:s}}", "error", "code", code, "message", message));
}

void resp_error(struct request *r, const struct http_error *e)
{
	if (r->is_api || !r->app->site || !r->app->site->error_page) {
		resp_json_error(r, e->status, e->code, e->message);
	} else {
		r->resp_file = NULL;
		r->app->site->error_page(r, e->status, e->key);
	}
}

/* ---- request setup ---------------------------------------------------- */

static int method_of(const char *m)
{
	static const struct { const char *name; int bit; } t[] = {
		{ "GET", HTTP_GET }, { "HEAD", HTTP_HEAD }, { "POST", HTTP_POST },
		{ "PUT", HTTP_PUT }, { "PATCH", HTTP_PATCH }, { "DELETE", HTTP_DELETE },
		{ "OPTIONS", HTTP_OPTIONS },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (!strcmp(m, t[i].name))
			return t[i].bit;
	return 0;
}

static enum MHD_Result collect_query(void *cls, enum MHD_ValueKind kind, const char *key,
				     const char *value)
{
	struct request *r = cls;
	struct kv *kv = arena_alloc(r->arena, sizeof *kv), **tail;

	(void)kind;
	if (!kv)
		return MHD_NO;
	kv->key = arena_strdup(r->arena, key);
	kv->val = arena_strdup(r->arena, value ? value : "");
	for (tail = &r->query; *tail; tail = &(*tail)->next)
		;
	*tail = kv;
	return MHD_YES;
}

/* Is ip in the comma-separated list? */
static int listed(const char *ip, const char *list)
{
	size_t n = strlen(ip);

	for (const char *p = list; p && *p;) {
		while (*p == ' ' || *p == ',')
			p++;
		if (!strncmp(p, ip, n) && (p[n] == '\0' || p[n] == ',' || p[n] == ' '))
			return 1;
		p = strchr(p, ',');
	}
	return 0;
}

/* Behind a trusted proxy, the client is the last address it appended to
 * X-Forwarded-For (earlier entries can be forged by the client). */
static const char *forwarded_ip(struct MHD_Connection *c, struct arena *a, const char *peer,
				const char *trusted)
{
	const char *xff = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-For");
	const char *last;
	char *ip;

	if (!xff || !*peer || !listed(peer, trusted))
		return peer;
	last = strrchr(xff, ',');
	last = last ? last + 1 : xff;
	while (*last == ' ')
		last++;
	ip = arena_strdup(a, last);
	if (!ip)
		return peer;
	ip[strcspn(ip, " \t")] = '\0';
	for (const char *p = ip; *p; p++)
		if (!strchr("0123456789abcdefABCDEF.:", *p))
			return peer;
	return *ip && strlen(ip) < 64 ? ip : peer;
}

static const char *client_ip_of(struct MHD_Connection *c, struct arena *a)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	char host[NI_MAXHOST];

	if (!ci || !ci->client_addr)
		return "";
	if (getnameinfo(ci->client_addr, ci->client_addr->sa_family == AF_INET6 ?
			sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in),
			host, sizeof host, NULL, 0, NI_NUMERICHOST))
		return "";
	return arena_strdup(a, host);
}

/* Chooses the language: the "lang" cookie, then Accept-Language, then French. */
static const char *pick_lang(struct request *r)
{
	const char *c = req_cookie(r, "lang");
	const char *al = req_header(r, MHD_HTTP_HEADER_ACCEPT_LANGUAGE);

	if (c && (!strcmp(c, "fr") || !strcmp(c, "en"))) {
		r->lang_chosen = 1;
		return !strcmp(c, "fr") ? "fr" : "en";
	}
	/* The supported language with the highest q-value (ties: the first). */
	const char *best = NULL;
	double best_q = 0.0;

	for (const char *p = al; p && *p;) {
		const char *end, *semi;
		double q = 1.0;
		size_t n;

		while (*p == ' ' || *p == ',')
			p++;
		end = strchr(p, ',');
		if (!end)
			end = p + strlen(p);
		semi = memchr(p, ';', (size_t)(end - p));
		n = (size_t)((semi ? semi : end) - p);
		while (n && p[n - 1] == ' ')
			n--;
		if (semi) {
			const char *qs = strstr(semi, "q=");

			if (qs && qs < end)
				q = strtod(qs + 2, NULL);
		}
		if (n >= 2 && (n == 2 || p[2] == '-') && q > best_q) {
			if (!strncasecmp(p, "fr", 2))
				best = "fr", best_q = q;
			else if (!strncasecmp(p, "en", 2))
				best = "en", best_q = q;
		}
		p = *end ? end + 1 : end;
	}
	if (best)
		return best;
	return "fr";
}

static struct reqstate *request_new(struct app *app, struct MHD_Connection *c, const char *url,
				    const char *method)
{
	struct reqstate *st = calloc(1, sizeof *st);
	struct request *r;
	int allowed = 0;

	if (!st)
		return NULL;
	r = &st->r;
	st->upload_fd = -1;
	clock_gettime(CLOCK_MONOTONIC, &st->started);
	r->arena = arena_new();
	if (!r->arena) {
		free(st);
		return NULL;
	}
	r->app = app;
	r->conn = c;
	r->out.max = BUF_DEFAULT_MAX;
	r->body.max = app->cfg.max_body;
	r->method_name = arena_strdup(r->arena, method);
	r->method = method_of(method);
	r->path = arena_strdup(r->arena, url);
	r->is_api = !strncmp(url, "/api/", 5) || !strcmp(url, "/api");
	r->secure = app->secure;
	r->client_ip = forwarded_ip(c, r->arena, client_ip_of(c, r->arena), app->cfg.trusted_proxies);
	r->lang = pick_lang(r);
	r->status = 200;
	MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, collect_query, r);
	if (!r->method) {
		st->early_status = 405;
	} else {
		st->early_status = route_find(app->site->routes, r, &allowed);
		st->bad_param = st->early_status == 400;
	}
	if (!r->route && st->early_status == 405 && allowed) {
		struct buf b = BUF_INIT;
		static const char *names[] = { "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS" };

		if (allowed & HTTP_GET)
			allowed |= HTTP_HEAD;
		for (int i = 0; i < 7; i++)
			if (allowed & (1 << i))
				buf_printf(&b, "%s%s", b.len ? ", " : "", names[i]);
		resp_header(r, MHD_HTTP_HEADER_ALLOW, buf_str(&b));
		buf_free(&b);
	}
	pthread_mutex_lock(&app->mu);
	app->active++;
	pthread_mutex_unlock(&app->mu);
	return st;
}

/* ---- bodies ----------------------------------------------------------- */

#define MAX_UPLOADS 32 /* files in one request */

/* The largest file a route accepts. */
static uint64_t upload_limit(struct request *r)
{
	size_t body, avatar, upload;

	settings_limits(&r->app->cfg, &body, &avatar, &upload);
	return r->route && r->route->body == BODY_UPLOAD ? upload : avatar;
}

static enum MHD_Result post_iter(void *cls, enum MHD_ValueKind kind, const char *key,
				 const char *filename, const char *content_type,
				 const char *transfer_encoding, const char *data, uint64_t off,
				 size_t size)
{
	struct reqstate *st = cls;
	struct request *r = &st->r;

	(void)kind; (void)content_type; (void)transfer_encoding;
	if (!key) { /* a part without a name is not a form field: the body is refused */
		st->early_status = 400;
		return MHD_NO;
	}
	if (filename) {
		struct upload *u = st->cur_upload;

		/* A new file starts with another field or name, or at offset 0 once
		 * bytes were written: libmicrohttpd may announce a part with an
		 * empty call at offset 0 before its first bytes. */
		if (!u || strcmp(u->field, key) || strcmp(u->filename, filename) || (off == 0 && u->size > 0)) {
			char *path;

			if (st->upload_fd >= 0)
				close(st->upload_fd);
			st->upload_fd = -1;
			if (++st->nuploads > MAX_UPLOADS) {
				st->early_status = 413;
				return MHD_NO;
			}
			u = arena_alloc(r->arena, sizeof *u);
			/* In the files folder, so that the final rename stays on one file system. */
			path = arena_printf(r->arena, "%s/tmp/upload-XXXXXX", r->app->cfg.files_dir);
			if (!u || !path)
				return MHD_NO;
			st->upload_fd = mkstemp(path);
			if (st->upload_fd < 0) {
				LOG_E("upload: cannot create a temporary file in %s/tmp: %s",
				      r->app->cfg.files_dir, strerror(errno));
				if (errno == ENOSPC || errno == EDQUOT)
					st->early_status = 507;
				return MHD_NO;
			}
			u->field = arena_strdup(r->arena, key);
			u->filename = arena_strdup(r->arena, filename);
			u->path = path;
			if (!u->field || !u->filename) {
				close(st->upload_fd);
				st->upload_fd = -1;
				unlink(path);
				return MHD_NO;
			}
			u->next = r->uploads;
			r->uploads = u;
			st->cur_upload = u;
		}
		if (u->too_large || u->size + size > upload_limit(r)) {
			u->too_large = 1;
			return MHD_YES;
		}
		for (size_t done = 0; done < size;) {
			ssize_t w = write(st->upload_fd, data + done, size - done);

			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0) {
				int full = w < 0 && (errno == ENOSPC || errno == EDQUOT);

				LOG_E("upload: write failed: %s", w < 0 ? strerror(errno) : "nothing written");
				if (full)
					st->early_status = 507; /* the disk is full: say so, keep nothing */
				return MHD_NO;
			}
			done += (size_t)w;
		}
		u->size += size;
		return MHD_YES;
	}
	st->form_bytes += size + strlen(key);
	if (st->form_bytes > r->app->cfg.max_body) {
		st->early_status = 413;
		return MHD_NO;
	}
	if (!st->fields || strcmp(st->fields->key, key) || (off == 0 && st->fields->val.len > 0)) {
		struct formfield *f = calloc(1, sizeof *f);

		if (!f || !(f->key = strdup(key))) {
			free(f);
			return MHD_NO;
		}
		f->val.max = r->app->cfg.max_body;
		f->next = st->fields;
		st->fields = f;
	}
	buf_append(&st->fields->val, data, size);
	return st->fields->val.failed ? MHD_NO : MHD_YES;
}

/* Moves parsed form fields into the request, in the order they came. */
static void finish_form(struct reqstate *st)
{
	struct request *r = &st->r;
	struct formfield *f;

	for (f = st->fields; f; f = f->next) {
		struct kv *kv = arena_alloc(r->arena, sizeof *kv);
		size_t len = f->val.len;

		/* Decoded with its length: a NUL would cut the value short, and
		 * bytes that are not UTF-8 are no text; the form is refused as a
		 * JSON string with them would be. */
		if ((len && (memchr(f->val.data, '\0', len) || !utf8_valid(f->val.data, len))) ||
		    !utf8_valid(f->key, strlen(f->key)))
			st->bad_field = arena_strdup(r->arena, utf8_valid(f->key, strlen(f->key)) ? f->key : "?");
		if (!kv)
			return;
		kv->key = arena_strdup(r->arena, f->key);
		kv->val = arena_strdup(r->arena, buf_str(&f->val));
		kv->next = r->form; /* fields list is newest first: this restores order */
		r->form = kv;
	}
}

/* What a request holds of its own: parsed JSON, body, output, arena. */
static void free_request(struct request *r)
{
	if (r->json)
		json_decref(r->json);
	buf_free(&r->body);
	buf_free(&r->out);
	arena_free(r->arena);
}

static void free_state(struct reqstate *st)
{
	struct formfield *f, *n;

	if (st->pp)
		MHD_destroy_post_processor(st->pp);
	if (st->upload_fd >= 0)
		close(st->upload_fd);
	for (struct upload *u = st->r.uploads; u; u = u->next)
		unlink(u->path);
	for (f = st->fields; f; f = n) {
		n = f->next;
		free(f->key);
		buf_free(&f->val);
		free(f);
	}
	free_request(&st->r);
	settings_release(st->settings);
	free(st->kept);
	free(st);
}

/* A live stream lasts hours and its request is done: keep the method and
 * path for the log line, free the rest (the request's arena, body, output
 * and parsed JSON), so that an idle stream holds little more than its
 * connection. */
static void shed_state(struct reqstate *st)
{
	struct request *r = &st->r;
	size_t m = strlen(r->method_name ? r->method_name : ""), p = strlen(r->path ? r->path : "");
	char *kept = malloc(m + p + 2);

	if (!kept)
		return; /* keep everything: freed at the end as usual */
	memcpy(kept, r->method_name ? r->method_name : "", m + 1);
	memcpy(kept + m + 1, r->path ? r->path : "", p + 1);
	free_request(r);
	{
		struct app *app = r->app;
		void *conn = r->conn;

		memset(r, 0, sizeof *r);
		r->app = app;
		r->conn = conn;
	}
	st->kept = kept;
	r->method_name = kept;
	r->path = kept + m + 1;
	r->status = 200;
}

/* ---- responses -------------------------------------------------------- */

static void add_common_headers(struct request *r, struct MHD_Response *resp)
{
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
	/* A handler may set a stricter policy (files) or allow its own frames (PDF). */
	if (!kv_get(r->resp_headers, "X-Frame-Options"))
		MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	if (!kv_get(r->resp_headers, "Content-Security-Policy"))
		MHD_add_response_header(resp, "Content-Security-Policy",
					"default-src 'self'; script-src 'self'; style-src 'self'; "
					"img-src 'self' data:; media-src 'self'; frame-src 'self'; object-src 'none'; "
					"base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
	if (r->content_type)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, r->content_type);
	if (!kv_get(r->resp_headers, MHD_HTTP_HEADER_CACHE_CONTROL))
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	if (r->new_csrf_cookie)
		resp_cookie(r, CSRF_COOKIE, r->new_csrf_cookie, 60L * 60 * 24 * 365);
	for (struct kv *kv = r->resp_headers; kv; kv = kv->next)
		MHD_add_response_header(resp, kv->key, kv->val);
}

int req_is_fresh(struct request *r, const char *quoted_etag, int64_t mtime)
{
	const char *inm = req_header(r, MHD_HTTP_HEADER_IF_NONE_MATCH);
	const char *ims = req_header(r, MHD_HTTP_HEADER_IF_MODIFIED_SINCE);

	if (inm)
		return quoted_etag && (strstr(inm, quoted_etag) || !strcmp(inm, "*"));
	if (ims && mtime) {
		struct tm tm = { 0 };
		const char *end = strptime(ims, "%a, %d %b %Y %H:%M:%S GMT", &tm);

		return end && !*end && (int64_t)timegm(&tm) >= mtime;
	}
	return 0;
}

/* One byte range "bytes=A-B", "bytes=A-" or "bytes=-N" of a file of size
 * bytes: 206 with *from and *len, 416 when unsatisfiable or malformed, 200 for
 * several ranges (the whole file is sent). */
static int parse_range(const char *h, uint64_t size, uint64_t *from, uint64_t *len)
{
	unsigned long long a = 0, b = 0;
	char *end;
	const char *p;

	if (strncmp(h, "bytes=", 6))
		return 416;
	p = h + 6;
	while (*p == ' ')
		p++;
	if (strchr(p, ','))
		return 200;
	if (*p == '-') {
		if (p[1] < '0' || p[1] > '9')
			return 416;
		errno = 0;
		b = strtoull(p + 1, &end, 10);
		if (errno || *end || b == 0 || size == 0)
			return 416;
		*len = b < size ? b : size;
		*from = size - *len;
		return 206;
	}
	if (*p < '0' || *p > '9')
		return 416;
	errno = 0;
	a = strtoull(p, &end, 10);
	if (errno || *end != '-' || a >= size)
		return 416;
	p = end + 1;
	if (!*p) {
		b = size - 1;
	} else {
		if (*p < '0' || *p > '9')
			return 416;
		b = strtoull(p, &end, 10);
		if (errno || *end || b < a)
			return 416;
		if (b >= size)
			b = size - 1;
	}
	*from = a;
	*len = b - a + 1;
	return 206;
}

/* What to send of a file: 200 (all), 206 (*from, *len), 304 or 416; adds
 * the validators and Content-Range. */
static int file_conditions(struct request *r, uint64_t size, uint64_t *from, uint64_t *len)
{
	const char *range = req_header(r, MHD_HTTP_HEADER_RANGE);
	const char *if_range = req_header(r, MHD_HTTP_HEADER_IF_RANGE);
	int how = 200;

	if (r->resp_etag) {
		resp_header(r, MHD_HTTP_HEADER_ETAG, r->resp_etag);
		resp_header(r, MHD_HTTP_HEADER_ACCEPT_RANGES, "bytes");
	}
	if (r->resp_mtime) {
		char date[64];
		time_t t = (time_t)r->resp_mtime;
		struct tm tm;

		strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", gmtime_r(&t, &tm));
		resp_header(r, MHD_HTTP_HEADER_LAST_MODIFIED, arena_strdup(r->arena, date));
	}
	if (!r->resp_etag || r->status != 200)
		return 200;
	if (req_is_fresh(r, r->resp_etag, r->resp_mtime))
		return 304;
	if (!range || (r->method != HTTP_GET) || (if_range && strcmp(if_range, r->resp_etag)))
		return 200;
	how = parse_range(range, size, from, len);
	if (how == 206)
		resp_header(r, MHD_HTTP_HEADER_CONTENT_RANGE,
			    arena_printf(r->arena, "bytes %llu-%llu/%llu", (unsigned long long)*from,
					 (unsigned long long)(*from + *len - 1), (unsigned long long)size));
	return how;
}

static enum MHD_Result send_response(struct reqstate *st)
{
	struct request *r = &st->r;
	struct MHD_Response *resp = NULL;
	enum MHD_Result ret;

	if (r->stream) {
		resp = events_response(r);
		if (!resp)
			return MHD_NO;
		add_common_headers(r, resp);
		ret = MHD_queue_response(r->conn, (unsigned)r->status, resp);
		MHD_destroy_response(resp);
		st->queued = 1;
		if (ret == MHD_YES)
			shed_state(st);
		return ret;
	}
	if (r->resp_file) {
		int fd = open(r->resp_file, O_RDONLY | O_CLOEXEC);
		struct stat sb;

		if (fd >= 0 && fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode)) {
			uint64_t from = 0, len = (uint64_t)sb.st_size;
			int how = file_conditions(r, (uint64_t)sb.st_size, &from, &len);

			if (how == 304 || how == 416) {
				close(fd);
				r->status = how;
				r->resp_file = NULL;
				if (how == 416)
					resp_header(r, MHD_HTTP_HEADER_CONTENT_RANGE,
						    arena_printf(r->arena, "bytes */%llu", (unsigned long long)sb.st_size));
				resp = MHD_create_response_from_buffer(0, "", MHD_RESPMEM_PERSISTENT);
				if (!resp)
					return MHD_NO;
			} else {
				r->status = how;
				resp = MHD_create_response_from_fd_at_offset64(len, fd, from);
				if (!resp)
					close(fd);
			}
		} else {
			if (fd >= 0)
				close(fd);
			r->resp_file = NULL;
			resp_error(r, derr_error(D_NOT_FOUND));
		}
	}
	if (!resp) {
		size_t len;
		char *body;

		if (r->out.failed) {
			LOG_E("%s %s: response too large or out of memory", r->method_name, r->path);
			buf_free(&r->out);
			r->status = 500;
			r->content_type = "text/plain; charset=utf-8";
			buf_puts(&r->out, "Internal error\n");
		}
		body = buf_take(&r->out, &len);
		if (!body)
			return MHD_NO;
		resp = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
		if (!resp) {
			free(body);
			return MHD_NO;
		}
	}
	add_common_headers(r, resp);
	ret = MHD_queue_response(r->conn, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	st->queued = 1;
	return ret;
}

/* Content-Length as sent, or 0. */
static uint64_t declared_length(struct request *r)
{
	const char *v = req_header(r, MHD_HTTP_HEADER_CONTENT_LENGTH);

	return v ? strtoull(v, NULL, 10) : 0;
}

/* The largest body a route accepts: form routes may carry one image file. */
static uint64_t body_limit(struct request *r)
{
	size_t body, avatar, upload;
	uint64_t limit;

	settings_limits(&r->app->cfg, &body, &avatar, &upload);
	limit = r->app->cfg.max_body;
	if (r->route && r->route->body == BODY_FORM)
		limit += avatar + 64 * 1024;
	else if (r->route && r->route->body == BODY_UPLOAD)
		limit += upload + 64 * 1024;
	return limit;
}

static void early_error(struct request *r, int status)
{
	resp_error(r, http_error_of_status(status));
}

/* The domain context of a request (its database connection already taken). */
static void prepare_context(struct reqstate *st)
{
	struct request *r = &st->r;
	struct app *app = r->app;

	r->dc.arena = r->arena;
	r->dc.cfg = settings_acquire(&r->dc, &app->cfg, &st->settings);
	r->dc.base_url = app->base_url;
	r->dc.lang = r->lang;
	r->dc.secret = app->secret;
	r->dc.now = clock_now();
	r->dc.memo_roles = 1;       /* one short request on one connection */
	r->dc.roles_user = 0;
	r->dc.client_ip = r->client_ip;
	r->dc.user_agent = req_header(r, MHD_HTTP_HEADER_USER_AGENT);
	if (!r->dc.user_agent)
		r->dc.user_agent = "";
	/* Statistics honour Do Not Track and Global Privacy Control: nothing
	 * about this request is recorded (page view or action). */
	{
		const char *dnt = req_header(r, "DNT"), *gpc = req_header(r, "Sec-GPC");

		r->dc.stats = (dnt && !strcmp(dnt, "1")) || (gpc && !strcmp(gpc, "1")) ? NULL : app->stats;
	}
}

/* Before an upload's body is read: is the caller a signed-in member? The
 * connection goes back to the pool at once (an upload can take minutes). */
static int caller_known(struct reqstate *st)
{
	struct request *r = &st->r;
	int known;

	if (!(r->dc.db = db_pool_get(r->app->pool)))
		return 1; /* dispatch answers 503 */
	prepare_context(st);
	auth_identify(r);
	known = r->me.id != 0 || db_was_unavailable(r->dc.db);
	db_pool_put(r->app->pool, r->dc.db);
	r->dc.db = NULL;
	memset(&r->me, 0, sizeof r->me);
	return known;
}

/* Who is asking, may they, CSRF, then the handler. */
static void dispatch(struct reqstate *st)
{
	struct request *r = &st->r;
	struct app *app = r->app;
	const struct route *rt = r->route;

	r->dc.db = db_pool_get(app->pool);
	if (!r->dc.db) {
		resp_header(r, "Retry-After", "5");
		early_error(r, 503);
		return;
	}
	db_set_label(r->dc.db, r->method_name, r->path);
	prepare_context(st);
	auth_identify(r);

	if (r->me.id && !r->lang_chosen && r->me.lang &&
	    (!strcmp(r->me.lang, "fr") || !strcmp(r->me.lang, "en")))
		r->lang = r->dc.lang = r->me.lang; /* the member's own choice, unless this browser chose */
	if (!r->is_api)
		csrf_prepare(r);

	if (db_was_unavailable(r->dc.db)) {
		resp_header(r, "Retry-After", "5");
		early_error(r, 503);
	} else if (st->bad_param) {
		resp_error(r, &HTTP_E_INVALID_PARAMETER);
	} else if (st->early_status) {
		early_error(r, st->early_status);
	} else if (rt->who == WHO_ADMIN && !r->me.admin) {
		early_error(r, 404); /* visitors too: an admin's page is not said to exist */
	} else if (rt->who != WHO_ANYONE && !r->me.id) {
		if (r->is_api) {
			resp_error(r, &HTTP_E_UNAUTHORIZED);
		} else {
			struct buf loc = BUF_INIT;

			buf_puts(&loc, "/login?next=");
			url_escape(&loc, r->path);
			resp_redirect(r, buf_str(&loc));
			buf_free(&loc);
		}
	} else if (rt->csrf && r->method != HTTP_GET && r->method != HTTP_HEAD && !csrf_valid(r)) {
		resp_error(r, &HTTP_E_CSRF);
	} else if (st->bad_field) {
		if (r->is_api)
			resp_json(r, 422, json_pack("{s:{s:s,s:s,s:s}}", "error", "code", HTTP_E_INVALID_FORM_FIELD.code,
						    "message", HTTP_E_INVALID_FORM_FIELD.message, "field", st->bad_field));
		else
			resp_error(r, &HTTP_E_INVALID_FORM_FIELD);
	} else if (rt->body == BODY_JSON && r->body.len &&
		   !(r->json = json_loadb(r->body.data, r->body.len, JSON_REJECT_DUPLICATES, NULL))) {
		resp_error(r, &HTTP_E_INVALID_JSON);
	} else {
		rt->handler(r);
		/* A page seen: an HTML page answered 200 to a GET (domain/stats.c). */
		if (r->dc.stats && !r->is_api && r->method == HTTP_GET && r->status == 200 && !r->stream &&
		    r->content_type && !strncmp(r->content_type, "text/html", 9))
			stats_view(&r->dc, r->me.id, rt->pattern);
	}
	/* Committed by now: mails queued inside transactions go out (outbox) or
	 * wake the mail worker (SMTP); then the live streams of the members
	 * this request woke are told. */
	mailq_flush(&r->dc);
	events_publish(r);
	/* The database could not be reached (or stayed locked) during the request:
	 * whatever the handler concluded (access checks fail closed), say so. */
	if (db_was_unavailable(r->dc.db)) {
		resp_header(r, "Retry-After", "5");
		early_error(r, 503);
	} else if (r->status == 500 && (db_was_full(r->dc.db) || blob_space_low(app->cfg.data_dir) ||
					 blob_space_low(app->cfg.files_dir))) {
		/* A write failed for want of space: the database's (its transaction
		 * rolled back) or a file's (stored files, thumbnails, avatars). */
		resp_header(r, "Retry-After", "60");
		early_error(r, 507);
	}
	db_pool_put(app->pool, r->dc.db);
	r->dc.db = NULL;
}

/* The path and query decoder: %XX as usual, but %00 stays written as it is
 * (a NUL would end the string early, so that "/posts/1%00abc" read as
 * "/posts/1"): a typed segment holding it then does not parse (400). */
static int hex_digit(int c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static size_t unescape_keeping_nul(void *cls, struct MHD_Connection *c, char *s)
{
	char *w = s;
	const char *p = s;

	(void)cls; (void)c;
	while (*p) {
		int hi = p[0] == '%' ? hex_digit((unsigned char)p[1]) : -1;
		int lo = hi >= 0 ? hex_digit((unsigned char)p[2]) : -1;

		if (lo < 0 || (hi == 0 && lo == 0)) {
			*w++ = *p++;
			continue;
		}
		*w++ = (char)(hi * 16 + lo);
		p += 3;
	}
	*w = '\0';
	return (size_t)(w - s);
}

/* libmicrohttpd 0.9.75 keeps a request's query parameters in the
 * connection's memory pool; when a short query holds more of them than the
 * pool can record ("?&&&&..."), it means to answer 431 but leaves the
 * connection hanging until the timeout, with no answer at all. Its URI log
 * callback sees the query first: past QUERY_PARAMS_MAX parameters the '&'
 * are blanked (the buffer is libmicrohttpd's own, writable, and parsed right
 * after), so that it records one parameter, and the request is marked to be
 * answered 414 query_too_long before any handler reads it. */
#define QUERY_PARAMS_MAX 128
static char crowded_query;

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
	char *q = strchr(uri, '?');
	size_t n = 0;

	(void)cls; (void)c;
	if (!q)
		return NULL;
	for (const char *p = q; *p; p++)
		n += *p == '&';
	if (n < QUERY_PARAMS_MAX)
		return NULL;
	for (char *p = q; *p; p++)
		if (*p == '&')
			*p = '_';
	return &crowded_query;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *upload_data,
				  size_t *upload_size, void **con_cls)
{
	struct app *app = cls;
	struct reqstate *st = *con_cls;
	struct request *r;
	int crowded = *con_cls == (void *)&crowded_query;

	(void)version;
	if (crowded)
		st = NULL;
	if (!st) {
		st = request_new(app, c, url, method);
		if (!st)
			return MHD_NO;
		*con_cls = st;
		if (crowded && !st->early_status) {
			st->early_status = 414;
			st->bad_param = 0;
		}
		if (!st->early_status && declared_length(&st->r) > body_limit(&st->r)) {
			/* Refuse before reading: libmicrohttpd skips "100 Continue" and closes. */
			early_error(&st->r, 413);
			return send_response(st);
		}
		if (!st->early_status && (st->r.route->body == BODY_FORM || st->r.route->body == BODY_UPLOAD) &&
		    st->r.method != HTTP_GET && st->r.method != HTTP_HEAD) {
			if (st->r.route->body == BODY_UPLOAD && !caller_known(st))
				st->drop_body = 1; /* a visitor's gigabytes are not written anywhere */
			else
				st->pp = MHD_create_post_processor(c, 16 * 1024, post_iter, st);
			/* Not a form content type: the empty form fails CSRF or validation. */
		}
		return MHD_YES;
	}
	r = &st->r;
	if (*upload_size) {
		size_t n = *upload_size;

		*upload_size = 0;
		if (st->queued)
			return MHD_YES;
		if (st->early_status || st->drop_body) /* drop the body of a request already refused */
			return MHD_YES;
		st->body_bytes += n;
		if (st->body_bytes > body_limit(r)) { /* a chunked body past what a Content-Length may say */
			st->early_status = 413;
			return MHD_YES;
		}
		if (st->pp) {
			if (MHD_post_process(st->pp, upload_data, n) != MHD_YES && !st->early_status)
				st->early_status = 400;
		} else if (r->route->body == BODY_JSON) {
			if (buf_append(&r->body, upload_data, n) < 0)
				st->early_status = 413;
		}
		/* Past the limit (chunked bodies): the rest is read and dropped, the
		 * answer comes at the end (0.9.75 cannot queue in mid-upload). */
		return MHD_YES;
	}
	if (st->queued)
		return MHD_YES;
	if (st->pp) {
		/* Destroying the processor may hand over the last buffered bytes:
		 * the upload file stays open until then. */
		int cut = MHD_destroy_post_processor(st->pp) != MHD_YES;

		st->pp = NULL;
		finish_form(st);
		/* A multipart body cut short (no closing boundary) is not a form. */
		if (cut && !st->early_status)
			st->early_status = 400;
	}
	if (st->upload_fd >= 0) {
		close(st->upload_fd);
		st->upload_fd = -1;
	}
	if (st->early_status == 400 && !st->bad_param) {
		resp_error(r, &HTTP_E_INVALID_BODY);
	} else {
		dispatch(st);
	}
	return send_response(st);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct app *app = cls;
	struct reqstate *st = *con_cls;
	struct timespec end;
	double ms;

	(void)c;
	if (!st || *con_cls == (void *)&crowded_query)
		return;
	clock_gettime(CLOCK_MONOTONIC, &end);
	ms = (double)(end.tv_sec - st->started.tv_sec) * 1e3 +
	     (double)(end.tv_nsec - st->started.tv_nsec) / 1e6;
	/* The path only (query strings may carry tokens), decoded control
	 * characters shown as '?' so that a request cannot write log lines. */
	{
		char path[512];
		size_t k = 0;

		for (const char *p = st->r.path ? st->r.path : ""; *p && k < sizeof path - 4; p++)
			path[k++] = (unsigned char)*p < 0x20 || *p == 0x7f ? '?' : *p;
		if (st->r.path && strlen(st->r.path) > k)
			path[k++] = '.', path[k++] = '.', path[k++] = '.';
		path[k] = '\0';
		LOG_I("%s %s %d %.1fms%s", st->r.method_name, path, st->r.status, ms,
		      toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " (aborted)");
	}
	if (!st->r.stream && !st->kept) /* a live stream's duration is no latency */
		metrics_request(st->r.route ? st->r.route->pattern : "", st->r.method_name, st->r.status, ms);
	free_state(st);
	*con_cls = NULL;
	pthread_mutex_lock(&app->mu);
	app->active--;
	pthread_mutex_unlock(&app->mu);
}

FMT_PRINTF(2, 0) static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	char line[512];

	(void)cls;
	vsnprintf(line, sizeof line, fmt, ap);
	line[strcspn(line, "\n")] = '\0';
	LOG_W("libmicrohttpd: %s", line);
}

int server_run(struct app *app, const struct site *site)
{
	struct addrinfo hints = { 0 }, *ai = NULL;
	struct MHD_Daemon *d;
	const union MHD_DaemonInfo *info;
	char port[16], why[512];
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC |
			 MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
	sigset_t set;
	int sig, rc, shown_port;

	if (route_check(site->routes, why, sizeof why) < 0) {
		fprintf(stderr, "respire: the route table is broken: %s\n", why);
		return 1;
	}
	app->site = site; /* read-only from here on */
	snprintf(port, sizeof port, "%u", app->cfg.listen_port);
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV | AI_PASSIVE;
	rc = getaddrinfo(app->cfg.listen_host, port, &hints, &ai);
	if (rc) {
		fprintf(stderr, "respire: cannot listen on %s:%s: %s\n", app->cfg.listen_host, port,
			gai_strerror(rc));
		return 1;
	}
	if (ai->ai_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, app,
			     MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
			     MHD_OPTION_SOCK_ADDR, ai->ai_addr,
			     MHD_OPTION_THREAD_POOL_SIZE, app->cfg.threads,
			     MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
			     MHD_OPTION_CONNECTION_LIMIT, (unsigned)8000,
			     MHD_OPTION_PER_IP_CONNECTION_LIMIT, app->cfg.per_ip_limit,
			     /* per connection: 16 KiB holds any sane request head and keeps an
			      * idle live stream at about 30 KB (64 KiB: 53 KB; see docs/performance.md) */
			     MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)16 * 1024,
			     MHD_OPTION_LISTENING_ADDRESS_REUSE, (unsigned)1,
			     MHD_OPTION_NOTIFY_COMPLETED, on_completed, app,
			     MHD_OPTION_UNESCAPE_CALLBACK, unescape_keeping_nul, NULL,
			     MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL,
			     MHD_OPTION_END);
	freeaddrinfo(ai);
	if (!d) {
		fprintf(stderr, "respire: cannot listen on %s:%u: %s\n", app->cfg.listen_host,
			app->cfg.listen_port, strerror(errno));
		return 1;
	}
	events_start(app);
	info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	shown_port = info ? info->port : (int)app->cfg.listen_port;
	/* Under the mutex: the digest worker reads it (cmd/serve.c). */
	pthread_mutex_lock(&app->mu);
	if (!app->base_url[0])
		snprintf(app->base_url, sizeof app->base_url, "http://%s%s%s:%d",
			 strchr(app->cfg.listen_host, ':') ? "[" : "", app->cfg.listen_host,
			 strchr(app->cfg.listen_host, ':') ? "]" : "", shown_port);
	pthread_mutex_unlock(&app->mu);
	printf("listening on http://%s%s%s:%d\n", strchr(app->cfg.listen_host, ':') ? "[" : "",
	       app->cfg.listen_host, strchr(app->cfg.listen_host, ':') ? "]" : "", shown_port);
	fflush(stdout);

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	while (sigwait(&set, &sig) != 0)
		;
	LOG_I("signal %d: finishing requests in flight", sig);
	events_stop(app); /* live streams end first: suspended connections must not outlive the daemon */
	{
		MHD_socket ls = MHD_quiesce_daemon(d);
		if (ls != MHD_INVALID_SOCKET)
			close(ls);
	}
	for (int i = 0; i < 300; i++) { /* up to 30 s */
		unsigned active;

		pthread_mutex_lock(&app->mu);
		active = app->active;
		pthread_mutex_unlock(&app->mu);
		if (!active)
			break;
		struct timespec ts = { 0, 100 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	MHD_stop_daemon(d);
	events_free(app);
	LOG_I("stopped");
	return 0;
}
