/* virtio-blk: requests from the request queue against a disk image. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hw/disk.h"
#include "hw/virtio_blk.h"
#include "util/log.h"
#include "util/snapshot.h"

enum {
	F_SEG_MAX = 2, F_RO = 5, F_FLUSH = 9,
	T_IN = 0, T_OUT = 1, T_FLUSH = 4, T_GET_ID = 8,
	S_OK = 0, S_IOERR = 1, S_UNSUPP = 2,
	QUEUE_SIZE = 128,
	HDR_LEN = 16,		/* le32 type, le32 reserved, le64 sector */
	ID_LEN = 20,
	CHUNK = 64 * 1024,	/* bytes moved per disk call */
};

struct virtio_blk {
	struct virtio v;
	struct virtio_device_info info;
	struct disk *disk;
	uint8_t *buf;		/* CHUNK bytes */
	struct virtq_elem elem;
};

/* Moves len bytes of data between the image at sector and the chain's data
 * area (readable part from byte HDR_LEN for OUT, writable part from 0 for
 * IN).  Returns a status byte. */
static uint8_t transfer(struct virtio_blk *b, bool out, uint64_t sector, uint64_t len,
			bool *fault)
{
	struct mem *m = b->v.mem;
	if (len % DISK_SECTOR)
		return S_IOERR;
	for (uint64_t done = 0; done < len;) {
		uint32_t n = len - done > CHUNK ? CHUNK : (uint32_t)(len - done);
		uint64_t lba = sector + done / DISK_SECTOR;
		if (lba < sector)
			return S_IOERR;
		if (out) {
			if (virtq_read(m, &b->elem, (uint32_t)(HDR_LEN + done), b->buf, n) != n) {
				*fault = true;
				return S_IOERR;
			}
			if (disk_write(b->disk, lba, n / DISK_SECTOR, b->buf) < 0)
				return S_IOERR;
		} else {
			if (disk_read(b->disk, lba, n / DISK_SECTOR, b->buf) < 0)
				return S_IOERR;
			if (virtq_write(m, &b->elem, (uint32_t)done, b->buf, n) != n) {
				*fault = true;
				return S_IOERR;
			}
		}
		done += n;
	}
	return S_OK;
}

/* One request; returns the bytes written to the driver (data + status),
 * or -1 when the chain itself is unusable (the device needs a reset). */
static long request(struct virtio_blk *b, const char **why)
{
	struct virtq_elem *e = &b->elem;
	struct mem *m = b->v.mem;
	uint8_t hdr[HDR_LEN];
	/* Data lengths beyond 1 GiB are no request a driver makes. */
	if (e->out_len < HDR_LEN || e->in_len < 1 || e->out_len > (1u << 30) ||
	    e->in_len > (1u << 30)) {
		*why = "request without a header or a status byte";
		return -1;
	}
	if (virtq_read(m, e, 0, hdr, HDR_LEN) != HDR_LEN) {
		*why = "request header outside guest RAM";
		return -1;
	}
	uint32_t type = hdr[0] | hdr[1] << 8 | hdr[2] << 16 | (uint32_t)hdr[3] << 24;
	uint64_t sector = 0;
	for (int i = 7; i >= 0; i--)
		sector = sector << 8 | hdr[8 + i];
	uint32_t data_in = (uint32_t)e->in_len - 1;	/* writable bytes before status */
	uint32_t written = 0;
	uint8_t status;
	bool fault = false;
	switch (type) {
	case T_IN:
		status = transfer(b, false, sector, data_in, &fault);
		if (status == S_OK)
			written = data_in;
		break;
	case T_OUT:
		status = disk_readonly(b->disk) ? S_IOERR :
			 transfer(b, true, sector, e->out_len - HDR_LEN, &fault);
		break;
	case T_FLUSH:
		status = disk_flush(b->disk) < 0 ? S_IOERR : S_OK;
		break;
	case T_GET_ID: {
		char id[ID_LEN] = { 0 };
		const char *path = disk_path(b->disk), *slash = strrchr(path, '/');
		/* The image's file name, NUL-padded, cut at 20 bytes (spec 5.2.6). */
		const char *name = slash ? slash + 1 : path;
		size_t nlen = strlen(name);
		memcpy(id, name, nlen < ID_LEN ? nlen : ID_LEN);
		written = data_in < ID_LEN ? data_in : ID_LEN;
		status = virtq_write(m, e, 0, id, written) == written ? S_OK : S_IOERR;
		fault = status != S_OK;
		break;
	}
	default:
		status = S_UNSUPP;
		break;
	}
	if (fault) {
		*why = "data buffer outside guest RAM";
		return -1;
	}
	if (virtq_write(m, e, (uint32_t)e->in_len - 1, &status, 1) != 1) {
		*why = "status byte outside guest RAM";
		return -1;
	}
	return (long)written + 1;
}

static void notify(void *opaque, int n)
{
	struct virtio_blk *b = opaque;
	struct virtio *v = &b->v;
	struct virtq *q = &v->q[n];
	const char *why = NULL;
	bool indirect = v->driver_features & VIRTIO_F_INDIRECT_DESC;
	bool any = false;
	int r;
	while (virtio_running(v) && (r = virtq_pop(v->mem, q, indirect, &b->elem, &why)) != 0) {
		long len = r < 0 ? -1 : request(b, &why);
		if (len < 0 || virtq_push(v->mem, q, &b->elem, (uint32_t)len) < 0) {
			virtio_error(v, why ? why : "used ring outside guest RAM");
			break;
		}
		any = true;
	}
	if (any)
		virtio_notify_queue(v, n);
}

static void blk_reset(void *opaque)
{
	(void)opaque;	/* nothing beyond the core's state */
}

static void put_le(uint8_t *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

struct virtio_blk *virtio_blk_new(struct mem *mem, struct disk *disk)
{
	struct virtio_blk *b = calloc(1, sizeof(*b));
	if (!b || !(b->buf = malloc(CHUNK))) {
		free(b);
		return NULL;
	}
	b->disk = disk;
	b->info = (struct virtio_device_info){
		.name = "virtio-blk",
		.device_id = VIRTIO_ID_BLOCK,
		.num_queues = 1,
		.queue_max = QUEUE_SIZE,
		.features = (1ull << F_SEG_MAX) | (1ull << F_FLUSH) |
			    (disk_readonly(disk) ? 1ull << F_RO : 0),
		.config_len = 60,	/* struct virtio_blk_config of v1.1 */
		.notify = notify,
		.reset = blk_reset,
	};
	virtio_init(&b->v, &b->info, b, mem);
	uint8_t *c = b->v.config;
	put_le(c + 0, disk_sectors(disk), 8);		/* capacity */
	put_le(c + 12, QUEUE_SIZE - 2, 4);		/* seg_max: room for header, status */
	const struct disk_geometry *g = disk_geometry(disk);
	put_le(c + 16, g->cylinders > 0xffff ? 0xffff : g->cylinders, 2);
	c[18] = (uint8_t)g->heads;
	c[19] = (uint8_t)g->sectors;
	put_le(c + 20, DISK_SECTOR, 4);			/* blk_size (not offered) */
	return b;
}

struct virtio *virtio_blk_virtio(struct virtio_blk *b)
{
	return &b->v;
}

static void dev_reset(void *opaque)
{
	struct virtio_blk *b = opaque;
	virtio_reset(&b->v);
}

static void save(void *opaque, struct snap *s)
{
	struct virtio_blk *b = opaque;
	snap_put_u64(s, disk_sectors(b->disk));
	virtio_save(&b->v, s);
}

static int load(void *opaque, struct snap *s)
{
	struct virtio_blk *b = opaque;
	if (snap_get_u64(s) != disk_sectors(b->disk) || !snap_ok(s))
		return -EINVAL;
	return virtio_load(&b->v, s);
}

static void blk_free(void *opaque)
{
	struct virtio_blk *b = opaque;
	virtio_detach(&b->v);
	const char *path = disk_path(b->disk);
	char *name = strdup(path ? path : "?");
	if (disk_close(b->disk) < 0)
		log_error("--virtio-blk: flushing '%s' failed: guest writes may be lost",
			  name ? name : "?");
	free(name);
	free(b->buf);
	free(b);
}

const struct device_desc virtio_blk_desc = {
	.name = "virtio-blk",
	.reset = dev_reset,
	.save = save,
	.load = load,
	.free = blk_free,
};
