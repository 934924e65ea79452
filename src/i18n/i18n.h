/* French and English message catalogue. Every user-visible text has an
 * entry with both languages (catalog.c); tr() looks one up by key. */
#ifndef RESPIRE_I18N_I18N_H
#define RESPIRE_I18N_I18N_H

#include <stddef.h>

struct msg {
	const char *key;
	const char *fr;
	const char *en;
};

/* Tables ending with a { NULL } entry: catalog.c (frame, mails, errors),
 * catalog_pages.c (account and profile pages), catalog_social.c (the social core). */
extern const struct msg i18n_common[];
extern const struct msg i18n_pages[];
extern const struct msg i18n_social[];
extern const struct msg i18n_documents[];
extern const struct msg i18n_search[];
extern const struct msg i18n_schools[];
extern const struct msg i18n_academies[];   /* catalog_academies.c */
extern const struct msg i18n_innovations[];
extern const struct msg i18n_innovations_import[]; /* catalog_innovations_import.c: the admins' upload page */
extern const struct msg i18n_admin[]; /* catalog_admin.c: the operators' console, the legal pages */
extern const struct msg i18n_calls[];         /* catalog_calls.c: calls for proposals */
extern const struct msg i18n_live[];
extern const struct msg i18n_agenda[];      /* catalog_agenda.c: events and registrations */
extern const struct msg i18n_stats[];       /* catalog_stats.c: the operators' statistics, a member's objection */
extern const struct msg i18n_mail[];        /* catalog_mail.c: notification mails, settings, unsubscribe */

/* The text of key in lang ("fr" or "en"); the key itself when missing (logged). */
const char *tr(const char *lang, const char *key);
/* Checks the catalogue (both languages present, no duplicate key); 0 when sound. */
int i18n_check(char *err, size_t errlen);

#endif
