/* The network core: --nic parsing, clients, the dump, the poll timer. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw/clock.h"
#include "net/backend.h"
#include "net/hub.h"
#include "net/net.h"
#include "net/pcap.h"
#include "util/log.h"
#include "util/snapshot.h"

struct net_client {
	struct net *net;
	struct net_client *next;
	struct net_backend *be;
	net_rx_fn rx;
	void *opaque;
	struct net_stats st;
	char label[48];		/* model and MAC, for messages */
};

struct net {
	struct clock *clk;
	struct timer *poll_timer;
	struct pcap_writer *dump;
	const char *dump_path;
	struct net_client *clients;
};

/* ---- --nic parsing ------------------------------------------------------ */

static int parse_mac(const char *s, uint8_t mac[6])
{
	unsigned v[6];
	char tail;
	if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &v[0], &v[1], &v[2], &v[3], &v[4],
		   &v[5], &tail) != 6)
		return -1;
	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)v[i];
	/* A card's own address must be unicast. */
	return (mac[0] & 1) ? -1 : 0;
}

static int parse_num(const char *s, long lo, long hi, int *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 0);
	if (end == s || *end || errno || v < lo || v > hi)
		return -1;
	*out = (int)v;
	return 0;
}

/* "a.b.c.d" or "" (0) */
static int parse_ip(const char *s, size_t len, uint32_t *out)
{
	char buf[20];
	unsigned a, b, c, d;
	char tail;
	*out = 0;
	if (len == 0)
		return 0;
	if (len >= sizeof(buf))
		return -1;
	memcpy(buf, s, len);
	buf[len] = 0;
	if (sscanf(buf, "%u.%u.%u.%u%c", &a, &b, &c, &d, &tail) != 4 || a > 255 ||
	    b > 255 || c > 255 || d > 255)
		return -1;
	*out = a << 24 | b << 16 | c << 8 | d;
	return 0;
}

/* tcp|udp:[HOSTADDR]:HOSTPORT-[GUESTADDR]:GUESTPORT */
static int parse_hostfwd(const char *s, struct net_hostfwd *f)
{
	memset(f, 0, sizeof(*f));
	if (strncmp(s, "tcp:", 4) == 0)
		s += 4;
	else if (strncmp(s, "udp:", 4) == 0) {
		f->udp = true;
		s += 4;
	} else
		return -1;
	const char *dash = strchr(s, '-');
	if (!dash)
		return -1;
	const char *c1 = memchr(s, ':', (size_t)(dash - s));
	const char *c2 = strchr(dash + 1, ':');
	if (!c1 || !c2)
		return -1;
	int hp, gp;
	char hport[8];
	size_t hl = (size_t)(dash - c1 - 1);
	if (hl == 0 || hl >= sizeof(hport))
		return -1;
	memcpy(hport, c1 + 1, hl);
	hport[hl] = 0;
	if (parse_ip(s, (size_t)(c1 - s), &f->host_addr) < 0 ||
	    parse_ip(dash + 1, (size_t)(c2 - dash - 1), &f->guest_addr) < 0 ||
	    parse_num(hport, 1, 65535, &hp) < 0 || parse_num(c2 + 1, 1, 65535, &gp) < 0)
		return -1;
	f->host_port = (uint16_t)hp;
	f->guest_port = (uint16_t)gp;
	return 0;
}

static int set_mode(struct net_nic_config *o, const char *v)
{
	static const struct { const char *name; enum net_mode mode; } modes[] = {
		{ "none", NET_NONE }, { "internal", NET_INTERNAL }, { "nat", NET_NAT },
		{ "user", NET_NAT }, { "bridged", NET_BRIDGED }, { "host-only", NET_HOST_ONLY },
	};
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		if (strcmp(v, modes[i].name) == 0) {
			o->mode = modes[i].mode;
			return 0;
		}
	}
	return -1;
}

/* The cards hw/pc.c can build (virtio: hw/pc_virtio.c). */
static const char *const models[] = { "ne2k", "ne2k-pci", "rtl8139", "virtio" };

int net_nic_parse(const char *spec, struct net_nic_config *o, char *err, size_t errlen)
{
	memset(o, 0, sizeof(*o));
	snprintf(o->model, sizeof(o->model), "ne2k");
	o->mode = NET_NAT;
	o->io = -1;
	o->irq = -1;
	bool mode_given = false;

	char buf[512];
	if (strlen(spec) >= sizeof(buf)) {
		snprintf(err, errlen, "--nic: option string too long");
		return -1;
	}
	strcpy(buf, spec);
	char *save = NULL;
	for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(tok, '=');
		const char *key = tok, *v = NULL;
		if (eq) {
			*eq = 0;
			v = eq + 1;
		} else {
			key = "mode";
			v = tok;
		}
		if (strcmp(key, "mode") == 0) {
			if (mode_given || set_mode(o, v) < 0) {
				snprintf(err, errlen, "--nic: %s mode '%s' (nat, internal, "
					 "host-only, bridged, none)", mode_given ? "second" :
					 "unknown", v);
				return -1;
			}
			mode_given = true;
		} else if (strcmp(key, "model") == 0) {
			size_t i, n = sizeof(models) / sizeof(models[0]);
			for (i = 0; i < n && strcmp(v, models[i]); i++)
				;
			if (i == n) {
				snprintf(err, errlen, "--nic: unknown model '%s' (ne2k, ne2k-pci, "
					 "rtl8139, virtio)", v);
				return -1;
			}
			snprintf(o->model, sizeof(o->model), "%s", v);
		} else if (strcmp(key, "name") == 0) {
			if (!hub_name_valid(v)) {
				snprintf(err, errlen, "--nic: network name '%s': use 1-%d of "
					 "A-Z a-z 0-9 _ . -", v, HUB_NAME_MAX);
				return -1;
			}
			snprintf(o->name, sizeof(o->name), "%s", v);
		} else if (strcmp(key, "tap") == 0) {
			if (!v[0] || strlen(v) >= sizeof(o->tap) || strchr(v, '/')) {
				snprintf(err, errlen, "--nic: '%s' is not an interface name", v);
				return -1;
			}
			snprintf(o->tap, sizeof(o->tap), "%s", v);
		} else if (strcmp(key, "mac") == 0) {
			if (parse_mac(v, o->mac) < 0) {
				snprintf(err, errlen, "--nic: mac '%s' is not a unicast address "
					 "like 52:54:00:12:34:56", v);
				return -1;
			}
			o->mac_given = true;
		} else if (strcmp(key, "io") == 0) {
			if (parse_num(v, 0x100, 0xffe0, &o->io) < 0 || (o->io & 0x1f)) {
				snprintf(err, errlen, "--nic: io '%s' is not a port 0x100-0xffe0 "
					 "aligned to 32", v);
				return -1;
			}
		} else if (strcmp(key, "irq") == 0) {
			if (parse_num(v, 1, 15, &o->irq) < 0 || o->irq == 2) {
				snprintf(err, errlen, "--nic: irq '%s' is not 1 or 3-15", v);
				return -1;
			}
		} else if (strcmp(key, "hostfwd") == 0) {
			if (o->nfwd >= NET_MAX_HOSTFWD) {
				snprintf(err, errlen, "--nic: at most %d hostfwd",
					 NET_MAX_HOSTFWD);
				return -1;
			}
			if (parse_hostfwd(v, &o->fwd[o->nfwd]) < 0) {
				snprintf(err, errlen, "--nic: hostfwd '%s' is not like "
					 "tcp::8080-:80 or tcp:127.0.0.1:8080-10.0.2.15:80", v);
				return -1;
			}
			o->nfwd++;
		} else {
			snprintf(err, errlen, "--nic: unknown key '%s' (model, mode, name, mac, "
				 "io, irq, tap, hostfwd)", key);
			return -1;
		}
	}
	if (o->mode == NET_INTERNAL && !o->name[0])
		snprintf(o->name, sizeof(o->name), "default");
	if (o->mode == NET_HOST_ONLY && !o->name[0])
		snprintf(o->name, sizeof(o->name), "hostonly");
	if (o->mode == NET_BRIDGED && !o->tap[0]) {
		snprintf(err, errlen, "--nic: bridged needs tap=IF (an existing TAP interface)");
		return -1;
	}
	if (o->nfwd && o->mode != NET_NAT && o->mode != NET_HOST_ONLY) {
		snprintf(err, errlen, "--nic: hostfwd needs mode nat or host-only");
		return -1;
	}
	if ((o->io >= 0 || o->irq >= 0) && strcmp(o->model, "ne2k")) {
		snprintf(err, errlen, "--nic: io= and irq= are for the ISA ne2k (a PCI card "
			 "gets them from the firmware)");
		return -1;
	}
	if (o->tap[0] && o->mode != NET_BRIDGED) {
		snprintf(err, errlen, "--nic: tap= needs mode bridged");
		return -1;
	}
	if (o->name[0] && o->mode != NET_INTERNAL && o->mode != NET_HOST_ONLY) {
		snprintf(err, errlen, "--nic: name= needs mode internal or host-only");
		return -1;
	}
	return 0;
}

void net_default_mac(int n, uint8_t mac[6])
{
	static const uint8_t base[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
	memcpy(mac, base, 6);
	mac[5] = (uint8_t)(base[5] + n);
}

/* ---- the internal network as a backend ---------------------------------- */

struct hub_backend {
	struct net_backend be;
	struct net_hub *hub;
};

static void hub_be_send(struct net_backend *b, const uint8_t *frame, size_t len)
{
	hub_send(((struct hub_backend *)b)->hub, frame, len);
}

static void hub_be_poll(struct net_backend *b)
{
	struct hub_backend *hb = (struct hub_backend *)b;
	uint8_t buf[NET_FRAME_MAX];
	/* Bounded: a flooding peer cannot keep us here. */
	for (int i = 0; i < 64; i++) {
		long n = hub_recv(hb->hub, buf, sizeof(buf));
		if (n == 0)
			break;
		if (n < 0)
			b->client->st.rx_dropped++;
		else
			net_backend_output(b, buf, (size_t)n);
	}
}

static void hub_be_free(struct net_backend *b)
{
	hub_close(((struct hub_backend *)b)->hub);
	free(b);
}

static const struct net_backend_ops hub_ops = { hub_be_send, hub_be_poll, hub_be_free };

static struct net_backend *hub_backend_open(const char *name, char *err, size_t errlen)
{
	struct hub_backend *hb = calloc(1, sizeof(*hb));
	if (!hb) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	hb->hub = hub_open(name, err, errlen);
	if (!hb->hub) {
		free(hb);
		return NULL;
	}
	hb->be.ops = &hub_ops;
	return &hb->be;
}

/* ---- clients ------------------------------------------------------------ */

static void dump(struct net *n, const uint8_t *frame, size_t len)
{
	if (n->dump && pcap_write(n->dump, clock_now(n->clk), frame, len) < 0) {
		log_error("--net-dump '%s': write failed; no more frames are written",
			  n->dump_path);
		pcap_close(n->dump);
		n->dump = NULL;
	}
}

void net_backend_deliver(struct net_client *c, const uint8_t *frame, size_t len)
{
	if (len < NET_FRAME_MIN || len > NET_FRAME_MAX) {
		c->st.rx_dropped++;
		return;
	}
	dump(c->net, frame, len);
	if (c->rx && c->rx(c->opaque, frame, len))
		c->st.rx_frames++;
	else
		c->st.rx_dropped++;
}

void net_client_send(struct net_client *c, const uint8_t *frame, size_t len)
{
	if (len < NET_FRAME_MIN || len > NET_FRAME_MAX) {
		c->st.tx_dropped++;
		return;
	}
	c->st.tx_frames++;
	dump(c->net, frame, len);
	if (c->be)
		c->be->ops->send(c->be, frame, len);
}

void net_poll(struct net *n)
{
	for (struct net_client *c = n->clients; c; c = c->next)
		if (c->be)
			c->be->ops->poll(c->be);
}

static void poll_timer_cb(void *opaque)
{
	struct net *n = opaque;
	net_poll(n);
	timer_mod(n->poll_timer, clock_now(n->clk) + NET_POLL_PS);
}

struct net *net_new(struct clock *clk, const char *dump_path, char *err, size_t errlen)
{
	struct net *n = calloc(1, sizeof(*n));
	if (!n) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	n->clk = clk;
	n->dump_path = dump_path;
	if (dump_path) {
		n->dump = pcap_open(dump_path);
		if (!n->dump) {
			snprintf(err, errlen, "--net-dump: cannot write '%s': %s", dump_path,
				 strerror(errno));
			free(n);
			return NULL;
		}
	}
	n->poll_timer = timer_new(clk, poll_timer_cb, n);
	if (!n->poll_timer) {
		snprintf(err, errlen, "out of memory");
		pcap_close(n->dump);
		free(n);
		return NULL;
	}
	return n;
}

void net_free(struct net *n)
{
	if (!n)
		return;
	while (n->clients) {
		struct net_client *c = n->clients;
		n->clients = c->next;
		log_debug("net: card %s: sent %llu (%llu dropped), received %llu (%llu dropped)",
			  c->label, (unsigned long long)c->st.tx_frames,
			  (unsigned long long)c->st.tx_dropped,
			  (unsigned long long)c->st.rx_frames,
			  (unsigned long long)c->st.rx_dropped);
		if (c->be)
			c->be->ops->free(c->be);
		free(c);
	}
	timer_free(n->poll_timer);
	if (pcap_close(n->dump) < 0)
		log_error("--net-dump '%s': write failed", n->dump_path);
	free(n);
}

struct net_client *net_client_new(struct net *n, const struct net_nic_config *cfg,
				  net_rx_fn rx, void *opaque, char *err, size_t errlen)
{
	struct net_backend *be = NULL;
	switch (cfg->mode) {
	case NET_NONE:
		break;
	case NET_INTERNAL:
		be = hub_backend_open(cfg->name, err, errlen);
		break;
	case NET_BRIDGED:
		be = net_tap_open(cfg->tap, err, errlen);
		break;
	case NET_NAT:
		be = net_slirp_open(cfg, 0, err, errlen);
		break;
	case NET_HOST_ONLY:
		be = net_hostonly_open(cfg, err, errlen);
		break;
	}
	if (cfg->mode != NET_NONE && !be)
		return NULL;
	struct net_client *c = calloc(1, sizeof(*c));
	if (!c) {
		if (be)
			be->ops->free(be);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	c->net = n;
	c->be = be;
	snprintf(c->label, sizeof(c->label), "%s %02x:%02x:%02x:%02x:%02x:%02x", cfg->model,
		 cfg->mac[0], cfg->mac[1], cfg->mac[2], cfg->mac[3], cfg->mac[4], cfg->mac[5]);
	c->rx = rx;
	c->opaque = opaque;
	if (be)
		be->client = c;
	c->next = n->clients;
	n->clients = c;
	if (be && !timer_pending(n->poll_timer))
		timer_mod(n->poll_timer, clock_now(n->clk) + NET_POLL_PS);
	return c;
}

void net_client_stats(const struct net_client *c, struct net_stats *out)
{
	*out = c->st;
}

static void net_dev_save(void *dev, struct snap *s)
{
	snap_put_u8(s, 1);	/* format version: nothing else to keep */
}

static int net_dev_load(void *dev, struct snap *s)
{
	struct net *n = dev;
	if (snap_get_u8(s) != 1 || !snap_ok(s))
		return -EINVAL;
	/* Time may have moved either way: poll again a period from now. */
	for (struct net_client *c = n->clients; c; c = c->next) {
		if (c->be) {
			timer_mod(n->poll_timer, clock_now(n->clk) + NET_POLL_PS);
			break;
		}
	}
	return 0;
}

static void net_dev_free(void *dev)
{
	net_free(dev);
}

const struct device_desc net_desc = {
	.name = "net",
	.save = net_dev_save,
	.load = net_dev_load,
	.free = net_dev_free,
};
