/* nat and host-only modes: libslirp, the user-mode TCP/IP stack QEMU uses.
 * slirp runs on host time (its TCP timers must follow the wall clock, not
 * the guest's), and is driven from net.c's poll: poll(2) with a zero
 * timeout over the fds it asks for, then its expired timers. */
#include <stdio.h>
#include <string.h>

#include "net/backend.h"

/* host-only: what the guest may send to slirp.  ARP; IPv4 to the host
 * (10.0.2.2, which slirp maps to this machine's 127.0.0.1); DHCP requests
 * (UDP to 255.255.255.255 port 67).  Anything else could leave the host. */
bool net_host_only_allows(const uint8_t *frame, size_t len)
{
	static const uint8_t host[4] = { 10, 0, 2, 2 }, all[4] = { 255, 255, 255, 255 };
	if (len < 14)
		return false;
	if (frame[12] == 0x08 && frame[13] == 0x06)
		return true;
	if (frame[12] != 0x08 || frame[13] != 0x00 || len < 34)
		return false;
	if (memcmp(frame + 30, host, 4) == 0)
		return true;
	size_t udp = 14 + (size_t)(frame[14] & 0x0f) * 4;
	return memcmp(frame + 30, all, 4) == 0 && frame[23] == 17 && len >= udp + 4 &&
	       frame[udp + 2] == 0 && frame[udp + 3] == 67;
}

#if HAVE_SLIRP
#include <arpa/inet.h>
#include <poll.h>
#include <slirp/libslirp.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/log.h"

#define MAX_POLLFDS 256

struct slirp_timer {
	struct slirp_timer *next;
	SlirpTimerCb cb;
	void *cb_opaque;
	int64_t expire_ms;	/* -1: not armed */
};

struct slirp_backend {
	struct net_backend be;
	Slirp *slirp;
	bool host_only;
	struct slirp_timer *timers;
	struct pollfd fds[MAX_POLLFDS];
	int nfds;
};

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static ssize_t cb_send_packet(const void *buf, size_t len, void *opaque)
{
	struct slirp_backend *s = opaque;
	net_backend_output(&s->be, buf, len);
	return (ssize_t)len;
}

static void cb_guest_error(const char *msg, void *opaque)
{
	log_debug("slirp: guest error: %s", msg);
}

static int64_t cb_clock_get_ns(void *opaque)
{
	return now_ns();
}

static void *cb_timer_new(SlirpTimerCb cb, void *cb_opaque, void *opaque)
{
	struct slirp_backend *s = opaque;
	struct slirp_timer *t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->cb = cb;
	t->cb_opaque = cb_opaque;
	t->expire_ms = -1;
	t->next = s->timers;
	s->timers = t;
	return t;
}

static void cb_timer_free(void *timer, void *opaque)
{
	struct slirp_backend *s = opaque;
	for (struct slirp_timer **p = &s->timers; *p; p = &(*p)->next) {
		if (*p == timer) {
			*p = ((struct slirp_timer *)timer)->next;
			free(timer);
			return;
		}
	}
}

static void cb_timer_mod(void *timer, int64_t expire_ms, void *opaque)
{
	((struct slirp_timer *)timer)->expire_ms = expire_ms;
}

static void cb_register_poll_fd(int fd, void *opaque) {}
static void cb_unregister_poll_fd(int fd, void *opaque) {}
static void cb_notify(void *opaque) {}

static const SlirpCb callbacks = {
	.send_packet = cb_send_packet,
	.guest_error = cb_guest_error,
	.clock_get_ns = cb_clock_get_ns,
	.timer_new = cb_timer_new,
	.timer_free = cb_timer_free,
	.timer_mod = cb_timer_mod,
	.register_poll_fd = cb_register_poll_fd,
	.unregister_poll_fd = cb_unregister_poll_fd,
	.notify = cb_notify,
};

static int add_poll(int fd, int events, void *opaque)
{
	struct slirp_backend *s = opaque;
	if (s->nfds >= MAX_POLLFDS)
		return -1;
	short ev = 0;
	if (events & SLIRP_POLL_IN)
		ev |= POLLIN;
	if (events & SLIRP_POLL_OUT)
		ev |= POLLOUT;
	if (events & SLIRP_POLL_PRI)
		ev |= POLLPRI;
	s->fds[s->nfds] = (struct pollfd){ .fd = fd, .events = ev };
	return s->nfds++;
}

static int get_revents(int idx, void *opaque)
{
	struct slirp_backend *s = opaque;
	if (idx < 0 || idx >= s->nfds)
		return 0;
	short r = s->fds[idx].revents;
	int ev = 0;
	if (r & POLLIN)
		ev |= SLIRP_POLL_IN;
	if (r & POLLOUT)
		ev |= SLIRP_POLL_OUT;
	if (r & POLLPRI)
		ev |= SLIRP_POLL_PRI;
	if (r & POLLERR)
		ev |= SLIRP_POLL_ERR;
	if (r & POLLHUP)
		ev |= SLIRP_POLL_HUP;
	return ev;
}

static void sl_send(struct net_backend *b, const uint8_t *frame, size_t len)
{
	struct slirp_backend *s = (struct slirp_backend *)b;
	if (s->host_only && !net_host_only_allows(frame, len))
		return;
	slirp_input(s->slirp, frame, (int)len);
}

static void sl_poll(struct net_backend *b)
{
	struct slirp_backend *s = (struct slirp_backend *)b;
	uint32_t timeout = 0;
	s->nfds = 0;
	slirp_pollfds_fill(s->slirp, &timeout, add_poll, s);
	int r = poll(s->fds, (nfds_t)s->nfds, 0);
	slirp_pollfds_poll(s->slirp, r < 0, get_revents, s);
	int64_t ms = now_ns() / 1000000;
	/* A callback may free or re-arm timers: restart the walk after each. */
	for (int guard = 0; guard < 64; guard++) {
		struct slirp_timer *t;
		for (t = s->timers; t; t = t->next)
			if (t->expire_ms >= 0 && t->expire_ms <= ms)
				break;
		if (!t)
			break;
		t->expire_ms = -1;
		t->cb(t->cb_opaque);
	}
}

static void sl_free(struct net_backend *b)
{
	struct slirp_backend *s = (struct slirp_backend *)b;
	slirp_cleanup(s->slirp);
	while (s->timers) {
		struct slirp_timer *t = s->timers;
		s->timers = t->next;
		free(t);
	}
	free(s);
}

static const struct net_backend_ops slirp_ops = { sl_send, sl_poll, sl_free };

struct net_backend *net_slirp_open(const struct net_nic_config *cfg, int host_only,
				   char *err, size_t errlen)
{
	struct slirp_backend *s = calloc(1, sizeof(*s));
	if (!s) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->be.ops = &slirp_ops;
	/* QEMU's user network layout, which guides and users expect.  slirp's
	 * own restricted mode would also keep the guest from the host's
	 * services, so host-only filters the guest's frames instead
	 * (host_only_allows) and turns the DNS relay off. */
	SlirpConfig sc = { .version = 3 };
	s->host_only = host_only;
	sc.disable_dns = host_only;
	sc.in_enabled = true;
	inet_pton(AF_INET, "10.0.2.0", &sc.vnetwork);
	inet_pton(AF_INET, "255.255.255.0", &sc.vnetmask);
	inet_pton(AF_INET, "10.0.2.2", &sc.vhost);
	inet_pton(AF_INET, "10.0.2.15", &sc.vdhcp_start);
	inet_pton(AF_INET, "10.0.2.3", &sc.vnameserver);
	sc.vhostname = "tandem";
	s->slirp = slirp_new(&sc, &callbacks, s);
	if (!s->slirp) {
		snprintf(err, errlen, "libslirp could not start");
		free(s);
		return NULL;
	}
	for (int i = 0; i < cfg->nfwd; i++) {
		const struct net_hostfwd *f = &cfg->fwd[i];
		struct in_addr ha = { htonl(f->host_addr ? f->host_addr : 0x7f000001) };
		struct in_addr ga = { htonl(f->guest_addr ? f->guest_addr : 0x0a00020f) };
		if (slirp_add_hostfwd(s->slirp, f->udp, ha, f->host_port, ga, f->guest_port) < 0) {
			snprintf(err, errlen, "hostfwd %s port %u: cannot listen on the host (in "
				 "use?)", f->udp ? "udp" : "tcp", f->host_port);
			sl_free(&s->be);
			return NULL;
		}
	}
	return &s->be;
}

#else

struct net_backend *net_slirp_open(const struct net_nic_config *cfg, int host_only,
				   char *err, size_t errlen)
{
	snprintf(err, errlen, "%s mode needs libslirp, and this tandem was built without it "
		 "(install libslirp-dev and run ./configure again)",
		 host_only ? "host-only" : "nat");
	return NULL;
}

#endif
