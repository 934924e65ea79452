"""First-party statistics (issue 24): what the console counts equals what this
test did; the CNIL's rules (no IP column, pseudonyms, rollup then expiry by
the domain clock, the member's objection, Do Not Track / Global Privacy
Control); 404 to everyone but admins on every statistics route; CSV read
back; bad parameters answer 422."""
import csv
import datetime
import io
import os
import sqlite3
import subprocess
import time
import zoneinfo

from lib import expect

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
METRICS = ["signups", "active", "return_rate", "visit_duration", "views", "hour_of_day", "groups_by_kind",
           "contributors", "purpose"]
S = {}


def paris_noon(days_ago):
    """10:00 in Paris, days_ago days before today (Unix seconds), and the start of that day."""
    d = datetime.datetime.now(PARIS).date() - datetime.timedelta(days=days_ago)
    start = datetime.datetime(d.year, d.month, d.day, tzinfo=PARIS)
    return int((start + datetime.timedelta(hours=10)).timestamp()), int(start.timestamp())


def stat(srv, metric, query="", token=None):
    r = srv.api("GET", f"/admin/stats/{metric}{query}", token=token or S["ta"])
    assert r.status == 200, (metric, query, r)
    return r.json()


def rows(doc):
    return {x["key"]: x["value"] for x in doc["rows"]}


def day_value(doc, day):
    vals = [p["value"] for p in doc["series"] if p["t"] == day]
    assert len(vals) == 1, (day, doc)
    return vals[0]


def housekeeping(srv):
    r = subprocess.run([srv.bin, "housekeeping", "--data", srv.data, *srv.db_args],
                       capture_output=True, text=True, env=srv.env, timeout=120)
    assert r.returncode == 0, r.stderr
    return r.stdout


def sql(srv, query):
    """Rows of a query on the live database (sqlite3 or psql): [[str, ...]]."""
    if srv.db_args:
        out = subprocess.run(["psql", srv.db_args[1], "-At", "-F", "\t", "-c", query],
                             check=True, capture_output=True, text=True).stdout
        return [line.split("\t") for line in out.splitlines() if line]
    db = sqlite3.connect(f"file:{os.path.join(srv.data, 'respire.db')}?mode=ro", uri=True)
    try:
        return [[str(c) for c in row] for row in db.execute(query).fetchall()]
    finally:
        db.close()


def columns(srv, table):
    if srv.db_args:
        return [r[0] for r in sql(srv, "SELECT column_name FROM information_schema.columns WHERE table_name = "
                                       f"'{table}' AND table_schema = current_schema()")]
    return [r[1] for r in sql(srv, f"PRAGMA table_info({table})")]


def test_setup(srv):
    S["admin"], S["ta"] = srv.member("stats.admin@ac-lyon.fr", "Admin Stats", admin=True)
    S["m"], S["tm"] = srv.member("stats.membre@ac-lyon.fr", "Membre Stats")
    S["now"] = int(time.time())


def test_every_statistics_route_answers_404_to_non_admins(srv):
    w = srv.web()
    w.login("stats.membre@ac-lyon.fr")
    paths = ["/admin/stats"] + [f"/admin/stats/{m}" for m in METRICS + ["nothing"]]
    for p in paths:
        for q in ["", "?format=csv", "?from=1&to=2"]:
            for token in [S["tm"], None]:
                r = srv.api("GET", p + q, token=token)
                assert r.status == 404, (p + q, token, r)
                assert "series" not in r.text and "rows" not in r.text
            assert w.get(p + q).status == 404, p + q
            assert srv.request("GET", p + q).status == 404, p + q  # a visitor too: nothing to see
    # other methods: nothing changes, nothing shown
    assert srv.api("POST", "/admin/stats/signups", {}, token=S["tm"]).status in (404, 405)
    # and an admin sees them
    assert srv.api("GET", "/admin/stats", token=S["ta"]).status == 200
    assert srv.api("GET", "/admin/stats/nothing", token=S["ta"]).status == 404


def test_statistics_equal_what_was_done(srv):
    """Everything on one past day (the domain clock), read for that day."""
    t0, day = paris_noon(20)
    S["day"], S["t0"] = day, t0
    q = f"?from={day}&to={day + 3600}"
    srv.set_clock(t0)
    # two sign-ups (addresses verified), one registration never verified
    a, ta = srv.register("stats.anna@ac-amiens.fr", "Anna Stats")
    b, tb = srv.register("stats.basile@ac-amiens.fr", "Basile Stats")
    expect(srv.api("POST", "/accounts", {"email": "stats.nul@ac-amiens.fr", "password": "une phrase de passe solide",
                                         "name": "Jamais"}), 201)
    c, tc = srv.register("stats.chloe@ac-amiens.fr", "Chloé Stats")
    # groups: a practice group, an administrative one (its name), a resources one
    g_prac = expect(srv.api("POST", "/groups", {"name": "Pratiques de classe", "kind": "practice",
                                                "visibility": "open"}, token=ta), 201)["id"]
    g_adm = expect(srv.api("POST", "/groups", {"name": "Direction du collège", "kind": "resources",
                                               "visibility": "closed"}, token=ta), 201)["id"]
    # Anna creates: a post in the practice group (pedagogical), one in the direction's group
    # (administrative), an announcement outside groups (administrative), a plain one (other)
    p1 = expect(srv.api("POST", "/posts", {"kind": "discussion", "title": "Séquence sur les fractions", "body": "Idées",
                                           "group_id": g_prac}, token=ta), 201)["id"]
    expect(srv.api("POST", "/posts", {"kind": "discussion", "title": "Emploi du temps", "body": "Planning",
                                      "group_id": g_adm}, token=ta), 201)
    expect(srv.api("POST", "/posts", {"kind": "blog", "title": "Annonce : réunion de rentrée", "body": "Le 2",
                                      "visibility": "members"}, token=ta), 201)
    expect(srv.api("POST", "/posts", {"kind": "blog", "title": "Un billet", "body": "Texte",
                                      "visibility": "members"}, token=ta), 201)
    # Basile joins and replies twice in the practice group (a contributor, pedagogical)
    expect(srv.api("POST", f"/groups/{g_prac}/join", token=tb), 200)
    expect(srv.api("POST", f"/posts/{p1}/replies", {"body": "Merci"}, token=tb), 201)
    expect(srv.api("POST", f"/posts/{p1}/replies", {"body": "Essayé"}, token=tb), 201)
    # Chloé only reads: a visit of three pages a minute apart, then another page 40 minutes later
    w = srv.web()
    srv.set_clock(t0 + 600)
    w.login("stats.chloe@ac-amiens.fr")           # one visitor page (/login) and one member page (/)
    srv.set_clock(t0 + 660)
    assert w.get("/groups").status == 200
    srv.set_clock(t0 + 720)
    assert w.get(f"/posts/{p1}").status == 200
    srv.set_clock(t0 + 720 + 2400)
    assert w.get("/").status == 200
    # pages that are not pages seen: an error, an API read, a redirect
    assert w.get("/posts/999999").status == 404
    assert srv.api("GET", "/feed", token=tc).status == 200
    # a visitor's page
    assert srv.request("GET", "/").status == 200

    assert day_value(stat(srv, "signups", q), day) == 3
    assert day_value(stat(srv, "active", q), day) == 3              # Anna, Basile, Chloé
    assert day_value(stat(srv, "views", q), day) == 6               # Chloé 4, visitors 2 (/login, /)
    # Chloé: visits (/, /groups, /posts) = 120 s, then (/) = 0 s: 2 visits, 60 s on average
    assert day_value(stat(srv, "visit_duration", q), day) == 60
    assert rows(stat(srv, "contributors", q)) == {"creators": 1, "contributors": 1, "readers": 1}
    assert rows(stat(srv, "purpose", q)) == {"pedagogical": 3, "administrative": 2, "other": 1}
    hours = rows(stat(srv, "hour_of_day", q))
    assert len(hours) == 24 and sum(hours.values()) == 6 + 2 + 4 + 2  # pages, groups, posts, replies
    assert hours["10"] == 14
    kinds = rows(stat(srv, "groups_by_kind", q))
    assert kinds["practice"] >= 1 and kinds["resources"] >= 1
    # an academy alone: the three addresses are of Amiens, the visitors of none
    assert day_value(stat(srv, "signups", q + "&academy=Amiens"), day) == 3
    assert day_value(stat(srv, "signups", q + "&academy=Lyon"), day) == 0
    assert day_value(stat(srv, "active", q + "&academy=Amiens"), day) == 3
    assert day_value(stat(srv, "views", q + "&academy=Amiens"), day) == 4
    assert rows(stat(srv, "contributors", q + "&academy=Lyon")) == {"creators": 0, "contributors": 0, "readers": 0}
    S["ids"] = [a, b, c]
    srv.set_clock(None)


def test_previous_period_and_csv(srv):
    day, t0 = S["day"], S["t0"]
    next_day = stat(srv, "signups", f"?from={day + 86400 + 7200}&to={day + 86400 + 7200}")
    assert next_day["series"][0]["value"] == 0
    assert next_day["previous"]["series"][0]["t"] == day and next_day["previous"]["series"][0]["value"] == 3
    # a week ending on that day: 7 rows, the day last
    week = stat(srv, "signups", f"?from={t0 - 6 * 86400}&to={t0}")
    assert len(week["series"]) == 7 and week["series"][-1]["t"] == day and week["series"][-1]["value"] == 3
    assert len(week["previous"]["series"]) == 7 and week["previous"]["to"] == week["from"] - 1
    # weeks and months
    wk = stat(srv, "active", f"?from={t0}&to={t0}&period=week")
    assert wk["period"] == "week" and len(wk["series"]) == 1 and wk["series"][0]["value"] == 3
    mo = stat(srv, "active", f"?from={t0}&to={t0}&period=month")
    same_month = datetime.datetime.fromtimestamp(t0, PARIS).month == datetime.datetime.now(PARIS).month
    assert mo["series"][0]["value"] == 3 + same_month  # the member who looked at the console today
    start = datetime.datetime.fromtimestamp(mo["series"][0]["t"], PARIS)
    assert (start.day, start.hour, start.minute) == (1, 0, 0)
    # CSV, read back: the same figures as the JSON
    for metric in METRICS:
        doc = stat(srv, metric, f"?from={t0 - 86400}&to={t0}")
        r = srv.api("GET", f"/admin/stats/{metric}?from={t0 - 86400}&to={t0}&format=csv", token=S["ta"])
        assert r.status == 200 and r.headers["content-type"].startswith("text/csv"), r
        got = list(csv.DictReader(io.StringIO(r.text)))
        if "series" in doc:
            assert [int(x["t"]) for x in got] == [p["t"] for p in doc["series"]]
            assert [float(x["value"]) for x in got] == [p["value"] for p in doc["series"]]
            assert [float(x["previous"]) for x in got] == [p["value"] for p in doc["previous"]["series"]]
            assert all(x["date"] == datetime.datetime.fromtimestamp(int(x["t"]), PARIS).strftime("%Y-%m-%d")
                       for x in got)
        else:
            assert {x["key"]: float(x["value"]) for x in got} == rows(doc)
    # the page's CSV link, with the session
    w = srv.web()
    w.login("stats.admin@ac-lyon.fr")
    r = w.get(f"/admin/stats/purpose?from={t0}&to={t0}&format=csv")
    assert r.status == 200 and r.text.splitlines()[0] == "key,value,previous"
    assert "pedagogical,3," in r.text


def test_bad_parameters_answer_422(srv):
    t = S["now"]
    for q in [f"?from={t}&to={t - 86400 * 2}", "?period=year", "?period=", f"?from={t - 3650 * 86400}&to={t}",
              "?from=abc", "?to=12x", "?from=2026-02-30", "?academy=Atlantide", "?format=xml", "?from=0",
              f"?to={10 ** 13}"]:
        if q == "?period=":
            continue  # empty means the default
        r = srv.api("GET", f"/admin/stats/active{q}", token=S["ta"])
        assert r.status == 422, (q, r)
        assert r.json()["error"]["code"] == "invalid_field", r
    w = srv.web()
    w.login("stats.admin@ac-lyon.fr")
    assert w.get("/admin/stats?from=2026-12-10&to=2026-12-01").status == 422
    assert w.get("/admin/stats/signups?period=fortnight").status == 422
    assert w.get("/admin/stats/signups?format=csv&from=2016-01-01&to=2026-01-01").status == 422
    # the longest period answered: 25 months
    assert srv.api("GET", f"/admin/stats/signups?from={t - 700 * 86400}&to={t}", token=S["ta"]).status == 200


def test_pages_draw_each_metric(srv):
    w = srv.web()
    w.login("stats.admin@ac-lyon.fr")
    day = S["day"]
    d = datetime.datetime.fromtimestamp(day, PARIS).strftime("%Y-%m-%d")
    r = w.get(f"/admin/stats?from={d}&to={d}")
    assert r.status == 200, r
    assert r.text.count('<figure class="chart"') == len(METRICS)
    assert r.text.count('class="chart-svg"') == len(METRICS) and "<table>" in r.text
    assert 'href="/admin"' in r.text and "format=csv" in r.text
    assert "<script" not in r.text.split("</main>")[0].split("<main")[1]
    r = w.get(f"/admin/stats/signups?from={d}&to={d}")
    assert r.status == 200 and '<figure class="chart" id="chart-signups"' in r.text
    assert "Période précédente" in r.text


def test_no_ip_and_pseudonyms_only(srv):
    for table in ["stats_events", "stats_member_days", "stats_daily"]:
        cols = columns(srv, table)
        assert cols, table
        for c in cols:
            assert "ip" not in c.split("_") and "addr" not in c and c not in (
                "user_id", "member_id", "actor_id", "email", "user_agent", "session_id"), (table, c)
    pids = [r[0] for r in sql(srv, "SELECT DISTINCT pid FROM stats_events WHERE pid IS NOT NULL")]
    assert pids
    ids = {str(i) for i in S["ids"] + [S["m"], S["admin"]]}
    for p in pids:
        assert len(p) == 32 and all(ch in "0123456789abcdef" for ch in p) and p not in ids
    # the key is in the files folder, readable by the owner only
    key = os.path.join(srv.data, "stats.key")
    assert oct(os.stat(key).st_mode & 0o777) == "0o600"


def test_opt_out_and_do_not_track_record_nothing(srv):
    t1, day = paris_noon(15)
    q = f"?from={day}&to={day}"
    srv.set_clock(t1)
    mid, tok = srv.member("stats.discret@ac-lyon.fr", "Discret Stats")
    assert expect(srv.api("GET", "/me/statistics", token=tok), 200) == {"opt_out": False}
    assert srv.api("PUT", "/me/statistics", {"opt_out": "oui"}, token=tok).status == 422
    assert expect(srv.api("PUT", "/me/statistics", {"opt_out": True}, token=tok), 200) == {"opt_out": True}
    w = srv.web()
    w.login("stats.discret@ac-lyon.fr")    # its /login page is a visitor's: counted as such
    for p in ["/", "/groups", "/search?q=fractions"]:
        assert w.get(p).status == 200
    expect(srv.api("POST", "/posts", {"kind": "blog", "title": "Rien", "body": "Rien", "visibility": "members"},
                   token=tok), 201)
    # Do Not Track and Global Privacy Control: nothing about these requests
    m = srv.web()
    m.login("stats.membre@ac-lyon.fr")    # one visitor page, one member page
    for h in [{"DNT": "1"}, {"Sec-GPC": "1"}]:
        assert m.get("/groups", headers=h).status == 200
        expect(srv.api("POST", "/posts", {"kind": "blog", "title": "Rien non plus", "body": "x",
                                          "visibility": "members"}, token=S["tm"], headers=h), 201)
        assert srv.request("GET", "/", headers=h).status == 200
    assert day_value(stat(srv, "active", q), day) == 1        # the member, before DNT
    assert day_value(stat(srv, "views", q), day) == 3         # two /login pages, the member's /
    assert rows(stat(srv, "contributors", q)) == {"creators": 0, "contributors": 0, "readers": 1}
    assert sum(rows(stat(srv, "purpose", q)).values()) == 0
    # the page to choose, with its CSRF-protected form
    r = w.get("/me/statistics")
    assert r.status == 200 and 'value="1" checked' in r.text
    assert w.post("/me/statistics", {"opt_out": "0"}, csrf=False).status == 403
    assert w.post("/me/statistics", {"opt_out": "0"}).status == 303
    assert expect(srv.api("GET", "/me/statistics", token=tok), 200) == {"opt_out": False}
    srv.set_clock(None)


def test_rollup_then_expiry_by_the_domain_clock(srv):
    day, t0 = S["day"], S["t0"]
    q = f"?from={day}&to={day}"
    before = {m: stat(srv, m, q) for m in METRICS}
    assert int(sql(srv, f"SELECT COUNT(*) FROM stats_events WHERE day = {day}")[0][0]) > 0
    # the day after: raw events of the days that are over are rolled up, then removed
    srv.set_clock(t0 + 86400 + 3600)
    housekeeping(srv)
    assert int(sql(srv, f"SELECT COUNT(*) FROM stats_events WHERE day <= {day}")[0][0]) == 0
    assert int(sql(srv, f"SELECT COUNT(*) FROM stats_member_days WHERE day = {day}")[0][0]) == 3
    after = {m: stat(srv, m, q) for m in METRICS}
    for m in METRICS:
        key = "series" if "series" in before[m] else "rows"
        assert after[m][key] == before[m][key], (m, before[m][key], after[m][key])
    # a member who comes back the next month counts as returning
    srv.set_clock(t0 + 10 * 86400)
    w = srv.web()
    w.login("stats.chloe@ac-amiens.fr")
    d10 = paris_noon(10)[1]
    rr = stat(srv, "return_rate", f"?from={d10}&to={d10}")
    assert day_value(rr, d10) == 100.0, rr
    key_before = open(os.path.join(srv.data, "stats.key")).read()
    # 13 months later: the pseudonymous rows are gone, the daily counts stay
    srv.set_clock(t0 + 400 * 86400)
    housekeeping(srv)
    assert int(sql(srv, f"SELECT COUNT(*) FROM stats_member_days WHERE day = {day}")[0][0]) == 0
    assert open(os.path.join(srv.data, "stats.key")).read() != key_before  # a new key, the old one forgotten
    ta = srv.login("stats.admin@ac-lyon.fr")
    assert day_value(stat(srv, "signups", q, token=ta), day) == 3
    assert day_value(stat(srv, "active", q, token=ta), day) == 3
    assert rows(stat(srv, "contributors", q, token=ta)) == {"creators": 0, "contributors": 0, "readers": 0}
    # 25 months later: nothing is left of that day
    srv.set_clock(t0 + 770 * 86400)
    housekeeping(srv)
    assert int(sql(srv, f"SELECT COUNT(*) FROM stats_daily WHERE day <= {day}")[0][0]) == 0
    ta = srv.login("stats.admin@ac-lyon.fr")
    far = stat(srv, "signups", f"?from={day}&to={day}", token=ta)
    assert day_value(far, day) == 0
    srv.set_clock(None)
    S["ta"] = srv.login("stats.admin@ac-lyon.fr")
