/* Microsoft serial mouse (two buttons, 1200 baud 7N1) on a 16550's line.
 *
 * The mouse is powered by the DTR and RTS lines: when both come up (a
 * driver drops and raises RTS to reset it) it answers 'M' a few
 * milliseconds later, then sends a 3-byte packet whenever it moved or a
 * button changed, at the line's pace (one byte per 7.5 ms at 1200 baud):
 *   byte 1: 0x40 | L<<5 | R<<4 | dy[7:6]<<2 | dx[7:6]
 *   byte 2: dx[5:0]     byte 3: dy[5:0]      (dx, dy signed, down positive)
 * Motion that arrives while a packet is on the line is accumulated. */
#ifndef TANDEM_HW_SERMOUSE_H
#define TANDEM_HW_SERMOUSE_H

#include <stdint.h>

#include "hw/device.h"

struct uart;
struct clock;
struct sermouse;

enum { SERMOUSE_LEFT = 1, SERMOUSE_RIGHT = 2 };

struct sermouse *sermouse_new(struct uart *u, struct clock *clk);
/* Host mouse motion (dx right, dy down) and the buttons now held. */
void sermouse_event(struct sermouse *s, int dx, int dy, unsigned buttons);

extern const struct device_desc sermouse_desc;

#endif
