/* PCI bus 0: configuration mechanism #1, standard header, BAR decoding. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hw/pci.h"
#include "util/log.h"
#include "util/snapshot.h"
#include "util/le.h"

enum bar_kind { BAR_NONE, BAR_IO, BAR_MEM };

struct pci_bar {
	enum bar_kind kind;
	uint32_t size;
	bool prefetch;
	const struct ioport_ops *io_ops;
	void (*map)(void *opaque, int bar, uint32_t addr);
	void *opaque;
	uint32_t addr;		/* where it decodes now, or PCI_BAR_UNMAPPED */
};

struct pci_func {
	struct pci_bus *bus;
	uint8_t devfn;
	uint8_t cfg[256], wmask[256], w1c[256];
	uint8_t power_on[256];
	bool have_power_on;
	const struct pci_func_ops *ops;
	void *opaque;
	struct pci_bar bar[PCI_NUM_BARS];
	int irq_level;
};

struct pci_bus {
	struct ioport_bus *io;
	struct mem *mem;
	struct pci_func *fn[256];
	uint32_t addr;		/* CF8h */
	uint8_t rcr;		/* CF9h */
	void (*reset)(void *opaque);
	void *reset_opaque;
	void (*route)(void *opaque, int pirq, int level);
	void *route_opaque;
	int pirq_count[4];	/* functions asserting each PIRQ */
};

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* The address a BAR should decode at given the config space, or
 * PCI_BAR_UNMAPPED: decoding off, address 0, or a range that does not fit
 * (which is also what the all-ones size probe looks like). */
static uint32_t bar_target(const struct pci_func *f, int i)
{
	const struct pci_bar *b = &f->bar[i];
	uint16_t cmd = (uint16_t)(f->cfg[PCI_COMMAND] | f->cfg[PCI_COMMAND + 1] << 8);
	uint32_t v = get32(&f->cfg[PCI_BAR0 + 4 * i]);
	if (b->kind == BAR_IO) {
		uint32_t a = v & ~3u & ~(b->size - 1);
		if (!(cmd & PCI_CMD_IO) || a == 0 || (uint64_t)a + b->size > 0x10000)
			return PCI_BAR_UNMAPPED;
		return a;
	}
	if (b->kind == BAR_MEM) {
		uint32_t a = v & ~0xfu & ~(b->size - 1);
		if (!(cmd & PCI_CMD_MEM) || a == 0 || (uint64_t)a + b->size >= 0x100000000ull)
			return PCI_BAR_UNMAPPED;
		return a;
	}
	return PCI_BAR_UNMAPPED;
}

static void update_bars(struct pci_func *f)
{
	struct pci_bus *bus = f->bus;
	for (int i = 0; i < PCI_NUM_BARS; i++) {
		struct pci_bar *b = &f->bar[i];
		if (b->kind == BAR_NONE)
			continue;
		uint32_t want = bar_target(f, i);
		if (want == b->addr)
			continue;
		if (b->kind == BAR_IO) {
			if (b->addr != PCI_BAR_UNMAPPED)
				ioport_unregister(bus->io, (uint16_t)b->addr, (uint16_t)b->size);
			b->addr = PCI_BAR_UNMAPPED;
			if (want != PCI_BAR_UNMAPPED) {
				if (ioport_register(bus->io, (uint16_t)want, (uint16_t)b->size,
						    b->io_ops, b->opaque) == 0)
					b->addr = want;
				else
					log_debug("pci %02x.%x: BAR%d at %#x clashes "
						  "with a device", f->devfn >> 3,
						  f->devfn & 7, i, want);
			}
		} else {
			if (b->addr != PCI_BAR_UNMAPPED)
				mem_unmap(bus->mem, b->addr, b->size);
			b->addr = want;
			if (b->map)
				b->map(b->opaque, i, want);
		}
	}
}

struct pci_func *pci_add_function(struct pci_bus *bus, uint8_t devfn, uint16_t vendor,
				  uint16_t device, uint8_t revision, uint32_t class_code,
				  const struct pci_func_ops *ops, void *opaque)
{
	if (bus->fn[devfn])
		return NULL;
	struct pci_func *f = calloc(1, sizeof(*f));
	if (!f)
		return NULL;
	f->bus = bus;
	f->devfn = devfn;
	f->ops = ops;
	f->opaque = opaque;
	le_put16(&f->cfg[PCI_VENDOR_ID], vendor);
	le_put16(&f->cfg[PCI_DEVICE_ID], device);
	/* QEMU's subsystem IDs (Red Hat, "QEMU virtual machine"), which
	 * SeaBIOS checks on 00:00.0 before it uses fw_cfg; a device may
	 * overwrite them. */
	le_put16(&f->cfg[PCI_SUBSYS_VENDOR], 0x1af4);
	le_put16(&f->cfg[PCI_SUBSYS_ID], 0x1100);
	f->cfg[PCI_REVISION] = revision;
	f->cfg[PCI_CLASS_PROG] = class_code & 0xff;
	f->cfg[PCI_CLASS_PROG + 1] = (class_code >> 8) & 0xff;
	f->cfg[PCI_CLASS_PROG + 2] = (class_code >> 16) & 0xff;
	/* Command: I/O, memory, bus master, parity, SERR, INTx disable. */
	le_put16(&f->wmask[PCI_COMMAND], 0x0547);
	/* Status: error bits are write-one-to-clear. */
	le_put16(&f->w1c[PCI_STATUS], 0xf900);
	f->wmask[0x0c] = 0xff;	/* cache line size */
	f->wmask[0x0d] = 0xff;	/* latency timer */
	f->wmask[PCI_INT_LINE] = 0xff;
	for (int i = 0; i < PCI_NUM_BARS; i++)
		f->bar[i].addr = PCI_BAR_UNMAPPED;
	bus->fn[devfn] = f;
	/* Function 0 of a multi-function device says so in its header type. */
	if (devfn & 7) {
		struct pci_func *f0 = bus->fn[devfn & ~7];
		if (f0)
			f0->cfg[PCI_HEADER_TYPE] |= 0x80;
	}
	return f;
}

uint8_t *pci_config(struct pci_func *f)
{
	return f->cfg;
}

uint8_t *pci_config_wmask(struct pci_func *f)
{
	return f->wmask;
}

static int bar_common(struct pci_func *f, int bar, uint32_t size, uint32_t min)
{
	if (bar < 0 || bar >= PCI_NUM_BARS || size < min || (size & (size - 1)))
		return -EINVAL;
	if (f->bar[bar].kind != BAR_NONE)
		return -EBUSY;
	return 0;
}

int pci_bar_io(struct pci_func *f, int bar, uint32_t size, const struct ioport_ops *ops,
	       void *opaque)
{
	int err = bar_common(f, bar, size, 4);
	if (err || size > 256)
		return err ? err : -EINVAL;
	struct pci_bar *b = &f->bar[bar];
	b->kind = BAR_IO;
	b->size = size;
	b->io_ops = ops;
	b->opaque = opaque;
	le_put32(&f->cfg[PCI_BAR0 + 4 * bar], 1);
	le_put32(&f->wmask[PCI_BAR0 + 4 * bar], ~(size - 1) & ~3u);
	return 0;
}

int pci_bar_mem(struct pci_func *f, int bar, uint32_t size, bool prefetch,
		void (*map)(void *opaque, int bar, uint32_t addr), void *opaque)
{
	int err = bar_common(f, bar, size, MEM_PAGE_SIZE);
	if (err)
		return err;
	struct pci_bar *b = &f->bar[bar];
	b->kind = BAR_MEM;
	b->size = size;
	b->prefetch = prefetch;
	b->map = map;
	b->opaque = opaque;
	le_put32(&f->cfg[PCI_BAR0 + 4 * bar], prefetch ? 0x8 : 0);
	le_put32(&f->wmask[PCI_BAR0 + 4 * bar], ~(size - 1));
	return 0;
}

uint32_t pci_bar_addr(const struct pci_func *f, int bar)
{
	if (bar < 0 || bar >= PCI_NUM_BARS)
		return PCI_BAR_UNMAPPED;
	return f->bar[bar].addr;
}

void pci_bus_set_router(struct pci_bus *bus, void (*route)(void *opaque, int pirq, int level),
			void *opaque)
{
	bus->route = route;
	bus->route_opaque = opaque;
}

void pci_set_irq(struct pci_func *f, int level)
{
	level = level != 0;
	if (level == f->irq_level)
		return;
	f->irq_level = level;
	uint8_t pin = f->cfg[PCI_INT_PIN];
	if (pin < 1 || pin > 4)
		return;
	struct pci_bus *bus = f->bus;
	int pirq = pci_pin_pirq((uint8_t)(f->devfn >> 3), (uint8_t)pin);
	bus->pirq_count[pirq] += level ? 1 : -1;
	if (bus->route)
		bus->route(bus->route_opaque, pirq, bus->pirq_count[pirq] > 0);
}

uint32_t pci_bus_config_read(struct pci_bus *bus, uint8_t devfn, uint8_t off, int size)
{
	struct pci_func *f = bus->fn[devfn];
	if (!f)
		return size == 4 ? 0xffffffffu : size == 2 ? 0xffff : 0xff;
	uint32_t v = 0;
	for (int i = 0; i < size; i++)
		v |= (uint32_t)f->cfg[(uint8_t)(off + i)] << (8 * i);
	return v;
}

void pci_bus_config_write(struct pci_bus *bus, uint8_t devfn, uint8_t off, uint32_t val,
			  int size)
{
	struct pci_func *f = bus->fn[devfn];
	if (!f)
		return;
	bool remap = false;
	for (int i = 0; i < size; i++) {
		uint8_t o = (uint8_t)(off + i);
		uint8_t b = (uint8_t)(val >> (8 * i));
		f->cfg[o] = (uint8_t)((f->cfg[o] & ~f->wmask[o]) | (b & f->wmask[o]));
		f->cfg[o] &= (uint8_t)~(b & f->w1c[o]);
		if (o == PCI_COMMAND || (o >= PCI_BAR0 && o < PCI_BAR0 + 4 * PCI_NUM_BARS))
			remap = true;
	}
	if (remap)
		update_bars(f);
	if (f->ops && f->ops->config_write)
		f->ops->config_write(f->opaque, off, val, size);
}

static uint32_t pci_port_read(void *opaque, uint16_t port, int size)
{
	struct pci_bus *bus = opaque;
	if (port == 0xcf8 && size == 4)
		return bus->addr;
	if (port == 0xcf9 && size == 1)
		return bus->rcr;
	if (port < 0xcfc) {
		/* Byte/word accesses to CF8h-CFBh are not configuration cycles. */
		return size == 4 ? 0xffffffffu : size == 2 ? 0xffff : 0xff;
	}
	if (!(bus->addr & 0x80000000u) || (bus->addr >> 16 & 0xff) != 0)
		return size == 4 ? 0xffffffffu : size == 2 ? 0xffff : 0xff;
	uint8_t off = (uint8_t)((bus->addr & 0xfc) | (port & 3));
	return pci_bus_config_read(bus, (uint8_t)(bus->addr >> 8), off, size);
}

static void pci_port_write(void *opaque, uint16_t port, uint32_t val, int size)
{
	struct pci_bus *bus = opaque;
	if (port == 0xcf8 && size == 4) {
		bus->addr = val & 0x80fffffcu;
		return;
	}
	if (port == 0xcf9 && size == 1) {
		/* PIIX reset control: bit 2 going high resets the system. */
		bool go = (val & 4) && !(bus->rcr & 4);
		bus->rcr = val & 0x02;
		if (go && bus->reset)
			bus->reset(bus->reset_opaque);
		return;
	}
	if (port < 0xcfc || !(bus->addr & 0x80000000u) || (bus->addr >> 16 & 0xff) != 0)
		return;
	uint8_t off = (uint8_t)((bus->addr & 0xfc) | (port & 3));
	pci_bus_config_write(bus, (uint8_t)(bus->addr >> 8), off, val, size);
}

static const struct ioport_ops pci_port_ops = {
	.read = pci_port_read, .write = pci_port_write, .widths = 1 | 2 | 4,
};

struct pci_bus *pci_bus_new(struct ioport_bus *io, struct mem *mem,
			    void (*reset)(void *opaque), void *reset_opaque)
{
	struct pci_bus *bus = calloc(1, sizeof(*bus));
	if (!bus)
		return NULL;
	bus->io = io;
	bus->mem = mem;
	bus->reset = reset;
	bus->reset_opaque = reset_opaque;
	if (ioport_register(io, 0xcf8, 8, &pci_port_ops, bus) < 0) {
		free(bus);
		return NULL;
	}
	return bus;
}

static void unmap_all(struct pci_func *f)
{
	/* Decoding off first, so update_bars releases every range. */
	f->cfg[PCI_COMMAND] &= (uint8_t)~(PCI_CMD_IO | PCI_CMD_MEM);
	update_bars(f);
}

static void pci_bus_reset(void *dev)
{
	struct pci_bus *bus = dev;
	bus->addr = 0;
	bus->rcr = 0;
	for (int i = 0; i < 256; i++) {
		struct pci_func *f = bus->fn[i];
		if (!f)
			continue;
		unmap_all(f);
		/* The first reset records the power-on contents the device set. */
		if (!f->have_power_on) {
			memcpy(f->power_on, f->cfg, 256);
			f->have_power_on = true;
		} else {
			memcpy(f->cfg, f->power_on, 256);
		}
		update_bars(f);
		if (f->ops && f->ops->reset)
			f->ops->reset(f->opaque);
	}
}

static void pci_bus_save(void *dev, struct snap *s)
{
	struct pci_bus *bus = dev;
	snap_put_u32(s, bus->addr);
	snap_put_u8(s, bus->rcr);
	for (int i = 0; i < 256; i++) {
		struct pci_func *f = bus->fn[i];
		if (!f)
			continue;
		snap_put_u8(s, (uint8_t)i);
		snap_put_bytes(s, f->cfg, 256);
		snap_put_u8(s, (uint8_t)f->irq_level);
	}
}

static int pci_bus_load(void *dev, struct snap *s)
{
	struct pci_bus *bus = dev;
	bus->addr = snap_get_u32(s) & 0x80fffffcu;
	bus->rcr = snap_get_u8(s) & 0x02;
	memset(bus->pirq_count, 0, sizeof(bus->pirq_count));
	for (int i = 0; i < 256; i++) {
		struct pci_func *f = bus->fn[i];
		if (!f)
			continue;
		if (snap_get_u8(s) != i)
			return -EINVAL;
		unmap_all(f);
		uint8_t cfg[256];
		snap_get_bytes(s, cfg, sizeof(cfg));
		/* Read-only bits stay as the device defines them. */
		for (int o = 0; o < 256; o++)
			f->cfg[o] = (uint8_t)((f->cfg[o] & ~f->wmask[o]) | (cfg[o] & f->wmask[o]));
		f->cfg[PCI_STATUS] = cfg[PCI_STATUS];
		f->cfg[PCI_STATUS + 1] = cfg[PCI_STATUS + 1];
		f->irq_level = 0;
		int level = snap_get_u8(s) & 1;
		if (!snap_ok(s))
			return -EINVAL;
		update_bars(f);
		pci_set_irq(f, level);
	}
	return snap_ok(s) ? 0 : -EINVAL;
}

static void pci_bus_free(void *dev)
{
	struct pci_bus *bus = dev;
	for (int i = 0; i < 256; i++)
		free(bus->fn[i]);
	free(bus);
}

const struct device_desc pci_bus_desc = {
	.name = "pci",
	.reset = pci_bus_reset,
	.save = pci_bus_save,
	.load = pci_bus_load,
	.free = pci_bus_free,
};
