/* 8259A pair driven through ports 20h/21h/A0h/A1h as a BIOS would. */
#include <check.h>
#include <stdlib.h>

#include "hw/machine.h"
#include "hw/pic.h"
#include "tests/unit/hw_harness.h"

static struct hw_env env;
static struct cpu_intr intr;
static struct pic *pic;

/* The AT BIOS sequence: vectors 08h and 70h, slave on IR2. */
static void init_pair(uint8_t icw1, uint8_t icw4)
{
	hw_out(&env, 0x20, icw1);
	hw_out(&env, 0x21, 0x08);
	hw_out(&env, 0x21, 0x04);
	hw_out(&env, 0x21, icw4);
	hw_out(&env, 0xa0, icw1);
	hw_out(&env, 0xa1, 0x70);
	hw_out(&env, 0xa1, 0x02);
	hw_out(&env, 0xa1, icw4);
	hw_out(&env, 0x21, 0x00);
	hw_out(&env, 0xa1, 0x00);
}

static void setup(void)
{
	hw_env_init(&env);
	intr = (struct cpu_intr){ 0 };
	pic = pic_new(env.io, &intr, 0x20, 0xa0);
	ck_assert_ptr_nonnull(pic);
	init_pair(0x11, 0x01);
}

static void teardown(void)
{
	pic_desc.free(pic);
	hw_env_free(&env);
}

static uint8_t read_isr(uint16_t base)
{
	hw_out(&env, base, 0x0b);
	return hw_in(&env, base);
}

static uint8_t read_irr(uint16_t base)
{
	hw_out(&env, base, 0x0a);
	return hw_in(&env, base);
}

static uint8_t inta(void)
{
	ck_assert_ptr_nonnull(intr.ack);
	return intr.ack(intr.opaque);
}

START_TEST(pic_edge_irq_vector_and_eoi)
{
	ck_assert_int_eq(intr.level, 0);
	pic_set_irq(pic, 0, 1);
	ck_assert_int_eq(intr.level, 1);
	ck_assert_uint_eq(read_irr(0x20), 0x01);
	ck_assert_uint_eq(inta(), 0x08);
	ck_assert_uint_eq(read_isr(0x20), 0x01);
	ck_assert_uint_eq(read_irr(0x20), 0x00);	/* edge: request consumed */
	ck_assert_int_eq(intr.level, 0);
	/* Still high: no new edge, no new request after EOI. */
	hw_out(&env, 0x20, 0x20);
	ck_assert_uint_eq(read_isr(0x20), 0x00);
	ck_assert_int_eq(intr.level, 0);
	pic_set_irq(pic, 0, 0);
	pic_set_irq(pic, 0, 1);
	ck_assert_int_eq(intr.level, 1);
	ck_assert_uint_eq(inta(), 0x08);
}
END_TEST

START_TEST(pic_priority_and_nesting)
{
	pic_set_irq(pic, 3, 1);
	pic_set_irq(pic, 1, 1);
	ck_assert_uint_eq(inta(), 0x09);	/* IR1 beats IR3 */
	ck_assert_int_eq(intr.level, 0);	/* IR3 blocked by IR1 in service */
	pic_set_irq(pic, 0, 1);
	ck_assert_int_eq(intr.level, 1);	/* IR0 nests */
	ck_assert_uint_eq(inta(), 0x08);
	ck_assert_uint_eq(read_isr(0x20), 0x03);
	hw_out(&env, 0x20, 0x20);		/* non-specific EOI: clears IR0 */
	ck_assert_uint_eq(read_isr(0x20), 0x02);
	ck_assert_int_eq(intr.level, 0);
	hw_out(&env, 0x20, 0x20);
	ck_assert_int_eq(intr.level, 1);
	ck_assert_uint_eq(inta(), 0x0b);
}
END_TEST

START_TEST(pic_mask_register)
{
	hw_out(&env, 0x21, 0x10);
	ck_assert_uint_eq(hw_in(&env, 0x21), 0x10);
	pic_set_irq(pic, 4, 1);
	ck_assert_int_eq(intr.level, 0);
	ck_assert_uint_eq(read_irr(0x20), 0x10);	/* latched while masked */
	hw_out(&env, 0x21, 0x00);
	ck_assert_int_eq(intr.level, 1);
	ck_assert_uint_eq(inta(), 0x0c);
}
END_TEST

START_TEST(pic_specific_eoi_and_rotation)
{
	/* Set priority: IR3 lowest, so IR4 is highest and IR5 beats IR1. */
	hw_out(&env, 0x20, 0xc3);
	pic_set_irq(pic, 1, 1);
	pic_set_irq(pic, 5, 1);
	ck_assert_uint_eq(inta(), 0x0d);
	/* IR1 now has lower priority than IR5 in service: blocked. */
	ck_assert_int_eq(intr.level, 0);
	hw_out(&env, 0x20, 0x65);		/* specific EOI for IR5 */
	ck_assert_uint_eq(read_isr(0x20), 0x00);
	ck_assert_uint_eq(inta(), 0x09);
	/* Rotate on non-specific EOI: IR1 becomes lowest, IR2 highest. */
	hw_out(&env, 0x20, 0xa0);
	ck_assert_uint_eq(read_isr(0x20), 0x00);
	pic_set_irq(pic, 0, 1);
	pic_set_irq(pic, 3, 1);
	ck_assert_uint_eq(inta(), 0x0b);	/* IR3 beats IR0 after rotation */
	/* Rotate on specific EOI 3: IR4 highest, so IR0 beats IR3 again. */
	hw_out(&env, 0x20, 0xe3);
	pic_set_irq(pic, 3, 0);
	pic_set_irq(pic, 3, 1);
	ck_assert_uint_eq(inta(), 0x08);
}
END_TEST

START_TEST(pic_auto_eoi)
{
	init_pair(0x11, 0x03);
	pic_set_irq(pic, 6, 1);
	ck_assert_uint_eq(inta(), 0x0e);
	ck_assert_uint_eq(read_isr(0x20), 0x00);
	pic_set_irq(pic, 7, 1);
	ck_assert_int_eq(intr.level, 1);	/* nothing in service blocks it */
	ck_assert_uint_eq(inta(), 0x0f);
}
END_TEST

START_TEST(pic_poll_mode)
{
	hw_out(&env, 0x21, 0xff);		/* polled systems mask INTR */
	pic_set_irq(pic, 5, 1);
	ck_assert_int_eq(intr.level, 0);
	hw_out(&env, 0x20, 0x0c);
	ck_assert_uint_eq(hw_in(&env, 0x20), 0x00);	/* masked: nothing */
	hw_out(&env, 0x21, 0x00);
	hw_out(&env, 0x20, 0x0c);
	ck_assert_uint_eq(hw_in(&env, 0x20), 0x85);
	ck_assert_uint_eq(read_isr(0x20), 0x20);
	hw_out(&env, 0x20, 0x0c);
	ck_assert_uint_eq(hw_in(&env, 0x20), 0x00);	/* in service blocks it */
}
END_TEST

START_TEST(pic_cascade)
{
	pic_set_irq(pic, 10, 1);
	ck_assert_int_eq(intr.level, 1);
	ck_assert_uint_eq(read_irr(0x20), 0x04);
	ck_assert_uint_eq(inta(), 0x72);
	ck_assert_uint_eq(read_isr(0x20), 0x04);
	ck_assert_uint_eq(read_isr(0xa0), 0x04);
	/* A higher slave IRQ is held by the master's IR2 in service (no SFNM). */
	pic_set_irq(pic, 8, 1);
	ck_assert_int_eq(intr.level, 0);
	hw_out(&env, 0xa0, 0x20);
	hw_out(&env, 0x20, 0x20);
	ck_assert_int_eq(intr.level, 1);
	ck_assert_uint_eq(inta(), 0x70);
	/* Master IR1 beats slave requests (they come in at IR2). */
	hw_out(&env, 0xa0, 0x20);
	hw_out(&env, 0x20, 0x20);
	pic_set_irq(pic, 9, 1);
	pic_set_irq(pic, 1, 1);
	ck_assert_uint_eq(inta(), 0x09);
}
END_TEST

START_TEST(pic_spurious_irq7)
{
	init_pair(0x19, 0x01);			/* level triggered */
	pic_set_irq(pic, 5, 1);
	ck_assert_int_eq(intr.level, 1);
	/* The device drops its request after the CPU saw INTR. */
	pic_set_irq(pic, 5, 0);
	ck_assert_int_eq(intr.level, 0);
	ck_assert_uint_eq(inta(), 0x0f);
	ck_assert_uint_eq(read_isr(0x20), 0x00);	/* spurious: no ISR bit */
	/* A level request stays pending until the line drops. */
	pic_set_irq(pic, 5, 1);
	ck_assert_uint_eq(inta(), 0x0d);
	hw_out(&env, 0x20, 0x20);
	ck_assert_int_eq(intr.level, 1);
}
END_TEST

START_TEST(pic_special_mask_mode)
{
	pic_set_irq(pic, 3, 1);
	ck_assert_uint_eq(inta(), 0x0b);
	pic_set_irq(pic, 5, 1);
	ck_assert_int_eq(intr.level, 0);
	hw_out(&env, 0x21, 0x08);		/* mask IR3 ... */
	hw_out(&env, 0x20, 0x68);		/* ... and enter special mask mode */
	ck_assert_int_eq(intr.level, 1);
	ck_assert_uint_eq(inta(), 0x0d);
	hw_out(&env, 0x20, 0x48);		/* leave it */
	hw_out(&env, 0x20, 0x65);
	ck_assert_uint_eq(read_isr(0x20), 0x08);
}
END_TEST

START_TEST(pic_xt_single)
{
	struct hw_env e2;
	struct cpu_intr i2 = { 0 };
	hw_env_init(&e2);
	struct pic *p = pic_new(e2.io, &i2, 0x20, -1);
	ck_assert_ptr_nonnull(p);
	ioport_write(e2.io, 0x20, 0x13, 1);	/* single, edge, ICW4 */
	ioport_write(e2.io, 0x21, 0x08, 1);
	ioport_write(e2.io, 0x21, 0x09, 1);	/* buffered slave mode, 8086 */
	ioport_write(e2.io, 0x21, 0x00, 1);
	ck_assert_uint_eq(ioport_read(e2.io, 0xa0, 1), 0xff);	/* no slave */
	pic_set_irq(p, 9, 1);			/* ignored */
	ck_assert_int_eq(i2.level, 0);
	pic_set_irq(p, 2, 1);			/* IR2 is an ordinary input */
	ck_assert_uint_eq(i2.ack(i2.opaque), 0x0a);
	pic_desc.free(p);
	hw_env_free(&e2);
}
END_TEST

START_TEST(pic_snapshot_roundtrip)
{
	pic_set_irq(pic, 4, 1);
	pic_set_irq(pic, 11, 1);
	hw_out(&env, 0x21, 0x01);
	ck_assert_uint_eq(inta(), 0x72 + 1);
	struct snap s;
	snap_init(&s);
	pic_desc.save(pic, &s);
	pic_desc.reset(pic);
	ck_assert_uint_eq(hw_in(&env, 0x21), 0x00);
	struct snap r;
	snap_open(&r, s.data, s.len);
	ck_assert_int_eq(pic_desc.load(pic, &r), 0);
	ck_assert_uint_eq(hw_in(&env, 0x21), 0x01);
	ck_assert_uint_eq(read_isr(0xa0), 0x08);
	hw_out(&env, 0xa0, 0x20);
	hw_out(&env, 0x20, 0x20);
	ck_assert_uint_eq(inta(), 0x0c);
	/* Truncated stream is refused. */
	snap_open(&r, s.data, s.len - 1);
	ck_assert_int_ne(pic_desc.load(pic, &r), 0);
	snap_free(&s);
}
END_TEST

Suite *pic_suite(void)
{
	Suite *s = suite_create("pic");
	TCase *tc = tcase_create("i8259");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, pic_edge_irq_vector_and_eoi);
	tcase_add_test(tc, pic_priority_and_nesting);
	tcase_add_test(tc, pic_mask_register);
	tcase_add_test(tc, pic_specific_eoi_and_rotation);
	tcase_add_test(tc, pic_auto_eoi);
	tcase_add_test(tc, pic_poll_mode);
	tcase_add_test(tc, pic_cascade);
	tcase_add_test(tc, pic_spurious_irq7);
	tcase_add_test(tc, pic_special_mask_mode);
	tcase_add_test(tc, pic_xt_single);
	tcase_add_test(tc, pic_snapshot_roundtrip);
	suite_add_tcase(s, tc);
	return s;
}
