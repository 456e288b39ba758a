/* Port I/O dispatch.  A device registers a range of ports with callbacks;
 * unclaimed ports read as all ones and ignore writes. */
#ifndef TANDEM_HW_IOPORT_H
#define TANDEM_HW_IOPORT_H

#include <stdint.h>

struct ioport_bus;

/* port is the absolute port number; size is 1, 2 or 4.  An access wider
 * than .widths allows is split into byte accesses on consecutive ports
 * (little endian), so a byte-only device needs only handle size 1. */
struct ioport_ops {
	uint32_t (*read)(void *opaque, uint16_t port, int size);
	void (*write)(void *opaque, uint16_t port, uint32_t val, int size);
	unsigned widths;	/* bitmask of 1|2|4; 0 means 1 only */
};

struct ioport_bus *ioport_bus_new(void);
void ioport_bus_free(struct ioport_bus *bus);

/* Claims [base, base+len).  Returns 0, or -EBUSY if any port is taken. */
int ioport_register(struct ioport_bus *bus, uint16_t base, uint16_t len,
		    const struct ioport_ops *ops, void *opaque);

/* Releases [base, base+len) (ports owned by anyone).  For devices that move,
 * like PCI I/O BARs; registering the same ops and opaque again reuses the
 * handler slot, so moving a device repeatedly costs nothing. */
void ioport_unregister(struct ioport_bus *bus, uint16_t base, uint16_t len);

uint32_t ioport_read(struct ioport_bus *bus, uint16_t port, int size);
void ioport_write(struct ioport_bus *bus, uint16_t port, uint32_t val, int size);

#endif
