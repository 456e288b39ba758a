/* virtio-console (virtio v1.1 section 5.3), one port, no MULTIPORT, SIZE
 * or EMERG_WRITE: queue 0 receives (port 0 input), queue 1 transmits.  What
 * the guest transmits goes to an output stream (--virtio-console
 * file:PATH|stdio, opened by util/chardev.h); there is no input source
 * yet, so the receive queue only holds the driver's buffers. */
#ifndef TANDEM_HW_VIRTIO_CONSOLE_H
#define TANDEM_HW_VIRTIO_CONSOLE_H

#include <stdint.h>
#include <stdio.h>

#include "hw/device.h"
#include "hw/virtio.h"

struct virtio_console;

/* out may be NULL (output discarded); the device closes it
 * (chardev_close) when freed. */
struct virtio_console *virtio_console_new(struct mem *mem, FILE *out);
struct virtio *virtio_console_virtio(struct virtio_console *c);
/* Bytes written to out so far. */
uint64_t virtio_console_bytes_out(const struct virtio_console *c);

extern const struct device_desc virtio_console_desc;

#endif
