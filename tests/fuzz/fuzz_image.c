/* util/filetype.c and util/thumb.c on uploaded bytes: the type is sniffed
 * from the content (libmagic), an image's size read and a thumbnail made
 * (libgd) without crashing, whatever the file claims to be. */
#include "fuzz.h"

#include <unistd.h>

#include "util/filetype.h"
#include "util/thumb.h"

static char dir[] = "/tmp/respire-fuzz-image-XXXXXX";
static char src[sizeof dir + 16], dst[sizeof dir + 16];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	FUZZ_ASSERT(mkdtemp(dir), "no temporary folder");
	snprintf(src, sizeof src, "%s/in", dir);
	snprintf(dst, sizeof dst, "%s/out", dir);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 256 * 1024)
		return 0;
	FILE *f = fopen(src, "wb");
	FUZZ_ASSERT(f, "cannot write %s", src);
	FUZZ_ASSERT(fwrite(data, 1, size, f) == size, "short write");
	fclose(f);
	char mime[128];
	if (filetype_of(src, mime, sizeof mime) == 0) {
		FUZZ_ASSERT(strlen(mime) < sizeof mime && strchr(mime, '/'), "type '%s'", mime);
		long w = 0, h = 0;
		if (image_dimensions(src, &w, &h) == 0)
			FUZZ_ASSERT(w > 0 && h > 0, "image %ldx%ld", w, h);
		if (!strncmp(mime, "image/", 6) && thumb_image(src, mime, dst) == 0) {
			long tw = 0, th = 0;
			FUZZ_ASSERT(image_dimensions(dst, &tw, &th) == 0 && tw > 0 && th > 0,
				    "thumbnail unreadable");
		}
	}
	unlink(dst);
	return 0;
}
