/* Posts (discussions, blog posts, wiki pages), their revisions, replies,
 * "useful" marks and read marks. Every read goes through the access module. */
#ifndef RESPIRE_DOMAIN_POSTS_H
#define RESPIRE_DOMAIN_POSTS_H

#include <stdint.h>

#include "domain/access.h"
#include "domain/domain.h"

#define POST_TITLE_MAX 200
#define POST_BODY_MAX 100000
#define REPLY_BODY_MAX 20000

extern const char *const post_kinds[];        /* discussion, blog, page */
extern const char *const post_visibilities[]; /* public, members, contacts, group, private */

struct post {
	struct post_ref ref;
	const char *kind, *title, *body;
	const char *author_name, *author_handle;
	const char *group_name;
	int64_t created_at, updated_at, last_activity_at;
	int64_t reply_count, useful_count, revision;
	int useful_by_me;
	int may_edit, may_moderate;
};

struct post_input {
	const char *kind, *title, *body, *visibility;
	int64_t group_id;      /* 0: none */
};

/* The columns of a post in lists (18 of them), the tables they come from
 * (posts p, groups g, users u), and the reader of a row from column c. */
#define POSTS_COLUMNS \
	ACCESS_REF_COLUMNS("p") ", p.kind," \
	" p.title, p.body, u.name, u.handle, g.name, p.created_at, p.updated_at, p.last_activity_at," \
	" p.reply_count, p.useful_count, p.revision"
#define POSTS_FROM " FROM posts p LEFT JOIN groups g ON g.id = p.group_id LEFT JOIN users u ON u.id = p.author_id"
void posts_read_row(struct dctx *dc, struct db_stmt *st, int c, struct post *p);

enum derr post_create(struct dctx *dc, const struct viewer *v, const struct post_input *in,
		      int64_t *id, const char **field);
/* D_NOT_FOUND when absent or not visible to v. Marks it read for v. */
enum derr post_get(struct dctx *dc, const struct viewer *v, int64_t id, struct post *out);
/* Changes title, body and/or visibility (NULL: unchanged); a new revision is
 * kept. D_FORBIDDEN for a viewer who sees the post but may not edit it. */
enum derr post_update(struct dctx *dc, const struct viewer *v, int64_t id,
		      const struct post_input *in, const char **field);
enum derr post_delete(struct dctx *dc, const struct viewer *v, int64_t id);
enum derr post_mark_useful(struct dctx *dc, const struct viewer *v, int64_t id, int on);

struct post_filter {
	int64_t author_id;     /* 0: any */
	int64_t group_id;      /* 0: any */
	const char *kind;      /* NULL: any */
	int only_public;       /* Atom feeds: public posts only */
	int only_pinned;       /* a group's pinned discussions (with group_id) */
	int64_t before;        /* cursor: posts with a smaller id */
	int limit;
};
int posts_list(struct dctx *dc, const struct viewer *v, const struct post_filter *f,
	       struct post **out, int64_t *next);

struct revision {
	int64_t revision;
	const char *title, *body;
	int64_t author_id;
	const char *author_name;
	int64_t created_at;
};
/* Revisions of a post the viewer may see, newest first; -2 when not visible. */
int post_revisions(struct dctx *dc, const struct viewer *v, int64_t id, struct revision **out);
enum derr post_revision_get(struct dctx *dc, const struct viewer *v, int64_t id, int64_t rev,
			    struct revision *out);

struct reply {
	int64_t id, post_id, author_id, quote_id;
	const char *author_name, *author_handle;
	const char *quote_author, *quote_body;
	const char *body;
	int64_t created_at, updated_at;
	int hidden;
	int may_edit, may_moderate;
};

/* quote_id 0: no quote; it must be a reply of the same post. */
enum derr reply_create(struct dctx *dc, const struct viewer *v, int64_t post_id, const char *body,
		       int64_t quote_id, int64_t *id, const char **field);
/* Replies in time order after the cursor; -2 when the post is not visible. */
int replies_list(struct dctx *dc, const struct viewer *v, int64_t post_id, int64_t after, int limit,
		 struct reply **out, int64_t *next);
/* The same for a post V was already given by post_get (the post page: one
 * load of the post a request). */
int replies_list_of(struct dctx *dc, const struct viewer *v, const struct post *p, int64_t after, int limit,
		    struct reply **out, int64_t *next);
enum derr reply_get(struct dctx *dc, const struct viewer *v, int64_t id, struct reply *out,
		    struct post_ref *post);
enum derr reply_update(struct dctx *dc, const struct viewer *v, int64_t id, const char *body);
enum derr reply_delete(struct dctx *dc, const struct viewer *v, int64_t id);

/* "Mes discussions": threads I started or replied to, with unread marks. */
struct thread {
	struct post p;
	int unread;
};
/* Newest activity first; the cursor is the (activity time, id) of the last
 * thread of the previous page (0, 0 for the first); *next_* are 0 at the end. */
int my_discussions(struct dctx *dc, const struct viewer *v, int64_t before_activity, int64_t before_id,
		   int limit, struct thread **out, int64_t *next_activity, int64_t *next_id);

#endif
