/* Shared scaffolding for the device tests: a port bus, a clock driven by a
 * local cycle counter at 1 GHz (one cycle = 1 ns), and time advanced the
 * way the main loop does it, stopping at each timer deadline. */
#ifndef TANDEM_TESTS_UNIT_HW_HARNESS_H
#define TANDEM_TESTS_UNIT_HW_HARNESS_H

#include <check.h>
#include <stdint.h>

#include "hw/clock.h"
#include "hw/ioport.h"
#include "hw/irq.h"
#include "util/snapshot.h"

#define HW_HZ 1000000000ull

struct hw_env {
	uint64_t cycles;
	struct clock *clk;
	struct ioport_bus *io;
};

static inline void hw_env_init(struct hw_env *e)
{
	e->cycles = 0;
	e->clk = clock_new(&e->cycles, HW_HZ, NULL, NULL);
	e->io = ioport_bus_new();
	ck_assert_ptr_nonnull(e->clk);
	ck_assert_ptr_nonnull(e->io);
}

static inline void hw_env_free(struct hw_env *e)
{
	ioport_bus_free(e->io);
	clock_free(e->clk);
}

/* Runs virtual time forward to absolute time ps, firing timers on time. */
static inline void hw_run_until(struct hw_env *e, uint64_t ps)
{
	for (;;) {
		uint64_t d = clock_next_deadline(e->clk);
		if (d > ps)
			break;
		uint64_t c = clock_ps_to_cycles(e->clk, d);
		if (c > e->cycles)
			e->cycles = c;
		clock_run_timers(e->clk);
	}
	uint64_t c = clock_ps_to_cycles(e->clk, ps);
	if (c > e->cycles)
		e->cycles = c;
	clock_run_timers(e->clk);
}

static inline void hw_advance_ns(struct hw_env *e, uint64_t ns)
{
	hw_run_until(e, clock_now(e->clk) + ns * 1000);
}

static inline uint8_t hw_in(struct hw_env *e, uint16_t port)
{
	return ioport_read(e->io, port, 1);
}

static inline void hw_out(struct hw_env *e, uint16_t port, uint8_t v)
{
	ioport_write(e->io, port, v, 1);
}

/* An IRQ line that records its level and counts rising edges. */
struct irq_probe {
	struct irq_line line;
	int level;
	int rises;
};

static inline void irq_probe_set(void *opaque, int n, int level)
{
	struct irq_probe *p = opaque;
	(void)n;
	if (level && !p->level)
		p->rises++;
	p->level = level;
}

static inline void irq_probe_init(struct irq_probe *p)
{
	p->line.set = irq_probe_set;
	p->line.opaque = p;
	p->line.n = 0;
	p->line.level = 0;
	p->level = 0;
	p->rises = 0;
}

#endif
