/* Pages of calls for proposals (issue 20): handlers listed in web/routes.c. */
#ifndef RESPIRE_WEB_CALLS_H
#define RESPIRE_WEB_CALLS_H

#include "http/request.h"

void web_calls(struct request *r);
void web_call(struct request *r);
void web_call_dashboard(struct request *r);
void web_call_proposals(struct request *r);
void web_call_csv(struct request *r);
void web_call_reviewer_add(struct request *r);
void web_call_assign(struct request *r);
void web_proposal_new(struct request *r);
void web_proposal(struct request *r);
void web_proposal_edit(struct request *r);
void web_proposal_submit(struct request *r);
void web_proposal_withdraw(struct request *r);
void web_proposal_review(struct request *r);
void web_proposal_decision(struct request *r);
void web_proposal_publish(struct request *r);
void web_proposal_vote(struct request *r);
void web_proposal_assign(struct request *r);
void web_my_proposals(struct request *r);
void web_my_reviews(struct request *r);
/* The managers' form (web/calls_form.c): GET|POST /calls/new, /calls/{id}/edit. */
void web_call_new(struct request *r);
void web_call_edit(struct request *r);
/* May the viewer create a call (an admin, a group's owner)? */
int web_may_create_call(struct request *r);
/* The home page's block of open calls (nothing when none is open). */
void web_calls_home_block(struct request *r);

#endif
