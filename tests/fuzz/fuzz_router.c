/* http/router.c over Respire's own route table: any method and path gets
 * 0 (a route, its typed parameters valid), 400, 404 or 405 — never a match
 * whose {x:int} is not a positive number. */
#include "fuzz.h"

#include "cmd/cmd.h"
#include "http/router.h"
#include "util/arena.h"

static const int methods[] = { HTTP_GET, HTTP_HEAD, HTTP_POST, HTTP_PUT, HTTP_PATCH, HTTP_DELETE,
			       HTTP_OPTIONS };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 4096)
		return 0;
	struct request r;
	int allowed = 0;

	memset(&r, 0, sizeof r);
	r.arena = arena_new();
	FUZZ_ASSERT(r.arena, "no arena");
	r.method = methods[data[0] % (sizeof methods / sizeof *methods)];
	char *path = fuzz_string(data + 1, size - 1);
	r.path = path;
	int st = route_find(respire_routes, &r, &allowed);
	FUZZ_ASSERT(st == 0 || st == 400 || st == 404 || st == 405, "status %d for %s", st, path);
	if (st == 0) {
		int m = r.method == HTTP_HEAD ? HTTP_GET : r.method; /* HEAD is answered as GET */
		FUZZ_ASSERT(r.route && (r.route->methods & m), "route without the method: %s", path);
		FUZZ_ASSERT(r.nparams >= 0 && r.nparams <= ROUTE_MAX_PARAMS, "%d params", r.nparams);
		for (int i = 0; i < r.nparams; i++) {
			const char *p = req_param(&r, i);
			FUZZ_ASSERT(p && *p, "empty parameter %d in %s", i, path);
			FUZZ_ASSERT(!strchr(p, '/'), "parameter %d spans segments in %s", i, path);
			int64_t id = req_param_id(&r, i);
			FUZZ_ASSERT(id == -1 || id > 0, "id %lld in %s", (long long)id, path);
		}
	}
	if (st == 405)
		FUZZ_ASSERT(allowed && !(allowed & (r.method == HTTP_HEAD ? HTTP_GET : r.method)), "405 with allowed %d for %s", allowed, path);
	arena_free(r.arena);
	free(path);
	return 0;
}
