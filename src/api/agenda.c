/* /api/v1/events: events and their registrations (domain/agenda.c). */
#include "api/agenda.h"

#include <string.h>

#include "api/api.h"
#include "domain/agenda.h"
#include "domain/calls.h"
#include "http/events.h"
#include "util/text.h"

static json_t *event_json(struct request *r, const struct event *e)
{
	const char *base = r->dc.base_url ? r->dc.base_url : "";
	json_t *o = json_pack("{s:o,s:s,s:s,s:I,s:I,s:s,s:s,s:s,s:I,s:s,s:I,s:I,s:I,s:I,s:b}",
			      "id", api_id(e->id), "title", e->title, "description", e->description,
			      "starts_at", (json_int_t)e->starts_at, "ends_at", (json_int_t)e->ends_at,
			      "timezone", "Europe/Paris", "place", e->place, "url", e->url,
			      "capacity", (json_int_t)e->capacity, "visibility", e->visibility,
			      "registered_count", (json_int_t)e->registered, "waitlisted_count", (json_int_t)e->waitlisted,
			      "created_at", (json_int_t)e->created_at, "updated_at", (json_int_t)e->updated_at,
			      "may_edit", e->may_edit);

	if (!o)
		return json_null();
	json_object_set_new(o, "description_html", api_body_html(r->arena, e->description));
	json_object_set_new(o, "group_id", e->group_id ? api_id(e->group_id) : json_null());
	json_object_set_new(o, "group", e->group_id ? json_pack("{s:o,s:s}", "id", api_id(e->group_id), "name",
								 e->group_name) : json_null());
	json_object_set_new(o, "organiser", e->author_id ? json_pack("{s:o,s:s}", "id", api_id(e->author_id), "name",
								      e->author_name) : json_null());
	json_object_set_new(o, "room_id", e->room_id ? api_id(e->room_id) : json_null());
	json_object_set_new(o, "call_id", e->call_id ? json_integer(e->call_id) : json_null());
	json_object_set_new(o, "places_left", e->capacity ? json_integer(e->capacity > e->registered ?
									  e->capacity - e->registered : 0) :
			    json_null());
	json_object_set_new(o, "my_registration", e->my_state ?
			    json_pack("{s:s,s:o}", "state", e->my_state, "position",
				      e->my_position ? json_integer(e->my_position) : json_null()) : json_null());
	json_object_set_new(o, "ics_url", json_sprintf("%s/events/%lld.ics", base, (long long)e->id));
	return o;
}

/* An integer field: absent (-1 kept), null (0: none/unlimited), a
 * negative value (-2: refused by the domain), or the value. */
static int read_int(struct request *r, json_t *o, const char *key, int64_t *out)
{
	json_t *v = json_object_get(o, key);

	if (!v)
		return 0;
	if (json_is_null(v)) {
		*out = 0;
		return 0;
	}
	if (!json_is_integer(v)) {
		api_derr(r, D_INVALID, key);
		return -1;
	}
	*out = json_integer_value(v) < 0 ? -2 : json_integer_value(v);
	return 0;
}

static int read_input(struct request *r, json_t *o, struct event_input *in)
{
	event_input_init(in);
	if (api_str(r, o, "title", 0, &in->title) || api_str(r, o, "description", 0, &in->description) ||
	    api_str(r, o, "place", 0, &in->place) || api_str(r, o, "url", 0, &in->url) ||
	    api_str(r, o, "visibility", 0, &in->visibility))
		return -1;
	if (read_int(r, o, "starts_at", &in->starts_at) || read_int(r, o, "ends_at", &in->ends_at) ||
	    read_int(r, o, "capacity", &in->capacity) || read_int(r, o, "group_id", &in->group_id) ||
	    read_int(r, o, "room_id", &in->room_id) || read_int(r, o, "call_id", &in->call_id))
		return -1;
	return 0;
}

static void agenda_error(struct request *r, enum derr e, const char *field)
{
	if (e == D_FORBIDDEN && field && !strcmp(field, "group_id"))
		resp_json_error(r, 403, "not_group_member", "Only the group's members create its events.");
	else if (e == D_FORBIDDEN)
		resp_json_error(r, 403, "forbidden", "Only the event's organisers (its creator, its group's owners, "
				"admins) change it.");
	else if (e == D_INVALID && field && !strcmp(field, "ended"))
		resp_json_error(r, 422, "event_ended", "The event is over: registrations are closed.");
	else if (e == D_NOT_FOUND && field && !strcmp(field, "registration"))
		resp_json_error(r, 404, "not_registered", "You are not registered for this event.");
	else
		api_derr(r, e, field);
}

/* The programme: the accepted proposals of the event's call, when the
 * caller sees the call (domain/calls.c); null without a call or unseen. */
static json_t *programme_json(struct request *r, int64_t call_id)
{
	struct programme_item *items;
	int n = call_id ? call_programme(&r->dc, &r->me, call_id, &items) : 0;
	json_t *a;

	if (n < 0 || !call_id || (n == 0 && access_check(&r->dc, &r->me, AK_CALL, call_id, AA_SEE) != D_OK))
		return json_null();
	a = json_array();
	for (int i = 0; i < n; i++) {
		json_t *authors = json_array();

		for (int k = 0; k < items[i].nauthors; k++)
			json_array_append_new(authors, json_pack("{s:o,s:s}", "id", api_id(items[i].author_ids[k]),
								 "name", items[i].author_names[k]));
		json_array_append_new(a, json_pack("{s:o,s:s,s:o,s:o}", "proposal_id", api_id(items[i].proposal_id),
						   "title", items[i].title, "authors", authors, "innovation_id",
						   items[i].innovation_id ? api_id(items[i].innovation_id) : json_null()));
	}
	return a;
}

static void answer(struct request *r, int status, int64_t id)
{
	struct event e;
	enum derr rc = event_get(&r->dc, &r->me, id, &e);
	json_t *o;

	if (rc != D_OK) {
		api_derr(r, rc, NULL);
		return;
	}
	o = event_json(r, &e);
	json_object_set_new(o, "programme", programme_json(r, e.call_id));
	resp_json(r, status, o);
}

/* POST /api/v1/events */
void api_agenda_create(struct request *r)
{
	json_t *o = api_body(r);
	struct event_input in;
	const char *field = NULL;
	int64_t id = 0;
	enum derr e;

	if (!o || read_input(r, o, &in) < 0)
		return;
	if (!in.title || in.starts_at == -1 || in.ends_at == -1) {
		api_derr(r, D_INVALID, !in.title ? "title" : in.starts_at == -1 ? "starts_at" : "ends_at");
		return;
	}
	e = event_create(&r->dc, &r->me, &in, &id, &field);
	if (e != D_OK)
		agenda_error(r, e, field);
	else
		answer(r, 201, id);
}

/* GET /api/v1/events?group_id=&mine=1&past=1&from=&to=&cursor= (or the live stream) */
void api_agenda_list(struct request *r)
{
	struct event_filter f = { 0 };
	struct event *xs;
	const char *g = req_query(r, "group_id"), *c = req_query(r, "cursor"), *from = req_query(r, "from"),
		   *to = req_query(r, "to");
	int64_t next_at = 0, next_id = 0;
	json_t *items;
	int n;

	if (events_stream_wanted(r)) {
		events_open_member(r);
		return;
	}
	if ((g && (f.group_id = parse_id(g)) <= 0) || (c && event_cursor_parse(c, &f.cursor_at, &f.cursor_id) < 0) ||
	    (from && (f.from = parse_id(from)) <= 0) || (to && (f.to = parse_id(to)) <= 0)) {
		resp_json(r, 400, json_pack("{s:{s:s,s:s}}", "error", "code", "invalid_parameter", "message",
					    "A filter (group_id, from, to, cursor) is malformed."));
		return;
	}
	f.mine = req_query(r, "mine") && !strcmp(req_query(r, "mine"), "1");
	f.past = req_query(r, "past") && !strcmp(req_query(r, "past"), "1");
	f.limit = 50;
	n = events_list(&r->dc, &r->me, &f, &xs, &next_at, &next_id);
	if (n < 0) {
		api_derr(r, D_INTERNAL, NULL);
		return;
	}
	items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, event_json(r, &xs[i]));
	resp_json(r, 200, json_pack("{s:o,s:o}", "items", items, "next",
				    next_id ? json_sprintf("%lld-%lld", (long long)next_at, (long long)next_id) :
				    json_null()));
}

void api_agenda_get(struct request *r)
{
	answer(r, 200, req_param_id(r, 0));
}

void api_agenda_patch(struct request *r)
{
	json_t *o = api_body(r);
	struct event_input in;
	const char *field = NULL;
	int64_t id = req_param_id(r, 0);
	enum derr e;

	if (!o || read_input(r, o, &in) < 0)
		return;
	e = event_update(&r->dc, &r->me, id, &in, &field);
	if (e != D_OK)
		agenda_error(r, e, field);
	else
		answer(r, 200, id);
}

void api_agenda_delete(struct request *r)
{
	enum derr e = event_delete(&r->dc, &r->me, req_param_id(r, 0));

	if (e != D_OK)
		agenda_error(r, e, NULL);
	else
		api_no_content(r);
}

/* POST /api/v1/events/{id}/registrations: 201 {state} (200 when already there) */
void api_agenda_register(struct request *r)
{
	const char *state = NULL;
	int created = 0;
	enum derr e = event_register(&r->dc, &r->me, req_param_id(r, 0), &state, &created);

	if (e != D_OK)
		agenda_error(r, e, e == D_INVALID ? "ended" : NULL);
	else
		resp_json(r, created ? 201 : 200, json_pack("{s:s}", "state", state));
}

/* DELETE /api/v1/events/{id}/registrations/me: 204; the first waiting member moves up */
void api_agenda_unregister(struct request *r)
{
	const char *field = NULL;
	int64_t promoted = 0;
	enum derr e = event_unregister(&r->dc, &r->me, req_param_id(r, 0), &promoted, &field);

	if (e != D_OK)
		agenda_error(r, e, field);
	else
		api_no_content(r);
}

/* GET /api/v1/events/{id}/registrations: the organisers' list (404 to anyone else) */
void api_agenda_registrations(struct request *r)
{
	struct event_registration *xs;
	enum derr e;
	int n = event_registrations(&r->dc, &r->me, req_param_id(r, 0), &xs, &e);
	json_t *items;

	if (n < 0) {
		api_derr(r, e == D_FORBIDDEN ? D_NOT_FOUND : e, NULL);
		return;
	}
	items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, json_pack("{s:o,s:s,s:s,s:s,s:I}", "user_id", api_id(xs[i].user_id),
						       "name", xs[i].name, "email", xs[i].email, "state", xs[i].state,
						       "registered_at", (json_int_t)xs[i].registered_at));
	resp_json(r, 200, json_pack("{s:o,s:n}", "items", items, "next"));
}
