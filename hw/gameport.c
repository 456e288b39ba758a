/* Game port: one-shot timing computed lazily from virtual time (no timers:
 * a read compares clock_now() with the end of each one-shot). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hw/clock.h"
#include "hw/gameport.h"
#include "hw/ioport.h"
#include "util/snapshot.h"

/* 24.2 us + 0.011 us/ohm * R, R = 0..100 kOhm. */
#define BASE_PS 24200000ull
#define PS_PER_OHM 11000ull
#define MAX_OHMS 100000ull

struct gameport {
	struct clock *clk;
	int axis[GAMEPORT_AXES];
	bool connected[GAMEPORT_AXES];
	uint8_t buttons;	/* bit set: pressed */
	bool fired;
	uint64_t end[GAMEPORT_AXES];	/* when each one-shot ends */
};

uint64_t gameport_axis_ps(const struct gameport *g, int axis)
{
	uint64_t ohms = (uint64_t)(g->axis[axis] + 32768) * MAX_OHMS / 65535;
	return BASE_PS + ohms * PS_PER_OHM;
}

static uint32_t gp_read(void *opaque, uint16_t port, int size)
{
	struct gameport *g = opaque;
	(void)port;
	(void)size;
	uint64_t now = clock_now(g->clk);
	uint8_t v = (uint8_t)(~g->buttons << 4);
	for (int i = 0; i < GAMEPORT_AXES; i++)
		if (g->fired && (!g->connected[i] || now < g->end[i]))
			v |= 1u << i;
	return v;
}

/* Any write fires all four one-shots (the 558 retriggers). */
static void gp_write(void *opaque, uint16_t port, uint32_t val, int size)
{
	struct gameport *g = opaque;
	(void)port;
	(void)val;
	(void)size;
	uint64_t now = clock_now(g->clk);
	g->fired = true;
	for (int i = 0; i < GAMEPORT_AXES; i++)
		g->end[i] = g->connected[i] ? now + gameport_axis_ps(g, i) : CLOCK_NEVER;
}

static const struct ioport_ops gp_ops = { .read = gp_read, .write = gp_write };

struct gameport *gameport_new(struct ioport_bus *io, struct clock *clk)
{
	struct gameport *g = calloc(1, sizeof(*g));
	if (!g)
		return NULL;
	g->clk = clk;
	if (ioport_register(io, GAMEPORT_PORT, 1, &gp_ops, g) < 0) {
		free(g);
		return NULL;
	}
	return g;
}

void gameport_set_axis(struct gameport *g, int axis, int value)
{
	if (axis < 0 || axis >= GAMEPORT_AXES)
		return;
	g->axis[axis] = value < -32768 ? -32768 : value > 32767 ? 32767 : value;
	g->connected[axis] = true;
}

void gameport_set_button(struct gameport *g, int button, bool down)
{
	if (button < 0 || button >= GAMEPORT_BUTTONS)
		return;
	if (down)
		g->buttons |= (uint8_t)(1u << button);
	else
		g->buttons &= (uint8_t)~(1u << button);
}

int gameport_apply_spec(struct gameport *g, const char *spec)
{
	int pos[GAMEPORT_AXES], n = 0;
	long buttons = 0;
	const char *p = spec;
	while (*p) {
		char *end;
		if (*p == 'b') {
			buttons = strtol(p + 1, &end, 16);
			if (end == p + 1 || *end || buttons < 0 || buttons > 15)
				return -1;
			p = end;
			break;
		}
		long v = strtol(p, &end, 10);
		if (end == p || v < -100 || v > 100 || n == GAMEPORT_AXES)
			return -1;
		pos[n++] = (int)v;
		p = end;
		if (*p == ',')
			p++;
		else if (*p)
			return -1;
	}
	if (n != 2 && n != 4)
		return -1;
	for (int i = 0; i < n; i++)
		gameport_set_axis(g, i, pos[i] == 100 ? 32767 : pos[i] * 32768 / 100);
	for (int i = 0; i < GAMEPORT_BUTTONS; i++)
		gameport_set_button(g, i, buttons >> i & 1);
	return 0;
}

static void gp_reset(void *opaque)
{
	struct gameport *g = opaque;
	g->fired = false;
}

static void gp_save(void *opaque, struct snap *s)
{
	struct gameport *g = opaque;
	snap_put_u8(s, g->fired);
	snap_put_u8(s, g->buttons);
	for (int i = 0; i < GAMEPORT_AXES; i++) {
		snap_put_u8(s, g->connected[i]);
		snap_put_u16(s, (uint16_t)g->axis[i]);
		snap_put_u64(s, g->end[i]);
	}
}

/* Positions and buttons come from the host: a loaded state keeps the
 * stick where the user holds it now, only the one-shots are the guest's. */
static int gp_load(void *opaque, struct snap *s)
{
	struct gameport *g = opaque;
	uint8_t fired = snap_get_u8(s);
	snap_get_u8(s);
	uint64_t end[GAMEPORT_AXES];
	for (int i = 0; i < GAMEPORT_AXES; i++) {
		snap_get_u8(s);
		snap_get_u16(s);
		end[i] = snap_get_u64(s);
	}
	if (!snap_ok(s) || fired > 1)
		return -EINVAL;
	g->fired = fired;
	memcpy(g->end, end, sizeof(end));
	return 0;
}

static void gp_free(void *opaque)
{
	free(opaque);
}

const struct device_desc gameport_desc = {
	.name = "gameport",
	.reset = gp_reset,
	.save = gp_save,
	.load = gp_load,
	.free = gp_free,
};
