/* virtio-console: port 0's transmit queue to an output stream. */
#include <stdlib.h>

#include "hw/virtio_console.h"
#include "util/chardev.h"
#include "util/snapshot.h"

enum { Q_RX = 0, Q_TX = 1, QUEUE_SIZE = 128, CHUNK = 4096 };

struct virtio_console {
	struct virtio v;
	struct virtio_device_info info;
	FILE *out;
	uint64_t bytes_out;
	struct virtq_elem elem;
};

static void transmit(struct virtio_console *c)
{
	struct virtio *v = &c->v;
	struct virtq *q = &v->q[Q_TX];
	uint8_t buf[CHUNK];
	const char *why = NULL;
	bool indirect = v->driver_features & VIRTIO_F_INDIRECT_DESC;
	bool any = false;
	int r;
	while (virtio_running(v) && (r = virtq_pop(v->mem, q, indirect, &c->elem, &why)) != 0) {
		if (r < 0) {
			virtio_error(v, why);
			break;
		}
		/* The readable bytes in order, a chunk at a time (a chain may
		 * hold up to 256 buffers of any size in RAM). */
		bool fault = false;
		for (uint64_t off = 0; off < c->elem.out_len && off < 0xffffffffu;) {
			uint64_t left = c->elem.out_len - off;
			uint32_t n = left > CHUNK ? CHUNK : (uint32_t)left;
			if (virtq_read(v->mem, &c->elem, (uint32_t)off, buf, n) != n) {
				fault = true;
				break;
			}
			if (c->out)
				fwrite(buf, 1, n, c->out);
			c->bytes_out += n;
			off += n;
		}
		if (c->out == stdout)
			fflush(stdout);
		if (fault || virtq_push(v->mem, q, &c->elem, 0) < 0) {
			virtio_error(v, "transmit buffer outside guest RAM");
			break;
		}
		any = true;
	}
	if (any)
		virtio_notify_queue(v, Q_TX);
}

static void notify(void *opaque, int q)
{
	if (q == Q_TX)
		transmit(opaque);
}

static void con_reset(void *opaque)
{
	(void)opaque;
}

struct virtio_console *virtio_console_new(struct mem *mem, FILE *out)
{
	struct virtio_console *c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->out = out;
	c->info = (struct virtio_device_info){
		.name = "virtio-console",
		.device_id = VIRTIO_ID_CONSOLE,
		.num_queues = 2,
		.queue_max = QUEUE_SIZE,
		.features = 0,
		.config_len = 12,	/* cols, rows, max_nr_ports, emerg_wr */
		.notify = notify,
		.reset = con_reset,
	};
	virtio_init(&c->v, &c->info, c, mem);
	c->v.config[4] = 1;	/* max_nr_ports (MULTIPORT not offered) */
	return c;
}

struct virtio *virtio_console_virtio(struct virtio_console *c)
{
	return &c->v;
}

uint64_t virtio_console_bytes_out(const struct virtio_console *c)
{
	return c->bytes_out;
}

static void dev_reset(void *opaque)
{
	struct virtio_console *c = opaque;
	virtio_reset(&c->v);
}

static void save(void *opaque, struct snap *s)
{
	struct virtio_console *c = opaque;
	virtio_save(&c->v, s);
}

static int load(void *opaque, struct snap *s)
{
	struct virtio_console *c = opaque;
	return virtio_load(&c->v, s);
}

static void con_free(void *opaque)
{
	struct virtio_console *c = opaque;
	virtio_detach(&c->v);
	chardev_close(c->out);
	free(c);
}

const struct device_desc virtio_console_desc = {
	.name = "virtio-console",
	.reset = dev_reset,
	.save = save,
	.load = load,
	.free = con_free,
};
