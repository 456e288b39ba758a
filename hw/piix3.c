/* PIIX3 functions 0 (ISA bridge: PIRQ routing, ELCR) and 1 (IDE: legacy
 * channels plus the bus master registers at BMIBA). */
#include <stdlib.h>
#include <string.h>

#include "hw/ide.h"
#include "hw/ioport.h"
#include "hw/irq.h"
#include "hw/pic.h"
#include "hw/pci.h"
#include "hw/piix3.h"
#include "util/snapshot.h"

#define PIRQRC 0x60

struct piix3 {
	struct pci_func *isa, *ide_fn;
	struct irq_line *isa_irq[16];
	struct ide_channel *ide[2];
	int pirq_level[4];
	uint16_t driven;	/* ISA IRQs we currently hold high */
	uint8_t elcr[2];
	struct pic *pic;	/* honours the ELCR, if connected */
};

static void elcr_apply(struct piix3 *p)
{
	if (p->pic)
		pic_set_elcr(p->pic, piix3_elcr(p));
}

void piix3_connect_pic(struct piix3 *p, struct pic *pic)
{
	p->pic = pic;
	elcr_apply(p);
}

/* PIRQ routes may only name these ISA inputs (3-7, 9-12, 14, 15). */
static bool routable(int irq)
{
	return irq >= 3 && irq != 8 && irq != 13 && irq <= 15;
}

static void update_routes(struct piix3 *p)
{
	const uint8_t *cfg = pci_config(p->isa);
	uint16_t want = 0;
	for (int i = 0; i < 4; i++) {
		uint8_t r = cfg[PIRQRC + i];
		if (p->pirq_level[i] && !(r & 0x80) && routable(r & 0x0f))
			want |= (uint16_t)(1u << (r & 0x0f));
	}
	for (int irq = 0; irq < 16; irq++) {
		uint16_t bit = (uint16_t)(1u << irq);
		if ((want ^ p->driven) & bit)
			irq_set(p->isa_irq[irq], (want & bit) != 0);
	}
	p->driven = want;
}

static void route(void *opaque, int pirq, int level)
{
	struct piix3 *p = opaque;
	p->pirq_level[pirq & 3] = level;
	update_routes(p);
}

static void isa_config_write(void *opaque, uint8_t off, uint32_t val, int size)
{
	struct piix3 *p = opaque;
	if (off + size > PIRQRC && off < PIRQRC + 4)
		update_routes(p);
}

static void isa_func_reset(void *opaque)
{
	struct piix3 *p = opaque;
	p->elcr[0] = p->elcr[1] = 0;
	elcr_apply(p);
	update_routes(p);
}

static const struct pci_func_ops isa_ops = {
	.config_write = isa_config_write,
	.reset = isa_func_reset,
};

static const struct pci_func_ops ide_fn_ops = { 0 };

static uint32_t elcr_read(void *opaque, uint16_t port, int size)
{
	struct piix3 *p = opaque;
	return p->elcr[port & 1];
}

static void elcr_write(void *opaque, uint16_t port, uint32_t val, int size)
{
	struct piix3 *p = opaque;
	/* IRQ 0, 1, 2 and 8, 13 are always edge triggered. */
	p->elcr[port & 1] = (uint8_t)(val & ((port & 1) ? 0xde : 0xf8));
	elcr_apply(p);
}

static const struct ioport_ops elcr_ops = { .read = elcr_read, .write = elcr_write };

static uint32_t bm_read(void *opaque, uint16_t port, int size)
{
	struct piix3 *p = opaque;
	unsigned off = (unsigned)(port - pci_bar_addr(p->ide_fn, 4)) & 0x0f;
	struct ide_channel *ch = p->ide[off >> 3];
	if (!ch)
		return size == 4 ? 0xffffffffu : size == 2 ? 0xffff : 0xff;
	/* A wide access never spans the two channels' blocks. */
	if ((off & 7) + (unsigned)size > 8)
		size = (int)(8 - (off & 7));
	return ide_bm_read(ch, off & 7, size);
}

static void bm_write(void *opaque, uint16_t port, uint32_t val, int size)
{
	struct piix3 *p = opaque;
	unsigned off = (unsigned)(port - pci_bar_addr(p->ide_fn, 4)) & 0x0f;
	struct ide_channel *ch = p->ide[off >> 3];
	if (!ch)
		return;
	if ((off & 7) + (unsigned)size > 8)
		size = (int)(8 - (off & 7));
	ide_bm_write(ch, off & 7, val, size);
}

static const struct ioport_ops bm_ops = { .read = bm_read, .write = bm_write,
					  .widths = 1 | 2 | 4 };

uint16_t piix3_elcr(const struct piix3 *p)
{
	return (uint16_t)(p->elcr[0] | p->elcr[1] << 8);
}

struct piix3 *piix3_new(struct pci_bus *bus, struct ioport_bus *io,
			struct irq_line *isa_irq[16], struct ide_channel *ide[2])
{
	struct piix3 *p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	memcpy(p->isa_irq, isa_irq, sizeof(p->isa_irq));
	p->ide[0] = ide[0];
	p->ide[1] = ide[1];
	p->isa = pci_add_function(bus, PCI_DEVFN(1, 0), 0x8086, 0x7000, 0x00, 0x060100,
				  &isa_ops, p);
	if (!p->isa)
		goto fail;
	p->ide_fn = pci_add_function(bus, PCI_DEVFN(1, 1), 0x8086, 0x7010, 0x00, 0x010180,
				     &ide_fn_ops, p);
	if (!p->ide_fn || ioport_register(io, 0x4d0, 2, &elcr_ops, p) < 0)
		goto fail;

	uint8_t *cfg = pci_config(p->isa), *wm = pci_config_wmask(p->isa);
	cfg[PCI_COMMAND] = 0x07;	/* the ISA bridge always decodes */
	cfg[PCI_STATUS + 1] = 0x02;
	for (int i = 0x40; i < 0x100; i++)
		wm[i] = 0xff;
	for (int i = 0; i < 4; i++) {
		cfg[PIRQRC + i] = 0x80;	/* routing disabled */
		wm[PIRQRC + i] = 0x8f;
	}
	cfg[0x4c] = 0x4d;		/* IORT */
	cfg[0x4e] = 0x03;		/* XBCS: RTC, keyboard decode */
	cfg[0x69] = 0x02;		/* TOM */
	cfg[0x70] = 0x80;		/* MBIRQ0 disabled */
	cfg[0x76] = cfg[0x77] = 0x0c;	/* MBDMA disabled */
	cfg[0x82] = 0x00;
	cfg[0xa0] = 0x08;

	cfg = pci_config(p->ide_fn);
	wm = pci_config_wmask(p->ide_fn);
	cfg[PCI_STATUS + 1] = 0x02;
	wm[PCI_COMMAND] = PCI_CMD_IO | PCI_CMD_MASTER;
	wm[PCI_COMMAND + 1] = 0;
	/* IDETIM (40h-43h), SIDETIM (44h): timings only, no effect here; the
	 * legacy ports decode whatever IDETIM bit 15 says. */
	for (int i = 0x40; i <= 0x44; i++)
		wm[i] = 0xff;
	if (pci_bar_io(p->ide_fn, 4, 16, &bm_ops, p) < 0)
		goto fail;
	pci_bus_set_router(bus, route, p);
	return p;
fail:
	free(p);
	return NULL;
}

static void piix3_reset(void *dev)
{
	/* Config space is reset by the PCI bus, which calls isa_func_reset. */
	(void)dev;
}

static void piix3_save(void *dev, struct snap *s)
{
	struct piix3 *p = dev;
	snap_put_bytes(s, p->elcr, 2);
}

static int piix3_load(void *dev, struct snap *s)
{
	struct piix3 *p = dev;
	snap_get_bytes(s, p->elcr, 2);
	p->elcr[0] &= 0xf8;
	p->elcr[1] &= 0xde;
	elcr_apply(p);
	update_routes(p);
	return snap_ok(s) ? 0 : -1;
}

static void piix3_free(void *dev)
{
	free(dev);
}

const struct device_desc piix3_desc = {
	.name = "piix3",
	.reset = piix3_reset,
	.save = piix3_save,
	.load = piix3_load,
	.free = piix3_free,
};
