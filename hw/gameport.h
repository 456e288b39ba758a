/* PC game port at 201h: two joysticks (four axes) and four buttons.
 *
 * A write to 201h fires the four one-shots of the 558 timer; each axis bit
 * (bits 0-3: stick A x, A y, B x, B y) reads 1 until its one-shot ends,
 * after 24.2 us + 0.011 us per ohm of the stick's 0-100 kOhm
 * potentiometer, which is how games measure a position: by polling.
 * Time is virtual, so the counts a guest sees are deterministic.  Bits 4-7
 * are buttons A1, A2, B1, B2, 0 while pressed.  An axis with no stick
 * behind it (never set) has no resistor: its bit stays 1 after a trigger,
 * which is how games see that no joystick is there. */
#ifndef TANDEM_HW_GAMEPORT_H
#define TANDEM_HW_GAMEPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "hw/device.h"

struct ioport_bus;
struct clock;
struct gameport;

#define GAMEPORT_PORT 0x201
#define GAMEPORT_AXES 4
#define GAMEPORT_BUTTONS 4

struct gameport *gameport_new(struct ioport_bus *io, struct clock *clk);
/* Axis position -32768 (left/up) .. 32767 (right/down); connects the axis. */
void gameport_set_axis(struct gameport *g, int axis, int value);
void gameport_set_button(struct gameport *g, int button, bool down);
/* One-shot length of an axis at its current position, in picoseconds. */
uint64_t gameport_axis_ps(const struct gameport *g, int axis);

/* "X,Y[,X2,Y2][,bBUTTONS]" with positions -100..100 (percent of travel) and
 * BUTTONS a hex mask (bit n: button n down); -1 when malformed.  For
 * --joystick: a fixed position for scripted runs. */
int gameport_apply_spec(struct gameport *g, const char *spec);

extern const struct device_desc gameport_desc;

#endif
