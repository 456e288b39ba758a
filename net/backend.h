/* What a network backend gives net.c: the internal interface between
 * net/net.c and the backends (hub, TAP, libslirp).  Not for devices. */
#ifndef TANDEM_NET_BACKEND_H
#define TANDEM_NET_BACKEND_H

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
};

/* A frame from the network for the client's card. */
void net_backend_deliver(struct net_client *c, const uint8_t *frame, size_t len);

struct net_backend *net_tap_open(const char *ifname, char *err, size_t errlen);
/* restricted: the guest reaches only the host (host-only mode). */
struct net_backend *net_slirp_open(const struct net_nic_config *cfg, int restricted,
				   char *err, size_t errlen);

#endif
