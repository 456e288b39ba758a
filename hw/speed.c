/* The --cycles governor (hw/speed.h). */
#include <stdio.h>
#include <stdlib.h>

#include "hw/machine.h"
#include "hw/speed.h"
#include "util/snapshot.h"

#define WINDOW_PS (1000ull * 1000 * 1000)	/* 1 ms */

struct speed {
	struct machine *m;
	struct timer *timer;
	int64_t cycles;		/* as configured, then as the hot keys set it */
	int64_t start;		/* N the run started with (0: not yet known) */
	int64_t cur;		/* in force: N, or 0 for max */
	uint64_t base_t, base_insns;	/* start of the current target line */
	uint64_t last_insns, last_cycles;
};

int64_t speed_cycles(const struct speed *s)
{
	return s->cur;
}

static void rebase(struct speed *s)
{
	s->base_t = clock_now(s->m->clock);
	s->base_insns = s->m->cpu.insns;
}

static void tick(void *opaque)
{
	struct speed *s = opaque;
	struct machine *m = s->m;
	uint64_t now = clock_now(m->clock);
	int64_t want = s->cycles;
	if (want == SPEED_AUTO)
		want = (m->cpu.cr0 & 1) ? 0 : SPEED_AUTO_CYCLES;
	else if (want == SPEED_MAX)
		want = 0;
	if (want != s->cur) {
		s->cur = want;
		rebase(s);
	}
	uint64_t di = m->cpu.insns - s->last_insns;
	uint64_t dc = m->cpu.cycles - s->last_cycles;
	s->last_insns = m->cpu.insns;
	s->last_cycles = m->cpu.cycles;
	if (!want) {
		m->unthrottled = true;
		clock_set_hz(m->clock, m->cfg->cpu_hz ? m->cfg->cpu_hz : m->model->default_hz);
	} else if (di == 0) {
		/* Halted all window: waiting costs no instructions, and
		 * owes none afterwards. */
		m->unthrottled = false;
		rebase(s);
	} else {
		m->unthrottled = false;
		double elapsed_ms = (double)(now - s->base_t) / WINDOW_PS;
		double done = (double)(m->cpu.insns - s->base_insns);
		double deficit = (double)want * elapsed_ms - done;
		double lim = (double)want;	/* one window's worth */
		if (deficit > 2 * lim || deficit < -2 * lim) {
			rebase(s);	/* a halt or a mode switch: start over */
			deficit = 0;
		}
		if (deficit > lim)
			deficit = lim;
		if (deficit < -lim / 2)
			deficit = -lim / 2;
		double cpi = (double)dc / (double)di;
		double hz = ((double)want + deficit) * cpi * 1000.0;
		if (hz < 1000)
			hz = 1000;
		clock_set_hz(m->clock, (uint64_t)hz);
	}
	timer_mod(s->timer, now + WINDOW_PS);
}

struct speed *speed_new(struct machine *m, int64_t cycles)
{
	if (cycles == 0 || cycles < SPEED_AUTO)
		return NULL;
	struct speed *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->m = m;
	s->cycles = cycles;
	s->start = cycles > 0 ? cycles : 0;
	s->cur = -1;	/* forces a rebase at the first tick */
	s->timer = timer_new(m->clock, tick, s);
	if (!s->timer) {
		free(s);
		return NULL;
	}
	if (cycles > 0) {
		/* Until the first measurement: one cycle per instruction. */
		clock_set_hz(m->clock, (uint64_t)cycles * 1000);
	}
	timer_mod(s->timer, clock_now(m->clock) + WINDOW_PS);
	return s;
}

static struct speed *find_speed(struct machine *m)
{
	for (int i = 0; i < m->ndevs; i++)
		if (m->devs[i].desc == &speed_desc)
			return m->devs[i].dev;
	return NULL;
}

void speed_describe(struct machine *m, char *desc, size_t len)
{
	struct speed *s = find_speed(m);
	double mhz = (double)clock_hz(m->clock) / 1e6;
	if (s && s->cycles == SPEED_MAX)
		snprintf(desc, len, "max cycles (%.2f MHz)", mhz);
	else if (s && s->cycles > 0)
		snprintf(desc, len, "%lld cycles/ms", (long long)s->cycles);
	else if (s && s->cur > 0)
		snprintf(desc, len, "auto %lld cycles/ms", (long long)s->cur);
	else if (s)
		snprintf(desc, len, "auto max cycles (%.2f MHz)", mhz);
	else
		snprintf(desc, len, "%.2f MHz", mhz);
}

/* One step from v, within [lo, hi]: 20% down or 10% up. */
static int64_t step_value(int64_t v, int dir, int64_t lo, int64_t hi)
{
	int64_t n = dir < 0 ? v - v / 5 : v + (v + 9) / 10;
	return n < lo ? lo : n > hi ? hi : n;
}

int speed_step(struct machine *m, int dir, char *desc, size_t len)
{
	struct speed *s = find_speed(m);
	if (clock_host_time(m->clock)) {
		snprintf(desc, len, "unchanged: under KVM the guest runs at the host's speed");
		return -1;
	}
	int64_t old, now;
	if (s) {
		if (s->cycles == SPEED_AUTO && s->cur > 0)
			s->cycles = s->cur;	/* from here on a fixed N */
		if (s->cycles <= 0) {
			snprintf(desc, len, "unchanged: --cycles max runs as fast as it can");
			return -1;
		}
		if (!s->start)
			s->start = s->cycles;
		old = s->cycles;
		now = step_value(old, dir, (s->start + 9) / 10, s->start * 100);
		s->cycles = now;
	} else {
		uint64_t base = m->cfg->cpu_hz ? m->cfg->cpu_hz : m->model->default_hz;
		old = (int64_t)clock_hz(m->clock);
		now = step_value(old, dir, (int64_t)(base + 9) / 10, (int64_t)base * 100);
		if (now != old)
			clock_set_hz(m->clock, (uint64_t)now);
	}
	char what[48];
	speed_describe(m, what, sizeof(what));
	if (now == old) {
		snprintf(desc, len, "unchanged at %s: the %s", what,
			 dir < 0 ? "slowest is 10% of the start" : "fastest is 100x the start");
		return -1;
	}
	snprintf(desc, len, "%s", what);
	return 0;
}

static void speed_reset(void *opaque)
{
	struct speed *s = opaque;
	rebase(s);
	s->last_insns = s->m->cpu.insns;
	s->last_cycles = s->m->cpu.cycles;
	if (!timer_pending(s->timer))
		timer_mod(s->timer, clock_now(s->m->clock) + WINDOW_PS);
}

static void speed_save(void *opaque, struct snap *sn)
{
	struct speed *s = opaque;
	snap_put_u64(sn, (uint64_t)s->cur);
	snap_put_u64(sn, s->base_t);
	snap_put_u64(sn, s->base_insns);
	snap_put_u64(sn, s->last_insns);
	snap_put_u64(sn, s->last_cycles);
	snap_put_u64(sn, clock_hz(s->m->clock));
	/* The window's end as it was: a resumed run re-rates at the same
	 * instants as an uninterrupted one. */
	snap_put_u64(sn, timer_pending(s->timer) ? timer_expires(s->timer) : CLOCK_NEVER);
	/* N as the hot keys left it. */
	snap_put_u64(sn, (uint64_t)s->cycles);
	snap_put_u64(sn, (uint64_t)s->start);
}

static int speed_load(void *opaque, struct snap *sn)
{
	struct speed *s = opaque;
	s->cur = (int64_t)snap_get_u64(sn);
	s->base_t = snap_get_u64(sn);
	s->base_insns = snap_get_u64(sn);
	s->last_insns = snap_get_u64(sn);
	s->last_cycles = snap_get_u64(sn);
	uint64_t hz = snap_get_u64(sn);
	uint64_t when = snap_get_u64(sn);
	int64_t cycles = (int64_t)snap_get_u64(sn), start = (int64_t)snap_get_u64(sn);
	if (!snap_ok(sn) || hz == 0 || cycles == 0 || cycles < SPEED_AUTO || start < 0 ||
	    (cycles > 0 && (start == 0 || cycles > start * 100 || cycles * 10 < start)))
		return -1;
	s->cycles = cycles;
	s->start = start;
	clock_set_hz(s->m->clock, hz);
	timer_mod(s->timer, when != CLOCK_NEVER ? when : clock_now(s->m->clock) + WINDOW_PS);
	return 0;
}

static void speed_free(void *opaque)
{
	struct speed *s = opaque;
	timer_free(s->timer);
	free(s);
}

const struct device_desc speed_desc = {
	.name = "speed",
	.reset = speed_reset,
	.save = speed_save,
	.load = speed_load,
	.free = speed_free,
};
