/* MC146818 through ports 70h/71h with a fixed, deterministic time base. */
#include <check.h>
#include <stdlib.h>

#include "hw/cmos.h"
#include "tests/unit/hw_harness.h"

#define LEAP_EVE 1709251198	/* 2024-02-29 23:59:58, a Thursday */
#define MS 1000000ull		/* ns */

static struct hw_env env;
static struct irq_probe irq8;
static struct cmos *cmos;

static void setup(void)
{
	hw_env_init(&env);
	irq_probe_init(&irq8);
	cmos = cmos_new(env.io, 0x70, env.clk, &irq8.line, LEAP_EVE);
	ck_assert_ptr_nonnull(cmos);
}

static void teardown(void)
{
	cmos_desc.free(cmos);
	hw_env_free(&env);
}

static uint8_t rd(uint8_t idx)
{
	hw_out(&env, 0x70, idx);
	return hw_in(&env, 0x71);
}

static void wr(uint8_t idx, uint8_t v)
{
	hw_out(&env, 0x70, idx);
	hw_out(&env, 0x71, v);
}

START_TEST(cmos_bcd_time_and_rollover)
{
	ck_assert_uint_eq(rd(0x0a), 0x26);
	ck_assert_uint_eq(rd(0x0b), 0x02);
	ck_assert_uint_eq(rd(0x0d), 0x80);
	ck_assert_uint_eq(rd(0x00), 0x58);
	ck_assert_uint_eq(rd(0x02), 0x59);
	ck_assert_uint_eq(rd(0x04), 0x23);
	ck_assert_uint_eq(rd(0x06), 0x05);
	ck_assert_uint_eq(rd(0x07), 0x29);
	ck_assert_uint_eq(rd(0x08), 0x02);
	ck_assert_uint_eq(rd(0x09), 0x24);
	ck_assert_uint_eq(rd(0x32), 0x20);
	/* Time moves with virtual time only. */
	hw_advance_ns(&env, 999 * MS);
	ck_assert_uint_eq(rd(0x00), 0x58);
	hw_advance_ns(&env, 1001 * MS);
	ck_assert_uint_eq(rd(0x00), 0x00);
	ck_assert_uint_eq(rd(0x04), 0x00);
	ck_assert_uint_eq(rd(0x07), 0x01);
	ck_assert_uint_eq(rd(0x08), 0x03);
	ck_assert_uint_eq(rd(0x06), 0x06);
}
END_TEST

START_TEST(cmos_binary_and_12h)
{
	wr(0x0b, 0x06);				/* binary, 24 h */
	ck_assert_uint_eq(rd(0x00), 58);
	ck_assert_uint_eq(rd(0x04), 23);
	ck_assert_uint_eq(rd(0x09), 24);
	wr(0x0b, 0x04);				/* binary, 12 h */
	ck_assert_uint_eq(rd(0x04), 0x80 | 11);
	wr(0x0b, 0x00);				/* BCD, 12 h */
	ck_assert_uint_eq(rd(0x04), 0x91);
	hw_advance_ns(&env, 2000 * MS);		/* midnight is 12 AM */
	ck_assert_uint_eq(rd(0x04), 0x12);
}
END_TEST

START_TEST(cmos_set_time)
{
	wr(0x0b, 0x82);				/* SET: updates stop */
	wr(0x04, 0x10);
	wr(0x02, 0x30);
	wr(0x00, 0x00);
	hw_advance_ns(&env, 5000 * MS);
	ck_assert_uint_eq(rd(0x00), 0x00);	/* frozen while SET */
	wr(0x0b, 0x02);
	ck_assert_uint_eq(rd(0x04), 0x10);
	ck_assert_uint_eq(rd(0x02), 0x30);
	hw_advance_ns(&env, 1500 * MS);
	ck_assert_uint_eq(rd(0x00), 0x01);
	ck_assert_uint_eq(rd(0x07), 0x29);
	/* Writing a field while running keeps the others going. */
	wr(0x09, 0x99);
	wr(0x32, 0x19);
	ck_assert_uint_eq(rd(0x09), 0x99);
	ck_assert_uint_eq(rd(0x32), 0x19);
	ck_assert_uint_eq(rd(0x02), 0x30);
}
END_TEST

START_TEST(cmos_uip_window)
{
	/* The second changes at 1 s, 2 s ... after creation. */
	hw_advance_ns(&env, 500 * MS);
	ck_assert_uint_eq(rd(0x0a) & 0x80, 0);
	hw_advance_ns(&env, 499 * MS);		/* 999 ms: update imminent */
	ck_assert_uint_eq(rd(0x0a) & 0x80, 0x80);
	ck_assert_uint_eq(rd(0x00), 0x58);
	hw_advance_ns(&env, 2 * MS);
	ck_assert_uint_eq(rd(0x0a) & 0x80, 0);
	ck_assert_uint_eq(rd(0x00), 0x59);
}
END_TEST

START_TEST(cmos_periodic_flag_and_irq)
{
	/* PIE off: PF still sets at the 1024 Hz rate; IRQ stays low. */
	hw_advance_ns(&env, 1 * MS);
	ck_assert_uint_eq(rd(0x0c), 0x40);
	ck_assert_uint_eq(rd(0x0c), 0x00);	/* cleared on read */
	ck_assert_int_eq(irq8.level, 0);
	/* PIE on with rate 6 (976.5625 us). */
	wr(0x0b, 0x42);
	hw_advance_ns(&env, 1 * MS);
	ck_assert_int_eq(irq8.level, 1);
	ck_assert_uint_eq(rd(0x0c), 0xc0);
	ck_assert_int_eq(irq8.level, 0);
	/* Acknowledged each time, 100 ms give 102 or 103 interrupts. */
	irq8.rises = 0;
	for (int i = 0; i < 1000; i++) {
		hw_advance_ns(&env, 100000);
		if (irq8.level)
			rd(0x0c);
	}
	ck_assert_int_ge(irq8.rises, 102);
	ck_assert_int_le(irq8.rises, 103);
	/* Rate 1 repeats rate 8: 256 Hz. */
	wr(0x0a, 0x21);
	rd(0x0c);
	irq8.rises = 0;
	hw_advance_ns(&env, 3800000);
	ck_assert_int_eq(irq8.rises, 0);
	hw_advance_ns(&env, 200000);
	ck_assert_int_eq(irq8.rises, 1);
	/* Rate 15 = 2 Hz. */
	wr(0x0a, 0x2f);
	rd(0x0c);
	irq8.rises = 0;
	hw_advance_ns(&env, 499 * MS);
	ck_assert_int_eq(irq8.rises, 0);
	hw_advance_ns(&env, 2 * MS);
	ck_assert_int_eq(irq8.rises, 1);
}
END_TEST

START_TEST(cmos_update_and_alarm_irq)
{
	wr(0x0b, 0x12);				/* UIE */
	hw_advance_ns(&env, 999 * MS);
	ck_assert_int_eq(irq8.level, 0);
	hw_advance_ns(&env, 2 * MS);
	ck_assert_int_eq(irq8.level, 1);
	/* PF is set too (rate 6 runs with PIE off): ignore it here. */
	ck_assert_uint_eq(rd(0x0c) & ~0x40, 0x90);
	/* Alarm at 00:00:01, hours don't care. */
	wr(0x0b, 0x22);
	wr(0x01, 0x01);
	wr(0x03, 0x00);
	wr(0x05, 0xc0);
	hw_advance_ns(&env, 1000 * MS);		/* 00:00:00 */
	ck_assert_int_eq(irq8.level, 0);
	ck_assert_uint_eq(rd(0x0c) & ~0x40, 0x10);	/* UF without UIE: no IRQ */
	hw_advance_ns(&env, 1000 * MS);		/* 00:00:01 */
	ck_assert_int_eq(irq8.level, 1);
	ck_assert_uint_eq(rd(0x0c) & ~0x40, 0xb0);
}
END_TEST

START_TEST(cmos_nvram_checksum_nmi)
{
	wr(0x10, 0x40);				/* a 1.44M floppy as drive A */
	ck_assert_uint_eq(cmos_get_byte(cmos, 0x10), 0x40);
	cmos_set_byte(cmos, 0x15, 0x80);
	cmos_set_byte(cmos, 0x16, 0x02);
	cmos_update_checksum(cmos);
	ck_assert_uint_eq(rd(0x2e), 0x00);
	ck_assert_uint_eq(rd(0x2f), 0xc2);
	ck_assert_uint_eq(rd(0x7f), 0x00);
	ck_assert(!cmos_nmi_masked(cmos));
	hw_out(&env, 0x70, 0x90);		/* NMI off, index 10h */
	ck_assert(cmos_nmi_masked(cmos));
	ck_assert_uint_eq(hw_in(&env, 0x71), 0x40);
	hw_out(&env, 0x70, 0x10);
	ck_assert(!cmos_nmi_masked(cmos));
	cmos_set_byte(cmos, 200, 1);		/* ignored */
	ck_assert_uint_eq(cmos_get_byte(cmos, 200), 0xff);
}
END_TEST

START_TEST(cmos_snapshot_roundtrip)
{
	wr(0x20, 0x5a);
	wr(0x0b, 0x42);
	hw_advance_ns(&env, 1500 * MS);
	struct snap s;
	snap_init(&s);
	cmos_desc.save(cmos, &s);
	struct hw_env e2;
	hw_env_init(&e2);
	e2.cycles = 0;
	struct irq_probe i2;
	irq_probe_init(&i2);
	struct cmos *c2 = cmos_new(e2.io, 0x70, e2.clk, &i2.line, 0);
	e2.cycles = env.cycles;			/* same virtual time */
	struct snap r;
	snap_open(&r, s.data, s.len);
	ck_assert_int_eq(cmos_desc.load(c2, &r), 0);
	snap_free(&s);
	ioport_write(e2.io, 0x70, 0x20, 1);
	ck_assert_uint_eq(ioport_read(e2.io, 0x71, 1), 0x5a);
	ioport_write(e2.io, 0x70, 0x00, 1);
	ck_assert_uint_eq(ioport_read(e2.io, 0x71, 1), 0x59);
	ck_assert_int_eq(i2.level, 1);		/* periodic IRQ pending */
	cmos_desc.free(c2);
	hw_env_free(&e2);
}
END_TEST

Suite *cmos_suite(void)
{
	Suite *s = suite_create("cmos");
	TCase *tc = tcase_create("mc146818");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, cmos_bcd_time_and_rollover);
	tcase_add_test(tc, cmos_binary_and_12h);
	tcase_add_test(tc, cmos_set_time);
	tcase_add_test(tc, cmos_uip_window);
	tcase_add_test(tc, cmos_periodic_flag_and_irq);
	tcase_add_test(tc, cmos_update_and_alarm_irq);
	tcase_add_test(tc, cmos_nvram_checksum_nmi);
	tcase_add_test(tc, cmos_snapshot_roundtrip);
	suite_add_tcase(s, tc);
	return s;
}
