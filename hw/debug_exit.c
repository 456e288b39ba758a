#include <stdlib.h>

#include "hw/debug_exit.h"
#include "hw/ioport.h"

struct debug_exit {
	void (*stop)(void *opaque, int status);
	void *opaque;
};

static uint32_t debug_exit_read(void *opaque, uint16_t port, int size)
{
	(void)opaque;
	(void)port;
	return size == 4 ? 0xffffffffu : size == 2 ? 0xffff : 0xff;
}

static void debug_exit_write(void *opaque, uint16_t port, uint32_t val, int size)
{
	struct debug_exit *d = opaque;
	(void)port;
	(void)size;
	if (d->stop)
		d->stop(d->opaque, (int)((val << 1) | 1));
}

static const struct ioport_ops debug_exit_ops = {
	.read = debug_exit_read,
	.write = debug_exit_write,
	.widths = 1 | 2 | 4,
};

struct debug_exit *debug_exit_new(struct ioport_bus *io, uint16_t port,
				  void (*stop)(void *opaque, int status), void *opaque)
{
	struct debug_exit *d = calloc(1, sizeof(*d));
	if (!d)
		return NULL;
	d->stop = stop;
	d->opaque = opaque;
	if (ioport_register(io, port, 4, &debug_exit_ops, d) < 0) {
		free(d);
		return NULL;
	}
	return d;
}

static void debug_exit_free(void *opaque)
{
	free(opaque);
}

/* No state: nothing to reset or save. */
const struct device_desc debug_exit_desc = {
	.name = "isa-debug-exit",
	.free = debug_exit_free,
};
