/* Catalogue: the operators' statistics and a member's objection. Keep both languages. */
#include "i18n/i18n.h"

const struct msg i18n_stats[] = {
	{ "stats.title", "Statistiques", "Statistics" },
	{ "stats.console", "Console d’exploitation", "Operators' console" },
	{ "stats.intro", "Mesure d’audience propre à Respire : aucun traceur tiers, aucune adresse IP enregistrée, "
	  "des pseudonymes à la place des membres, des comptes agrégés par jour. Chaque graphique montre aussi la "
	  "période précédente de même durée (contour).",
	  "Respire's own audience measurement: no third-party tracker, no IP address stored, pseudonyms instead of "
	  "members, counts aggregated by day. Each chart also shows the previous period of the same length (outline)." },
	{ "stats.privacy", "Les membres peuvent refuser d’être comptés ; « Do Not Track » et « Global Privacy Control » "
	  "sont respectés. Pseudonymes conservés 13 mois, comptes 25 mois.",
	  "Members may refuse to be counted; Do Not Track and Global Privacy Control are honoured. Pseudonyms are kept "
	  "13 months, counts 25 months." },
	{ "stats.privacy.link", "Le choix de chaque membre", "Each member's choice" },
	{ "stats.from", "Du", "From" },
	{ "stats.to", "Au", "To" },
	{ "stats.academy", "Académie", "Academy" },
	{ "stats.academy.all", "Toutes les académies", "Every academy" },
	{ "stats.period", "Membres actifs par", "Active members by" },
	{ "stats.period.day", "jour", "day" },
	{ "stats.period.week", "semaine", "week" },
	{ "stats.period.month", "mois", "month" },
	{ "stats.show", "Afficher", "Show" },
	{ "stats.bad", "Cette période n’est pas valable : la fin doit suivre le début, 25 mois au plus, "
	  "et l’académie doit être l’une de la liste.",
	  "This period is not valid: the end must follow the start, 25 months at most, and the academy must be one of the list." },
	{ "stats.failed", "Cette statistique n’a pas pu être calculée.", "This statistic could not be computed." },
	{ "stats.previous", "Période précédente", "Previous period" },
	{ "stats.total", "Total", "Total" },
	{ "stats.csv", "Télécharger en CSV", "Download as CSV" },
	{ "stats.week.short", "sem.", "wk" },
	{ "stats.col.day", "Jour", "Day" },
	{ "stats.col.week", "Semaine du", "Week of" },
	{ "stats.col.month", "Mois", "Month" },
	{ "stats.col.hour_of_day", "Heure (Paris)", "Hour (Paris)" },
	{ "stats.col.groups_by_kind", "Type de groupe", "Kind of group" },
	{ "stats.col.contributors", "Participation", "Participation" },
	{ "stats.col.purpose", "Usage", "Use" },
	{ "stats.metric.signups", "Inscriptions", "Sign-ups" },
	{ "stats.metric.active", "Membres actifs", "Active members" },
	{ "stats.metric.return_rate", "Membres qui reviennent", "Members who come back" },
	{ "stats.metric.visit_duration", "Durée moyenne des visites", "Mean visit duration" },
	{ "stats.metric.views", "Pages vues", "Page views" },
	{ "stats.metric.hour_of_day", "Activité selon l’heure", "Activity by hour of day" },
	{ "stats.metric.groups_by_kind", "Groupes par type", "Groups by kind" },
	{ "stats.metric.contributors", "Créateurs, contributeurs et lecteurs", "Creators, contributors and readers" },
	{ "stats.metric.purpose", "Usage pédagogique ou administratif", "Pedagogical or administrative use" },
	{ "stats.unit.signups", "Inscriptions", "Sign-ups" },
	{ "stats.unit.active", "Membres", "Members" },
	{ "stats.unit.return_rate", "% des actifs", "% of active" },
	{ "stats.unit.visit_duration", "Secondes", "Seconds" },
	{ "stats.unit.views", "Pages", "Pages" },
	{ "stats.unit.hour_of_day", "Pages et actions", "Pages and actions" },
	{ "stats.unit.groups_by_kind", "Groupes", "Groups" },
	{ "stats.unit.contributors", "Membres actifs", "Active members" },
	{ "stats.unit.purpose", "Actions", "Actions" },
	{ "stats.help.signups", "Comptes dont l’adresse a été confirmée, par jour.", "Accounts whose address was confirmed, by day." },
	{ "stats.help.active", "Membres distincts ayant vu une page ou agi.", "Distinct members who saw a page or acted." },
	{ "stats.help.return_rate", "Part des actifs du jour déjà venus dans les 30 jours précédents.",
	  "Share of the day's active members who had come in the 30 days before." },
	{ "stats.help.visit_duration", "Une visite : des pages vues sans pause de plus de 30 minutes ; de la première à la dernière page.",
	  "A visit: pages seen without a pause of more than 30 minutes; from the first page to the last." },
	{ "stats.help.views", "Pages vues par les membres et les visiteurs.", "Pages seen by members and visitors." },
	{ "stats.help.hour_of_day", "Pages vues et actions sur la période, selon l’heure de Paris.",
	  "Pages seen and actions over the period, by Paris hour." },
	{ "stats.help.groups_by_kind", "Groupes existant à la fin de la période (académie de leur créateur).",
	  "Groups existing at the end of the period (their creator's academy)." },
	{ "stats.help.contributors", "Parmi les actifs : créateurs (un message, un document ou un groupe), contributeurs "
	  "(des réponses ou commentaires seulement), lecteurs (rien d’écrit). La règle « 1 % / 9 % / 90 % ».",
	  "Among active members: creators (a post, a document or a group), contributors (replies or comments only), "
	  "readers (nothing written). The “1% / 9% / 90%” rule." },
	{ "stats.help.purpose", "Messages, réponses, documents et commentaires : administratifs dans un groupe administratif "
	  "ou pour une annonce, pédagogiques dans un groupe ressources, pratiques, formation ou projet, autres sinon.",
	  "Posts, replies, documents and comments: administrative in an administrative group or for an announcement, "
	  "pedagogical in a resources, practice, training or project group, other otherwise." },
	{ "stats.key.resources", "Ressources", "Resources" },
	{ "stats.key.practice", "Pratiques", "Practice" },
	{ "stats.key.training", "Formation", "Training" },
	{ "stats.key.project", "Projet", "Project" },
	{ "stats.key.creators", "Créateurs", "Creators" },
	{ "stats.key.contributors", "Contributeurs", "Contributors" },
	{ "stats.key.readers", "Lecteurs", "Readers" },
	{ "stats.key.pedagogical", "Pédagogique", "Pedagogical" },
	{ "stats.key.administrative", "Administratif", "Administrative" },
	{ "stats.key.other", "Autre", "Other" },
	{ "stats.me.title", "Mesure d’audience", "Audience measurement" },
	{ "stats.me.intro", "Respire compte ses visites lui-même, sans traceur tiers ni adresse IP : un pseudonyme "
	  "remplace votre identité (il change tous les six mois), les comptes sont agrégés par jour et effacés après "
	  "25 mois. Vous pouvez refuser d’être compté : rien vous concernant ne sera plus enregistré.",
	  "Respire counts its visits itself, with no third-party tracker and no IP address: a pseudonym replaces your "
	  "identity (it changes every six months), counts are aggregated by day and erased after 25 months. You may "
	  "refuse to be counted: nothing about you will be recorded any more." },
	{ "stats.me.dnt", "Si votre navigateur envoie « Do Not Track » ou « Global Privacy Control », rien n’est "
	  "enregistré pour ses pages non plus.",
	  "If your browser sends Do Not Track or Global Privacy Control, nothing is recorded for its pages either." },
	{ "stats.me.choice", "Mes visites", "My visits" },
	{ "stats.me.counted", "Peuvent être comptées (anonymement)", "May be counted (anonymously)" },
	{ "stats.me.optout", "Ne doivent pas être comptées", "Must not be counted" },
	{ "stats.me.save", "Enregistrer", "Save" },
	{ "stats.me.saved", "Votre choix est enregistré.", "Your choice is saved." },
	{ NULL, NULL, NULL },
};
