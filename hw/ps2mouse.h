/* A PS/2 mouse (IntelliMouse), the device behind the i8042's aux port
 * (hw/kbd.c owns it and moves its bytes).
 *
 * Commands: FFh reset (FA AA 00), F6h defaults, F5h/F4h disable/enable
 * streaming, F3h sample rate, E8h resolution, E6h/E7h 1:1 / 2:1 scaling,
 * E9h status, F2h ID, EAh stream mode, F0h remote mode with EBh read data;
 * EEh/ECh (wrap mode) are acknowledged only.  Setting the sample rate to
 * 200, 100, 80 in a row makes it an IntelliMouse: ID 3 and 4-byte packets
 * with the wheel.  Replies to commands are read before movement packets.
 */
#ifndef TANDEM_HW_PS2MOUSE_H
#define TANDEM_HW_PS2MOUSE_H

#include <stdbool.h>
#include <stdint.h>

struct snap;
struct ps2mouse;

#define PS2MOUSE_LEFT 1
#define PS2MOUSE_RIGHT 2
#define PS2MOUSE_MIDDLE 4

struct ps2mouse *ps2mouse_new(void);
void ps2mouse_free(struct ps2mouse *m);

/* Power-on state: plain mouse, defaults, nothing queued. */
void ps2mouse_reset(struct ps2mouse *m);

/* A byte from the host (the controller's D4h command). */
void ps2mouse_write(struct ps2mouse *m, uint8_t v);

/* The user moved it: dx right, dy down (screen directions), dz wheel
 * (positive towards the user), buttons the PS2MOUSE_* bits held.  Queued
 * as a packet while streaming; dropped when the queue lacks room. */
void ps2mouse_move(struct ps2mouse *m, int dx, int dy, int dz, unsigned buttons);

/* Bytes waiting for the host, taking the next, and putting one back in
 * front (a byte the controller displaced from its output buffer). */
int ps2mouse_pending(const struct ps2mouse *m);
uint8_t ps2mouse_read(struct ps2mouse *m);
void ps2mouse_unread(struct ps2mouse *m, uint8_t b);

bool ps2mouse_streaming(const struct ps2mouse *m);

void ps2mouse_save(const struct ps2mouse *m, struct snap *s);
/* 0, or -EINVAL on a malformed stream. */
int ps2mouse_load(struct ps2mouse *m, struct snap *s);

#endif
