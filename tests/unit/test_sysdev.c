/* Small system devices: port 61h/92h, POST latch, debug console, exit port. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "hw/debug_exit.h"
#include "hw/debugcon.h"
#include "hw/pit.h"
#include "hw/post.h"
#include "hw/sysctl.h"
#include "tests/unit/hw_harness.h"

static struct hw_env env;
static int a20, a20_calls, resets;

static void set_a20(void *o, bool on)
{
	(void)o;
	a20 = on;
	a20_calls++;
}

static void do_reset(void *o)
{
	(void)o;
	resets++;
}

static void setup(void)
{
	hw_env_init(&env);
	a20 = a20_calls = resets = 0;
}

static void teardown(void)
{
	hw_env_free(&env);
}

START_TEST(sysctl_port61_at)
{
	struct pit *pit = pit_new(env.io, 0x40, env.clk, NULL);
	struct sysctl_config cfg = { .set_a20 = set_a20, .reset = do_reset };
	struct sysctl *s = sysctl_new(env.io, env.clk, pit, NULL, &cfg);
	ck_assert_ptr_nonnull(s);
	/* Refresh toggle flips every 15.085 us. */
	int flips = 0, last = hw_in(&env, 0x61) & 0x10;
	for (int i = 0; i < 100; i++) {
		hw_advance_ns(&env, 15085);
		int b = hw_in(&env, 0x61) & 0x10;
		flips += b != last;
		last = b;
	}
	ck_assert_int_ge(flips, 99);
	/* Channel 2 one-shot gated by bit 0, OUT2 visible in bit 5. */
	hw_out(&env, 0x43, 0xb2);		/* ch2 mode 1 */
	hw_out(&env, 0x42, 100);
	hw_out(&env, 0x42, 0);
	ck_assert_uint_eq(hw_in(&env, 0x61) & 0x20, 0x20);
	hw_out(&env, 0x61, 0x03);
	ck_assert_uint_eq(hw_in(&env, 0x61) & 0x23, 0x03);	/* triggered: OUT low */
	ck_assert_uint_eq(sysctl_speaker_bits(s), 3);
	hw_advance_ns(&env, 100 * 839);
	ck_assert_uint_eq(hw_in(&env, 0x61) & 0x20, 0x20);
	/* Port 92h: A20 and fast reset. */
	ck_assert_int_eq(a20, 0);
	hw_out(&env, 0x92, 0x02);
	ck_assert_int_eq(a20, 1);
	ck_assert_uint_eq(hw_in(&env, 0x92), 0x02);
	ck_assert_int_eq(resets, 0);
	hw_out(&env, 0x92, 0x03);
	ck_assert_int_eq(resets, 1);
	ck_assert_uint_eq(hw_in(&env, 0x92), 0x02);
	sysctl_desc.reset(s);
	ck_assert_int_eq(a20, 0);
	ck_assert_uint_eq(hw_in(&env, 0x62), 0xff);	/* not claimed on at */
	sysctl_desc.free(s);
	pit_desc.free(pit);
}
END_TEST

START_TEST(post_latch_log)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct post *p = post_new(env.io, 0x80, env.clk, f);
	ck_assert_ptr_nonnull(p);
	hw_out(&env, 0x80, 0x12);
	hw_advance_ns(&env, 1500000000ull);
	hw_out(&env, 0x80, 0xab);
	ck_assert_uint_eq(post_last_code(p), 0xab);
	ck_assert_uint_eq(hw_in(&env, 0x80), 0xab);
	fflush(f);
	ck_assert_str_eq(buf, "POST 12 t=0.000000000\nPOST ab t=1.500000000\n");
	post_desc.free(p);
	fclose(f);
	free(buf);
}
END_TEST

static char con[64];
static int ncon;

static void con_byte(void *o, uint8_t b)
{
	(void)o;
	if (ncon < (int)sizeof(con) - 1)
		con[ncon++] = b;
}

START_TEST(debugcon_bytes)
{
	ncon = 0;
	memset(con, 0, sizeof(con));
	struct debugcon *d = debugcon_new(env.io, 0xe9, NULL, con_byte, NULL);
	ck_assert_ptr_nonnull(d);
	ck_assert_uint_eq(hw_in(&env, 0xe9), 0xe9);
	const char *msg = "ok\n";
	for (const char *c = msg; *c; c++)
		hw_out(&env, 0xe9, *c);
	ck_assert_str_eq(con, "ok\n");
	debugcon_desc.free(d);
}
END_TEST

static int exit_status, exit_calls;

static void stop(void *o, int status)
{
	(void)o;
	exit_status = status;
	exit_calls++;
}

START_TEST(debug_exit_status)
{
	exit_calls = 0;
	struct debug_exit *d = debug_exit_new(env.io, 0xf4, stop, NULL);
	ck_assert_ptr_nonnull(d);
	hw_out(&env, 0xf4, 0x10);
	ck_assert_int_eq(exit_calls, 1);
	ck_assert_int_eq(exit_status, 0x21);
	ioport_write(env.io, 0xf4, 0x0000, 2);	/* outw: still one write */
	ck_assert_int_eq(exit_calls, 2);
	ck_assert_int_eq(exit_status, 1);
	hw_out(&env, 0xf7, 3);			/* 4 ports wide */
	ck_assert_int_eq(exit_status, 7);
	ck_assert_int_eq(hw_in(&env, 0xf8), 0xff);	/* not ours */
	debug_exit_desc.free(d);
}
END_TEST

Suite *sysdev_suite(void)
{
	Suite *s = suite_create("sysdev");
	TCase *tc = tcase_create("sysdev");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, sysctl_port61_at);
	tcase_add_test(tc, post_latch_log);
	tcase_add_test(tc, debugcon_bytes);
	tcase_add_test(tc, debug_exit_status);
	suite_add_tcase(s, tc);
	return s;
}
