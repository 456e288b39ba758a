/* VGA text mode: registers through ports, memory through the address space,
 * and what the frontend gets from vga_text_snapshot. */
#include <check.h>
#include <stdlib.h>

#include "hw/memory.h"
#include "hw/vga.h"
#include "tests/unit/hw_harness.h"

static struct hw_env env;
static struct mem *mem;
static struct vga *vga;
static struct vga_text txt;

static void setup(void)
{
	hw_env_init(&env);
	mem = mem_new(0xa0000);
	ck_assert_ptr_nonnull(mem);
	vga = vga_new(env.io, mem, env.clk, false);
	ck_assert_ptr_nonnull(vga);
}

static void teardown(void)
{
	vga_desc.free(vga);
	mem_free(mem);
	hw_env_free(&env);
}

static void crtc(uint8_t idx, uint8_t v)
{
	hw_out(&env, 0x3d4, idx);
	hw_out(&env, 0x3d5, v);
}

START_TEST(vga_reset_is_mode3)
{
	vga_text_snapshot(vga, &txt);
	ck_assert_int_eq(txt.cols, 80);
	ck_assert_int_eq(txt.rows, 25);
	ck_assert_int_eq(txt.char_height, 16);
	ck_assert_int_eq(txt.char_width, 9);
	ck_assert(txt.color);
	ck_assert(!txt.graphics);
	ck_assert(!txt.blank);
	ck_assert(txt.blink);
	ck_assert(txt.cursor_visible);
	ck_assert_int_eq(txt.cursor_start, 13);
	ck_assert_int_eq(txt.cursor_end, 14);
	ck_assert_int_eq(txt.cursor_row, 0);
	ck_assert_int_eq(txt.cursor_col, 0);
	ck_assert_uint_eq(txt.cells[0], 0x0720);
	ck_assert_uint_eq(txt.palette[0], 0x000000);
	ck_assert_uint_eq(txt.palette[1], 0x0000aa);
	ck_assert_uint_eq(txt.palette[6], 0xaa5500);	/* brown, not dark yellow */
	ck_assert_uint_eq(txt.palette[7], 0xaaaaaa);
	ck_assert_uint_eq(txt.palette[8], 0x555555);
	ck_assert_uint_eq(txt.palette[15], 0xffffff);
	ck_assert_uint_eq(hw_in(&env, 0x3cc), 0x67);
}
END_TEST

START_TEST(vga_memory_and_generation)
{
	uint64_t g0 = vga_generation(vga);
	ck_assert_uint_eq(vga_generation(vga), g0);
	mem_write16(mem, 0xb8000, 0x1f48);		/* 'H' white on blue */
	mem_write16(mem, 0xb8000 + 160 * 24 + 158, 0x4e21);
	uint64_t g1 = vga_generation(vga);
	ck_assert_uint_gt(g1, g0);
	vga_text_snapshot(vga, &txt);
	ck_assert_uint_eq(txt.cells[0], 0x1f48);
	ck_assert_uint_eq(txt.cells[80 * 25 - 1], 0x4e21);
	ck_assert_uint_eq(vga_vram(vga)[0x8000], 'H');
	/* Writes off screen do not count as visible changes. */
	mem_write8(mem, 0xb8000 + 4000 + 10, 'x');
	ck_assert_uint_eq(vga_generation(vga), g1);
	/* Cursor at row 1, column 1. */
	crtc(0x0e, 0x00);
	crtc(0x0f, 81);
	ck_assert_uint_gt(vga_generation(vga), g1);
	vga_text_snapshot(vga, &txt);
	ck_assert_int_eq(txt.cursor_row, 1);
	ck_assert_int_eq(txt.cursor_col, 1);
	ck_assert_uint_eq(hw_in(&env, 0x3d5), 81);
	/* Cursor off (CR0A bit 5). */
	crtc(0x0a, 0x20);
	vga_text_snapshot(vga, &txt);
	ck_assert(!txt.cursor_visible);
	/* Start address: page 1 (4096 bytes = 2048 cells). */
	mem_write16(mem, 0xb8000 + 4096, 0x0731);
	crtc(0x0c, 0x08);
	crtc(0x0d, 0x00);
	vga_text_snapshot(vga, &txt);
	ck_assert_uint_eq(txt.cells[0], 0x0731);
	ck_assert_int_eq(txt.cursor_row, -1);
}
END_TEST

START_TEST(vga_geometry_from_crtc)
{
	crtc(0x09, 0x47);			/* 8-line characters: 50 rows */
	vga_text_snapshot(vga, &txt);
	ck_assert_int_eq(txt.rows, 50);
	ck_assert_int_eq(txt.char_height, 8);
	/* 40 columns: CR01 = 27h, offset 14h. */
	crtc(0x11, 0x0e);			/* drop the write protect on CR0-7 */
	crtc(0x01, 0x27);
	crtc(0x13, 0x14);
	mem_write16(mem, 0xb8000 + 80, 0x0741);
	vga_text_snapshot(vga, &txt);
	ck_assert_int_eq(txt.cols, 40);
	ck_assert_uint_eq(txt.cells[40], 0x0741);
	/* With CR11 bit 7 set, CR01 is protected. */
	crtc(0x11, 0x8e);
	crtc(0x01, 0x4f);
	vga_text_snapshot(vga, &txt);
	ck_assert_int_eq(txt.cols, 40);
	/* 8-dot characters from the sequencer clocking mode. */
	hw_out(&env, 0x3c4, 0x01);
	hw_out(&env, 0x3c5, 0x01);
	vga_text_snapshot(vga, &txt);
	ck_assert_int_eq(txt.char_width, 8);
	/* Screen off bit. */
	hw_out(&env, 0x3c5, 0x21);
	vga_text_snapshot(vga, &txt);
	ck_assert(txt.blank);
}
END_TEST

START_TEST(vga_attribute_and_dac)
{
	hw_in(&env, 0x3da);			/* flip-flop to index */
	hw_out(&env, 0x3c0, 0x01);		/* palette 1, PAS off */
	vga_text_snapshot(vga, &txt);
	ck_assert(txt.blank);
	hw_out(&env, 0x3c0, 0x3c);		/* bright red in EGA terms */
	ck_assert_uint_eq(hw_in(&env, 0x3c1), 0x3c);
	hw_out(&env, 0x3c0, 0x30);		/* mode control, PAS on */
	hw_out(&env, 0x3c0, 0x04);		/* blink off */
	vga_text_snapshot(vga, &txt);
	ck_assert(!txt.blank);
	ck_assert(!txt.blink);
	ck_assert_uint_eq(txt.palette[1], 0xff5555);
	/* Reprogram DAC entry 3Ch and read it back through 3C7h. */
	hw_out(&env, 0x3c8, 0x3c);
	hw_out(&env, 0x3c9, 0x00);
	hw_out(&env, 0x3c9, 0x3f);
	hw_out(&env, 0x3c9, 0x20);
	vga_text_snapshot(vga, &txt);
	ck_assert_uint_eq(txt.palette[1], 0x00ff82);
	hw_out(&env, 0x3c7, 0x3c);
	ck_assert_uint_eq(hw_in(&env, 0x3c7), 3);
	ck_assert_uint_eq(hw_in(&env, 0x3c9), 0x00);
	ck_assert_uint_eq(hw_in(&env, 0x3c9), 0x3f);
	ck_assert_uint_eq(hw_in(&env, 0x3c9), 0x20);
	ck_assert_uint_eq(hw_in(&env, 0x3c9), 63);	/* auto-increment: 3Dh, red */
	/* A reading of 3DA resets the flip-flop mid-pair. */
	hw_out(&env, 0x3c0, 0x22);
	hw_in(&env, 0x3da);
	hw_out(&env, 0x3c0, 0x30);
	hw_out(&env, 0x3c0, 0x0c);
	vga_text_snapshot(vga, &txt);
	ck_assert(txt.blink);
}
END_TEST

START_TEST(vga_mono_and_io_select)
{
	struct hw_env e;
	hw_env_init(&e);
	struct vga *v = vga_new(e.io, NULL, e.clk, true);
	ck_assert_ptr_nonnull(v);
	vga_text_snapshot(v, &txt);
	ck_assert(!txt.color);
	ck_assert_int_eq(txt.cols, 80);
	ck_assert_int_eq(txt.rows, 25);
	ck_assert_uint_eq(ioport_read(e.io, 0x3d4, 1), 0xff);
	ioport_write(e.io, 0x3b4, 0x0f, 1);
	ioport_write(e.io, 0x3b5, 0x05, 1);
	ck_assert_uint_eq(ioport_read(e.io, 0x3b5, 1), 0x05);
	vga_vram(v)[0] = 'M';
	vga_vram(v)[1] = 0x70;
	vga_text_snapshot(v, &txt);
	ck_assert_uint_eq(txt.cells[0], 0x704d);
	ck_assert_int_eq(txt.cursor_col, 5);
	/* Misc output bit 0 moves the CRTC to 3Dxh and memory to B8000h. */
	ioport_write(e.io, 0x3c2, 0x67, 1);
	ck_assert_uint_eq(ioport_read(e.io, 0x3b5, 1), 0xff);
	ck_assert_uint_eq(ioport_read(e.io, 0x3d5, 1), 0x05);
	vga_text_snapshot(v, &txt);
	ck_assert(txt.color);
	ck_assert_uint_eq(txt.cells[0], 0x0720);
	vga_desc.free(v);
	hw_env_free(&e);
}
END_TEST

START_TEST(vga_retrace_bits_follow_time)
{
	int seen[16] = { 0 };
	int vr_edges = 0, last_vr = 0;
	/* 100 ms in 10 us steps: about 7 frames of 449 lines. */
	for (int i = 0; i < 10000; i++) {
		uint8_t s = hw_in(&env, 0x3da);
		seen[s & 0x09]++;
		int vr = (s & 8) != 0;
		if (vr && !last_vr)
			vr_edges++;
		last_vr = vr;
		hw_advance_ns(&env, 10000);
	}
	ck_assert_int_gt(seen[0x00], 0);	/* displaying */
	ck_assert_int_gt(seen[0x01], 0);	/* blanking */
	ck_assert_int_gt(seen[0x09], 0);	/* vertical retrace */
	ck_assert_int_ge(vr_edges, 6);		/* ~70 Hz */
	ck_assert_int_le(vr_edges, 8);
}
END_TEST

START_TEST(vga_snapshot_roundtrip)
{
	mem_write16(mem, 0xb8002, 0x2e41);
	crtc(0x0f, 0x07);
	hw_out(&env, 0x3c8, 0x01);
	hw_out(&env, 0x3c9, 0x01);
	hw_out(&env, 0x3c9, 0x02);
	hw_out(&env, 0x3c9, 0x03);
	struct snap s;
	snap_init(&s);
	vga_desc.save(vga, &s);
	vga_desc.reset(vga);
	vga_text_snapshot(vga, &txt);
	ck_assert_uint_eq(txt.cells[1], 0x0720);
	struct snap r;
	snap_open(&r, s.data, s.len);
	ck_assert_int_eq(vga_desc.load(vga, &r), 0);
	snap_free(&s);
	vga_text_snapshot(vga, &txt);
	ck_assert_uint_eq(txt.cells[1], 0x2e41);
	ck_assert_uint_eq(mem_read16(mem, 0xb8002), 0x2e41);
	ck_assert_int_eq(txt.cursor_col, 7);
	ck_assert_uint_eq(txt.palette[1], 0x04080c);
}
END_TEST

Suite *vga_suite(void)
{
	Suite *s = suite_create("vga");
	TCase *tc = tcase_create("text");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, vga_reset_is_mode3);
	tcase_add_test(tc, vga_memory_and_generation);
	tcase_add_test(tc, vga_geometry_from_crtc);
	tcase_add_test(tc, vga_attribute_and_dac);
	tcase_add_test(tc, vga_mono_and_io_select);
	tcase_add_test(tc, vga_retrace_bits_follow_time);
	tcase_add_test(tc, vga_snapshot_roundtrip);
	suite_add_tcase(s, tc);
	return s;
}
