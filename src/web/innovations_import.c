/* GET|POST /innovations/import (admins; the router answers 404 to the
 * others): a form sending a CSV file, and the result of the import: the
 * counts and the rejected lines. */
#include "web/innovations_import.h"

#include <stdio.h>
#include <string.h>

#include "domain/innovations_import.h"
#include "web/web.h"

#define REJECTS_SHOWN 500

struct rejects {
	struct request *r;
	long *lines;
	const char **reasons;
	int n;
};

static void collect(void *arg, long line, const char *reason)
{
	struct rejects *rj = arg;

	if (rj->n >= REJECTS_SHOWN)
		return;
	rj->lines[rj->n] = line;
	rj->reasons[rj->n] = arena_strdup(rj->r->arena, reason);
	if (rj->reasons[rj->n])
		rj->n++;
}

static void form(struct request *r, int dry_run)
{
	H(r, "<section class=\"card\"><h1>%s</h1><p>%s</p>", T(r, "innoimport.title"), T(r, "innoimport.intro"));
	H(r, "<form method=\"post\" action=\"/innovations/import\" enctype=\"multipart/form-data\">");
	form_csrf(r);
	H(r, "<label for=\"f-file\">%s</label><input id=\"f-file\" name=\"file\" type=\"file\" accept=\".csv,text/csv\""
	  " required>", T(r, "innoimport.file"));
	H(r, "<p><input id=\"f-dry\" name=\"dry_run\" type=\"checkbox\" value=\"1\"%s> <label for=\"f-dry\">%s</label></p>",
	  dry_run ? " checked" : "", T(r, "innoimport.dry_run"));
	H(r, "<div class=\"actions\"><button type=\"submit\">%s</button> <a href=\"/innovations.csv\">%s</a></div>"
	  "</form></section>", T(r, "innoimport.send"), T(r, "innoimport.export"));
}

void web_innovations_import(struct request *r)
{
	struct innovations_import im = { 0 };
	struct rejects rj = { 0 };
	struct upload *u;
	const char *dry;
	FILE *f;
	enum derr e;

	if (r->method != HTTP_POST) {
		page_begin(r, T(r, "innoimport.title"));
		form(r, 0);
		page_end(r);
		return;
	}
	u = req_upload(r, "file");
	dry = req_form(r, "dry_run");
	im.dry_run = dry && !strcmp(dry, "1");
	if (u && u->too_large) {
		web_error_page(r, 413);
		return;
	}
	if (!u || !u->path || u->size == 0) {
		r->status = 422;
		page_begin(r, T(r, "innoimport.title"));
		page_notice(r, "error", T(r, "innoimport.no_file"));
		form(r, im.dry_run);
		page_end(r);
		return;
	}
	rj.r = r;
	rj.lines = arena_alloc(r->arena, REJECTS_SHOWN * sizeof *rj.lines);
	rj.reasons = arena_alloc(r->arena, REJECTS_SHOWN * sizeof *rj.reasons);
	if (!rj.lines || !rj.reasons || !(f = fopen(u->path, "r"))) {
		web_error_page(r, 500);
		return;
	}
	im.on_reject = collect;
	im.arg = &rj;
	e = innovations_import_file(&r->dc, &r->me, f, &im);
	fclose(f);
	if (e != D_OK && e != D_INVALID) {
		web_derr_page(r, e);
		return;
	}
	if (e == D_INVALID)
		r->status = 422;
	page_begin(r, T(r, "innoimport.title"));
	if (e == D_INVALID) {
		page_notice(r, "error", arena_printf(r->arena, "%s %s", T(r, "innoimport.refused"),
						     im.error ? im.error : ""));
		form(r, im.dry_run);
		page_end(r);
		return;
	}
	H(r, "<section class=\"card\" aria-labelledby=\"result\"><h1 id=\"result\">%s</h1>",
	  T(r, im.dry_run ? "innoimport.result_dry" : "innoimport.result"));
	H(r, "<ul class=\"import-counts\" role=\"status\"><li><strong>%ld</strong> %s</li><li><strong>%ld</strong> %s</li>"
	  "<li><strong>%ld</strong> %s</li><li><strong>%ld</strong> %s</li></ul>", im.created, T(r, "innoimport.created"),
	  im.updated, T(r, "innoimport.updated"), im.unchanged, T(r, "innoimport.unchanged"), im.rejected,
	  T(r, "innoimport.rejected"));
	if (rj.n > 0) {
		H(r, "<h2>%s</h2><table><thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>",
		  T(r, "innoimport.rejected_lines"), T(r, "innoimport.line"), T(r, "innoimport.reason"));
		for (int i = 0; i < rj.n; i++)
			H(r, "<tr><td>%ld</td><td>%s</td></tr>", rj.lines[i], rj.reasons[i]);
		H(r, "</tbody></table>");
		if (im.rejected > rj.n)
			H(r, "<p>%ld %s</p>", im.rejected - rj.n, T(r, "innoimport.more"));
	}
	H(r, "</section>");
	form(r, im.dry_run);
	page_end(r);
}
