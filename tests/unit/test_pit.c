/* 8254 channels programmed through ports 40h-43h, time from the harness. */
#include <check.h>
#include <stdlib.h>

#include "hw/pit.h"
#include "tests/unit/hw_harness.h"

static struct hw_env env;
static struct irq_probe irq0;
static struct pit *pit;

static void setup(void)
{
	hw_env_init(&env);
	irq_probe_init(&irq0);
	pit = pit_new(env.io, 0x40, env.clk, &irq0.line);
	ck_assert_ptr_nonnull(pit);
}

static void teardown(void)
{
	pit_desc.free(pit);
	hw_env_free(&env);
}

/* Absolute time of PIT tick t (plus a quarter tick so we are inside it). */
static void run_to_tick(uint64_t t)
{
	hw_run_until(&env, clock_ticks_to_ps(t, PIT_HZ) + 200000);
}

static void program(int ch, uint8_t mode_bits, uint16_t count)
{
	hw_out(&env, 0x43, (uint8_t)(ch << 6 | 0x30 | mode_bits));
	hw_out(&env, 0x40 + ch, count & 0xff);
	hw_out(&env, 0x40 + ch, count >> 8);
}

static uint16_t read_word(int ch)
{
	uint16_t lo = hw_in(&env, 0x40 + ch);
	return lo | hw_in(&env, 0x40 + ch) << 8;
}

START_TEST(pit_mode2_rate_generator_irq0)
{
	program(0, 0x04, 1193);			/* ~1 kHz */
	/* The control word took OUT high from reset's low: that edge. */
	ck_assert_int_eq(irq0.rises, 1);
	irq0.rises = 0;
	run_to_tick(0);
	ck_assert_int_eq(irq0.rises, 0);
	/* 100 ms: 119318 ticks = exactly 100 whole periods of 1193. */
	run_to_tick(119318);
	ck_assert_int_eq(irq0.rises, 100);
	/* OUT is low only during the tick when the counter reads 1. */
	run_to_tick(1193 * 200 + 1192);
	ck_assert_int_eq(pit_get_out(pit, 0), 0);
	run_to_tick(1193 * 201);
	ck_assert_int_eq(pit_get_out(pit, 0), 1);
	ck_assert_int_eq(irq0.rises, 201);
}
END_TEST

START_TEST(pit_mode3_square_wave)
{
	program(0, 0x06, 1000);
	irq0.rises = 0;
	run_to_tick(100);
	ck_assert_int_eq(pit_get_out(pit, 0), 1);
	run_to_tick(499);
	ck_assert_int_eq(pit_get_out(pit, 0), 1);
	run_to_tick(500);
	ck_assert_int_eq(pit_get_out(pit, 0), 0);
	ck_assert_int_eq(irq0.level, 0);
	run_to_tick(1000);
	ck_assert_int_eq(pit_get_out(pit, 0), 1);
	ck_assert_int_eq(irq0.rises, 1);
	/* The counter decrements by two. */
	run_to_tick(1100);
	uint16_t c = read_word(0);
	ck_assert_int_ge(c, 796);
	ck_assert_int_le(c, 800);
	ck_assert_int_eq(c & 1, 0);
	run_to_tick(10000);
	ck_assert_int_eq(irq0.rises, 10);
}
END_TEST

START_TEST(pit_counter_latch)
{
	program(0, 0x04, 10000);
	run_to_tick(1000);
	hw_out(&env, 0x43, 0x00);		/* latch channel 0 */
	run_to_tick(3000);
	ck_assert_uint_eq(read_word(0), 9000);
	/* Latch released: the live count has moved on. */
	ck_assert_uint_eq(read_word(0), 7000);
	/* A second latch command before reading keeps the first value. */
	hw_out(&env, 0x43, 0x00);
	run_to_tick(4000);
	hw_out(&env, 0x43, 0x00);
	ck_assert_uint_eq(read_word(0), 7000);
}
END_TEST

START_TEST(pit_read_back)
{
	program(2, 0x04, 5000);			/* mode 2, gate 2 low: held */
	ck_assert_int_eq(pit_get_out(pit, 2), 1);
	pit_set_gate(pit, 2, 1);
	run_to_tick(1234);
	/* Read-back: latch count and status of channel 2. */
	hw_out(&env, 0x43, 0xc8);
	run_to_tick(2000);
	ck_assert_uint_eq(hw_in(&env, 0x42), 0x80 | 0x34);	/* OUT, LSB/MSB, mode 2 */
	ck_assert_uint_eq(read_word(2), 5000 - 1234);
	/* Status only (bit 5 set: no count latch). */
	hw_out(&env, 0x43, 0xe8);
	ck_assert_uint_eq(hw_in(&env, 0x42), 0xb4);
	ck_assert_uint_eq(read_word(2), 3000);
	/* A fresh control word shows null count until a count is written. */
	hw_out(&env, 0x43, 0xb0);
	hw_out(&env, 0x43, 0xe8);
	ck_assert_uint_eq(hw_in(&env, 0x42), 0x40 | 0x30);
}
END_TEST

START_TEST(pit_mode0_interrupt_on_terminal_count)
{
	program(0, 0x00, 500);
	ck_assert_int_eq(pit_get_out(pit, 0), 0);
	run_to_tick(499);
	ck_assert_int_eq(irq0.level, 0);
	run_to_tick(500);
	ck_assert_int_eq(irq0.level, 1);
	ck_assert_int_eq(irq0.rises, 1);
	run_to_tick(70000);			/* no reload: one edge only */
	ck_assert_int_eq(irq0.rises, 1);
	/* The counter wrapped through 0 and keeps counting down. */
	ck_assert_uint_eq(read_word(0), (uint16_t)(500 - 70000));
	/* Writing the first byte stops counting; the second restarts. */
	hw_out(&env, 0x40, 0x10);
	ck_assert_int_eq(irq0.level, 1);
	uint16_t held = read_word(0);
	run_to_tick(70100);
	ck_assert_uint_eq(read_word(0), held);
	hw_out(&env, 0x40, 0x00);
	ck_assert_int_eq(irq0.level, 0);
	run_to_tick(70100 + 16);
	ck_assert_int_eq(irq0.level, 1);
}
END_TEST

START_TEST(pit_bcd_and_lsb_only)
{
	hw_out(&env, 0x43, 0x15);		/* ch0, LSB only, mode 2, BCD */
	hw_out(&env, 0x40, 0x99);
	run_to_tick(9);
	ck_assert_uint_eq(hw_in(&env, 0x40), 0x90);
	hw_out(&env, 0x43, 0x35);		/* word, mode 2, BCD */
	hw_out(&env, 0x40, 0x00);
	hw_out(&env, 0x40, 0x10);		/* 1000 decimal */
	run_to_tick(9 + 250);
	ck_assert_uint_eq(read_word(0), 0x0750);
	/* Count 0 in BCD is 10000. */
	hw_out(&env, 0x43, 0x31);		/* mode 0 BCD */
	hw_out(&env, 0x40, 0x00);
	hw_out(&env, 0x40, 0x00);
	run_to_tick(259 + 1);
	ck_assert_uint_eq(read_word(0), 0x9999);
	/* MSB only. */
	hw_out(&env, 0x43, 0x24);		/* MSB only, mode 2 */
	hw_out(&env, 0x40, 0x02);		/* 0x200 */
	run_to_tick(260 + 0x100);
	ck_assert_uint_eq(hw_in(&env, 0x40), 0x01);
}
END_TEST

START_TEST(pit_gate_control)
{
	/* Mode 0 with gate low: counting is suspended. */
	program(2, 0x00, 1000);
	run_to_tick(300);
	ck_assert_uint_eq(read_word(2), 1000);
	pit_set_gate(pit, 2, 1);
	run_to_tick(500);
	ck_assert_uint_eq(read_word(2), 800);
	pit_set_gate(pit, 2, 0);
	run_to_tick(900);
	ck_assert_uint_eq(read_word(2), 800);
	pit_set_gate(pit, 2, 1);
	run_to_tick(1699);
	ck_assert_int_eq(pit_get_out(pit, 2), 0);
	run_to_tick(1700);
	ck_assert_int_eq(pit_get_out(pit, 2), 1);

	/* Mode 1: a rising gate fires a one-shot low pulse, retriggerable. */
	pit_set_gate(pit, 2, 0);
	program(2, 0x02, 100);
	run_to_tick(2000);
	ck_assert_int_eq(pit_get_out(pit, 2), 1);
	pit_set_gate(pit, 2, 1);
	run_to_tick(2050);
	ck_assert_int_eq(pit_get_out(pit, 2), 0);
	pit_set_gate(pit, 2, 0);
	pit_set_gate(pit, 2, 1);		/* retrigger at 2050 */
	run_to_tick(2149);
	ck_assert_int_eq(pit_get_out(pit, 2), 0);
	run_to_tick(2150);
	ck_assert_int_eq(pit_get_out(pit, 2), 1);

	/* Mode 3 gate low forces OUT high and a rising gate restarts. */
	program(2, 0x06, 100);
	run_to_tick(2150 + 60);
	ck_assert_int_eq(pit_get_out(pit, 2), 0);
	pit_set_gate(pit, 2, 0);
	ck_assert_int_eq(pit_get_out(pit, 2), 1);
	pit_set_gate(pit, 2, 1);
	run_to_tick(2150 + 60 + 49);
	ck_assert_int_eq(pit_get_out(pit, 2), 1);
}
END_TEST

START_TEST(pit_mode4_strobe)
{
	program(0, 0x08, 300);
	run_to_tick(299);
	ck_assert_int_eq(irq0.level, 1);
	ck_assert_int_eq(irq0.rises, 1);	/* the control word set OUT high */
	run_to_tick(300);
	ck_assert_int_eq(pit_get_out(pit, 0), 0);
	run_to_tick(301);
	ck_assert_int_eq(pit_get_out(pit, 0), 1);
	ck_assert_int_eq(irq0.rises, 2);
	run_to_tick(100000);
	ck_assert_int_eq(irq0.rises, 2);
}
END_TEST

START_TEST(pit_snapshot_roundtrip)
{
	program(0, 0x04, 1193);
	program(1, 0x06, 18);
	run_to_tick(5000);
	hw_out(&env, 0x43, 0x00);		/* a pending latch is state too */
	struct snap s;
	snap_init(&s);
	pit_desc.save(pit, &s);
	pit_desc.reset(pit);
	ck_assert_int_eq(irq0.level, 0);
	struct snap r;
	snap_open(&r, s.data, s.len);
	ck_assert_int_eq(pit_desc.load(pit, &r), 0);
	snap_free(&s);
	ck_assert_int_eq(irq0.level, 1);
	int rises = irq0.rises;
	ck_assert_uint_eq(read_word(0), 1193 - 5000 % 1193);
	run_to_tick(1193 * 10);
	ck_assert_int_eq(irq0.rises - rises, 10 - 5000 / 1193);
}
END_TEST

Suite *pit_suite(void)
{
	Suite *s = suite_create("pit");
	TCase *tc = tcase_create("i8254");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, pit_mode2_rate_generator_irq0);
	tcase_add_test(tc, pit_mode3_square_wave);
	tcase_add_test(tc, pit_counter_latch);
	tcase_add_test(tc, pit_read_back);
	tcase_add_test(tc, pit_mode0_interrupt_on_terminal_count);
	tcase_add_test(tc, pit_bcd_and_lsb_only);
	tcase_add_test(tc, pit_gate_control);
	tcase_add_test(tc, pit_mode4_strobe);
	tcase_add_test(tc, pit_snapshot_roundtrip);
	suite_add_tcase(s, tc);
	return s;
}
