/* virtio-net: frames between the virtqueues and a net/ client. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hw/virtio_net.h"
#include "net/net.h"
#include "util/snapshot.h"

enum {
	F_MAC = 5, F_STATUS = 16,
	S_LINK_UP = 1,
	Q_RX = 0, Q_TX = 1, QUEUE_SIZE = 256,
	HDR_LEN = 12,		/* struct virtio_net_hdr with num_buffers (VERSION_1) */
	GSO_NONE = 0,
};

struct virtio_net {
	struct virtio v;
	struct virtio_device_info info;
	void (*send)(void *opaque, const uint8_t *frame, size_t len);
	void *send_opaque;
	struct virtio_net_stats st;
	/* Separate elements: sending a frame can deliver a reply (slirp,
	 * the internal hub) into virtio_net_rx before transmit pushes. */
	struct virtq_elem tx_elem, rx_elem;
};

static void transmit(struct virtio_net *n)
{
	struct virtio *v = &n->v;
	struct virtq *q = &v->q[Q_TX];
	uint8_t buf[HDR_LEN + NET_FRAME_MAX];
	const char *why = NULL;
	bool indirect = v->driver_features & VIRTIO_F_INDIRECT_DESC;
	bool any = false;
	int r;
	while (virtio_running(v) && (r = virtq_pop(v->mem, q, indirect, &n->tx_elem, &why)) != 0) {
		if (r < 0) {
			virtio_error(v, why);
			break;
		}
		uint64_t len = n->tx_elem.out_len;
		if (len < HDR_LEN + NET_FRAME_MIN || len > sizeof(buf)) {
			n->st.tx_bad++;
		} else if (virtq_read(v->mem, &n->tx_elem, 0, buf, (uint32_t)len) != (long)len) {
			virtio_error(v, "transmit buffer outside guest RAM");
			break;
		} else if (buf[0] != 0 || buf[1] != GSO_NONE) {
			n->st.tx_bad++;	/* an offload we never offered */
		} else {
			n->st.tx_frames++;
			if (n->send)
				n->send(n->send_opaque, buf + HDR_LEN, (size_t)len - HDR_LEN);
		}
		if (virtq_push(v->mem, q, &n->tx_elem, 0) < 0) {
			virtio_error(v, "used ring outside guest RAM");
			break;
		}
		any = true;
	}
	if (any)
		virtio_notify_queue(v, Q_TX);
}

bool virtio_net_rx(void *opaque, const uint8_t *frame, size_t len)
{
	struct virtio_net *n = opaque;
	struct virtio *v = &n->v;
	struct virtq *q = &v->q[Q_RX];
	const char *why = NULL;
	if (!virtio_running(v) || !q->ready || len > NET_FRAME_MAX) {
		n->st.rx_dropped++;
		return false;
	}
	bool indirect = v->driver_features & VIRTIO_F_INDIRECT_DESC;
	int r = virtq_pop(v->mem, q, indirect, &n->rx_elem, &why);
	if (r < 0) {
		virtio_error(v, why);
		return false;
	}
	if (r == 0 || n->rx_elem.in_len < HDR_LEN + len) {
		if (r)
			virtq_unpop(q);	/* too small: leave it, drop the frame */
		n->st.rx_dropped++;
		return false;
	}
	/* flags 0, gso_type NONE, hdr_len/gso_size/csum 0, num_buffers 1. */
	uint8_t hdr[HDR_LEN] = { 0 };
	hdr[10] = 1;
	if (virtq_write(v->mem, &n->rx_elem, 0, hdr, HDR_LEN) != HDR_LEN ||
	    virtq_write(v->mem, &n->rx_elem, HDR_LEN, frame, (uint32_t)len) != (long)len ||
	    virtq_push(v->mem, q, &n->rx_elem, (uint32_t)(HDR_LEN + len)) < 0) {
		virtio_error(v, "receive buffer outside guest RAM");
		return false;
	}
	n->st.rx_frames++;
	virtio_notify_queue(v, Q_RX);
	return true;
}

static void notify(void *opaque, int q)
{
	if (q == Q_TX)
		transmit(opaque);
	/* Q_RX: new buffers are taken when frames arrive. */
}

static void net_reset(void *opaque)
{
	(void)opaque;
}

struct virtio_net *virtio_net_new(struct mem *mem, const uint8_t mac[6])
{
	struct virtio_net *n = calloc(1, sizeof(*n));
	if (!n)
		return NULL;
	n->info = (struct virtio_device_info){
		.name = "virtio-net",
		.device_id = VIRTIO_ID_NET,
		.num_queues = 2,
		.queue_max = QUEUE_SIZE,
		.features = (1ull << F_MAC) | (1ull << F_STATUS),
		.config_len = 12,	/* mac, status, max_virtqueue_pairs, mtu */
		.notify = notify,
		.reset = net_reset,
	};
	virtio_init(&n->v, &n->info, n, mem);
	memcpy(n->v.config, mac, 6);
	n->v.config[6] = S_LINK_UP;
	n->v.config[8] = 1;	/* max_virtqueue_pairs (MQ not offered) */
	return n;
}

struct virtio *virtio_net_virtio(struct virtio_net *n)
{
	return &n->v;
}

void virtio_net_set_send(struct virtio_net *n,
			 void (*send)(void *opaque, const uint8_t *frame, size_t len),
			 void *opaque)
{
	n->send = send;
	n->send_opaque = opaque;
}

void virtio_net_get_stats(const struct virtio_net *n, struct virtio_net_stats *out)
{
	*out = n->st;
}

static void dev_reset(void *opaque)
{
	struct virtio_net *n = opaque;
	virtio_reset(&n->v);
}

static void save(void *opaque, struct snap *s)
{
	struct virtio_net *n = opaque;
	snap_put_bytes(s, n->v.config, 6);
	virtio_save(&n->v, s);
}

static int load(void *opaque, struct snap *s)
{
	struct virtio_net *n = opaque;
	uint8_t mac[6];
	snap_get_bytes(s, mac, 6);
	if (!snap_ok(s) || memcmp(mac, n->v.config, 6))
		return -EINVAL;	/* another card (the MAC is fixed by --nic) */
	return virtio_load(&n->v, s);
}

static void vnet_free(void *opaque)
{
	struct virtio_net *n = opaque;
	virtio_detach(&n->v);
	free(n);
}

const struct device_desc virtio_net_desc = {
	.name = "virtio-net",
	.reset = dev_reset,
	.save = save,
	.load = load,
	.free = vnet_free,
};
