/* Calls for proposals (issue 20): a call with its form and rubric, its
 * reviewers by stage; proposals written by an author and co-authors,
 * submitted before the deadline, assigned to reviewers (never a co-author,
 * a member of the same school or, at the academy stage, a reviewer of
 * another academy), reviewed with scores per criterion, decided by the
 * call's managers (admins, owners of the call's group), published as an
 * innovation record; public votes.
 *
 * Every rule about time reads dc->now. closes_at is EXCLUSIVE: a proposal
 * may be created, edited and submitted while opens_at <= now < closes_at;
 * at now == closes_at the call is closed. Each write that depends on the
 * deadline checks it in the same SQL statement that writes (UPDATE ...
 * WHERE EXISTS (SELECT 1 FROM calls WHERE ? < closes_at)), so a submit and
 * a concurrent change of the deadline, on two servers sharing one
 * database, give one answer.
 *
 * Refusals: D_INVALID, D_CONFLICT or D_FORBIDDEN with *reason set to one of
 * the CALL_E_* codes below (the API's error codes), or to a field name. */
#ifndef RESPIRE_DOMAIN_CALLS_H
#define RESPIRE_DOMAIN_CALLS_H

#include <stdint.h>

#include "domain/access.h"
#include "domain/domain.h"

#define CALL_TITLE_MAX 200
#define CALL_TEXT_MAX 50000
#define CALL_FIELDS_MAX 30
#define CALL_CRITERIA_MAX 20
#define CALL_OPTIONS_MAX 30
#define CALL_KEY_MAX 40              /* [a-z0-9_], the key of a field or criterion */
#define CALL_LABEL_MAX 200
#define CALL_SCORE_MAX 100           /* a criterion's max: 1..100 */
#define CALL_WEIGHT_MAX 100          /* a criterion's weight: 1..100 */
#define CALL_REVIEWERS_MAX 10        /* reviewers per proposal: 1..10 */
#define PROPOSAL_TEXT_MAX 1000       /* characters of a "text" answer */
#define PROPOSAL_LONGTEXT_MAX 100000 /* bytes of a "longtext" answer */
#define PROPOSAL_COAUTHORS_MAX 10
#define PROPOSAL_MESSAGE_MAX 10000

/* The reasons (API codes) of refusals. */
#define CALL_E_CLOSED "call_closed"               /* now >= closes_at */
#define CALL_E_NOT_OPEN "call_not_open"           /* now < opens_at */
#define CALL_E_DATES "invalid_dates"              /* closes_at <= opens_at */
#define CALL_E_NO_FIELD "no_field"                /* a form without a field */
#define CALL_E_FIELD_TYPE "unknown_field_type"
#define CALL_E_NO_OPTIONS "choice_without_options"
#define CALL_E_RUBRIC "rubric_out_of_range"       /* max or weight out of 1..100 */
#define CALL_E_MISSING "missing_answer"           /* a required answer at submit */
#define CALL_E_ANSWER "invalid_answer"            /* an unknown key, a bad choice, a file not seen */
#define CALL_E_TOO_LONG "answer_too_long"
#define CALL_E_STATUS "invalid_status"            /* not in a state that allows it */
#define CALL_E_SCORE "score_out_of_range"
#define CALL_E_CONFLICT "reviewer_conflict"       /* author, same school, other academy */
#define CALL_E_NOT_REVIEWER "not_a_reviewer"
#define CALL_E_VOTED "already_voted"
#define CALL_E_NO_VOTE "no_public_vote"
#define CALL_E_PUBLISHED "already_published"
#define CALL_E_ACADEMY "academy_required"         /* publishing needs the author's academy */

extern const char *const call_field_types[];     /* text, longtext, choice, file */
extern const char *const call_stages[];          /* academy, national */
extern const char *const proposal_statuses[];    /* draft ... withdrawn */
extern const char *const proposal_decisions[];   /* accepted, rejected, waitlisted */
extern const char *const review_recommendations[]; /* accept, reject, discuss */

struct call_field {
	const char *key, *label, *type;
	int required;
	const char **options;
	int noptions;
};

struct call_criterion {
	const char *key, *label;
	int64_t max, weight;
};

struct call {
	int64_t id, group_id;
	const char *group_name;       /* "" when none */
	const char *title, *description;
	int64_t opens_at, closes_at, reviews_due_at;
	const char *stages[2];
	int nstages;
	int64_t reviewers_per_proposal;
	int public_vote;
	int64_t created_by, created_at, updated_at;
	struct call_field *fields;
	int nfields;
	struct call_criterion *criteria;
	int ncriteria;
	/* V's standing */
	int may_manage, is_reviewer;
	int open;                      /* opens_at <= now < closes_at */
	int64_t proposal_count;        /* submitted or later (not drafts, not withdrawn) */
};

struct call_input {
	const char *title, *description;
	int64_t opens_at, closes_at, reviews_due_at;   /* -1: absent */
	int64_t group_id;                              /* -1: absent (creation only) */
	const struct call_field *fields;
	int nfields;                                   /* -1: absent */
	const struct call_criterion *criteria;
	int ncriteria;                                 /* -1: absent */
	const char *const *stages;
	int nstages;                                   /* -1: absent */
	int64_t reviewers_per_proposal;                /* -1: absent */
	int public_vote;                               /* -1: absent */
	const char *bad_type;                          /* set by a front-end that met an unknown field type */
};

void call_input_init(struct call_input *in);

/* An admin (any call) or an owner of group_id (a call of that group).
 * D_INVALID/D_FORBIDDEN with *reason; D_NOT_FOUND for a group V may not see. */
enum derr call_create(struct dctx *dc, const struct viewer *v, const struct call_input *in, int64_t *id,
		      const char **reason);
enum derr call_get(struct dctx *dc, const struct viewer *v, int64_t id, struct call *out);
/* Managers only (D_FORBIDDEN otherwise); the form and rubric are replaced
 * when given. */
enum derr call_update(struct dctx *dc, const struct viewer *v, int64_t id, const struct call_input *in,
		      const char **reason);
/* Calls V sees, newest first (open_only: opens_at <= now < closes_at,
 * closing first), without their forms. Returns the count or -1. */
int calls_list(struct dctx *dc, const struct viewer *v, int open_only, int64_t before, int limit, struct call **out,
	       int64_t *next);

/* Makes user a reviewer of the call at stage (academies: at the academy
 * stage, those they review; none: their profile's academy). Managers only. */
enum derr call_set_reviewer(struct dctx *dc, const struct viewer *v, int64_t call_id, int64_t user, const char *stage,
			    const char *const *academies, int nacademies, const char **reason);
enum derr call_remove_reviewer(struct dctx *dc, const struct viewer *v, int64_t call_id, int64_t user,
			       const char *stage);

struct call_reviewer {
	int64_t user_id;
	const char *name, *stage, *academies;
	int64_t assigned, reviewed;
};
/* The call's reviewers with their load (managers only): the count or -1,
 * -2 when V may not manage the call. */
int call_reviewers(struct dctx *dc, const struct viewer *v, int64_t call_id, struct call_reviewer **out);

/* Assigns every submitted proposal (submitted or under review) reviewers
 * of the stage (NULL: the call's first) up to reviewers_per_proposal, the
 * least loaded first, never a conflict; *assigned counts the new
 * assignments, *unfilled the proposals left short. */
enum derr call_auto_assign(struct dctx *dc, const struct viewer *v, int64_t call_id, const char *stage,
			   int64_t *assigned, int64_t *unfilled, const char **reason);
/* Assigns (on) or unassigns one reviewer by hand (managers). */
enum derr proposal_assign(struct dctx *dc, const struct viewer *v, int64_t id, int64_t reviewer, const char *stage,
			  int on, const char **reason);

struct proposal_answer {
	const char *key, *value;
};

struct proposal_person {
	int64_t id;
	const char *name, *role;
};

struct review_score {
	const char *key;
	int64_t score;
};

struct proposal_review {
	int64_t reviewer_id;
	const char *reviewer_name, *stage, *recommendation, *comment;
	int64_t assigned_at, reviewed_at;   /* reviewed_at 0: not yet */
	struct review_score *scores;
	int nscores;
};

struct proposal {
	int64_t id, call_id;
	const char *call_title;
	int64_t author_id;
	const char *author_name;
	const char *title, *status, *academy;
	int64_t created_at, updated_at, submitted_at, decided_at;
	const char *decision_message;
	int64_t innovation_id;
	int64_t score_num, score_den;   /* weighted mean = num / den (den 0: no review yet) */
	int64_t reviews_done, reviews_assigned;
	int64_t votes;                  /* -1: not shown (before the close, or no public vote) */
	/* read by proposal_get only */
	struct proposal_answer *answers;
	int nanswers;
	struct proposal_person *authors;
	int nauthors;
	struct proposal_review *reviews; /* managers: all; a reviewer: their own */
	int nreviews;
	int is_author, is_manager, is_reviewer, voted_by_me;
};

struct proposal_input {
	const char *title;
	const struct proposal_answer *answers;
	int nanswers;                   /* -1: absent */
	const int64_t *coauthors;
	int ncoauthors;                 /* -1: absent */
};

void proposal_input_init(struct proposal_input *in);

enum derr proposal_create(struct dctx *dc, const struct viewer *v, int64_t call_id, const struct proposal_input *in,
			  int64_t *id, const char **reason);
enum derr proposal_get(struct dctx *dc, const struct viewer *v, int64_t id, struct proposal *out);
enum derr proposal_update(struct dctx *dc, const struct viewer *v, int64_t id, const struct proposal_input *in,
			  const char **reason);
/* Submits (again, after an edit: the receipt is mailed each time). */
enum derr proposal_submit(struct dctx *dc, const struct viewer *v, int64_t id, const char **reason);
enum derr proposal_withdraw(struct dctx *dc, const struct viewer *v, int64_t id, const char **reason);

struct review_input {
	const struct review_score *scores;
	int nscores;
	const char *recommendation, *comment;
};
/* Assigned reviewers only (others D_NOT_FOUND, or D_FORBIDDEN for those who
 * see the proposal otherwise); posting again replaces the review. */
enum derr proposal_review_save(struct dctx *dc, const struct viewer *v, int64_t id, const struct review_input *in,
			       const char **reason);
enum derr proposal_decide(struct dctx *dc, const struct viewer *v, int64_t id, const char *status,
			  const char *message, const char **reason);
enum derr proposal_publish(struct dctx *dc, const struct viewer *v, int64_t id, int64_t *innovation_id,
			   const char **reason);
/* *call_id: the proposal's call (for the page to go back to). */
enum derr proposal_vote(struct dctx *dc, const struct viewer *v, int64_t id, int64_t *call_id, const char **reason);

struct proposal_filter {
	const char *status, *academy;
	int mine;                       /* only V's own (as author) */
	int ballot;                     /* the public vote's ballot: submitted proposals, any member */
	int64_t before;
	int limit;
};
/* Proposals of a call V may open (managers: all; reviewers: assigned;
 * authors: their own), newest first; with f->ballot, the proposals open to
 * the public vote. Count, -1 on error, -2 when V may not see the call. */
int proposals_list(struct dctx *dc, const struct viewer *v, int64_t call_id, const struct proposal_filter *f,
		   struct proposal **out, int64_t *next);
/* V's proposals over every call, newest first. */
int proposals_mine(struct dctx *dc, const struct viewer *v, struct proposal **out);
/* The proposals assigned to V, not yet reviewed first. */
int proposals_to_review(struct dctx *dc, const struct viewer *v, struct proposal **out);
/* Reads a listed proposal's answers and authors (the CSV export). */
int proposal_read_details(struct dctx *dc, struct proposal *p);

struct call_count {
	const char *key;
	int64_t count;
};
struct call_dashboard {
	struct call_count *by_status, *by_academy;
	int nstatus, nacademy;
	int64_t *per_day;               /* submissions per Europe/Paris day, from day0 */
	int64_t day0;
	int ndays;
	int64_t reviews_assigned, reviews_done, reviews_late;
};
/* Managers only (D_NOT_FOUND / D_FORBIDDEN). */
enum derr call_dashboard(struct dctx *dc, const struct viewer *v, int64_t call_id, struct call_dashboard *out);

/* The proposal an innovation record was published from, if any: 1 with its
 * call's id and title, 0 none, -1 on error. */
/* The programme an event shows: the call's accepted proposals (title,
 * authors, the record published from one), in order of decision, to whoever
 * sees the call (access.c, AK_CALL: an accepted proposal's title and authors
 * are the call's public face; its answers and reviews stay private). Returns
 * the count (0 when the call is not seen), -1 on error. */
#define PROGRAMME_MAX 200
#define PROGRAMME_AUTHORS_MAX 21
struct programme_item {
	int64_t proposal_id, innovation_id;     /* innovation_id 0: none published */
	const char *title;
	int nauthors;
	int64_t author_ids[PROGRAMME_AUTHORS_MAX];
	const char *author_names[PROGRAMME_AUTHORS_MAX];
};
int call_programme(struct dctx *dc, const struct viewer *v, int64_t call_id, struct programme_item **out);

int call_of_innovation(struct dctx *dc, int64_t innovation_id, int64_t *call_id, const char **call_title);

#endif
