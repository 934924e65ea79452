/* Professional profiles and the colleague directory. Profiles are seen by
 * members only, never by visitors; the e-mail only by its owner. */
#ifndef RESPIRE_DOMAIN_PROFILE_H
#define RESPIRE_DOMAIN_PROFILE_H

#include <stdint.h>

#include "domain/domain.h"

#define PROFILE_MAX_TAGS 20
#define TAG_MAX_CHARS 60
#define BIO_MAX_CHARS 2000
#define FIELD_MAX_CHARS 120

enum tag_kind { TAG_SUBJECT, TAG_LEVEL, TAG_INTEREST, TAG_KINDS };

extern const char *const tag_kind_names[TAG_KINDS];   /* "subject", "level", "interest" */
extern const char *const profile_roles[];             /* "teacher", ... NULL-terminated */

struct profile {
	int64_t id;
	const char *name;
	const char *handle;        /* for @mentions: "claire-martin" */
	const char *email;        /* NULL but from profile_get_account: never in a profile */
	const char *role;         /* one of profile_roles, or "" */
	const char *bio;
	const char *academy;
	const char *school;        /* free text, or the name of school_uai's school */
	const char *school_uai;    /* a school of the directory (domain/schools.h), or NULL */
	int show_school;           /* listed on that school's page */
	const char *lang;
	int has_avatar;
	int admin;
	int allow_follow;         /* others may follow without a request */
	const char *default_licence; /* proposed for new documents (CC-BY-SA...) */
	int64_t created_at;
	const char *tags[TAG_KINDS][PROFILE_MAX_TAGS];
	int ntags[TAG_KINDS];
};

/* What to change; NULL fields and set_tags[k] == 0 are left as they are. */
struct profile_patch {
	const char *name, *role, *bio, *academy, *school, *lang, *default_licence;
	/* A school of the directory by UAI ("" for none): unknown is D_INVALID
	 * "school_uai"; the free-text school becomes its name (unless school
	 * is given too). */
	const char *school_uai;
	int set_show_school, show_school;
	int set_allow_follow;      /* change allow_follow (else left as it is) */
	int allow_follow;
	int set_tags[TAG_KINDS];
	const char *tags[TAG_KINDS][PROFILE_MAX_TAGS + 1];
	int ntags[TAG_KINDS];     /* may exceed PROFILE_MAX_TAGS: then D_INVALID */
};

/* A member's profile as others see it, whoever asks (the member included):
 * never the e-mail. */
enum derr profile_get(struct dctx *dc, const struct viewer *who, int64_t id, struct profile *out);
/* The viewer's own profile and account: also the e-mail (GET /me). */
enum derr profile_get_account(struct dctx *dc, const struct viewer *who, struct profile *out);
/* On D_INVALID, *field names the first bad field. */
enum derr profile_update(struct dctx *dc, const struct viewer *who, const struct profile_patch *p,
			 const char **field);
/* Takes an uploaded image (PNG, JPEG, GIF or WebP by content) as the avatar.
 * D_UNSUPPORTED_TYPE: another type, or a header that gives no size;
 * D_INVALID: wider or taller than max_avatar_side pixels (read from the
 * header, the image is never decoded). */
enum derr profile_set_avatar(struct dctx *dc, const struct viewer *who, const char *tmp_path);
enum derr profile_remove_avatar(struct dctx *dc, const struct viewer *who);
/* The avatar file of a member the viewer may see. */
enum derr profile_avatar(struct dctx *dc, const struct viewer *who, int64_t id,
			 const char **path, const char **mime);

/* The public name of an active member (for feeds of public posts), or NULL. */
const char *user_public_name(struct dctx *dc, int64_t id);
/* The active member with this @handle (with or without the '@'), or 0. */
int64_t user_by_handle(struct dctx *dc, const char *handle);

struct user_filter {
	const char *q;            /* words of the profile (search index: accents folded, prefixes) */
	const char *subject, *level, *interest, *academy, *school, *role; /* whole values */
	int64_t after;            /* cursor: last id of the previous page, 0 for the first */
	int limit;                /* 1..100 */
};
/* Active members matching f, ordered by id; *next is the cursor or 0. */
int users_find(struct dctx *dc, const struct viewer *who, const struct user_filter *f,
	       struct profile **out, int64_t *next);

#endif
