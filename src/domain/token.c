#include "domain/token.h"

#include <sodium.h>
#include <string.h>

#include "domain/account.h"

int token_new(char *out, size_t outlen)
{
	unsigned char raw[32];

	if (outlen < TOKEN_TEXT_LEN + 1)
		return -1;
	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(out, outlen, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof raw);
	return 0;
}

char *token_hash(struct arena *a, const char *token)
{
	unsigned char h[32];
	char *hex;
	size_t n;

	if (!token)
		return NULL;
	n = strlen(token);
	if (n == 0 || n > 128)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		char c = token[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_'))
			return NULL;
	}
	crypto_generichash(h, sizeof h, (const unsigned char *)token, n, NULL, 0);
	hex = arena_alloc(a, 65);
	if (hex)
		sodium_bin2hex(hex, 65, h, sizeof h);
	return hex;
}

char *token_mac(struct arena *a, const unsigned char *secret, const char *msg)
{
	unsigned char mac[crypto_auth_BYTES];
	char *out = arena_alloc(a, sodium_base64_ENCODED_LEN(sizeof mac,
				   sodium_base64_VARIANT_URLSAFE_NO_PADDING));

	if (!out)
		return NULL;
	crypto_auth(mac, (const unsigned char *)msg, strlen(msg), secret);
	sodium_bin2base64(out, sodium_base64_ENCODED_LEN(sizeof mac, sodium_base64_VARIANT_URLSAFE_NO_PADDING),
			  mac, sizeof mac, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return out;
}

int token_equal(const char *a, const char *b)
{
	size_t n;

	if (!a || !b)
		return 0;
	n = strlen(a);
	if (n != strlen(b))
		return 0;
	return sodium_memcmp(a, b, n) == 0;
}
