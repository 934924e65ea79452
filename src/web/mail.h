/* Pages: notification settings and unsubscribe links (web/mail.c). */
#ifndef RESPIRE_WEB_MAIL_H
#define RESPIRE_WEB_MAIL_H

#include "http/request.h"

void web_notification_settings(struct request *r);
void web_unsubscribe(struct request *r);

#endif
