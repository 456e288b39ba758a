/* host-only: an internal segment that also holds the host.  Every process
 * on host-only network N joins internal segment N; the first one to take
 * the segment's lock (flock on DIR/host.lock) also runs libslirp on it,
 * limited to the host (net/slirp.c), so every guest on the segment gets
 * DHCP and reaches the host's loopback services at 10.0.2.2 (and the host
 * reaches guests through that process's hostfwd= forwards), while nothing
 * beyond the host is reachable.  When the
 * host process ends, another member takes the lock over within a second.
 * Forwards need the lock: a process given hostfwd= that cannot take it
 * fails with a clear error rather than forwarding nothing. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "net/backend.h"
#include "net/hub.h"
#include "util/log.h"

struct ho_backend {
	struct net_backend be;
	struct net_hub *hub;
	struct net_backend *slirp;	/* non-NULL while we are the host */
	struct net_nic_config cfg;
	int lock_fd;
	int64_t tried_ns;
	bool warned;
};

static int64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* What slirp sends goes to our card and to the rest of the segment. */
static void slirp_out(void *opaque, const uint8_t *frame, size_t len)
{
	struct ho_backend *h = opaque;
	net_backend_deliver(h->be.client, frame, len);
	hub_send(h->hub, frame, len);
}

/* 1: we are the host now; 0: another process is; -1: error (in err). */
static int try_host(struct ho_backend *h, char *err, size_t errlen)
{
	if (flock(h->lock_fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno == EWOULDBLOCK)
			return 0;
		snprintf(err, errlen, "host-only: cannot lock the segment: %s", strerror(errno));
		return -1;
	}
	h->slirp = net_slirp_open(&h->cfg, 1, err, errlen);
	if (!h->slirp) {
		flock(h->lock_fd, LOCK_UN);
		return -1;
	}
	h->slirp->output = slirp_out;
	h->slirp->output_opaque = h;
	return 1;
}

static void ho_send(struct net_backend *b, const uint8_t *frame, size_t len)
{
	struct ho_backend *h = (struct ho_backend *)b;
	hub_send(h->hub, frame, len);
	if (h->slirp)
		h->slirp->ops->send(h->slirp, frame, len);
}

static void ho_poll(struct net_backend *b)
{
	struct ho_backend *h = (struct ho_backend *)b;
	uint8_t buf[NET_FRAME_MAX];
	for (int i = 0; i < 64; i++) {
		long n = hub_recv(h->hub, buf, sizeof(buf));
		if (n == 0)
			break;
		if (n < 0)
			continue;
		net_backend_deliver(b->client, buf, (size_t)n);
		if (h->slirp)
			h->slirp->ops->send(h->slirp, buf, (size_t)n);
	}
	if (h->slirp) {
		h->slirp->ops->poll(h->slirp);
	} else if (mono_ns() - h->tried_ns >= 1000000000) {
		/* The host may have gone: take over. */
		char err[256];
		h->tried_ns = mono_ns();
		if (try_host(h, err, sizeof(err)) < 0 && !h->warned) {
			log_warn("%s", err);
			h->warned = true;
		}
	}
}

static void ho_free(struct net_backend *b)
{
	struct ho_backend *h = (struct ho_backend *)b;
	if (h->slirp)
		h->slirp->ops->free(h->slirp);
	hub_close(h->hub);
	if (h->lock_fd >= 0)
		close(h->lock_fd);
	free(h);
}

static const struct net_backend_ops ho_ops = { ho_send, ho_poll, ho_free };

struct net_backend *net_hostonly_open(const struct net_nic_config *cfg, char *err,
				      size_t errlen)
{
	struct ho_backend *h = calloc(1, sizeof(*h));
	if (!h) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	h->be.ops = &ho_ops;
	h->cfg = *cfg;
	h->lock_fd = -1;
	h->tried_ns = mono_ns();
	h->hub = hub_open(cfg->name, err, errlen);
	if (!h->hub)
		goto fail;
	char dir[96], path[128];
	if (hub_dir(cfg->name, dir, sizeof(dir)) < 0 ||
	    snprintf(path, sizeof(path), "%s/host.lock", dir) >= (int)sizeof(path)) {
		snprintf(err, errlen, "host-only: segment path too long");
		goto fail;
	}
	h->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (h->lock_fd < 0) {
		snprintf(err, errlen, "host-only: cannot open '%s': %s", path, strerror(errno));
		goto fail;
	}
	int r = try_host(h, err, errlen);
	if (r < 0)
		goto fail;
	if (r == 0 && cfg->nfwd) {
		snprintf(err, errlen, "host-only network '%s' already has its host in another "
			 "tandem process; hostfwd= works only there", cfg->name);
		goto fail;
	}
	return &h->be;
fail:
	ho_free(&h->be);
	return NULL;
}
