#include <stdlib.h>

#include "hw/debugcon.h"
#include "hw/ioport.h"

struct debugcon {
	FILE *out;
	void (*cb)(void *opaque, uint8_t byte);
	void *opaque;
};

static uint32_t debugcon_read(void *opaque, uint16_t port, int size)
{
	(void)opaque;
	(void)port;
	(void)size;
	return 0xe9;
}

static void debugcon_write(void *opaque, uint16_t port, uint32_t val, int size)
{
	struct debugcon *d = opaque;
	(void)port;
	(void)size;
	if (d->cb) {
		d->cb(d->opaque, val);
	} else if (d->out) {
		fputc(val & 0xff, d->out);
		/* Line at a time, so a test log is complete when a guest hangs. */
		if ((val & 0xff) == '\n')
			fflush(d->out);
	}
}

static const struct ioport_ops debugcon_ops = {
	.read = debugcon_read,
	.write = debugcon_write,
	.widths = 1,
};

struct debugcon *debugcon_new(struct ioport_bus *io, uint16_t port, FILE *out,
			      void (*cb)(void *opaque, uint8_t byte), void *opaque)
{
	struct debugcon *d = calloc(1, sizeof(*d));
	if (!d)
		return NULL;
	d->out = out;
	d->cb = cb;
	d->opaque = opaque;
	if (ioport_register(io, port, 1, &debugcon_ops, d) < 0) {
		free(d);
		return NULL;
	}
	return d;
}

static void debugcon_free(void *opaque)
{
	struct debugcon *d = opaque;
	if (d->out)
		fflush(d->out);
	free(d);
}

/* No state: nothing to reset or save. */
const struct device_desc debugcon_desc = {
	.name = "debugcon",
	.free = debugcon_free,
};
