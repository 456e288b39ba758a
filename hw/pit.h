/* 8254 programmable interval timer: three channels clocked at 1.193182 MHz.
 *
 * Counters are a function of virtual time (clock_now) computed when read;
 * nothing ticks.  A channel given an IRQ line has its OUT driven onto it,
 * with a timer armed at each OUT transition (channel 0 -> IRQ0).  Channel
 * gates: 0 and 1 are tied high, channel 2 follows port 61h bit 0
 * (pit_set_gate), whose bit 5 reads OUT2 (pit_get_out).
 */
#ifndef TANDEM_HW_PIT_H
#define TANDEM_HW_PIT_H

#include <stdbool.h>
#include <stdint.h>

#include "hw/device.h"

#define PIT_HZ 1193182

struct ioport_bus;
struct clock;
struct irq_line;
struct pit;

/* Claims ports base..base+3 (normally 40h).  irq0 (may be NULL) receives
 * channel 0's OUT level.  NULL on failure. */
struct pit *pit_new(struct ioport_bus *io, uint16_t base, struct clock *clk,
		    struct irq_line *irq0);

/* Gate input of channel ch (0-2). */
void pit_set_gate(struct pit *p, int ch, int level);
/* OUT level of channel ch (0-2) now. */
int pit_get_out(struct pit *p, int ch);
/* OUT level at time ps as the channel is programmed now (for the PC
 * speaker, which renders the recent past in blocks). */
int pit_get_out_at(struct pit *p, int ch, uint64_t ps);

extern const struct device_desc pit_desc;

#endif
