/* Contacts (mutual, by request and acceptance) and follows (one way, where
 * the followed member allows it). */
#ifndef RESPIRE_DOMAIN_CONTACTS_H
#define RESPIRE_DOMAIN_CONTACTS_H

#include <stdint.h>

#include "domain/domain.h"
#include "domain/profile.h"

enum contact_state { CONTACT_NONE, CONTACT_REQUESTED_BY_ME, CONTACT_REQUESTED_TO_ME, CONTACT_ACCEPTED };

/* Asks user to be a contact. If they had asked me, both become contacts
 * (*accepted = 1). D_CONFLICT when already asked or contacts, D_INVALID for myself,
 * D_NOT_FOUND for an unknown or inactive member. */
enum derr contact_request(struct dctx *dc, const struct viewer *v, int64_t user, int *accepted);
/* Accepts user's pending request to me; D_NOT_FOUND when there is none. */
enum derr contact_accept(struct dctx *dc, const struct viewer *v, int64_t user);
/* Removes a contact, declines a request to me or withdraws mine. */
enum derr contact_remove(struct dctx *dc, const struct viewer *v, int64_t user);
enum contact_state contact_state_with(struct dctx *dc, const struct viewer *v, int64_t user);
/* Accepted contacts, by name. */
int contacts_list(struct dctx *dc, const struct viewer *v, struct profile **out);
/* The first max accepted contacts by name, with id and name only (the home page). */
int contacts_first(struct dctx *dc, const struct viewer *v, int max, struct profile **out);
/* Pending requests to me (incoming = 1) or from me (incoming = 0), newest first. */
int contact_requests(struct dctx *dc, const struct viewer *v, int incoming, struct profile **out);

enum derr follow(struct dctx *dc, const struct viewer *v, int64_t user);
enum derr unfollow(struct dctx *dc, const struct viewer *v, int64_t user);
int is_following(struct dctx *dc, const struct viewer *v, int64_t user);

#endif
