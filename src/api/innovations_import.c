/* POST /api/v1/innovations/import (admins; the router answers 404 to the
 * others): the CSV in the multipart field "file", ?dry_run=1 to check only.
 * 200 {created, updated, unchanged, rejected: [{line, error}], rejected_count,
 * dry_run}; the list keeps the first IMPORT_REJECTS_SHOWN rejected rows. */
#include "api/innovations_import.h"

#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "domain/innovations_import.h"

#define IMPORT_REJECTS_SHOWN 1000

static void collect(void *arg, long line, const char *reason)
{
	json_t *a = arg;

	if (json_array_size(a) < IMPORT_REJECTS_SHOWN)
		json_array_append_new(a, json_pack("{s:I,s:s}", "line", (json_int_t)line, "error", reason));
}

void api_innovations_import(struct request *r)
{
	struct upload *u = req_upload(r, "file");
	const char *dry = req_query(r, "dry_run");
	struct innovations_import im = { 0 };
	json_t *rejected;
	FILE *f;
	enum derr e;

	if (!u || !u->path) {
		resp_json_error(r, 400, "file_required", "Send the CSV file in the multipart field \"file\".");
		return;
	}
	if (u->too_large) {
		resp_json_error(r, 413, "too_large", "The file is larger than the server accepts.");
		return;
	}
	if (dry && strcmp(dry, "0") && strcmp(dry, "1") && strcmp(dry, "true") && strcmp(dry, "false")) {
		resp_json_error(r, 400, "invalid_parameter", "dry_run is 1 or 0.");
		return;
	}
	if (!(f = fopen(u->path, "r"))) {
		api_derr(r, D_INTERNAL, NULL);
		return;
	}
	rejected = json_array();
	im.dry_run = dry && (!strcmp(dry, "1") || !strcmp(dry, "true"));
	im.on_reject = collect;
	im.arg = rejected;
	e = innovations_import_file(&r->dc, &r->me, f, &im);
	fclose(f);
	if (e == D_INVALID) {
		json_decref(rejected);
		resp_json_error(r, 422, "invalid_csv", im.error ? im.error : "The file is refused.");
		return;
	}
	if (e != D_OK) {
		json_decref(rejected);
		api_derr(r, e, NULL);
		return;
	}
	resp_json(r, 200, json_pack("{s:I,s:I,s:I,s:o,s:I,s:b}", "created", (json_int_t)im.created, "updated",
				    (json_int_t)im.updated, "unchanged", (json_int_t)im.unchanged, "rejected", rejected,
				    "rejected_count", (json_int_t)im.rejected, "dry_run", im.dry_run));
}
