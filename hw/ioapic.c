/* 82093AA I/O APIC (hw/ioapic.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hw/ioapic.h"
#include "hw/lapic.h"
#include "hw/memory.h"
#include "util/snapshot.h"

#define RTE_VECTOR 0xffu
#define RTE_LOGICAL (1ull << 11)
#define RTE_REMOTE_IRR (1ull << 14)
#define RTE_LEVEL (1ull << 15)
#define RTE_MASKED (1ull << 16)
/* Bits software may write: all but delivery status (12), remote IRR (14)
 * and the reserved 17-55. */
#define RTE_WRITABLE (0xff000000000000ffull | 0x700 | RTE_LOGICAL | (1ull << 13) | \
		      RTE_LEVEL | RTE_MASKED)

struct ioapic {
	struct apic_bus *bus;
	uint8_t id, arb_id;
	uint8_t sel;
	uint32_t lines;		/* asserted inputs */
	uint64_t rte[IOAPIC_PINS];
};

/* Sends pin's message if its state calls for one now. */
static void service(struct ioapic *io, int pin)
{
	uint64_t e = io->rte[pin];
	if (e & RTE_MASKED)
		return;
	bool level = (e & RTE_LEVEL) != 0;
	if (level) {
		if (!(io->lines >> pin & 1) || (e & RTE_REMOTE_IRR))
			return;
		io->rte[pin] |= RTE_REMOTE_IRR;
	}
	apic_bus_deliver(io->bus, (uint8_t)(e >> 56), (e & RTE_LOGICAL) != 0,
			 (enum apic_delivery)((e >> 8) & 7), (uint8_t)(e & RTE_VECTOR), level);
}

void ioapic_set_irq(void *opaque, int pin, int level)
{
	struct ioapic *io = opaque;
	if (pin < 0 || pin >= IOAPIC_PINS)
		return;
	uint32_t bit = 1u << pin;
	bool was = (io->lines & bit) != 0;
	if (level)
		io->lines |= bit;
	else
		io->lines &= ~bit;
	if (level && (!was || (io->rte[pin] & RTE_LEVEL)))
		service(io, pin);
}

void ioapic_eoi(void *opaque, uint8_t vector)
{
	struct ioapic *io = opaque;
	for (int pin = 0; pin < IOAPIC_PINS; pin++) {
		uint64_t e = io->rte[pin];
		if ((e & RTE_LEVEL) && (e & RTE_REMOTE_IRR) && (uint8_t)e == vector) {
			io->rte[pin] &= ~RTE_REMOTE_IRR;
			service(io, pin);
		}
	}
}

static uint32_t reg_read(struct ioapic *io)
{
	uint8_t r = io->sel;
	switch (r) {
	case 0x00: return (uint32_t)io->id << 24;
	case 0x01: return ((IOAPIC_PINS - 1u) << 16) | 0x11;
	case 0x02: return (uint32_t)io->arb_id << 24;
	}
	if (r >= 0x10 && r < 0x10 + 2 * IOAPIC_PINS) {
		uint64_t e = io->rte[(r - 0x10) >> 1];
		return r & 1 ? (uint32_t)(e >> 32) : (uint32_t)e;
	}
	return 0;
}

static void reg_write(struct ioapic *io, uint32_t v)
{
	uint8_t r = io->sel;
	if (r == 0x00) {
		io->id = (v >> 24) & 0x0f;
		return;
	}
	if (r < 0x10 || r >= 0x10 + 2 * IOAPIC_PINS)
		return;	/* version and arbitration ID are read-only */
	int pin = (r - 0x10) >> 1;
	uint64_t e = io->rte[pin];
	uint64_t w = r & 1 ? (e & 0xffffffffull) | ((uint64_t)v << 32)
			   : (e & 0xffffffff00000000ull) | v;
	io->rte[pin] = (e & ~RTE_WRITABLE) | (w & RTE_WRITABLE);
	/* An edge entry has no remote IRR; a level input still asserted when
	 * it is unmasked or reprogrammed is sent now. */
	if (!(io->rte[pin] & RTE_LEVEL))
		io->rte[pin] &= ~RTE_REMOTE_IRR;
	else
		service(io, pin);
}

static uint32_t ioapic_mmio_read(void *opaque, uint32_t addr, int size)
{
	struct ioapic *io = opaque;
	uint32_t v;
	if ((addr & ~3u) == 0x00)
		v = io->sel;
	else if ((addr & ~3u) == 0x10)
		v = reg_read(io);
	else
		return 0;
	v >>= 8 * (addr & 3);
	return size == 4 ? v : v & ((1u << (8 * size)) - 1);
}

static void ioapic_mmio_write(void *opaque, uint32_t addr, uint32_t val, int size)
{
	struct ioapic *io = opaque;
	(void)size;
	if (addr == 0x00)
		io->sel = (uint8_t)val;
	else if (addr == 0x10)
		reg_write(io, val);
}

static const struct mmio_ops ioapic_ops = {
	.read = ioapic_mmio_read,
	.write = ioapic_mmio_write,
	.widths = 1 | 2 | 4,
};

static void ioapic_reset(void *opaque)
{
	struct ioapic *io = opaque;
	io->sel = 0;
	io->arb_id = io->id;
	for (int i = 0; i < IOAPIC_PINS; i++)
		io->rte[i] = RTE_MASKED;
}

struct ioapic *ioapic_new(struct mem *mem, uint32_t base, uint8_t id, struct apic_bus *bus)
{
	struct ioapic *io = calloc(1, sizeof(*io));
	if (!io)
		return NULL;
	io->bus = bus;
	io->id = id & 0x0f;
	if (mem_map_mmio(mem, base, MEM_PAGE_SIZE, &ioapic_ops, io) < 0) {
		free(io);
		return NULL;
	}
	ioapic_reset(io);
	return io;
}

static void ioapic_save(void *opaque, struct snap *s)
{
	struct ioapic *io = opaque;
	snap_put_u8(s, io->id);
	snap_put_u8(s, io->arb_id);
	snap_put_u8(s, io->sel);
	snap_put_u32(s, io->lines);
	for (int i = 0; i < IOAPIC_PINS; i++)
		snap_put_u64(s, io->rte[i]);
}

static int ioapic_load(void *opaque, struct snap *s)
{
	struct ioapic *io = opaque;
	io->id = snap_get_u8(s) & 0x0f;
	io->arb_id = snap_get_u8(s) & 0x0f;
	io->sel = snap_get_u8(s);
	io->lines = snap_get_u32(s) & ((1u << IOAPIC_PINS) - 1);
	for (int i = 0; i < IOAPIC_PINS; i++)
		io->rte[i] = snap_get_u64(s) & (RTE_WRITABLE | RTE_REMOTE_IRR);
	return snap_ok(s) ? 0 : -EINVAL;
}

static void ioapic_free(void *opaque)
{
	free(opaque);
}

const struct device_desc ioapic_desc = {
	.name = "ioapic",
	.reset = ioapic_reset,
	.save = ioapic_save,
	.load = ioapic_load,
	.free = ioapic_free,
};
