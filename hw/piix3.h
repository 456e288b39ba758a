/* The i440FX/PIIX3 chipset functions on PCI bus 0:
 *   00:00.0 i440FX host bridge (8086:1237) with the PAM registers (59h-5Fh)
 *           that switch C0000h-FFFFFh between ROM and shadow RAM;
 *   00:01.0 PIIX3 ISA bridge (8086:7000) with PIRQ routing (60h-63h) and
 *           the ELCR at 4D0h/4D1h;
 *   00:01.1 PIIX3 IDE (8086:7010), legacy-mode channels with the bus master
 *           registers at BAR4 (BMIBA).
 * See docs/storage.md for the register details.
 */
#ifndef TANDEM_HW_PIIX3_H
#define TANDEM_HW_PIIX3_H

#include <stdint.h>

#include "hw/device.h"

struct pci_bus;
struct mem;
struct ioport_bus;
struct irq_line;
struct ide_channel;
struct i440fx;
struct piix3;

/* The host bridge; mem is where the PAM registers remap C0000h-FFFFFh. */
struct i440fx *i440fx_new(struct pci_bus *bus, struct mem *mem);
extern const struct device_desc i440fx_desc;

/* isa_irq[0..15] are the interrupt controller inputs PIRQs can be routed
 * to; ide[0..1] the primary and secondary channels (either may be NULL). */
struct piix3 *piix3_new(struct pci_bus *bus, struct ioport_bus *io,
			struct irq_line *isa_irq[16], struct ide_channel *ide[2]);
/* ELCR bits (bit n: IRQ n level triggered), for an interrupt controller
 * that honours them. */
uint16_t piix3_elcr(const struct piix3 *p);
/* Makes the interrupt controller follow the ELCR. */
struct pic;
void piix3_connect_pic(struct piix3 *p, struct pic *pic);
extern const struct device_desc piix3_desc;

#endif
