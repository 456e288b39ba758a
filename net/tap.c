/* bridged mode: an existing TAP interface (IFF_TAP | IFF_NO_PI, so a read
 * is exactly one Ethernet frame).  Creating and bridging the interface is
 * the user's job (ip tuntap add ... user $USER); we only attach to it. */
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "net/backend.h"

struct tap_backend {
	struct net_backend be;
	int fd;
};

static void tap_send(struct net_backend *b, const uint8_t *frame, size_t len)
{
	/* A full TAP queue drops, as a wire would. */
	if (write(((struct tap_backend *)b)->fd, frame, len) < 0)
		return;
}

static void tap_poll(struct net_backend *b)
{
	struct tap_backend *t = (struct tap_backend *)b;
	uint8_t buf[65536];
	for (int i = 0; i < 64; i++) {
		ssize_t n = read(t->fd, buf, sizeof(buf));
		if (n <= 0)
			break;
		net_backend_output(b, buf, (size_t)n);
	}
}

static void tap_free(struct net_backend *b)
{
	close(((struct tap_backend *)b)->fd);
	free(b);
}

static const struct net_backend_ops tap_ops = { tap_send, tap_poll, tap_free };

struct net_backend *net_tap_open(const char *ifname, char *err, size_t errlen)
{
	/* TUNSETIFF would create a missing interface when we have the right
	 * to: attach only to one the user made, never add one to the host. */
	if (if_nametoindex(ifname) == 0) {
		snprintf(err, errlen, "bridged: no network interface '%s' (create the TAP "
			 "interface first: ip tuntap add dev %s mode tap user $USER)", ifname,
			 ifname);
		return NULL;
	}
	int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "bridged: cannot open /dev/net/tun: %s%s", strerror(errno),
			 errno == ENOENT ? " (no TUN/TAP support: modprobe tun)" :
			 errno == EACCES ? " (no permission on /dev/net/tun)" : "");
		return NULL;
	}
	struct ifreq ifr;
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		int e = errno;
		snprintf(err, errlen, "bridged: cannot attach to TAP interface '%s': %s%s",
			 ifname, strerror(e),
			 e == EPERM ? " (create it for this user first: ip tuntap add dev IF "
				      "mode tap user $USER, as root)" :
			 e == EBUSY ? " (another process holds it)" : "");
		close(fd);
		return NULL;
	}
	struct tap_backend *t = calloc(1, sizeof(*t));
	if (!t) {
		close(fd);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	t->fd = fd;
	t->be.ops = &tap_ops;
	return &t->be;
}
