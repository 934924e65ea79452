#include "util/filetype.h"

#include <magic.h>
#include <stdio.h>

#include "util/log.h"

int filetype_of(const char *path, char *out, size_t outlen)
{
	/* A magic cookie is not thread-safe: one per call (uploads are rare). */
	magic_t m = magic_open(MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS | MAGIC_ERROR);
	const char *t;
	int rc = -1;

	if (!m)
		return -1;
	if (magic_load(m, NULL) != 0) {
		LOG_E("filetype: cannot load the magic database: %s", magic_error(m));
		goto out;
	}
	t = magic_file(m, path);
	if (!t) {
		LOG_W("filetype: %s", magic_error(m));
		goto out;
	}
	snprintf(out, outlen, "%s", t);
	rc = 0;
out:
	magic_close(m);
	return rc;
}
