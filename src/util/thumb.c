/* Thumbnails (see thumb.h). */
#include "util/thumb.h"

#include <errno.h>
#include <gd.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util/log.h"

extern char **environ;

static unsigned be16(const unsigned char *p) { return (unsigned)p[0] << 8 | p[1]; }
static unsigned long be32(const unsigned char *p)
{
	return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 | (unsigned long)p[2] << 8 | p[3];
}
static unsigned le16(const unsigned char *p) { return (unsigned)p[1] << 8 | p[0]; }
static unsigned long le24(const unsigned char *p)
{
	return (unsigned long)p[2] << 16 | (unsigned long)p[1] << 8 | p[0];
}

/* JPEG: walk the markers to the first start-of-frame. */
static int jpeg_dimensions(FILE *f, long *w, long *h)
{
	unsigned char m[2], seg[7];

	if (fseek(f, 2, SEEK_SET) != 0)
		return -1;
	for (int guard = 0; guard < 1000; guard++) {
		unsigned len;

		if (fread(m, 1, 2, f) != 2 || m[0] != 0xFF)
			return -1;
		while (m[1] == 0xFF) /* fill bytes */
			if (fread(m + 1, 1, 1, f) != 1)
				return -1;
		if (m[1] == 0xD8 || (m[1] >= 0xD0 && m[1] <= 0xD7) || m[1] == 0x01)
			continue;
		if (fread(seg, 1, 2, f) != 2 || (len = be16(seg)) < 2)
			return -1;
		if (m[1] >= 0xC0 && m[1] <= 0xCF && m[1] != 0xC4 && m[1] != 0xC8 && m[1] != 0xCC) {
			if (len < 7 || fread(seg, 1, 5, f) != 5)
				return -1;
			*h = be16(seg + 1);
			*w = be16(seg + 3);
			return *w > 0 && *h > 0 ? 0 : -1;
		}
		if (fseek(f, (long)len - 2, SEEK_CUR) != 0)
			return -1;
	}
	return -1;
}

int image_dimensions(const char *path, long *w, long *h)
{
	unsigned char b[32];
	FILE *f = fopen(path, "rb");
	size_t n;
	int rc = -1;

	if (!f)
		return -1;
	n = fread(b, 1, sizeof b, f);
	if (n >= 24 && !memcmp(b, "\x89PNG\r\n\x1a\n", 8) && !memcmp(b + 12, "IHDR", 4)) {
		*w = (long)be32(b + 16);
		*h = (long)be32(b + 20);
		rc = 0;
	} else if (n >= 10 && (!memcmp(b, "GIF87a", 6) || !memcmp(b, "GIF89a", 6))) {
		*w = le16(b + 6);
		*h = le16(b + 8);
		rc = 0;
	} else if (n >= 30 && !memcmp(b, "RIFF", 4) && !memcmp(b + 8, "WEBP", 4)) {
		if (!memcmp(b + 12, "VP8 ", 4)) {
			*w = le16(b + 26) & 0x3FFF;
			*h = le16(b + 28) & 0x3FFF;
			rc = 0;
		} else if (!memcmp(b + 12, "VP8L", 4) && b[20] == 0x2F) {
			unsigned long bits = (unsigned long)b[21] | (unsigned long)b[22] << 8 |
					     (unsigned long)b[23] << 16 | (unsigned long)b[24] << 24;
			*w = (long)(bits & 0x3FFF) + 1;
			*h = (long)((bits >> 14) & 0x3FFF) + 1;
			rc = 0;
		} else if (!memcmp(b + 12, "VP8X", 4)) {
			*w = (long)le24(b + 24) + 1;
			*h = (long)le24(b + 27) + 1;
			rc = 0;
		}
	} else if (n >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF) {
		rc = jpeg_dimensions(f, w, h);
	}
	fclose(f);
	return rc == 0 && *w > 0 && *h > 0 ? 0 : -1;
}

int thumb_image(const char *src, const char *mime, const char *dst)
{
	gdImagePtr img = NULL, out;
	long w, h, tw, th;
	FILE *f;
	int rc = -1;

	if (image_dimensions(src, &w, &h) < 0 || w > THUMB_MAX_PIXELS / h) /* no overflow: h > 0 */
		return -1;
	if (!(f = fopen(src, "rb")))
		return -1;
	if (!strcmp(mime, "image/png"))
		img = gdImageCreateFromPng(f);
	else if (!strcmp(mime, "image/jpeg"))
		img = gdImageCreateFromJpeg(f);
	else if (!strcmp(mime, "image/gif"))
		img = gdImageCreateFromGif(f);
	else if (!strcmp(mime, "image/webp"))
		img = gdImageCreateFromWebp(f);
	fclose(f);
	if (!img)
		return -1;
	w = gdImageSX(img);
	h = gdImageSY(img);
	tw = w < THUMB_WIDTH ? w : THUMB_WIDTH;
	th = h * tw / w;
	if (th < 1)
		th = 1;
	out = gdImageCreateTrueColor((int)tw, (int)th);
	if (out) {
		gdImageFilledRectangle(out, 0, 0, (int)tw - 1, (int)th - 1,
				       gdTrueColor(255, 255, 255)); /* transparent parts on white */
		gdImageAlphaBlending(out, 1);
		gdImageCopyResampled(out, img, 0, 0, 0, 0, (int)tw, (int)th, (int)w, (int)h);
		if ((f = fopen(dst, "wb"))) {
			gdImageJpeg(out, f, 82);
			rc = fclose(f) == 0 ? 0 : -1;
		}
		gdImageDestroy(out);
	}
	gdImageDestroy(img);
	if (rc < 0)
		unlink(dst);
	return rc;
}

int thumb_have_ffmpeg(void)
{
	static int have = -1;

	if (have < 0)
		have = access("/usr/bin/ffmpeg", X_OK) == 0;
	return have;
}

/* Runs ffmpeg with argv; waits up to 60 s, then kills it. */
static int run_ffmpeg(char *const argv[])
{
	pid_t pid;
	int status;
	posix_spawn_file_actions_t fa;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", 0, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", 1, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", 1, 0);
	if (posix_spawn(&pid, "/usr/bin/ffmpeg", &fa, NULL, argv, environ) != 0) {
		posix_spawn_file_actions_destroy(&fa);
		return -1;
	}
	posix_spawn_file_actions_destroy(&fa);
	for (int i = 0; i < 600; i++) {
		pid_t r = waitpid(pid, &status, WNOHANG);

		if (r == pid)
			return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
		if (r < 0 && errno != EINTR)
			return -1;
		struct timespec ts = { 0, 100 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	LOG_W("thumb: ffmpeg took longer than 60 s on %s", argv[7]);
	return -1;
}

int thumb_video(const char *src, const char *dst)
{
	char scale[64];
	struct stat sb;

	if (!thumb_have_ffmpeg())
		return -1;
	snprintf(scale, sizeof scale, "scale='min(%d,iw)':-2", THUMB_WIDTH);
	/* One second in, or the first frame of a shorter film. */
	for (int i = 0; i < 2; i++) {
		char *argv[] = { "ffmpeg", "-nostdin", "-v", "error", "-ss", i ? "0" : "1", "-i", (char *)src,
				 "-frames:v", "1", "-vf", scale, "-f", "image2", "-c:v", "mjpeg", "-y",
				 (char *)dst, NULL };

		if (run_ffmpeg(argv) == 0 && stat(dst, &sb) == 0 && sb.st_size > 0)
			return 0;
	}
	unlink(dst);
	return -1;
}
