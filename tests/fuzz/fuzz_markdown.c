/* util/markdown.c: any text renders to HTML that keeps no raw markup of its
 * own (cmark-gfm safe mode): no <script, no on...= handler, no javascript: link. */
#include "fuzz.h"

#include <strings.h>

#include "util/arena.h"
#include "util/markdown.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 64 * 1024)
		return 0;
	char *md = fuzz_string(data, size);
	struct arena *a = arena_new();
	FUZZ_ASSERT(a, "no arena");
	struct safe_html h = markdown_render(a, md);
	if (h.html) {
		FUZZ_ASSERT(!strcasestr(h.html, "<script"), "script element in %s", h.html);
		FUZZ_ASSERT(!strcasestr(h.html, "<iframe"), "iframe in %s", h.html);
		FUZZ_ASSERT(!strcasestr(h.html, "href=\"javascript:"), "javascript link in %s", h.html);
		FUZZ_ASSERT(!strcasestr(h.html, "src=\"javascript:"), "javascript source in %s", h.html);
	}
	arena_free(a);
	free(md);
	return 0;
}
