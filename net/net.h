/* Networking: how a card's frames reach a network and back.
 *
 * A card (hw/ne2000.c ...) knows nothing of sockets.  The board creates one
 * struct net per machine (it owns the optional --net-dump pcap file) and one
 * struct net_client per --nic; the card is given a send function that ends
 * in net_client_send(), and the client calls the card's receive function for
 * every frame the network delivers.
 *
 * Delivery model: a client polls its backend (non-blocking sockets, a TAP fd,
 * libslirp's fds and timers) from a timer on the machine's clock every
 * NET_POLL_PS of virtual time, so frames enter the card only between CPU
 * slices, on the emulation thread, with no locking.  net_poll() does the same
 * for every client at once; a main loop may call it too (e.g. every 10 ms of
 * wall time while the CPU is idle), it is harmless to call it often.
 *
 * Modes (the "mode=" of --nic):
 *   none             frames are only written to the dump (a card with no cable)
 *   internal         name=N: a segment shared by every tandem process on this
 *                    host that uses the same name (net/hub.c: Unix datagram
 *                    sockets in $XDG_RUNTIME_DIR/tandem-net/N or
 *                    /tmp/tandem-net-$UID/N; no root)
 *   nat              libslirp: DHCP, DNS, outgoing connections as this process,
 *                    hostfwd=tcp::HOSTPORT-:GUESTPORT forwards (built with slirp)
 *   bridged          tap=IF: an existing TAP interface (needs /dev/net/tun and
 *                    permission on IF)
 *   host-only        name=N (default "hostonly"): internal segment N plus the
 *                    host: one process on it runs libslirp limited to the
 *                    host (DHCP; 10.0.2.2 is this machine's 127.0.0.1;
 *                    hostfwd forwards; no DNS relay, nothing beyond the
 *                    host is reachable); net/hostonly.c
 */
#ifndef TANDEM_NET_NET_H
#define TANDEM_NET_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hw/device.h"

struct clock;
struct net;
struct net_client;

/* Ethernet frames without FCS: header + up to 1500 bytes payload, plus an
 * 802.1Q tag.  Anything outside [NET_FRAME_MIN, NET_FRAME_MAX] is dropped. */
#define NET_FRAME_MIN 14
#define NET_FRAME_MAX 1518

/* Backend poll period in virtual time (1 ms). */
#define NET_POLL_PS 1000000000ull

#define NET_MAX_NICS 8
#define NET_MAX_HOSTFWD 4

enum net_mode { NET_NONE = 0, NET_INTERNAL, NET_NAT, NET_BRIDGED, NET_HOST_ONLY };

struct net_hostfwd {
	bool udp;
	uint32_t host_addr;	/* host byte order; 0 = 127.0.0.1 */
	uint16_t host_port;
	uint32_t guest_addr;	/* 0 = the DHCP address (10.0.2.15) */
	uint16_t guest_port;
};

/* One parsed --nic. */
struct net_nic_config {
	char model[16];			/* "ne2k" (default), "ne2k-pci", "rtl8139", "virtio" */
	enum net_mode mode;
	char name[64];			/* internal segment name */
	char tap[16];			/* bridged: interface name */
	uint8_t mac[6];
	bool mac_given;
	int io;				/* -1: the model's default */
	int irq;			/* -1: the model's default */
	struct net_hostfwd fwd[NET_MAX_HOSTFWD];
	int nfwd;
};

/* Parses "model=ne2k,mode=internal,name=lan,mac=52:54:00:12:34:56,io=0x300,
 * irq=3,hostfwd=tcp::8080-:80".  Every key is optional (mode defaults to
 * nat).  Returns 0, or -1 with a one-line message in err. */
int net_nic_parse(const char *spec, struct net_nic_config *out, char *err, size_t errlen);
/* The n-th card's default MAC: 52:54:00:12:34:(56+n), QEMU's range. */
void net_default_mac(int n, uint8_t mac[6]);

/* Frames for the card.  rx returns true when the card took the frame. */
typedef bool (*net_rx_fn)(void *opaque, const uint8_t *frame, size_t len);

/* dump_path may be NULL.  Returns NULL with a message in err. */
struct net *net_new(struct clock *clk, const char *dump_path, char *err, size_t errlen);
/* Frees every client and closes the dump. */
void net_free(struct net *n);

/* Opens cfg's backend for a card.  NULL with a message in err (no slirp
 * support, no /dev/net/tun, a socket directory we cannot create...). */
struct net_client *net_client_new(struct net *n, const struct net_nic_config *cfg,
				  net_rx_fn rx, void *opaque, char *err, size_t errlen);

/* A frame from the card; frames outside the size limits are counted and
 * dropped.  Never blocks: a backend that cannot take it drops it. */
void net_client_send(struct net_client *c, const uint8_t *frame, size_t len);

/* Polls every client's backend now and delivers what arrived. */
void net_poll(struct net *n);

/* The board adds the struct net as a device right after net_new(): it then
 * goes after the cards at exit (free is net_free), and a snapshot load
 * re-arms its poll timer.  Frames in flight are not part of a snapshot. */
extern const struct device_desc net_desc;

struct net_stats {
	uint64_t tx_frames, rx_frames;
	uint64_t tx_dropped;	/* bad size or the backend refused */
	uint64_t rx_dropped;	/* bad size or the card refused */
};
void net_client_stats(const struct net_client *c, struct net_stats *out);

#endif
