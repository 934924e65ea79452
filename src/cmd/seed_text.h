/* Deterministic generator of French-looking text for `respire seed`: a
 * fixed vocabulary of the trade, a seeded PRNG, Zipf-like word frequencies
 * (common words repeat, rare ones are rare), Markdown here and there. */
#ifndef RESPIRE_CMD_SEED_TEXT_H
#define RESPIRE_CMD_SEED_TEXT_H

#include <stdint.h>

#include "util/buf.h"

struct rng {
	uint64_t s;
};

/* splitmix64: fast, good enough, and the same on every machine. */
static inline uint64_t rng_next(struct rng *r)
{
	uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

/* A generator for one item: the same (seed, stream, index) gives the same text. */
static inline struct rng rng_for(uint64_t seed, uint64_t stream, uint64_t index)
{
	struct rng r = { seed ^ (stream << 56) ^ (index * 0x2545F4914F6CDD1Dull) };

	rng_next(&r);
	return r;
}

static inline double rng_unit(struct rng *r)
{
	return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

/* 0 <= result < n (n > 0). */
static inline uint32_t rng_below(struct rng *r, uint32_t n)
{
	return (uint32_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

/* lo <= result <= hi. */
static inline int rng_range(struct rng *r, int lo, int hi)
{
	return lo + (int)rng_below(r, (uint32_t)(hi - lo + 1));
}

/* Text of sentences: a title (words, capitalised, no final stop), a body of
 * paragraphs, a short reply, one or two sentences. Appended to b. */
void seed_title(struct rng *r, struct buf *b, int question);
void seed_paragraphs(struct rng *r, struct buf *b, int pmin, int pmax, int smin, int smax, int markdown);
void seed_sentences(struct rng *r, struct buf *b, int n);

#endif
