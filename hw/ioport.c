/* Port I/O dispatch: a 64K-entry table of handler indices. */
#include <errno.h>
#include <stdlib.h>

#include "hw/ioport.h"

#define MAX_HANDLERS 255

struct handler {
	const struct ioport_ops *ops;
	void *opaque;
};

struct ioport_bus {
	uint8_t owner[65536];		/* 0 = unclaimed, else 1 + handler */
	struct handler handlers[MAX_HANDLERS];
	int nhandlers;
};

struct ioport_bus *ioport_bus_new(void)
{
	return calloc(1, sizeof(struct ioport_bus));
}

void ioport_bus_free(struct ioport_bus *bus)
{
	free(bus);
}

int ioport_register(struct ioport_bus *bus, uint16_t base, uint16_t len,
		    const struct ioport_ops *ops, void *opaque)
{
	if (len == 0 || (uint32_t)base + len > 65536)
		return -EINVAL;
	for (uint32_t p = base; p < (uint32_t)base + len; p++)
		if (bus->owner[p])
			return -EBUSY;
	int idx = -1;
	for (int i = 0; i < bus->nhandlers; i++)
		if (bus->handlers[i].ops == ops && bus->handlers[i].opaque == opaque)
			idx = i;
	if (idx < 0) {
		if (bus->nhandlers == MAX_HANDLERS)
			return -ENOSPC;
		idx = bus->nhandlers++;
		bus->handlers[idx].ops = ops;
		bus->handlers[idx].opaque = opaque;
	}
	for (uint32_t p = base; p < (uint32_t)base + len; p++)
		bus->owner[p] = idx + 1;
	return 0;
}

void ioport_unregister(struct ioport_bus *bus, uint16_t base, uint16_t len)
{
	for (uint32_t p = base; p < (uint32_t)base + len && p < 65536; p++)
		bus->owner[p] = 0;
}

static const struct handler *handler_for(struct ioport_bus *bus, uint16_t port)
{
	uint8_t o = bus->owner[port];
	return o ? &bus->handlers[o - 1] : NULL;
}

static unsigned widths_of(const struct handler *h)
{
	return h->ops->widths ? h->ops->widths : 1;
}

uint32_t ioport_read(struct ioport_bus *bus, uint16_t port, int size)
{
	const struct handler *h = handler_for(bus, port);
	if (h && (widths_of(h) & size) && h->ops->read)
		return h->ops->read(h->opaque, port, size);
	if (size == 1)
		return h && h->ops->read ? h->ops->read(h->opaque, port, 1) & 0xff : 0xff;
	/* Split into bytes; each byte may belong to a different device. */
	uint32_t v = 0;
	for (int i = 0; i < size; i++)
		v |= (ioport_read(bus, (uint16_t)(port + i), 1) & 0xff) << (8 * i);
	return v;
}

void ioport_write(struct ioport_bus *bus, uint16_t port, uint32_t val, int size)
{
	const struct handler *h = handler_for(bus, port);
	if (h && (widths_of(h) & size) && h->ops->write) {
		h->ops->write(h->opaque, port, val, size);
		return;
	}
	if (size == 1) {
		if (h && h->ops->write)
			h->ops->write(h->opaque, port, val & 0xff, 1);
		return;
	}
	for (int i = 0; i < size; i++)
		ioport_write(bus, (uint16_t)(port + i), (val >> (8 * i)) & 0xff, 1);
}
