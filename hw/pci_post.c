/* PCI bus 0 set up as our BIOS's POST does it (pci_post.h). */
#include <stdbool.h>

#include "hw/ioport.h"
#include "hw/pci.h"
#include "hw/pci_post.h"

#define PIIX3_ID 0x70008086u
#define PIRQRC 0x60
#define ELCR2 0x4d1

/* IRQ 10 for PIRQA/B, 11 for PIRQC/D: two lines the AT's ISA devices
 * leave free, shared by pairs (bios/pcibios.asm PCI_PIRQ_IRQS). */
static const uint8_t pirq_irq[4] = { 10, 10, 11, 11 };

uint8_t pci_post_pirq_irq(int pirq)
{
	return pirq_irq[pirq & 3];
}

struct alloc {
	uint32_t io_next;	/* next free port */
	uint32_t mem_top;	/* free memory space ends here */
};

static uint32_t rd(struct pci_bus *bus, uint8_t devfn, uint8_t off, int size)
{
	return pci_bus_config_read(bus, devfn, off, size);
}

static void wr(struct pci_bus *bus, uint8_t devfn, uint8_t off, uint32_t v, int size)
{
	pci_bus_config_write(bus, devfn, off, v, size);
}

static void route_pirqs(struct pci_bus *bus, struct ioport_bus *io)
{
	if (rd(bus, PCI_POST_PIIX3_DEVFN, PCI_VENDOR_ID, 4) != PIIX3_ID)
		return;
	for (int i = 0; i < 4; i++)
		wr(bus, PCI_POST_PIIX3_DEVFN, PIRQRC + i, pirq_irq[i], 1);
	uint8_t level = 0;
	for (int i = 0; i < 4; i++)
		level |= (uint8_t)(1u << (pirq_irq[i] - 8));
	ioport_write(io, ELCR2, ioport_read(io, ELCR2, 1) | level, 1);
}

/* Returns the BAR slots used (2 for a 64-bit memory BAR). */
static int setup_bar(struct pci_bus *bus, uint8_t devfn, uint8_t off, struct alloc *a)
{
	wr(bus, devfn, off, 0xffffffffu, 4);
	uint32_t v = rd(bus, devfn, off, 4);
	if (v == 0)
		return 1;
	if (v & 1) {
		/* I/O: 16-bit decode, aligned upwards to its size. */
		uint32_t size = (uint32_t)(-(v & 0xfffcu)) & 0xffffu;
		if (size == 0)
			return 1;
		uint32_t at = (a->io_next + size - 1) & ~(size - 1);
		if (at + size > 0xffff) {
			wr(bus, devfn, off, 0, 4);
			return 1;
		}
		wr(bus, devfn, off, at, 4);
		a->io_next = at + size;
		return 1;
	}
	uint32_t size = (uint32_t)-(v & 0xfffffff0u);
	bool is64 = (v & 0x06) == 0x04;
	if (is64 && off + 4 < PCI_BAR0 + 4 * PCI_NUM_BARS)
		wr(bus, devfn, (uint8_t)(off + 4), 0, 4);
	uint32_t at = 0;
	if (size && size <= a->mem_top - PCI_POST_MEM_BOTTOM) {
		at = (a->mem_top - size) & ~(size - 1);
		if (at < PCI_POST_MEM_BOTTOM)
			at = 0;
	}
	wr(bus, devfn, off, at, 4);
	if (at)
		a->mem_top = at;
	return is64 ? 2 : 1;
}

static void setup_function(struct pci_bus *bus, uint8_t devfn, struct alloc *a)
{
	if ((rd(bus, devfn, PCI_HEADER_TYPE, 1) & 0x7f) == 0) {
		for (int bar = 0; bar < PCI_NUM_BARS;)
			bar += setup_bar(bus, devfn, (uint8_t)(PCI_BAR0 + 4 * bar), a);
	}
	uint8_t cls = (uint8_t)rd(bus, devfn, PCI_CLASS_PROG + 2, 1);
	uint16_t cmd = PCI_CMD_IO | PCI_CMD_MEM;
	if (cls == 0x01 || cls == 0x02)
		cmd |= PCI_CMD_MASTER;
	wr(bus, devfn, PCI_COMMAND, rd(bus, devfn, PCI_COMMAND, 2) | cmd, 2);
	uint8_t pin = (uint8_t)rd(bus, devfn, PCI_INT_PIN, 1);
	if (pin >= 1 && pin <= 4)
		wr(bus, devfn, PCI_INT_LINE,
		   pirq_irq[pci_pin_pirq((uint8_t)(devfn >> 3), pin)], 1);
}

void pci_post(struct pci_bus *bus, struct ioport_bus *io, uint32_t mem_top)
{
	if (rd(bus, 0, PCI_VENDOR_ID, 2) == 0xffff)
		return;
	route_pirqs(bus, io);
	struct alloc a = { .io_next = PCI_POST_IO_BASE, .mem_top = mem_top };
	for (int devfn = 0; devfn < 256; devfn++) {
		if (rd(bus, (uint8_t)devfn, PCI_VENDOR_ID, 2) != 0xffff)
			setup_function(bus, (uint8_t)devfn, &a);
		/* Functions 1-7 only on multi-function devices. */
		if ((devfn & 7) == 0 && !(rd(bus, (uint8_t)devfn, PCI_HEADER_TYPE, 1) & 0x80))
			devfn |= 7;
	}
}
