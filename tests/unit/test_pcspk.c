/* PC speaker: PIT channel 2 and port 61h rendered into the mixer ring in
 * virtual time. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hw/mixer.h"
#include "hw/pcspk.h"
#include "hw/pit.h"
#include "hw/sysctl.h"
#include "tests/unit/hw_harness.h"
#include "ui/wav.h"

#define MS 1000000ull

START_TEST(mixer_ring)
{
	struct mixer *m = mixer_new(4);
	ck_assert_ptr_nonnull(m);
	int16_t in[6] = { 1, 2, 3, 4, 5, 6 }, out[8];
	mixer_write(m, in, 3);
	ck_assert_uint_eq(mixer_available(m), 3);
	ck_assert_uint_eq(mixer_read(m, out, 2), 2);
	ck_assert_int_eq(out[0], 1);
	ck_assert_int_eq(out[1], 2);
	mixer_write(m, in + 3, 3);			/* 3 4 5 6: full */
	mixer_write(m, in, 1);				/* overwrites 3 */
	ck_assert_uint_eq(mixer_dropped(m), 1);
	ck_assert_uint_eq(mixer_read(m, out, 8), 4);
	ck_assert_int_eq(out[0], 4);
	ck_assert_int_eq(out[3], 1);
	ck_assert_uint_eq(mixer_read(m, out, 8), 0);
	mixer_free(m);
}
END_TEST

/* Sign changes in n samples. */
static int crossings(const int16_t *s, size_t n)
{
	int c = 0;
	for (size_t i = 1; i < n; i++)
		if ((s[i - 1] < 0) != (s[i] < 0))
			c++;
	return c;
}

START_TEST(pcspk_tone_follows_pit_and_port61)
{
	struct hw_env env;
	hw_env_init(&env);
	struct pit *pit = pit_new(env.io, 0x40, env.clk, NULL);
	struct sysctl_config cfg = { .xt = false };
	struct sysctl *sc = sysctl_new(env.io, env.clk, pit, NULL, &cfg);
	struct pcspk *spk = pcspk_new(env.clk, pit, sc);
	struct mixer *mix = mixer_new(MIXER_RATE);
	ck_assert_ptr_nonnull(spk);
	ck_assert_ptr_nonnull(mix);
	pcspk_set_mixer(spk, mix);
	/* Channel 2, mode 3, 1193 counts: 1000.2 Hz. */
	hw_out(&env, 0x43, 0xb6);
	hw_out(&env, 0x42, 1193 & 0xff);
	hw_out(&env, 0x42, 1193 >> 8);
	/* Speaker off: silence. */
	hw_advance_ns(&env, 50 * MS);
	size_t n = mixer_available(mix);
	ck_assert_uint_ge(n, 2390);
	ck_assert_uint_le(n, 2410);
	int16_t *buf = malloc(sizeof(int16_t) * MIXER_RATE);
	ck_assert_ptr_nonnull(buf);
	mixer_read(mix, buf, n);
	for (size_t i = 0; i < n; i++)
		ck_assert_int_eq(buf[i], 0);
	/* Gate and speaker data on: a 1 kHz square wave, 2 crossings a
	 * period: about 96 in the 48 ms after the first 100 samples. */
	hw_out(&env, 0x61, 0x03);
	hw_advance_ns(&env, 50 * MS);
	pcspk_flush(spk);
	n = mixer_read(mix, buf, MIXER_RATE);
	ck_assert_uint_ge(n, 2390);
	int c = crossings(buf + 100, n - 100);
	ck_assert_int_ge(c, 93);
	ck_assert_int_le(c, 100);
	int peak = 0;
	for (size_t i = 100; i < n; i++)
		peak = abs(buf[i]) > peak ? abs(buf[i]) : peak;
	ck_assert_int_gt(peak, PCSPK_AMPLITUDE / 2);
	/* Reprogrammed to 2 kHz: twice the crossings. */
	hw_out(&env, 0x43, 0xb6);
	hw_out(&env, 0x42, 597 & 0xff);
	hw_out(&env, 0x42, 597 >> 8);
	hw_advance_ns(&env, 50 * MS);
	pcspk_flush(spk);
	n = mixer_read(mix, buf, MIXER_RATE);
	c = crossings(buf + 100, n - 100);
	ck_assert_int_ge(c, 187);
	ck_assert_int_le(c, 196);
	/* Speaker data off again: the output decays to silence. */
	hw_out(&env, 0x61, 0x01);
	hw_advance_ns(&env, 50 * MS);
	pcspk_flush(spk);
	n = mixer_read(mix, buf, MIXER_RATE);
	ck_assert_int_lt(abs(buf[n - 1]), 50);
	/* Detached: nothing more is rendered. */
	pcspk_set_mixer(spk, NULL);
	hw_advance_ns(&env, 50 * MS);
	ck_assert_uint_eq(mixer_available(mix), 0);
	free(buf);
	mixer_free(mix);
	pcspk_desc.free(spk);
	sysctl_desc.free(sc);
	pit_desc.free(pit);
	hw_env_free(&env);
}
END_TEST

START_TEST(wav_capture_file)
{
	char path[] = "/tmp/tandem-test-wav-XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	close(fd);
	struct ui_wav *w = ui_wav_open(path);
	ck_assert_ptr_nonnull(w);
	int16_t s[3000];
	for (int i = 0; i < 3000; i++)
		s[i] = (int16_t)(i * 7 - 9000);
	/* 1500 stereo frames (left, right interleaved), in two writes. */
	ui_wav_write(w, s, 500);
	ui_wav_write(w, s + 1000, 1000);
	ck_assert_int_eq(ui_wav_close(w), 0);
	FILE *f = fopen(path, "rb");
	ck_assert_ptr_nonnull(f);
	uint8_t buf[44 + 6000 + 1];
	size_t n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	unlink(path);
	ck_assert_uint_eq(n, 44 + 6000);
	ck_assert_int_eq(memcmp(buf, "RIFF", 4), 0);
	ck_assert_uint_eq(buf[4] | buf[5] << 8 | buf[6] << 16, 36 + 6000);
	ck_assert_int_eq(memcmp(buf + 8, "WAVEfmt ", 8), 0);
	ck_assert_uint_eq(buf[20], 1);				/* PCM */
	ck_assert_uint_eq(buf[22], 2);				/* stereo */
	ck_assert_uint_eq(buf[24] | buf[25] << 8 | buf[26] << 16, MIXER_RATE);
	ck_assert_uint_eq(buf[28] | buf[29] << 8 | buf[30] << 16, MIXER_RATE * 4);
	ck_assert_uint_eq(buf[32], 4);				/* block align */
	ck_assert_uint_eq(buf[34], 16);
	ck_assert_int_eq(memcmp(buf + 36, "data", 4), 0);
	ck_assert_uint_eq(buf[40] | buf[41] << 8, 6000);
	ck_assert_int_eq((int16_t)(buf[44 + 2 * 2999] | buf[45 + 2 * 2999] << 8), s[2999]);
	ck_assert_int_eq((int16_t)(buf[44] | buf[45] << 8), -9000);
}
END_TEST

Suite *pcspk_suite(void)
{
	Suite *s = suite_create("pcspk");
	TCase *tc = tcase_create("speaker");
	tcase_add_test(tc, mixer_ring);
	tcase_add_test(tc, pcspk_tone_follows_pit_and_port61);
	tcase_add_test(tc, wav_capture_file);
	suite_add_tcase(s, tc);
	return s;
}
