#include "util/markdown.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static pthread_once_t once = PTHREAD_ONCE_INIT;

static void init(void)
{
	cmark_gfm_core_extensions_ensure_registered();
}

static void attach(cmark_parser *p, const char *name)
{
	cmark_syntax_extension *e = cmark_find_syntax_extension(name);

	if (e)
		cmark_parser_attach_syntax_extension(p, e);
}

/* malloc'ed HTML, or NULL when out of memory. */
static char *render(const char *md)
{
	/* No CMARK_OPT_UNSAFE: raw HTML and dangerous URLs are omitted. */
	const int opts = CMARK_OPT_DEFAULT | CMARK_OPT_STRIKETHROUGH_DOUBLE_TILDE;
	cmark_parser *p;
	cmark_node *doc;
	char *html;

	pthread_once(&once, init);
	p = cmark_parser_new(opts);
	if (!p)
		return NULL;
	attach(p, "table");
	attach(p, "strikethrough");
	attach(p, "autolink");
	attach(p, "tasklist");
	cmark_parser_feed(p, md, strlen(md));
	doc = cmark_parser_finish(p);
	html = doc ? cmark_render_html(doc, opts, cmark_parser_get_syntax_extensions(p)) : NULL;
	if (doc)
		cmark_node_free(doc);
	cmark_parser_free(p);
	return html;
}

struct safe_html markdown_render(struct arena *a, const char *md)
{
	struct safe_html out = { NULL };
	char *html = render(md ? md : "");

	if (html) {
		out.html = arena_strdup(a, html);
		free(html);
	}
	return out;
}
