/* The clocked mixer (sources summed on a virtual-time line, resampling,
 * determinism), and the MPU-401 with its standard MIDI file writer. */
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hw/mixer.h"
#include "hw/mpu401.h"
#include "tests/unit/hw_harness.h"

#define MS 1000000ull	/* ns */

struct tone {
	struct clock *clk;
	struct mixer_source *src;
	uint32_t rate;
	uint64_t done;
	int16_t amp;
};

/* A square wave at rate/8 rendered up to the present. */
static void tone_update(void *opaque)
{
	struct tone *t = opaque;
	uint64_t now = clock_ps_to_ticks(clock_now(t->clk), t->rate);
	while (t->done < now) {
		int16_t v = (t->done & 4) ? t->amp : (int16_t)-t->amp;
		mixer_source_push(t->src, &v, 1);
		t->done++;
	}
}

/* Runs 200 ms of a 48 kHz and an 11025 Hz source (and, with direct, 480
 * speaker samples of 7) into out[9600]. */
static void run_mix(int16_t *out, bool direct)
{
	struct hw_env env;
	hw_env_init(&env);
	struct mixer *m = mixer_new(1000);	/* small: it must grow, not drop */
	mixer_set_clock(m, env.clk);
	struct tone a = { .clk = env.clk, .rate = 48000, .amp = 1000 };
	struct tone b = { .clk = env.clk, .rate = 11025, .amp = 3000 };
	a.src = mixer_source_new(m, "a", a.rate, tone_update, &a);
	b.src = mixer_source_new(m, "b", b.rate, tone_update, &b);
	mixer_source_set_gain(b.src, 128);
	int16_t seven[480];
	for (int i = 0; i < 480; i++)
		seven[i] = 7;
	if (direct)
		mixer_write(m, seven, 480);	/* the speaker's way in */
	hw_advance_ns(&env, 200 * MS);
	mixer_flush(m);
	ck_assert_uint_eq(mixer_available(m), 9600);
	ck_assert_uint_eq(mixer_dropped(m), 0);
	ck_assert_uint_eq(mixer_read(m, out, 9600), 9600);
	mixer_free(m);
	hw_env_free(&env);
}

START_TEST(mix_is_deterministic_and_complete)
{
	static int16_t x[9600], y[9600], z[9600];
	run_mix(x, true);
	run_mix(y, true);
	ck_assert_mem_eq(x, y, sizeof(x));
	/* The speaker's samples add at the start of the timeline, exactly. */
	run_mix(z, false);
	for (int i = 0; i < 9600; i++)
		ck_assert_int_eq(x[i] - z[i], i < 480 ? 7 : 0);
	/* b is in the mix: it is not a alone. */
	int differs = 0;
	for (int i = 2000; i < 9600; i++)
		differs |= z[i] != ((i & 4) ? 1000 : -1000);
	ck_assert(differs);
}
END_TEST

START_TEST(gain_applies_from_the_moment_it_changes)
{
	struct hw_env env;
	hw_env_init(&env);
	struct mixer *m = mixer_new(48000);
	mixer_set_clock(m, env.clk);
	struct tone t = { .clk = env.clk, .rate = 48000, .amp = 1000 };
	t.src = mixer_source_new(m, "t", t.rate, tone_update, &t);
	hw_advance_ns(&env, 10 * MS);
	tone_update(&t);		/* as a device does before a volume write */
	mixer_source_set_gain(t.src, 128);
	hw_advance_ns(&env, 10 * MS);
	mixer_flush(m);
	int16_t out[960];
	ck_assert_uint_eq(mixer_read(m, out, 960), 960);
	for (int i = 0; i < 960; i++)
		ck_assert_int_eq(abs(out[i]), i < 480 ? 1000 : 500);
	mixer_free(m);
	hw_env_free(&env);
}
END_TEST

START_TEST(unclocked_ring_unchanged)
{
	struct mixer *m = mixer_new(4);
	int16_t in[6] = { 1, 2, 3, 4, 5, 6 }, out[8];
	mixer_write(m, in, 6);
	ck_assert_uint_eq(mixer_dropped(m), 2);
	ck_assert_uint_eq(mixer_read(m, out, 8), 4);
	ck_assert_int_eq(out[0], 3);
	mixer_free(m);
}
END_TEST

START_TEST(resampled_tone_keeps_its_frequency)
{
	struct hw_env env;
	hw_env_init(&env);
	struct mixer *m = mixer_new(48000);
	mixer_set_clock(m, env.clk);
	struct tone t = { .clk = env.clk, .rate = 22050, .amp = 8000 };
	t.src = mixer_source_new(m, "t", t.rate, tone_update, &t);
	hw_advance_ns(&env, 1000 * MS);
	mixer_flush(m);
	static int16_t out[48000];
	ck_assert_uint_eq(mixer_read(m, out, 48000), 48000);
	/* 22050 / 8 = 2756.25 Hz: 5512.5 sign changes a second. */
	int c = 0;
	for (int i = 1000; i < 48000; i++)
		c += (out[i - 1] < 0) != (out[i] < 0);
	ck_assert_int_ge(c, 5512 * 47 / 48 - 20);
	ck_assert_int_le(c, 5513 * 47 / 48 + 20);
	mixer_free(m);
	hw_env_free(&env);
}
END_TEST

/* A stereo source: a rising ramp on the left, a falling one on the right. */
struct ramp {
	struct clock *clk;
	struct mixer_source *src;
	uint32_t rate;
	uint64_t done;
};

static void ramp_update(void *opaque)
{
	struct ramp *r = opaque;
	uint64_t now = clock_ps_to_ticks(clock_now(r->clk), r->rate);
	while (r->done < now) {
		int16_t lr[2] = { (int16_t)(r->done % 1000 * 20),
				  (int16_t)(-(int)(r->done % 700) * 30) };
		mixer_source_push_stereo(r->src, lr, 1);
		r->done++;
	}
}

START_TEST(stereo_sources_and_centred_mono)
{
	struct hw_env env;
	hw_env_init(&env);
	struct mixer *m = mixer_new(48000);
	mixer_set_clock(m, env.clk);
	struct ramp r = { .clk = env.clk, .rate = 48000 };
	r.src = mixer_source_new(m, "r", r.rate, ramp_update, &r);
	mixer_source_set_gains(r.src, 256, 128);	/* the right at half */
	int16_t five[480];
	for (int i = 0; i < 480; i++)
		five[i] = 5;
	mixer_write(m, five, 480);			/* mono: centred */
	hw_advance_ns(&env, 20 * MS);
	mixer_flush(m);
	static int16_t lr[2 * 960];
	ck_assert_uint_eq(mixer_read_stereo(m, lr, 960), 960);
	for (int i = 0; i < 960; i++) {
		int c = i < 480 ? 5 : 0;
		ck_assert_int_eq(lr[2 * i], i % 1000 * 20 + c);
		ck_assert_int_eq(lr[2 * i + 1], -(i % 700) * 30 * 128 / 256 + c);
	}
	mixer_free(m);
	hw_env_free(&env);
}
END_TEST

/* Two sources, one resampled (22050 Hz, stereo), one at 48 kHz; direct
 * writes too.  Runs to 'split' ms, then (if save) saves the mixer, builds a
 * new one on a new clock at the same time, loads, and runs on to 300 ms.
 * Returns the frames from the split on. */
static size_t run_split(int16_t *out, size_t cap, uint64_t split_ms, bool save)
{
	struct hw_env env;
	hw_env_init(&env);
	struct mixer *m = mixer_new(1000);
	mixer_set_clock(m, env.clk);
	struct ramp r = { .clk = env.clk, .rate = 22050 };
	struct tone t = { .clk = env.clk, .rate = 48000, .amp = 700 };
	r.src = mixer_source_new(m, "r", r.rate, ramp_update, &r);
	t.src = mixer_source_new(m, "t", t.rate, tone_update, &t);
	mixer_source_set_gains(r.src, 200, 300);
	int16_t sp[240];
	for (int i = 0; i < 240; i++)
		sp[i] = (int16_t)(i * 11);
	/* The speaker's way: a block every 5 ms, the last one before the split. */
	for (uint64_t ms = 0; ms < split_ms; ms += 5) {
		mixer_write(m, sp, 240);
		hw_advance_ns(&env, 5 * MS);
	}
	size_t skip = 0;
	if (save) {
		struct snap sn;
		snap_init(&sn);
		mixer_save(m, &sn);
		ck_assert(snap_ok(&sn));
		uint64_t cycles = env.cycles;
		mixer_free(m);
		hw_env_free(&env);
		hw_env_init(&env);
		env.cycles = cycles;
		m = mixer_new(1000);
		mixer_set_clock(m, env.clk);
		r.clk = t.clk = env.clk;
		r.src = mixer_source_new(m, "r", r.rate, ramp_update, &r);
		t.src = mixer_source_new(m, "t", t.rate, tone_update, &t);
		struct snap in;
		snap_open(&in, sn.data, sn.len);
		ck_assert_int_eq(mixer_load(m, &in), 0);
		ck_assert_uint_eq(mixer_first_frame(m), split_ms * 48);
		snap_free(&sn);
	} else {
		skip = split_ms * 48;
	}
	for (uint64_t ms = split_ms; ms < 300; ms += 5) {
		mixer_write(m, sp, 240);
		hw_advance_ns(&env, 5 * MS);
	}
	mixer_flush(m);
	static int16_t all[2 * 48000];
	size_t n = mixer_read_stereo(m, all, 48000);
	ck_assert_uint_ge(n, skip);
	ck_assert_uint_le(n - skip, cap);
	memcpy(out, all + 2 * skip, (n - skip) * 2 * sizeof(*out));
	mixer_free(m);
	hw_env_free(&env);
	return n - skip;
}

START_TEST(save_and_load_continue_the_timeline)
{
	static int16_t a[2 * 48000], b[2 * 48000];
	for (uint64_t split = 55; split < 300; split += 120) {
		size_t na = run_split(a, 48000, split, false);
		size_t nb = run_split(b, 48000, split, true);
		ck_assert_uint_eq(na, (300 - split) * 48);
		ck_assert_uint_eq(nb, na);
		ck_assert_mem_eq(a, b, na * 2 * sizeof(*a));
	}
}
END_TEST

START_TEST(load_refuses_other_sources)
{
	struct hw_env env;
	hw_env_init(&env);
	struct mixer *m = mixer_new(1000);
	mixer_set_clock(m, env.clk);
	struct tone t = { .clk = env.clk, .rate = 48000, .amp = 1 };
	t.src = mixer_source_new(m, "t", t.rate, tone_update, &t);
	hw_advance_ns(&env, 10 * MS);
	struct snap sn;
	snap_init(&sn);
	mixer_save(m, &sn);
	struct mixer *o = mixer_new(1000);
	mixer_set_clock(o, env.clk);
	struct snap in;
	snap_open(&in, sn.data, sn.len);
	ck_assert_int_eq(mixer_load(o, &in), -1);	/* no source "t" */
	mixer_free(o);
	snap_free(&sn);
	mixer_free(m);
	hw_env_free(&env);
}
END_TEST

/* The speed keys change the CPU clock's rate; sound is made in virtual
 * time, so the mix is the same frame for frame (no click, no gap). */
START_TEST(cpu_clock_changes_leave_the_sound_alone)
{
	static int16_t x[2 * 14400], y[2 * 14400];
	for (int k = 0; k < 2; k++) {
		struct hw_env env;
		hw_env_init(&env);
		struct mixer *m = mixer_new(48000);
		mixer_set_clock(m, env.clk);
		struct ramp r = { .clk = env.clk, .rate = 22050 };
		r.src = mixer_source_new(m, "r", r.rate, ramp_update, &r);
		/* Time moves as the main loop moves it: by cycles at the clock's
		 * rate, here 10% to 170% of it, changing every 7 ms. */
		for (int us = 0; us < 300000; us += 250) {
			if (k && us % 7000 == 0)
				clock_set_hz(env.clk, HW_HZ / 10 +
					      (uint64_t)(us / 7000 % 5) * HW_HZ * 4 / 10);
			env.cycles += clock_ps_to_cycles(env.clk, 250 * 1000000ull);
			clock_run_timers(env.clk);
		}
		mixer_flush(m);
		ck_assert_uint_eq(mixer_read_stereo(m, k ? y : x, 14400), 14400);
		mixer_free(m);
		hw_env_free(&env);
	}
	ck_assert_mem_eq(x, y, sizeof(x));
}
END_TEST

/* --- MIDI ----------------------------------------------------------------- */

static size_t smf_bytes(struct smf *f, uint8_t *buf, size_t cap)
{
	FILE *fp = fmemopen(buf, cap, "wb");
	int n = smf_write(f, fp);
	fclose(fp);
	ck_assert_int_gt(n, 0);
	return (size_t)n;
}

START_TEST(smf_writer_layout)
{
	struct smf *f = smf_new();
	const uint8_t on[] = { 0x90, 60, 100 }, off[] = { 0x80, 60, 0 };
	const uint8_t sx[] = { 0xf0, 0x7e, 0x7f, 0x09, 0x01, 0xf7 };
	ck_assert_int_eq(smf_add(f, 0, on, 3), 0);
	ck_assert_int_eq(smf_add(f, 200, off, 3), 0);	/* delta 200: 81 48 */
	ck_assert_int_eq(smf_add(f, 200, sx, sizeof(sx)), 0);
	uint8_t buf[256];
	size_t n = smf_bytes(f, buf, sizeof(buf));
	static const uint8_t want[] = {
		'M', 'T', 'h', 'd', 0, 0, 0, 6, 0, 0, 0, 1, 0x03, 0xe8,
		'M', 'T', 'r', 'k', 0, 0, 0, 28,
		0x00, 0xff, 0x51, 0x03, 0x0f, 0x42, 0x40,
		0x00, 0x90, 60, 100,
		0x81, 0x48, 0x80, 60, 0,
		0x00, 0xf0, 0x05, 0x7e, 0x7f, 0x09, 0x01, 0xf7,
		0x00, 0xff, 0x2f, 0x00,
	};
	ck_assert_uint_eq(n, sizeof(want));
	ck_assert_mem_eq(buf, want, sizeof(want));
	smf_free(f);
}
END_TEST

START_TEST(mpu401_uart_running_status_and_capture)
{
	struct hw_env env;
	hw_env_init(&env);
	struct mpu401 *p = mpu401_new(env.io, 0x330, env.clk, NULL);
	ck_assert_ptr_nonnull(p);
	char path[] = "/tmp/tandem-mpu-XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(mpu401_capture(p, path), 0);
	ck_assert_uint_eq(hw_in(&env, 0x331) & 0xc0, 0x80);	/* ready, nothing */
	hw_out(&env, 0x331, 0xff);				/* reset */
	ck_assert_uint_eq(hw_in(&env, 0x331) & 0x80, 0);
	ck_assert_uint_eq(hw_in(&env, 0x330), 0xfe);
	hw_out(&env, 0x330, 0x90);		/* ignored: not in UART mode */
	hw_out(&env, 0x331, 0x3f);
	ck_assert_uint_eq(hw_in(&env, 0x330), 0xfe);
	hw_out(&env, 0x330, 0x90);
	hw_out(&env, 0x330, 64);
	hw_out(&env, 0x330, 90);
	hw_advance_ns(&env, 5 * MS);
	hw_out(&env, 0x330, 0xf8);		/* real time inside running status */
	hw_out(&env, 0x330, 64);		/* running status: 90 40 00 */
	hw_out(&env, 0x330, 0);
	mpu401_desc.free(p);
	uint8_t buf[128];
	FILE *f = fopen(path, "rb");
	size_t n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	unlink(path);
	static const uint8_t track[] = {
		0x00, 0xff, 0x51, 0x03, 0x0f, 0x42, 0x40,
		0x00, 0x90, 64, 90,
		0x05, 0xf8,
		0x00, 0x90, 64, 0,
		0x00, 0xff, 0x2f, 0x00,
	};
	ck_assert_uint_eq(n, 22 + sizeof(track));
	ck_assert_mem_eq(buf + 22, track, sizeof(track));
	hw_env_free(&env);
}
END_TEST

START_TEST(mpu401_flood)
{
	struct hw_env env;
	hw_env_init(&env);
	struct mpu401 *p = mpu401_new(env.io, 0x330, env.clk, NULL);
	hw_out(&env, 0x331, 0x3f);
	hw_out(&env, 0x330, 0xf0);		/* a SysEx that never ends */
	for (int i = 0; i < 100000; i++)
		hw_out(&env, 0x330, (uint8_t)(i & 0x7f));
	for (int i = 0; i < 1000; i++)
		hw_out(&env, 0x331, (uint8_t)i);	/* command flood */
	for (int i = 0; i < 100; i++)
		hw_in(&env, 0x330);
	mpu401_desc.free(p);
	hw_env_free(&env);
}
END_TEST

Suite *mixer_suite(void)
{
	Suite *s = suite_create("mixer");
	TCase *t = tcase_create("mixer");
	tcase_add_test(t, mix_is_deterministic_and_complete);
	tcase_add_test(t, unclocked_ring_unchanged);
	tcase_add_test(t, gain_applies_from_the_moment_it_changes);
	tcase_add_test(t, resampled_tone_keeps_its_frequency);
	tcase_add_test(t, stereo_sources_and_centred_mono);
	tcase_add_test(t, save_and_load_continue_the_timeline);
	tcase_add_test(t, load_refuses_other_sources);
	tcase_add_test(t, cpu_clock_changes_leave_the_sound_alone);
	tcase_add_test(t, smf_writer_layout);
	tcase_add_test(t, mpu401_uart_running_status_and_capture);
	tcase_add_test(t, mpu401_flood);
	suite_add_tcase(s, t);
	return s;
}
