/* Virtual time.
 *
 * Time is counted in picoseconds (2^64 ps is about 213 days).  In emulation
 * it is derived from the CPU's cycle counter (x86_state.cycles) and the CPU
 * clock rate, so it advances exactly with the instructions executed and a run
 * is deterministic.  Devices read clock_now() when the guest touches them and
 * compute their state lazily from it (a PIT counter is a function of time),
 * and schedule timers for events that must happen on their own (IRQs).
 *
 * Timers are fired by the main loop between CPU slices (clock_run_timers);
 * the CPU is given a cycle budget that ends at the next deadline.  Arming a
 * timer earlier than the current deadline kicks the CPU so the budget is
 * recomputed.
 */
#ifndef TANDEM_HW_CLOCK_H
#define TANDEM_HW_CLOCK_H

#include <stdint.h>

#define CLOCK_PS_PER_SEC 1000000000000ull
#define CLOCK_NEVER UINT64_MAX

struct clock;
struct timer;
typedef void (*timer_cb)(void *opaque);

/* cycles points at the CPU's cycle counter; hz is the CPU clock.
 * kick is called (may be NULL) when the next deadline moves earlier. */
struct clock *clock_new(const uint64_t *cycles, uint64_t hz,
			void (*kick)(void *opaque), void *kick_opaque);
void clock_free(struct clock *c);

uint64_t clock_now(const struct clock *c);
uint64_t clock_hz(const struct clock *c);
/* Conversions between CPU cycles and picoseconds at this clock's rate. */
uint64_t clock_cycles_to_ps(const struct clock *c, uint64_t cycles);
uint64_t clock_ps_to_cycles(const struct clock *c, uint64_t ps); /* rounds up */
/* Changes the CPU clock rate from now on (time stays continuous). */
void clock_set_hz(struct clock *c, uint64_t hz);

/* Save states: the clock's time base and rate, so that a restored clock
 * gives, cycle for cycle, the times the saved one would have given. */
struct clock_state {
	uint64_t base_ps, base_cycles, hz;
};
void clock_save_state(const struct clock *c, struct clock_state *out);
/* Takes effect with the cycle counter the clock reads already restored;
 * returns -1 (and changes nothing) for a zero rate. */
int clock_load_state(struct clock *c, const struct clock_state *in);

/* Host-time mode (KVM): from now on clock_now() follows the host's
 * monotonic clock, continuing from the current time; the cycle counter is
 * no longer read.  Turning it off continues from the current time counted
 * by cycles again (the interpreter after a hand-off). */
void clock_set_host_time(struct clock *c, int on);
int clock_host_time(const struct clock *c);

/* Ticks of a device clock of rate hz that have elapsed at time ps, and the
 * time at which tick number n happens (rounded up). */
uint64_t clock_ps_to_ticks(uint64_t ps, uint64_t hz);
uint64_t clock_ticks_to_ps(uint64_t ticks, uint64_t hz);

struct timer *timer_new(struct clock *c, timer_cb cb, void *opaque);
void timer_free(struct timer *t);
/* Arms t to fire at absolute time when_ps (re-arming replaces). */
void timer_mod(struct timer *t, uint64_t when_ps);
void timer_del(struct timer *t);
int timer_pending(const struct timer *t);
uint64_t timer_expires(const struct timer *t);

/* Earliest armed deadline, or CLOCK_NEVER. */
uint64_t clock_next_deadline(const struct clock *c);
/* Fires every timer whose deadline is <= now, in deadline order (a callback
 * may re-arm its own or other timers). */
void clock_run_timers(struct clock *c);

#endif
