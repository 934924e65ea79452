/* respire demo: a small network to look around in (idempotent). */
#include "cmd/cmd.h"
#include "util/clock.h"
#include "util/tz_paris.h"

#include <gd.h>
#include <gdfontg.h>
#include <gdfontl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <time.h>

#include "domain/account.h"
#include "domain/agenda.h"
#include "domain/chat.h"
#include "domain/admin.h"
#include "domain/calls.h"
#include "domain/documents.h"
#include "domain/contacts.h"
#include "domain/groups.h"
#include "domain/innovations.h"
#include "domain/stats.h"
#include "domain/innovations_import.h"
#include "domain/moderation.h"
#include "domain/posts.h"
#include "domain/profile.h"
#include "domain/schools.h"

static const char usage[] =
	"usage: respire demo [--schools FILE.csv] [--innovations FILE.csv] [--data DIR] [--db URL]\n"
	"\n"
	"Seeds demo members into an empty network; does nothing when members exist.\n"
	"Every demo account uses the password printed at the end. Schools come from\n"
	"--schools, else docs/examples/schools.csv (in the current folder or beside the\n"
	"binary's build folder); without it the demo has no schools. Innovation records\n"
	"come from --innovations, else docs/examples/innovations.csv (found the same way),\n"
	"imported as 'respire innovations import' does by the demo's admin.\n";

#define DEMO_PASSWORD "respire-demo-2026"

static const struct demo_member {
	const char *email, *name, *role, *academy, *school, *bio;
	const char *uai;           /* its school in docs/examples/schools.csv, or NULL */
	const char *subjects[3], *levels[2], *interests[3];
	int admin;
} members[] = {
	{ "claire.martin@ac-versailles.fr", "Claire Martin", "teacher", "Versailles",
	  "Collège Jean Moulin, Argenteuil",
	  "Professeure de mathématiques depuis 12 ans. Classe inversée, évaluation par compétences.",
	  "0951235C",
	  { "Mathématiques", NULL }, { "Collège", NULL }, { "Classe inversée", "Évaluation", NULL }, 0 },
	{ "karim.benali@ac-lyon.fr", "Karim Benali", "teacher", "Lyon", "Lycée Ampère, Lyon",
	  "Professeur de physique-chimie, formateur académique sur le numérique.",
	  "0693456S",
	  { "Physique-chimie", NULL }, { "Lycée", NULL }, { "Numérique", "Démarche d'investigation", NULL }, 0 },
	{ "sophie.leroy@ac-rennes.fr", "Sophie Leroy", "head_teacher", "Rennes",
	  "École élémentaire Jules Ferry, Vannes",
	  "Directrice d'école, je coordonne un projet de liaison école-collège.",
	  "0561234X",
	  { "Français", NULL }, { "Élémentaire", NULL }, { "Liaison école-collège", NULL }, 0 },
	{ "thomas.nguyen@ac-lille.fr", "Thomas Nguyen", "trainee", "Lille", "Collège Verlaine, Lille",
	  "Professeur stagiaire en histoire-géographie, à la recherche d'un mentor.",
	  "0594321V",
	  { "Histoire-géographie", NULL }, { "Collège", NULL }, { "Mentorat", NULL }, 0 },
	{ "anne.dubois@education.gouv.fr", "Anne Dubois", "inspector", "Paris", "DGESCO",
	  "Inspectrice, chargée de l'innovation pédagogique.",
	  NULL,
	  { "Lettres", NULL }, { "Lycée", "Collège" }, { "Innovation", "Expérimentation", NULL }, 1 },
	{ "julien.moreau@ac-toulouse.fr", "Julien Moreau", "trainer", "Toulouse", "INSPÉ de Toulouse",
	  "Formateur en analyse de pratiques, vidéos de classe et parcours de formation.",
	  NULL,
	  { "Sciences de l'éducation", NULL }, { "Supérieur", NULL }, { "Analyse de pratiques", "Vidéo", NULL }, 0 },
	{ "lea.fontaine@ac-versailles.fr", "Léa Fontaine", "teacher", "Versailles", "Lycée Hoche, Versailles",
	  "Professeure d'anglais, échanges européens et eTwinning.",
	  "0780422Y",
	  { "Anglais", NULL }, { "Lycée", NULL }, { "Ouverture internationale", NULL }, 0 },
	{ "marc.petit@ac-nantes.fr", "Marc Petit", "librarian", "Nantes", "Collège Rosa Parks, Nantes",
	  "Professeur documentaliste : éducation aux médias et à l'information.",
	  "0441122R",
	  { "Documentation", NULL }, { "Collège", NULL }, { "EMI", "Lecture", NULL }, 0 },
};

static struct viewer as(int64_t id)
{
	struct viewer v = { 0 };

	v.id = id;
	v.name = members[id - 1].name;
	v.email = members[id - 1].email;
	v.admin = members[id - 1].admin;
	return v;
}

static int64_t post(struct dctx *dc, int64_t author, const char *kind, const char *vis, int64_t group,
		    const char *title, const char *body)
{
	struct viewer v = as(author);
	struct post_input in = { kind, title, body, vis, group };
	const char *field;
	int64_t id = 0;

	return post_create(dc, &v, &in, &id, &field) == D_OK ? id : -1;
}

static int reply(struct dctx *dc, int64_t author, int64_t post_id, const char *body)
{
	struct viewer v = as(author);
	const char *field;
	int64_t id;

	return reply_create(dc, &v, post_id, body, 0, &id, &field) == D_OK ? 0 : -1;
}

/* Members 1..8 as in the table above: contacts, groups, posts and replies. */
/* A demo document from bytes: written to FILES/tmp, then uploaded. */
static int document(struct dctx *dc, int64_t author, int64_t group, const char *vis, const char *title,
		    const char *desc, const char *licence, const char *subject, const char *filename,
		    const void *data, size_t len)
{
	char path[1100];
	struct viewer v = as(author);
	struct doc_input in = { 0 };
	struct doc_file_in file = { 0 };
	int64_t id = 0;
	const char *field = NULL;
	int fd;

	snprintf(path, sizeof path, "%s/tmp/demo-XXXXXX", dc->cfg->files_dir);
	if ((fd = mkstemp(path)) < 0)
		return -1;
	if (write(fd, data, len) != (ssize_t)len) {
		close(fd);
		unlink(path);
		return -1;
	}
	close(fd);
	in.title = title;
	in.description = desc;
	in.licence = licence;
	in.visibility = vis;
	in.group_id = group;
	in.subjects[0] = subject;
	in.nsubjects = subject ? 1 : 0;
	in.nlevels = -1;
	file.tmp_path = path;
	file.filename = filename;
	file.size = (int64_t)len;
	if (documents_create(dc, &v, &in, &file, 1, &id, &field) != D_OK) {
		unlink(path);
		return -1;
	}
	return 0;
}

/* A small poster drawn with libgd: a PNG in memory (freed by the caller with gdFree). */
static void *poster_png(int *size)
{
	gdImagePtr im = gdImageCreateTrueColor(640, 360);
	void *png;
	static const int colors[][3] = { { 11, 87, 208 }, { 0, 128, 96 }, { 214, 138, 0 }, { 178, 34, 52 } };
	static const char *const steps[] = { "1. Source", "2. Image inversee", "3. Date et lieu", "4. Croiser" };

	if (!im)
		return NULL;
	gdImageFilledRectangle(im, 0, 0, 639, 359, gdTrueColor(248, 250, 252));
	gdImageString(im, gdFontGetGiant(), 24, 20, (unsigned char *)"Verifier une image en 4 etapes",
		      gdTrueColor(20, 30, 50));
	for (int i = 0; i < 4; i++) {
		int x = 24 + i * 152, c = gdTrueColor(colors[i][0], colors[i][1], colors[i][2]);

		gdImageFilledRectangle(im, x, 80, x + 136, 320, c);
		gdImageString(im, gdFontGetLarge(), x + 8, 92, (unsigned char *)steps[i], gdTrueColor(255, 255, 255));
	}
	png = gdImagePngPtr(im, size);
	gdImageDestroy(im);
	return png;
}

/* A Paris wall-clock time, days after today (Paris), at h:m. */
static int64_t paris_at(int64_t now, int days, int h, int m)
{
	struct tm tm;

	tz_paris_tm(now + (int64_t)days * 86400, &tm);
	tm.tm_hour = h;
	tm.tm_min = m;
	tm.tm_sec = 0;
	return tz_paris_from_local(&tm);
}

/* One event by organiser, registrations by who (0-terminated), in order:
 * the first capacity are registered, the others wait. id: the event. */
static int demo_event(struct dctx *dc, int64_t organiser, const struct event_input *in, const int64_t *who,
		      int64_t *id)
{
	struct viewer o = as(organiser);
	struct dctx at = *dc;
	const char *field = NULL, *state;
	int created;

	if (event_create(dc, &o, in, id, &field) != D_OK) {
		fprintf(stderr, "respire demo: event \"%s\" refused (%s)\n", in->title, field ? field : "?");
		return -1;
	}
	/* registrations a week before it starts (a past event's too: the domain clock moved back) */
	at.now = in->starts_at - 7 * 86400 < dc->now ? in->starts_at - 7 * 86400 : dc->now;
	for (int i = 0; who[i]; i++) {
		struct viewer v = as(who[i]);

		at.now++;
		if (event_register(&at, &v, *id, &state, &created) != D_OK)
			return -1;
	}
	return 0;
}

/* Events: one past, one full with a waiting list, one in the open group
 * (its virtual room), one large and public ahead. */
static int seed_events(struct dctx *dc, int64_t emi)
{
	struct event_input in;
	struct viewer marc = as(8);
	int64_t id, room = 0;
	static const int64_t past[] = { 1, 2, 4, 7, 0 }, full[] = { 7, 1, 4, 8, 3, 0 }, group[] = { 1, 4, 0 },
			     big[] = { 1, 2, 3, 6, 0 };

	event_input_init(&in);
	in.title = "Journée académique de l'innovation";
	in.description = "Retours d'expériences des équipes lauréates, ateliers et table ronde.\n\n"
			 "**Programme** : accueil à 9 h, ateliers le matin, table ronde l'après-midi.";
	in.starts_at = paris_at(dc->now, -20, 9, 0);
	in.ends_at = paris_at(dc->now, -20, 17, 0);
	in.place = "Rectorat de Versailles, salle du conseil";
	in.capacity = 120;
	in.visibility = "public";
	if (demo_event(dc, 5, &in, past, &id) < 0)
		return -1;
	event_input_init(&in);
	in.title = "Atelier : évaluer par compétences en mathématiques";
	in.description = "Un atelier de deux heures et demie pour construire ensemble une grille commune.\n\n"
			 "Apportez vos grilles actuelles !";
	in.starts_at = paris_at(dc->now, 12, 14, 0);
	in.ends_at = paris_at(dc->now, 12, 16, 30);
	in.place = "Collège Jean Moulin, Versailles — salle 12";
	in.capacity = 3;
	in.visibility = "members";
	if (demo_event(dc, 2, &in, full, &id) < 0)
		return -1;
	if (chat_group_room(dc, &marc, emi, &room) != D_OK)
		return -1;
	event_input_init(&in);
	in.title = "Classe virtuelle : vérifier une image avec ses élèves";
	in.description = "Une heure en ligne pour essayer ensemble la fiche élève du groupe.";
	in.starts_at = paris_at(dc->now, 5, 17, 30);
	in.ends_at = paris_at(dc->now, 5, 18, 30);
	in.group_id = emi;
	in.room_id = room;
	in.capacity = 0;
	in.visibility = "members";
	if (demo_event(dc, 8, &in, group, &id) < 0)
		return -1;
	event_input_init(&in);
	in.title = "Deuxième rencontre nationale de l'innovation";
	in.description = "Deux journées pour découvrir les innovations retenues par les académies. "
			 "Le programme sera formé des propositions retenues de l'appel.";
	in.starts_at = paris_at(dc->now, 40, 9, 30);
	in.ends_at = paris_at(dc->now, 41, 17, 0);
	in.place = "Paris, Cité des sciences et de l'industrie";
	in.url = "https://www.education.gouv.fr";
	in.capacity = 450;
	in.visibility = "public";
	return demo_event(dc, 5, &in, big, &id);
}

static int seed_content(struct dctx *dc)
{
	static const struct { int64_t a, b; int accept; } links[] = {
		{ 1, 2, 1 }, { 1, 7, 1 }, { 4, 1, 0 }, { 6, 4, 1 }, { 8, 1, 1 }, { 3, 5, 1 },
	};
	static const struct { int64_t owner; const char *name, *desc, *kind, *vis; int64_t members[4]; } groups[] = {
		{ 1, "Mathématiques au collège", "Échanges de pratiques entre professeurs de mathématiques : "
		  "évaluation par compétences, classe inversée, automatismes.", "practice", "closed", { 2, 7, 0 } },
		{ 8, "Éducation aux médias et à l'information", "Ressources partagées pour l'EMI, du CM1 au lycée, "
		  "sous licence Creative Commons.", "resources", "open", { 1, 4, 3, 0 } },
		{ 6, "Néo-titulaires de l'académie de Lille", "Formation à distance et analyse de pratiques pour les "
		  "enseignants dans leurs deux premières années.", "training", "secret", { 4, 0 } },
		{ 3, "Liaison école-collège à Vannes", "Projet commun des écoles du secteur et du collège : "
		  "progressions partagées et visites croisées.", "project", "closed", { 5, 0 } },
	};
	int64_t gid[4], p1, p2, p3, p4;
	int accepted;

	for (size_t i = 0; i < sizeof links / sizeof links[0]; i++) {
		struct viewer a = as(links[i].a), b = as(links[i].b);

		if (contact_request(dc, &a, links[i].b, &accepted) != D_OK ||
		    (links[i].accept && contact_accept(dc, &b, links[i].a) != D_OK))
			return -1;
	}
	for (size_t i = 0; i < 4; i++) {
		struct viewer o = as(groups[i].owner);
		struct group_input in = { groups[i].name, groups[i].desc, groups[i].kind, groups[i].vis, NULL, NULL };
		const char *field, *state;

		if (group_create(dc, &o, &in, &gid[i], &field) != D_OK)
			return -1;
		for (int m = 0; groups[i].members[m]; m++) {
			struct viewer who = as(groups[i].members[m]);

			if (!strcmp(groups[i].vis, "open")) {
				if (group_join(dc, &who, gid[i], &state) != D_OK)
					return -1;
			} else if (group_invite(dc, &o, gid[i], who.id, NULL, &state) != D_OK ||
				   group_join(dc, &who, gid[i], &state) != D_OK) {
				return -1;
			}
		}
	}
	p1 = post(dc, 1, "discussion", NULL, gid[0], "Évaluer par compétences en 5e : vos grilles ?",
		  "Je cherche à harmoniser nos grilles d'évaluation par compétences en **5e**.\n\n"
		  "- Combien de niveaux de maîtrise utilisez-vous ?\n- Comment les élèves s'auto-évaluent-ils ?\n\n"
		  "Je partage volontiers la nôtre en retour.");
	p2 = post(dc, 2, "blog", "public", 0, "Démarche d'investigation : trois ans de retours",
		  "Après trois ans de démarche d'investigation en seconde, voici ce qui a marché et ce qui "
		  "reste difficile.\n\n## Ce qui marche\n\nLes questions ouvertes au début de séance.\n\n"
		  "## Ce qui reste difficile\n\nLe temps de synthèse.");
	p3 = post(dc, 8, "page", "public", gid[1], "Vérifier une image : la méthode en 4 étapes",
		  "1. Chercher la source\n2. Recherche d'image inversée\n3. Vérifier la date\n4. Croiser les sources");
	p4 = post(dc, 4, "discussion", "members", 0, "Professeur stagiaire cherche un mentor en histoire-géo",
		  "Bonjour à toutes et à tous, je débute en collège à Lille et je cherche un·e collègue "
		  "expérimenté·e pour des échanges réguliers.");
	if (p1 < 0 || p2 < 0 || p3 < 0 || p4 < 0 ||
	    reply(dc, 7, p1, "Nous utilisons quatre niveaux (non atteint, fragile, satisfaisant, très bon) "
		  "et une auto-évaluation en fin de séquence.") < 0 ||
	    reply(dc, 2, p1, "Même chose au lycée ; les élèves remplissent la grille avant de rendre la copie.") < 0 ||
	    reply(dc, 6, p4, "Avec plaisir : écrivez-moi, et rejoignez notre groupe de néo-titulaires.") < 0 ||
	    reply(dc, 1, p2, "Merci pour ce retour, très utile pour notre conseil pédagogique.") < 0)
		return -1;
	{
		struct viewer marc = as(8), claire = as(1);
		struct post_input edit = { NULL, NULL, "1. Chercher la source\n2. Recherche d'image inversée\n"
					   "3. Vérifier la date et le lieu\n4. Croiser au moins deux sources\n\n"
					   "Voir aussi le groupe pour les fiches élèves.", NULL, 0 };
		const char *field;

		if (post_update(dc, &marc, p3, &edit, &field) != D_OK ||
		    post_mark_useful(dc, &claire, p2, 1) != D_OK || post_mark_useful(dc, &claire, p3, 1) != D_OK)
			return -1;
	}
	{
		static const char grid[] =
			"# Grille d'évaluation par compétences — 5e\n\n"
			"| Compétence | Non atteint | Fragile | Satisfaisant | Très bon |\n"
			"|---|---|---|---|---|\n"
			"| Chercher | | | | |\n| Modéliser | | | | |\n| Raisonner | | | | |\n"
			"| Communiquer | | | | |\n\n"
			"*Auto-évaluation de l'élève avant la remise de la copie.*\n";
		static const char sheet[] =
			"# Fiche élève : vérifier une image\n\n"
			"1. **Chercher la source** : qui a publié l'image, et où ?\n"
			"2. **Recherche d'image inversée** : l'image a-t-elle déjà circulé ?\n"
			"3. **Vérifier la date et le lieu** : les indices de l'image concordent-ils ?\n"
			"4. **Croiser au moins deux sources** fiables.\n";
		int size = 0;
		void *png = poster_png(&size);
		int rc = png ? 0 : -1;

		if (!rc)
			rc = document(dc, 1, gid[0], NULL, "Grille d'évaluation par compétences (5e)",
				      "La grille dont nous parlons dans la discussion, à adapter.", "CC-BY-SA",
				      "Mathématiques", "grille-5e.md", grid, sizeof grid - 1);
		if (!rc)
			rc = document(dc, 8, gid[1], "public", "Fiche élève : vérifier une image",
				      "À distribuer en début de séance.", "CC-BY", "EMI", "fiche-verifier-image.md",
				      sheet, sizeof sheet - 1);
		if (!rc)
			rc = document(dc, 8, gid[1], "public", "Affiche : vérifier une image en 4 étapes",
				      "Pour le CDI ou la salle de classe.", "CC-BY", "EMI", "affiche-4-etapes.png",
				      png, (size_t)size);
		gdFree(png);
		if (rc < 0)
			return -1;
	}
	return seed_events(dc, gid[1]);
}

/* Calls for proposals: a closed call (the ministry's national call, with
 * proposals submitted over its weeks, reviews, decisions and a record
 * published from the accepted one) and an open one with a public vote. The
 * domain clock is moved back for what happened before today. */
static int seed_calls(struct dctx *dc)
{
	static const char *themes[] = { "Climat scolaire", "Numérique", "Coopération entre élèves",
		"Liaison école-collège" };
	static const struct call_field fields[] = {
		{ "resume", "Résumé du projet", "longtext", 1, NULL, 0 },
		{ "theme", "Thème principal", "choice", 1, themes, 4 },
		{ "etablissement", "Établissement", "text", 0, NULL, 0 },
		{ "evaluation", "Comment mesurez-vous les effets ?", "longtext", 0, NULL, 0 },
	};
	static const struct call_criterion rubric[] = {
		{ "pertinence", "Pertinence pédagogique", 10, 3 }, { "transferabilite", "Transférabilité", 10, 2 },
		{ "clarte", "Clarté du dossier", 5, 1 },
	};
	static const struct { int64_t author, coauthor; const char *title, *resume, *theme, *school; int day; } closed[] = {
		{ 1, 7, "Classe inversée en mathématiques au collège",
		  "Des capsules vidéo préparées à la maison, la classe consacrée aux exercices et à l'entraide.",
		  "Numérique", "Collège Jean Moulin, Argenteuil", 3 },
		{ 2, 0, "Démarche d'investigation en physique-chimie",
		  "Des élèves de seconde conçoivent leurs propres protocoles, évalués par leurs pairs.",
		  "Coopération entre élèves", "Lycée Ampère, Lyon", 9 },
		{ 3, 0, "Visites croisées école-collège", "Les élèves de CM2 suivent une demi-journée au collège,"
		  " les sixièmes reviennent présenter leurs projets.", "Liaison école-collège", "École Jules Ferry, Vannes", 17 },
		{ 8, 0, "Une radio au CDI", "Une émission mensuelle préparée par les élèves : vérifier, écrire, enregistrer.",
		  "Climat scolaire", "Collège Rosa Parks, Nantes", 18 },
		{ 4, 0, "Tutorat entre pairs en histoire", "Des élèves de troisième accompagnent des sixièmes"
		  " pour les méthodes de travail.", "Coopération entre élèves", "Collège Verlaine, Lille", 19 },
	};
	static const char *const decisions[][2] = {
		{ "accepted", "Bravo : votre projet sera présenté aux Journées nationales de l'innovation, le 28 mars." },
		{ "waitlisted", "Projet de grande qualité ; vous êtes sur la liste d'attente pour un atelier." },
		{ "accepted", "Retenu pour l'atelier « continuité école-collège »." },
		{ "rejected", "Merci pour ce dossier : le comité vous encourage à le déposer à nouveau l'an prochain." },
		{ "rejected", "Le dossier manque encore de données sur les effets ; à suivre !" },
	};
	struct viewer admin = as(5);
	struct call_input in;
	const char *stages[] = { "national" }, *two_stages[] = { "academy", "national" };
	const char *reason = NULL;
	int64_t now = dc->now, call = 0, open = 0, ids[5] = { 0 }, assigned = 0, unfilled = 0, inno = 0;
	int rc = 0;

	call_input_init(&in);
	in.fields = fields;
	in.nfields = 4;
	in.criteria = rubric;
	in.ncriteria = 3;
	in.stages = stages;
	in.nstages = 1;
	in.reviewers_per_proposal = 2;
	in.public_vote = 0;
	in.title = "Journées nationales de l'innovation : appel à projets";
	in.description = "Le ministère invite les équipes à présenter une action innovante menée dans leur école ou"
			  " leur établissement. Les projets retenus seront présentés lors des Journées nationales.\n\n"
			  "- un dossier par équipe, co-auteurs bienvenus ;\n- évaluation par un comité national.";
	in.opens_at = now - 40 * 86400;
	in.closes_at = now - 12 * 86400;
	in.reviews_due_at = now - 2 * 86400;
	dc->now = in.opens_at;
	if (call_create(dc, &admin, &in, &call, &reason) != D_OK)
		goto fail;
	for (size_t i = 0; i < sizeof closed / sizeof closed[0]; i++) {
		struct viewer v = as(closed[i].author);
		struct proposal_input p;
		struct proposal_answer a[3] = { { "resume", closed[i].resume }, { "theme", closed[i].theme },
						{ "etablissement", closed[i].school } };
		int64_t co[1] = { closed[i].coauthor };

		proposal_input_init(&p);
		p.title = closed[i].title;
		p.answers = a;
		p.nanswers = 3;
		p.coauthors = co;
		p.ncoauthors = closed[i].coauthor ? 1 : 0;
		dc->now = in.opens_at + closed[i].day * 86400 - 3 * 3600;
		if (proposal_create(dc, &v, call, &p, &ids[i], &reason) != D_OK)
			goto fail;
		dc->now += 3 * 3600 - 600;
		if (proposal_submit(dc, &v, ids[i], &reason) != D_OK)
			goto fail;
	}
	/* the committee: Julien, Léa, Claire; assignment never gives anyone their own */
	dc->now = in.closes_at + 3600;
	for (int64_t r = 6; r <= 8; r++)
		if (call_set_reviewer(dc, &admin, call, r == 8 ? 1 : r, "national", NULL, 0, &reason) != D_OK)
			goto fail;
	if (call_auto_assign(dc, &admin, call, "national", &assigned, &unfilled, &reason) != D_OK)
		goto fail;
	for (size_t i = 0; i < sizeof closed / sizeof closed[0]; i++) {
		struct proposal x;

		dc->now = in.closes_at + (int64_t)(i + 2) * 86400;
		if (proposal_get(dc, &admin, ids[i], &x) != D_OK)
			goto fail;
		for (int k = 0; k < x.nreviews; k++) {
			struct viewer rv = as(x.reviews[k].reviewer_id);
			struct review_score sc[3] = { { "pertinence", 9 - (int64_t)i - k }, { "transferabilite", 8 - (int64_t)i },
						      { "clarte", 4 - (int64_t)(i % 2) } };
			struct review_input ri = { sc, 3, i < 3 ? "accept" : i == 3 ? "discuss" : "reject",
						   "Dossier clair ; les effets mériteraient d'être chiffrés." };

			if (i == 4 && k == 1)
				continue;       /* one review still missing: late on the dashboard */
			if (proposal_review_save(dc, &rv, ids[i], &ri, &reason) != D_OK)
				goto fail;
		}
	}
	dc->now = in.closes_at + 10 * 86400;
	for (size_t i = 0; i < sizeof closed / sizeof closed[0]; i++)
		if (proposal_decide(dc, &admin, ids[i], decisions[i][0], decisions[i][1], &reason) != D_OK)
			goto fail;
	if (proposal_publish(dc, &admin, ids[0], &inno, &reason) != D_OK)
		goto fail;
	/* the open call, with a public vote */
	call_input_init(&in);
	in.fields = fields;
	in.nfields = 4;
	in.criteria = rubric;
	in.ncriteria = 3;
	in.stages = two_stages;
	in.nstages = 2;
	in.public_vote = 1;
	in.title = "Prix de l'innovation numérique 2026";
	in.description = "Présentez un usage du numérique qui a changé la vie de votre classe. Les membres de Respire"
			  " votent pour leurs projets préférés ; les résultats sont publiés après la clôture.";
	in.opens_at = now - 6 * 86400;
	in.closes_at = now + 21 * 86400;
	dc->now = in.opens_at;
	if (call_create(dc, &admin, &in, &open, &reason) != D_OK)
		goto fail;
	{
		struct viewer karim = as(2), claire = as(1);
		struct proposal_input p;
		struct proposal_answer a[2] = { { "resume", "Une tablette par binôme et un mur collaboratif pour les"
						  " comptes rendus de TP." }, { "theme", "Numérique" } };
		struct proposal_answer b[1] = { { "resume", "Brouillon : des quiz en début d'heure pour les automatismes." } };
		int64_t pid = 0;

		proposal_input_init(&p);
		p.title = "Comptes rendus de TP sur un mur collaboratif";
		p.answers = a;
		p.nanswers = 2;
		dc->now = now - 3 * 86400;
		if (proposal_create(dc, &karim, open, &p, &pid, &reason) != D_OK ||
		    proposal_submit(dc, &karim, pid, &reason) != D_OK)
			goto fail;
		p.title = "Automatismes en calcul mental";
		p.answers = b;
		p.nanswers = 1;
		dc->now = now - 86400;
		if (proposal_create(dc, &claire, open, &p, &pid, &reason) != D_OK)
			goto fail;
	}
	dc->now = now;
	/* the national days (seed_events) take their programme from the closed call */
	if (db_exec(dc->db, "UPDATE events SET call_id = ? WHERE title = ? AND call_id IS NULL", "is", call,
		    "Deuxième rencontre nationale de l'innovation") < 0) {
		reason = "the programme of the national days";
		goto fail;
	}
	return rc;
fail:
	dc->now = now;
	fprintf(stderr, "respire demo: the calls for proposals could not be seeded (%s)\n", reason ? reason : "?");
	return -1;
}

/* An example file: path, else docs/examples/NAME from the current folder
 * or above the binary's folder (build/ or build/san/). */
static FILE *open_example(const char *path, const char *name, char *used, size_t usedlen)
{
	char exe[4096], *slash;
	ssize_t n;
	FILE *f;

	if (path) {
		snprintf(used, usedlen, "%s", path);
		return fopen(path, "r");
	}
	snprintf(used, usedlen, "docs/examples/%s", name);
	if ((f = fopen(used, "r")))
		return f;
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	for (int up = 0; up < 3 && (slash = strrchr(exe, '/')); up++) {
		*slash = '\0';
		snprintf(used, usedlen, "%s/docs/examples/%s", exe, name);
		if ((f = fopen(used, "r")))
			return f;
	}
	return NULL;
}

static void demo_reject(void *arg, long line, const char *reason)
{
	fprintf(stderr, "demo: %s line %ld: %s\n", (const char *)arg, line, reason);
}

/* Loads the example schools; 0 (also when there is no file: the demo goes
 * on without schools), -1 when the import failed. */
static int load_schools(struct dctx *dc, const char *path)
{
	char used[4200];
	FILE *f = open_example(path, "schools.csv", used, sizeof used);
	struct schools_import im = { 0 };
	enum derr e;

	if (!f) {
		if (path) {
			fprintf(stderr, "respire demo: cannot read %s\n", path);
			return -1;
		}
		printf("demo: no docs/examples/schools.csv found; the demo has no schools\n");
		return 0;
	}
	im.on_reject = demo_reject;
	im.arg = used;
	e = schools_import_file(dc, f, &im);
	fclose(f);
	if (e != D_OK) {
		fprintf(stderr, "respire demo: %s: %s\n", used, im.error ? im.error : "import failed");
		return -1;
	}
	printf("demo: %ld schools loaded from %s\n", im.created + im.updated + im.unchanged, used);
	return 0;
}

/* The example innovation records (--innovations, else
 * docs/examples/innovations.csv, found as the schools are), imported by
 * the demo's admin through the CSV import: one source for the demo's
 * records. Julien Moreau advises the academy of Toulouse. 0, or -1 when the
 * file is missing or a row is refused. */
static int seed_innovations(struct dctx *dc, const char *path)
{
	char used[4200];
	FILE *f = open_example(path, "innovations.csv", used, sizeof used);
	struct innovations_import im = { 0 };
	struct viewer admin = as(5);
	enum derr e;

	if (!f && path) {
		fprintf(stderr, "respire demo: cannot read %s\n", path);
		return -1;
	}
	if (!f)
		printf("demo: no docs/examples/innovations.csv found; the demo has no innovation records\n");
	else
		im.on_reject = demo_reject;
	im.arg = used;
	e = f ? innovations_import_file(dc, &admin, f, &im) : D_OK;
	if (f)
		fclose(f);
	if (e != D_OK || im.rejected) {
		fprintf(stderr, "respire demo: %s: %s\n", used, im.error ? im.error : "rows refused");
		return -1;
	}
	if (f)
		printf("demo: %ld innovation records loaded from %s\n", im.created + im.updated + im.unchanged, used);
	return db_exec(dc->db, "UPDATE users SET adviser_academy = 'Toulouse' WHERE email = ?", "s",
		       members[5].email) == 1 ? 0 : -1;
}

/* The operators' console has something to show: two open reports and a
 * reply the admin hid, with its reason in the audit log. */
static int seed_console(struct dctx *dc)
{
	struct viewer reporter = as(2), admin = as(5);
	struct mod_ref hide = { "reply", 0 };
	int64_t post = 0, reply = 0, id = 0;
	const char *field = NULL;
	enum derr result;

	if (db_int(dc->db, &post, "SELECT id FROM posts WHERE author_id <> 2 AND visibility IN ('public', 'members')"
		   " ORDER BY id LIMIT 1", "") < 0 ||
	    db_int(dc->db, &reply, "SELECT r.id FROM replies r JOIN posts p ON p.id = r.post_id"
		   " WHERE r.author_id <> 2 AND p.visibility IN ('public', 'members') ORDER BY r.id DESC LIMIT 1", "") < 0)
		return -1;
	if (post && report_create(dc, &reporter, post, 0, "Lien vers un site commercial sans rapport avec le sujet.",
				  &id, &field) != D_OK)
		return -1;
	if (reply && report_create(dc, &reporter, 0, reply, "Ton agressif envers une collègue.", &id, &field) != D_OK)
		return -1;
	hide.id = reply;
	if (reply && admin_moderate_bulk(dc, &admin, "hide", &hide, 1, "Propos contraires à la charte (signalement traité).",
					 &result, &field) != D_OK)
		return -1;
	if (post)
		printf("demo: the moderation queue holds a report; a reply was hidden by %s\n", admin.name);
	return 0;
}

int cmd_demo(int argc, char **argv)
{
	struct config_flags f = { 0 };
	struct app app;
	struct dctx dc = { 0 };
	int help, i, made = 0, rc = 0;
	int64_t existing = 0;
	const char *schools = NULL, *innovations = NULL;

	for (i = 1; i < argc; i++) {
		int j = cmd_common_flags(argc, argv, i, &f, 0, usage, &help);

		if (j < 0)
			return 2;
		if (help)
			return 0;
		if (j > i) {
			i = j - 1;
		} else if (!strcmp(argv[i], "--schools") && i + 1 < argc) {
			schools = argv[++i];
		} else if (!strcmp(argv[i], "--innovations") && i + 1 < argc) {
			innovations = argv[++i];
		} else {
			fprintf(stderr, "respire demo: unknown argument '%s'\n%s", argv[i], usage);
			return 2;
		}
	}
	if (app_open(&app, &f) < 0)
		return 1;
	dc.db = db_pool_get(app.pool);
	dc.arena = arena_new();
	dc.cfg = &app.cfg;
	dc.base_url = app.cfg.base_url;
	dc.lang = "fr";
	dc.secret = app.secret;
	dc.now = clock_now();
	if (!dc.db || !dc.arena || db_int(dc.db, &existing, "SELECT COUNT(*) FROM users", "") < 0) {
		rc = 1;
		goto out;
	}
	if (existing > 0) {
		printf("demo: the network already has %lld member(s); nothing to do\n", (long long)existing);
		goto out;
	}
	if (load_schools(&dc, schools) < 0) {
		rc = 1;
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
		if (d->uai && school_get(&dc, d->uai, &(struct school){ 0 }) == D_OK) {
			p.school_uai = d->uai;
			p.school = NULL;         /* the directory's name becomes the school */
		}
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
	if (!rc && (seed_content(&dc) < 0 || seed_innovations(&dc, innovations) < 0 || seed_calls(&dc) < 0))
		rc = 1;
	/* 90 days of plausible activity in the statistics, so that the
	 * console's charts (/admin/stats) mean something. */
	if (!rc) {
		/* The demo's members and 600 simulated ones (a network's worth). */
		if (stats_seed(&dc, 90, 600, 1) < 0)
			rc = 1;
	}
	if (rc || db_commit(dc.db) < 0) {
		db_rollback(dc.db);
		fprintf(stderr, "respire demo: seeding failed (see the log above)\n");
		rc = 1;
		goto out;
	}
	printf("demo: created %d members with contacts, groups, posts and documents; sign in as %s (or any demo address) with the password %s\n",
	       made, members[0].email, DEMO_PASSWORD);
	printf("demo: %s is an administrator\n", members[4].email);
	printf("demo: %s advises the academy of Toulouse\n", members[5].email);
	if (seed_console(&dc) < 0) {
		fprintf(stderr, "respire demo: the console's examples failed (see the log above)\n");
		rc = 1;
	}
	printf("demo: 90 days of statistics written (see /admin/stats)\n");
out:
	arena_free(dc.arena);
	db_pool_put(app.pool, dc.db);
	app_close(&app);
	return rc;
}
