/* Keyboard interface.
 *
 * at: an i8042 keyboard controller subset on ports 60h (data) and 64h
 * (status/command) with a keyboard behind it; the aux (mouse) port is
 * absent.  xt: the keyboard side of the 8255 PPI: port 60h returns the
 * last scan code, and port 61h (owned by hw/sysctl.c, which forwards it
 * through kbd_xt_port_b) clears it (bit 7) and holds the keyboard clock low
 * (bit 6 clear; held for 10 ms or more it resets the keyboard, which then
 * answers AAh, as the XT POST expects).
 *
 * The frontend feeds scan code set 1 (make/break, E0 prefixes included);
 * the bytes wait in a bounded FIFO and reach the guest one at a time, each
 * raising IRQ1 (at: when the command byte enables it).  The guest always
 * receives set 1: turning translation off or selecting another set is
 * accepted but does not change the codes.
 */
#ifndef TANDEM_HW_KBD_H
#define TANDEM_HW_KBD_H

#include <stdbool.h>
#include <stdint.h>

#include "hw/device.h"

struct ioport_bus;
struct clock;
struct irq_line;
struct kbd;

#define KBD_QUEUE_SIZE 64

/* What the controller asks of the rest of the machine (at only).  Either
 * may be NULL.  set_a20 reports the controller's own A20 output (output
 * port bit 1); the board combines it with port 92h.  It is also called by
 * reset (A20 off).  reset pulses the CPU reset line. */
struct kbd_callbacks {
	void (*set_a20)(void *opaque, bool on);
	void (*reset)(void *opaque);
	void *opaque;
};

/* Claims 60h and 64h (at) or 60h (xt).  irq1 may be NULL; cb is copied and
 * may be NULL.  NULL on failure. */
struct kbd *kbd_new(struct ioport_bus *io, struct clock *clk, struct irq_line *irq1,
		    bool xt, const struct kbd_callbacks *cb);

/* Queues n scan code bytes from the user.  All or nothing: returns 0, or
 * -ENOSPC (nothing queued) when the FIFO lacks room, or -EAGAIN when the
 * keyboard is not scanning (disabled by the guest with F5h). */
int kbd_put_scancodes(struct kbd *k, const uint8_t *codes, int n);

/* xt: a write to PPI port B (61h). */
void kbd_xt_port_b(struct kbd *k, uint8_t val);

extern const struct device_desc kbd_desc;

#endif
