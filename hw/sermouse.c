/* Microsoft serial mouse: power/reset from the modem control lines, the
 * 'M' identification and packets paced at the line's byte rate. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>

#include "hw/clock.h"
#include "hw/sermouse.h"
#include "hw/uart16550.h"
#include "util/snapshot.h"

#define MCR_DTR 1
#define MCR_RTS 2
#define MCR_LOOP 0x10
/* 7 data bits + start + stop at 1200 baud. */
#define BYTE_PS (CLOCK_PS_PER_SEC * 9 / 1200)
/* The mouse's power-up delay before it identifies itself. */
#define IDENT_PS (5 * CLOCK_PS_PER_SEC / 1000)
#define QUEUE 8

struct sermouse {
	struct uart *uart;
	struct clock *clk;
	struct timer *timer;
	bool powered;
	int dx, dy;		/* motion not yet sent */
	unsigned buttons, sent_buttons;
	uint8_t q[QUEUE];	/* bytes waiting for the line */
	uint8_t nq;
};

static void kick(struct sermouse *s, uint64_t delay)
{
	if (!timer_pending(s->timer))
		timer_mod(s->timer, clock_now(s->clk) + delay);
}

static int clamp(int v)
{
	return v < -128 ? -128 : v > 127 ? 127 : v;
}

static void make_packet(struct sermouse *s)
{
	int dx = clamp(s->dx), dy = clamp(s->dy);
	s->dx -= dx;
	s->dy -= dy;
	uint8_t x = (uint8_t)dx, y = (uint8_t)dy;
	s->q[0] = (uint8_t)(0x40 | (s->buttons & SERMOUSE_LEFT ? 0x20 : 0) |
			    (s->buttons & SERMOUSE_RIGHT ? 0x10 : 0) | (y >> 6) << 2 | x >> 6);
	s->q[1] = x & 0x3f;
	s->q[2] = y & 0x3f;
	s->nq = 3;
	s->sent_buttons = s->buttons;
}

static bool has_news(const struct sermouse *s)
{
	return s->dx || s->dy || s->buttons != s->sent_buttons;
}

/* One byte time passed: the next byte goes on the line. */
static void tick(void *opaque)
{
	struct sermouse *s = opaque;
	if (!s->powered)
		return;
	if (s->nq == 0 && has_news(s))
		make_packet(s);
	if (s->nq == 0)
		return;
	/* A full receiver FIFO holds the byte back, like lost characters
	 * would not be better. */
	if (uart_receive(s->uart, s->q, 1) == 1) {
		s->nq--;
		for (int i = 0; i < s->nq; i++)
			s->q[i] = s->q[i + 1];
	}
	if (s->nq || has_news(s))
		timer_mod(s->timer, clock_now(s->clk) + BYTE_PS);
}

static void mcr_changed(void *opaque, uint8_t mcr)
{
	struct sermouse *s = opaque;
	/* In loopback the chip holds its modem outputs inactive: no power. */
	bool on = (mcr & (MCR_DTR | MCR_RTS | MCR_LOOP)) == (MCR_DTR | MCR_RTS);
	if (on == s->powered)
		return;
	s->powered = on;
	s->nq = 0;
	s->dx = s->dy = 0;
	s->sent_buttons = s->buttons;
	timer_del(s->timer);
	if (on) {
		s->q[0] = 'M';
		s->nq = 1;
		timer_mod(s->timer, clock_now(s->clk) + IDENT_PS);
	}
}

void sermouse_event(struct sermouse *s, int dx, int dy, unsigned buttons)
{
	if (!s->powered)
		return;
	/* Bounded so a flood of host motion cannot overflow. */
	s->dx = s->dx + dx > 4096 ? 4096 : s->dx + dx < -4096 ? -4096 : s->dx + dx;
	s->dy = s->dy + dy > 4096 ? 4096 : s->dy + dy < -4096 ? -4096 : s->dy + dy;
	s->buttons = buttons & 3;
	if (has_news(s))
		kick(s, BYTE_PS);
}

struct sermouse *sermouse_new(struct uart *u, struct clock *clk)
{
	struct sermouse *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->uart = u;
	s->clk = clk;
	s->timer = timer_new(clk, tick, s);
	if (!s->timer) {
		free(s);
		return NULL;
	}
	uart_set_mcr_hook(u, mcr_changed, s);
	return s;
}

static void sermouse_reset(void *opaque)
{
	struct sermouse *s = opaque;
	timer_del(s->timer);
	s->powered = false;
	s->nq = 0;
	s->dx = s->dy = 0;
	s->buttons = s->sent_buttons = 0;
}

static void sermouse_save(void *opaque, struct snap *sn)
{
	struct sermouse *s = opaque;
	snap_put_u8(sn, s->powered);
	snap_put_u32(sn, (uint32_t)s->dx);
	snap_put_u32(sn, (uint32_t)s->dy);
	snap_put_u8(sn, (uint8_t)s->buttons);
	snap_put_u8(sn, (uint8_t)s->sent_buttons);
	snap_put_u8(sn, s->nq);
	snap_put_bytes(sn, s->q, QUEUE);
	snap_put_u64(sn, timer_pending(s->timer) ? timer_expires(s->timer) : CLOCK_NEVER);
}

static int sermouse_load(void *opaque, struct snap *sn)
{
	struct sermouse *s = opaque;
	uint8_t powered = snap_get_u8(sn);
	int32_t dx = (int32_t)snap_get_u32(sn), dy = (int32_t)snap_get_u32(sn);
	uint8_t b = snap_get_u8(sn), sb = snap_get_u8(sn), nq = snap_get_u8(sn);
	uint8_t q[QUEUE];
	snap_get_bytes(sn, q, QUEUE);
	uint64_t when = snap_get_u64(sn);
	if (!snap_ok(sn) || powered > 1 || b > 3 || sb > 3 || nq > QUEUE || dx < -4096 ||
	    dx > 4096 || dy < -4096 || dy > 4096)
		return -EINVAL;
	s->powered = powered;
	s->dx = dx;
	s->dy = dy;
	s->buttons = b;
	s->sent_buttons = sb;
	s->nq = nq;
	for (int i = 0; i < QUEUE; i++)
		s->q[i] = q[i];
	if (when == CLOCK_NEVER)
		timer_del(s->timer);
	else
		timer_mod(s->timer, when);
	return 0;
}

static void sermouse_free(void *opaque)
{
	struct sermouse *s = opaque;
	timer_free(s->timer);
	free(s);
}

const struct device_desc sermouse_desc = {
	.name = "sermouse",
	.reset = sermouse_reset,
	.save = sermouse_save,
	.load = sermouse_load,
	.free = sermouse_free,
};
