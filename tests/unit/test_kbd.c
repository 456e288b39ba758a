/* i8042 (at) and PPI keyboard port (xt) through ports 60h/64h. */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

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
	ck_assert_int_eq(a20_state, 1);			/* open after reset */
	hw_out(&env, 0x64, 0xd1);
	hw_out(&env, 0x60, 0xdd);			/* A20 off */
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


/* --- PS/2 mouse, set 2, typematic --- */

static void aux_cmd(uint8_t v)
{
	hw_out(&env, 0x64, 0xd4);
	hw_out(&env, 0x60, v);
}

/* Next byte, which must come from the aux port. */
static int read_aux(void)
{
	for (int i = 0; i < 100; i++) {
		uint8_t st = status();
		if (st & 1) {
			ck_assert_msg(st & 0x20, "byte not from the aux port");
			return hw_in(&env, 0x60);
		}
		hw_advance_ns(&env, 100000);
	}
	return -1;
}

START_TEST(kbd_mouse_commands_and_packets)
{
	struct irq_probe irq12;
	irq_probe_init(&irq12);
	kbd_set_aux_irq(kbd, &irq12.line);
	hw_out(&env, 0x64, 0xa9);
	ck_assert_int_eq(read_data(), 0x00);
	hw_out(&env, 0x64, 0xa8);			/* aux on, IRQ12 on */
	hw_out(&env, 0x64, 0x60);
	hw_out(&env, 0x60, 0x47);
	aux_cmd(0xff);
	ck_assert_int_eq(irq12.level, 1);
	ck_assert_int_eq(irq1.level, 0);
	ck_assert_int_eq(read_aux(), 0xfa);
	ck_assert_int_eq(read_aux(), 0xaa);
	ck_assert_int_eq(read_aux(), 0x00);
	aux_cmd(0xf2);
	ck_assert_int_eq(read_aux(), 0xfa);
	ck_assert_int_eq(read_aux(), 0x00);
	/* Disabled: movement is not reported. */
	kbd_mouse_event(kbd, 5, 5, 0, 0);
	hw_advance_ns(&env, 2 * MS);
	ck_assert_uint_eq(status() & 1, 0);
	aux_cmd(0xe8);
	ck_assert_int_eq(read_aux(), 0xfa);
	hw_out(&env, 0x64, 0xd4);
	hw_out(&env, 0x60, 0x03);
	ck_assert_int_eq(read_aux(), 0xfa);
	aux_cmd(0xf4);
	ck_assert_int_eq(read_aux(), 0xfa);
	ck_assert(kbd_mouse_enabled(kbd));
	/* Right 10, up 3 (dy -3 on screen), left button. */
	kbd_mouse_event(kbd, 10, -3, 0, KBD_MOUSE_LEFT);
	ck_assert_int_eq(read_aux(), 0x09);
	ck_assert_int_eq(read_aux(), 10);
	ck_assert_int_eq(read_aux(), 3);
	/* Left 300 (overflow), down 2, right button. */
	kbd_mouse_event(kbd, -300, 2, 0, KBD_MOUSE_RIGHT);
	ck_assert_int_eq(read_aux(), 0x08 | 0x02 | 0x10 | 0x20 | 0x40);
	ck_assert_int_eq(read_aux(), 0x00);		/* -256 */
	ck_assert_int_eq(read_aux(), 0xfe);		/* -2 */
	/* Status: enabled, right button held, resolution 3, rate 100. */
	aux_cmd(0xe9);
	ck_assert_int_eq(read_aux(), 0xfa);
	ck_assert_int_eq(read_aux(), 0x21);
	ck_assert_int_eq(read_aux(), 3);
	ck_assert_int_eq(read_aux(), 100);
	/* 2:1 scaling: 3 -> 3, 4 -> 6, 10 -> 20. */
	aux_cmd(0xe7);
	ck_assert_int_eq(read_aux(), 0xfa);
	kbd_mouse_event(kbd, 4, -10, 0, 0);
	ck_assert_int_eq(read_aux(), 0x08);
	ck_assert_int_eq(read_aux(), 6);
	ck_assert_int_eq(read_aux(), 20);
	aux_cmd(0xe6);
	ck_assert_int_eq(read_aux(), 0xfa);
	/* A7h holds aux bytes back; keyboard bytes still flow. */
	hw_out(&env, 0x64, 0xa7);
	kbd_mouse_event(kbd, 1, 0, 0, 0);
	const uint8_t key = 0x1e;
	kbd_put_scancodes(kbd, &key, 1);
	ck_assert_int_eq(read_data(), 0x1e);
	ck_assert_uint_eq(status() & 1, 0);
	hw_out(&env, 0x64, 0xa8);
	ck_assert_int_eq(read_aux(), 0x08);
	ck_assert_int_eq(read_aux(), 1);
	ck_assert_int_eq(read_aux(), 0);
	/* D3h: a byte as if from the mouse. */
	hw_out(&env, 0x64, 0xd3);
	hw_out(&env, 0x60, 0x5a);
	ck_assert_int_eq(read_aux(), 0x5a);
	/* Unknown command. */
	aux_cmd(0x12);
	ck_assert_int_eq(read_aux(), 0xfe);
}
END_TEST

START_TEST(kbd_mouse_wheel_knock)
{
	hw_out(&env, 0x64, 0xa8);
	static const uint8_t wrong[] = { 200, 80, 100 }, knock[] = { 200, 100, 80 };
	for (int i = 0; i < 3; i++) {
		aux_cmd(0xf3);
		ck_assert_int_eq(read_aux(), 0xfa);
		aux_cmd(wrong[i]);
		ck_assert_int_eq(read_aux(), 0xfa);
	}
	aux_cmd(0xf2);
	ck_assert_int_eq(read_aux(), 0xfa);
	ck_assert_int_eq(read_aux(), 0x00);		/* still a plain mouse */
	for (int i = 0; i < 3; i++) {
		aux_cmd(0xf3);
		ck_assert_int_eq(read_aux(), 0xfa);
		aux_cmd(knock[i]);
		ck_assert_int_eq(read_aux(), 0xfa);
	}
	aux_cmd(0xf2);
	ck_assert_int_eq(read_aux(), 0xfa);
	ck_assert_int_eq(read_aux(), 0x03);
	aux_cmd(0xf4);
	ck_assert_int_eq(read_aux(), 0xfa);
	kbd_mouse_event(kbd, 0, 0, -2, KBD_MOUSE_MIDDLE);
	ck_assert_int_eq(read_aux(), 0x0c);
	ck_assert_int_eq(read_aux(), 0);
	ck_assert_int_eq(read_aux(), 0);
	ck_assert_int_eq(read_aux(), 0xfe);		/* 4th byte: wheel -2 */
	/* Reset forgets the wheel. */
	aux_cmd(0xff);
	ck_assert_int_eq(read_aux(), 0xfa);
	ck_assert_int_eq(read_aux(), 0xaa);
	ck_assert_int_eq(read_aux(), 0x00);
	/* Remote mode: movement waits for EBh. */
	aux_cmd(0xf0);
	ck_assert_int_eq(read_aux(), 0xfa);
	kbd_mouse_event(kbd, 7, 0, 0, 0);
	hw_advance_ns(&env, 2 * MS);
	ck_assert_uint_eq(status() & 1, 0);
	aux_cmd(0xeb);
	ck_assert_int_eq(read_aux(), 0xfa);
	ck_assert_int_eq(read_aux(), 0x08);
	ck_assert_int_eq(read_aux(), 7);
	ck_assert_int_eq(read_aux(), 0);
}
END_TEST

START_TEST(kbd_set2_when_translation_off)
{
	uint8_t out[16];
	static const uint8_t a[] = { 0x1e }, a_up[] = { 0x9e };
	static const uint8_t up[] = { 0xe0, 0x48 }, up_rel[] = { 0xe0, 0xc8 };
	static const uint8_t pause[] = { 0xe1, 0x1d, 0x45, 0xe1, 0x9d, 0xc5 };
	static const uint8_t prtsc[] = { 0xe0, 0x2a, 0xe0, 0x37 };
	static const uint8_t lwin[] = { 0xe0, 0x5b };
	ck_assert_int_eq(kbd_set1_to_set2(a, 1, out, 16), 1);
	ck_assert_uint_eq(out[0], 0x1c);
	ck_assert_int_eq(kbd_set1_to_set2(a_up, 1, out, 16), 2);
	ck_assert_uint_eq(out[0], 0xf0);
	ck_assert_uint_eq(out[1], 0x1c);
	ck_assert_int_eq(kbd_set1_to_set2(up, 2, out, 16), 2);
	ck_assert_uint_eq(out[1], 0x75);
	ck_assert_int_eq(kbd_set1_to_set2(up_rel, 2, out, 16), 3);
	ck_assert_uint_eq(out[0], 0xe0);
	ck_assert_uint_eq(out[1], 0xf0);
	ck_assert_uint_eq(out[2], 0x75);
	ck_assert_int_eq(kbd_set1_to_set2(pause, 6, out, 16), 8);
	static const uint8_t pause2[] = { 0xe1, 0x14, 0x77, 0xe1, 0xf0, 0x14, 0xf0, 0x77 };
	ck_assert_int_eq(memcmp(out, pause2, 8), 0);
	ck_assert_int_eq(kbd_set1_to_set2(prtsc, 4, out, 16), 4);
	ck_assert_uint_eq(out[1], 0x12);
	ck_assert_uint_eq(out[3], 0x7c);
	ck_assert_int_eq(kbd_set1_to_set2(lwin, 2, out, 16), 2);
	ck_assert_uint_eq(out[1], 0x1f);
	/* Through the controller: translation off gives set 2. */
	hw_out(&env, 0x64, 0x60);
	hw_out(&env, 0x60, 0x21);			/* IRQ1, sys, no XLAT */
	kbd_put_scancodes(kbd, up_rel, 2);
	ck_assert_int_eq(read_data(), 0xe0);
	ck_assert_int_eq(read_data(), 0xf0);
	ck_assert_int_eq(read_data(), 0x75);
	/* Set 1 selected with F0h 01h: raw set 1. */
	hw_out(&env, 0x60, 0xf0);
	ck_assert_int_eq(read_data(), 0xfa);
	hw_out(&env, 0x60, 0x01);
	ck_assert_int_eq(read_data(), 0xfa);
	kbd_put_scancodes(kbd, a_up, 1);
	ck_assert_int_eq(read_data(), 0x9e);
	/* Translation back on: set 1 whatever the set. */
	hw_out(&env, 0x64, 0x60);
	hw_out(&env, 0x60, 0x61);
	hw_out(&env, 0x60, 0xf0);
	ck_assert_int_eq(read_data(), 0xfa);
	hw_out(&env, 0x60, 0x02);
	ck_assert_int_eq(read_data(), 0xfa);
	kbd_put_scancodes(kbd, a_up, 1);
	ck_assert_int_eq(read_data(), 0x9e);
}
END_TEST

START_TEST(kbd_typematic_in_virtual_time)
{
	static const uint8_t a[] = { 0x1e }, a_up[] = { 0x9e };
	/* Delay 250 ms, rate 30 cps (33.4 ms). */
	hw_out(&env, 0x60, 0xf3);
	ck_assert_int_eq(read_data(), 0xfa);
	hw_out(&env, 0x60, 0x00);
	ck_assert_int_eq(read_data(), 0xfa);
	kbd_put_scancodes(kbd, a, 1);
	ck_assert_int_eq(read_data(), 0x1e);
	hw_advance_ns(&env, 240 * MS);
	ck_assert_uint_eq(status() & 1, 0);		/* still within the delay */
	hw_advance_ns(&env, 20 * MS);
	ck_assert_int_eq(read_data(), 0x1e);		/* first repeat */
	int n = 0;
	for (int i = 0; i < 1000; i++) {		/* 1 s more */
		hw_advance_ns(&env, 1 * MS);
		if (status() & 1) {
			ck_assert_uint_eq(hw_in(&env, 0x60), 0x1e);
			n++;
		}
	}
	ck_assert_int_ge(n, 29);
	ck_assert_int_le(n, 31);
	kbd_put_scancodes(kbd, a_up, 1);
	ck_assert_int_eq(read_data(), 0x9e);
	hw_advance_ns(&env, 1000 * MS);
	ck_assert_uint_eq(status() & 1, 0);		/* released: no more */
	/* LEDs. */
	hw_out(&env, 0x60, 0xed);
	ck_assert_int_eq(read_data(), 0xfa);
	hw_out(&env, 0x60, 0x05);
	ck_assert_int_eq(read_data(), 0xfa);
	ck_assert_uint_eq(kbd_leds(kbd), 5);
}
END_TEST

/* Random controller, keyboard and mouse traffic keeps every queue bounded
 * and every byte read a byte some queue held (run under ASan). */
START_TEST(kbd_random_traffic_is_safe)
{
	struct irq_probe irq12;
	irq_probe_init(&irq12);
	kbd_set_aux_irq(kbd, &irq12.line);
	uint32_t x = 777;
	for (int i = 0; i < 100000; i++) {
		x = x * 1103515245u + 12345u;
		uint32_t r = x >> 8;
		uint8_t b = (uint8_t)(r >> 8);
		switch (r % 7) {
		case 0:
			hw_out(&env, 0x64, b);
			break;
		case 1:
			hw_out(&env, 0x60, b);
			break;
		case 2:
			(void)hw_in(&env, 0x60);
			(void)hw_in(&env, 0x64);
			break;
		case 3: {
			uint8_t codes[8];
			for (int k = 0; k < 8; k++)
				codes[k] = (uint8_t)(r >> k);
			(void)kbd_put_scancodes(kbd, codes, 1 + (int)(r >> 20) % 8);
			break;
		}
		case 4:
			kbd_mouse_event(kbd, (int)(r % 2001) - 1000, (int)(r >> 11) % 600 - 300,
					(int)(r >> 3) % 20 - 10, r >> 25);
			break;
		default:
			hw_advance_ns(&env, r % 5000000);
			break;
		}
	}
	/* Whatever happened, a reset brings back a working controller (the
	 * 64h writes above may have pulsed reset lines and A20). */
	kbd_desc.reset(kbd);
	hw_out(&env, 0x64, 0xaa);
	ck_assert_int_eq(read_data(), 0x55);
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
	tcase_add_test(tc, kbd_mouse_commands_and_packets);
	tcase_add_test(tc, kbd_mouse_wheel_knock);
	tcase_add_test(tc, kbd_set2_when_translation_off);
	tcase_add_test(tc, kbd_typematic_in_virtual_time);
	tcase_add_test(tc, kbd_random_traffic_is_safe);
	suite_add_tcase(s, tc);
	return s;
}
