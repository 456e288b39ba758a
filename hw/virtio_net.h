/* virtio-net (virtio v1.1 section 5.1): receive queue 0, transmit queue 1,
 * 256 entries each; the MAC (VIRTIO_NET_F_MAC) and the link status
 * (VIRTIO_NET_F_STATUS, always LINK_UP) in the config space.  No offloads
 * are offered (no CSUM, GUEST_CSUM, GSO, MRG_RXBUF, CTRL_VQ), so every frame
 * carries a 12-byte struct virtio_net_hdr with flags 0 and gso_type NONE
 * (num_buffers 1 on receive); a transmitted frame asking for an offload is
 * dropped and counted.  Receive takes one chain of writable buffers per
 * frame; a frame arriving while the driver has posted none, or whose
 * buffers are too small, is dropped (counted) as a full ring would. */
#ifndef TANDEM_HW_VIRTIO_NET_H
#define TANDEM_HW_VIRTIO_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hw/device.h"
#include "hw/virtio.h"

struct virtio_net;

struct virtio_net *virtio_net_new(struct mem *mem, const uint8_t mac[6]);
struct virtio *virtio_net_virtio(struct virtio_net *n);
void virtio_net_set_send(struct virtio_net *n,
			 void (*send)(void *opaque, const uint8_t *frame, size_t len),
			 void *opaque);
/* A frame from the network (opaque is the struct virtio_net). */
bool virtio_net_rx(void *opaque, const uint8_t *frame, size_t len);

struct virtio_net_stats {
	uint32_t tx_frames, rx_frames;
	uint32_t tx_bad;	/* too short/long, or asked for an offload */
	uint32_t rx_dropped;	/* driver not ready, no buffer, buffer too small */
};
void virtio_net_get_stats(const struct virtio_net *n, struct virtio_net_stats *out);

extern const struct device_desc virtio_net_desc;

#endif
