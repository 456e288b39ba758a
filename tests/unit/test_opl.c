/* OPL2/OPL3: the timers and status register behind the AdLib detection,
 * and (with libadplug) that a keyed note reaches the mixer as a tone. */
#include <check.h>
#include <math.h>
#include <stdlib.h>

#include "hw/mixer.h"
#include "hw/opl.h"
#include "tests/unit/hw_harness.h"

#define US 1000ull	/* ns */

static void reg(struct opl *o, uint16_t r, uint8_t v)
{
	opl_write(o, r >= 0x100 ? 2 : 0, (uint8_t)r);
	opl_write(o, r >= 0x100 ? 3 : 1, v);
}

START_TEST(adlib_detection_sequence)
{
	struct hw_env env;
	hw_env_init(&env);
	struct opl *o = opl_new(env.clk, false);
	ck_assert_int_eq(opl_map(o, env.io, 0x388, 2), 0);
	/* The programming guide: reset timers and IRQ, status & E0h = 0. */
	hw_out(&env, 0x388, 4);
	hw_out(&env, 0x389, 0x60);
	hw_out(&env, 0x388, 4);
	hw_out(&env, 0x389, 0x80);
	ck_assert_uint_eq(hw_in(&env, 0x388) & 0xe0, 0);
	hw_out(&env, 0x388, 2);
	hw_out(&env, 0x389, 0xff);
	hw_out(&env, 0x388, 4);
	hw_out(&env, 0x389, 0x21);
	hw_advance_ns(&env, 79 * US);
	ck_assert_uint_eq(hw_in(&env, 0x388) & 0xe0, 0);	/* not yet */
	hw_advance_ns(&env, 2 * US);
	ck_assert_uint_eq(hw_in(&env, 0x388) & 0xe0, 0xc0);
	ck_assert_uint_eq(hw_in(&env, 0x388) & 0x06, 0x06);	/* an OPL2 */
	ck_assert_uint_eq(hw_in(&env, 0x389), 0xff);		/* write-only */
	hw_out(&env, 0x388, 4);
	hw_out(&env, 0x389, 0x60);
	hw_out(&env, 0x388, 4);
	hw_out(&env, 0x389, 0x80);
	ck_assert_uint_eq(hw_in(&env, 0x388) & 0xe0, 0);
	opl_desc.free(o);
	hw_env_free(&env);
}
END_TEST

START_TEST(timer2_period_mask_and_repeat)
{
	struct hw_env env;
	hw_env_init(&env);
	struct opl *o = opl_new(env.clk, true);
	reg(o, 3, 0xfe);			/* 2 x 320 us */
	reg(o, 4, 0x42);			/* start T2, mask T1 */
	hw_advance_ns(&env, 639 * US);
	ck_assert_uint_eq(opl_read(o, 0), 0x00);	/* OPL3: low bits 0 */
	hw_advance_ns(&env, 2 * US);
	ck_assert_uint_eq(opl_read(o, 0), 0xa0);
	reg(o, 4, 0x80);			/* clear: the next overflow sets it again */
	ck_assert_uint_eq(opl_read(o, 0), 0x00);
	hw_advance_ns(&env, 630 * US);
	ck_assert_uint_eq(opl_read(o, 0), 0x00);
	hw_advance_ns(&env, 20 * US);
	ck_assert_uint_eq(opl_read(o, 0), 0xa0);
	reg(o, 4, 0x80);
	reg(o, 4, 0x23);			/* T1 runs unmasked, T2 masked */
	reg(o, 2, 0x00);
	hw_advance_ns(&env, 30 * 1000 * US);
	ck_assert_uint_eq(opl_read(o, 0), 0xc0);
	opl_desc.free(o);
	hw_env_free(&env);
}
END_TEST

START_TEST(note_reaches_the_mixer)
{
	if (!opl_has_synth())
		return;		/* built without libadplug: said at configure time */
	struct hw_env env;
	hw_env_init(&env);
	struct opl *o = opl_new(env.clk, true);
	struct mixer *mix = mixer_new(48000);
	mixer_set_clock(mix, env.clk);
	opl_set_mixer(o, mix);
	/* Channel 0: a pure sine carrier (modulator silent), 440 Hz:
	 * f = fnum * 49716 / 2^(20 - block): block 4, fnum 580. */
	reg(o, 0x20, 0x21);		/* sustained envelope, multiplier 1 */
	reg(o, 0x23, 0x21);
	reg(o, 0x40, 0x3f);
	reg(o, 0x43, 0x00);
	reg(o, 0x60, 0xf0);
	reg(o, 0x63, 0xf0);
	reg(o, 0x80, 0x0f);
	reg(o, 0x83, 0x0f);
	reg(o, 0xc0, 0x30);		/* both outputs (OPL3 L/R bits) */
	reg(o, 0xa0, 580 & 0xff);
	reg(o, 0xb0, 0x20 | 4 << 2 | 580 >> 8);
	hw_advance_ns(&env, 1000 * 1000 * US);	/* one second */
	mixer_flush(mix);
	static int16_t out[48000];
	size_t n = mixer_read(mix, out, 48000);
	ck_assert_uint_eq(n, 48000);
	int crossings = 0, peak = 0;
	for (size_t i = 24000; i < n; i++) {
		if ((out[i - 1] < 0) != (out[i] < 0))
			crossings++;
		if (abs(out[i]) > peak)
			peak = abs(out[i]);
	}
	/* Half a second of 440.0 Hz: 440 crossings, give or take the edges. */
	ck_assert_int_ge(crossings, 436);
	ck_assert_int_le(crossings, 444);
	ck_assert_int_gt(peak, 1000);
	opl_set_mixer(o, NULL);
	mixer_free(mix);
	opl_desc.free(o);
	hw_env_free(&env);
}
END_TEST

Suite *opl_suite(void)
{
	Suite *s = suite_create("opl");
	TCase *t = tcase_create("opl");
	tcase_add_test(t, adlib_detection_sequence);
	tcase_add_test(t, timer2_period_mask_and_repeat);
	tcase_add_test(t, note_reaches_the_mixer);
	suite_add_tcase(s, t);
	return s;
}
