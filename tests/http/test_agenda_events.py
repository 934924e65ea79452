"""Events and registrations (issue 20, domain/agenda.c; the file is named
"agenda" beside test_events.py, the live stream): every route and role
(visitor, member, registered, waitlisted, organiser, group owner, admin,
outsider of a private group), capacity and the waiting list's promotion,
concurrent registrations for the last place, the end of an event through
the domain clock, the .ics parsed by a real iCalendar parser across a
change of summer time, the organisers' CSV parsed back, bad input, pages."""
import csv
import datetime
import io
import sys
import threading
import time

try:
    import icalendar
except ImportError:          # Debian's python3-icalendar under another Python
    sys.path.append("/usr/lib/python3/dist-packages")
    import icalendar

from lib import expect

W = {}
DAY = 86400
UTC = datetime.timezone.utc


def api(srv, who, method, path, body=None):
    return srv.api(method, path, body, token=W.get("t" + who) if who else None,
                   headers={"Accept": "application/json"} if method == "GET" else None)


def soon(days=10, hours=2):
    start = (int(time.time()) // 3600 + days * 24) * 3600
    return start, start + hours * 3600


def event(**kw):
    s, e = soon()
    body = {"title": "Journée de l'innovation", "description": "Des **ateliers** et des rencontres.",
            "starts_at": s, "ends_at": e, "place": "Lycée Jean Zay, Orléans", "capacity": 2,
            "visibility": "members"}
    body.update(kw)
    return body


def test_world(srv):
    for k in ("org", "ann", "bob", "cat", "dan", "out", "owner", "gm", "admin"):
        W[k], W["t" + k] = srv.member("agenda.%s@ac-orleans-tours.fr" % k, "Agenda %s" % k.capitalize(),
                                      admin=(k == "admin"))
    # a secret group: owner, gm a member; out is an outsider
    W["secret"] = expect(api(srv, "owner", "POST", "/groups", {"name": "Groupe secret agenda", "description": "d",
                                                                "kind": "practice", "visibility": "secret"}), 201)["id"]
    expect(api(srv, "owner", "POST", "/groups/%s/invitations" % W["secret"], {"user_id": W["gm"]}), 201)
    expect(api(srv, "gm", "POST", "/groups/%s/join" % W["secret"]), 200)
    W["open"] = expect(api(srv, "owner", "POST", "/groups", {"name": "Groupe ouvert agenda", "description": "d",
                                                              "kind": "training", "visibility": "open"}), 201)["id"]
    W["pub"] = expect(api(srv, "org", "POST", "/events", event(visibility="public", capacity=0)), 201)["id"]
    W["full"] = expect(api(srv, "org", "POST", "/events", event(title="Atelier complet")), 201)["id"]
    W["sec"] = expect(api(srv, "gm", "POST", "/events", event(title="Réunion secrète", group_id=W["secret"],
                                                              visibility="group")), 201)["id"]


def test_create_answers_the_event(srv):
    x = expect(api(srv, "org", "GET", "/events/%s" % W["full"]), 200)
    assert x["title"] == "Atelier complet" and x["capacity"] == 2 and x["places_left"] == 2, x
    assert x["organiser"]["id"] == W["org"] and x["timezone"] == "Europe/Paris" and x["may_edit"], x
    assert "<strong>ateliers</strong>" in x["description_html"] and x["my_registration"] is None, x
    assert x["ics_url"].endswith("/events/%s.ics" % W["full"]) and x["call_id"] is None, x
    x = expect(api(srv, "org", "GET", "/events/%s" % W["pub"]), 200)
    assert x["capacity"] == 0 and x["places_left"] is None, x
    # the default visibility: members without a group, group in a closed or secret one
    e = expect(api(srv, "gm", "POST", "/events", event(group_id=W["secret"], visibility=None)), 201)
    assert e["visibility"] == "group" and e["group"]["id"] == W["secret"], e
    expect(api(srv, "gm", "DELETE", "/events/%s" % e["id"]), 204)


def test_visibility_per_role(srv):
    seen = {}
    for who in (None, "ann", "out", "gm", "owner", "admin"):
        seen[who] = tuple(api(srv, who, "GET", "/events/%s" % W[k]).status for k in ("pub", "full", "sec"))
    assert seen[None] == (200, 404, 404), seen
    assert seen["ann"] == (200, 200, 404), seen
    assert seen["out"] == (200, 200, 404), seen
    assert seen["admin"] == (200, 200, 404), seen      # admins read no secret group
    assert seen["gm"] == (200, 200, 200), seen
    assert seen["owner"] == (200, 200, 200), seen


def test_private_group_event_is_404_everywhere_to_outsiders(srv):
    sec = W["sec"]
    for who in ("out", None):
        assert api(srv, who, "GET", "/events/%s" % sec).status == 404
        assert srv.request("GET", "/events/%s.ics" % sec).status == 404
        assert srv.request("GET", "/events/%s/registrations.csv" % sec).status == 404
        assert srv.request("GET", "/events/%s" % sec).status == 404
    for method, path in (("POST", "/events/%s/registrations"), ("DELETE", "/events/%s/registrations/me"),
                         ("PATCH", "/events/%s"), ("DELETE", "/events/%s"), ("GET", "/events/%s/registrations")):
        r = api(srv, "out", method, path % sec, {"title": "x"} if method == "PATCH" else None)
        assert r.status == 404 and b"secr" not in r.body, (method, path, r)
    web = srv.web()
    web.login("agenda.out@ac-orleans-tours.fr")
    for path in ("/events/%s" % sec, "/events/%s.ics" % sec, "/events/%s/registrations.csv" % sec,
                 "/events/%s/edit" % sec):
        r = web.get(path)
        assert r.status == 404 and "secrète" not in r.text, (path, r)
    r = web.get("/events", headers={"Accept": "text/html"})
    assert r.status == 200 and "Réunion secrète" not in r.text and "Atelier complet" in r.text, r
    ids = [x["id"] for x in expect(api(srv, "out", "GET", "/events"), 200)["items"]]
    assert sec not in ids and W["full"] in ids and W["pub"] in ids, ids
    ids = [x["id"] for x in expect(api(srv, "gm", "GET", "/events"), 200)["items"]]
    assert sec in ids, ids
    # the search as well
    for who, found in (("out", False), ("gm", True)):
        items = expect(api(srv, who, "GET", "/search?q=secr%C3%A8te&type=event"), 200)["items"]
        assert any(i["id"] == sec and i["type"] == "event" for i in items) == found, (who, items)


def test_registration_capacity_waiting_list_and_promotion(srv):
    full = W["full"]
    assert expect(api(srv, "ann", "POST", "/events/%s/registrations" % full), 201) == {"state": "registered"}
    assert expect(api(srv, "bob", "POST", "/events/%s/registrations" % full), 201) == {"state": "registered"}
    assert expect(api(srv, "cat", "POST", "/events/%s/registrations" % full), 201) == {"state": "waitlisted"}
    assert expect(api(srv, "dan", "POST", "/events/%s/registrations" % full), 201) == {"state": "waitlisted"}
    # registering again is idempotent: the state already held, 200
    assert expect(api(srv, "cat", "POST", "/events/%s/registrations" % full), 200) == {"state": "waitlisted"}
    x = expect(api(srv, "dan", "GET", "/events/%s" % full), 200)
    assert x["my_registration"] == {"state": "waitlisted", "position": 2}, x
    assert x["registered_count"] == 2 and x["waitlisted_count"] == 2 and x["places_left"] == 0, x
    assert not x["may_edit"], x
    # cat wants mail for requests: the promotion reaches it by mail too
    expect(api(srv, "cat", "PATCH", "/me/notification-settings", {"request": "mail"}), 200)
    before = len(srv.mails("agenda.cat@ac-orleans-tours.fr"))
    expect(api(srv, "ann", "DELETE", "/events/%s/registrations/me" % full), 204)
    x = expect(api(srv, "cat", "GET", "/events/%s" % full), 200)
    assert x["my_registration"] == {"state": "registered", "position": None}, x
    x = expect(api(srv, "dan", "GET", "/events/%s" % full), 200)
    assert x["my_registration"] == {"state": "waitlisted", "position": 1}, x
    notes = expect(api(srv, "cat", "GET", "/notifications"), 200)["items"]
    assert notes[0]["kind"] == "event_promoted" and notes[0]["event_id"] == full, notes[0]
    assert notes[0]["title"] == "Atelier complet", notes[0]
    mails = srv.mails("agenda.cat@ac-orleans-tours.fr")
    assert len(mails) == before + 1 and "/events/%s" % full in mails[-1] and "Atelier complet" in mails[-1], mails
    # a waiting member who leaves promotes nobody
    expect(api(srv, "ann", "DELETE", "/events/%s/registrations/me" % full), 404, "not_registered")
    # the organiser raises the capacity: dan moves up, notified
    x = expect(api(srv, "org", "PATCH", "/events/%s" % full, {"capacity": 3}), 200)
    assert x["registered_count"] == 3 and x["waitlisted_count"] == 0, x
    notes = expect(api(srv, "dan", "GET", "/notifications"), 200)["items"]
    assert notes[0]["kind"] == "event_promoted", notes
    # a lower capacity removes nobody already registered
    x = expect(api(srv, "org", "PATCH", "/events/%s" % full, {"capacity": 1}), 200)
    assert x["registered_count"] == 3 and x["places_left"] == 0, x
    assert expect(api(srv, "ann", "POST", "/events/%s/registrations" % full), 201) == {"state": "waitlisted"}


def test_organisers_list_and_roles(srv):
    full, sec = W["full"], W["sec"]
    items = expect(api(srv, "org", "GET", "/events/%s/registrations" % full), 200)["items"]
    assert [i["state"] for i in items] == ["registered"] * 3 + ["waitlisted"], items
    assert items[-1]["user_id"] == W["ann"] and items[0]["email"].startswith("agenda."), items
    assert expect(api(srv, "admin", "GET", "/events/%s/registrations" % full), 200)["items"]
    for who in ("ann", "cat", "out"):
        expect(api(srv, who, "GET", "/events/%s/registrations" % full), 404)
        expect(api(srv, who, "PATCH", "/events/%s" % full, {"title": "Pris"}), 403, "forbidden")
        expect(api(srv, who, "DELETE", "/events/%s" % full), 403)
    # a group's owner organises its events; its plain members do not, but the creator does
    expect(api(srv, "owner", "PATCH", "/events/%s" % sec, {"place": "Salle B12"}), 200)
    expect(api(srv, "owner", "GET", "/events/%s/registrations" % sec), 200)
    assert expect(api(srv, "gm", "GET", "/events/%s" % sec), 200)["may_edit"]
    # an admin organises what it sees
    x = expect(api(srv, "admin", "PATCH", "/events/%s" % W["pub"], {"title": "Journée ouverte"}), 200)
    assert x["title"] == "Journée ouverte", x
    assert api(srv, None, "POST", "/events/%s/registrations" % W["pub"]).status == 401


def test_concurrent_registrations_for_the_last_place(srv):
    eid = expect(api(srv, "org", "POST", "/events", event(title="Dernière place", capacity=3)), 201)["id"]
    racers = []
    for i in range(8):
        uid, tok = srv.member("agenda.race%d@ac-orleans-tours.fr" % i, "Coureur %d" % i)
        racers.append(tok)
    expect(srv.api("POST", "/events/%s/registrations" % eid, token=racers[0]), 201)
    expect(srv.api("POST", "/events/%s/registrations" % eid, token=racers[1]), 201)
    states, gate = [], threading.Barrier(6)

    def run(tok):
        gate.wait()
        r = srv.api("POST", "/events/%s/registrations" % eid, token=tok)
        states.append((r.status, r.json().get("state")))

    threads = [threading.Thread(target=run, args=(t,)) for t in racers[2:]]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(states) == [(201, "registered")] + [(201, "waitlisted")] * 5, states
    x = expect(api(srv, "org", "GET", "/events/%s" % eid), 200)
    assert x["registered_count"] == 3 and x["waitlisted_count"] == 5, x
    # cancellations at once: each freed place is taken by exactly one waiting member
    gate2 = threading.Barrier(3)
    tokens = [racers[0], racers[1]]
    done = []

    def cancel(tok):
        gate2.wait()
        done.append(srv.api("DELETE", "/events/%s/registrations/me" % eid, token=tok).status)

    threads = [threading.Thread(target=cancel, args=(t,)) for t in tokens]
    threads.append(threading.Thread(target=run_once, args=(srv, eid, gate2, done)))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    x = expect(api(srv, "org", "GET", "/events/%s" % eid), 200)
    assert x["registered_count"] == 3 and x["waitlisted_count"] == 4, (x, done)


def run_once(srv, eid, gate, done):
    _, tok = srv.member("agenda.late@ac-orleans-tours.fr", "Retardataire")
    gate.wait()
    done.append(srv.api("POST", "/events/%s/registrations" % eid, token=tok).status)


def test_no_registration_after_the_end(srv):
    s, e = soon(days=3)
    eid = expect(api(srv, "org", "POST", "/events", event(title="Bientôt fini", starts_at=s, ends_at=e)), 201)["id"]
    expect(api(srv, "ann", "POST", "/events/%s/registrations" % eid), 201)
    try:
        srv.set_clock(e - 1)        # during the event: still open
        expect(api(srv, "bob", "POST", "/events/%s/registrations" % eid), 201)
        srv.set_clock(e)            # over
        expect(api(srv, "cat", "POST", "/events/%s/registrations" % eid), 422, "event_ended")
        expect(api(srv, "ann", "DELETE", "/events/%s/registrations/me" % eid), 422, "event_ended")
        # the agenda moves it to the past
        assert eid not in [x["id"] for x in expect(api(srv, "ann", "GET", "/events"), 200)["items"]]
        assert eid in [x["id"] for x in expect(api(srv, "ann", "GET", "/events?past=1"), 200)["items"]]
        web = srv.web()
        web.login("agenda.ann@ac-orleans-tours.fr")
        r = web.get("/events/%s" % eid)
        assert r.status == 200 and "les inscriptions sont closes" in r.text and "/register" not in r.text, r
        r = web.post("/events/%s/register" % eid)
        assert r.status == 422, r
    finally:
        srv.set_clock(None)
    expect(api(srv, "cat", "POST", "/events/%s/registrations" % eid), 201)


def paris(y, mo, d, h, mi=0):
    """A Paris wall-clock time as UTC seconds, by the EU rule (independent of the server's code)."""
    def last_sunday(month):
        day = datetime.date(y, month, 31)
        return day - datetime.timedelta(days=(day.weekday() + 1) % 7)
    naive = datetime.datetime(y, mo, d, h, mi)
    summer_from = datetime.datetime.combine(last_sunday(3), datetime.time(2))
    summer_to = datetime.datetime.combine(last_sunday(10), datetime.time(3))
    off = 2 if summer_from <= naive < summer_to else 1
    return int((naive - datetime.timedelta(hours=off)).replace(tzinfo=UTC).timestamp())


def test_ics_is_parsed_with_the_right_instants_across_summer_time(srv):
    # Saturday 27 March 2027 10:00 (CET, UTC+1) to Sunday 28 March 18:00 (CEST, UTC+2)
    s, e = paris(2027, 3, 27, 10), paris(2027, 3, 28, 18)
    assert s == int(datetime.datetime(2027, 3, 27, 9, tzinfo=UTC).timestamp())
    assert e == int(datetime.datetime(2027, 3, 28, 16, tzinfo=UTC).timestamp())
    long = "Une journée d'échanges, de démonstrations et d'ateliers ; avec des enseignants, des élèves\n" * 3
    title = "Séminaire, ateliers; bilan \\ suite"
    eid = expect(api(srv, "org", "POST", "/events", event(title=title, description=long, starts_at=s, ends_at=e,
                                                          visibility="public", url="https://visio.example.org/r/42")),
                 201)["id"]
    r = srv.request("GET", "/events/%s.ics" % eid)
    assert r.status == 200 and r.headers["content-type"].startswith("text/calendar"), r
    raw = r.body
    for line in raw.split(b"\r\n"):
        assert len(line) <= 75, line
    text = raw.decode()
    assert "DTSTART;TZID=Europe/Paris:20270327T100000\r\n" in text, text
    assert "DTEND;TZID=Europe/Paris:20270328T180000\r\n" in text, text
    assert "BEGIN:VTIMEZONE\r\nTZID:Europe/Paris" in text and "PRODID:" in text and "VERSION:2.0" in text
    assert "SUMMARY:Séminaire\\, ateliers\\; bilan \\\\ suite" in text.replace("\r\n ", ""), text
    cal = icalendar.Calendar.from_ical(raw)
    ev = [c for c in cal.walk() if c.name == "VEVENT"][0]
    assert ev.decoded("dtstart").astimezone(UTC) == datetime.datetime(2027, 3, 27, 9, tzinfo=UTC), ev
    assert ev.decoded("dtend").astimezone(UTC) == datetime.datetime(2027, 3, 28, 16, tzinfo=UTC), ev
    assert str(ev["summary"]) == title, ev["summary"]
    assert str(ev["description"]).startswith(long.rstrip("\n")), ev["description"]
    assert "https://visio.example.org/r/42" in str(ev["description"])
    assert str(ev["location"]) == "Lycée Jean Zay, Orléans"
    assert str(ev["url"]).endswith("/events/%s" % eid) and str(ev["uid"]).startswith("event-%s@" % eid), ev
    assert ev.decoded("dtstamp").tzinfo is not None
    tz = [c for c in cal.walk() if c.name == "VTIMEZONE"][0]
    assert str(tz["tzid"]) == "Europe/Paris"
    # an autumn event, by the same parser: 31 October 2027 09:00 Paris is 08:00 UTC (winter time again)
    s2, e2 = paris(2027, 10, 31, 9), paris(2027, 10, 31, 12)
    eid2 = expect(api(srv, "org", "POST", "/events", event(starts_at=s2, ends_at=e2, visibility="public")), 201)["id"]
    ev = [c for c in icalendar.Calendar.from_ical(srv.request("GET", "/events/%s.ics" % eid2).body).walk()
          if c.name == "VEVENT"][0]
    assert ev.decoded("dtstart").astimezone(UTC) == datetime.datetime(2027, 10, 31, 8, tzinfo=UTC), ev
    # the page shows Paris time with its zone
    r = srv.request("GET", "/events/%s" % eid, headers={"Accept": "text/html"})
    assert "10:00" in r.text and "heure de Paris, UTC+1" in r.text and "samedi 27 mars 2027" in r.text, r.text
    # a members' event: a visitor gets 404, a member (signed in) the file
    assert srv.request("GET", "/events/%s.ics" % W["full"]).status == 404
    web = srv.web()
    web.login("agenda.ann@ac-orleans-tours.fr")
    assert web.get("/events/%s.ics" % W["full"]).status == 200


def test_csv_for_organisers_only_parsed_back(srv):
    uid, tok = srv.member("agenda.formula@ac-orleans-tours.fr", "=HYPERLINK(\"x\")")
    eid = expect(api(srv, "org", "POST", "/events", event(title="Export", capacity=1)), 201)["id"]
    expect(api(srv, "ann", "POST", "/events/%s/registrations" % eid), 201)
    expect(srv.api("POST", "/events/%s/registrations" % eid, token=tok), 201)
    web = srv.web()
    web.login("agenda.org@ac-orleans-tours.fr")
    r = web.get("/events/%s/registrations.csv" % eid)
    assert r.status == 200 and r.headers["content-type"].startswith("text/csv"), r
    rows = list(csv.DictReader(io.StringIO(r.body.decode())))
    assert list(rows[0].keys()) == ["user_id", "name", "email", "state", "registered_at"], rows
    assert [(int(x["user_id"]), x["state"]) for x in rows] == [(W["ann"], "registered"), (uid, "waitlisted")], rows
    assert rows[1]["name"] == "'=HYPERLINK(\"x\")" and rows[0]["email"] == "agenda.ann@ac-orleans-tours.fr", rows
    assert int(rows[0]["registered_at"]) > 0
    for email in ("agenda.ann@ac-orleans-tours.fr", "agenda.out@ac-orleans-tours.fr"):
        other = srv.web()
        other.login(email)
        assert other.get("/events/%s/registrations.csv" % eid).status == 404
    assert srv.request("GET", "/events/%s/registrations.csv" % eid).status == 404
    admin = srv.web()
    admin.login("agenda.admin@ac-orleans-tours.fr")
    assert admin.get("/events/%s/registrations.csv" % eid).status == 200


def test_bad_input(srv):
    s, e = soon()
    cases = [
        (event(ends_at=s - 3600), "ends_at"),
        (event(ends_at=s), "ends_at"),
        (event(ends_at=s + 40 * DAY), "ends_at"),
        (event(starts_at=-5), "starts_at"),
        (event(starts_at="demain"), "starts_at"),
        (event(capacity=-1), "capacity"),
        (event(capacity=10 ** 9), "capacity"),
        (event(capacity="dix"), "capacity"),
        (event(title=""), "title"),
        (event(title="x" * 201), "title"),
        (event(visibility="private"), "visibility"),
        (event(visibility="group"), "visibility"),
        (event(group_id=999999), "group_id"),
        (event(group_id=W["secret"]), "group_id"),       # invisible to ann: as unknown
        (event(place="", url=""), "place"),
        (event(url="javascript:alert(1)"), "url"),
        (event(call_id=-3), "call_id"),
    ]
    for body, field in cases:
        r = api(srv, "ann", "POST", "/events", body)
        assert r.status == 422 and r.json()["error"].get("field") == field, (body, r)
    b = event()
    del b["starts_at"]
    r = api(srv, "ann", "POST", "/events", b)
    assert r.status == 422 and r.json()["error"]["field"] == "starts_at", r
    r = api(srv, "owner", "POST", "/events", event(group_id=W["open"], room_id=999999))
    assert r.status == 422 and r.json()["error"]["field"] == "room_id", r
    r = api(srv, "gm", "POST", "/events", event(room_id=1))      # a room needs the event's group
    assert r.status == 422 and r.json()["error"]["field"] == "room_id", r
    # a visible group one is not a member of: 403
    expect(api(srv, "ann", "POST", "/events", event(group_id=W["open"])), 403, "not_group_member")
    r = api(srv, "ann", "POST", "/events", None)
    assert r.status == 400, r
    r = srv.api("POST", "/events", raw=b"{nope", token=W["tann"], headers={"Content-Type": "application/json"})
    assert r.status == 400 and r.json()["error"]["code"] == "invalid_json", r
    expect(api(srv, "org", "PATCH", "/events/%s" % W["full"], {"ends_at": 1000}), 422)
    expect(api(srv, "org", "PATCH", "/events/%s" % W["full"], {"group_id": W["open"]}), 422)
    assert api(srv, "ann", "GET", "/events?cursor=zz").status == 400
    assert api(srv, "ann", "GET", "/events/0").status == 400
    assert api(srv, "ann", "GET", "/events/99999").status == 404
    assert srv.request("GET", "/events/abc.ics").status == 400
    assert srv.request("GET", "/events/99999.ics").status == 404
    expect(api(srv, None, "POST", "/events", event()), 401)
    # nothing half-written: the refused events are nowhere
    titles = [x["title"] for x in expect(api(srv, "ann", "GET", "/events"), 200)["items"]]
    assert "x" * 201 not in titles and "" not in titles


def test_programme_from_the_calls_accepted_proposals(srv):
    now = int(time.time())
    form = {"fields": [{"key": "resume", "label": "Résumé", "type": "longtext", "required": True}],
            "rubric": [{"key": "q", "label": "Qualité", "max": 5, "weight": 1}],
            "opens_at": now - 60, "closes_at": now + 30 * DAY}
    c = expect(api(srv, "admin", "POST", "/calls", dict(form, title="Appel des journées")), 201)["id"]
    W["call"] = c
    ids = {}
    for who, title in (("ann", "Classe dehors"), ("bob", "Jardin pédagogique"), ("cat", "Brouillon resté")):
        ids[who] = expect(api(srv, who, "POST", "/calls/%s/proposals" % c, {
            "title": title, "answers": {"resume": "Texte"}, "coauthors": [W["dan"]] if who == "ann" else []}), 201)["id"]
    for who in ("ann", "bob"):
        expect(api(srv, who, "POST", "/proposals/%s/submit" % ids[who]), 200)
    expect(api(srv, "admin", "POST", "/proposals/%s/decision" % ids["ann"], {"status": "accepted", "message": "Oui"}), 200)
    expect(api(srv, "admin", "POST", "/proposals/%s/decision" % ids["bob"], {"status": "rejected", "message": "Non"}), 200)
    ev = expect(api(srv, "org", "POST", "/events", event(title="Journées nationales", visibility="public", capacity=0,
                                                         url="https://visio.example.org/j", call_id=c)), 201)
    assert ev["call_id"] == c and ev["programme"] is not None, ev
    # the accepted proposal only, with its authors in order; to members and visitors alike (a call of no group)
    for who in ("out", None):
        got = expect(api(srv, who, "GET", "/events/%s" % ev["id"]), 200)["programme"]
        assert [p["title"] for p in got] == ["Classe dehors"], got
        assert [a["name"] for a in got[0]["authors"]] == ["Agenda Ann", "Agenda Dan"], got
    page = srv.request("GET", "/events/%s" % ev["id"]).text
    assert "Programme" in page and "Classe dehors" in page and "/calls/%s" % c in page, page[-3000:]
    assert "Jardin pédagogique" not in page and "Brouillon resté" not in page
    assert "&lt;br&gt;" not in page, "the place and the link are two lines, not an escaped tag"
    # a call in a secret group: outsiders may not name it, nor read its programme through an event
    gc = expect(api(srv, "owner", "POST", "/calls", dict(form, title="Appel du groupe", group_id=W["secret"])), 201)["id"]
    r = api(srv, "out", "POST", "/events", event(call_id=gc))
    expect(r, 422, "invalid_field")
    assert r.json()["error"]["field"] == "call_id", r
    expect(api(srv, "org", "POST", "/events", event(call_id=999999)), 422, "invalid_field")
    e2 = expect(api(srv, "owner", "POST", "/events", event(title="Journée du groupe", call_id=gc)), 201)["id"]
    assert expect(api(srv, "out", "GET", "/events/%s" % e2), 200)["programme"] is None
    assert expect(api(srv, "gm", "GET", "/events/%s" % e2), 200)["programme"] == []
    assert "Classe dehors" not in srv.request("GET", "/events/%s" % e2).text


def test_open_group_event_call_id_and_room(srv):
    expect(api(srv, "ann", "POST", "/groups/%s/join" % W["open"]), 200)
    rooms = expect(api(srv, "owner", "GET", "/groups/%s/rooms" % W["open"]), 200)["items"]
    x = expect(api(srv, "ann", "POST", "/events", event(title="Classe virtuelle", group_id=W["open"], place="",
                                                          room_id=rooms[0]["id"], visibility="public", call_id=W["call"])),
               201)
    assert x["room_id"] == rooms[0]["id"] and x["call_id"] == W["call"] and x["group"]["id"] == W["open"], x
    x = expect(api(srv, "ann", "PATCH", "/events/%s" % x["id"], {"call_id": None}), 200)
    assert x["call_id"] is None, x
    # a room-only event: the .ics locates it at the room's page
    ev = [c for c in icalendar.Calendar.from_ical(srv.request("GET", "/events/%s.ics" % x["id"]).body).walk()
          if c.name == "VEVENT"][0]
    assert str(ev["location"]).endswith("/rooms/%s" % rooms[0]["id"]), ev
    W["openev"] = x["id"]
    # the group's events: its page and the list's filter
    ids = [e["id"] for e in expect(api(srv, None, "GET", "/events?group_id=%s" % W["open"]), 200)["items"]]
    assert ids == [x["id"]], ids
    r = srv.request("GET", "/groups/%s" % W["open"])
    assert "Classe virtuelle" in r.text, r
    # the room link only for the group's members
    web = srv.web()
    web.login("agenda.ann@ac-orleans-tours.fr")
    assert "/rooms/%s" % rooms[0]["id"] in web.get("/events/%s" % x["id"]).text
    assert "/rooms/" not in srv.request("GET", "/events/%s" % x["id"]).text


def test_pages_register_cancel_and_organise(srv):
    web = srv.web()
    web.login("agenda.bob@ac-orleans-tours.fr")
    r = web.get("/events", headers={"Accept": "text/html"})
    assert r.status == 200 and "Agenda des événements" in r.text and "/events/%s" % W["pub"] in r.text, r
    r = web.get("/events/%s" % W["pub"])
    assert r.status == 200 and ("S&#39;inscrire" in r.text or "S'inscrire" in r.text), r
    assert "/events/%s.ics" % W["pub"] in r.text
    r = web.post("/events/%s/register" % W["pub"])
    assert r.status == 303 and "done=registered" in r.headers["location"], r
    r = web.get(r.headers["location"])
    assert "Vous êtes inscrit·e." in r.text and "/events/%s/cancel" % W["pub"] in r.text, r
    # the home page shows my next events
    assert "Mes prochains événements" in web.get("/").text and "Journée ouverte" in web.get("/").text
    r = web.post("/events/%s/cancel" % W["pub"])
    assert r.status == 303 and "done=cancelled" in r.headers["location"], r
    r = web.post("/events/%s/register" % W["pub"], csrf=False)
    assert r.status == 403, r
    # waitlisted: the position on the page
    web2 = srv.web()
    web2.login("agenda.ann@ac-orleans-tours.fr")
    r = web2.get("/events/%s" % W["full"])
    assert "liste d&#39;attente" in r.text or "liste d'attente" in r.text, r
    assert "Position : 1<" in r.text, r.text
    # the organiser: the list and the CSV link; the form
    org = srv.web()
    org.login("agenda.org@ac-orleans-tours.fr")
    r = org.get("/events/%s" % W["full"])
    assert "/events/%s/registrations.csv" % W["full"] in r.text and "Agenda Cat" in r.text, r
    assert org.get("/events/new").status == 200
    r = org.post("/events/new", {"title": "Café pédagogique", "description": "On parle **évaluation**.",
                                 "starts": "2031-06-12T17:30", "ends": "2031-06-12T19:00",
                                 "place": "Salle des profs", "capacity": "12", "group_id": "0",
                                 "visibility": "members"})
    assert r.status == 303 and r.headers["location"].startswith("/events/"), r
    new = int(r.headers["location"].rsplit("/", 1)[1])
    x = expect(api(srv, "org", "GET", "/events/%s" % new), 200)
    assert x["starts_at"] == paris(2031, 6, 12, 17, 30) and x["capacity"] == 12, x
    r = org.post("/events/new", {"title": "Mauvais", "starts": "2031-06-12T17:30", "ends": "2031-06-12T16:00",
                                 "place": "Ici", "capacity": "0", "group_id": "0", "visibility": "members"})
    assert r.status == 422 and "la fin" in r.text and "Mauvais" in r.text, r
    r = org.get("/events/%s/edit" % new)
    assert r.status == 200 and "2031-06-12T17:30" in r.text, r
    r = org.post("/events/%s/edit" % new, {"title": "Café pédagogique (suite)", "starts": "2031-06-12T17:30",
                                           "ends": "2031-06-12T19:30", "place": "Salle des profs",
                                           "capacity": "12", "visibility": "members"})
    assert r.status == 303, r
    assert expect(api(srv, "org", "GET", "/events/%s" % new), 200)["ends_at"] == paris(2031, 6, 12, 19, 30)
    assert web.get("/events/%s/edit" % new).status == 403
    assert web.post("/events/%s/delete" % new).status == 403
    r = org.post("/events/%s/delete" % new)
    assert r.status == 303, r
    assert api(srv, "org", "GET", "/events/%s" % new).status == 404
    # English
    en = srv.web(lang="en")
    r = en.get("/events/%s" % W["pub"], headers={"Accept": "text/html"})
    assert "Paris time" in r.text and "Sign in to register" in r.text, r


def test_live_stream_still_answers_on_events(srv):
    """GET /events and /api/v1/events stay the live stream for EventSource (Accept: text/event-stream)."""
    r = srv.request("GET", "/api/v1/events", headers={"Accept": "text/event-stream"})
    assert r.status == 401, r
    r = srv.request("GET", "/events", headers={"Accept": "text/event-stream"})
    assert r.status == 303 and r.headers["location"].startswith("/login"), r
    r = srv.request("GET", "/api/v1/events", headers={"Accept": "application/json"})
    assert r.status == 200 and "items" in r.json(), r
