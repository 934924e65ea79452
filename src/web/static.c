/* Static assets written here: the stylesheet and the icon. Served with a
 * long cache lifetime; the stylesheet has no external dependency. */
#include <string.h>

#include "web/web.h"

static const char stylesheet[] =
	":root{--bg:#f6f7f9;--fg:#1c2330;--muted:#4f5b6d;--card:#fff;--line:#d5dae1;"
	"--accent:#0b5cad;--accent-fg:#fff;--accent-soft:#e4eefa;--ok:#1d6b35;--ok-bg:#e5f4ea;"
	"--err:#a4161a;--err-bg:#fbe9ea;--radius:10px;--shadow:0 1px 3px rgba(20,30,50,.08);"
	"font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif;"
	"line-height:1.5;color-scheme:light dark}\n"
	"@media (prefers-color-scheme:dark){:root{--bg:#12161c;--fg:#e6eaf0;--muted:#a9b4c3;--card:#1b2129;"
	"--line:#323b47;--accent:#7db4f0;--accent-fg:#0d1620;--accent-soft:#1f2d3d;--ok:#8fd8a4;"
	"--ok-bg:#17301f;--err:#f4a3a6;--err-bg:#3a1a1c;--shadow:none}}\n"
	"*{box-sizing:border-box}\n"
	"body{margin:0;background:var(--bg);color:var(--fg);font-size:1rem;overflow-wrap:anywhere;"
	"min-height:100vh;display:flex;flex-direction:column}\n"
	"main{flex:1 0 auto;width:100%}\n"
	"a{color:var(--accent)}a:hover{text-decoration-thickness:2px}\n"
	":focus-visible{outline:3px solid var(--accent);outline-offset:2px}\n"
	".badge{display:inline-block;min-width:1.4em;padding:0 .4em;border-radius:999px;background:var(--err);"
	"color:var(--card);font-size:.8rem;font-weight:700;text-align:center;line-height:1.4}\n"
	".pill{display:inline-block;border:1px solid var(--line);border-radius:999px;padding:0 .6rem;font-size:.85rem;"
	"color:var(--muted)}\n"
	".post-body{line-height:1.6}.post-body img{max-width:100%}.post-body pre{overflow-x:auto;"
	"background:var(--bg);padding:.6rem;border-radius:6px}.post-body blockquote,blockquote.quote{border-left:4px solid "
	"var(--line);margin:.5rem 0;padding:.2rem .8rem;color:var(--muted)}\n"
	".post-body table{border-collapse:collapse}.post-body td,.post-body th{border:1px solid var(--line)}\n"
	".meta{color:var(--muted);font-size:.9rem;margin:.2rem 0 .6rem}\n"
	".reply{border-top:1px solid var(--line);padding:.8rem 0}.reply:first-child{border-top:none}\n"
	".hidden-item{opacity:.75;border-left:4px solid var(--err);padding-left:.6rem}\n"
	".unread{font-weight:700}\n"
	".diff{font-family:ui-monospace,monospace;white-space:pre-wrap;font-size:.9rem}"
	".diff .add{background:var(--ok-bg);color:var(--ok)}.diff .del{background:var(--err-bg);color:var(--err);"
	"text-decoration:line-through}\n"
	".home-layout{display:grid;gap:1rem;grid-template-columns:1fr}\n"
	"@media (min-width:60rem){.home-layout{grid-template-columns:2fr 1fr}}\n"
	".tabs{display:flex;flex-wrap:wrap;gap:.5rem;list-style:none;padding:0;margin:0 0 1rem}\n"
	".tabs a{display:inline-block;padding:.3rem .8rem;border-radius:999px;border:1px solid var(--line);"
	"text-decoration:none}.tabs a[aria-current]{background:var(--accent);color:var(--accent-fg);border-color:var(--accent)}\n"
	".visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}\n"
	".skip{position:absolute;left:-999px;top:0;background:var(--card);padding:.5rem 1rem;z-index:10}\n"
	".skip:focus{left:.5rem}\n"
	".bar{max-width:72rem;margin:0 auto;padding:.6rem 1rem;display:flex;flex-wrap:wrap;"
	"align-items:center;justify-content:space-between;gap:.5rem 1rem}\n"
	"header.site{background:var(--card);border-bottom:1px solid var(--line);box-shadow:var(--shadow)}\n"
	".brand{font-weight:700;font-size:1.25rem;text-decoration:none;color:var(--fg)}\n"
	".logo{color:var(--accent)}\n"
	"nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem .9rem;align-items:center}\n"
	"nav a{text-decoration:none;padding:.3rem .1rem}nav a[aria-current]{font-weight:600;"
	"border-bottom:2px solid var(--accent)}\n"
	"main{max-width:72rem;margin:0 auto;padding:1.5rem 1rem 3rem;outline:none}\n"
	"footer.site{border-top:1px solid var(--line);color:var(--muted);font-size:.9rem}\n"
	"footer.site p{margin:0}\n"
	"h1{font-size:1.75rem;line-height:1.25;margin:.2rem 0 1rem}h2{font-size:1.2rem;margin:0 0 .6rem}"
	"h3{font-size:1rem;margin:1rem 0 .3rem}.card>h2:not(:first-child){margin-top:1.5rem}\n"
	"ul.cards{list-style:none;padding:0;margin:0 0 1rem}ul.cards>li{margin:0}\n"
	".filters label{margin-top:0}.filters{align-items:end}\n"
	".card{background:var(--card);border:1px solid var(--line);border-radius:var(--radius);"
	"padding:1.25rem;box-shadow:var(--shadow);margin-bottom:1rem}\n"
	".narrow{max-width:34rem;margin-left:auto;margin-right:auto}\n"
	".grid{display:grid;gap:1rem;grid-template-columns:repeat(auto-fill,minmax(min(100%,20rem),1fr))}\n"
	".hero{padding:2.5rem 0 1.5rem}.hero h1{font-size:2.2rem}.hero p.lead{font-size:1.15rem;"
	"color:var(--muted);max-width:40rem}\n"
	".actions{display:flex;flex-wrap:wrap;gap:.75rem;margin-top:1rem;align-items:center}\n"
	".button,button{display:inline-block;font:inherit;font-weight:600;background:var(--accent);"
	"color:var(--accent-fg);border:1px solid var(--accent);border-radius:8px;padding:.5rem 1rem;"
	"text-decoration:none;cursor:pointer}\n"
	".button.secondary,button.secondary{background:transparent;color:var(--accent)}\n"
	"button.link{background:none;border:none;color:var(--accent);padding:.3rem .1rem;font-weight:400;"
	"text-decoration:underline}\n"
	"nav button.link{text-decoration:none}nav button.link:hover{text-decoration:underline}\n"
	"button.danger{background:var(--err);border-color:var(--err);color:var(--card)}\n"
	"form.inline{display:inline;margin:0}\n"
	"label{display:block;font-weight:600;margin:.9rem 0 .3rem}\n"
	".hint{display:block;font-weight:400;color:var(--muted);font-size:.9rem}\n"
	"input,select,textarea{font:inherit;width:100%;padding:.5rem .6rem;border:1px solid var(--muted);"
	"border-radius:8px;background:var(--card);color:var(--fg)}\n"
	"label.check{display:flex;gap:.5rem;align-items:flex-start;font-weight:400}"
	"label.check input{width:auto;margin-top:.3rem}\n"
	"input[type=file]{border:1px dashed var(--muted)}\n"
	"textarea{min-height:7rem;resize:vertical}\n"
	"fieldset{border:1px solid var(--line);border-radius:var(--radius);margin:1rem 0;padding:.5rem 1rem 1rem}\n"
	"legend{font-weight:700;padding:0 .3rem}\n"
	".notice{padding:.7rem 1rem;border-radius:8px;margin:0 0 1rem}\n"
	".notice-ok{background:var(--ok-bg);color:var(--ok)}.notice-error{background:var(--err-bg);color:var(--err)}\n"
	".muted{color:var(--muted)}\n"
	".tags{list-style:none;padding:0;margin:.3rem 0;display:flex;flex-wrap:wrap;gap:.4rem}\n"
	".tags li{background:var(--accent-soft);border-radius:999px;padding:.1rem .7rem;font-size:.9rem}\n"
	".avatar{width:4rem;height:4rem;border-radius:50%;object-fit:cover;background:var(--accent-soft);"
	"display:inline-flex;align-items:center;justify-content:center;font-weight:700;font-size:1.4rem;"
	"color:var(--accent);flex:none}\n"
	".avatar.large{width:7rem;height:7rem;font-size:2.4rem}\n"
	".person{display:flex;gap:1rem;align-items:center}\n"
	".person h1,.person h2{margin:0}\n"
	"table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.5rem;border-bottom:1px solid var(--line);"
	"vertical-align:top}\n"
	".table-wrap{overflow-x:auto}\n"
	".status{font-size:3rem;font-weight:800;color:var(--accent);margin:0}\n"
	".empty{color:var(--muted);font-style:italic}\n"
	"ul.plain{list-style:none;padding:0;margin:0}ul.plain li{padding:.5rem 0;border-bottom:1px solid var(--line)}\n"
	"ul.plain li:last-child{border-bottom:none}\n"
	"dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem;margin:0}\n"
	"dl.facts dt{font-weight:600;color:var(--muted)}dl.facts dd{margin:0}\n"
	"@media (max-width:40rem){.hero h1{font-size:1.7rem}dl.facts{grid-template-columns:1fr}"
	"dl.facts dd{margin-bottom:.4rem}}\n";

static const char favicon[] =
	"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 32 32\">"
	"<rect width=\"32\" height=\"32\" rx=\"7\" fill=\"#0b5cad\"/>"
	"<path d=\"M7 20c3-8 15-8 18 0\" stroke=\"#fff\" stroke-width=\"3.5\" fill=\"none\" "
	"stroke-linecap=\"round\"/></svg>";

/* Progressive enhancement: the header's unread count follows live events.
 * Pages work the same without it. */
static const char live_js[] =
	"(function () {\n"
	"  'use strict';\n"
	"  if (!window.EventSource || !document.body.dataset.live) return;\n"
	"  var link = document.querySelector('a[href=\"/notifications\"]');\n"
	"  if (!link) return;\n"
	"  var label = link.dataset.unreadLabel || '';\n"
	"  function show(n) {\n"
	"    var badge = link.querySelector('.badge');\n"
	"    if (n > 0) {\n"
	"      if (!badge) { badge = document.createElement('span'); badge.className = 'badge'; link.appendChild(document.createTextNode(' ')); link.appendChild(badge); }\n"
	"      badge.textContent = String(n);\n"
	"      var sr = document.createElement('span'); sr.className = 'visually-hidden'; sr.textContent = ' ' + label; badge.appendChild(sr);\n"
	"    } else if (badge) { badge.remove(); }\n"
	"  }\n"
	"  var es = new EventSource('/events');\n"
	"  es.addEventListener('unread', function (e) {\n"
	"    try { show(JSON.parse(e.data).unread); } catch (err) { /* ignore a malformed event */ }\n"
	"  });\n"
	"  window.addEventListener('pagehide', function () { es.close(); });\n"
	"})();\n";

/* GET /static/:name */
void web_static(struct request *r)
{
	const char *name = r->params[0];

	if (!strcmp(name, "style.css")) {
		resp_text(r, 200, "text/css; charset=utf-8", stylesheet);
	} else if (!strcmp(name, "live.js")) {
		resp_text(r, 200, "text/javascript; charset=utf-8", live_js);
	} else if (!strcmp(name, "favicon.svg")) {
		resp_text(r, 200, "image/svg+xml", favicon);
	} else {
		web_error_page(r, 404);
		return;
	}
	resp_header(r, "Cache-Control", "public, max-age=3600");
}
