/* Game port one-shot timing in virtual time, and the Microsoft serial mouse
 * on a 16550 (identification on DTR/RTS, packet format, pacing, state). */
#include <check.h>
#include <stdlib.h>

#include "hw/gameport.h"
#include "hw/sermouse.h"
#include "hw/uart16550.h"
#include "tests/unit/hw_harness.h"

static struct hw_env env;
static struct gameport *gp;

static void gp_setup(void)
{
	hw_env_init(&env);
	gp = gameport_new(env.io, env.clk);
	ck_assert_ptr_nonnull(gp);
}

static void gp_teardown(void)
{
	gameport_desc.free(gp);
	hw_env_free(&env);
}

/* Polls 201h every step_ns after a trigger until bit clears; its time in ns
 * (or -1 after limit_ns). */
static long measure(int bit, unsigned step_ns, unsigned limit_ns)
{
	ioport_write(env.io, GAMEPORT_PORT, 0xff, 1);
	for (unsigned t = 0; t <= limit_ns; t += step_ns) {
		if (!(ioport_read(env.io, GAMEPORT_PORT, 1) & (1u << bit)))
			return t;
		hw_advance_ns(&env, step_ns);
	}
	return -1;
}

START_TEST(gameport_timing)
{
	/* Nothing connected: all buttons up (1), no one-shot before a trigger. */
	ck_assert_uint_eq(ioport_read(env.io, GAMEPORT_PORT, 1), 0xf0);
	/* 24.2 us + 0.011 us/ohm: full left 24.2 us, centre ~574 us, right 1124.2 us. */
	gameport_set_axis(gp, 0, -32768);
	gameport_set_axis(gp, 1, 0);
	gameport_set_axis(gp, 2, 32767);
	long x = measure(0, 100, 2000000);
	ck_assert_int_ge(x, 24200);
	ck_assert_int_le(x, 24300);
	long y = measure(1, 100, 2000000);
	ck_assert_int_ge(y, 574100);
	ck_assert_int_le(y, 574400);
	long bx = measure(2, 100, 2000000);
	ck_assert_int_ge(bx, 1124200);
	ck_assert_int_le(bx, 1124300);
	/* Stick B's y has no potentiometer: its bit never falls. */
	ck_assert_int_eq(measure(3, 10000, 5000000), -1);
	/* Positions are taken at the trigger: moving the stick during a
	 * measurement does not change it, the next trigger does. */
	ioport_write(env.io, GAMEPORT_PORT, 0, 1);
	gameport_set_axis(gp, 0, 32767);
	hw_advance_ns(&env, 30000);
	ck_assert_uint_eq(ioport_read(env.io, GAMEPORT_PORT, 1) & 1, 0);
	ck_assert_int_gt(measure(0, 1000, 2000000), 1000000);
}
END_TEST

START_TEST(gameport_buttons_and_spec)
{
	gameport_set_button(gp, 0, true);
	gameport_set_button(gp, 3, true);
	ck_assert_uint_eq(ioport_read(env.io, GAMEPORT_PORT, 1) & 0xf0, 0x60);
	gameport_set_button(gp, 0, false);
	ck_assert_uint_eq(ioport_read(env.io, GAMEPORT_PORT, 1) & 0xf0, 0x70);
	gameport_set_button(gp, 9, true);	/* out of range: ignored */
	ck_assert_int_eq(gameport_apply_spec(gp, "-100,100,b2"), 0);
	ck_assert_uint_eq(ioport_read(env.io, GAMEPORT_PORT, 1) & 0xf0, 0xd0);
	ck_assert_uint_eq(gameport_axis_ps(gp, 0), 24200000ull);
	ck_assert_uint_eq(gameport_axis_ps(gp, 1), 24200000ull + 100000ull * 11000);
	ck_assert_int_eq(gameport_apply_spec(gp, "0,0,0,0"), 0);
	ck_assert_int_lt(gameport_apply_spec(gp, "0"), 0);
	ck_assert_int_lt(gameport_apply_spec(gp, "0,101"), 0);
	ck_assert_int_lt(gameport_apply_spec(gp, "0,0,bz"), 0);
	ck_assert_int_lt(gameport_apply_spec(gp, "0,0,0,0,0"), 0);
	ck_assert_int_lt(gameport_apply_spec(gp, "0;0"), 0);
}
END_TEST

START_TEST(gameport_state_survives_save)
{
	gameport_set_axis(gp, 0, 0);
	ioport_write(env.io, GAMEPORT_PORT, 0, 1);
	hw_advance_ns(&env, 100000);
	struct snap s;
	snap_init(&s);
	gameport_desc.save(gp, &s);
	/* A second port on a fresh bus, same stick position, loads the
	 * one-shot in progress: it ends at the same time. */
	struct ioport_bus *io2 = ioport_bus_new();
	struct gameport *g2 = gameport_new(io2, env.clk);
	gameport_set_axis(g2, 0, 0);
	struct snap r;
	snap_open(&r, s.data, s.len);
	ck_assert_int_eq(gameport_desc.load(g2, &r), 0);
	ck_assert_uint_eq(ioport_read(io2, GAMEPORT_PORT, 1) & 1, 1);
	hw_advance_ns(&env, 474300);
	ck_assert_uint_eq(ioport_read(io2, GAMEPORT_PORT, 1) & 1, 0);
	snap_open(&r, s.data, s.len - 1);
	ck_assert_int_lt(gameport_desc.load(g2, &r), 0);
	gameport_desc.free(g2);
	ioport_bus_free(io2);
	snap_free(&s);
}
END_TEST

/* ---- serial mouse ---------------------------------------------------------------- */

#define COM1 0x3f8
static struct uart *uart;
static struct sermouse *mouse;

static void sm_setup(void)
{
	hw_env_init(&env);
	uart = uart_new(env.io, COM1, env.clk, NULL, NULL);
	mouse = sermouse_new(uart, env.clk);
	ck_assert_ptr_nonnull(mouse);
	ioport_write(env.io, COM1 + 2, 0x07, 1);	/* FIFO on, cleared */
}

static void sm_teardown(void)
{
	sermouse_desc.free(mouse);
	uart_desc.free(uart);
	hw_env_free(&env);
}

/* Reads what the UART received so far. */
static int drain(uint8_t *buf, int max)
{
	int n = 0;
	while (n < max && (ioport_read(env.io, COM1 + 5, 1) & 1))
		buf[n++] = (uint8_t)ioport_read(env.io, COM1, 1);
	return n;
}

START_TEST(sermouse_identifies_on_power_up)
{
	uint8_t b[16];
	/* Unpowered: motion is not sent. */
	sermouse_event(mouse, 5, 5, 0);
	hw_advance_ns(&env, 100000000);
	ck_assert_int_eq(drain(b, 16), 0);
	/* DTR alone is not enough; DTR + RTS powers it: 'M' a few ms later. */
	ioport_write(env.io, COM1 + 4, 0x01, 1);
	hw_advance_ns(&env, 20000000);
	ck_assert_int_eq(drain(b, 16), 0);
	ioport_write(env.io, COM1 + 4, 0x0b, 1);
	ck_assert_int_eq(drain(b, 16), 0);
	hw_advance_ns(&env, 10000000);
	ck_assert_int_eq(drain(b, 16), 1);
	ck_assert_uint_eq(b[0], 'M');
	/* Loopback holds the lines inactive: the mouse loses power. */
	ioport_write(env.io, COM1 + 4, 0x1b, 1);
	hw_advance_ns(&env, 10000000);
	ck_assert_int_eq(drain(b, 16), 0);
	ioport_write(env.io, COM1 + 4, 0x0b, 1);
	hw_advance_ns(&env, 10000000);
	ck_assert_int_eq(drain(b, 16), 1);
	/* Dropping RTS and raising it again (a driver's reset) repeats it. */
	ioport_write(env.io, COM1 + 4, 0x09, 1);
	ioport_write(env.io, COM1 + 4, 0x0b, 1);
	hw_advance_ns(&env, 10000000);
	ck_assert_int_eq(drain(b, 16), 1);
	ck_assert_uint_eq(b[0], 'M');
}
END_TEST

START_TEST(sermouse_packets)
{
	uint8_t b[16];
	ioport_write(env.io, COM1 + 4, 0x0b, 1);
	hw_advance_ns(&env, 10000000);
	ck_assert_int_eq(drain(b, 16), 1);
	/* Left button, 3 right and 2 up (dy = -2): 0x40|0x20|dy7:6=3<<2|0. */
	sermouse_event(mouse, 3, -2, SERMOUSE_LEFT);
	/* One byte per 7.5 ms at 1200 baud: after 8 ms only one is there. */
	hw_advance_ns(&env, 8000000);
	ck_assert_int_eq(drain(b, 16), 1);
	ck_assert_uint_eq(b[0], 0x6c);
	hw_advance_ns(&env, 15000000);
	ck_assert_int_eq(drain(b + 1, 15), 2);
	ck_assert_uint_eq(b[1], 0x03);
	ck_assert_uint_eq(b[2], 0x3e);
	hw_advance_ns(&env, 50000000);
	ck_assert_int_eq(drain(b, 16), 0);	/* nothing new, nothing sent */
	/* Large motion is split into packets of at most 127; right button. */
	sermouse_event(mouse, 200, 0, SERMOUSE_RIGHT);
	hw_advance_ns(&env, 100000000);
	ck_assert_int_eq(drain(b, 16), 6);
	ck_assert_uint_eq(b[0], 0x40 | 0x10 | 1);	/* dx 127: bits 7:6 = 01 */
	ck_assert_uint_eq(b[1], 127 & 0x3f);
	ck_assert_uint_eq(b[3], 0x50 | 1);		/* the remaining 73 = 0x49 */
	ck_assert_uint_eq(b[4], 73 & 0x3f);
	/* Only byte 1 of each packet has bit 6 set (how drivers sync). */
	ck_assert_uint_eq(b[1] & 0x40, 0);
	ck_assert_uint_eq(b[5] & 0x40, 0);
}
END_TEST

START_TEST(sermouse_state_roundtrip)
{
	uint8_t b[16];
	ioport_write(env.io, COM1 + 4, 0x0b, 1);
	hw_advance_ns(&env, 10000000);
	drain(b, 16);
	sermouse_event(mouse, -1, 1, 0);
	hw_advance_ns(&env, 8000000);
	ck_assert_int_eq(drain(b, 16), 1);	/* first byte sent, two pending */
	struct snap s;
	snap_init(&s);
	sermouse_desc.save(mouse, &s);
	sermouse_desc.reset(mouse);
	hw_advance_ns(&env, 30000000);
	ck_assert_int_eq(drain(b, 16), 0);	/* reset: nothing more */
	struct snap r;
	snap_open(&r, s.data, s.len);
	ck_assert_int_eq(sermouse_desc.load(mouse, &r), 0);
	hw_advance_ns(&env, 30000000);
	ck_assert_int_eq(drain(b, 16), 2);	/* the rest of the packet */
	ck_assert_uint_eq(b[0], 0x3f);
	ck_assert_uint_eq(b[1], 0x01);
	s.data[0] = 7;				/* "powered" must be 0 or 1 */
	snap_open(&r, s.data, s.len);
	ck_assert_int_lt(sermouse_desc.load(mouse, &r), 0);
	snap_free(&s);
}
END_TEST

Suite *gameport_suite(void)
{
	Suite *s = suite_create("gameport");
	TCase *tc = tcase_create("gameport");
	tcase_add_checked_fixture(tc, gp_setup, gp_teardown);
	tcase_add_test(tc, gameport_timing);
	tcase_add_test(tc, gameport_buttons_and_spec);
	tcase_add_test(tc, gameport_state_survives_save);
	suite_add_tcase(s, tc);
	tc = tcase_create("sermouse");
	tcase_add_checked_fixture(tc, sm_setup, sm_teardown);
	tcase_add_test(tc, sermouse_identifies_on_power_up);
	tcase_add_test(tc, sermouse_packets);
	tcase_add_test(tc, sermouse_state_roundtrip);
	suite_add_tcase(s, tc);
	return s;
}
