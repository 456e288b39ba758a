/* The power-off ports: "Shutdown" at 8900h and the ACPI PM1a block. */
#include <check.h>
#include <errno.h>

#include "hw/apm_port.h"
#include "tests/unit/hw_harness.h"

static struct hw_env env;
static struct apm_port *apm;
static int offs;

static void count_off(void *opaque)
{
	(void)opaque;
	offs++;
}

static void setup(void)
{
	hw_env_init(&env);
	offs = 0;
	apm = apm_port_new(env.io, env.clk, count_off, NULL);
	ck_assert_ptr_nonnull(apm);
	apm_port_desc.reset(apm);
}

static void teardown(void)
{
	apm_port_desc.free(apm);
	hw_env_free(&env);
}

static void say(const char *s)
{
	while (*s)
		ioport_write(env.io, APM_PORT_SHUTDOWN, (uint8_t)*s++, 1);
}

START_TEST(shutdown_string)
{
	say("Shutdow");
	ck_assert_int_eq(offs, 0);
	say("n");
	ck_assert_int_eq(offs, 1);
	say("ShutXdown");		/* broken sequence: nothing */
	ck_assert_int_eq(offs, 1);
	say("SShutdown");		/* a repeated first letter restarts the match */
	ck_assert_int_eq(offs, 2);
	ck_assert_uint_eq(ioport_read(env.io, APM_PORT_SHUTDOWN, 1), 0xff);
}
END_TEST

START_TEST(pm1_sleep)
{
	uint16_t cnt = APM_PORT_PM1 + 4;
	ck_assert_uint_eq(ioport_read(env.io, cnt, 2) & 1, 1);	/* SCI_EN */
	ioport_write(env.io, cnt, 0 << 10 | 0x2000, 2);		/* S0 sleep: no */
	ck_assert_int_eq(offs, 0);
	ioport_write(env.io, cnt, APM_PM1_SLP_TYP_S5 << 10, 2);	/* type without SLP_EN */
	ck_assert_int_eq(offs, 0);
	ck_assert_uint_eq(ioport_read(env.io, cnt, 2) >> 10 & 7, APM_PM1_SLP_TYP_S5);
	ioport_write(env.io, cnt, APM_PM1_SLP_TYP_S5 << 10 | 0x2000, 2);
	ck_assert_int_eq(offs, 1);
	ck_assert_uint_eq(ioport_read(env.io, cnt, 2) & 0x2000, 0);	/* write-only */
	/* byte writes: the high byte with SLP_EN acts */
	ioport_write(env.io, cnt, 0x01, 1);
	ioport_write(env.io, cnt + 1, (APM_PM1_SLP_TYP_S5 << 2) | 0x20, 1);
	ck_assert_int_eq(offs, 2);
}
END_TEST

START_TEST(pm1_enable_status_timer)
{
	ioport_write(env.io, APM_PORT_PM1 + 2, 0x0121, 2);
	ck_assert_uint_eq(ioport_read(env.io, APM_PORT_PM1 + 2, 2), 0x0121);
	ck_assert_uint_eq(ioport_read(env.io, APM_PORT_PM1, 2), 0);
	uint32_t t0 = ioport_read(env.io, APM_PORT_PM1 + 8, 4);
	hw_advance_ns(&env, 1000000);			/* 1 ms = 3579.545 ticks */
	uint32_t t1 = ioport_read(env.io, APM_PORT_PM1 + 8, 4);
	ck_assert_uint_le(t1 - t0, 3581);
	ck_assert_uint_ge(t1 - t0, 3578);
	ck_assert_uint_eq(t1 >> 24, 0);			/* 24-bit counter */
	ioport_write(env.io, APM_PORT_PM1 + 8, 0, 4);	/* read-only */
	ck_assert_uint_ge(ioport_read(env.io, APM_PORT_PM1 + 8, 4), t1);
}
END_TEST

START_TEST(snapshot_roundtrip)
{
	say("Shut");
	ioport_write(env.io, APM_PORT_PM1 + 2, 0x0100, 2);
	struct snap s;
	snap_init(&s);
	apm_port_desc.save(apm, &s);
	apm_port_desc.reset(apm);
	struct snap r;
	snap_open(&r, s.data, s.len);
	ck_assert_int_eq(apm_port_desc.load(apm, &r), 0);
	ck_assert_uint_eq(ioport_read(env.io, APM_PORT_PM1 + 2, 2), 0x0100);
	say("down");			/* the saved match position continues */
	ck_assert_int_eq(offs, 1);
	/* a corrupt match position is refused */
	uint8_t bad[7] = { 8, 0, 0, 0, 0, 1, 0 };
	struct snap b;
	snap_open(&b, bad, sizeof(bad));
	ck_assert_int_eq(apm_port_desc.load(apm, &b), -EINVAL);
	snap_free(&s);
}
END_TEST

Suite *apm_port_suite(void)
{
	Suite *s = suite_create("apm_port");
	TCase *tc = tcase_create("apm_port");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, shutdown_string);
	tcase_add_test(tc, pm1_sleep);
	tcase_add_test(tc, pm1_enable_status_timer);
	tcase_add_test(tc, snapshot_roundtrip);
	suite_add_tcase(s, tc);
	return s;
}
