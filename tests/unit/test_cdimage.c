/* CUE sheets (layout, reads, every refusal) and the CD-DA player's timing,
 * pause, completion and save state. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hw/cdaudio.h"
#include "hw/cdimage.h"
#include "tests/unit/hw_harness.h"
#include "util/snapshot.h"

static char dir[64];

/* frames of 2352 bytes; byte i of frame n is (n + i) & 255. */
static void write_bin(const char *name, uint32_t frames)
{
	char path[128];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	for (uint32_t n = 0; n < frames; n++)
		for (uint32_t i = 0; i < CD_RAW_BYTES; i++)
			fputc((int)((n + i) & 255), f);
	fclose(f);
}

static struct cdimage *open_cue(const char *text, char *err, size_t errlen)
{
	char path[128];
	snprintf(path, sizeof(path), "%s/t.cue", dir);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	return cdimage_open(path, err, errlen);
}

static void setup(void)
{
	strcpy(dir, "/tmp/tandem-cue-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	write_bin("a.bin", 70);
	write_bin("b.bin", 60);
}

static void teardown(void)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static const char good[] =
	"REM x\n"
	"FILE \"a.bin\" BINARY\n"
	"  TRACK 01 MODE1/2352\n"
	"    INDEX 01 00:00:00\n"
	"  TRACK 02 AUDIO\n"
	"    INDEX 00 00:00:20\n"
	"    INDEX 01 00:00:30\n"
	"FILE b.bin BINARY\n"
	"  TRACK 03 AUDIO\n"
	"    PREGAP 00:00:15\n"
	"    INDEX 01 00:00:00\n";

START_TEST(cue_layout_and_reads)
{
	char err[256];
	struct cdimage *c = open_cue(good, err, sizeof(err));
	ck_assert_msg(c != NULL, "%s", err);
	ck_assert_int_eq(cdimage_track_count(c), 3);
	ck_assert_uint_eq(cdimage_leadout(c), 145);
	const struct cd_track *t = cdimage_track(c, 0);
	ck_assert(t->mode == CD_MODE1_2352 && t->start == 0 && t->end == 20);
	t = cdimage_track(c, 1);
	ck_assert(cd_track_is_audio(t) && t->first == 20 && t->start == 30 && t->end == 70);
	t = cdimage_track(c, 2);
	ck_assert(t->first == 70 && t->silent == 15 && t->start == 85 && t->end == 145);
	ck_assert_ptr_eq(cdimage_track_at(c, 84), t);
	ck_assert_ptr_null(cdimage_track_at(c, 145));

	uint8_t buf[CD_RAW_BYTES];
	ck_assert_int_eq(cdimage_read_data(c, 3, buf), 0);	/* header stripped */
	ck_assert_uint_eq(buf[0], (3 + 16) & 255);
	ck_assert_uint_eq(buf[2047], (3 + 16 + 2047) & 255);
	ck_assert_int_lt(cdimage_read_data(c, 30, buf), 0);	/* audio */
	ck_assert_int_eq(cdimage_read_raw(c, 40, buf), 0);
	ck_assert_uint_eq(buf[0], 40 & 255);
	ck_assert_int_eq(cdimage_read_raw(c, 72, buf), 0);	/* PREGAP: silence */
	ck_assert_uint_eq(buf[0] | buf[100] | buf[2351], 0);
	ck_assert_int_eq(cdimage_read_raw(c, 85, buf), 0);	/* b.bin frame 0 */
	ck_assert_uint_eq(buf[1], 1);
	ck_assert_int_lt(cdimage_read_raw(c, 145, buf), 0);
	uint8_t msf[3];
	cd_lba_to_msf(85, msf);
	ck_assert(msf[0] == 0 && msf[1] == 3 && msf[2] == 10);
	ck_assert_int_eq(cd_msf_to_lba(0, 3, 70), 145);
	ck_assert_int_eq(cd_msf_to_lba(0, 0, 0), -150);
	cdimage_close(c);
}
END_TEST

START_TEST(iso_synthesized_raw)
{
	char path[128], err[256];
	snprintf(path, sizeof(path), "%s/x.iso", dir);
	FILE *f = fopen(path, "wb");
	for (int i = 0; i < 4 * 2048; i++)
		fputc(i & 255, f);
	fclose(f);
	struct cdimage *c = cdimage_open(path, err, sizeof(err));
	ck_assert_msg(c != NULL, "%s", err);
	ck_assert_uint_eq(cdimage_leadout(c), 4);
	uint8_t buf[CD_RAW_BYTES];
	ck_assert_int_eq(cdimage_read_raw(c, 2, buf), 0);
	ck_assert(buf[0] == 0 && buf[1] == 0xff && buf[10] == 0xff && buf[11] == 0);
	ck_assert(buf[12] == 0x00 && buf[13] == 0x02 && buf[14] == 0x02 && buf[15] == 1);
	ck_assert_uint_eq(buf[16], 0);
	ck_assert_uint_eq(buf[17], 1);
	cdimage_close(c);
	f = fopen(path, "ab");
	fputc(0, f);
	fclose(f);
	ck_assert_ptr_null(cdimage_open(path, err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "2048-byte blocks"));
}
END_TEST

static void refused(const char *text, const char *want)
{
	char err[512] = "";
	struct cdimage *c = open_cue(text, err, sizeof(err));
	ck_assert_msg(c == NULL, "accepted: %s", text);
	ck_assert_msg(strstr(err, want) != NULL, "'%s' lacks '%s'", err, want);
}

START_TEST(cue_refusals)
{
	refused("FILE \"none.bin\" BINARY\nTRACK 01 AUDIO\nINDEX 01 00:00:00\n",
		"line 1: FILE: cannot open BIN file");
	refused("FILE a.bin BINARY\nTRACK 01 AUDIO\nINDEX 01 00:60:00\n", "line 3: bad time");
	refused("FILE a.bin BINARY\nTRACK 01 AUDIO\nINDEX 01 00:00:75\n", "bad time '00:00:75'");
	refused("FILE a.bin BINARY\nTRACK 01 AUDIO\nINDEX 01 0000\n", "bad time");
	refused("FILE a.bin BINARY\nTRACK 01 MODE2/2336\nINDEX 01 00:00:00\n",
		"line 2: track mode 'MODE2/2336' is not supported");
	refused("FILE a.bin BINARY\nTRACK 01 AUDIO\nINDEX 01 00:00:70\n",
		"track 1 (INDEX 01 at frame 70) is beyond the end");
	refused("FILE a.bin BINARY\nTRACK 01 AUDIO\nINDEX 01 00:00:00\n"
		"TRACK 02 AUDIO\nINDEX 01 00:01:00\n", "track 2 (INDEX 01 at frame 75) is beyond");
	refused("TRACK 01 AUDIO\n", "TRACK before any FILE");
	refused("FILE a.bin BINARY\nTRACK 02 AUDIO\nINDEX 01 00:00:00\n", "out of order");
	refused("FILE a.bin BINARY\nTRACK 01 AUDIO\nTRACK 02 AUDIO\n", "track 1 has no INDEX 01");
	refused("FILE a.bin BINARY\nTRACK 01 AUDIO\n", "track 1 has no INDEX 01");
	refused("FILE a.bin WAVE\n", "FILE type 'WAVE' is not supported");
	refused("FILE a.bin BINARY\nFILE b.bin BINARY\n", "the previous FILE has no TRACK");
	refused("FILE a.bin BINARY\nTRACK 01 AUDIO\nINDEX 01 00:00:10\n"
		"TRACK 02 AUDIO\nINDEX 01 00:00:05\n", "not after track 1's INDEX 01");
	refused("FILE a.bin BINARY\nTRACK 01 AUDIO\nINDEX 01 00:00:00\nPOSTGAP 00:00:02\n",
		"POSTGAP is not supported");
	refused("\x7f" "ELF\x02\x01\n", "unknown command");
	refused("REM nothing\n", "has no TRACK");
	refused("FILE a.bin BINARY\nTRACK 01 AUDIO\nINDEX 01 00:00:00 x\n"
		"TRACK 00 AUDIO\n", "bad track number");
	char cue[128];
	snprintf(cue, sizeof(cue), "%s/none.cue", dir);
	char err[256];
	ck_assert_ptr_null(cdimage_open(cue, err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "cannot open CUE sheet"));
}
END_TEST

#define FRAME_PS (CLOCK_PS_PER_SEC / 75)

START_TEST(player_timing_pause_save)
{
	struct hw_env env;
	hw_env_init(&env);
	char err[256];
	struct cdimage *c = open_cue(good, err, sizeof(err));
	ck_assert_ptr_nonnull(c);
	struct cdaudio *p = cdaudio_new(env.clk, c);
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(cdaudio_take_status(p), CDA_NONE);
	ck_assert_int_lt(cdaudio_pause(p, false), 0);

	cdaudio_play(p, 30, 70);
	ck_assert_uint_eq(cdaudio_take_status(p), CDA_PLAYING);
	hw_run_until(&env, 10 * FRAME_PS + FRAME_PS / 2);
	ck_assert_uint_eq(cdaudio_position(p), 40);
	ck_assert_int_eq(cdaudio_pause(p, false), 0);
	hw_run_until(&env, 100 * FRAME_PS);
	ck_assert_uint_eq(cdaudio_take_status(p), CDA_PAUSED);
	ck_assert_uint_eq(cdaudio_position(p), 40);
	ck_assert_int_eq(cdaudio_pause(p, true), 0);
	hw_run_until(&env, 110 * FRAME_PS);
	ck_assert_uint_eq(cdaudio_position(p), 50);	/* 40.5 + 10 frames */

	/* A saved play goes on the same way in a new player. */
	struct snap s;
	snap_init(&s);
	cdaudio_desc.save(p, &s);
	struct cdaudio *q = cdaudio_new(env.clk, c);
	struct snap r;
	snap_open(&r, s.data, s.len);
	ck_assert_int_eq(cdaudio_desc.load(q, &r), 0);
	hw_run_until(&env, 125 * FRAME_PS);
	ck_assert_uint_eq(cdaudio_position(q), cdaudio_position(p));
	ck_assert_uint_eq(cdaudio_position(q), 65);
	hw_run_until(&env, 200 * FRAME_PS);
	ck_assert_uint_eq(cdaudio_take_status(q), CDA_COMPLETED);
	ck_assert_uint_eq(cdaudio_take_status(q), CDA_NONE);	/* reported once */
	ck_assert_uint_eq(cdaudio_position(q), 69);
	ck_assert(!cdaudio_active(q));

	/* A corrupt record is refused. */
	s.data[0] = 0x99;
	snap_open(&r, s.data, s.len);
	ck_assert_int_lt(cdaudio_desc.load(q, &r), 0);
	snap_free(&s);

	cdaudio_play(p, 85, 145);
	cdaudio_stop(p);
	ck_assert_uint_eq(cdaudio_take_status(p), CDA_NONE);
	cdaudio_desc.free(p);
	cdaudio_desc.free(q);
	cdimage_close(c);
	hw_env_free(&env);
}
END_TEST

Suite *cdimage_suite(void)
{
	Suite *s = suite_create("cdimage");
	TCase *tc = tcase_create("cdimage");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, cue_layout_and_reads);
	tcase_add_test(tc, iso_synthesized_raw);
	tcase_add_test(tc, cue_refusals);
	tcase_add_test(tc, player_timing_pause_save);
	suite_add_tcase(s, tc);
	return s;
}
