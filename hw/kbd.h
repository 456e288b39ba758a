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
 * raising IRQ1 (at: when the command byte enables it).  With the
 * controller's translation on (the default) the guest receives set 1; with
 * it off, the keyboard sends set 2 (converted here from set 1) unless the
 * guest selected set 1 with F0h.  A held key repeats at the typematic
 * rate and delay the guest set with F3h, in virtual time (the frontend
 * sends one make code per press and one break code per release).
 *
 * at also has a PS/2 mouse (hw/ps2mouse.h) on the aux port: controller
 * commands A7h/A8h (aux off/on), A9h (aux test), D3h (byte as if from the
 * mouse), D4h (byte to the mouse), status bit 5 for aux bytes, IRQ12
 * (command byte bit 1).
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

/* Mouse buttons for kbd_mouse_event. */
#define KBD_MOUSE_LEFT 1
#define KBD_MOUSE_RIGHT 2
#define KBD_MOUSE_MIDDLE 4

/* at: wires the aux port's interrupt (IRQ12); before this, none. */
void kbd_set_aux_irq(struct kbd *k, struct irq_line *irq12);

/* A mouse movement from the user: dx right, dy down (screen directions),
 * dz wheel (positive: towards the user), buttons the KBD_MOUSE_* bits now
 * held.  Sent as packets while the guest has streaming enabled; dropped
 * otherwise or when the aux FIFO lacks room. */
void kbd_mouse_event(struct kbd *k, int dx, int dy, int dz, unsigned buttons);

/* Converts one set 1 key sequence (as kbd_put_scancodes takes) to set 2
 * into out (max bytes); returns its length, 0 when it has no set 2 form. */
int kbd_set1_to_set2(const uint8_t *in, int n, uint8_t *out, int max);

/* Whether the guest enabled mouse streaming (F4h). */
bool kbd_mouse_enabled(const struct kbd *k);

/* Keyboard LED state as the guest set it with EDh: bit 0 scroll lock,
 * bit 1 num lock, bit 2 caps lock. */
uint8_t kbd_leds(const struct kbd *k);

/* xt: a write to PPI port B (61h). */
void kbd_xt_port_b(struct kbd *k, uint8_t val);

extern const struct device_desc kbd_desc;

#endif
