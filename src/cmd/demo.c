/* respire demo: a small network to look around in (idempotent). */
#include "cmd/cmd.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "domain/account.h"
#include "domain/profile.h"

static const char usage[] =
	"usage: respire demo [--data DIR] [--db URL]\n"
	"\n"
	"Seeds demo members into an empty network; does nothing when members exist.\n"
	"Every demo account uses the password printed at the end.\n";

#define DEMO_PASSWORD "respire-demo-2026"

static const struct demo_member {
	const char *email, *name, *role, *academy, *school, *bio;
	const char *subjects[3], *levels[2], *interests[3];
	int admin;
} members[] = {
	{ "claire.martin@ac-versailles.fr", "Claire Martin", "teacher", "Versailles",
	  "Collège Jean Moulin, Argenteuil",
	  "Professeure de mathématiques depuis 12 ans. Classe inversée, évaluation par compétences.",
	  { "Mathématiques", NULL }, { "Collège", NULL }, { "Classe inversée", "Évaluation", NULL }, 0 },
	{ "karim.benali@ac-lyon.fr", "Karim Benali", "teacher", "Lyon", "Lycée Ampère, Lyon",
	  "Professeur de physique-chimie, formateur académique sur le numérique.",
	  { "Physique-chimie", NULL }, { "Lycée", NULL }, { "Numérique", "Démarche d'investigation", NULL }, 0 },
	{ "sophie.leroy@ac-rennes.fr", "Sophie Leroy", "head_teacher", "Rennes",
	  "École élémentaire Jules Ferry, Vannes",
	  "Directrice d'école, je coordonne un projet de liaison école-collège.",
	  { "Français", NULL }, { "Élémentaire", NULL }, { "Liaison école-collège", NULL }, 0 },
	{ "thomas.nguyen@ac-lille.fr", "Thomas Nguyen", "trainee", "Lille", "Collège Verlaine, Lille",
	  "Professeur stagiaire en histoire-géographie, à la recherche d'un mentor.",
	  { "Histoire-géographie", NULL }, { "Collège", NULL }, { "Mentorat", NULL }, 0 },
	{ "anne.dubois@education.gouv.fr", "Anne Dubois", "inspector", "Paris", "DGESCO",
	  "Inspectrice, chargée de l'innovation pédagogique.",
	  { "Lettres", NULL }, { "Lycée", "Collège" }, { "Innovation", "Expérimentation", NULL }, 1 },
	{ "julien.moreau@ac-toulouse.fr", "Julien Moreau", "trainer", "Toulouse", "INSPÉ de Toulouse",
	  "Formateur en analyse de pratiques, vidéos de classe et parcours de formation.",
	  { "Sciences de l'éducation", NULL }, { "Supérieur", NULL }, { "Analyse de pratiques", "Vidéo", NULL }, 0 },
	{ "lea.fontaine@ac-versailles.fr", "Léa Fontaine", "teacher", "Versailles", "Lycée Hoche, Versailles",
	  "Professeure d'anglais, échanges européens et eTwinning.",
	  { "Anglais", NULL }, { "Lycée", NULL }, { "Ouverture internationale", NULL }, 0 },
	{ "marc.petit@ac-nantes.fr", "Marc Petit", "librarian", "Nantes", "Collège Rosa Parks, Nantes",
	  "Professeur documentaliste : éducation aux médias et à l'information.",
	  { "Documentation", NULL }, { "Collège", NULL }, { "EMI", "Lecture", NULL }, 0 },
};

int cmd_demo(int argc, char **argv)
{
	struct config_flags f = { 0 };
	struct app app;
	struct dctx dc = { 0 };
	int help, i, made = 0, rc = 0;
	int64_t existing = 0;

	i = cmd_common_flags(argc, argv, 1, &f, 0, usage, &help);
	if (i < 0)
		return 2;
	if (help)
		return 0;
	if (i < argc) {
		fprintf(stderr, "respire demo: unknown argument '%s'\n%s", argv[i], usage);
		return 2;
	}
	if (app_open(&app, &f) < 0)
		return 1;
	dc.db = db_pool_get(app.pool);
	dc.arena = arena_new();
	dc.cfg = &app.cfg;
	dc.base_url = app.cfg.base_url;
	dc.lang = "fr";
	dc.secret = app.secret;
	dc.now = (int64_t)time(NULL);
	if (!dc.db || !dc.arena || db_int(dc.db, &existing, "SELECT COUNT(*) FROM users", "") < 0) {
		rc = 1;
		goto out;
	}
	if (existing > 0) {
		printf("demo: the network already has %lld member(s); nothing to do\n", (long long)existing);
		goto out;
	}
	if (db_begin(dc.db) < 0) {
		rc = 1;
		goto out;
	}
	for (size_t m = 0; m < sizeof members / sizeof members[0]; m++) {
		const struct demo_member *d = &members[m];
		struct profile_patch p = { 0 };
		struct viewer who = { 0 };
		const char *field = NULL;
		const char *const *lists[TAG_KINDS] = { d->subjects, d->levels, d->interests };
		const int sizes[TAG_KINDS] = { 3, 2, 3 };

		if (account_create_verified(&dc, d->email, DEMO_PASSWORD, d->name, d->admin, &who.id,
					    &field) != D_OK) {
			rc = 1;
			break;
		}
		p.role = d->role;
		p.academy = d->academy;
		p.school = d->school;
		p.bio = d->bio;
		for (int k = 0; k < TAG_KINDS; k++) {
			p.set_tags[k] = 1;
			for (int t = 0; t < sizes[k] && lists[k][t]; t++)
				p.tags[k][p.ntags[k]++] = lists[k][t];
		}
		if (profile_update(&dc, &who, &p, &field) != D_OK) {
			rc = 1;
			break;
		}
		made++;
	}
	if (rc || db_commit(dc.db) < 0) {
		db_rollback(dc.db);
		fprintf(stderr, "respire demo: seeding failed (see the log above)\n");
		rc = 1;
		goto out;
	}
	printf("demo: created %d members; sign in as %s (or any demo address) with the password %s\n",
	       made, members[0].email, DEMO_PASSWORD);
	printf("demo: %s is an administrator\n", members[4].email);
out:
	arena_free(dc.arena);
	db_pool_put(app.pool, dc.db);
	app_close(&app);
	return rc;
}
