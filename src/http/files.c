/* Documents' files over HTTP (see files.h). */
#include "http/files.h"

#include <string.h>

#include "domain/documents.h"
#include "util/buf.h"
#include "http/errors.h"

/* In the caller's format: JSON on the API, the site's error page on pages. */
static void not_found(struct request *r)
{
	resp_error(r, derr_error(D_NOT_FOUND));
}

/* Kinds a browser may show from our origin: none of them can run script. */
static int inline_safe(const char *kind)
{
	return !strcmp(kind, "image") || !strcmp(kind, "video") || !strcmp(kind, "audio") ||
	       !strcmp(kind, "pdf") || !strcmp(kind, "text");
}

/* attachment; filename="ascii fallback"; filename*=UTF-8''percent-encoded (RFC 6266) */
static const char *disposition(struct request *r, const char *how, const char *name)
{
	struct buf b = BUF_INIT;
	const char *out;

	buf_printf(&b, "%s; filename=\"", how);
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		buf_putc(&b, *p < 0x20 || *p >= 0x7F || *p == '"' || *p == '\\' || *p == '%' ? '_' : (char)*p);
	buf_puts(&b, "\"; filename*=UTF-8''");
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    strchr("!#$&+-.^_`|~", *p))
			buf_putc(&b, (char)*p);
		else
			buf_printf(&b, "%%%02X", *p);
	}
	out = b.failed ? "attachment" : arena_strdup(r->arena, buf_str(&b));
	buf_free(&b);
	return out ? out : "attachment";
}

static void send_blob(struct request *r, int64_t id, const struct doc_blob *f)
{
	const char *q = req_query(r, "inline");
	int show = q && !strcmp(q, "1") && inline_safe(f->kind);
	const char *range = req_header(r, "Range");
	const char *ctype = !strcmp(f->kind, "text") ? "text/plain; charset=utf-8" : f->mime;

	resp_header(r, "Content-Disposition", disposition(r, show ? "inline" : "attachment", f->filename));
	/* Access may change: the browser keeps a copy but asks each time. */
	resp_header(r, "Cache-Control", "private, no-cache");
	if (show && !strcmp(f->kind, "pdf")) {
		/* The document page shows it in a frame of its own origin. */
		resp_header(r, "Content-Security-Policy", "default-src 'none'; frame-ancestors 'self'");
		resp_header(r, "X-Frame-Options", "SAMEORIGIN");
	} else {
		resp_header(r, "Content-Security-Policy", "default-src 'none'; sandbox");
	}
	/* A download is a whole file fetched as an attachment (not a film's
	 * later ranges, not a revalidation). */
	resp_file_cached(r, f->path, ctype, f->sha256, f->created_at);
	if (!show && r->method == HTTP_GET && !req_is_fresh(r, r->resp_etag, r->resp_mtime) &&
	    (!range || !strncmp(range, "bytes=0-", 8)))
		document_count_download(&r->dc, id);
}

void http_document_file(struct request *r)
{
	struct doc_blob f;
	int64_t id = req_param_id(r, 0);

	if (document_file(&r->dc, &r->me, id, 0, &f) != D_OK)
		not_found(r);
	else
		send_blob(r, id, &f);
}

void http_document_version_file(struct request *r)
{
	struct doc_blob f;
	int64_t id = req_param_id(r, 0), version = req_param_id(r, 1);

	if (document_file(&r->dc, &r->me, id, version, &f) != D_OK)
		not_found(r);
	else
		send_blob(r, id, &f);
}

void http_document_thumbnail(struct request *r)
{
	const char *path;
	int64_t id = req_param_id(r, 0);

	if (document_thumbnail(&r->dc, &r->me, id, &path) != D_OK) {
		not_found(r);
		return;
	}
	resp_header(r, "Cache-Control", "private, no-cache");
	resp_file_cached(r, path, "image/jpeg", NULL, 0);
}
