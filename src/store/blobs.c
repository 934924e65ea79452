/* Content-addressed file storage in a folder (see blobs.h). */
#include "store/blobs.h"

#include <dirent.h>
#include <errno.h>
#include <sys/statvfs.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/log.h"

int blob_hex_ok(const char *s)
{
	size_t i;

	for (i = 0; s && s[i]; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return s && i == BLOB_HEX_LEN;
}

int blob_hash_file(const char *path, char hex[BLOB_HEX_LEN + 1])
{
	crypto_hash_sha256_state h;
	unsigned char md[crypto_hash_sha256_BYTES];
	static __thread unsigned char chunk[256 * 1024];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0) {
		LOG_E("blobs: cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	crypto_hash_sha256_init(&h);
	while ((n = read(fd, chunk, sizeof chunk)) > 0)
		crypto_hash_sha256_update(&h, chunk, (unsigned long long)n);
	close(fd);
	if (n < 0) {
		LOG_E("blobs: cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	crypto_hash_sha256_final(&h, md);
	sodium_bin2hex(hex, BLOB_HEX_LEN + 1, md, sizeof md);
	return 0;
}

int blob_path(const char *files_dir, const char *hex, char *out, size_t outlen)
{
	int n;

	if (!blob_hex_ok(hex))
		return -1;
	n = snprintf(out, outlen, "%s/objects/%.2s/%.2s/%s", files_dir, hex, hex + 2, hex);
	return n < 0 || (size_t)n >= outlen ? -1 : 0;
}

int blob_thumb_path(const char *files_dir, const char *hex, char *out, size_t outlen)
{
	int n;

	if (!blob_hex_ok(hex))
		return -1;
	n = snprintf(out, outlen, "%s/thumbs/%.2s/%s.jpg", files_dir, hex, hex);
	return n < 0 || (size_t)n >= outlen ? -1 : 0;
}

int blob_make_dirs(const char *path)
{
	char dir[1024];
	size_t n = strlen(path);

	if (n >= sizeof dir)
		return -1;
	memcpy(dir, path, n + 1);
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0750) < 0 && errno != EEXIST) {
			LOG_E("blobs: cannot create %s: %s", dir, strerror(errno));
			return -1;
		}
		*p = '/';
	}
	return 0;
}

int blob_put(const char *files_dir, const char *tmp_path, const char *hex)
{
	char path[1024];

	if (blob_path(files_dir, hex, path, sizeof path) < 0 || blob_make_dirs(path) < 0)
		return -1;
	if (rename(tmp_path, path) < 0) {
		LOG_E("blobs: cannot move %s to %s: %s", tmp_path, path, strerror(errno));
		return -1;
	}
	chmod(path, 0640);
	return 0;
}

void blob_remove(const char *files_dir, const char *hex)
{
	char path[1024];

	if (blob_path(files_dir, hex, path, sizeof path) == 0 && unlink(path) < 0 && errno != ENOENT)
		LOG_W("blobs: cannot remove %s: %s", path, strerror(errno));
	if (blob_thumb_path(files_dir, hex, path, sizeof path) == 0 && unlink(path) < 0 && errno != ENOENT)
		LOG_W("blobs: cannot remove %s: %s", path, strerror(errno));
}

long blob_age(const char *files_dir, const char *hex)
{
	char path[1024];
	struct stat sb;

	if (blob_path(files_dir, hex, path, sizeof path) < 0 || stat(path, &sb) < 0)
		return -1;
	return (long)(time(NULL) - sb.st_mtime);
}

int blob_sweep_tmp(const char *files_dir, long max_age)
{
	char dir[1024], path[1300];
	DIR *d;
	struct dirent *e;
	time_t now = time(NULL);
	int n = 0;

	snprintf(dir, sizeof dir, "%s/tmp", files_dir);
	if (!(d = opendir(dir)))
		return 0;
	while ((e = readdir(d))) {
		struct stat sb;

		if (strncmp(e->d_name, "upload-", 7))
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode) && now - sb.st_mtime > max_age && unlink(path) == 0)
			n++;
	}
	closedir(d);
	return n;
}

int blob_space_low(const char *dir)
{
	struct statvfs sv;

	if (!dir || !*dir || statvfs(dir, &sv) != 0)
		return 0;
	return (unsigned long long)sv.f_bavail * sv.f_frsize < BLOB_SPACE_LOW;
}
