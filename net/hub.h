/* The internal network: a hub shared by tandem processes on one host.
 *
 * Peer to peer, no broker: every card on segment N binds a Unix datagram
 * socket DIR/pPID-SEQ.sock, where DIR is $XDG_RUNTIME_DIR/tandem-net/N (or
 * /tmp/tandem-net-UID/N, created 0700 and checked to be ours).  Sending a
 * frame sends one datagram to every other socket in DIR, which is what a hub
 * does; the list of members is read again at most every 200 ms (so a new
 * member hears broadcasts within 200 ms), and at once after a member left.
 * A socket whose owner died (ECONNREFUSED) is removed.  A member's queue
 * holds net.unix.max_dgram_qlen datagrams (10 by default); beyond that,
 * frames to it are dropped until it polls, as a busy hub port would.
 *
 * Datagram format (version 1), all multi-byte fields big endian:
 *   0   4  magic "TNET"
 *   4   1  version (1)
 *   5   1  flags (0; receivers ignore unknown bits)
 *   6   2  frame length L (NET_FRAME_MIN..NET_FRAME_MAX)
 *   8   L  the Ethernet frame, destination MAC first, no FCS
 * A datagram whose length is not 8 + L, or whose magic, version or L is
 * wrong, is dropped and counted.
 */
#ifndef TANDEM_NET_HUB_H
#define TANDEM_NET_HUB_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define HUB_HDR_LEN 8
#define HUB_VERSION 1
#define HUB_NAME_MAX 32

struct net_hub;

/* Encodes frame into out (cap >= HUB_HDR_LEN + len); returns the datagram
 * length, or 0 when the frame's size is out of range or out is too small. */
size_t hub_encode(uint8_t *out, size_t cap, const uint8_t *frame, size_t len);
/* Validates a datagram; on success points *frame into it and returns the
 * frame length, else returns -1. */
long hub_decode(const uint8_t *dgram, size_t len, const uint8_t **frame);

/* true when name is 1..HUB_NAME_MAX of [A-Za-z0-9_.-], not starting with '.'. */
int hub_name_valid(const char *name);
/* The segment directory for name (not created).  0, or -1 if too long. */
int hub_dir(const char *name, char *out, size_t cap);

/* Joins segment name (creating its directory).  NULL with err set. */
struct net_hub *hub_open(const char *name, char *err, size_t errlen);
void hub_close(struct net_hub *h);
int hub_fd(const struct net_hub *h);
/* Sends frame to every other member; returns how many got it. */
int hub_send(struct net_hub *h, const uint8_t *frame, size_t len);
/* Receives one frame into buf (cap >= NET_FRAME_MAX): its length, 0 when
 * nothing is waiting, -1 for a malformed datagram (dropped). */
long hub_recv(struct net_hub *h, uint8_t *buf, size_t cap);

#endif
