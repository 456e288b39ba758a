/* Debug console (Bochs/QEMU port E9h): bytes written go to a FILE* or a
 * callback; reads return E9h so a guest can detect it. */
#ifndef TANDEM_HW_DEBUGCON_H
#define TANDEM_HW_DEBUGCON_H

#include <stdint.h>
#include <stdio.h>

#include "hw/device.h"

struct ioport_bus;
struct debugcon;

/* cb, when not NULL, receives every byte; otherwise they go to out (may be
 * NULL: dropped).  Claims the one port. */
struct debugcon *debugcon_new(struct ioport_bus *io, uint16_t port, FILE *out,
			      void (*cb)(void *opaque, uint8_t byte), void *opaque);

extern const struct device_desc debugcon_desc;

#endif
