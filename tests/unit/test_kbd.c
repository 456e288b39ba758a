/* i8042 (at) and PPI keyboard port (xt) through ports 60h/64h. */
#include <check.h>
#include <errno.h>
#include <stdlib.h>

#include "hw/kbd.h"
#include "hw/sysctl.h"
#include "tests/unit/hw_harness.h"

#define MS 1000000ull

static struct hw_env env;
static struct irq_probe irq1;
static struct kbd *kbd;
static int a20_calls, a20_state, resets;

static void set_a20(void *opaque, bool on)
{
	(void)opaque;
	a20_calls++;
	a20_state = on;
}

static void do_reset(void *opaque)
{
	(void)opaque;
	resets++;
}

static void setup(void)
{
	hw_env_init(&env);
	irq_probe_init(&irq1);
	a20_calls = a20_state = resets = 0;
	struct kbd_callbacks cb = { set_a20, do_reset, NULL };
	kbd = kbd_new(env.io, env.clk, &irq1.line, false, &cb);
	ck_assert_ptr_nonnull(kbd);
}

static void teardown(void)
{
	kbd_desc.free(kbd);
	hw_env_free(&env);
}

static uint8_t status(void)
{
	return hw_in(&env, 0x64);
}

/* Waits (in virtual time) for the output buffer like a BIOS loop would. */
static int read_data(void)
{
	for (int i = 0; i < 100; i++) {
		if (status() & 1)
			return hw_in(&env, 0x60);
		hw_advance_ns(&env, 100000);
	}
	return -1;
}

START_TEST(kbd_controller_self_test)
{
	ck_assert_uint_eq(status() & 0x13, 0x10);	/* empty, not inhibited */
	hw_out(&env, 0x64, 0xaa);
	ck_assert_uint_eq(status() & 0x09, 0x09);	/* OBF, last write a command */
	ck_assert_uint_eq(hw_in(&env, 0x60), 0x55);
	ck_assert_uint_eq(status() & 1, 0);
	hw_out(&env, 0x64, 0xab);
	ck_assert_int_eq(read_data(), 0x00);
	hw_out(&env, 0x64, 0xc0);
	ck_assert_int_eq(read_data(), 0xb0);
	/* Command byte: default, then written and read back. */
	hw_out(&env, 0x64, 0x20);
	ck_assert_int_eq(read_data(), 0x61);
	hw_out(&env, 0x64, 0x60);
	hw_out(&env, 0x60, 0x45);
	ck_assert_uint_eq(status() & 0x0c, 0x04);	/* system flag, data write */
	hw_out(&env, 0x64, 0x20);
	ck_assert_int_eq(read_data(), 0x45);
	/* Controller replies raise IRQ1 when enabled. */
	ck_assert_int_eq(irq1.rises, 5);
	/* A reset keeps the system flag (warm boot) but restores the rest. */
	kbd_desc.reset(kbd);
	hw_out(&env, 0x64, 0x20);
	ck_assert_int_eq(read_data(), 0x65);
	ck_assert_uint_eq(status() & 0x04, 0x04);
}
END_TEST

START_TEST(kbd_scancode_queue_irq1)
{
	const uint8_t codes[] = { 0x1e, 0x9e, 0xe0, 0x48, 0xe0, 0xc8 };
	ck_assert_int_eq(kbd_put_scancodes(kbd, codes, 6), 0);
	ck_assert_int_eq(irq1.level, 1);
	ck_assert_uint_eq(status() & 1, 1);
	ck_assert_uint_eq(hw_in(&env, 0x60), 0x1e);
	ck_assert_int_eq(irq1.level, 0);
	/* The next byte follows a keyboard byte time later. */
	ck_assert_uint_eq(status() & 1, 0);
	hw_advance_ns(&env, 1 * MS);
	ck_assert_int_eq(irq1.level, 1);
	ck_assert_uint_eq(hw_in(&env, 0x60), 0x9e);
	for (int i = 2; i < 6; i++)
		ck_assert_int_eq(read_data(), codes[i]);
	ck_assert_int_eq(irq1.rises, 6);
	/* IRQ1 disabled in the command byte: OBF without interrupt. */
	hw_out(&env, 0x64, 0x60);
	hw_out(&env, 0x60, 0x60);
	kbd_put_scancodes(kbd, codes, 1);
	ck_assert_uint_eq(status() & 1, 1);
	ck_assert_int_eq(irq1.level, 0);
	ck_assert_uint_eq(hw_in(&env, 0x60), 0x1e);
}
END_TEST

START_TEST(kbd_queue_bounded)
{
	uint8_t many[KBD_QUEUE_SIZE + 1] = { 0 };
	ck_assert_int_eq(kbd_put_scancodes(kbd, many, KBD_QUEUE_SIZE + 1), -ENOSPC);
	ck_assert_uint_eq(status() & 1, 0);		/* nothing queued */
	ck_assert_int_eq(kbd_put_scancodes(kbd, many, KBD_QUEUE_SIZE), 0);
	/* One went to the output buffer, so one more fits, not two. */
	ck_assert_int_eq(kbd_put_scancodes(kbd, many, 2), -ENOSPC);
	ck_assert_int_eq(kbd_put_scancodes(kbd, many, 1), 0);
}
END_TEST

START_TEST(kbd_disable_interface)
{
	const uint8_t c = 0x2c;
	hw_out(&env, 0x64, 0xad);
	kbd_put_scancodes(kbd, &c, 1);
	hw_advance_ns(&env, 5 * MS);
	ck_assert_uint_eq(status() & 1, 0);
	hw_out(&env, 0x64, 0xae);
	ck_assert_int_eq(read_data(), 0x2c);
}
END_TEST

START_TEST(kbd_keyboard_commands)
{
	hw_out(&env, 0x60, 0xff);			/* reset */
	ck_assert_int_eq(read_data(), 0xfa);
	ck_assert_int_eq(read_data(), 0xaa);
	hw_out(&env, 0x60, 0xf2);			/* identify, translated */
	ck_assert_int_eq(read_data(), 0xfa);
	ck_assert_int_eq(read_data(), 0xab);
	ck_assert_int_eq(read_data(), 0x41);
	hw_out(&env, 0x60, 0xee);			/* echo: no ACK */
	ck_assert_int_eq(read_data(), 0xee);
	hw_out(&env, 0x60, 0xed);			/* LEDs take an argument */
	ck_assert_int_eq(read_data(), 0xfa);
	hw_out(&env, 0x60, 0x07);
	ck_assert_int_eq(read_data(), 0xfa);
	hw_out(&env, 0x60, 0xf3);
	ck_assert_int_eq(read_data(), 0xfa);
	hw_out(&env, 0x60, 0x20);
	ck_assert_int_eq(read_data(), 0xfa);
	hw_out(&env, 0x60, 0xf0);			/* get scan code set */
	ck_assert_int_eq(read_data(), 0xfa);
	hw_out(&env, 0x60, 0x00);
	ck_assert_int_eq(read_data(), 0xfa);
	ck_assert_int_eq(read_data(), 0x41);		/* set 2, translated */
	hw_out(&env, 0x60, 0x12);			/* unknown: resend */
	ck_assert_int_eq(read_data(), 0xfe);
	/* Disabled keyboard drops keys; F4 re-enables. */
	hw_out(&env, 0x60, 0xf5);
	ck_assert_int_eq(read_data(), 0xfa);
	const uint8_t c = 0x1c;
	ck_assert_int_eq(kbd_put_scancodes(kbd, &c, 1), -EAGAIN);
	hw_out(&env, 0x60, 0xf4);
	ck_assert_int_eq(read_data(), 0xfa);
	ck_assert_int_eq(kbd_put_scancodes(kbd, &c, 1), 0);
	ck_assert_int_eq(read_data(), 0x1c);
	ck_assert_int_eq(read_data(), -1);
}
END_TEST

START_TEST(kbd_reply_before_queued_keys)
{
	const uint8_t keys[] = { 0x10, 0x90 };
	kbd_put_scancodes(kbd, keys, 2);
	hw_out(&env, 0x60, 0xed);			/* while 10h is unread */
	ck_assert_int_eq(read_data(), 0x10);
	ck_assert_int_eq(read_data(), 0xfa);		/* ACK before 90h */
	ck_assert_int_eq(read_data(), 0x90);
	/* A controller reply does not lose an unread key. */
	kbd_put_scancodes(kbd, keys, 1);
	hw_out(&env, 0x64, 0xaa);
	ck_assert_int_eq(read_data(), 0x55);
	ck_assert_int_eq(read_data(), 0x10);
}
END_TEST

START_TEST(kbd_output_port_a20_reset)
{
	ck_assert_int_eq(a20_state, 0);
	hw_out(&env, 0x64, 0xd1);
	hw_out(&env, 0x60, 0xdf);			/* A20 on */
	ck_assert_int_eq(a20_state, 1);
	hw_out(&env, 0x64, 0xd0);
	ck_assert_int_eq(read_data() & 0x03, 0x03);
	hw_out(&env, 0x64, 0xdd);			/* A20 off (short form) */
	ck_assert_int_eq(a20_state, 0);
	ck_assert_int_eq(resets, 0);
	hw_out(&env, 0x64, 0xfe);			/* pulse reset */
	ck_assert_int_eq(resets, 1);
	hw_out(&env, 0x64, 0xff);			/* pulse nothing */
	ck_assert_int_eq(resets, 1);
	hw_out(&env, 0x64, 0xd1);
	hw_out(&env, 0x60, 0xdc);			/* bit 0 low: reset */
	ck_assert_int_eq(resets, 2);
	/* D2: the byte comes back as if typed. */
	hw_out(&env, 0x64, 0xd2);
	hw_out(&env, 0x60, 0x3b);
	ck_assert_int_eq(read_data(), 0x3b);
}
END_TEST

START_TEST(kbd_snapshot_roundtrip)
{
	const uint8_t keys[] = { 0x02, 0x82, 0x03 };
	kbd_put_scancodes(kbd, keys, 3);
	hw_out(&env, 0x64, 0x60);
	hw_out(&env, 0x60, 0x47);
	struct snap s;
	snap_init(&s);
	kbd_desc.save(kbd, &s);
	kbd_desc.reset(kbd);
	ck_assert_uint_eq(status() & 1, 0);
	struct snap r;
	snap_open(&r, s.data, s.len);
	ck_assert_int_eq(kbd_desc.load(kbd, &r), 0);
	snap_free(&s);
	ck_assert_int_eq(read_data(), 0x02);
	ck_assert_int_eq(read_data(), 0x82);
	ck_assert_int_eq(read_data(), 0x03);
	hw_out(&env, 0x64, 0x20);
	ck_assert_int_eq(read_data(), 0x47);
}
END_TEST

/* xt: the PPI latch, cleared through port 61h bit 7 (via sysctl). */
START_TEST(kbd_xt_ppi)
{
	struct hw_env e;
	struct irq_probe irq;
	hw_env_init(&e);
	irq_probe_init(&irq);
	struct kbd *k = kbd_new(e.io, e.clk, &irq.line, true, NULL);
	ck_assert_ptr_nonnull(k);
	struct sysctl_config cfg = { .xt = true,
		.xt_switches = sysctl_xt_switches(2, SYSCTL_VIDEO_CGA80, 640, false) };
	struct sysctl *sc = sysctl_new(e.io, e.clk, NULL, k, &cfg);
	ck_assert_ptr_nonnull(sc);
	ck_assert_uint_eq(ioport_read(e.io, 0x64, 1), 0xff);	/* no 8042 */
	/* POST: clock low 20 ms, then released: the keyboard answers AAh. */
	ioport_write(e.io, 0x61, 0x08, 1);
	hw_advance_ns(&e, 20 * MS);
	ioport_write(e.io, 0x61, 0x48, 1);
	ck_assert_int_eq(irq.level, 1);
	ck_assert_uint_eq(ioport_read(e.io, 0x60, 1), 0xaa);
	ck_assert_uint_eq(ioport_read(e.io, 0x60, 1), 0xaa);	/* reading keeps it */
	ioport_write(e.io, 0x61, 0xc8, 1);			/* clear latch */
	ck_assert_int_eq(irq.level, 0);
	ioport_write(e.io, 0x61, 0x48, 1);
	const uint8_t keys[] = { 0x1e, 0x9e };
	kbd_put_scancodes(k, keys, 2);
	ck_assert_int_eq(irq.level, 1);
	ck_assert_uint_eq(ioport_read(e.io, 0x60, 1), 0x1e);
	ioport_write(e.io, 0x61, 0xc8, 1);
	ioport_write(e.io, 0x61, 0x48, 1);
	hw_advance_ns(&e, 2 * MS);
	ck_assert_uint_eq(ioport_read(e.io, 0x60, 1), 0x9e);
	ck_assert_int_eq(irq.rises, 3);
	/* Switches: 2 floppies, CGA 80x25, 640K = 0x6d; PB3 picks the half. */
	ioport_write(e.io, 0x61, 0x40, 1);
	ck_assert_uint_eq(ioport_read(e.io, 0x62, 1) & 0x0f, 0x0d);
	ioport_write(e.io, 0x61, 0x48, 1);
	ck_assert_uint_eq(ioport_read(e.io, 0x62, 1) & 0x0f, 0x06);
	ck_assert_uint_eq(ioport_read(e.io, 0x61, 1), 0x48);	/* PPI latch */
	sysctl_desc.free(sc);
	kbd_desc.free(k);
	hw_env_free(&e);
}
END_TEST

Suite *kbd_suite(void)
{
	Suite *s = suite_create("kbd");
	TCase *tc = tcase_create("i8042");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, kbd_controller_self_test);
	tcase_add_test(tc, kbd_scancode_queue_irq1);
	tcase_add_test(tc, kbd_queue_bounded);
	tcase_add_test(tc, kbd_disable_interface);
	tcase_add_test(tc, kbd_keyboard_commands);
	tcase_add_test(tc, kbd_reply_before_queued_keys);
	tcase_add_test(tc, kbd_output_port_a20_reset);
	tcase_add_test(tc, kbd_snapshot_roundtrip);
	tcase_add_test(tc, kbd_xt_ppi);
	suite_add_tcase(s, tc);
	return s;
}
