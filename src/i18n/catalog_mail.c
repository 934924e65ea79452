/* Catalogue: notification mails, daily digests, notification settings and
 * unsubscribe pages. Keep both languages. */
#include "i18n/i18n.h"

const struct msg i18n_mail[] = {
	/* mails at once */
	{ "mail.someone", "Quelqu’un", "Someone" },
	{ "mail.now.room_mention", "vous a mentionné·e dans une discussion", "mentioned you in a conversation" },
	{ "mail.now.room", "a écrit dans une discussion", "wrote in a conversation" },
	{ "mail.now.why", "Vous recevez ce courriel parce que vos réglages de notification le demandent.",
	  "You get this mail because your notification settings ask for it." },
	{ "mail.now.settings", "Régler vos notifications : ", "Choose your notifications: " },
	{ "mail.now.stop", "Ne plus recevoir ces courriels : ", "Stop these mails: " },
	{ "mail.message.wrote", "vous a écrit", "wrote to you" },
	{ "mail.message.answer", "Répondre : ", "Answer: " },
	{ "mail.message.gap", "Les messages suivants de cette conversation ne vous seront pas envoyés avant dix minutes.",
	  "Further messages of this conversation will not be mailed to you for ten minutes." },
	{ "mail.group.posted", "a publié dans le groupe", "posted in the group" },
	/* daily digests */
	{ "mail.digest.subject", "Votre résumé du jour sur Respire", "Your daily digest on Respire" },
	{ "mail.digest.hello", "Bonjour", "Hello" },
	{ "mail.digest.intro", "Voici ce qui s’est passé pour vous sur Respire.",
	  "Here is what happened for you on Respire." },
	{ "mail.digest.notifications", "Vos notifications", "Your notifications" },
	{ "mail.digest.groups", "Nouveau dans vos groupes", "New in your groups" },
	{ "mail.digest.by", "par", "by" },
	{ "mail.digest.messages", "Messages privés", "Private messages" },
	{ "mail.digest.unread_one", "message non lu", "unread message" },
	{ "mail.digest.unread_many", "messages non lus", "unread messages" },
	{ "mail.digest.stop", "Ne plus recevoir aucun courriel de notification (résumé compris) : ",
	  "Stop every notification mail (the digest too): " },
	/* the settings page */
	{ "notify_settings.title", "Réglages des notifications", "Notification settings" },
	{ "notify_settings.link", "Réglages des notifications (courriels, résumé du jour)",
	  "Notification settings (mails, daily digest)" },
	{ "notify_settings.intro",
	  "Pour chaque sorte de notification, choisissez comment vous en êtes informé·e. Le résumé du jour part "
	  "une fois par jour, le matin, s’il y a du nouveau.",
	  "For each kind of notification, choose how you hear of it. The daily digest goes out once a day, in "
	  "the morning, when there is something new." },
	{ "notify_settings.kind.reply", "Réponses à mes publications", "Replies to my posts" },
	{ "notify_settings.kind.mention", "Mentions (@moi)", "Mentions (@me)" },
	{ "notify_settings.kind.invitation", "Invitations dans un groupe", "Invitations to a group" },
	{ "notify_settings.kind.request", "Demandes (contacts, adhésions) et leurs réponses",
	  "Requests (contacts, joining a group) and their answers" },
	{ "notify_settings.kind.message", "Messages privés", "Private messages" },
	{ "notify_settings.kind.group", "Nouvelles publications dans mes groupes", "New posts in my groups" },
	{ "notify_settings.mode.page", "Sur le site seulement", "On the site only" },
	{ "notify_settings.mode.mail", "Courriel immédiat", "A mail at once" },
	{ "notify_settings.mode.digest", "Résumé du jour", "Daily digest" },
	{ "notify_settings.save", "Enregistrer", "Save" },
	{ "notify_settings.saved", "Vos réglages sont enregistrés.", "Your settings are saved." },
	{ "notify_settings.invalid", "Choisissez une des possibilités proposées pour chaque sorte.",
	  "Choose one of the options offered for each kind." },
	/* unsubscribe */
	{ "unsubscribe.title", "Se désabonner des courriels", "Unsubscribe from mails" },
	{ "unsubscribe.text.one", "Ne plus recevoir de courriels pour :", "Stop receiving mails for:" },
	{ "unsubscribe.text.all",
	  "Ne plus recevoir aucun courriel de notification de Respire (le résumé du jour compris). Les notifications "
	  "restent visibles sur le site.",
	  "Stop every notification mail from Respire (the daily digest too). Notifications stay on the site." },
	{ "unsubscribe.submit", "Me désabonner", "Unsubscribe me" },
	{ "unsubscribe.done.title", "C’est fait", "Done" },
	{ "unsubscribe.done.text", "Vous ne recevrez plus ces courriels. Vous pouvez changer d’avis dans vos réglages.",
	  "You will not get these mails any more. You can change your mind in your settings." },
	{ "unsubscribe.settings", "Mes réglages de notification", "My notification settings" },
	{ NULL, NULL, NULL }
};
