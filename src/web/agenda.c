/* Event pages: the agenda by month, an event with its registration
 * button, waiting-list position, calendar file and (organisers) the list
 * of registrations and its CSV; the form; boxes for a group's page and the
 * home page. */
#include "web/agenda.h"

#include <stdio.h>
#include <string.h>

#include "domain/agenda.h"
#include "domain/calls.h"
#include "domain/chat.h"
#include "domain/groups.h"
#include "http/errors.h"
#include "http/events.h"
#include "util/text.h"
#include "util/tz_paris.h"
#include "web/social.h"
#include "web/web.h"

/* ---- dates in Paris time ------------------------------------------------------ */

static const char *const month_fr[] = { "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
					"septembre", "octobre", "novembre", "décembre" };
static const char *const month_en[] = { "January", "February", "March", "April", "May", "June", "July", "August",
					"September", "October", "November", "December" };
static const char *const short_fr[] = { "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.",
					"oct.", "nov.", "déc." };
static const char *const short_en[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
					"Dec" };
static const char *const day_fr[] = { "dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi" };
static const char *const day_en[] = { "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday" };

static int english(const struct request *r)
{
	return !strcmp(r->lang, "en");
}

/* "jeudi 12 mars 2027" / "Thursday 12 March 2027" */
static const char *paris_day(struct request *r, int64_t t)
{
	struct tm tm;

	tz_paris_tm(t, &tm);
	return arena_printf(r->arena, "%s %d %s %d", (english(r) ? day_en : day_fr)[tm.tm_wday], tm.tm_mday,
			    (english(r) ? month_en : month_fr)[tm.tm_mon], tm.tm_year + 1900);
}

static const char *paris_hm(struct request *r, int64_t t)
{
	struct tm tm;

	tz_paris_tm(t, &tm);
	return arena_printf(r->arena, "%02d:%02d", tm.tm_hour, tm.tm_min);
}

static int same_day(int64_t a, int64_t b)
{
	struct tm x, y;

	tz_paris_tm(a, &x);
	tz_paris_tm(b, &y);
	return x.tm_year == y.tm_year && x.tm_yday == y.tm_yday;
}

/* An instant for <time datetime>: UTC, ISO 8601. */
static const char *iso_utc(struct request *r, int64_t t)
{
	struct tm tm;
	time_t tt = (time_t)t;

	if (!gmtime_r(&tt, &tm))
		return "1970-01-01T00:00:00Z";
	return arena_printf(r->arena, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
			    tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* "heure de Paris, UTC+1" */
static const char *zone(struct request *r, int64_t t)
{
	return arena_printf(r->arena, "%s, UTC+%d", T(r, "agenda.paris_time"), tz_paris_offset(t) / 3600);
}

/* When, with the time zone: one day "jeudi 12 mars 2027, 14:00 – 17:00", or two days. */
static void when(struct request *r, const struct event *e)
{
	H(r, "<time datetime=\"%s\">%s, %s</time> – ", iso_utc(r, e->starts_at), paris_day(r, e->starts_at),
	  paris_hm(r, e->starts_at));
	if (same_day(e->starts_at, e->ends_at))
		H(r, "<time datetime=\"%s\">%s</time>", iso_utc(r, e->ends_at), paris_hm(r, e->ends_at));
	else
		H(r, "<time datetime=\"%s\">%s, %s</time>", iso_utc(r, e->ends_at), paris_day(r, e->ends_at),
		  paris_hm(r, e->ends_at));
	H(r, " <span class=\"meta\">(%s)</span>", zone(r, e->starts_at));
}

/* "YYYY-MM-DDTHH:MM" in Paris time, for <input type="datetime-local">. */
static const char *local_input(struct request *r, int64_t t)
{
	struct tm tm;

	if (t <= 0)
		return "";
	tz_paris_tm(t, &tm);
	return arena_printf(r->arena, "%04d-%02d-%02dT%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
			    tm.tm_hour, tm.tm_min);
}

/* The instant of such a field (Paris time): -1 absent, -2 malformed. */
static int64_t local_parse(const char *s)
{
	struct tm tm;
	int y, mo, d, h, mi, n = 0;

	if (!s || !*s)
		return -1;
	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d%n", &y, &mo, &d, &h, &mi, &n) != 5 || (s[n] && s[n] != ':') ||
	    y < 2000 || y > 2099 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || h < 0 || mi < 0)
		return -2;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	return tz_paris_from_local(&tm);
}

/* ---- pieces ---------------------------------------------------------------------- */

static const char *places_text(struct request *r, const struct event *e)
{
	if (!e->capacity)
		return T(r, "agenda.unlimited");
	if (e->registered >= e->capacity)
		return e->waitlisted ? arena_printf(r->arena, "%s · %s", T(r, "agenda.full"),
						    web_count(r, e->waitlisted, "agenda.waiting_one", "agenda.waiting_many")) :
				       T(r, "agenda.full");
	return web_count(r, e->capacity - e->registered, "agenda.place_left_one", "agenda.places_left");
}

static void event_item(struct request *r, const struct event *e)
{
	struct tm tm;

	tz_paris_tm(e->starts_at, &tm);
	H(r, "<li class=\"event-item\"><div class=\"event-date\" aria-hidden=\"true\"><span class=\"event-day\">%d</span>"
	  "<span class=\"event-month\">%s</span></div><div><h3><a href=\"/events/%lld\">%s</a></h3><p class=\"meta\">",
	  tm.tm_mday, (english(r) ? short_en : short_fr)[tm.tm_mon], (long long)e->id, e->title);
	when(r, e);
	H(r, "</p><p class=\"meta\">");
	if (*e->place)
		H(r, "%s · ", e->place);
	else if (*e->url || e->room_id)
		H(r, "%s · ", T(r, "agenda.online"));
	if (e->group_id)
		H(r, "<a href=\"/groups/%lld\">%s</a> · ", (long long)e->group_id, e->group_name);
	H(r, "%s", places_text(r, e));
	if (e->my_state)
		H(r, " <span class=\"pill\">%s</span>", label(r, "agenda.state", e->my_state));
	H(r, "</p></div></li>");
}

/* ---- the agenda ------------------------------------------------------------------- */

/* GET /events?past=1&mine=1&cursor= (or the member's live stream) */
void web_agenda(struct request *r)
{
	struct event_filter f = { 0 };
	struct event *xs;
	const char *c = req_query(r, "cursor");
	int64_t next_at = 0, next_id = 0;
	int n, month = -1, year = -1;

	if (events_stream_wanted(r)) {
		events_open_member(r);
		return;
	}
	if (c && event_cursor_parse(c, &f.cursor_at, &f.cursor_id) < 0) {
		web_error_page(r, 400);
		return;
	}
	f.past = req_query(r, "past") && !strcmp(req_query(r, "past"), "1");
	f.mine = r->me.id && req_query(r, "mine") && !strcmp(req_query(r, "mine"), "1");
	f.limit = 30;
	n = events_list(&r->dc, &r->me, &f, &xs, &next_at, &next_id);
	if (n < 0) {
		web_error_page(r, 500);
		return;
	}
	page_begin(r, T(r, "agenda.title"));
	H(r, "<section class=\"card\"><h1>%s</h1><p>%s</p>", T(r, "agenda.title"), T(r, "agenda.intro"));
	if (r->me.id)
		H(r, "<p class=\"actions\"><a class=\"button\" href=\"/events/new\">%s</a></p>", T(r, "agenda.new"));
	H(r, "<ul class=\"tabs\"><li><a href=\"/events\"%s>%s</a></li>", !f.past && !f.mine ? " aria-current=\"page\"" : "",
	  T(r, "agenda.upcoming"));
	if (r->me.id)
		H(r, "<li><a href=\"/events?mine=1\"%s>%s</a></li>", f.mine ? " aria-current=\"page\"" : "",
		  T(r, "agenda.mine"));
	H(r, "<li><a href=\"/events?past=1\"%s>%s</a></li></ul></section>", f.past ? " aria-current=\"page\"" : "",
	  T(r, "agenda.past"));
	H(r, "<section class=\"card\">");
	if (!n)
		H(r, "<p class=\"empty\">%s</p>", T(r, f.past ? "agenda.none_past" : "agenda.none"));
	for (int i = 0; i < n; i++) {
		struct tm tm;

		tz_paris_tm(xs[i].starts_at, &tm);
		if (tm.tm_mon != month || tm.tm_year != year) {
			if (month >= 0)
				H(r, "</ul>");
			month = tm.tm_mon;
			year = tm.tm_year;
			H(r, "<h2 class=\"agenda-month\">%s %d</h2><ul class=\"plain agenda\">",
			  (english(r) ? month_en : month_fr)[month], year + 1900);
		}
		event_item(r, &xs[i]);
	}
	if (month >= 0)
		H(r, "</ul>");
	if (next_id)
		H(r, "<p><a class=\"button secondary\" href=\"/events?%s%scursor=%lld-%lld\">%s</a></p>",
		  f.past ? "past=1&" : "", f.mine ? "mine=1&" : "", (long long)next_at, (long long)next_id,
		  T(r, "groups.more"));
	H(r, "</section>");
	page_end(r);
}

/* ---- one event --------------------------------------------------------------------- */

static void registrations_box(struct request *r, const struct event *e)
{
	struct event_registration *xs;
	int n = event_registrations_of(&r->dc, e, &xs);

	if (n < 0)
		return;
	H(r, "<section class=\"card\"><h2>%s</h2><p><a href=\"/events/%lld/registrations.csv\">%s</a></p>",
	  T(r, "agenda.registrations"), (long long)e->id, T(r, "agenda.csv"));
	if (!n) {
		H(r, "<p class=\"empty\">%s</p></section>", T(r, "agenda.no_registration"));
		return;
	}
	H(r, "<table class=\"data\"><thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
	  "<th scope=\"col\">%s</th></tr></thead><tbody>", T(r, "agenda.col.name"), T(r, "agenda.col.state"),
	  T(r, "agenda.col.date"));
	for (int i = 0; i < n; i++)
		H(r, "<tr><td><a href=\"/users/%lld\">%s</a></td><td>%s</td><td>%s</td></tr>", (long long)xs[i].user_id,
		  xs[i].name, label(r, "agenda.state", xs[i].state), web_datetime(r, xs[i].registered_at));
	H(r, "</tbody></table></section>");
}

/* The programme: the accepted proposals of the event's call (who sees the
 * call sees it), each with its authors and the record published from it. */
static void programme_box(struct request *r, int64_t call_id)
{
	struct programme_item *items;
	int n = call_id ? call_programme(&r->dc, &r->me, call_id, &items) : 0;

	if (n < 0 || !call_id || (n == 0 && access_check(&r->dc, &r->me, AK_CALL, call_id, AA_SEE) != D_OK))
		return;
	H(r, "<section class=\"card\" aria-labelledby=\"programme\"><h2 id=\"programme\">%s</h2>",
	  T(r, "agenda.programme"));
	H(r, "<p class=\"meta\"><a href=\"/calls/%lld\">%s</a></p>", (long long)call_id, T(r, "agenda.programme_call"));
	if (!n) {
		H(r, "<p>%s</p></section>", T(r, "agenda.programme_empty"));
		return;
	}
	H(r, "<ol class=\"programme\">");
	for (int i = 0; i < n; i++) {
		H(r, "<li><strong>");
		if (items[i].innovation_id &&
		    access_check(&r->dc, &r->me, AK_INNOVATION, items[i].innovation_id, AA_SEE) == D_OK)
			H(r, "<a href=\"/innovations/%lld\">%s</a>", (long long)items[i].innovation_id, items[i].title);
		else
			H(r, "%s", items[i].title);
		H(r, "</strong>");
		for (int k = 0; k < items[i].nauthors; k++)
			H(r, "%s<a href=\"/users/%lld\">%s</a>", k ? ", " : " — ", (long long)items[i].author_ids[k],
			  items[i].author_names[k]);
		H(r, "</li>");
	}
	H(r, "</ol></section>");
}

/* GET /events/{id} */
void web_agenda_event(struct request *r)
{
	struct event e;
	struct room room;
	int64_t id = req_param_id(r, 0);
	enum derr rc = event_get(&r->dc, &r->me, id, &e);
	int ended;
	const char *flash = req_query(r, "done");

	if (rc != D_OK) {
		web_derr_page(r, rc);
		return;
	}
	ended = r->dc.now >= e.ends_at;
	page_begin(r, e.title);
	H(r, "<section class=\"card event\"><p class=\"meta\"><a href=\"/events\">%s</a>", T(r, "agenda.title"));
	if (e.group_id)
		H(r, " · <a href=\"/groups/%lld\">%s</a>", (long long)e.group_id, e.group_name);
	H(r, " · <span class=\"pill\">%s</span></p><h1>%s</h1>", label(r, "agenda.vis", e.visibility), e.title);
	if (flash && !strcmp(flash, "registered"))
		page_notice(r, "ok", T(r, "agenda.flash.registered"));
	else if (flash && !strcmp(flash, "waitlisted"))
		page_notice(r, "ok", T(r, "agenda.flash.waitlisted"));
	else if (flash && !strcmp(flash, "cancelled"))
		page_notice(r, "ok", T(r, "agenda.flash.cancelled"));
	H(r, "<dl class=\"facts\"><dt>%s</dt><dd>", T(r, "agenda.when"));
	when(r, &e);
	H(r, "</dd><dt>%s</dt><dd>", T(r, "agenda.where"));
	if (*e.place)
		H(r, "%s", e.place);
	/* one line each: the place, the link, the room (the separators are markup, not text) */
	if (*e.url)
		H(r, *e.place ? "<br><a href=\"%s\" rel=\"noopener nofollow\">%s</a>" :
		  "<a href=\"%s\" rel=\"noopener nofollow\">%s</a>", e.url, T(r, "agenda.join_online"));
	if (e.room_id && chat_room_get(&r->dc, &r->me, e.room_id, &room) == D_OK)
		H(r, *e.place || *e.url ? "<br><a href=\"/rooms/%lld\">%s</a>" : "<a href=\"/rooms/%lld\">%s</a>",
		  (long long)e.room_id, T(r, "agenda.room"));
	else if (e.room_id)
		H(r, *e.place || *e.url ? "<br>%s" : "%s", T(r, "agenda.room_members"));
	H(r, "</dd><dt>%s</dt><dd>%s</dd>", T(r, "agenda.places"), places_text(r, &e));
	if (e.author_id)
		H(r, "<dt>%s</dt><dd><a href=\"/users/%lld\">%s</a></dd>", T(r, "agenda.organiser"),
		  (long long)e.author_id, e.author_name);
	H(r, "</dl>");
	markdown_block(r, e.description);
	H(r, "<div class=\"actions\">");
	if (ended) {
		H(r, "<p class=\"pill\">%s</p>", T(r, "agenda.ended"));
	} else if (!r->me.id) {
		H(r, "<a class=\"button\" href=\"/login?next=/events/%lld\">%s</a>", (long long)id, T(r, "agenda.login"));
	} else if (e.my_state && !strcmp(e.my_state, "registered")) {
		H(r, "<p><strong>%s</strong></p>", T(r, "agenda.you_registered"));
		button_form(r, arena_printf(r->arena, "/events/%lld/cancel", (long long)id), T(r, "agenda.cancel"),
			    "secondary");
	} else if (e.my_state) {
		H(r, "<p><strong>%s</strong> %s %lld</p>", T(r, "agenda.you_waiting"), T(r, "agenda.position"),
		  (long long)e.my_position);
		button_form(r, arena_printf(r->arena, "/events/%lld/cancel", (long long)id), T(r, "agenda.leave_list"),
			    "secondary");
	} else {
		button_form(r, arena_printf(r->arena, "/events/%lld/register", (long long)id),
			    T(r, e.capacity && e.registered >= e.capacity ? "agenda.join_list" : "agenda.register"), "");
	}
	H(r, "<a class=\"button secondary\" href=\"/events/%lld.ics\">%s</a>", (long long)id, T(r, "agenda.add_calendar"));
	if (e.may_edit) {
		H(r, "<a class=\"button secondary\" href=\"/events/%lld/edit\">%s</a>", (long long)id, T(r, "agenda.edit"));
		button_form(r, arena_printf(r->arena, "/events/%lld/delete", (long long)id), T(r, "agenda.delete"),
			    "secondary danger");
	}
	H(r, "</div>");
	H(r, "</section>");
	programme_box(r, e.call_id);
	if (e.may_edit)
		registrations_box(r, &e);
	page_end(r);
}

/* ---- the form ------------------------------------------------------------------------ */

struct form_values {
	const char *title, *description, *place, *url, *visibility, *starts, *ends, *capacity;
	int64_t group_id, room_id;
};

static void event_form(struct request *r, const char *action, const struct form_values *x, int64_t group_id,
		       const char *error, int editing)
{
	struct group *gs = NULL;
	struct room *rooms = NULL;
	struct group_filter gf = { .mine = 1, .limit = 100 };
	int64_t next = 0;
	int ng = editing ? 0 : groups_list(&r->dc, &r->me, &gf, &gs, &next);
	int nr = group_id > 0 ? chat_group_rooms(&r->dc, &r->me, group_id, &rooms) : 0;

	page_begin(r, T(r, editing ? "agenda.edit" : "agenda.new"));
	H(r, "<section class=\"card narrow\"><h1>%s</h1>", T(r, editing ? "agenda.edit" : "agenda.new"));
	if (error)
		page_notice(r, "error", error);
	H(r, "<form method=\"post\" action=\"%s\">", action);
	form_csrf(r);
	H(r, "<label for=\"f-title\">%s</label><input id=\"f-title\" name=\"title\" type=\"text\" required maxlength=\"%d\""
	  " value=\"%s\">", T(r, "agenda.f.title"), EVENT_TITLE_MAX, x->title ? x->title : "");
	H(r, "<label for=\"f-description\">%s<span class=\"hint\">%s</span></label><textarea id=\"f-description\""
	  " name=\"description\" rows=\"6\">%s</textarea>", T(r, "agenda.f.description"), T(r, "post.body.hint"),
	  x->description ? x->description : "");
	H(r, "<label for=\"f-starts\">%s<span class=\"hint\">%s</span></label><input id=\"f-starts\" name=\"starts\""
	  " type=\"datetime-local\" required value=\"%s\">", T(r, "agenda.f.starts"), T(r, "agenda.paris_time"),
	  x->starts ? x->starts : "");
	H(r, "<label for=\"f-ends\">%s<span class=\"hint\">%s</span></label><input id=\"f-ends\" name=\"ends\""
	  " type=\"datetime-local\" required value=\"%s\">", T(r, "agenda.f.ends"), T(r, "agenda.paris_time"),
	  x->ends ? x->ends : "");
	H(r, "<label for=\"f-place\">%s<span class=\"hint\">%s</span></label><input id=\"f-place\" name=\"place\""
	  " type=\"text\" maxlength=\"%d\" value=\"%s\">", T(r, "agenda.f.place"), T(r, "agenda.f.place.hint"),
	  EVENT_PLACE_MAX, x->place ? x->place : "");
	H(r, "<label for=\"f-url\">%s</label><input id=\"f-url\" name=\"url\" type=\"url\" maxlength=\"%d\" value=\"%s\">",
	  T(r, "agenda.f.url"), EVENT_URL_MAX, x->url ? x->url : "");
	if (nr > 0) {
		H(r, "<label for=\"f-room\">%s</label><select id=\"f-room\" name=\"room_id\"><option value=\"0\">%s</option>",
		  T(r, "agenda.f.room"), T(r, "agenda.f.no_room"));
		for (int i = 0; i < nr; i++)
			H(r, "<option value=\"%lld\"%s>%s</option>", (long long)rooms[i].ref.id,
			  rooms[i].ref.id == x->room_id ? " selected" : "", rooms[i].title);
		H(r, "</select>");
	}
	H(r, "<label for=\"f-capacity\">%s<span class=\"hint\">%s</span></label><input id=\"f-capacity\""
	  " name=\"capacity\" type=\"number\" min=\"0\" max=\"%d\" value=\"%s\">", T(r, "agenda.f.capacity"),
	  T(r, "agenda.f.capacity.hint"), EVENT_CAPACITY_MAX, x->capacity ? x->capacity : "0");
	if (!editing) {
		H(r, "<label for=\"f-group\">%s</label><select id=\"f-group\" name=\"group_id\"><option value=\"0\">%s</option>",
		  T(r, "agenda.f.group"), T(r, "agenda.f.no_group"));
		for (int i = 0; i < ng; i++)
			H(r, "<option value=\"%lld\"%s>%s</option>", (long long)gs[i].id, gs[i].id == x->group_id ? " selected" : "",
			  gs[i].name);
		H(r, "</select>");
	}
	H(r, "<fieldset><legend>%s</legend>", T(r, "agenda.f.visibility"));
	for (int i = 0; event_visibilities[i]; i++)
		H(r, "<label class=\"check\"><input type=\"radio\" name=\"visibility\" value=\"%s\"%s> %s</label>",
		  event_visibilities[i],
		  (x->visibility ? !strcmp(x->visibility, event_visibilities[i]) : i == 1) ? " checked" : "",
		  label(r, "agenda.vis.long", event_visibilities[i]));
	H(r, "<p class=\"hint\">%s</p></fieldset><div class=\"actions\"><button type=\"submit\">%s</button></div></form>"
	  "</section>", T(r, "agenda.f.visibility.hint"), T(r, editing ? "agenda.save" : "agenda.publish"));
	page_end(r);
}

static void read_form(struct request *r, struct event_input *in, struct form_values *x)
{
	const char *cap = req_form(r, "capacity"), *g = req_form(r, "group_id"), *room = req_form(r, "room_id");

	event_input_init(in);
	memset(x, 0, sizeof *x);
	in->title = x->title = req_form(r, "title");
	in->description = x->description = req_form(r, "description");
	in->place = x->place = req_form(r, "place");
	in->url = x->url = req_form(r, "url");
	in->visibility = x->visibility = req_form(r, "visibility");
	x->starts = req_form(r, "starts");
	x->ends = req_form(r, "ends");
	x->capacity = cap;
	in->starts_at = local_parse(x->starts);
	in->ends_at = local_parse(x->ends);
	if (cap)
		in->capacity = !*cap || !strcmp(cap, "0") ? 0 : parse_id(cap) > 0 ? parse_id(cap) : -2;
	if (g)
		in->group_id = x->group_id = !strcmp(g, "0") ? 0 : parse_id(g) > 0 ? parse_id(g) : -2;
	if (room)
		in->room_id = x->room_id = !strcmp(room, "0") ? 0 : parse_id(room) > 0 ? parse_id(room) : -2;
}

static const char *form_error(struct request *r, enum derr e, const char *field)
{
	if (e == D_INVALID && field)
		return arena_printf(r->arena, "%s : %s", T(r, "agenda.error.field"),
				    T(r, arena_printf(r->arena, "agenda.error.%s", field)));
	if (e == D_FORBIDDEN && field && !strcmp(field, "group_id"))
		return T(r, "agenda.error.not_member");
	return derr_error(e)->key ? T(r, derr_error(e)->key) : T(r, "error.forbidden.text");
}

/* GET|POST /events/new?group= */
void web_agenda_new(struct request *r)
{
	struct event_input in;
	struct form_values x;
	const char *field = NULL, *g = req_query(r, "group");
	int64_t id = 0;
	enum derr e;

	if (r->method != HTTP_POST) {
		memset(&x, 0, sizeof x);
		x.group_id = g ? parse_id(g) : 0;
		event_form(r, "/events/new", &x, x.group_id, NULL, 0);
		return;
	}
	read_form(r, &in, &x);
	if (!in.title)
		in.title = "";
	e = event_create(&r->dc, &r->me, &in, &id, &field);
	if (e == D_OK) {
		resp_redirect(r, arena_printf(r->arena, "/events/%lld", (long long)id));
		return;
	}
	r->status = derr_error(e)->status;
	event_form(r, "/events/new", &x, x.group_id, form_error(r, e, field), 0);
}

/* GET|POST /events/{id}/edit */
void web_agenda_edit(struct request *r)
{
	struct event ev;
	struct event_input in;
	struct form_values x;
	const char *field = NULL, *action;
	int64_t id = req_param_id(r, 0);
	enum derr e = event_get(&r->dc, &r->me, id, &ev);

	if (e != D_OK) {
		web_derr_page(r, e);
		return;
	}
	if (!ev.may_edit) {
		web_error_page(r, 403);
		return;
	}
	action = arena_printf(r->arena, "/events/%lld/edit", (long long)id);
	if (r->method != HTTP_POST) {
		memset(&x, 0, sizeof x);
		x.title = ev.title;
		x.description = ev.description;
		x.place = ev.place;
		x.url = ev.url;
		x.visibility = ev.visibility;
		x.starts = local_input(r, ev.starts_at);
		x.ends = local_input(r, ev.ends_at);
		x.capacity = arena_printf(r->arena, "%lld", (long long)ev.capacity);
		x.room_id = ev.room_id;
		event_form(r, action, &x, ev.group_id, NULL, 1);
		return;
	}
	read_form(r, &in, &x);
	in.group_id = -1;
	e = event_update(&r->dc, &r->me, id, &in, &field);
	if (e == D_OK) {
		resp_redirect(r, arena_printf(r->arena, "/events/%lld", (long long)id));
		return;
	}
	r->status = derr_error(e)->status;
	event_form(r, action, &x, ev.group_id, form_error(r, e, field), 1);
}

/* POST /events/{id}/delete */
void web_agenda_delete(struct request *r)
{
	enum derr e = event_delete(&r->dc, &r->me, req_param_id(r, 0));

	if (e != D_OK)
		web_derr_page(r, e);
	else
		resp_redirect(r, "/events");
}

/* POST /events/{id}/register */
void web_agenda_register(struct request *r)
{
	int64_t id = req_param_id(r, 0);
	const char *state = NULL;
	int created = 0;
	enum derr e = event_register(&r->dc, &r->me, id, &state, &created);

	if (e == D_INVALID) {
		r->status = 422;
		page_begin(r, T(r, "agenda.ended"));
		H(r, "<section class=\"card narrow\"><h1>%s</h1><p><a href=\"/events/%lld\">%s</a></p></section>",
		  T(r, "agenda.ended"), (long long)id, T(r, "agenda.back"));
		page_end(r);
	} else if (e != D_OK) {
		web_derr_page(r, e);
	} else {
		resp_redirect(r, arena_printf(r->arena, "/events/%lld?done=%s", (long long)id, state));
	}
}

/* POST /events/{id}/cancel */
void web_agenda_cancel(struct request *r)
{
	int64_t id = req_param_id(r, 0), promoted = 0;
	const char *field = NULL;
	enum derr e = event_unregister(&r->dc, &r->me, id, &promoted, &field);

	if (e == D_INVALID || (e == D_NOT_FOUND && field)) {
		r->status = e == D_INVALID ? 422 : 404;
		page_begin(r, T(r, e == D_INVALID ? "agenda.ended" : "agenda.not_registered"));
		H(r, "<section class=\"card narrow\"><h1>%s</h1><p><a href=\"/events/%lld\">%s</a></p></section>",
		  T(r, e == D_INVALID ? "agenda.ended" : "agenda.not_registered"), (long long)id, T(r, "agenda.back"));
		page_end(r);
	} else if (e != D_OK) {
		web_derr_page(r, e);
	} else {
		resp_redirect(r, arena_printf(r->arena, "/events/%lld?done=cancelled", (long long)id));
	}
}

/* ---- downloads --------------------------------------------------------------------------- */

/* GET /events/{id}.ics */
void web_agenda_ics(struct request *r)
{
	struct event e;
	enum derr rc = event_get(&r->dc, &r->me, req_param_id(r, 0), &e);
	const char *ics;

	if (rc != D_OK) {
		web_derr_page(r, rc);
		return;
	}
	ics = event_ics(&r->dc, &e, arena_printf(r->arena, "%s/events/%lld", r->dc.base_url ? r->dc.base_url : "",
						 (long long)e.id));
	if (!ics) {
		web_error_page(r, 500);
		return;
	}
	buf_puts(&r->out, ics);
	r->content_type = "text/calendar; charset=utf-8";
	resp_header(r, "Content-Disposition",
		    arena_printf(r->arena, "attachment; filename=\"event-%lld.ics\"", (long long)e.id));
}

/* One CSV cell, quoted, quotes doubled; a cell that a spreadsheet would
 * read as a formula (= + - @, a tab or a carriage return first) is
 * neutralised with a leading apostrophe (raw output: this is not HTML). */
static void csv_cell(struct buf *b, const char *s, int last)
{
	buf_putc(b, '"');
	if (s && (*s == '=' || *s == '+' || *s == '-' || *s == '@' || *s == '\t' || *s == '\r'))
		buf_putc(b, '\'');
	for (; s && *s; s++) {
		if (*s == '"')
			buf_putc(b, '"');
		buf_putc(b, *s);
	}
	buf_puts(b, last ? "\"\r\n" : "\",");
}

/* GET /events/{id}/registrations.csv: organisers only (404 to anyone else) */
void web_agenda_csv(struct request *r)
{
	struct event_registration *xs;
	int64_t id = req_param_id(r, 0);
	enum derr e;
	int n = event_registrations(&r->dc, &r->me, id, &xs, &e);
	struct buf *b = &r->out;

	if (n < 0) {
		web_derr_page(r, e == D_FORBIDDEN ? D_NOT_FOUND : e);
		return;
	}
	buf_puts(b, "user_id,name,email,state,registered_at\r\n");
	for (int i = 0; i < n; i++) {
		buf_printf(b, "%lld,", (long long)xs[i].user_id);
		csv_cell(b, xs[i].name, 0);
		csv_cell(b, xs[i].email, 0);
		csv_cell(b, xs[i].state, 0);
		buf_printf(b, "%lld\r\n", (long long)xs[i].registered_at);
	}
	r->content_type = "text/csv; charset=utf-8";
	resp_header(r, "Content-Disposition",
		    arena_printf(r->arena, "attachment; filename=\"event-%lld-registrations.csv\"", (long long)id));
}

/* ---- boxes elsewhere ------------------------------------------------------------------------ */

void web_agenda_group_box(struct request *r, int64_t group_id, int member)
{
	struct event_filter f = { .group_id = group_id, .limit = 5 };
	struct event *xs;
	int64_t na, ni;
	int n = events_list(&r->dc, &r->me, &f, &xs, &na, &ni);

	if (n < 0 || (!n && !member))
		return;
	H(r, "<section class=\"card\"><h2>%s</h2>", T(r, "agenda.group_box"));
	if (!n)
		H(r, "<p class=\"empty\">%s</p>", T(r, "agenda.none"));
	else
		H(r, "<ul class=\"plain agenda\">");
	for (int i = 0; i < n; i++)
		event_item(r, &xs[i]);
	if (n)
		H(r, "</ul>");
	if (member)
		H(r, "<p><a class=\"button secondary\" href=\"/events/new?group=%lld\">%s</a></p>", (long long)group_id,
		  T(r, "agenda.new"));
	H(r, "</section>");
}

void web_agenda_home_box(struct request *r)
{
	struct event_filter f = { .mine = 1, .limit = 5 };
	struct event *xs;
	int64_t na, ni;
	int n = events_list(&r->dc, &r->me, &f, &xs, &na, &ni);

	if (n < 0)
		return;
	H(r, "<section class=\"card\" aria-labelledby=\"my-events\"><h2 id=\"my-events\">%s</h2>", T(r, "agenda.home_box"));
	if (!n)
		H(r, "<p class=\"empty\">%s</p>", T(r, "agenda.home_empty"));
	H(r, "<ul class=\"plain\">");
	for (int i = 0; i < n; i++)
		H(r, "<li><a href=\"/events/%lld\">%s</a> <span class=\"meta\">· %s, %s · %s</span></li>",
		  (long long)xs[i].id, xs[i].title, paris_day(r, xs[i].starts_at), paris_hm(r, xs[i].starts_at),
		  label(r, "agenda.state", xs[i].my_state));
	H(r, "</ul><p><a href=\"/events\">%s</a></p></section>", T(r, "agenda.see_all"));
}
