/* respire seed: a large, realistic, deterministic network for benchmarks
 * and operators' rehearsals. Everything is planned in memory first (who is
 * in which group, who writes what, when), then inserted through the storage
 * layer with cached prepared statements in large transactions; the search
 * index follows by itself (database triggers) and is rebuilt at the end in
 * order of creation (the triggers fill it table after table). Same --seed, same network
 * (texts, ids, links); times are relative to the moment of seeding. */
#include "cmd/cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd/seed_text.h"
#include "domain/account.h"
#include "domain/schools.h"
#include "domain/innovations.h"
#include "domain/stats.h"
#include "store/blobs.h"
#include "util/clock.h"
#include "util/log.h"

static const char usage[] =
	"usage: respire seed [--scale N] [--seed S] [--data DIR] [--db URL]\n"
	"\n"
	"Generates a large network into an empty database, for benchmarks: at scale 1,\n"
	"50,000 members, 5,000 groups, 125,000 posts and 375,000 replies, 50,000\n"
	"documents, 2,000 schools (each member at one of their academy's), 7,000\n"
	"innovation records, 2,000 events with their registrations (some full, with a\n"
	"waiting list), 20 calls for proposals with 100 proposals each (half of the\n"
	"calls closed, reviewed and decided), contacts and follows; N may be\n"
	"fractional (0.2) or larger (10).\n"
	"The measured member (printed at the end) has 200 contacts and 10 groups at\n"
	"every scale, in groups as busy at every scale. The same seed (default 1)\n"
	"gives the same network.\n"
	"SQLite is written without waiting for the disk while seeding: do not seed a\n"
	"database you care about.\n";

#define MEMBER_EMAIL "camille.bernard@ac-versailles.fr"
#define MEMBER_NAME "Camille Bernard"
#define MEMBER_PASSWORD "respire-bench-2026"
#define MEMBER_CONTACTS 200
#define MEMBER_GROUPS 10
#define MEMBER_POSTS 40
#define MEMBER_REPLIES 120
#define DISCUSSION_REPLIES 30
#define MEMBER_GROUP_POSTS 250     /* posts in each of the measured member's groups */
#define MEMBER_GROUP_DOCS 30       /* documents in each */
#define PROFILE_POSTS 60           /* posts of the measured profile (member 2) outside groups */
#define NBLOBS 64
#define BATCH 100000           /* statements per transaction */
#define SPAN_DAYS 730          /* the network's history */

enum { V_PUBLIC, V_MEMBERS, V_CONTACTS, V_GROUP, V_PRIVATE };
static const char *const vis_names[] = { "public", "members", "contacts", "group", "private" };
enum { G_OPEN, G_CLOSED, G_SECRET };
static const char *const gvis_names[] = { "open", "closed", "secret" };
static const char *const gkind_names[] = { "resources", "practice", "training", "project" };
static const char *const kind_names[] = { "discussion", "blog", "page" };

static const char *const first_names[] = {
	"Camille", "Léa", "Manon", "Chloé", "Emma", "Inès", "Sarah", "Julie", "Claire", "Sophie", "Anne",
	"Marie", "Nathalie", "Isabelle", "Céline", "Aurélie", "Émilie", "Hélène", "Laure", "Mathilde",
	"Élodie", "Pauline", "Lucie", "Agnès", "Nadia", "Fatima", "Yasmine", "Aïcha", "Sandrine", "Valérie",
	"Thomas", "Nicolas", "Julien", "Karim", "Marc", "Pierre", "Jean", "Luc", "Antoine", "Maxime",
	"Alexandre", "Romain", "Sébastien", "Olivier", "François", "Mehdi", "Yannick", "Guillaume",
	"Benoît", "Jérôme", "Frédéric", "Stéphane", "Hugo", "Louis", "Théo", "Mathieu", "Cédric", "Rachid",
	"Bruno", "Loïc",
};
static const char *const last_names[] = {
	"Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
	"Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier",
	"Morel", "Girard", "André", "Lefèvre", "Mercier", "Dupont", "Lambert", "Bonnet", "François", "Martinez",
	"Legrand", "Garnier", "Faure", "Rousseau", "Blanc", "Guérin", "Muller", "Henry", "Roussel", "Nicolas",
	"Perrin", "Morin", "Mathieu", "Clément", "Gauthier", "Dumont", "Lopez", "Fontaine", "Chevalier",
	"Robin", "Masson", "Sanchez", "Nguyen", "Benali", "Boyer", "Denis", "Lemaire", "Duval", "Joly",
	"Gautier", "Roger", "Roche", "Roy", "Noël", "Meyer", "Lucas", "Meunier", "Jean", "Perez", "Marchand",
};
static const struct { const char *name, *domain; } academies[] = {
	{ "Aix-Marseille", "ac-aix-marseille.fr" }, { "Amiens", "ac-amiens.fr" },
	{ "Besançon", "ac-besancon.fr" }, { "Bordeaux", "ac-bordeaux.fr" },
	{ "Clermont-Ferrand", "ac-clermont.fr" }, { "Corse", "ac-corse.fr" }, { "Créteil", "ac-creteil.fr" },
	{ "Dijon", "ac-dijon.fr" }, { "Grenoble", "ac-grenoble.fr" }, { "Guadeloupe", "ac-guadeloupe.fr" },
	{ "Lille", "ac-lille.fr" }, { "Limoges", "ac-limoges.fr" }, { "Lyon", "ac-lyon.fr" },
	{ "Martinique", "ac-martinique.fr" }, { "Montpellier", "ac-montpellier.fr" },
	{ "Nancy-Metz", "ac-nancy-metz.fr" }, { "Nantes", "ac-nantes.fr" }, { "Nice", "ac-nice.fr" },
	{ "Normandie", "ac-normandie.fr" }, { "Orléans-Tours", "ac-orleans-tours.fr" },
	{ "Paris", "ac-paris.fr" }, { "Poitiers", "ac-poitiers.fr" }, { "Reims", "ac-reims.fr" },
	{ "Rennes", "ac-rennes.fr" }, { "La Réunion", "ac-reunion.fr" }, { "Strasbourg", "ac-strasbourg.fr" },
	{ "Toulouse", "ac-toulouse.fr" }, { "Versailles", "ac-versailles.fr" },
};
static const char *const school_kinds[] = { "Collège", "Lycée", "École élémentaire", "Lycée professionnel",
					    "École maternelle", "INSPÉ" };
static const char *const school_names[] = {
	"Jean Moulin", "Victor Hugo", "Jules Ferry", "Louise Michel", "Pablo Picasso", "Marie Curie",
	"Jean Jaurès", "Simone Veil", "Albert Camus", "Paul Éluard", "Jacques Prévert", "Rosa Parks",
	"Condorcet", "Voltaire", "Montesquieu", "Jean Monnet", "Louis Pasteur", "George Sand",
	"Antoine de Saint-Exupéry", "Aimé Césaire", "Olympe de Gouges", "Charles Péguy", "Ampère", "Hoche",
};
static const char *const roles[] = { "teacher", "teacher", "teacher", "teacher", "teacher", "head_teacher",
				     "adviser", "trainer", "inspector", "librarian", "trainee", "other" };
static const char *const subjects[] = {
	"Mathématiques", "Français", "Histoire-géographie", "Anglais", "Espagnol", "Allemand",
	"Physique-chimie", "SVT", "Technologie", "EPS", "Arts plastiques", "Éducation musicale",
	"Philosophie", "SES", "Documentation", "NSI", "Lettres classiques", "EMC",
};
static const char *const levels[] = { "Maternelle", "Élémentaire", "Collège", "Lycée", "Lycée professionnel",
				      "Supérieur" };
static const char *const interests[] = {
	"Classe inversée", "Évaluation par compétences", "Numérique", "Inclusion", "Ouverture internationale",
	"EMI", "Pédagogie de projet", "Oral", "Mentorat", "Différenciation", "Coopération", "Neurosciences",
};
static const char *const licences[] = { "CC-BY", "CC-BY-SA", "CC-BY-SA", "CC-BY-NC-SA", "CC0", "ARR" };
/* The measured member's groups: every kind and openness. */
static const struct { int vis, kind; const char *role; } member_groups[MEMBER_GROUPS] = {
	{ G_CLOSED, 1, "member" }, { G_OPEN, 0, "owner" }, { G_SECRET, 2, "moderator" }, { G_OPEN, 3, "member" },
	{ G_CLOSED, 0, "member" }, { G_OPEN, 1, "member" }, { G_SECRET, 3, "member" }, { G_CLOSED, 2, "member" },
	{ G_OPEN, 2, "member" }, { G_CLOSED, 3, "member" },
};

#define N(a) ((int)(sizeof a / sizeof a[0]))

struct post_plan {
	int32_t author, group;       /* group 0: none */
	int32_t nreplies, shown;      /* shown: not hidden, the reply_count */
	uint8_t vis, kind, hidden;
	int64_t t, last;
};

struct reply_plan {
	int32_t post, author;        /* post: index from 0 */
	uint8_t hidden;
	int64_t t;
};

struct doc_plan {
	int32_t author, group;
	uint8_t vis;
	int64_t t;
};

struct event {                       /* an activity row, sorted by time */
	int64_t t;
	int32_t idx;
	uint8_t type;                /* 0 post, 1 reply, 2 document, 3 innovation record */
};

struct plan {
	uint64_t seed;
	int64_t now, t0;
	int32_t nusers, ngroups, nposts, nreplies, ndocs, nschools, ninnovations, nevents;
	int32_t ncalls, proposals_per_call, nproposals;  /* calls for proposals */
	/* members of each group (CSR): gm[gstart[g]..gstart[g+1]), the owner first */
	uint8_t *gvis, *gkind;
	int32_t *gstart, *gm;
	uint8_t *gstate;             /* 0 member, 1 requested, 2 invited */
	int64_t *glast;
	/* accepted contacts of each member (CSR) */
	int32_t *cstart, *cl;
	/* contact and follow pairs */
	int32_t (*pairs)[2];
	uint8_t *pair_pending;
	int32_t npairs;
	int32_t (*follows)[2];
	int32_t nfollows;
	struct post_plan *posts;
	struct reply_plan *replies;
	struct doc_plan *docs;
	/* each innovation record's creation: its time and coordinator (load_innovations) */
	int64_t *itime;
	int32_t *icoord;
	int32_t discussion;          /* index of the 30-reply discussion */
	char blob_sha[NBLOBS][BLOB_HEX_LEN + 1];
	int64_t blob_size[NBLOBS];
};

/* ---- helpers ------------------------------------------------------------ */

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* "Léa Noël" -> "lea.noel" with sep '.', ASCII only (the accents of our lists). */
static void ascii_fold(const char *in, char sep, char *out, size_t outlen)
{
	static const struct { const char *utf8; char ascii; } map[] = {
		{ "é", 'e' }, { "è", 'e' }, { "ê", 'e' }, { "ë", 'e' }, { "à", 'a' }, { "â", 'a' },
		{ "î", 'i' }, { "ï", 'i' }, { "ô", 'o' }, { "ö", 'o' }, { "ù", 'u' }, { "û", 'u' },
		{ "ü", 'u' }, { "ç", 'c' }, { "É", 'e' },
	};
	size_t k = 0;

	for (const char *p = in; *p && k + 1 < outlen;) {
		int done = 0;

		for (int m = 0; m < N(map) && !done; m++)
			if (!strncmp(p, map[m].utf8, strlen(map[m].utf8))) {
				out[k++] = map[m].ascii;
				p += strlen(map[m].utf8);
				done = 1;
			}
		if (done)
			continue;
		if (*p == ' ' || *p == '\'')
			out[k++] = sep;
		else if (*p >= 'A' && *p <= 'Z')
			out[k++] = (char)(*p - 'A' + 'a');
		else if ((*p >= 'a' && *p <= 'z') || *p == '-')
			out[k++] = *p;
		p++;
	}
	out[k] = '\0';
}

/* A set of 64-bit keys (open addressing), to keep pairs distinct. */
struct set {
	uint64_t *slots;
	size_t mask;
};

static int set_init(struct set *s, size_t expected)
{
	size_t n = 1024;

	while (n < expected * 2)
		n <<= 1;
	s->slots = calloc(n, sizeof *s->slots);
	s->mask = n - 1;
	return s->slots ? 0 : -1;
}

/* 1 when added, 0 when already there (key never 0). */
static int set_add(struct set *s, uint64_t key)
{
	size_t i = (size_t)((key * 0x9E3779B97F4A7C15ull) >> 17) & s->mask;

	while (s->slots[i]) {
		if (s->slots[i] == key)
			return 0;
		i = (i + 1) & s->mask;
	}
	s->slots[i] = key;
	return 1;
}

static uint64_t pair_key(int32_t a, int32_t b)
{
	return a < b ? ((uint64_t)a << 32) | (uint32_t)b : ((uint64_t)b << 32) | (uint32_t)a;
}

/* A skewed pick in [0, n): low indices are picked more often (power > 1). */
static int32_t skewed(struct rng *r, int32_t n, double power)
{
	double u = rng_unit(r), x = u;

	for (double p = power; p > 1.0; p -= 1.0)
		x *= u;
	return (int32_t)((double)n * x) % n;
}

/* A random current member of group g (1-based). */
static int32_t member_of_group(const struct plan *p, struct rng *r, int32_t g)
{
	int32_t from = p->gstart[g], n = p->gstart[g + 1] - from;

	for (int tries = 0; tries < 16; tries++) {
		int32_t k = from + (int32_t)rng_below(r, (uint32_t)n);

		if (p->gstate[k] == 0)
			return p->gm[k];
	}
	return p->gm[from]; /* the owner */
}

static int event_cmp(const void *a, const void *b)
{
	const struct event *x = a, *y = b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	if (x->type != y->type)
		return x->type - y->type;
	return x->idx - y->idx;
}

static int reply_cmp(const void *a, const void *b)
{
	const struct reply_plan *x = a, *y = b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->post != y->post ? (x->post < y->post ? -1 : 1) : 0;
}

/* ---- the plan ----------------------------------------------------------- */

static int plan_groups(struct plan *p)
{
	struct rng r = rng_for(p->seed, 1, 0);
	int32_t total = 0, cap;
	int32_t *size = calloc((size_t)p->ngroups + 1, sizeof *size);

	if (!size)
		return -1;
	p->gvis = calloc((size_t)p->ngroups + 1, 1);
	p->gkind = calloc((size_t)p->ngroups + 1, 1);
	p->glast = calloc((size_t)p->ngroups + 1, sizeof *p->glast);
	p->gstart = calloc((size_t)p->ngroups + 2, sizeof *p->gstart);
	if (!p->gvis || !p->gkind || !p->glast || !p->gstart)
		goto fail;
	for (int32_t g = 1; g <= p->ngroups; g++) {
		double u = rng_unit(&r);

		if (g <= MEMBER_GROUPS) {
			p->gvis[g] = (uint8_t)member_groups[g - 1].vis;
			p->gkind[g] = (uint8_t)member_groups[g - 1].kind;
			size[g] = rng_range(&r, 30, 150);
		} else {
			uint32_t v = rng_below(&r, 20);

			p->gvis[g] = v < 10 ? G_OPEN : v < 17 ? G_CLOSED : G_SECRET;
			p->gkind[g] = (uint8_t)rng_below(&r, 4);
			size[g] = 2 + (int32_t)(120.0 * u * u * u * u);
		}
		if (size[g] > p->nusers - 1)
			size[g] = p->nusers - 1;
		total += size[g];
	}
	cap = total;
	p->gm = malloc(sizeof *p->gm * (size_t)(cap + 1));
	p->gstate = calloc((size_t)cap + 1, 1);
	if (!p->gm || !p->gstate)
		goto fail;
	total = 0;
	for (int32_t g = 1; g <= p->ngroups; g++) {
		int32_t from = total;

		p->gstart[g] = from;
		for (int32_t k = 0; k < size[g]; k++) {
			int32_t u;
			int dup;
			uint8_t state;

			do { /* a distinct member; the measured one only in their own groups */
				u = 2 + (int32_t)rng_below(&r, (uint32_t)(p->nusers - 1));
				dup = 0;
				for (int32_t j = from; j < total && !dup; j++)
					dup = p->gm[j] == u;
			} while (dup);
			if (g <= MEMBER_GROUPS && k == 0 && !strcmp(member_groups[g - 1].role, "owner"))
				u = 1;
			else if (g == 1 && k == 0)
				u = 2;            /* the measured discussion's author, a contact */
			else if (g <= MEMBER_GROUPS && k == 1)
				u = 1;
			state = 0; /* a few requests (closed groups) and invitations (secret ones) pending */
			if (k > 1 && p->gvis[g] != G_OPEN && rng_below(&r, 20) == 0)
				state = p->gvis[g] == G_CLOSED ? 1 : 2;
			for (int32_t j = from; j < total; j++)
				if (p->gm[j] == u) /* the measured member twice (owner): once */
					u = 0;
			if (u) {
				p->gstate[total] = state;
				p->gm[total++] = u;
			}
		}
	}
	p->gstart[p->ngroups + 1] = total;
	free(size);
	return 0;
fail:
	free(size);
	return -1;
}

static int plan_contacts(struct plan *p)
{
	struct rng r = rng_for(p->seed, 2, 0);
	struct set seen = { 0 };
	int32_t want = MEMBER_CONTACTS + 5 * p->nusers, *deg = NULL, *fill = NULL;
	int rc = -1;

	p->pairs = malloc(sizeof *p->pairs * (size_t)want);
	p->pair_pending = calloc((size_t)want, 1);
	if (!p->pairs || !p->pair_pending || set_init(&seen, (size_t)want) < 0)
		goto out;
	/* the measured member: 2 first (group 1's owner), then 199 others */
	while (p->npairs < MEMBER_CONTACTS) {
		int32_t u = p->npairs == 0 ? 2 : 2 + (int32_t)rng_below(&r, (uint32_t)(p->nusers - 1));

		if (set_add(&seen, pair_key(1, u))) {
			p->pairs[p->npairs][0] = p->npairs % 2 ? u : 1;
			p->pairs[p->npairs][1] = p->npairs % 2 ? 1 : u;
			p->npairs++;
		}
	}
	for (int32_t tries = 0; p->npairs < want && tries < want * 2; tries++) {
		/* people close in id (same cohort) more often than not */
		int32_t a = 2 + (int32_t)rng_below(&r, (uint32_t)(p->nusers - 1)), b;

		if (rng_below(&r, 2))
			b = 2 + (a - 2 + 1 + (int32_t)rng_below(&r, 500)) % (p->nusers - 1);
		else
			b = 2 + (int32_t)rng_below(&r, (uint32_t)(p->nusers - 1));
		if (a == b || !set_add(&seen, pair_key(a, b)))
			continue;
		p->pairs[p->npairs][0] = a;
		p->pairs[p->npairs][1] = b;
		p->pair_pending[p->npairs] = rng_below(&r, 20) == 0;
		p->npairs++;
	}
	/* accepted contacts per member (CSR) */
	deg = calloc((size_t)p->nusers + 2, sizeof *deg);
	fill = calloc((size_t)p->nusers + 2, sizeof *fill);
	p->cstart = calloc((size_t)p->nusers + 2, sizeof *p->cstart);
	if (!deg || !fill || !p->cstart)
		goto out;
	for (int32_t i = 0; i < p->npairs; i++)
		if (!p->pair_pending[i]) {
			deg[p->pairs[i][0]]++;
			deg[p->pairs[i][1]]++;
		}
	for (int32_t u = 1; u <= p->nusers + 1; u++)
		p->cstart[u] = p->cstart[u - 1] + deg[u - 1];
	if (!(p->cl = malloc(sizeof *p->cl * (size_t)(p->cstart[p->nusers + 1] + 1))))
		goto out;
	for (int32_t i = 0; i < p->npairs; i++)
		if (!p->pair_pending[i]) {
			int32_t a = p->pairs[i][0], b = p->pairs[i][1];

			p->cl[p->cstart[a] + fill[a]++] = b;
			p->cl[p->cstart[b] + fill[b]++] = a;
		}
	/* follows: the measured member follows 20, others about one each two */
	free(seen.slots);
	if (set_init(&seen, (size_t)(p->nusers / 2 + 40)) < 0)
		goto out;
	want = 20 + p->nusers / 2;
	if (!(p->follows = malloc(sizeof *p->follows * (size_t)want)))
		goto out;
	for (int32_t tries = 0; p->nfollows < want && tries < want * 3; tries++) {
		int32_t a = p->nfollows < 20 ? 1 : 2 + (int32_t)rng_below(&r, (uint32_t)(p->nusers - 1));
		int32_t b = 2 + skewed(&r, p->nusers - 1, 2.0); /* some are much followed */

		if (a == b || !set_add(&seen, ((uint64_t)a << 32) | (uint32_t)b))
			continue;
		p->follows[p->nfollows][0] = a;
		p->follows[p->nfollows][1] = b;
		p->nfollows++;
	}
	rc = 0;
out:
	free(seen.slots);
	free(deg);
	free(fill);
	return rc;
}

static int32_t contact_of(const struct plan *p, struct rng *r, int32_t u)
{
	int32_t n = p->cstart[u + 1] - p->cstart[u];

	return n ? p->cl[p->cstart[u] + (int32_t)rng_below(r, (uint32_t)n)] : u;
}

static int plan_posts(struct plan *p)
{
	struct rng r = rng_for(p->seed, 3, 0);
	int64_t span = p->now - 3600 - p->t0;
	double *weight = NULL, sum = 0;
	int32_t assigned = 0;

	p->posts = calloc((size_t)p->nposts, sizeof *p->posts);
	p->replies = calloc((size_t)p->nreplies + 1, sizeof *p->replies);
	weight = calloc((size_t)p->nposts, sizeof *weight);
	if (!p->posts || !p->replies || !weight) {
		free(weight);
		return -1;
	}
	int32_t mstride = p->nposts / (MEMBER_GROUPS * MEMBER_GROUP_POSTS), pstride = p->nposts / PROFILE_POSTS;

	if (mstride < 2)
		mstride = 2;
	if (pstride < 3)
		pstride = 3;
	p->discussion = p->nposts > 200 ? p->nposts - 100 : p->nposts / 2;
	for (int32_t i = 0; i < p->nposts; i++) {
		struct post_plan *x = &p->posts[i];
		uint32_t v = rng_below(&r, 100);

		x->t = p->t0 + (int64_t)((double)span * (i + 0.5) / p->nposts);
		x->kind = v < 70 ? 0 : v < 90 ? 1 : 2;
		if (i == p->discussion) {
			x->kind = 0;
			x->group = 1;
			x->author = 2;
		} else if (i % mstride == 3) {
			/* the measured member's groups: the same activity at every scale */
			x->group = 1 + (i / mstride) % MEMBER_GROUPS;
			x->author = member_of_group(p, &r, x->group);
		} else if (i % pstride == 5) {
			x->author = 2; /* the measured profile: the same at every scale */
		} else if (rng_below(&r, 100) < 60) {
			/* other groups, some far busier than others */
			x->group = MEMBER_GROUPS + 1 + skewed(&r, p->ngroups - MEMBER_GROUPS, 2.0);
			x->author = member_of_group(p, &r, x->group);
		} else {
			x->author = 3 + skewed(&r, p->nusers - 2, 1.5); /* some write far more */
		}
		if (i % (p->nposts / MEMBER_POSTS) == 7 && i != p->discussion) { /* the measured member's own */
			x->author = 1;
			x->group = i % 3 ? (int32_t)(1 + rng_below(&r, MEMBER_GROUPS)) : 0;
		}
		if (x->group) {
			v = rng_below(&r, 10);
			x->vis = p->gvis[x->group] != G_OPEN ? V_GROUP : v < 5 ? V_MEMBERS : v < 7 ? V_PUBLIC : V_GROUP;
		} else {
			v = rng_below(&r, 20);
			x->vis = v < 5 ? V_PUBLIC : v < 14 ? V_MEMBERS : v < 19 ? V_CONTACTS : V_PRIVATE;
		}
		x->hidden = rng_below(&r, 500) == 0 && i != p->discussion;
		x->last = x->t;
		/* how much it is talked about: a long tail */
		weight[i] = x->vis == V_PRIVATE || i == p->discussion ? 0
			  : (x->kind == 0 ? 3.0 : x->kind == 1 ? 1.0 : 0.3) / (rng_unit(&r) + 0.02);
		sum += weight[i];
	}
	p->posts[p->discussion].nreplies = DISCUSSION_REPLIES;
	assigned = DISCUSSION_REPLIES;
	for (int32_t i = 0; i < p->nposts && sum > 0; i++) {
		int32_t c = (int32_t)((double)(p->nreplies - DISCUSSION_REPLIES) * weight[i] / sum + 0.5);

		if (c > 400)
			c = 400;
		if (assigned + c > p->nreplies)
			c = p->nreplies - assigned;
		p->posts[i].nreplies += c;
		assigned += c;
	}
	while (assigned < p->nreplies) { /* rounding: the rest to random talked-about posts */
		int32_t i = (int32_t)rng_below(&r, (uint32_t)p->nposts);

		if (weight[i] > 0 && p->posts[i].nreplies < 400) {
			p->posts[i].nreplies++;
			assigned++;
		}
	}
	free(weight);
	/* the replies themselves: after their post, sooner rather than later */
	assigned = 0;
	for (int32_t i = 0; i < p->nposts; i++) {
		struct post_plan *x = &p->posts[i];
		int64_t room = p->now - 60 - x->t;

		if (room > 30 * 86400)
			room = 30 * 86400;
		for (int32_t k = 0; k < x->nreplies; k++) {
			struct reply_plan *y = &p->replies[assigned++];
			double u = rng_unit(&r);

			y->post = i;
			y->t = x->t + 60 + (int64_t)((double)room * u * u);
			if (x->group)
				y->author = member_of_group(p, &r, x->group);
			else if (x->vis == V_CONTACTS)
				y->author = rng_below(&r, 4) ? contact_of(p, &r, x->author) : x->author;
			else
				y->author = 2 + (int32_t)rng_below(&r, (uint32_t)(p->nusers - 1));
			y->hidden = rng_below(&r, 500) == 0 && i != p->discussion;
		}
	}
	qsort(p->replies, (size_t)p->nreplies, sizeof *p->replies, reply_cmp);
	/* the measured member takes part: replies where they may (their groups, open posts) */
	for (int32_t k = 0, at = 0; k < MEMBER_REPLIES && p->nreplies > 0; k++) {
		at = (int32_t)((int64_t)(k + 1) * p->nreplies / (MEMBER_REPLIES + 1));
		for (; at < p->nreplies; at++) {
			struct post_plan *x = &p->posts[p->replies[at].post];

			if ((x->group >= 1 && x->group <= MEMBER_GROUPS) ||
			    (!x->group && (x->vis == V_PUBLIC || x->vis == V_MEMBERS))) {
				p->replies[at].author = 1;
				break;
			}
		}
	}
	for (int32_t k = 0; k < p->nreplies; k++) {
		struct post_plan *x = &p->posts[p->replies[k].post];

		if (p->replies[k].t > x->last)
			x->last = p->replies[k].t;
		if (!p->replies[k].hidden)
			x->shown++;
	}
	for (int32_t i = 0; i < p->nposts; i++)
		if (p->posts[i].group && p->posts[i].last > p->glast[p->posts[i].group])
			p->glast[p->posts[i].group] = p->posts[i].last;
	return 0;
}

static int plan_documents(struct plan *p)
{
	struct rng r = rng_for(p->seed, 4, 0);
	int64_t span = p->now - 3600 - p->t0;
	int32_t mstride = p->ndocs / (MEMBER_GROUPS * MEMBER_GROUP_DOCS);

	if (mstride < 2)
		mstride = 2;
	if (!(p->docs = calloc((size_t)p->ndocs + 1, sizeof *p->docs)))
		return -1;
	for (int32_t i = 0; i < p->ndocs; i++) {
		struct doc_plan *d = &p->docs[i];
		uint32_t v = rng_below(&r, 20);

		d->t = p->t0 + (int64_t)((double)span * (i + 0.5) / p->ndocs);
		if (i % mstride == 1 || rng_below(&r, 2)) {
			d->group = i % mstride == 1 ? 1 + (i / mstride) % MEMBER_GROUPS
				 : MEMBER_GROUPS + 1 + skewed(&r, p->ngroups - MEMBER_GROUPS, 2.0);
			d->author = member_of_group(p, &r, d->group);
			d->vis = p->gvis[d->group] != G_OPEN ? V_GROUP : v < 8 ? V_MEMBERS : v < 14 ? V_PUBLIC : V_GROUP;
			if (d->t > p->glast[d->group])
				p->glast[d->group] = d->t;
		} else {
			d->author = 3 + skewed(&r, p->nusers - 2, 1.5);
			d->vis = v < 8 ? V_PUBLIC : v < 15 ? V_MEMBERS : v < 19 ? V_CONTACTS : V_PRIVATE;
		}
	}
	return 0;
}

/* ---- inserting ---------------------------------------------------------- */

struct loader {
	struct dctx *dc;
	struct plan *p;
	long in_tx;
	long rows;
	double started;
	int failed;
};

/* Commits every BATCH statements. */
static void tick(struct loader *l)
{
	l->rows++;
	if (++l->in_tx >= BATCH) {
		if (db_commit(l->dc->db) < 0 || db_begin(l->dc->db) < 0)
			l->failed = 1;
		l->in_tx = 0;
	}
}

static void check(struct loader *l, int64_t rc)
{
	if (rc < 0)
		l->failed = 1;
	else
		tick(l);
}

static void phase(struct loader *l, const char *name, long rows_before, double t_before)
{
	double s = now_s() - t_before;
	long n = l->rows - rows_before;

	printf("seed: phase=%s rows=%ld seconds=%.2f rows_per_second=%.0f\n", name, n, s, s > 0 ? (double)n / s : 0.0);
	fflush(stdout);
}

/* School s (0..nschools-1), the same at every run: in academy s % the
 * number of academies, a UAI of 7 digits and a letter. */
struct seed_school {
	char uai[16], name[160], town[80], postcode[12];
	int ac;
	const char *kind;
};

static void seed_school_of(const struct plan *p, int32_t s, struct seed_school *out)
{
	struct rng r = rng_for(p->seed, 11, (uint64_t)s);
	static const char *const towns[] = { "", "-sur-Mer", "-les-Bains", " Nord", " Sud", " Centre", "-la-Forêt" };

	out->ac = (int)(s % (int32_t)N(academies));
	out->kind = school_kinds[rng_below(&r, N(school_kinds))];
	snprintf(out->uai, sizeof out->uai, "%07u%c", 1000000u + (unsigned)s % 8999999u, (char)('A' + s % 26));
	snprintf(out->name, sizeof out->name, "%s %s", out->kind, school_names[rng_below(&r, N(school_names))]);
	snprintf(out->town, sizeof out->town, "%s%s", academies[out->ac].name, towns[rng_below(&r, N(towns))]);
	snprintf(out->postcode, sizeof out->postcode, "%05u", (unsigned)(1000 + rng_below(&r, 94000)));
}

/* A member's school: one of their academy's. */
static int32_t seed_school_for(const struct plan *p, struct rng *r, int ac)
{
	int32_t per = p->nschools / (int32_t)N(academies);

	if (per < 1)
		return ac % p->nschools;
	return ac + (int32_t)N(academies) * (int32_t)rng_below(r, (uint32_t)per);
}

static int load_schools(struct loader *l)
{
	struct plan *p = l->p;
	struct dctx *dc = l->dc;

	for (int32_t s = 0; s < p->nschools && !l->failed; s++) {
		struct seed_school sc;
		char folded[1024];

		seed_school_of(p, s, &sc);
		school_search_text(sc.name, sc.town, sc.uai, folded, sizeof folded);
		check(l, db_exec(dc->db, "INSERT INTO schools (uai, name, kind, academy, town, postcode, folded, updated_at)"
				 " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", "sssssssi", sc.uai, sc.name, sc.kind,
				 academies[sc.ac].name, sc.town, sc.postcode, folded, p->t0));
	}
	return l->failed ? -1 : 0;
}

static int load_users(struct loader *l, const char *hash)
{
	struct plan *p = l->p;
	struct dctx *dc = l->dc;
	struct buf bio = BUF_INIT;

	for (int32_t u = 1; u <= p->nusers && !l->failed; u++) {
		struct rng r = rng_for(p->seed, 10, (uint64_t)u);
		const char *first = first_names[rng_below(&r, N(first_names))];
		const char *last = last_names[rng_below(&r, N(last_names))];
		int ac = (int)rng_below(&r, N(academies));
		char name[128], fa[64], la[64], email[200], handle[160], school[160], uai[16];
		int show;
		const char *role = roles[rng_below(&r, N(roles))];
		int nsub = rng_range(&r, 1, 2), nint = rng_range(&r, 0, 2);

		if (u == 1) { /* the measured member: a known name, address and password */
			first = "Camille";
			last = "Bernard";
			ac = N(academies) - 1;
			role = "teacher";
		}
		snprintf(name, sizeof name, "%s %s", first, last);
		ascii_fold(first, '-', fa, sizeof fa);
		ascii_fold(last, '-', la, sizeof la);
		snprintf(email, sizeof email, "%s.%s.%d@%s", fa, la, (int)u, academies[ac].domain);
		snprintf(handle, sizeof handle, "%s-%s-%d", fa, la, (int)u);
		{
			struct rng rs = rng_for(p->seed, 12, (uint64_t)u);
			struct seed_school sc;

			seed_school_of(p, seed_school_for(p, &rs, ac), &sc);
			snprintf(school, sizeof school, "%s", sc.name);
			snprintf(uai, sizeof uai, "%s", sc.uai);
			show = rng_below(&rs, 10) != 0;   /* nine in ten show it */
		}
		buf_reset(&bio);
		seed_sentences(&r, &bio, rng_range(&r, 1, 3));
		if (u == 1) {
			check(l, db_exec(dc->db, "UPDATE users SET role = ?, bio = ?, academy = ?, school = ?,"
					 " school_uai = ?, show_school = 1, created_at = ?, updated_at = ? WHERE id = 1",
					 "sssssii", role, buf_str(&bio), academies[ac].name, school, uai, p->t0, p->t0));
		} else {
			check(l, db_exec(dc->db, "INSERT INTO users (id, email, name, handle, password_hash, status,"
					 " site_role, role, bio, academy, school, school_uai, show_school, lang, created_at,"
					 " updated_at) VALUES (?, ?, ?, ?, ?, 'active', 'member', ?, ?, ?, ?, ?, ?, 'fr', ?, ?)",
					 "isssssssssiii", (int64_t)u, email, name, handle, hash, role, buf_str(&bio),
					 academies[ac].name, school, uai, (int64_t)show, p->t0 + u % 86400,
					 p->t0 + u % 86400));
		}
		for (int k = 0; k < nsub + 1 + nint && !l->failed; k++) {
			const char *kind = k < nsub ? "subject" : k == nsub ? "level" : "interest";
			int pos = k < nsub ? k : k == nsub ? 0 : k - nsub - 1;
			const char *value = k < nsub ? subjects[(rng_below(&r, N(subjects)) + (uint32_t)k) % N(subjects)]
					  : k == nsub ? levels[rng_below(&r, N(levels))]
					  : interests[(rng_below(&r, N(interests)) + (uint32_t)k) % N(interests)];

			if (k == 1 && k < nsub && !strcmp(value, subjects[0]))
				value = subjects[1]; /* two different subjects, roughly */
			check(l, db_exec(dc->db, "INSERT INTO user_tags (user_id, kind, pos, value) VALUES (?, ?, ?, ?)"
					 " ON CONFLICT DO NOTHING", "isis", (int64_t)u, kind, (int64_t)pos, value));
		}
	}
	buf_free(&bio);
	return l->failed ? -1 : 0;
}

static int load_links(struct loader *l)
{
	struct plan *p = l->p;
	struct db *db = l->dc->db;

	for (int32_t i = 0; i < p->npairs && !l->failed; i++) {
		int64_t t = p->t0 + (int64_t)i % (p->now - p->t0);

		if (p->pair_pending[i])
			check(l, db_exec(db, "INSERT INTO contacts (requester_id, addressee_id, state, created_at)"
					 " VALUES (?, ?, 'pending', ?)", "iii", (int64_t)p->pairs[i][0],
					 (int64_t)p->pairs[i][1], t));
		else
			check(l, db_exec(db, "INSERT INTO contacts (requester_id, addressee_id, state, created_at,"
					 " accepted_at) VALUES (?, ?, 'accepted', ?, ?)", "iiii", (int64_t)p->pairs[i][0],
					 (int64_t)p->pairs[i][1], t, t + 3600));
	}
	for (int32_t i = 0; i < p->nfollows && !l->failed; i++)
		check(l, db_exec(db, "INSERT INTO follows (follower_id, followee_id, created_at) VALUES (?, ?, ?)",
				 "iii", (int64_t)p->follows[i][0], (int64_t)p->follows[i][1], p->t0 + i));
	return l->failed ? -1 : 0;
}

static int load_groups(struct loader *l)
{
	struct plan *p = l->p;
	struct db *db = l->dc->db;
	struct buf name = BUF_INIT, desc = BUF_INIT;
	static const char *const kind_words[] = { "Ressources", "Pratiques", "Formation", "Projet" };

	for (int32_t g = 1; g <= p->ngroups && !l->failed; g++) {
		struct rng r = rng_for(p->seed, 11, (uint64_t)g);
		int64_t created = p->t0 + (int64_t)g * 60;
		int64_t last = p->glast[g] > created ? p->glast[g] : created;
		int32_t owner = p->gm[p->gstart[g]];

		buf_reset(&name);
		buf_reset(&desc);
		buf_printf(&name, "%s — %s %s", kind_words[p->gkind[g]], subjects[rng_below(&r, N(subjects))],
			   levels[rng_below(&r, N(levels))]);
		if (rng_below(&r, 2))
			buf_printf(&name, ", académie de %s", academies[rng_below(&r, N(academies))].name);
		buf_printf(&name, " (%d)", (int)g);
		seed_paragraphs(&r, &desc, 1, 2, 1, 3, 0);
		check(l, db_exec(db, "INSERT INTO groups (id, name, description, kind, visibility, created_by,"
				 " created_at, updated_at, last_activity_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
				 "issssiiii", (int64_t)g, buf_str(&name), buf_str(&desc), gkind_names[p->gkind[g]],
				 gvis_names[p->gvis[g]], (int64_t)owner, created, created, last));
		for (int32_t k = p->gstart[g]; k < p->gstart[g + 1] && !l->failed; k++) {
			int32_t u = p->gm[k];
			const char *role = k == p->gstart[g] ? "owner" : "member";
			const char *state = p->gstate[k] == 1 ? "requested" : p->gstate[k] == 2 ? "invited" : "member";

			if (u == 1 && g <= MEMBER_GROUPS)
				role = member_groups[g - 1].role;
			else if (k == p->gstart[g] + 2 && !p->gstate[k])
				role = "moderator";
			check(l, db_exec(db, "INSERT INTO group_members (group_id, user_id, role, state, created_at,"
					 " joined_at) VALUES (?, ?, ?, ?, ?, NULLIF(?, 0))", "iissii", (int64_t)g, (int64_t)u, role,
					 state, created + (k - p->gstart[g]), p->gstate[k] ? (int64_t)0 : created));
		}
	}
	buf_free(&name);
	buf_free(&desc);
	return l->failed ? -1 : 0;
}

static int load_posts(struct loader *l)
{
	struct plan *p = l->p;
	struct db *db = l->dc->db;
	struct buf title = BUF_INIT, body = BUF_INIT;

	for (int32_t i = 0; i < p->nposts && !l->failed; i++) {
		const struct post_plan *x = &p->posts[i];
		struct rng r = rng_for(p->seed, 12, (uint64_t)i);
		int64_t id = i + 1;

		buf_reset(&title);
		buf_reset(&body);
		seed_title(&r, &title, x->kind == 0 && rng_below(&r, 3) == 0);
		/* discussions: a question of a few paragraphs; blogs longer; pages structured */
		if (x->kind == 0)
			seed_paragraphs(&r, &body, 1, 4, 2, 5, 1);
		else if (x->kind == 1)
			seed_paragraphs(&r, &body, 3, 8, 3, 6, 1);
		else
			seed_paragraphs(&r, &body, 2, 6, 2, 5, 1);
		check(l, db_exec(db, "INSERT INTO posts (id, kind, title, body, author_id, visibility, group_id,"
				 " created_at, updated_at, last_activity_at, reply_count, hidden_at)"
				 " VALUES (?, ?, ?, ?, ?, ?, NULLIF(?, 0), ?, ?, ?, ?, NULLIF(?, 0))", "isssisiiiiii",
				 id, kind_names[x->kind], buf_str(&title), buf_str(&body), (int64_t)x->author,
				 vis_names[x->vis], (int64_t)x->group, x->t, x->t, x->last, (int64_t)x->shown,
				 x->hidden ? x->t + 86400 : (int64_t)0));
		check(l, db_exec(db, "INSERT INTO post_revisions (post_id, revision, title, body, author_id, created_at)"
				 " VALUES (?, 1, ?, ?, ?, ?)", "issii", id, buf_str(&title), buf_str(&body),
				 (int64_t)x->author, x->t));
	}
	buf_free(&title);
	buf_free(&body);
	return l->failed ? -1 : 0;
}

static int load_replies(struct loader *l)
{
	struct plan *p = l->p;
	struct db *db = l->dc->db;
	struct buf body = BUF_INIT;

	for (int32_t k = 0; k < p->nreplies && !l->failed; k++) {
		const struct reply_plan *y = &p->replies[k];
		struct rng r = rng_for(p->seed, 13, (uint64_t)k);

		buf_reset(&body);
		/* mostly a few sentences, sometimes a longer answer */
		if (rng_below(&r, 5) == 0)
			seed_paragraphs(&r, &body, 2, 3, 2, 4, 1);
		else
			seed_sentences(&r, &body, rng_range(&r, 1, 4));
		check(l, db_exec(db, "INSERT INTO replies (id, post_id, author_id, body, created_at, updated_at, hidden_at)"
				 " VALUES (?, ?, ?, ?, ?, ?, NULLIF(?, 0))", "iiisiii", (int64_t)k + 1,
				 (int64_t)y->post + 1, (int64_t)y->author, buf_str(&body), y->t, y->t,
				 y->hidden ? y->t + 3600 : (int64_t)0));
	}
	buf_free(&body);
	return l->failed ? -1 : 0;
}

/* A few small Markdown files really stored, shared by every document record. */
static int load_blobs(struct loader *l)
{
	struct plan *p = l->p;
	struct dctx *dc = l->dc;
	struct buf text = BUF_INIT;
	int rc = 0;

	for (int b = 0; b < NBLOBS && !rc; b++) {
		struct rng r = rng_for(p->seed, 14, (uint64_t)b);
		char tmp[1100];
		int fd;

		buf_reset(&text);
		buf_puts(&text, "# ");
		seed_title(&r, &text, 0);
		buf_puts(&text, "\n\n");
		seed_paragraphs(&r, &text, 2, 6, 2, 5, 1);
		buf_putc(&text, '\n');
		snprintf(tmp, sizeof tmp, "%s/tmp/seed-XXXXXX", dc->cfg->files_dir);
		if ((fd = mkstemp(tmp)) < 0) {
			rc = -1;
			break;
		}
		if (write(fd, text.data, text.len) != (ssize_t)text.len || close(fd) < 0 ||
		    blob_hash_file(tmp, p->blob_sha[b]) < 0 || blob_put(dc->cfg->files_dir, tmp, p->blob_sha[b]) < 0) {
			unlink(tmp);
			rc = -1;
			break;
		}
		p->blob_size[b] = (int64_t)text.len;
		if (db_exec(dc->db, "INSERT INTO blobs (sha256, size, mime, thumb_state, created_at)"
			    " VALUES (?, ?, 'text/markdown', 'none', ?) ON CONFLICT (sha256) DO NOTHING", "sii",
			    p->blob_sha[b], p->blob_size[b], p->t0) < 0 ||
		    db_exec(dc->db, "INSERT INTO blob_texts (sha256, state, text) VALUES (?, 'done', ?)"
			    " ON CONFLICT (sha256) DO NOTHING", "ss", p->blob_sha[b], buf_str(&text)) < 0)
			rc = -1;
		tick(l);
		tick(l);
	}
	buf_free(&text);
	return rc;
}

static int load_documents(struct loader *l)
{
	struct plan *p = l->p;
	struct db *db = l->dc->db;
	struct buf title = BUF_INIT, desc = BUF_INIT;
	char filename[64];

	for (int32_t i = 0; i < p->ndocs && !l->failed; i++) {
		const struct doc_plan *d = &p->docs[i];
		struct rng r = rng_for(p->seed, 15, (uint64_t)i);
		int b = (int)rng_below(&r, NBLOBS);
		int64_t id = i + 1;

		buf_reset(&title);
		buf_reset(&desc);
		seed_title(&r, &title, 0);
		seed_sentences(&r, &desc, rng_range(&r, 1, 2));
		snprintf(filename, sizeof filename, "fiche-%d.md", (int)id);
		check(l, db_exec(db, "INSERT INTO documents (id, author_id, group_id, title, description, licence,"
				 " visibility, sha256, filename, mime, kind, size, created_at, updated_at)"
				 " VALUES (?, ?, NULLIF(?, 0), ?, ?, ?, ?, ?, ?, 'text/markdown', 'text', ?, ?, ?)",
				 "iiissssssiii", id, (int64_t)d->author, (int64_t)d->group, buf_str(&title),
				 buf_str(&desc), licences[rng_below(&r, N(licences))], vis_names[d->vis], p->blob_sha[b],
				 filename, p->blob_size[b], d->t, d->t));
		check(l, db_exec(db, "INSERT INTO document_versions (document_id, version, sha256, filename, mime, kind,"
				 " size, author_id, created_at) VALUES (?, 1, ?, ?, 'text/markdown', 'text', ?, ?, ?)",
				 "issiii", id, p->blob_sha[b], filename, p->blob_size[b], (int64_t)d->author, d->t));
		check(l, db_exec(db, "INSERT INTO document_tags (document_id, kind, pos, value) VALUES (?, 'subject', 0, ?)",
				 "is", id, subjects[rng_below(&r, N(subjects))]));
	}
	buf_free(&title);
	buf_free(&desc);
	return l->failed ? -1 : 0;
}

/* Innovation records spread over the academies and the years since 2000,
 * with their tags, an occasional co-author and their first revision. */
static int load_innovations(struct loader *l)
{
	static const char *const types[] = { "local", "local", "local", "experimentation" };
	static const char *const supports[] = { "none", "none", "none", "autonomous", "followed", "followed",
		"selected" };
	struct plan *p = l->p;
	struct db *db = l->dc->db;
	const char *const *themes = innovation_default_themes;
	struct buf title = BUF_INIT, summary = BUF_INIT, aims = BUF_INIT, rev = BUF_INIT;
	int nacademies = 0, nthemes = 0, year_now;
	time_t now = (time_t)p->now;
	struct tm tm;
	char uai[16];

	year_now = gmtime_r(&now, &tm) ? tm.tm_year + 1900 : 2020;

	while (innovation_academies[nacademies])
		nacademies++;
	while (themes[nthemes])
		nthemes++;
	for (int32_t i = 0; i < p->ninnovations && !l->failed; i++) {
		struct rng r = rng_for(p->seed, 16, (uint64_t)i);
		int64_t id = i + 1, coord = 3 + skewed(&r, p->nusers - 2, 1.5);
		int64_t t = p->t0 + (int64_t)((double)(p->now - p->t0) * (i + 0.5) / p->ninnovations);
		int year = 2000 + (int)rng_below(&r, (uint32_t)(year_now - 2000 + 1));
		const char *academy = innovation_academies[rng_below(&r, (uint32_t)nacademies)];
		const char *theme = themes[rng_below(&r, (uint32_t)nthemes)];

		p->itime[i] = t;
		p->icoord[i] = (int32_t)coord;
		buf_reset(&title);
		buf_reset(&summary);
		buf_reset(&aims);
		buf_reset(&rev);
		seed_title(&r, &title, 0);
		seed_sentences(&r, &summary, rng_range(&r, 2, 4));
		seed_sentences(&r, &aims, rng_range(&r, 1, 3));
		snprintf(uai, sizeof uai, "%07u%c", (unsigned)rng_below(&r, 10000000), 'A' + (char)rng_below(&r, 26));
		buf_printf(&rev, "# %s\n\nAcadémie : %s\n", buf_str(&title), academy);
		check(l, db_exec(db, "INSERT INTO innovations (id, coordinator_id, title, summary, academy, uai, type,"
				 " started_year, duration_years, aims, visibility, support, created_at, updated_at, revision)"
				 " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)", "iisssssiisssii", id, coord,
				 buf_str(&title), buf_str(&summary), academy, uai, types[rng_below(&r, N(types))],
				 (int64_t)year, (int64_t)rng_range(&r, 1, 5), buf_str(&aims),
				 rng_below(&r, 10) < 7 ? "public" : "members", supports[rng_below(&r, N(supports))], t, t));
		check(l, db_exec(db, "INSERT INTO innovation_tags (innovation_id, kind, pos, value) VALUES"
				 " (?, 'level', 0, ?), (?, 'subject', 0, ?), (?, 'theme', 0, ?)", "isisis",
				 id, levels[rng_below(&r, N(levels))], id, subjects[rng_below(&r, N(subjects))], id, theme));
		if (rng_below(&r, 3) == 0) {
			int64_t co = 3 + skewed(&r, p->nusers - 2, 1.5);

			if (co != coord)
				check(l, db_exec(db, "INSERT INTO innovation_coauthors (innovation_id, user_id, pos)"
						 " VALUES (?, ?, 0)", "ii", id, co));
		}
		check(l, db_exec(db, "INSERT INTO innovation_revisions (innovation_id, revision, title, body, author_id,"
				 " created_at) VALUES (?, 1, ?, ?, ?, ?)", "issii", id, buf_str(&title), buf_str(&rev),
				 coord, t));
	}
	buf_free(&title);
	buf_free(&summary);
	buf_free(&aims);
	buf_free(&rev);
	return l->failed ? -1 : 0;
}

/* Events (issue 20) spread from the start of the network to three months
 * ahead, half of them in a group (organised by its owner, registrations
 * from its current members), with capacities and registrations so that
 * some are full with a waiting list. */
static int load_events(struct loader *l)
{
	static const int64_t capacities[] = { 0, 0, 20, 30, 30, 50, 100 };
	static const char *const places[] = { "Salle polyvalente", "Amphithéâtre", "CDI", "Salle des professeurs",
		"Atelier Canopé", "Rectorat, salle du conseil" };
	struct plan *p = l->p;
	struct db *db = l->dc->db;
	struct buf title = BUF_INIT, desc = BUF_INIT;
	int64_t end = p->now + 90 * 86400, reg = 0;

	for (int32_t i = 0; i < p->nevents && !l->failed; i++) {
		struct rng r = rng_for(p->seed, 17, (uint64_t)i);
		int64_t id = i + 1, start = (p->t0 + (int64_t)((double)(end - p->t0) * (i + 0.5) / p->nevents)) / 3600 * 3600;
		int64_t capacity = capacities[rng_below(&r, N(capacities))], n;
		int32_t g = rng_below(&r, 2) ? 1 + (int32_t)rng_below(&r, (uint32_t)p->ngroups) : 0;
		int64_t author = g ? p->gm[p->gstart[g]] : 3 + skewed(&r, p->nusers - 2, 1.5);
		const char *vis = !g ? (rng_below(&r, 3) ? "members" : "public") :
				  p->gvis[g] == G_OPEN && rng_below(&r, 2) ? "members" : "group";

		buf_reset(&title);
		buf_reset(&desc);
		seed_title(&r, &title, 0);
		seed_sentences(&r, &desc, rng_range(&r, 2, 5));
		check(l, db_exec(db, "INSERT INTO events (id, author_id, group_id, title, description, starts_at, ends_at,"
				 " place, url, capacity, visibility, created_at, updated_at)"
				 " VALUES (?, ?, NULLIF(?, 0), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", "iiissiissisii", id, author,
				 (int64_t)g, buf_str(&title), buf_str(&desc), start, start + 3600 * rng_range(&r, 1, 8),
				 places[rng_below(&r, N(places))], rng_below(&r, 4) ? "" : "https://visio.education.fr/r",
				 capacity, vis, start - 30 * 86400, start - 30 * 86400));
		n = capacity ? capacity * rng_range(&r, 3, 12) / 10 : rng_range(&r, 0, 40);
		if (g) {
			int64_t k = 0;

			for (int32_t m = p->gstart[g]; m < p->gstart[g + 1] && k < n && !l->failed; m++) {
				if (p->gstate[m])
					continue;
				check(l, db_exec(db, "INSERT INTO event_registrations (id, event_id, user_id, state, created_at)"
						 " VALUES (?, ?, ?, ?, ?)", "iiisi", ++reg, id, (int64_t)p->gm[m],
						 !capacity || k < capacity ? "registered" : "waitlisted", start - 20 * 86400 + k * 60));
				k++;
			}
		} else {
			int64_t base = 3 + (int64_t)rng_below(&r, (uint32_t)(p->nusers - 2 - n > 0 ? p->nusers - 2 - n : 1));

			for (int64_t k = 0; k < n && base + k <= p->nusers && !l->failed; k++)
				check(l, db_exec(db, "INSERT INTO event_registrations (id, event_id, user_id, state, created_at)"
						 " VALUES (?, ?, ?, ?, ?)", "iiisi", ++reg, id, base + k,
						 !capacity || k < capacity ? "registered" : "waitlisted", start - 20 * 86400 + k * 60));
		}
	}
	buf_free(&title);
	buf_free(&desc);
	return l->failed ? -1 : 0;
}

/* Calls for proposals: 20 per unit of scale (at least 2), the older half
 * closed (proposals submitted, reviewed, decided), the newer half open
 * (drafts and submissions); 100 proposals a call, each with its author,
 * two answers, and for closed calls a review with its scores. */
static int load_calls(struct loader *l)
{
	static const char *const decided[] = { "accepted", "rejected", "rejected", "waitlisted", "under_review" };
	struct plan *p = l->p;
	struct db *db = l->dc->db;
	struct buf title = BUF_INIT, text = BUF_INIT;
	int nacademies = 0;
	int64_t prop = 0;

	while (innovation_academies[nacademies])
		nacademies++;
	for (int32_t c = 0; c < p->ncalls && !l->failed; c++) {
		struct rng r = rng_for(p->seed, 17, (uint64_t)c);
		int closed = c < p->ncalls / 2;
		int64_t id = c + 1, span = 28 * 86400;
		int64_t opens = closed ? p->t0 + (int64_t)((double)(p->now - p->t0 - 60 * 86400) * (c + 0.5) / p->ncalls)
				       : p->now - 86400 * (int64_t)rng_range(&r, 1, 20);
		int64_t closes = opens + span, reviewer = 3 + skewed(&r, p->nusers - 2, 1.2);

		buf_reset(&title);
		buf_reset(&text);
		seed_title(&r, &title, 0);
		seed_sentences(&r, &text, rng_range(&r, 2, 5));
		check(l, db_exec(db, "INSERT INTO calls (id, title, description, opens_at, closes_at, reviews_due_at, stages,"
				 " reviewers_per_proposal, public_vote, created_by, created_at, updated_at)"
				 " VALUES (?, ?, ?, ?, ?, ?, 'national', 1, ?, 2, ?, ?)", "issiiiiii", id, buf_str(&title),
				 buf_str(&text), opens, closes, closes + 21 * 86400, (int64_t)(c % 3 == 0), opens, opens));
		check(l, db_exec(db, "INSERT INTO call_fields (call_id, pos, key, label, type, required, options) VALUES"
				 " (?, 0, 'resume', 'Résumé du projet', 'longtext', 1, ''),"
				 " (?, 1, 'theme', 'Thème', 'choice', 1, 'Numérique\nClimat scolaire\nInclusion'),"
				 " (?, 2, 'etablissement', 'Établissement', 'text', 0, '')", "iii", id, id, id));
		check(l, db_exec(db, "INSERT INTO call_criteria (call_id, pos, key, label, max, weight) VALUES"
				 " (?, 0, 'pertinence', 'Pertinence', 10, 2), (?, 1, 'clarte', 'Clarté', 5, 1)", "ii", id, id));
		check(l, db_exec(db, "INSERT INTO call_reviewers (call_id, user_id, stage, academies, created_at)"
				 " VALUES (?, ?, 'national', '', ?)", "iii", id, reviewer, opens));
		for (int k = 0; k < p->proposals_per_call && !l->failed; k++) {
			int64_t author = 3 + skewed(&r, p->nusers - 2, 1.5), t = opens + (int64_t)rng_below(&r, 27 * 86400);
			const char *status = closed ? decided[rng_below(&r, N(decided))]
						    : (rng_below(&r, 2) ? "draft" : "submitted");
			int submitted = strcmp(status, "draft") != 0;

			if (!closed && t > p->now)
				t = p->now - 60;
			prop++;
			buf_reset(&title);
			buf_reset(&text);
			seed_title(&r, &title, 0);
			seed_sentences(&r, &text, rng_range(&r, 3, 8));
			check(l, db_exec(db, "INSERT INTO proposals (id, call_id, author_id, title, status, academy, created_at,"
					 " updated_at, submitted_at, decided_at, decision_message) VALUES"
					 " (?, ?, ?, ?, ?, ?, ?, ?, CASE WHEN ? = 1 THEN ? END, CASE WHEN ? = 1 THEN ? END, ?)",
					 "iiissiiiiiiis", prop, id, author, buf_str(&title), status,
					 innovation_academies[rng_below(&r, (uint32_t)nacademies)], t, t, (int64_t)submitted, t,
					 (int64_t)(closed && strcmp(status, "under_review")), closes + 14 * 86400,
					 closed ? "Merci pour votre proposition." : ""));
			check(l, db_exec(db, "INSERT INTO proposal_authors (proposal_id, user_id, role, pos) VALUES (?, ?, 'author', 0)",
					 "ii", prop, author));
			check(l, db_exec(db, "INSERT INTO proposal_answers (proposal_id, key, value) VALUES (?, 'resume', ?),"
					 " (?, 'theme', 'Numérique')", "isi", prop, buf_str(&text), prop));
			if (closed && author != reviewer) {
				check(l, db_exec(db, "INSERT INTO proposal_assignments (proposal_id, reviewer_id, stage, assigned_at,"
						 " assigned_by, reviewed_at, recommendation, comment) VALUES"
						 " (?, ?, 'national', ?, 2, ?, 'accept', 'Dossier solide.')", "iiii", prop, reviewer,
						 closes, closes + 86400));
				check(l, db_exec(db, "INSERT INTO review_scores (proposal_id, reviewer_id, stage, key, score) VALUES"
						 " (?, ?, 'national', 'pertinence', ?), (?, ?, 'national', 'clarte', ?)", "iiiiii",
						 prop, reviewer, (int64_t)rng_below(&r, 11), prop, reviewer,
						 (int64_t)rng_below(&r, 6)));
			}
		}
	}
	p->nproposals = (int32_t)prop;
	buf_free(&title);
	buf_free(&text);
	return l->failed ? -1 : 0;
}

/* Activities in time order (the feed reads them by id), then what the
 * measured member was told and has read. */
static int load_activities(struct loader *l)
{
	struct plan *p = l->p;
	struct db *db = l->dc->db;
	size_t n = (size_t)p->nposts + (size_t)p->nreplies + (size_t)p->ndocs + (size_t)p->ninnovations, k = 0;
	struct event *ev = malloc(sizeof *ev * (n + 1));
	int64_t id = 0;

	if (!ev)
		return -1;
	for (int32_t i = 0; i < p->nposts; i++)
		ev[k++] = (struct event){ p->posts[i].t, i, 0 };
	for (int32_t i = 0; i < p->nreplies; i++)
		ev[k++] = (struct event){ p->replies[i].t, i, 1 };
	for (int32_t i = 0; i < p->ndocs; i++)
		ev[k++] = (struct event){ p->docs[i].t, i, 2 };
	/* each record's creation by its coordinator, as innovation_create
	 * writes it (migration 16): the feed of the team's contacts shows it */
	for (int32_t i = 0; i < p->ninnovations; i++)
		ev[k++] = (struct event){ p->itime[i], i, 3 };
	qsort(ev, n, sizeof *ev, event_cmp);
	for (size_t i = 0; i < n && !l->failed; i++) {
		const struct event *e = &ev[i];

		id++;
		if (e->type == 0)
			check(l, db_exec(db, "INSERT INTO activities (id, actor_id, verb, post_id, created_at)"
					 " VALUES (?, ?, 'post', ?, ?)", "iiii", id, (int64_t)p->posts[e->idx].author,
					 (int64_t)e->idx + 1, e->t));
		else if (e->type == 1)
			check(l, db_exec(db, "INSERT INTO activities (id, actor_id, verb, post_id, reply_id, created_at)"
					 " VALUES (?, ?, 'reply', ?, ?, ?)", "iiiii", id, (int64_t)p->replies[e->idx].author,
					 (int64_t)p->replies[e->idx].post + 1, (int64_t)e->idx + 1, e->t));
		else if (e->type == 2)
			check(l, db_exec(db, "INSERT INTO activities (id, actor_id, verb, document_id, created_at)"
					 " VALUES (?, ?, 'document', ?, ?)", "iiii", id, (int64_t)p->docs[e->idx].author,
					 (int64_t)e->idx + 1, e->t));
		else
			check(l, db_exec(db, "INSERT INTO activities (id, actor_id, verb, innovation_id, created_at)"
					 " VALUES (?, ?, 'innovation', ?, ?)", "iiii", id, (int64_t)p->icoord[e->idx],
					 (int64_t)e->idx + 1, e->t));
	}
	free(ev);
	/* replies to the measured member's posts: notifications, the last ones unread */
	for (int32_t k2 = 0, seen = 0; k2 < p->nreplies && !l->failed; k2++) {
		const struct reply_plan *y = &p->replies[k2];
		const struct post_plan *x = &p->posts[y->post];

		if (x->author != 1 || y->author == 1 || y->hidden)
			continue;
		seen++;
		check(l, db_exec(db, "INSERT INTO notifications (user_id, kind, actor_id, post_id, reply_id, created_at,"
				 " read_at) VALUES (1, 'reply', ?, ?, ?, ?, NULLIF(?, 0))", "iiiii", (int64_t)y->author,
				 (int64_t)y->post + 1, (int64_t)k2 + 1, y->t, y->t + 3600 < p->now - 86400 ? y->t + 3600 : 0));
	}
	/* what the measured member has read: their own posts, most discussions of their groups */
	for (int32_t i = 0; i < p->nposts && !l->failed; i++) {
		const struct post_plan *x = &p->posts[i];

		if (x->author == 1 || (x->group >= 1 && x->group <= MEMBER_GROUPS && i % 3 && i != p->discussion))
			check(l, db_exec(db, "INSERT INTO post_reads (user_id, post_id, read_at) VALUES (1, ?, ?)", "ii",
					 (int64_t)i + 1, x->last));
	}
	return l->failed ? -1 : 0;
}

static void plan_free(struct plan *p)
{
	free(p->gvis);
	free(p->gkind);
	free(p->gstart);
	free(p->gm);
	free(p->gstate);
	free(p->glast);
	free(p->cstart);
	free(p->cl);
	free(p->pairs);
	free(p->pair_pending);
	free(p->follows);
	free(p->posts);
	free(p->replies);
	free(p->docs);
	free(p->itime);
	free(p->icoord);
}

int cmd_seed(int argc, char **argv)
{
	struct config_flags f = { 0 };
	struct app app;
	struct dctx dc = { 0 };
	struct plan p = { 0 };
	struct loader l = { 0 };
	double scale = 1.0, t_start, t;
	long r0;
	unsigned long long seed = 1;
	int help, i, rc = 1, opened = 0;
	int64_t existing = 0, member = 0;
	const char *field = NULL;
	char *hash = NULL;
	static const char *const tables[] = { "users", "groups", "posts", "replies", "documents", "activities",
					      "notifications", "innovations", "events", "event_registrations", "calls",
					      "proposals", NULL };

	for (i = 1; i < argc;) {
		int j = cmd_common_flags(argc, argv, i, &f, 0, usage, &help);
		char *end;

		if (j < 0)
			return 2;
		if (help)
			return 0;
		if (j >= argc)
			break;
		if (!strcmp(argv[j], "--scale") || !strcmp(argv[j], "--seed")) {
			if (j + 1 >= argc || !argv[j + 1][0]) {
				fprintf(stderr, "respire seed: %s needs a value\n%s", argv[j], usage);
				return 2;
			}
			if (!strcmp(argv[j], "--scale")) {
				scale = strtod(argv[j + 1], &end);
				if (*end || !(scale >= 0.001 && scale <= 100)) {
					fprintf(stderr, "respire seed: --scale must be a number from 0.001 to 100\n");
					return 2;
				}
			} else {
				seed = strtoull(argv[j + 1], &end, 10);
				if (*end || argv[j + 1][0] == '-') {
					fprintf(stderr, "respire seed: --seed must be a whole number\n");
					return 2;
				}
			}
			i = j + 2;
			continue;
		}
		fprintf(stderr, "respire seed: unknown argument '%s'\n%s", argv[j], usage);
		return 2;
	}
	t_start = now_s();
	if (app_open(&app, &f) < 0)
		return 1;
	opened = 1;
	dc.db = db_pool_get(app.pool);
	dc.arena = arena_new();
	dc.cfg = &app.cfg;
	dc.base_url = app.cfg.base_url;
	dc.lang = "fr";
	dc.secret = app.secret;
	dc.now = clock_now();
	if (!dc.db || !dc.arena || db_int(dc.db, &existing, "SELECT COUNT(*) FROM users", "") < 0)
		goto out;
	if (existing > 0) {
		fprintf(stderr, "respire seed: the network already has %lld member(s); seed an empty database\n",
			(long long)existing);
		goto out;
	}
	p.seed = seed;
	p.now = dc.now;
	p.t0 = dc.now - (int64_t)SPAN_DAYS * 86400;
	p.nusers = (int32_t)(50000 * scale);
	p.ngroups = (int32_t)(5000 * scale);
	p.nposts = (int32_t)(125000 * scale);
	p.nreplies = (int32_t)(375000 * scale);
	p.ndocs = (int32_t)(50000 * scale);
	p.nschools = (int32_t)(2000 * scale);
	if (p.nschools < (int32_t)N(academies))
		p.nschools = (int32_t)N(academies);
	p.ninnovations = (int32_t)(7000 * scale);
	p.nevents = (int32_t)(2000 * scale);
	if (p.nevents < 20)
		p.nevents = 20;
	p.ncalls = (int32_t)(20 * scale) < 2 ? 2 : (int32_t)(20 * scale);
	p.proposals_per_call = 100;
	if (p.nusers < 1000)
		p.nusers = 1000; /* room for 200 contacts and busy groups */
	if (p.ngroups < MEMBER_GROUPS + 5)
		p.ngroups = MEMBER_GROUPS + 5;
	if (p.nposts < 400)
		p.nposts = 400;
	if (p.nreplies < DISCUSSION_REPLIES + MEMBER_REPLIES)
		p.nreplies = DISCUSSION_REPLIES + MEMBER_REPLIES;

	/* The measured member through the domain (its password hashed once,
	 * the same hash then given to every generated member). */
	if (account_create_verified(&dc, MEMBER_EMAIL, MEMBER_PASSWORD, MEMBER_NAME, 0, &member, &field) != D_OK ||
	    member != 1) {
		fprintf(stderr, "respire seed: cannot create the measured member (id %lld)\n", (long long)member);
		goto out;
	}
	{
		struct db_stmt *st = db_query(dc.db, "SELECT password_hash FROM users WHERE id = 1", "");

		if (db_step(st) == DB_ROW)
			hash = strdup(db_col_text(st, 0));
		db_finish(st);
		if (!hash)
			goto out;
	}
	t = now_s();
	p.itime = calloc((size_t)p.ninnovations + 1, sizeof *p.itime);
	p.icoord = calloc((size_t)p.ninnovations + 1, sizeof *p.icoord);
	if (!p.itime || !p.icoord || plan_groups(&p) < 0 || plan_contacts(&p) < 0 || plan_posts(&p) < 0 ||
	    plan_documents(&p) < 0) {
		fprintf(stderr, "respire seed: out of memory while planning\n");
		goto out;
	}
	printf("seed: phase=plan rows=0 seconds=%.2f\n", now_s() - t);

	l.dc = &dc;
	l.p = &p;
	l.started = now_s();
	if (db_bulk_mode(dc.db, 1) < 0 || db_begin(dc.db) < 0)
		goto out;
#define PHASE(name, call) do { \
		r0 = l.rows; t = now_s(); \
		if ((call) < 0 || l.failed) { fprintf(stderr, "respire seed: %s failed (see the log above)\n", name); \
			db_rollback(dc.db); goto out; } \
		phase(&l, name, r0, t); } while (0)
	PHASE("schools", load_schools(&l));
	PHASE("users", load_users(&l, hash));
	PHASE("contacts", load_links(&l));
	PHASE("groups", load_groups(&l));
	PHASE("posts", load_posts(&l));
	PHASE("replies", load_replies(&l));
	PHASE("documents", load_blobs(&l) < 0 ? -1 : load_documents(&l));
	/* the records before the activities, which name them */
	PHASE("innovations", load_innovations(&l));
	PHASE("events", load_events(&l));
	PHASE("calls", load_calls(&l));
	PHASE("activities", load_activities(&l));
#undef PHASE
	if (db_commit(dc.db) < 0)
		goto out;
	for (int k = 0; tables[k]; k++)
		if (db_reset_ids(dc.db, tables[k]) < 0)
			goto out;
	if (db_bulk_mode(dc.db, 0) < 0)
		goto out;
	t = now_s() - l.started;
	{
		double ta = now_s();

		/* The triggers filled the search kind after kind; the search
		 * without filters wants its items in order of creation. */
		if (db_search_rebuild(dc.db) < 0)
			goto out;
		printf("seed: phase=search_order rows=0 seconds=%.2f\n", now_s() - ta);
		/* 90 days of plausible activity in the statistics (domain/stats.c). */
		ta = now_s();
		if (stats_seed(&dc, 90, p.nusers, seed) < 0)
			goto out;
		printf("seed: phase=statistics rows=0 seconds=%.2f\n", now_s() - ta);
		ta = now_s();
		if (db_analyze(dc.db) < 0 ||
		    db_exec(dc.db, "INSERT INTO settings (key, value) VALUES ('analyzed_at', ?)"
			    " ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value", "s",
			    arena_printf(dc.arena, "%lld", (long long)dc.now)) < 0)
			goto out;
		printf("seed: phase=analyze rows=0 seconds=%.2f\n", now_s() - ta);
	}
	printf("seed: scale=%g seed=%llu users=%d groups=%d posts=%d replies=%d documents=%d contacts=%d follows=%d"
	       " schools=%d innovations=%d events=%d calls=%d proposals=%d\n", scale, seed, (int)p.nusers,
	       (int)p.ngroups, (int)p.nposts, (int)p.nreplies, (int)p.ndocs, (int)p.npairs, (int)p.nfollows,
	       (int)p.nschools, (int)p.ninnovations, (int)p.nevents, (int)p.ncalls, (int)p.nproposals);
	printf("seed: member_email=%s member_password=%s member_id=1 group_id=1 discussion_id=%d profile_id=2\n",
	       MEMBER_EMAIL, MEMBER_PASSWORD, (int)p.discussion + 1);
	printf("seed: total rows=%ld seconds=%.2f rows_per_second=%.0f wall_seconds=%.2f\n", l.rows, t,
	       t > 0 ? (double)l.rows / t : 0.0, now_s() - t_start);
	rc = 0;
out:
	free(hash);
	plan_free(&p);
	arena_free(dc.arena);
	if (opened) {
		db_pool_put(app.pool, dc.db);
		app_close(&app);
	}
	return rc;
}
