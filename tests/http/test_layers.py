"""The layers point down only. Every file under src/ is read and its
#include "dir/file.h" lines parsed: a file may include its own folder's
headers and those of a lower layer, never a higher one nor a sibling.

    util  <  store, i18n  <  domain  <  http  <  api, web  <  cmd  <  main.c

(store and i18n are siblings, so are api and web: neither includes the
other; shared input of pages and API lives in http/, e.g. doc_form.c,
search_params.c.) The server is not needed: this module runs once."""
import os
import re

RUN_IN = ("sqlite",)

SRC = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "src")
RANK = {"util": 0, "store": 1, "i18n": 1, "domain": 2, "http": 3, "api": 4, "web": 4, "cmd": 5, "": 6}
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')


def layer_of(rel):
    """The layer of a path relative to src/ ('' for src/main.c)."""
    return rel.split("/")[0] if "/" in rel else ""


def includes():
    """(file, line number, included path) for every #include "..." under src/."""
    out = []
    for root, _, files in os.walk(SRC):
        for f in sorted(files):
            if not f.endswith((".c", ".h")):
                continue
            path = os.path.join(root, f)
            rel = os.path.relpath(path, SRC)
            with open(path, encoding="utf-8") as fh:
                for n, line in enumerate(fh, 1):
                    m = INCLUDE.match(line)
                    if m and m.group(1) == '"':
                        out.append((rel, n, m.group(2)))
    return out


def problems():
    bad = []
    for rel, n, inc in includes():
        mine, theirs = layer_of(rel), layer_of(inc)
        if mine not in RANK or "/" not in inc or theirs not in RANK or theirs == "":
            bad.append(f"{rel}:{n}: #include \"{inc}\": not a header of a known layer")
        elif theirs != mine and RANK[theirs] >= RANK[mine]:
            bad.append(f"{rel}:{n}: {mine or 'main.c'} includes {inc} ({theirs} is not below it)")
    return bad


def test_every_file_is_read(srv):
    found = includes()
    files = {rel for rel, _, _ in found}
    assert len(found) > 300 and "http/server.c" in files and "main.c" in files, len(found)
    # The parser sees what the checks need: a known downward include.
    assert ("http/server.c", "http/router.h") in {(f, i) for f, _, i in found}


def test_includes_point_down(srv):
    bad = problems()
    assert not bad, "\n".join(bad)


def test_the_check_catches_an_upward_include(srv):
    """The rule itself: what it would say of includes that must fail."""
    def verdict(rel, inc):
        mine, theirs = layer_of(rel), layer_of(inc)
        return theirs != mine and RANK[theirs] >= RANK[mine]
    assert verdict("http/server.c", "web/web.h")
    assert verdict("domain/posts.c", "http/request.h")
    assert verdict("web/documents.c", "api/documents.h")
    assert verdict("store/db.c", "i18n/i18n.h")
    assert not verdict("web/layout.c", "http/auth.h")
    assert not verdict("domain/posts.c", "i18n/i18n.h")
    assert not verdict("main.c", "cmd/cmd.h")
