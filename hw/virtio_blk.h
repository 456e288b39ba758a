/* virtio-blk (virtio v1.1 section 5.2) over a disk image (hw/disk.h): one
 * request queue of 128 entries; READ (IN), WRITE (OUT), FLUSH and GET_ID;
 * capacity in 512-byte sectors in the config space.  Features offered:
 * SEG_MAX (126 segments), FLUSH, and RO for a read-only image.  Requests
 * run synchronously when the driver notifies the queue; a write reaches the
 * image file at once (pwrite) and FLUSH fsyncs it, as does a clean exit. */
#ifndef TANDEM_HW_VIRTIO_BLK_H
#define TANDEM_HW_VIRTIO_BLK_H

#include "hw/device.h"
#include "hw/virtio.h"

struct disk;
struct virtio_blk;

/* The device on disk, which it then owns: freeing the device flushes and
 * closes the image (a failed flush is reported).  NULL on failure. */
struct virtio_blk *virtio_blk_new(struct mem *mem, struct disk *disk);
struct virtio *virtio_blk_virtio(struct virtio_blk *b);

extern const struct device_desc virtio_blk_desc;

#endif
