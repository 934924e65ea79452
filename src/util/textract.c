#include "util/textract.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util/log.h"

extern char **environ;

#define PDFTOTEXT "/usr/bin/pdftotext"
#define PDF_SECONDS 30   /* longest a PDF may take */
#define PDF_PAGES "200"  /* pages read */

int text_extractable(const char *mime)
{
	return mime && (!strcmp(mime, "application/pdf") || !strcmp(mime, "text/plain") ||
			!strcmp(mime, "text/markdown") || !strcmp(mime, "text/csv"));
}

void text_clean_append(struct buf *out, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;

	while (i < n) {
		unsigned c = u[i];
		size_t k = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
		int ok = k > 0 && i + k <= n;

		for (size_t j = 1; ok && j < k; j++)
			ok = (u[i + j] & 0xC0) == 0x80;
		/* no overlong forms, surrogates or code points past U+10FFFF */
		if (ok && k == 2)
			ok = c >= 0xC2;
		if (ok && k == 3)
			ok = !(c == 0xE0 && u[i + 1] < 0xA0) && !(c == 0xED && u[i + 1] >= 0xA0);
		if (ok && k == 4)
			ok = c <= 0xF4 && !(c == 0xF0 && u[i + 1] < 0x90) && !(c == 0xF4 && u[i + 1] >= 0x90);
		if (!ok) {
			i++;
			continue;
		}
		if (k == 1 && (c < 0x20 || c == 0x7F))
			buf_putc(out, c == '\n' || c == '\f' ? '\n' : ' ');
		else
			buf_append(out, s + i, k);
		i += k;
	}
}

static int read_text_file(const char *path, size_t max, struct buf *out)
{
	char chunk[16384];
	struct buf raw = BUF_INIT;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	raw.max = max + 1;
	while (raw.len < max && !raw.failed) {
		size_t want = max - raw.len < sizeof chunk ? max - raw.len : sizeof chunk;
		ssize_t r = read(fd, chunk, want);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		buf_append(&raw, chunk, (size_t)r);
	}
	close(fd);
	text_clean_append(out, buf_str(&raw), raw.len);
	buf_free(&raw);
	return out->failed ? -1 : 0;
}

/* pdftotext PATH - : reads its output through a pipe, within a time limit. */
static int read_pdf(const char *path, size_t max, struct buf *out)
{
	char *argv[] = { "pdftotext", "-q", "-enc", "UTF-8", "-l", PDF_PAGES, (char *)path, "-", NULL };
	posix_spawn_file_actions_t fa;
	int p[2], status, rc = 0;
	pid_t pid;
	size_t got = 0;
	time_t deadline = time(NULL) + PDF_SECONDS;
	struct buf raw = BUF_INIT;

	if (access(PDFTOTEXT, X_OK) != 0)
		return 1;
	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, p[1], 1);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	if (posix_spawn(&pid, PDFTOTEXT, &fa, NULL, argv, environ) != 0) {
		posix_spawn_file_actions_destroy(&fa);
		close(p[0]);
		close(p[1]);
		return -1;
	}
	posix_spawn_file_actions_destroy(&fa);
	close(p[1]);
	raw.max = max + 1;
	for (;;) {
		struct pollfd pfd = { .fd = p[0], .events = POLLIN };
		char chunk[16384];
		int left = (int)(deadline - time(NULL));
		ssize_t r;

		if (left <= 0) {
			LOG_W("textract: pdftotext took longer than %d s; the text is cut", PDF_SECONDS);
			break;
		}
		if (poll(&pfd, 1, left * 1000) <= 0)
			continue;
		r = read(p[0], chunk, sizeof chunk);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if (got < max)
			buf_append(&raw, chunk, (size_t)r < max - got ? (size_t)r : max - got);
		got += (size_t)r;
		if (got >= max)
			break; /* enough words */
	}
	close(p[0]);
	if (waitpid(pid, &status, WNOHANG) == 0) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
	} else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		rc = got ? 0 : -1; /* a damaged PDF: what it said, if anything */
	}
	text_clean_append(out, buf_str(&raw), raw.len);
	buf_free(&raw);
	return rc == 0 && out->failed ? -1 : rc;
}

int textract(const char *path, const char *mime, size_t max, struct buf *out)
{
	if (!mime)
		return 1;
	if (!strcmp(mime, "application/pdf"))
		return read_pdf(path, max, out);
	if (text_extractable(mime))
		return read_text_file(path, max, out);
	return 1;
}
