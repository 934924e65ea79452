#include "util/mail.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/log.h"
#include "util/text.h"

static pthread_mutex_t seq_mu = PTHREAD_MUTEX_INITIALIZER;
static unsigned seq;

/* RFC 2047 encoded-word when the subject is not plain ASCII. */
static void put_subject(struct buf *b, const char *s)
{
	int ascii = 1;

	for (const char *p = s; *p; p++)
		if ((unsigned char)*p >= 0x80)
			ascii = 0;
	buf_puts(b, "Subject: ");
	if (ascii) {
		buf_puts(b, s);
	} else {
		size_t n = strlen(s);
		size_t el = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL);
		char *enc = malloc(el);

		if (!enc) {
			b->failed = 1;
			return;
		}
		sodium_bin2base64(enc, el, (const unsigned char *)s, n, sodium_base64_VARIANT_ORIGINAL);
		buf_printf(b, "=?UTF-8?B?%s?=", enc);
		free(enc);
	}
	buf_puts(b, "\r\n");
}

static const char *const own_headers[] = {
	"from", "to", "cc", "bcc", "subject", "date", "message-id", "mime-version", "content-type",
	"content-transfer-encoding", "auto-submitted", NULL
};

int mail_headers_ok(const char *h)
{
	if (!h)
		return 1;
	while (*h) {
		const char *name = h, *colon;
		size_t n;

		if (!((*h >= 'A' && *h <= 'Z') || (*h >= 'a' && *h <= 'z')))
			return 0;
		while ((*h >= 'A' && *h <= 'Z') || (*h >= 'a' && *h <= 'z') || (*h >= '0' && *h <= '9') || *h == '-')
			h++;
		colon = h;
		if (*h++ != ':' || *h++ != ' ')
			return 0;
		n = (size_t)(colon - name);
		for (const char *const *o = own_headers; *o; o++)
			if (strlen(*o) == n && !strncasecmp(name, *o, n))
				return 0;
		while (*h && *h != '\r' && *h != '\n') {
			if ((unsigned char)*h < 0x20 || (unsigned char)*h >= 0x7f)
				return 0;
			h++;
		}
		if (*h == '\r' && *++h != '\n')
			return 0;
		if (*h == '\n')
			h++;
	}
	return 1;
}

/* The extra headers, each line ended by CRLF. */
static void put_headers(struct buf *b, const char *h)
{
	for (; h && *h; h++) {
		if (*h == '\r')
			continue;
		if (*h == '\n')
			buf_puts(b, "\r\n");
		else
			buf_putc(b, *h);
	}
	if (h && b->len >= 1 && b->data[b->len - 1] != '\n')
		buf_puts(b, "\r\n");
}

static int compose(struct buf *b, const struct config *cfg, const char *to, const char *subject,
		   const char *text, const char *headers, const char *id)
{
	char date[64];
	time_t now = time(NULL);
	struct tm tm;
	const char *dom = strchr(cfg->mail_from, '@');

	gmtime_r(&now, &tm);
	strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
	buf_printf(b, "From: Respire <%s>\r\nTo: <%s>\r\n", cfg->mail_from, to);
	put_subject(b, subject);
	buf_printf(b, "Date: %s\r\nMessage-ID: <%s@%s>\r\nMIME-Version: 1.0\r\n"
		   "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n"
		   "Auto-Submitted: auto-generated\r\n", date, id, dom ? dom + 1 : "respire");
	if (headers && *headers)
		put_headers(b, headers);
	buf_puts(b, "\r\n");
	for (const char *p = text; *p; p++) {
		if (*p == '\n' && (p == text || p[-1] != '\r'))
			buf_putc(b, '\r');
		buf_putc(b, *p);
	}
	buf_puts(b, "\r\n");
	return b->failed ? -1 : 0;
}

static enum mail_result write_outbox(const struct config *cfg, const struct buf *msg, const char *name)
{
	char dir[600], tmp[700], path[700];
	int fd, rc = -1;

	snprintf(dir, sizeof dir, "%s/outbox", cfg->data_dir);
	if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
		LOG_E("mail: cannot create %s: %s", dir, strerror(errno));
		return MAIL_RETRY;
	}
	snprintf(tmp, sizeof tmp, "%s/.%s.tmp", dir, name);
	snprintf(path, sizeof path, "%s/%s.eml", dir, name);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		LOG_E("mail: cannot write %s: %s", tmp, strerror(errno));
		return MAIL_RETRY;
	}
	if (write(fd, msg->data, msg->len) == (ssize_t)msg->len && fsync(fd) == 0)
		rc = 0;
	close(fd);
	if (rc == 0 && rename(tmp, path) < 0)
		rc = -1;
	if (rc < 0) {
		LOG_E("mail: cannot write %s: %s", path, strerror(errno));
		unlink(tmp);
	}
	return rc == 0 ? MAIL_SENT : MAIL_RETRY;
}

struct reader {
	const char *p;
	size_t left;
};

static size_t read_cb(char *ptr, size_t size, size_t nmemb, void *ud)
{
	struct reader *r = ud;
	size_t n = size * nmemb;

	if (n > r->left)
		n = r->left;
	memcpy(ptr, r->p, n);
	r->p += n;
	r->left -= n;
	return n;
}

static enum mail_result send_smtp(const struct config *cfg, const char *to, const struct buf *msg,
				  char *err, size_t errlen)
{
	CURL *c = curl_easy_init();
	struct curl_slist *rcpt = NULL;
	struct reader rd = { msg->data, msg->len };
	char from[300], rto[300];
	CURLcode rc;
	long code = 0;

	if (!c) {
		snprintf(err, errlen, "libcurl cannot start");
		return MAIL_RETRY;
	}
	snprintf(from, sizeof from, "<%s>", cfg->mail_from);
	snprintf(rto, sizeof rto, "<%s>", to);
	rcpt = curl_slist_append(NULL, rto);
	curl_easy_setopt(c, CURLOPT_URL, cfg->smtp_url);
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(c, CURLOPT_READDATA, &rd);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(c);
	if (rc != CURLE_OK) {
		/* The URL may hold credentials: never log it. A 5xx answer is
		 * permanent (RFC 5321 4.2.1): retrying would be refused again. */
		snprintf(err, errlen, "%s (SMTP %ld)", curl_easy_strerror(rc), code);
		LOG_E("mail: SMTP delivery failed: %s", err);
		return code >= 500 && code < 600 ? MAIL_REJECTED : MAIL_RETRY;
	}
	return MAIL_SENT;
}

enum mail_result mail_deliver(const struct config *cfg, const char *to, const char *subject, const char *text,
			      const char *headers, const char *msgid, char *err, size_t errlen)
{
	struct buf msg = BUF_INIT;
	struct timespec ts;
	char name[64], id[160], ebuf[200];
	unsigned n;
	enum mail_result rc;

	if (!err) {
		err = ebuf;
		errlen = sizeof ebuf;
	}
	err[0] = '\0';
	if (!email_shape_ok(to) || strpbrk(subject, "\r\n") || !mail_headers_ok(headers) ||
	    (msgid && (strlen(msgid) > 100 || strspn(msgid, "abcdefghijklmnopqrstuvwxyz0123456789.-") != strlen(msgid)))) {
		snprintf(err, errlen, "malformed recipient, subject or headers");
		LOG_E("mail: refused a malformed recipient, subject or headers");
		return MAIL_REJECTED;
	}
	pthread_mutex_lock(&seq_mu);
	clock_gettime(CLOCK_REALTIME, &ts);
	n = ++seq;
	pthread_mutex_unlock(&seq_mu);
	snprintf(name, sizeof name, "%012lld.%09ld-%08u", (long long)ts.tv_sec, ts.tv_nsec, n);
	snprintf(id, sizeof id, "%s", msgid ? msgid : name);
	if (compose(&msg, cfg, to, subject, text, headers, id) < 0) {
		buf_free(&msg);
		snprintf(err, errlen, "out of memory");
		return MAIL_RETRY;
	}
	if (cfg->smtp_url[0]) {
		rc = send_smtp(cfg, to, &msg, err, errlen);
	} else {
		rc = write_outbox(cfg, &msg, name);
		if (rc != MAIL_SENT)
			snprintf(err, errlen, "cannot write to the outbox");
	}
	buf_free(&msg);
	return rc;
}

int mail_send(const struct config *cfg, const char *to, const char *subject, const char *text)
{
	return mail_deliver(cfg, to, subject, text, NULL, NULL, NULL, 0) == MAIL_SENT ? 0 : -1;
}
