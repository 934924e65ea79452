/* Random tokens for clients and their stored hashes. */
#ifndef RESPIRE_DOMAIN_TOKEN_H
#define RESPIRE_DOMAIN_TOKEN_H

#include <stddef.h>

#include "util/arena.h"

/* TOKEN_TEXT_LEN+1 bytes: a new random token (base64url). */
int token_new(char *out, size_t outlen);
/* The hex BLAKE2b-256 of a token, as stored; NULL on a malformed token. */
char *token_hash(struct arena *a, const char *token);
/* Keyed MAC of msg with the server secret, base64url. */
char *token_mac(struct arena *a, const unsigned char *secret, const char *msg);
/* Constant-time equality of two strings. */
int token_equal(const char *a, const char *b);

#endif
