/* French-looking text for `respire seed` (see seed_text.h). Sentences
 * follow a few patterns (determiner, noun, adjective, verb, complement,
 * connector) so that lengths, word shapes and word frequencies look like
 * what teachers write; the meaning is not the point. */
#include "cmd/seed_text.h"

#include <string.h>

#define N(a) (sizeof a / sizeof a[0])

/* Most frequent first: Zipf-like picks favour the start of each list. */
static const char *const nouns_m[] = {
	"élève", "cours", "projet", "travail", "collège", "lycée", "niveau", "groupe", "temps", "document",
	"exercice", "support", "conseil", "enseignant", "parent", "programme", "trimestre", "devoir", "atelier",
	"débat", "exposé", "parcours", "retour", "outil", "thème", "objectif", "résultat", "bilan", "sujet",
	"chapitre", "manuel", "tableau", "questionnaire", "corpus", "échange", "stage", "conseil de classe",
	"cahier", "protocole", "dispositif", "accompagnement", "tutorat", "entretien", "diaporama", "podcast",
	"carnet de bord", "contrôle", "brevet", "baccalauréat", "oral", "écrit", "calendrier", "emploi du temps",
	"référentiel", "socle commun", "cycle", "conseil pédagogique", "professeur principal", "binôme",
	"espace numérique de travail", "CDI", "laboratoire", "gymnase", "préau", "réseau", "partenariat",
};
static const char *const nouns_f[] = {
	"classe", "séance", "séquence", "évaluation", "compétence", "progression", "activité", "consigne",
	"grille", "démarche", "pratique", "formation", "équipe", "réunion", "discipline", "notion", "fiche",
	"lecture", "écriture", "question", "réponse", "correction", "remédiation", "différenciation",
	"autonomie", "motivation", "difficulté", "réussite", "production", "présentation", "situation",
	"ressource", "méthode", "expérience", "observation", "hypothèse", "conclusion", "synthèse", "trace écrite",
	"carte mentale", "frise chronologique", "sortie scolaire", "classe inversée", "pédagogie de projet",
	"liaison école-collège", "inclusion", "orientation", "vie scolaire", "direction", "inspection",
	"bibliothèque", "salle informatique", "tablette", "plateforme", "visioconférence", "rentrée", "période",
	"année", "semaine", "journée", "heure", "matinée", "grille d'évaluation", "épreuve", "copie", "note",
};
static const char *const adjectives[] = {
	"nouveau", "simple", "efficace", "utile", "collectif", "individuel", "commun", "régulier", "progressif",
	"concret", "interdisciplinaire", "numérique", "oral", "écrit", "différencié", "adapté", "pratique",
	"rapide", "long", "court", "difficile", "facile", "important", "intéressant", "motivant", "ouvert",
	"guidé", "autonome", "partagé", "positif", "formatif", "sommatif", "bienveillant", "exigeant", "clair",
	"précis", "complet", "hebdomadaire", "mensuel", "annuel", "expérimental", "innovant", "coopératif",
};
static const char *const verbs[] = {
	"propose", "utilise", "prépare", "partage", "organise", "construit", "teste", "adapte", "évalue",
	"accompagne", "travaille", "cherche", "présente", "explique", "observe", "note", "corrige", "valorise",
	"encourage", "associe", "compare", "analyse", "découvre", "reprend", "anime", "mène", "conçoit",
	"met en place", "mets en place", "lance", "termine", "commence", "développe", "renforce", "simplifie",
	"intègre", "complète", "relis", "rédige", "modifie", "améliore", "planifie", "coordonne", "suis",
};
static const char *const complements[] = {
	"en classe entière", "en demi-groupe", "en autonomie", "à la maison", "en fin de séance",
	"au début de l'année", "avant les vacances", "pendant le trimestre", "avec les collègues",
	"en équipe pédagogique", "avec les parents", "au CDI", "en salle informatique", "sur l'ENT",
	"en sixième", "en cinquième", "en quatrième", "en troisième", "en seconde", "en première",
	"en terminale", "au cycle 3", "au cycle 4", "en maternelle", "en CM2", "en CP", "en lycée professionnel",
	"pour les élèves en difficulté", "pour tous les élèves", "avec une grille commune", "sans note",
	"par compétences", "en interdisciplinarité", "sur deux semaines", "chaque lundi", "depuis septembre",
	"à distance", "en présentiel", "avec le professeur documentaliste", "lors du conseil de classe",
};
static const char *const openers[] = {
	"Bonjour à toutes et à tous,", "Merci pour ce partage.", "Bonne idée !", "Pour ma part,",
	"Dans mon établissement,", "Cette année,", "Depuis la rentrée,", "Concrètement,", "En pratique,",
	"D'après mon expérience,", "Je rejoins ce qui a été dit :", "Petite question :", "Avec mes élèves,",
	"Au collège,", "Au lycée,", "En primaire,", "Après plusieurs essais,", "Pour compléter,",
};
static const char *const connectors[] = {
	"et", "mais", "donc", "puis", "ensuite", "car", "pourtant", "ainsi", "alors", "enfin", "parfois",
	"souvent", "toujours", "surtout", "aussi", "néanmoins", "cependant", "par ailleurs", "en revanche",
};
static const char *const subjects[] = {
	"je", "nous", "on", "l'équipe", "la classe", "chaque élève", "le groupe", "les élèves", "ma collègue",
	"mon collègue", "le professeur", "la professeure", "l'enseignant", "l'enseignante",
};

/* A Zipf-like index: about one pick in three among the first tenth. */
static size_t zipf(struct rng *r, size_t n)
{
	double u = rng_unit(r);
	size_t i = (size_t)((double)n * u * u * u);

	return i < n ? i : n - 1;
}

static void noun_phrase(struct rng *r, struct buf *b)
{
	int fem = rng_below(r, 2);
	const char *noun = fem ? nouns_f[zipf(r, N(nouns_f))] : nouns_m[zipf(r, N(nouns_m))];
	static const char *const det_m[] = { "le", "un", "ce", "notre", "mon", "chaque" };
	static const char *const det_f[] = { "la", "une", "cette", "notre", "ma", "chaque" };
	static const char *const det_pl[] = { "les", "des", "ces", "nos", "mes", "plusieurs" };
	int plural = rng_below(r, 4) == 0;
	const char *det = plural ? det_pl[rng_below(r, N(det_pl))]
			: fem ? det_f[rng_below(r, N(det_f))] : det_m[rng_below(r, N(det_m))];
	int vowel = strchr("aeiouhéèêàâîôû", noun[0]) != NULL || !strncmp(noun, "é", 2) ||
		    !strncmp(noun, "è", 2);

	if (!plural && vowel && (!strcmp(det, "le") || !strcmp(det, "la")))
		buf_printf(b, "l'%s", noun);
	else
		buf_printf(b, "%s %s%s", det, noun, plural && !strchr(noun, ' ') && noun[strlen(noun) - 1] != 's' &&
			   noun[strlen(noun) - 1] != 'x' ? "s" : "");
	if (rng_below(r, 3) == 0)
		buf_printf(b, " %s", adjectives[zipf(r, N(adjectives))]);
}

static void capitalise_from(struct buf *b, size_t at)
{
	if (b->data && at < b->len && b->data[at] >= 'a' && b->data[at] <= 'z')
		b->data[at] = (char)(b->data[at] - 'a' + 'A');
}

/* One sentence of about 8 to 22 words. */
static void sentence(struct rng *r, struct buf *b)
{
	size_t start = b->len;
	int clauses = rng_range(r, 1, 3);

	if (rng_below(r, 8) == 0) {
		buf_printf(b, "%s ", openers[rng_below(r, N(openers))]);
		start = (size_t)-1; /* an opener is already capitalised */
	}
	for (int c = 0; c < clauses; c++) {
		if (c)
			buf_printf(b, ", %s ", connectors[zipf(r, N(connectors))]);
		if (rng_below(r, 2))
			buf_puts(b, subjects[zipf(r, N(subjects))]);
		else
			noun_phrase(r, b);
		buf_printf(b, " %s ", verbs[zipf(r, N(verbs))]);
		noun_phrase(r, b);
		if (rng_below(r, 2))
			buf_printf(b, " %s", complements[zipf(r, N(complements))]);
	}
	if (start != (size_t)-1)
		capitalise_from(b, start);
	buf_puts(b, rng_below(r, 10) == 0 ? " ?" : ".");
}

void seed_sentences(struct rng *r, struct buf *b, int n)
{
	for (int i = 0; i < n; i++) {
		if (i)
			buf_putc(b, ' ');
		sentence(r, b);
	}
}

void seed_paragraphs(struct rng *r, struct buf *b, int pmin, int pmax, int smin, int smax, int markdown)
{
	int np = rng_range(r, pmin, pmax);

	for (int p = 0; p < np; p++) {
		if (p)
			buf_puts(b, "\n\n");
		if (markdown && p && rng_below(r, 6) == 0) { /* a heading */
			size_t at = b->len + 3;

			buf_puts(b, "## ");
			noun_phrase(r, b);
			capitalise_from(b, at);
			buf_puts(b, "\n\n");
		}
		if (markdown && rng_below(r, 7) == 0) { /* a list */
			int items = rng_range(r, 2, 5);

			for (int i = 0; i < items; i++) {
				size_t at;

				buf_puts(b, i ? "\n- " : "- ");
				at = b->len;
				noun_phrase(r, b);
				capitalise_from(b, at);
				if (rng_below(r, 2))
					buf_printf(b, " %s", complements[zipf(r, N(complements))]);
			}
			continue;
		}
		seed_sentences(r, b, rng_range(r, smin, smax));
		if (markdown && rng_below(r, 9) == 0)
			buf_printf(b, " **%s**", adjectives[zipf(r, N(adjectives))]);
	}
}

void seed_title(struct rng *r, struct buf *b, int question)
{
	size_t start = b->len;

	switch (rng_below(r, 4)) {
	case 0:
		noun_phrase(r, b);
		buf_printf(b, " %s", complements[zipf(r, N(complements))]);
		break;
	case 1:
		buf_puts(b, question ? "comment " : "");
		buf_printf(b, "%s %s ", subjects[zipf(r, N(subjects))], verbs[zipf(r, N(verbs))]);
		noun_phrase(r, b);
		break;
	case 2:
		noun_phrase(r, b);
		buf_puts(b, " et ");
		noun_phrase(r, b);
		break;
	default:
		noun_phrase(r, b);
		buf_puts(b, " : ");
		noun_phrase(r, b);
		break;
	}
	capitalise_from(b, start);
	if (question)
		buf_puts(b, " ?");
}
