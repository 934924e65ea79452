/* The benchmark's ceiling: the least a libmicrohttpd server can do per
 * request on this machine, with Respire's own daemon settings (src/http/
 * server.c: internal thread pool of the same size, epoll, inter-thread
 * channel, suspend/resume allowed, the same timeout and limits), answering a
 * fixed page of about 1 KB with Respire's common headers. Every page's
 * throughput is given as a share of this one, measured in the same run, so
 * that figures compare across machines.
 *
 *   bench-ceiling [--listen 127.0.0.1:PORT] [--threads N]
 * prints "listening on http://HOST:PORT" and serves until SIGTERM/SIGINT. */
#include <microhttpd.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char page[1100];
static size_t page_len;

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
				  const char *version, const char *upload_data, size_t *upload_size, void **con_cls)
{
	static int first_call_marker;
	struct MHD_Response *resp;
	enum MHD_Result ret;

	(void)cls;
	(void)url;
	(void)method;
	(void)version;
	(void)upload_data;
	/* As Respire does: queue on the second call, never on the first. */
	if (!*con_cls) {
		*con_cls = &first_call_marker;
		return MHD_YES;
	}
	if (*upload_size) {
		*upload_size = 0;
		return MHD_YES;
	}
	resp = MHD_create_response_from_buffer(page_len, page, MHD_RESPMEM_PERSISTENT);
	if (!resp)
		return MHD_NO;
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Content-Security-Policy",
				"default-src 'self'; script-src 'self'; style-src 'self'; "
				"img-src 'self' data:; media-src 'self'; frame-src 'self'; object-src 'none'; "
				"base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "text/html; charset=utf-8");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	ret = MHD_queue_response(c, MHD_HTTP_OK, resp);
	MHD_destroy_response(resp);
	return ret;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)c;
	(void)toe;
	*con_cls = NULL;
}

int main(int argc, char **argv)
{
	const char *listen = "127.0.0.1:0";
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned threads = ncpu > 0 ? (unsigned)ncpu * 2 : 4, port;
	struct sockaddr_in sa = { 0 };
	char host[64];
	const char *colon;
	struct MHD_Daemon *d;
	const union MHD_DaemonInfo *info;
	sigset_t set;
	int sig;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--listen") && i + 1 < argc) {
			listen = argv[++i];
		} else if (!strcmp(argv[i], "--threads") && i + 1 < argc) {
			threads = (unsigned)atoi(argv[++i]);
		} else {
			fprintf(stderr, "usage: bench-ceiling [--listen 127.0.0.1:PORT] [--threads N]\n");
			return 2;
		}
	}
	colon = strrchr(listen, ':');
	if (!colon || (size_t)(colon - listen) >= sizeof host || threads < 1 || threads > 256) {
		fprintf(stderr, "bench-ceiling: bad --listen or --threads\n");
		return 2;
	}
	memcpy(host, listen, (size_t)(colon - listen));
	host[colon - listen] = '\0';
	port = (unsigned)atoi(colon + 1);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, host, &sa.sin_addr) != 1) {
		fprintf(stderr, "bench-ceiling: %s is not an IPv4 address\n", host);
		return 2;
	}
	/* About 1 KB of HTML, like a small page of the site. */
	page_len = (size_t)snprintf(page, sizeof page,
		"<!doctype html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>Plafond</title>"
		"<link rel=\"stylesheet\" href=\"/static/style.css\"></head><body><header><a href=\"/\">Respire</a>"
		"</header><main><h1>Plafond du banc d'essai</h1>%.*s</main></body></html>\n", 760,
		"<p>Cette page fixe mesure ce que libmicrohttpd sert au mieux sur cette machine, avec les "
		"mêmes réglages que Respire : même nombre de fils, epoll, mêmes limites de connexions et de "
		"mémoire. Chaque page de Respire est comparée à celle-ci, mesurée dans le même passage, pour "
		"que les chiffres se comparent d'une machine à l'autre.</p><p>Lorem ipsum dolor sit amet, "
		"consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. "
		"Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo "
		"consequat. Duis aute irure dolor in reprehenderit in voluptate velit esse cillum dolore eu fugiat "
		"nulla pariatur. Excepteur sint occaecat cupidatat non proident, sunt in culpa qui officia.</p>");

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC |
				     MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG,
			     0, NULL, NULL, on_request, NULL,
			     MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
			     MHD_OPTION_THREAD_POOL_SIZE, threads,
			     MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
			     MHD_OPTION_CONNECTION_LIMIT, (unsigned)8000,
			     MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)2000,
			     MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)16 * 1024,
			     MHD_OPTION_LISTENING_ADDRESS_REUSE, (unsigned)1,
			     MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
			     MHD_OPTION_END);
	if (!d) {
		fprintf(stderr, "bench-ceiling: cannot listen on %s\n", listen);
		return 1;
	}
	info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	printf("listening on http://%s:%u\n", host, info ? (unsigned)info->port : port);
	fflush(stdout);
	while (sigwait(&set, &sig) != 0)
		;
	MHD_stop_daemon(d);
	return 0;
}
