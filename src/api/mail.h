/* JSON API: notification settings and unsubscribing (api/mail.c). */
#ifndef RESPIRE_API_MAIL_H
#define RESPIRE_API_MAIL_H

#include "http/request.h"

void api_notification_settings_get(struct request *r);
void api_notification_settings_put(struct request *r);
void api_unsubscribe(struct request *r);

#endif
