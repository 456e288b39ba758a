/* What a BIOS does to PCI bus 0 at POST, in C, for boots that run no BIOS
 * (--kernel): the same work and the same choices as our BIOS's pci_init
 * (bios/pcibios.asm), so a guest sees one machine either way:
 *   - PIIX3 PIRQ routing (60h-63h): PIRQA-D to IRQ 10, 10, 11, 11, those
 *     two IRQs level-triggered in the ELCR (4D1h);
 *   - every function's BARs sized and given addresses: I/O upwards from
 *     C000h, 32-bit memory downwards from a top (FEC00000h for the BIOS)
 *     but not below E0000000h, each aligned to its size; 64-bit BARs get a
 *     zero upper half; a BAR that does not fit is left at 0;
 *   - I/O and memory decoding on, bus mastering for storage and network
 *     controllers (class 01h, 02h);
 *   - the Interrupt Line (3Ch) of each function with an INTx pin: the IRQ
 *     its PIRQ is routed to (pci_pin_pirq).
 * Bridges (header type != 0) get only the command register.
 */
#ifndef TANDEM_HW_PCI_POST_H
#define TANDEM_HW_PCI_POST_H

#include <stdint.h>

#define PCI_POST_IO_BASE 0xc000u
#define PCI_POST_MEM_TOP 0xfec00000u
#define PCI_POST_MEM_BOTTOM 0xe0000000u
#define PCI_POST_PIIX3_DEVFN 0x08	/* 00:01.0, the interrupt router */

struct pci_bus;
struct ioport_bus;

/* The ISA IRQ PIRQ n (0-3 = A-D) is routed to. */
uint8_t pci_post_pirq_irq(int pirq);

/* Configures bus 0.  mem_top: memory BARs go below it (PCI_POST_MEM_TOP,
 * or lower to keep clear of other MMIO).  io is where the ELCR lives. */
void pci_post(struct pci_bus *bus, struct ioport_bus *io, uint32_t mem_top);

#endif
