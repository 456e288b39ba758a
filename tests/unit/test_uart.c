/* 16550A at 3F8h: registers, FIFOs, interrupt identification, loopback. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "hw/uart16550.h"
#include "tests/unit/hw_harness.h"

#define COM1 0x3f8

static struct hw_env env;
static struct irq_probe irq4;
static struct uart *uart;
static uint8_t txbuf[256];
static int ntx;

static void tx(void *opaque, uint8_t b)
{
	(void)opaque;
	if (ntx < (int)sizeof(txbuf))
		txbuf[ntx++] = b;
}

static void setup(void)
{
	hw_env_init(&env);
	irq_probe_init(&irq4);
	ntx = 0;
	struct uart_backend be = { tx, NULL };
	uart = uart_new(env.io, COM1, env.clk, &irq4.line, &be);
	ck_assert_ptr_nonnull(uart);
}

static void teardown(void)
{
	uart_desc.free(uart);
	hw_env_free(&env);
}

START_TEST(uart_reset_state_and_registers)
{
	ck_assert_uint_eq(hw_in(&env, COM1 + 2), 0x01);	/* no interrupt, no FIFO */
	ck_assert_uint_eq(hw_in(&env, COM1 + 5), 0x60);	/* THRE | TEMT */
	hw_out(&env, COM1 + 3, 0x83);			/* DLAB, 8N1 */
	hw_out(&env, COM1 + 0, 0x01);
	hw_out(&env, COM1 + 1, 0x00);			/* 115200 baud */
	ck_assert_uint_eq(hw_in(&env, COM1 + 0), 0x01);
	ck_assert_uint_eq(hw_in(&env, COM1 + 1), 0x00);
	hw_out(&env, COM1 + 3, 0x03);
	ck_assert_uint_eq(hw_in(&env, COM1 + 3), 0x03);
	hw_out(&env, COM1 + 1, 0xff);
	ck_assert_uint_eq(hw_in(&env, COM1 + 1), 0x0f);	/* IER has 4 bits */
	hw_out(&env, COM1 + 7, 0xa5);
	ck_assert_uint_eq(hw_in(&env, COM1 + 7), 0xa5);
	/* Transmit goes to the backend. */
	hw_out(&env, COM1 + 1, 0x00);
	hw_out(&env, COM1, 'h');
	hw_out(&env, COM1, 'i');
	ck_assert_int_eq(ntx, 2);
	ck_assert(memcmp(txbuf, "hi", 2) == 0);
}
END_TEST

START_TEST(uart_loopback)
{
	hw_out(&env, COM1 + 4, 0x10);			/* loop */
	hw_out(&env, COM1, 'A');
	ck_assert_int_eq(ntx, 0);			/* nothing on the wire */
	ck_assert_uint_eq(hw_in(&env, COM1 + 5) & 1, 1);
	ck_assert_uint_eq(hw_in(&env, COM1), 'A');
	ck_assert_uint_eq(hw_in(&env, COM1 + 5) & 1, 0);
	/* Modem outputs feed the status inputs. */
	ck_assert_uint_eq(hw_in(&env, COM1 + 6) & 0xf0, 0x00);
	hw_out(&env, COM1 + 4, 0x1f);
	ck_assert_uint_eq(hw_in(&env, COM1 + 6), 0xfb);	/* all on; no TERI on rise */
	ck_assert_uint_eq(hw_in(&env, COM1 + 6), 0xf0);	/* deltas clear on read */
	hw_out(&env, COM1 + 4, 0x1b);			/* OUT1 (RI) falls */
	ck_assert_uint_eq(hw_in(&env, COM1 + 6), 0xb4);
	/* Holding-register overrun without FIFO. */
	hw_out(&env, COM1, 1);
	hw_out(&env, COM1, 2);
	ck_assert_uint_eq(hw_in(&env, COM1 + 5) & 0x03, 0x03);
	ck_assert_uint_eq(hw_in(&env, COM1 + 5) & 0x02, 0x00);	/* OE clears */
	ck_assert_uint_eq(hw_in(&env, COM1), 2);
	/* External input is cut off in loopback. */
	uint8_t b = 'x';
	ck_assert_int_eq(uart_receive(uart, &b, 1), 0);
}
END_TEST

START_TEST(uart_thre_interrupt)
{
	hw_out(&env, COM1 + 4, 0x08);			/* OUT2: IRQ gate open */
	ck_assert_int_eq(irq4.level, 0);
	hw_out(&env, COM1 + 1, 0x02);			/* ETBEI with THR empty */
	ck_assert_int_eq(irq4.level, 1);
	ck_assert_uint_eq(hw_in(&env, COM1 + 2), 0x02);
	ck_assert_int_eq(irq4.level, 0);		/* IIR read cleared it */
	ck_assert_uint_eq(hw_in(&env, COM1 + 2), 0x01);
	hw_out(&env, COM1, 'z');			/* sent at once: empty again */
	ck_assert_int_eq(irq4.level, 1);
	ck_assert_int_eq(irq4.rises, 2);
	hw_out(&env, COM1, 'y');			/* a THR write also clears */
	ck_assert_int_eq(irq4.level, 1);
	/* OUT2 low: the condition stays but the line is gated off. */
	hw_out(&env, COM1 + 4, 0x00);
	ck_assert_int_eq(irq4.level, 0);
	ck_assert_uint_eq(hw_in(&env, COM1 + 2), 0x02);
}
END_TEST

START_TEST(uart_fifo_trigger_and_timeout)
{
	hw_out(&env, COM1 + 3, 0x80);
	hw_out(&env, COM1, 12);				/* 9600 baud */
	hw_out(&env, COM1 + 1, 0);
	hw_out(&env, COM1 + 3, 0x03);
	hw_out(&env, COM1 + 2, 0x47);			/* FIFO on, clear, trigger 4 */
	hw_out(&env, COM1 + 4, 0x08);
	hw_out(&env, COM1 + 1, 0x01);			/* RDA interrupts */
	ck_assert_uint_eq(hw_in(&env, COM1 + 2), 0xc1);
	const uint8_t in[20] = "0123456789abcdefghi";
	ck_assert_int_eq(uart_receive(uart, in, 3), 3);
	ck_assert_uint_eq(hw_in(&env, COM1 + 2), 0xc1);	/* below trigger */
	ck_assert_int_eq(irq4.level, 0);
	ck_assert_int_eq(uart_receive(uart, in + 3, 1), 1);
	ck_assert_uint_eq(hw_in(&env, COM1 + 2), 0xc4);
	ck_assert_int_eq(irq4.level, 1);
	ck_assert_uint_eq(hw_in(&env, COM1), '0');
	ck_assert_uint_eq(hw_in(&env, COM1 + 2), 0xc1);	/* 3 left */
	ck_assert_int_eq(irq4.level, 0);
	/* Character timeout: 4 character times (10 bits at 9600 baud each). */
	hw_advance_ns(&env, 4000000);
	ck_assert_uint_eq(hw_in(&env, COM1 + 2), 0xc1);
	hw_advance_ns(&env, 300000);
	ck_assert_uint_eq(hw_in(&env, COM1 + 2), 0xcc);
	ck_assert_int_eq(irq4.level, 1);
	ck_assert_uint_eq(hw_in(&env, COM1), '1');	/* reading clears it */
	ck_assert_uint_eq(hw_in(&env, COM1 + 2), 0xc1);
	/* The FIFO holds 16; the rest waits with the caller. */
	ck_assert_int_eq(uart_can_receive(uart), 14);
	ck_assert_int_eq(uart_receive(uart, in, 20), 14);
	ck_assert_uint_eq(hw_in(&env, COM1), '2');
	/* Clearing the receive FIFO. */
	hw_out(&env, COM1 + 2, 0x03);
	ck_assert_uint_eq(hw_in(&env, COM1 + 5) & 1, 0);
	/* Disabling the FIFO goes back to one holding register. */
	hw_out(&env, COM1 + 2, 0x00);
	ck_assert_uint_eq(hw_in(&env, COM1 + 2), 0x01);
	ck_assert_int_eq(uart_receive(uart, in, 5), 1);
	ck_assert_uint_eq(hw_in(&env, COM1 + 2), 0x04);
}
END_TEST

START_TEST(uart_interrupt_priority)
{
	hw_out(&env, COM1 + 4, 0x18);			/* loop + OUT2 */
	hw_out(&env, COM1 + 1, 0x0f);			/* everything */
	/* THRE pending from enabling; a modem delta is lower still. */
	hw_out(&env, COM1 + 4, 0x19);			/* DTR -> DSR delta */
	ck_assert_uint_eq(hw_in(&env, COM1 + 2), 0x02);
	ck_assert_uint_eq(hw_in(&env, COM1 + 2), 0x00);	/* then modem status */
	hw_in(&env, COM1 + 6);
	ck_assert_uint_eq(hw_in(&env, COM1 + 2), 0x01);
	/* Overrun: line status outranks received data. */
	hw_out(&env, COM1, 1);
	ck_assert_uint_eq(hw_in(&env, COM1 + 2), 0x04);
	hw_out(&env, COM1, 2);
	ck_assert_uint_eq(hw_in(&env, COM1 + 2), 0x06);
	hw_in(&env, COM1 + 5);
	ck_assert_uint_eq(hw_in(&env, COM1 + 2), 0x04);
	hw_in(&env, COM1);
	ck_assert_uint_eq(hw_in(&env, COM1 + 2), 0x02);	/* THR empty since write */
}
END_TEST

START_TEST(uart_snapshot_roundtrip)
{
	hw_out(&env, COM1 + 2, 0xc1);
	hw_out(&env, COM1 + 4, 0x08);
	hw_out(&env, COM1 + 1, 0x01);
	hw_out(&env, COM1 + 7, 0x42);
	const uint8_t in[3] = { 7, 8, 9 };
	uart_receive(uart, in, 3);
	hw_in(&env, COM1);
	struct snap s;
	snap_init(&s);
	uart_desc.save(uart, &s);
	uart_desc.reset(uart);
	ck_assert_uint_eq(hw_in(&env, COM1 + 7), 0);
	struct snap r;
	snap_open(&r, s.data, s.len);
	ck_assert_int_eq(uart_desc.load(uart, &r), 0);
	snap_free(&s);
	ck_assert_uint_eq(hw_in(&env, COM1 + 7), 0x42);
	ck_assert_uint_eq(hw_in(&env, COM1 + 2) & 0xc0, 0xc0);
	ck_assert_uint_eq(hw_in(&env, COM1), 8);
	ck_assert_uint_eq(hw_in(&env, COM1), 9);
	ck_assert_uint_eq(hw_in(&env, COM1 + 5) & 1, 0);
}
END_TEST

Suite *uart_suite(void)
{
	Suite *s = suite_create("uart");
	TCase *tc = tcase_create("16550a");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, uart_reset_state_and_registers);
	tcase_add_test(tc, uart_loopback);
	tcase_add_test(tc, uart_thre_interrupt);
	tcase_add_test(tc, uart_fifo_trigger_and_timeout);
	tcase_add_test(tc, uart_interrupt_priority);
	tcase_add_test(tc, uart_snapshot_roundtrip);
	suite_add_tcase(s, tc);
	return s;
}
