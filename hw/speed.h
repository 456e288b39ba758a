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

extern const struct device_desc speed_desc;

#endif
