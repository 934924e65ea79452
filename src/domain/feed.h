/* "Mes informations": what my contacts, the members I follow, my groups and I
 * did, newest first, only what I may see (filtered inside the query). */
#ifndef RESPIRE_DOMAIN_FEED_H
#define RESPIRE_DOMAIN_FEED_H

#include <stdint.h>

#include "domain/documents.h"
#include "domain/posts.h"

struct activity {
	int64_t id;
	const char *verb;        /* post, reply, revise, document, innovation, innovation_update */
	int64_t actor_id;
	const char *actor_name;
	int64_t reply_id;
	const char *excerpt;     /* of the reply, or of the post */
	int64_t created_at;
	struct post post;        /* verb post, reply, revise */
	struct document *doc;    /* verb document (else NULL) */
	/* verbs innovation (created) and innovation_update: the record */
	int64_t innovation_id;   /* else 0 */
	const char *innovation_title, *innovation_academy, *innovation_visibility;
};

int feed_list(struct dctx *dc, const struct viewer *v, int64_t before, int limit,
	      struct activity **out, int64_t *next);

#endif
