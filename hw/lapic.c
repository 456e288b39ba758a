/* Local APICs and the APIC bus (hw/lapic.h).  Register state is kept as
 * the guest reads it; the CPU's INTR level is recomputed after every
 * change (lapic_update), so the CPU's per-instruction check stays one
 * load of cpu_intr.level. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hw/clock.h"
#include "hw/lapic.h"
#include "hw/machine.h"
#include "hw/memory.h"
#include "util/log.h"
#include "util/snapshot.h"

#define LVT_MASKED (1u << 16)
#define LVT_LEVEL (1u << 15)
#define LVT_PERIODIC (1u << 17)
#define SVR_ENABLE (1u << 8)
#define SVR_NO_FOCUS (1u << 9)
#define ESR_SEND_ILLEGAL (1u << 5)
#define ESR_RECV_ILLEGAL (1u << 6)
#define ESR_ILLEGAL_REG (1u << 7)

enum { LVT_TIMER, LVT_PERF, LVT_LINT0, LVT_LINT1, LVT_ERROR, NR_LVT };

struct lapic {
	struct apic_bus *bus;
	int idx;
	struct x86_state *cpu;
	struct cpu_intr *out;
	struct timer *timer;

	uint64_t base;		/* IA32_APIC_BASE as RDMSR shows it */
	uint8_t id, tpr;
	uint32_t ldr, dfr, svr;
	uint32_t isr[8], tmr[8], irr[8];
	uint32_t esr, esr_pending;
	uint32_t icr_lo, icr_hi;
	uint32_t lvt[NR_LVT];
	uint32_t dcr;
	/* Timer: count at start_ps, counting down at bus_hz / divisor. */
	uint32_t timer_init;
	uint32_t timer_start_count;
	uint64_t timer_start_ps;
	bool timer_running;
};

struct apic_bus {
	struct mem *mem;
	struct clock *clock;
	uint64_t bus_hz;
	uint32_t version;
	volatile int *kick;
	struct lapic *cpu[APIC_MAX_CPUS];
	int ncpus, current;
	uint32_t window;	/* where the MMIO window is mapped; 0: nowhere */
	struct cpu_intr *pic;
	apic_eoi_fn eoi;
	void *eoi_opaque;
	apic_start_fn start;
	void *start_opaque;
};

int apic_highest_vector(const uint32_t reg[8])
{
	for (int i = 7; i >= 0; i--)
		if (reg[i])
			return i * 32 + 31 - __builtin_clz(reg[i]);
	return -1;
}

uint8_t apic_ppr(uint8_t tpr, int isrv)
{
	uint8_t isr_class = isrv < 0 ? 0 : (uint8_t)(isrv & 0xf0);
	return (tpr & 0xf0) >= isr_class ? tpr : isr_class;
}

bool apic_logical_match(uint32_t ldr, uint32_t dfr, uint8_t dest)
{
	uint8_t lid = (uint8_t)(ldr >> 24);
	if (dest == 0xff)
		return true;
	if ((dfr >> 28) == 0xf)		/* flat model: a bit per APIC */
		return (lid & dest) != 0;
	/* Cluster model: cluster in the high nibble, members in the low. */
	return (lid >> 4) == (dest >> 4) && (lid & dest & 0x0f) != 0;
}

unsigned apic_timer_divisor(uint32_t dcr)
{
	unsigned v = (dcr & 3) | ((dcr >> 1) & 4);
	return v == 7 ? 1 : 2u << v;
}

static inline void bit_set(uint32_t *reg, uint8_t v) { reg[v >> 5] |= 1u << (v & 31); }
static inline void bit_clr(uint32_t *reg, uint8_t v) { reg[v >> 5] &= ~(1u << (v & 31)); }
static inline bool bit_test(const uint32_t *reg, uint8_t v)
{
	return (reg[v >> 5] >> (v & 31)) & 1;
}

static bool hw_enabled(const struct lapic *l) { return (l->base & LAPIC_BASE_ENABLE) != 0; }
static bool sw_enabled(const struct lapic *l)
{
	return hw_enabled(l) && (l->svr & SVR_ENABLE);
}

static uint8_t ppr(const struct lapic *l)
{
	return apic_ppr(l->tpr, apic_highest_vector(l->isr));
}

/* The vector the APIC would hand the CPU now, or -1. */
static int deliverable(const struct lapic *l)
{
	if (!sw_enabled(l))
		return -1;
	int v = apic_highest_vector(l->irr);
	if (v < 0 || (v & 0xf0) <= (ppr(l) & 0xf0))
		return -1;
	return v;
}

/* The 8259A reaches the CPU: APIC off, or LINT0 an unmasked ExtINT. */
static bool pic_through(const struct lapic *l)
{
	if (!hw_enabled(l))
		return true;
	uint32_t lint0 = l->lvt[LVT_LINT0];
	return !(lint0 & LVT_MASKED) && ((lint0 >> 8) & 7) == APIC_DM_EXTINT;
}

static void lapic_update(struct lapic *l)
{
	const struct cpu_intr *pic = l->bus->pic;
	l->out->level = deliverable(l) >= 0 || (pic && pic->level && pic_through(l));
}

static void lapic_error(struct lapic *l, uint32_t bits);

/* A fixed or lowest-priority interrupt arriving at this APIC. */
static void accept_fixed(struct lapic *l, uint8_t vector, bool level)
{
	if (!sw_enabled(l))
		return;
	if (vector < 16) {
		lapic_error(l, ESR_RECV_ILLEGAL);
		return;
	}
	bit_set(l->irr, vector);
	if (level)
		bit_set(l->tmr, vector);
	else
		bit_clr(l->tmr, vector);
	lapic_update(l);
}

static void accept(struct lapic *l, enum apic_delivery mode, uint8_t vector, bool level)
{
	struct apic_bus *b = l->bus;
	if (!hw_enabled(l))
		return;
	switch (mode) {
	case APIC_DM_FIXED:
	case APIC_DM_LOWEST:
		accept_fixed(l, vector, level);
		break;
	case APIC_DM_NMI:
		l->cpu->nmi_pending = 1;
		*b->kick = 1;
		break;
	case APIC_DM_INIT:
		if (b->start)
			b->start(b->start_opaque, l->idx, false, 0);
		*b->kick = 1;
		break;
	case APIC_DM_STARTUP:
		if (b->start)
			b->start(b->start_opaque, l->idx, true, vector);
		*b->kick = 1;
		break;
	default:	/* SMI, ExtINT messages: not modelled */
		break;
	}
}

/* Error interrupt: ESR bits are latched until the next ESR write. */
static void lapic_error(struct lapic *l, uint32_t bits)
{
	l->esr_pending |= bits;
	uint32_t lvt = l->lvt[LVT_ERROR];
	if (!(lvt & LVT_MASKED) && (lvt & 0xff) >= 16)
		accept_fixed(l, (uint8_t)lvt, false);
}

/* CPUs a message for dest selects, as a bit mask of indices. */
static uint32_t targets(const struct apic_bus *b, uint8_t dest, bool logical)
{
	uint32_t mask = 0;
	for (int i = 0; i < b->ncpus; i++) {
		const struct lapic *l = b->cpu[i];
		if (logical ? apic_logical_match(l->ldr, l->dfr, dest)
			    : dest == 0xff || dest == l->id)
			mask |= 1u << i;
	}
	return mask;
}

/* Lowest priority: the focus processor (one already holding the vector)
 * if focus checking is on, else the lowest processor priority, ties to the
 * lowest index (the arbitration IDs rotate on real parts; a fixed choice
 * keeps runs deterministic). */
static int lowest_priority(const struct apic_bus *b, uint32_t mask, uint8_t vector)
{
	int best = -1;
	for (int i = 0; i < b->ncpus; i++) {
		const struct lapic *l = b->cpu[i];
		if (!(mask >> i & 1) || !sw_enabled(l))
			continue;
		if (!(l->svr & SVR_NO_FOCUS) &&
		    (bit_test(l->isr, vector) || bit_test(l->irr, vector)))
			return i;
		if (best < 0 || ppr(l) < ppr(b->cpu[best]))
			best = i;
	}
	return best;
}

static void deliver_mask(struct apic_bus *b, uint32_t mask, enum apic_delivery mode,
			 uint8_t vector, bool level)
{
	if (mode == APIC_DM_LOWEST) {
		int i = lowest_priority(b, mask, vector);
		mask = i < 0 ? 0 : 1u << i;
	}
	for (int i = 0; i < b->ncpus; i++)
		if (mask >> i & 1)
			accept(b->cpu[i], mode, vector, level);
}

void apic_bus_deliver(struct apic_bus *b, uint8_t dest, bool logical, enum apic_delivery mode,
		      uint8_t vector, bool level)
{
	deliver_mask(b, targets(b, dest, logical), mode, vector, level);
}

int apic_bus_msi(struct apic_bus *b, uint64_t addr, uint32_t data)
{
	if ((addr >> 20) != 0xfee)
		return -1;
	apic_bus_deliver(b, (uint8_t)(addr >> 12), (addr >> 2) & 1,
			 (enum apic_delivery)((data >> 8) & 7), (uint8_t)data, (data >> 15) & 1);
	return 0;
}

/* ICR low written: send the IPI it describes. */
static void send_ipi(struct lapic *l)
{
	struct apic_bus *b = l->bus;
	uint32_t lo = l->icr_lo;
	enum apic_delivery mode = (enum apic_delivery)((lo >> 8) & 7);
	uint8_t vector = (uint8_t)lo;
	bool level = (lo >> 15) & 1, assert = (lo >> 14) & 1;
	uint32_t all = (1u << b->ncpus) - 1, mask;

	switch ((lo >> 18) & 3) {
	case 1: mask = 1u << l->idx; break;			/* self */
	case 2: mask = all; break;				/* all including self */
	case 3: mask = all & ~(1u << l->idx); break;		/* all excluding self */
	default: mask = targets(b, (uint8_t)(l->icr_hi >> 24), (lo >> 11) & 1); break;
	}
	if ((mode == APIC_DM_FIXED || mode == APIC_DM_LOWEST) && vector < 16) {
		lapic_error(l, ESR_SEND_ILLEGAL);
		return;
	}
	/* INIT level de-assert (level, assert clear) only resynchronises the
	 * arbitration IDs; every other level-triggered IPI is edge-like. */
	if (mode == APIC_DM_INIT && level && !assert)
		return;
	deliver_mask(b, mask, mode, vector, false);
}

static void lapic_eoi(struct lapic *l)
{
	int v = apic_highest_vector(l->isr);
	if (v < 0)
		return;
	bit_clr(l->isr, (uint8_t)v);
	if (bit_test(l->tmr, (uint8_t)v) && l->bus->eoi)
		l->bus->eoi(l->bus->eoi_opaque, (uint8_t)v);
	lapic_update(l);
}

/* INTA: the highest deliverable vector moves from IRR to ISR; else the
 * 8259A answers (ExtINT), else the spurious vector. */
static uint8_t lapic_ack(void *opaque)
{
	struct lapic *l = opaque;
	struct cpu_intr *pic = l->bus->pic;
	int v = deliverable(l);
	if (v >= 0) {
		bit_clr(l->irr, (uint8_t)v);
		bit_set(l->isr, (uint8_t)v);
		lapic_update(l);
		return (uint8_t)v;
	}
	if (pic && pic->level && pic_through(l) && pic->ack)
		return pic->ack(pic->opaque);	/* its changed hook updates us */
	return (uint8_t)l->svr;
}

/* ---- timer ---- */

static uint64_t timer_hz(const struct lapic *l)
{
	return l->bus->bus_hz / apic_timer_divisor(l->dcr);
}

static uint32_t timer_current(const struct lapic *l)
{
	if (!l->timer_running)
		return 0;
	uint64_t now = clock_now(l->bus->clock);
	uint64_t ticks = clock_ps_to_ticks(now - l->timer_start_ps, timer_hz(l));
	if (ticks < l->timer_start_count)
		return l->timer_start_count - (uint32_t)ticks;
	if (!(l->lvt[LVT_TIMER] & LVT_PERIODIC) || !l->timer_init)
		return 0;
	ticks -= l->timer_start_count;
	return l->timer_init - (uint32_t)(ticks % l->timer_init);
}

static void timer_arm(struct lapic *l)
{
	if (!l->timer_running || !l->timer_start_count) {
		timer_del(l->timer);
		return;
	}
	timer_mod(l->timer, l->timer_start_ps +
		  clock_ticks_to_ps(l->timer_start_count, timer_hz(l)));
}

/* Starts counting down from count now. */
static void timer_start(struct lapic *l, uint32_t count)
{
	l->timer_start_ps = clock_now(l->bus->clock);
	l->timer_start_count = count;
	l->timer_running = count != 0;
	timer_arm(l);
}

static void lapic_timer_fire(void *opaque)
{
	struct lapic *l = opaque;
	uint32_t lvt = l->lvt[LVT_TIMER];
	/* The expiry time, not now: periods do not drift. */
	uint64_t at = l->timer_start_ps + clock_ticks_to_ps(l->timer_start_count, timer_hz(l));

	if (!(lvt & LVT_MASKED))
		accept_fixed(l, (uint8_t)lvt, false);
	if ((lvt & LVT_PERIODIC) && l->timer_init) {
		l->timer_start_ps = at;
		l->timer_start_count = l->timer_init;
		timer_arm(l);
	} else {
		l->timer_running = false;
	}
}

/* ---- registers ---- */

static uint32_t lvt_offset_index(uint32_t off)
{
	switch (off) {
	case LAPIC_LVT_TIMER: return LVT_TIMER;
	case LAPIC_LVT_PERF: return LVT_PERF;
	case LAPIC_LVT_LINT0: return LVT_LINT0;
	case LAPIC_LVT_LINT1: return LVT_LINT1;
	case LAPIC_LVT_ERROR: return LVT_ERROR;
	default: return NR_LVT;
	}
}

static uint32_t reg_read(struct lapic *l, uint32_t off)
{
	uint32_t lvt = lvt_offset_index(off);
	if (lvt < NR_LVT)
		return l->lvt[lvt];
	if (off >= LAPIC_ISR && off < LAPIC_ISR + 0x80)
		return l->isr[(off - LAPIC_ISR) >> 4];
	if (off >= LAPIC_TMR && off < LAPIC_TMR + 0x80)
		return l->tmr[(off - LAPIC_TMR) >> 4];
	if (off >= LAPIC_IRR && off < LAPIC_IRR + 0x80)
		return l->irr[(off - LAPIC_IRR) >> 4];
	switch (off) {
	case LAPIC_ID: return (uint32_t)l->id << 24;
	case LAPIC_VERSION: return l->bus->version;
	case LAPIC_TPR: return l->tpr;
	case LAPIC_APR: return ppr(l);
	case LAPIC_PPR: return ppr(l);
	case LAPIC_LDR: return l->ldr;
	case LAPIC_DFR: return l->dfr;
	case LAPIC_SVR: return l->svr;
	case LAPIC_ESR: return l->esr;
	case LAPIC_ICR_LO: return l->icr_lo;
	case LAPIC_ICR_HI: return l->icr_hi;
	case LAPIC_TIMER_INIT: return l->timer_init;
	case LAPIC_TIMER_CUR: return timer_current(l);
	case LAPIC_TIMER_DIV: return l->dcr;
	default: return 0;
	}
}

/* Software disable (SVR bit 8 clear) masks every LVT entry. */
static void mask_all_lvt(struct lapic *l)
{
	for (int i = 0; i < NR_LVT; i++)
		l->lvt[i] |= LVT_MASKED;
}

static void reg_write(struct lapic *l, uint32_t off, uint32_t v)
{
	uint32_t lvt = lvt_offset_index(off);
	if (lvt < NR_LVT) {
		static const uint32_t writable[NR_LVT] = {
			[LVT_TIMER] = 0x300ff,	/* vector, mask, periodic */
			[LVT_PERF] = 0x107ff,
			[LVT_LINT0] = 0x1a7ff,	/* vector, mode, polarity, trigger, mask */
			[LVT_LINT1] = 0x1a7ff,
			[LVT_ERROR] = 0x100ff,
		};
		uint32_t keep = l->lvt[lvt] & 0x1000;	/* delivery status (RO) */
		if (!(l->svr & SVR_ENABLE))
			v |= LVT_MASKED;
		bool periodic_was = l->lvt[LVT_TIMER] & LVT_PERIODIC;
		l->lvt[lvt] = (v & writable[lvt]) | keep;
		if (lvt == LVT_TIMER && periodic_was != !!(v & LVT_PERIODIC) &&
		    l->timer_running) {
			/* The count goes on from where it is in the new mode. */
			uint32_t cur = timer_current(l);
			timer_start(l, cur);
		}
		lapic_update(l);
		return;
	}
	switch (off) {
	case LAPIC_ID: l->id = (uint8_t)(v >> 24); break;
	case LAPIC_TPR: l->tpr = (uint8_t)v; lapic_update(l); break;
	case LAPIC_EOI: lapic_eoi(l); break;
	case LAPIC_LDR: l->ldr = v & 0xff000000u; break;
	case LAPIC_DFR: l->dfr = v | 0x0fffffffu; break;
	case LAPIC_SVR:
		/* Vector bits 3-0 are hard-wired to 1 on the P6 and Pentium. */
		l->svr = (v & 0x3f0) | 0x0f;
		if (!(l->svr & SVR_ENABLE))
			mask_all_lvt(l);
		lapic_update(l);
		break;
	case LAPIC_ESR:
		l->esr = l->esr_pending;
		l->esr_pending = 0;
		break;
	case LAPIC_ICR_LO:
		l->icr_lo = v & 0x000ccfffu;	/* delivery status (12) reads idle */
		send_ipi(l);
		break;
	case LAPIC_ICR_HI: l->icr_hi = v & 0xff000000u; break;
	case LAPIC_TIMER_INIT:
		l->timer_init = v;
		timer_start(l, v);
		break;
	case LAPIC_TIMER_DIV: {
		uint32_t cur = timer_current(l);
		bool running = l->timer_running;
		l->dcr = v & 0xb;
		if (running)
			timer_start(l, cur);
		break;
	}
	case LAPIC_VERSION: case LAPIC_APR: case LAPIC_PPR: case LAPIC_TIMER_CUR:
		break;	/* read-only */
	default:
		if ((off >= LAPIC_ISR && off < LAPIC_IRR + 0x80))
			break;	/* ISR/TMR/IRR are read-only */
		lapic_error(l, ESR_ILLEGAL_REG);
		break;
	}
}

static struct lapic *window_lapic(struct apic_bus *b)
{
	return b->cpu[b->current < b->ncpus ? b->current : 0];
}

static uint32_t window_read(void *opaque, uint32_t addr, int size)
{
	struct lapic *l = window_lapic(opaque);
	/* Registers sit at 16-byte steps; bytes 4-15 of each read 0. */
	uint32_t v = (addr & 0xc) ? 0 : reg_read(l, addr & 0xff0);
	v >>= 8 * (addr & 3);
	return size == 4 ? v : v & ((1u << (8 * size)) - 1);
}

static void window_write(void *opaque, uint32_t addr, uint32_t val, int size)
{
	struct lapic *l = window_lapic(opaque);
	/* Only aligned 32-bit stores reach a register (SDM 10.4.1). */
	if (size != 4 || (addr & 0xf))
		return;
	reg_write(l, addr & 0xff0, val);
}

static const struct mmio_ops window_ops = {
	.read = window_read,
	.write = window_write,
	.widths = 1 | 2 | 4,
};

static void map_window(struct apic_bus *b, uint32_t base)
{
	if (b->window == base)
		return;
	if (b->window)
		mem_unmap(b->mem, b->window, MEM_PAGE_SIZE);
	b->window = 0;
	if (base && mem_map_mmio(b->mem, base, MEM_PAGE_SIZE, &window_ops, b) == 0)
		b->window = base;
	else if (base)
		log_warn("apic: cannot map the local APIC at %#x", base);
}

/* ---- reset, MSR ---- */

static void lapic_reset_regs(struct lapic *l)
{
	l->id = (uint8_t)l->idx;
	l->tpr = 0;
	l->ldr = 0;
	l->dfr = 0xffffffffu;
	l->svr = 0xff;
	memset(l->isr, 0, sizeof(l->isr));
	memset(l->tmr, 0, sizeof(l->tmr));
	memset(l->irr, 0, sizeof(l->irr));
	l->esr = l->esr_pending = 0;
	l->icr_lo = l->icr_hi = 0;
	for (int i = 0; i < NR_LVT; i++)
		l->lvt[i] = LVT_MASKED;
	/* What firmware sets up on the boot CPU: virtual wire through LINT0
	 * (ExtINT) and NMI on LINT1. */
	if (l->idx == 0) {
		l->lvt[LVT_LINT0] = APIC_DM_EXTINT << 8;
		l->lvt[LVT_LINT1] = APIC_DM_NMI << 8;
	}
	l->dcr = 0;
	l->timer_init = 0;
	l->timer_running = false;
	timer_del(l->timer);
}

static void lapic_reset(void *opaque)
{
	struct lapic *l = opaque;
	l->base = LAPIC_DEFAULT_BASE | LAPIC_BASE_ENABLE | (l->idx == 0 ? LAPIC_BASE_BSP : 0);
	l->cpu->apic_base = l->base;
	lapic_reset_regs(l);
	if (l->idx == 0)
		map_window(l->bus, LAPIC_DEFAULT_BASE);
	lapic_update(l);
}

void lapic_cpu_reset(struct lapic *l)
{
	lapic_reset(l);
}

void lapic_set_base_msr(struct lapic *l, uint64_t v)
{
	bool was = hw_enabled(l);
	/* 32-bit physical addresses; the BSP flag is read-only. */
	l->base = (v & 0xfffff000u) | (v & LAPIC_BASE_ENABLE) | (l->base & LAPIC_BASE_BSP);
	l->cpu->apic_base = l->base;
	if (was && !hw_enabled(l))
		lapic_reset_regs(l);	/* a disabled APIC forgets its state */
	if (hw_enabled(l))
		map_window(l->bus, (uint32_t)(l->base & 0xfffff000u));
	lapic_update(l);
}

uint64_t lapic_base_msr(const struct lapic *l) { return l->base; }
uint8_t lapic_id(const struct lapic *l) { return l->id; }

/* ---- bus ---- */

static void pic_changed(void *opaque)
{
	struct apic_bus *b = opaque;
	for (int i = 0; i < b->ncpus; i++)
		lapic_update(b->cpu[i]);
}

struct apic_bus *apic_bus_new(struct mem *mem, struct clock *clock, uint64_t bus_hz,
			      uint32_t version, volatile int *kick)
{
	struct apic_bus *b = calloc(1, sizeof(*b));
	if (!b)
		return NULL;
	b->mem = mem;
	b->clock = clock;
	b->bus_hz = bus_hz;
	b->version = version;
	b->kick = kick;
	return b;
}

void apic_bus_free(struct apic_bus *b)
{
	free(b);
}

static void bus_free(void *opaque)
{
	apic_bus_free(opaque);
}

const struct device_desc apic_bus_desc = {
	.name = "apic-bus",
	.free = bus_free,
};

struct lapic *apic_bus_add_cpu(struct apic_bus *b, struct x86_state *cpu, struct cpu_intr *out)
{
	if (b->ncpus >= APIC_MAX_CPUS)
		return NULL;
	struct lapic *l = calloc(1, sizeof(*l));
	if (!l)
		return NULL;
	l->timer = timer_new(b->clock, lapic_timer_fire, l);
	if (!l->timer) {
		free(l);
		return NULL;
	}
	l->bus = b;
	l->idx = b->ncpus;
	l->cpu = cpu;
	l->out = out;
	out->ack = lapic_ack;
	out->opaque = l;
	b->cpu[b->ncpus++] = l;
	lapic_reset(l);
	return l;
}

int apic_bus_ncpus(const struct apic_bus *b) { return b->ncpus; }

struct lapic *apic_bus_cpu(struct apic_bus *b, int idx)
{
	return idx >= 0 && idx < b->ncpus ? b->cpu[idx] : NULL;
}

void apic_bus_set_current(struct apic_bus *b, int idx) { b->current = idx; }

void apic_bus_set_pic(struct apic_bus *b, struct cpu_intr *pic)
{
	b->pic = pic;
	pic->changed = pic_changed;
	pic->changed_opaque = b;
	pic_changed(b);
}

void apic_bus_set_eoi_hook(struct apic_bus *b, apic_eoi_fn fn, void *opaque)
{
	b->eoi = fn;
	b->eoi_opaque = opaque;
}

void apic_bus_set_start_hook(struct apic_bus *b, apic_start_fn fn, void *opaque)
{
	b->start = fn;
	b->start_opaque = opaque;
}

/* ---- device ---- */

static void put_reg256(struct snap *s, const uint32_t r[8])
{
	for (int i = 0; i < 8; i++)
		snap_put_u32(s, r[i]);
}

static void get_reg256(struct snap *s, uint32_t r[8])
{
	for (int i = 0; i < 8; i++)
		r[i] = snap_get_u32(s);
}

static void lapic_save(void *opaque, struct snap *s)
{
	struct lapic *l = opaque;
	snap_put_u8(s, (uint8_t)l->idx);
	snap_put_u64(s, l->base);
	snap_put_u8(s, l->id);
	snap_put_u8(s, l->tpr);
	snap_put_u32(s, l->ldr);
	snap_put_u32(s, l->dfr);
	snap_put_u32(s, l->svr);
	put_reg256(s, l->isr);
	put_reg256(s, l->tmr);
	put_reg256(s, l->irr);
	snap_put_u32(s, l->esr);
	snap_put_u32(s, l->esr_pending);
	snap_put_u32(s, l->icr_lo);
	snap_put_u32(s, l->icr_hi);
	for (int i = 0; i < NR_LVT; i++)
		snap_put_u32(s, l->lvt[i]);
	snap_put_u32(s, l->dcr);
	snap_put_u32(s, l->timer_init);
	snap_put_u32(s, l->timer_start_count);
	snap_put_u64(s, l->timer_start_ps);
	snap_put_u8(s, l->timer_running);
}

static int lapic_load(void *opaque, struct snap *s)
{
	struct lapic *l = opaque;
	if (snap_get_u8(s) != l->idx)
		return -EINVAL;
	uint64_t base = snap_get_u64(s);
	l->id = snap_get_u8(s);
	l->tpr = snap_get_u8(s);
	l->ldr = snap_get_u32(s) & 0xff000000u;
	l->dfr = snap_get_u32(s) | 0x0fffffffu;
	l->svr = (snap_get_u32(s) & 0x3f0) | 0x0f;
	get_reg256(s, l->isr);
	get_reg256(s, l->tmr);
	get_reg256(s, l->irr);
	l->esr = snap_get_u32(s);
	l->esr_pending = snap_get_u32(s);
	l->icr_lo = snap_get_u32(s);
	l->icr_hi = snap_get_u32(s);
	for (int i = 0; i < NR_LVT; i++)
		l->lvt[i] = snap_get_u32(s);
	l->dcr = snap_get_u32(s) & 0xb;
	l->timer_init = snap_get_u32(s);
	l->timer_start_count = snap_get_u32(s);
	l->timer_start_ps = snap_get_u64(s);
	l->timer_running = snap_get_u8(s) != 0;
	if (!snap_ok(s))
		return -EINVAL;
	l->base = (base & (0xfffff000u | LAPIC_BASE_ENABLE)) |
		  (l->idx == 0 ? LAPIC_BASE_BSP : 0);
	l->cpu->apic_base = l->base;
	if (hw_enabled(l))
		map_window(l->bus, (uint32_t)(l->base & 0xfffff000u));
	timer_arm(l);
	lapic_update(l);
	return 0;
}

static void lapic_free(void *opaque)
{
	struct lapic *l = opaque;
	if (!l)
		return;
	timer_free(l->timer);
	free(l);
}

const struct device_desc lapic_desc = {
	.name = "lapic",
	.reset = lapic_reset,
	.save = lapic_save,
	.load = lapic_load,
	.free = lapic_free,
};
