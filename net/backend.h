/* What a network backend gives net.c: the internal interface between
 * net/net.c and the backends (hub, TAP, libslirp).  Not for devices. */
#ifndef TANDEM_NET_BACKEND_H
#define TANDEM_NET_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/net.h"

struct net_backend;

struct net_backend_ops {
	/* A frame from the card (size already checked); never blocks. */
	void (*send)(struct net_backend *b, const uint8_t *frame, size_t len);
	/* Reads what is waiting, without blocking, and hands each frame to
	 * net_backend_deliver(); runs the backend's own timers. */
	void (*poll)(struct net_backend *b);
	void (*free)(struct net_backend *b);
};

struct net_backend {
	const struct net_backend_ops *ops;
	struct net_client *client;
	/* Where this backend's received frames go when it is part of another
	 * backend (host-only puts slirp on an internal segment); NULL: to the
	 * client's card. */
	void (*output)(void *opaque, const uint8_t *frame, size_t len);
	void *output_opaque;
};

/* A frame from the network for the client's card. */
void net_backend_deliver(struct net_client *c, const uint8_t *frame, size_t len);

/* What a backend calls for each frame it received. */
static inline void net_backend_output(struct net_backend *b, const uint8_t *frame, size_t len)
{
	if (b->output)
		b->output(b->output_opaque, frame, len);
	else
		net_backend_deliver(b->client, frame, len);
}

/* host-only: the internal segment cfg->name plus, in the one process that
 * holds the segment's host lock, a host-only slirp on it (net/hostonly.c). */
struct net_backend *net_hostonly_open(const struct net_nic_config *cfg, char *err,
				      size_t errlen);

struct net_backend *net_tap_open(const char *ifname, char *err, size_t errlen);
/* host_only: the guest reaches the host (10.0.2.2 = this machine's loopback)
 * and slirp's DHCP, nothing else: net_host_only_allows() says which of the
 * guest's frames slirp may see. */
bool net_host_only_allows(const uint8_t *frame, size_t len);
struct net_backend *net_slirp_open(const struct net_nic_config *cfg, int host_only,
				   char *err, size_t errlen);

#endif
