/* /api/v1 calls for proposals (issue 20): handlers listed in api/routes.c. */
#ifndef RESPIRE_API_CALLS_H
#define RESPIRE_API_CALLS_H

#include "http/request.h"

void api_calls_create(struct request *r);
void api_calls_list(struct request *r);
void api_calls_get(struct request *r);
void api_calls_patch(struct request *r);
void api_calls_proposals(struct request *r);
void api_calls_reviewer_put(struct request *r);
void api_calls_reviewer_delete(struct request *r);
void api_calls_reviewers(struct request *r);
void api_calls_assignments(struct request *r);
void api_calls_dashboard(struct request *r);
void api_proposals_create(struct request *r);
void api_proposals_get(struct request *r);
void api_proposals_patch(struct request *r);
void api_proposals_submit(struct request *r);
void api_proposals_withdraw(struct request *r);
void api_proposals_review(struct request *r);
void api_proposals_decision(struct request *r);
void api_proposals_publish(struct request *r);
void api_proposals_vote(struct request *r);
void api_proposals_assign(struct request *r);
void api_proposals_unassign(struct request *r);
void api_me_proposals(struct request *r);
void api_me_reviews(struct request *r);

#endif
