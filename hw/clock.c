/* Virtual time derived from the CPU cycle counter, and one-shot timers kept
 * in a small sorted list (a PC has a handful of timers). */
#include <stdlib.h>
#include <time.h>

#include "hw/clock.h"

struct timer {
	struct clock *clock;
	timer_cb cb;
	void *opaque;
	uint64_t expires;	/* CLOCK_NEVER when not armed */
	struct timer *next;	/* in the armed list, sorted by expires */
};

struct clock {
	const uint64_t *cycles;
	uint64_t hz;
	/* now = base_ps + (cycles - base_cycles) converted at hz; rebased
	 * when hz changes so time stays continuous. */
	uint64_t base_ps, base_cycles;
	void (*kick)(void *opaque);
	void *kick_opaque;
	struct timer *armed;
	/* Host-time mode: now = base_ps + (monotonic ns - host_base_ns) * 1000. */
	int host;
	uint64_t host_base_ns;
};

static uint64_t host_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

struct clock *clock_new(const uint64_t *cycles, uint64_t hz,
			void (*kick)(void *opaque), void *kick_opaque)
{
	if (!cycles || hz == 0)
		return NULL;
	struct clock *c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->cycles = cycles;
	c->hz = hz;
	c->base_cycles = *cycles;
	c->kick = kick;
	c->kick_opaque = kick_opaque;
	return c;
}

void clock_free(struct clock *c)
{
	free(c);
}

uint64_t clock_hz(const struct clock *c) { return c->hz; }

uint64_t clock_ps_to_ticks(uint64_t ps, uint64_t hz)
{
	return (uint64_t)((unsigned __int128)ps * hz / CLOCK_PS_PER_SEC);
}

uint64_t clock_ticks_to_ps(uint64_t ticks, uint64_t hz)
{
	unsigned __int128 p = (unsigned __int128)ticks * CLOCK_PS_PER_SEC;
	return (uint64_t)((p + hz - 1) / hz);
}

uint64_t clock_cycles_to_ps(const struct clock *c, uint64_t cycles)
{
	return clock_ticks_to_ps(cycles, c->hz);
}

uint64_t clock_ps_to_cycles(const struct clock *c, uint64_t ps)
{
	unsigned __int128 t = (unsigned __int128)ps * c->hz;
	return (uint64_t)((t + CLOCK_PS_PER_SEC - 1) / CLOCK_PS_PER_SEC);
}

uint64_t clock_now(const struct clock *c)
{
	if (c->host)
		return c->base_ps + (host_ns() - c->host_base_ns) * 1000;
	return c->base_ps + clock_ticks_to_ps(*c->cycles - c->base_cycles, c->hz);
}

void clock_set_host_time(struct clock *c, int on)
{
	if (!on == !c->host)
		return;
	c->base_ps = clock_now(c);
	c->base_cycles = *c->cycles;
	c->host_base_ns = host_ns();
	c->host = !!on;
	if (c->kick)
		c->kick(c->kick_opaque);
}

int clock_host_time(const struct clock *c) { return c->host; }

void clock_save_state(const struct clock *c, struct clock_state *out)
{
	/* Under host time the cycle counter means nothing: save "now". */
	out->base_ps = c->host ? clock_now(c) : c->base_ps;
	out->base_cycles = c->host ? *c->cycles : c->base_cycles;
	out->hz = c->hz;
}

int clock_load_state(struct clock *c, const struct clock_state *in)
{
	if (in->hz == 0)
		return -1;
	c->base_ps = in->base_ps;
	c->base_cycles = in->base_cycles;
	if (c->host) {
		c->base_ps = in->base_ps + clock_ticks_to_ps(*c->cycles - in->base_cycles, in->hz);
		c->base_cycles = *c->cycles;
		c->host_base_ns = host_ns();
	}
	c->hz = in->hz;
	if (c->kick)
		c->kick(c->kick_opaque);
	return 0;
}

void clock_set_hz(struct clock *c, uint64_t hz)
{
	if (hz == 0 || hz == c->hz)
		return;
	c->base_ps = clock_now(c);
	c->base_cycles = *c->cycles;
	c->host_base_ns = host_ns();
	c->hz = hz;
	if (c->kick)
		c->kick(c->kick_opaque);
}

struct timer *timer_new(struct clock *c, timer_cb cb, void *opaque)
{
	struct timer *t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->clock = c;
	t->cb = cb;
	t->opaque = opaque;
	t->expires = CLOCK_NEVER;
	return t;
}

static void unlink_timer(struct timer *t)
{
	for (struct timer **pp = &t->clock->armed; *pp; pp = &(*pp)->next) {
		if (*pp == t) {
			*pp = t->next;
			break;
		}
	}
	t->next = NULL;
	t->expires = CLOCK_NEVER;
}

void timer_free(struct timer *t)
{
	if (!t)
		return;
	unlink_timer(t);
	free(t);
}

void timer_del(struct timer *t)
{
	unlink_timer(t);
}

void timer_mod(struct timer *t, uint64_t when_ps)
{
	struct clock *c = t->clock;
	unlink_timer(t);
	if (when_ps == CLOCK_NEVER)
		return;
	t->expires = when_ps;
	struct timer **pp = &c->armed;
	while (*pp && (*pp)->expires <= when_ps)
		pp = &(*pp)->next;
	t->next = *pp;
	*pp = t;
	/* The CPU's budget ended at the old first deadline: recompute. */
	if (c->armed == t && c->kick)
		c->kick(c->kick_opaque);
}

int timer_pending(const struct timer *t) { return t->expires != CLOCK_NEVER; }
uint64_t timer_expires(const struct timer *t) { return t->expires; }

uint64_t clock_next_deadline(const struct clock *c)
{
	return c->armed ? c->armed->expires : CLOCK_NEVER;
}

void clock_run_timers(struct clock *c)
{
	uint64_t now = clock_now(c);
	/* Bounded so a callback that re-arms at "now" cannot loop forever. */
	for (int n = 0; n < 10000 && c->armed && c->armed->expires <= now; n++) {
		struct timer *t = c->armed;
		c->armed = t->next;
		t->next = NULL;
		t->expires = CLOCK_NEVER;
		t->cb(t->opaque);
	}
}
