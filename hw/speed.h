/* --cycles N|max|auto: DOSBox-style speed in emulated instructions per
 * millisecond of virtual time.
 *
 * The clock's rate is the only knob: every millisecond of virtual time a
 * governor measures the cycles per instruction the CPU model charged over
 * the last millisecond and sets the clock to N * 1000 * CPI Hz, corrected
 * by the running instruction deficit, so the instructions executed by
 * virtual time t stay within about one millisecond's worth of N * t.  The
 * measurement uses only the CPU's cycle and instruction counters, so it is
 * deterministic and works with any engine that counts both, without an
 * "instruction = one cycle" mode in the interpreter.  (machine_config's
 * cycles_per_ms carries N for an engine that wants to do that instead.)
 *
 * max: the model's clock, and the main loop stops pacing to wall time
 * (machine.unthrottled).  auto: N = SPEED_AUTO_CYCLES in real mode, max in
 * protected mode. */
#ifndef TANDEM_HW_SPEED_H
#define TANDEM_HW_SPEED_H

#include <stddef.h>
#include <stdint.h>

#include "hw/device.h"

#define SPEED_AUTO_CYCLES 3000
#define SPEED_MAX (-1)
#define SPEED_AUTO (-2)

struct machine;
struct speed;

/* cycles: N > 0, SPEED_MAX or SPEED_AUTO. */
struct speed *speed_new(struct machine *m, int64_t cycles);
/* What the clock runs at now, for a title bar: instructions per ms (0
 * when unthrottled). */
int64_t speed_cycles(const struct speed *s);

/* The speed hot keys (ui/hotkey.h), on any machine: dir < 0 slower (20%
 * less), dir > 0 faster (10% more).  With --cycles N (or auto in real
 * mode) they change N; otherwise the CPU clock rate (--mhz, or the
 * model's own), so that the model's cycle counts run faster or slower.
 * Bounded to 10% (slow motion) .. 100x of the speed the run started
 * with.  Devices keep to virtual time, so sound and timers are unchanged;
 * only the instructions per unit of virtual time change.  Returns 0 and
 * describes the new speed in desc, or -1 with the reason there (KVM,
 * --cycles max, at a bound). */
int speed_step(struct machine *m, int dir, char *desc, size_t len);
/* The speed in force, e.g. "3000 cycles/ms" or "4.77 MHz". */
void speed_describe(struct machine *m, char *desc, size_t len);

extern const struct device_desc speed_desc;

#endif
