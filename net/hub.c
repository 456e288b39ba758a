/* The internal network's hub: see hub.h for the layout and frame format. */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "net/hub.h"
#include "net/net.h"

#define MAX_PEERS 64
#define PEER_REFRESH_NS 200000000	/* list the directory at most every 200 ms */

struct net_hub {
	int fd;
	char dir[80];
	char self[32];		/* our socket's file name within dir */
	/* The other members, as last listed: reading the directory for every
	 * frame would cost more than sending it. */
	char peers[MAX_PEERS][32];
	int npeers;
	int64_t listed_ns;	/* when; 0 = never */
};

static const uint8_t magic[4] = { 'T', 'N', 'E', 'T' };

size_t hub_encode(uint8_t *out, size_t cap, const uint8_t *frame, size_t len)
{
	if (len < NET_FRAME_MIN || len > NET_FRAME_MAX || cap < HUB_HDR_LEN + len)
		return 0;
	memcpy(out, magic, 4);
	out[4] = HUB_VERSION;
	out[5] = 0;
	out[6] = (uint8_t)(len >> 8);
	out[7] = (uint8_t)len;
	memcpy(out + HUB_HDR_LEN, frame, len);
	return HUB_HDR_LEN + len;
}

long hub_decode(const uint8_t *dgram, size_t len, const uint8_t **frame)
{
	if (len < HUB_HDR_LEN || memcmp(dgram, magic, 4) || dgram[4] != HUB_VERSION)
		return -1;
	size_t flen = (size_t)dgram[6] << 8 | dgram[7];
	if (flen < NET_FRAME_MIN || flen > NET_FRAME_MAX || len != HUB_HDR_LEN + flen)
		return -1;
	*frame = dgram + HUB_HDR_LEN;
	return (long)flen;
}

int hub_name_valid(const char *name)
{
	size_t n = strlen(name);
	if (n == 0 || n > HUB_NAME_MAX || name[0] == '.')
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-'))
			return 0;
	}
	return 1;
}

/* The parent of every segment directory. */
static int hub_root(char *out, size_t cap)
{
	const char *xdg = getenv("XDG_RUNTIME_DIR");
	struct stat st;
	int n;
	if (xdg && xdg[0] == '/' && stat(xdg, &st) == 0 && S_ISDIR(st.st_mode) &&
	    access(xdg, W_OK) == 0)
		n = snprintf(out, cap, "%s/tandem-net", xdg);
	else
		n = snprintf(out, cap, "/tmp/tandem-net-%u", (unsigned)getuid());
	return n < 0 || (size_t)n >= cap ? -1 : 0;
}

int hub_dir(const char *name, char *out, size_t cap)
{
	char root[64];
	if (hub_root(root, sizeof(root)) < 0)
		return -1;
	int n = snprintf(out, cap, "%s/%s", root, name);
	return n < 0 || (size_t)n >= cap ? -1 : 0;
}

/* mkdir 0700, and insist that what is there is a directory of ours (in
 * /tmp, someone else could have made it first). */
static int make_private_dir(const char *path, char *err, size_t errlen)
{
	if (mkdir(path, 0700) < 0 && errno != EEXIST) {
		snprintf(err, errlen, "cannot create '%s': %s", path, strerror(errno));
		return -1;
	}
	struct stat st;
	if (lstat(path, &st) < 0 || !S_ISDIR(st.st_mode) || st.st_uid != getuid() ||
	    (st.st_mode & 077)) {
		snprintf(err, errlen, "'%s' is not a private directory owned by us", path);
		return -1;
	}
	return 0;
}

static int fill_addr(struct sockaddr_un *a, const char *dir, const char *file)
{
	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	int n = snprintf(a->sun_path, sizeof(a->sun_path), "%s/%s", dir, file);
	return n < 0 || (size_t)n >= sizeof(a->sun_path) ? -1 : 0;
}

struct net_hub *hub_open(const char *name, char *err, size_t errlen)
{
	static unsigned seq;
	char root[64];
	if (!hub_name_valid(name)) {
		snprintf(err, errlen, "internal network name '%s': use 1-%d of A-Z a-z 0-9 _ . -",
			 name, HUB_NAME_MAX);
		return NULL;
	}
	struct net_hub *h = calloc(1, sizeof(*h));
	if (!h) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	h->fd = -1;
	if (hub_root(root, sizeof(root)) < 0 || hub_dir(name, h->dir, sizeof(h->dir)) < 0) {
		snprintf(err, errlen, "internal network directory path too long");
		goto fail;
	}
	if (make_private_dir(root, err, errlen) < 0 ||
	    make_private_dir(h->dir, err, errlen) < 0)
		goto fail;
	h->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (h->fd < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		goto fail;
	}
	snprintf(h->self, sizeof(h->self), "p%ld-%u.sock", (long)getpid(), seq++);
	struct sockaddr_un a;
	if (fill_addr(&a, h->dir, h->self) < 0) {
		snprintf(err, errlen, "internal network socket path too long");
		goto fail;
	}
	unlink(a.sun_path);	/* a previous process with our pid */
	if (bind(h->fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		snprintf(err, errlen, "cannot bind '%s': %s", a.sun_path, strerror(errno));
		goto fail;
	}
	return h;
fail:
	if (h->fd >= 0)
		close(h->fd);
	free(h);
	return NULL;
}

void hub_close(struct net_hub *h)
{
	if (!h)
		return;
	struct sockaddr_un a;
	if (fill_addr(&a, h->dir, h->self) == 0)
		unlink(a.sun_path);
	close(h->fd);
	free(h);
}

int hub_fd(const struct net_hub *h)
{
	return h->fd;
}

static int is_member_name(const char *s)
{
	size_t n = strlen(s);
	return s[0] == 'p' && n > 5 && strcmp(s + n - 5, ".sock") == 0;
}

static int64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void list_peers(struct net_hub *h)
{
	h->npeers = 0;
	h->listed_ns = mono_ns();
	DIR *d = opendir(h->dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d)) && h->npeers < MAX_PEERS) {
		if (!is_member_name(e->d_name) || strcmp(e->d_name, h->self) == 0 ||
		    strlen(e->d_name) >= sizeof(h->peers[0]))
			continue;
		strcpy(h->peers[h->npeers++], e->d_name);
	}
	closedir(d);
}

int hub_send(struct net_hub *h, const uint8_t *frame, size_t len)
{
	uint8_t dgram[HUB_HDR_LEN + NET_FRAME_MAX];
	size_t n = hub_encode(dgram, sizeof(dgram), frame, len);
	if (!n)
		return 0;
	if (!h->listed_ns || mono_ns() - h->listed_ns >= PEER_REFRESH_NS)
		list_peers(h);
	int sent = 0;
	bool gone = false;
	for (int i = 0; i < h->npeers; i++) {
		struct sockaddr_un a;
		if (fill_addr(&a, h->dir, h->peers[i]) < 0)
			continue;
		if (sendto(h->fd, dgram, n, MSG_DONTWAIT, (struct sockaddr *)&a,
			   sizeof(a)) == (ssize_t)n) {
			sent++;
		} else if (errno == ECONNREFUSED) {
			unlink(a.sun_path);	/* its process is gone */
			gone = true;
		} else if (errno == ENOENT) {
			gone = true;		/* it left */
		}
		/* EAGAIN: that member's queue is full; a hub drops too. */
	}
	if (gone)
		h->listed_ns = 0;
	return sent;
}

long hub_recv(struct net_hub *h, uint8_t *buf, size_t cap)
{
	uint8_t dgram[HUB_HDR_LEN + NET_FRAME_MAX + 1];
	ssize_t n = recv(h->fd, dgram, sizeof(dgram), MSG_DONTWAIT);
	if (n < 0)
		return 0;
	const uint8_t *frame;
	long flen = hub_decode(dgram, (size_t)n, &frame);
	if (flen < 0 || (size_t)flen > cap)
		return -1;
	memcpy(buf, frame, (size_t)flen);
	return flen;
}
