/* VGA text mode: registers through ports, memory through the address space,
 * and what the frontend gets from vga_text_snapshot. */
#include <check.h>
#include <stdlib.h>

#include "hw/memory.h"
#include "hw/pci.h"
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
	ck_assert_uint_eq(vga_vram(vga)[0], 'H');	/* plane 0, offset 0 */
	ck_assert_uint_eq(vga_vram(vga)[1], 0x1f);	/* plane 1 */
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
	/* Mode 7 decodes B0000h (GC06 map 2), not B8000h. */
	vga_mem_write(v, 0x10002, 'N');
	vga_mem_write(v, 0x18004, 'X');
	vga_text_snapshot(v, &txt);
	ck_assert_uint_eq(txt.cells[1] & 0xff, 'N');
	ck_assert_uint_eq(txt.cells[2] & 0xff, ' ');
	ck_assert_uint_eq(vga_mem_read(v, 0x18004), 0xff);
	/* Misc output bit 0 moves the CRTC to 3Dxh; memory decoding stays
	 * with the graphics controller. */
	ioport_write(e.io, 0x3c2, 0x67, 1);
	ck_assert_uint_eq(ioport_read(e.io, 0x3b5, 1), 0xff);
	ck_assert_uint_eq(ioport_read(e.io, 0x3d5, 1), 0x05);
	vga_text_snapshot(v, &txt);
	ck_assert(txt.color);
	ck_assert_uint_eq(txt.cells[0], 0x704d);
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


/* --- graphics: registers, write/read modes, latches, chain-4, VBE --- */

static void gc(uint8_t idx, uint8_t v)
{
	hw_out(&env, 0x3ce, idx);
	hw_out(&env, 0x3cf, v);
}

static void seq(uint8_t idx, uint8_t v)
{
	hw_out(&env, 0x3c4, idx);
	hw_out(&env, 0x3c5, v);
}

/* Byte o of plane p. */
static uint8_t plane(int p, unsigned o)
{
	return vga_vram(vga)[o * 4 + p];
}

/* Planar 16-colour addressing (as mode 12h): A0000h 64K, no odd/even. */
static void planar(void)
{
	seq(2, 0x0f);
	seq(4, 0x06);
	gc(5, 0x00);
	gc(6, 0x05);
	gc(8, 0xff);
}

START_TEST(vga_write_mode0_set_reset_and_mask)
{
	planar();
	mem_write8(mem, 0xa0000, 0xff);		/* all planes FFh */
	for (int p = 0; p < 4; p++)
		ck_assert_uint_eq(plane(p, 0), 0xff);
	gc(1, 0x0f);				/* set/reset on every plane */
	gc(0, 0x05);				/* planes 0 and 2 set, 1 and 3 clear */
	gc(8, 0x0f);				/* only the low four pixels */
	(void)mem_read8(mem, 0xa0000);		/* latches = FFh */
	mem_write8(mem, 0xa0000, 0x00);		/* data ignored under set/reset */
	ck_assert_uint_eq(plane(0, 0), 0xff);
	ck_assert_uint_eq(plane(1, 0), 0xf0);
	ck_assert_uint_eq(plane(2, 0), 0xff);
	ck_assert_uint_eq(plane(3, 0), 0xf0);
	/* Map mask: plane 3 left alone. */
	seq(2, 0x07);
	gc(8, 0xff);
	gc(0, 0x00);
	mem_write8(mem, 0xa0001, 0x12);
	ck_assert_uint_eq(plane(0, 1), 0x00);
	ck_assert_uint_eq(plane(3, 1), 0x00);
	/* Rotate 4 and the AND function against the latches of offset 0. */
	seq(2, 0x0f);
	gc(1, 0x00);
	gc(3, 0x0c);				/* AND, rotate right 4 */
	(void)mem_read8(mem, 0xa0000);
	mem_write8(mem, 0xa0002, 0x3c);		/* rotated: C3h */
	ck_assert_uint_eq(plane(0, 2), 0xc3);	/* C3 & FF */
	ck_assert_uint_eq(plane(1, 2), 0xc0);	/* C3 & F0 */
	gc(3, 0x18);				/* XOR, no rotation */
	mem_write8(mem, 0xa0002, 0xff);
	ck_assert_uint_eq(plane(1, 2), 0x0f);	/* FF ^ F0 */
	gc(3, 0x10);				/* OR */
	mem_write8(mem, 0xa0002, 0x01);
	ck_assert_uint_eq(plane(1, 2), 0xf1);
}
END_TEST

START_TEST(vga_write_modes_1_2_3)
{
	planar();
	seq(2, 0x01);
	mem_write8(mem, 0xa0010, 0x11);
	seq(2, 0x02);
	mem_write8(mem, 0xa0010, 0x22);
	seq(2, 0x04);
	mem_write8(mem, 0xa0010, 0x44);
	seq(2, 0x08);
	mem_write8(mem, 0xa0010, 0x88);
	seq(2, 0x0f);
	/* Mode 1: the latches go out whatever the data and bit mask. */
	gc(5, 0x01);
	gc(8, 0x00);
	(void)mem_read8(mem, 0xa0010);
	mem_write8(mem, 0xa0020, 0x00);
	ck_assert_uint_eq(plane(0, 0x20), 0x11);
	ck_assert_uint_eq(plane(1, 0x20), 0x22);
	ck_assert_uint_eq(plane(2, 0x20), 0x44);
	ck_assert_uint_eq(plane(3, 0x20), 0x88);
	/* Mode 2: data bits 0-3 are the colour, the bit mask picks pixels. */
	gc(5, 0x02);
	gc(8, 0x81);
	(void)mem_read8(mem, 0xa0010);
	mem_write8(mem, 0xa0010, 0x0a);		/* colour 1010b */
	ck_assert_uint_eq(plane(0, 0x10), 0x10);
	ck_assert_uint_eq(plane(1, 0x10), 0xa3);
	ck_assert_uint_eq(plane(2, 0x10), 0x44);
	ck_assert_uint_eq(plane(3, 0x10), 0x89);
	/* Mode 3: set/reset is the colour, rotated data ANDed with the mask. */
	gc(5, 0x03);
	gc(8, 0xf0);
	gc(0, 0x03);
	gc(3, 0x01);				/* rotate right 1 */
	(void)mem_read8(mem, 0xa0020);
	mem_write8(mem, 0xa0020, 0x3c);		/* rotated 1Eh; & F0h = 10h */
	ck_assert_uint_eq(plane(0, 0x20), 0x11 | 0x10);
	ck_assert_uint_eq(plane(1, 0x20), 0x32);
	ck_assert_uint_eq(plane(2, 0x20), 0x44);
	ck_assert_uint_eq(plane(3, 0x20), 0x88);
}
END_TEST

START_TEST(vga_read_modes_and_latches)
{
	planar();
	uint8_t val[4] = { 0xf0, 0xcc, 0xaa, 0x0f };
	for (int p = 0; p < 4; p++) {
		seq(2, (uint8_t)(1 << p));
		mem_write8(mem, 0xa0100, val[p]);
	}
	seq(2, 0x0f);
	for (int p = 0; p < 4; p++) {
		gc(4, (uint8_t)p);
		ck_assert_uint_eq(mem_read8(mem, 0xa0100), val[p]);
	}
	/* Read mode 1: pixel colours, high bit first: f0/cc/aa/0f ->
	 * 7, 3, 5, 1, 14, 10, 12, 8. */
	gc(5, 0x08);
	gc(7, 0x0f);
	gc(2, 0x05);
	ck_assert_uint_eq(mem_read8(mem, 0xa0100), 0x20);
	gc(2, 0x0e);
	ck_assert_uint_eq(mem_read8(mem, 0xa0100), 0x08);
	gc(7, 0x01);				/* only plane 0: colours with bit 0 clear */
	gc(2, 0x00);
	ck_assert_uint_eq(mem_read8(mem, 0xa0100), 0x0f);
	gc(7, 0x00);				/* nothing compared: all match */
	ck_assert_uint_eq(mem_read8(mem, 0xa0100), 0xff);
}
END_TEST

START_TEST(vga_chain4_and_memory_map)
{
	seq(4, 0x0e);
	gc(5, 0x40);
	gc(6, 0x05);
	mem_write8(mem, 0xa0005, 0x77);
	ck_assert_uint_eq(vga_vram(vga)[5], 0x77);	/* plane 1, offset 1 */
	ck_assert_uint_eq(plane(1, 1), 0x77);
	ck_assert_uint_eq(mem_read8(mem, 0xa0005), 0x77);
	seq(2, 0x0d);					/* plane 1 masked off */
	mem_write8(mem, 0xa0005, 0x55);
	mem_write8(mem, 0xa0006, 0x66);
	ck_assert_uint_eq(plane(1, 1), 0x77);
	ck_assert_uint_eq(plane(2, 1), 0x66);
	/* A0000h-AFFFFh only: B8000h decodes to nothing. */
	ck_assert_uint_eq(mem_read8(mem, 0xb8000), 0xff);
	mem_write8(mem, 0xb8000, 0x12);
	ck_assert_uint_eq(vga_vram(vga)[0], 0x20);	/* the reset's space */
	/* Mode 13h picture: 320x200, pixel colour through the DAC. */
	static const uint8_t c13[25] = {
		0x5f, 0x4f, 0x50, 0x82, 0x54, 0x80, 0xbf, 0x1f, 0x00, 0x41, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x9c, 0x0e, 0x8f, 0x28, 0x40, 0x96, 0xb9, 0xa3, 0xff,
	};
	crtc(0x11, 0x0e);
	for (int i = 0; i < 25; i++)
		crtc((uint8_t)i, c13[i]);
	hw_in(&env, 0x3da);
	hw_out(&env, 0x3c0, 0x30);
	hw_out(&env, 0x3c0, 0x41);
	seq(2, 0x0f);
	hw_out(&env, 0x3c8, 9);
	hw_out(&env, 0x3c9, 63);
	hw_out(&env, 0x3c9, 0);
	hw_out(&env, 0x3c9, 32);
	mem_write8(mem, 0xa0000 + 320 * 7 + 11, 9);
	uint32_t *pix = malloc(sizeof(uint32_t) * VGA_RENDER_MAX_W * VGA_RENDER_MAX_H);
	ck_assert_ptr_nonnull(pix);
	int w, h;
	ck_assert(vga_render(vga, pix, &w, &h));
	ck_assert_int_eq(w, 320);
	ck_assert_int_eq(h, 200);
	ck_assert_uint_eq(pix[320 * 7 + 11], 0xff0082);
	free(pix);
}
END_TEST

static void vbe(uint16_t idx, uint16_t val)
{
	ioport_write(env.io, 0x1ce, idx, 2);
	ioport_write(env.io, 0x1cf, val, 2);
}

static uint16_t vbe_get(uint16_t idx)
{
	ioport_write(env.io, 0x1ce, idx, 2);
	return (uint16_t)ioport_read(env.io, 0x1cf, 2);
}

START_TEST(vga_vbe_registers_and_lfb)
{
	uint32_t *pix = malloc(sizeof(uint32_t) * VGA_RENDER_MAX_W * VGA_RENDER_MAX_H);
	int w, h;
	ck_assert_ptr_nonnull(pix);
	ck_assert(!vga_render(vga, pix, &w, &h));	/* text mode */
	ck_assert_uint_eq(vbe_get(0), 0xb0c5);
	vbe(0, 0xb0c2);
	ck_assert_uint_eq(vbe_get(0), 0xb0c2);
	vbe(0, 0x1234);					/* not an ID: ignored */
	ck_assert_uint_eq(vbe_get(0), 0xb0c2);
	ck_assert_uint_eq(vbe_get(10), 256);		/* 16 MiB in 64K units */
	vbe(4, 0x02);
	ck_assert_uint_ge(vbe_get(1), 1920);
	ck_assert_uint_ge(vbe_get(2), 1080);
	ck_assert_uint_eq(vbe_get(3), 32);
	vbe(4, 0x00);
	/* A bad depth does not enable. */
	vbe(1, 640);
	vbe(2, 480);
	vbe(3, 12);
	vbe(4, 0x41);
	ck_assert_uint_eq(vbe_get(4) & 1, 0);
	vbe(3, 32);
	vbe(1, 1920);
	vbe(2, 1080);
	vbe(4, 0x41);
	ck_assert_uint_eq(vbe_get(4), 0x41);
	ck_assert_uint_eq(vbe_get(6), 1920);
	ck_assert_uint_eq(vbe_get(7), 16 * 1024 * 1024 / (1920 * 4));
	vbe(1, 800);					/* fixed while enabled */
	ck_assert_uint_eq(vbe_get(1), 1920);
	mem_write32(mem, VGA_LFB_BASE + (1920 * 2 + 3) * 4, 0x00123456);
	ck_assert(vga_render(vga, pix, &w, &h));
	ck_assert_int_eq(w, 1920);
	ck_assert_int_eq(h, 1080);
	ck_assert_uint_eq(pix[1920 * 2 + 3], 0x123456);
	/* Bank 3 of the A0000h window. */
	vbe(5, 3);
	mem_write8(mem, 0xa0010, 0x5a);
	ck_assert_uint_eq(vga_vram(vga)[3 * 0x10000 + 0x10], 0x5a);
	ck_assert_uint_eq(mem_read8(mem, VGA_LFB_BASE + 3 * 0x10000 + 0x10), 0x5a);
	vbe(5, 0x4000);					/* past the memory: refused */
	ck_assert_uint_eq(vbe_get(5), 3);
	/* Panning through the offsets. */
	vbe(8, 3);
	vbe(9, 2);
	ck_assert(vga_render(vga, pix, &w, &h));
	ck_assert_uint_eq(pix[0], 0x123456);
	/* 16 bpp, 8-bit DAC for 8 bpp. */
	vbe(4, 0);
	vbe(1, 640);
	vbe(2, 480);
	vbe(3, 16);
	vbe(4, 0xc1);					/* LFB, keep memory */
	mem_write16(mem, VGA_LFB_BASE + 2, 0xf81f);	/* magenta at (1,0) */
	ck_assert(vga_render(vga, pix, &w, &h));
	ck_assert_uint_eq(pix[1], 0xff00ff);
	vbe(4, 0);
	vbe(3, 8);
	vbe(4, 0x61);					/* 8-bit DAC */
	hw_out(&env, 0x3c8, 1);
	hw_out(&env, 0x3c9, 0x81);
	hw_out(&env, 0x3c9, 0x82);
	hw_out(&env, 0x3c9, 0x83);
	mem_write8(mem, VGA_LFB_BASE + 5, 1);
	ck_assert(vga_render(vga, pix, &w, &h));
	ck_assert_uint_eq(pix[5], 0x818283);
	vbe(4, 0);
	ck_assert(!vga_render(vga, pix, &w, &h));
	free(pix);
}
END_TEST

START_TEST(vga_lfb_on_pci_bar)
{
	struct hw_env e;
	hw_env_init(&e);
	struct mem *m = mem_new(1 << 20);
	struct pci_bus *bus = pci_bus_new(e.io, m, NULL, NULL);
	struct vga *v = vga_new(e.io, m, e.clk, false);
	ck_assert_ptr_nonnull(bus);
	ck_assert_ptr_nonnull(v);
	ck_assert_int_eq(vga_add_pci(v, bus), 0);
	uint8_t devfn = PCI_DEVFN(2, 0);
	ck_assert_uint_eq(pci_bus_config_read(bus, devfn, 0, 4), 0x11111234);
	ck_assert_uint_eq(pci_bus_config_read(bus, devfn, 0x0a, 2), 0x0300);
	ck_assert_uint_eq(pci_bus_config_read(bus, devfn, PCI_BAR0, 4), VGA_LFB_BASE | 8);
	mem_write8(m, VGA_LFB_BASE + 7, 0x42);
	ck_assert_uint_eq(vga_vram(v)[7], 0x42);
	/* Sizing, then a move. */
	pci_bus_config_write(bus, devfn, PCI_BAR0, 0xffffffff, 4);
	ck_assert_uint_eq(pci_bus_config_read(bus, devfn, PCI_BAR0, 4), 0xff000008);
	pci_bus_config_write(bus, devfn, PCI_BAR0, 0xd0000000, 4);
	ck_assert_uint_eq(mem_read8(m, 0xd0000007), 0x42);
	ck_assert_uint_eq(mem_read8(m, VGA_LFB_BASE + 7), 0xff);
	/* Reset puts it back. */
	pci_bus_desc.reset(bus);
	ck_assert_uint_eq(pci_bus_config_read(bus, devfn, PCI_BAR0, 4), VGA_LFB_BASE | 8);
	ck_assert_uint_eq(mem_read8(m, VGA_LFB_BASE + 7), 0x42);
	vga_desc.free(v);
	pci_bus_desc.free(bus);
	mem_free(m);
	hw_env_free(&e);
}
END_TEST

/* Unchained 256-colour variants come from the CRTC alone: 360x480 with a
 * 90-byte stride, its start address and split screen. */
START_TEST(vga_unchained_variants)
{
	static const uint8_t c360[25] = {
		0x6b, 0x59, 0x5a, 0x8e, 0x5e, 0x8a, 0x0d, 0x3e, 0x00, 0x40, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0xea, 0xac, 0xdf, 0x2d, 0x00, 0xe7, 0x06, 0xe3, 0xff,
	};
	hw_out(&env, 0x3c2, 0xe7);
	seq(4, 0x06);
	gc(5, 0x40);
	gc(6, 0x05);
	crtc(0x11, 0x0e);
	for (int i = 0; i < 25; i++)
		crtc((uint8_t)i, c360[i]);
	hw_in(&env, 0x3da);
	hw_out(&env, 0x3c0, 0x30);
	hw_out(&env, 0x3c0, 0x41);
	hw_out(&env, 0x3c8, 200);
	hw_out(&env, 0x3c9, 63);
	hw_out(&env, 0x3c9, 63);
	hw_out(&env, 0x3c9, 0);
	/* Pixel (357, 3): plane 1, byte 3 * 90 + 89. */
	seq(2, 0x02);
	mem_write8(mem, 0xa0000 + 3 * 90 + 89, 200);
	uint32_t *pix = malloc(sizeof(uint32_t) * VGA_RENDER_MAX_W * VGA_RENDER_MAX_H);
	ck_assert_ptr_nonnull(pix);
	int w, h;
	ck_assert(vga_render(vga, pix, &w, &h));
	ck_assert_int_eq(w, 360);
	ck_assert_int_eq(h, 480);
	ck_assert_uint_eq(pix[3 * 360 + 357], 0xffff00);
	ck_assert_uint_eq(pix[3 * 360 + 356], 0x000000);
	/* Start address 90: line 2 is now at the top. */
	crtc(0x0c, 0x00);
	crtc(0x0d, 90);
	ck_assert(vga_render(vga, pix, &w, &h));
	ck_assert_uint_eq(pix[2 * 360 + 357], 0xffff00);
	/* Split at scan line 100: line 101 shows address 0 (line 0), so the
	 * pixel of memory line 3 appears on screen line 104. */
	crtc(0x18, 100);
	crtc(0x07, 0x2e);			/* line compare bit 8 clear */
	crtc(0x09, 0x00);			/* bit 9 clear */
	ck_assert(vga_render(vga, pix, &w, &h));
	ck_assert_uint_eq(pix[104 * 360 + 357], 0xffff00);
	ck_assert_uint_eq(pix[2 * 360 + 357], 0xffff00);
	free(pix);
}
END_TEST

/* Whatever a guest writes to the ports and memory, rendering and
 * snapshots stay inside the card's memory (run under ASan to see it). */
START_TEST(vga_random_programming_is_safe)
{
	uint32_t *pix = malloc(sizeof(uint32_t) * VGA_RENDER_MAX_W * VGA_RENDER_MAX_H);
	ck_assert_ptr_nonnull(pix);
	uint32_t x = 12345;
	int w, h;
	for (int i = 0; i < 200000; i++) {
		x = x * 1103515245u + 12345u;
		uint32_t r = x >> 8;
		switch (r % 8) {
		case 0: case 1:
			hw_out(&env, (uint16_t)(0x3b0 + (r >> 4) % 0x30), (uint8_t)(r >> 12));
			break;
		case 2:
			ioport_write(env.io, 0x1ce, (r >> 4) % 12, 2);
			ioport_write(env.io, 0x1cf, (r >> 8) & 0xffff, 2);
			break;
		case 3:
			(void)hw_in(&env, (uint16_t)(0x3b0 + (r >> 4) % 0x30));
			(void)ioport_read(env.io, 0x1cf, 2);
			break;
		case 4: case 5:
			mem_write8(mem, 0xa0000 + (r >> 4) % 0x20000, (uint8_t)r);
			break;
		case 6:
			(void)mem_read32(mem, 0xa0000 + (r >> 4) % 0x20000);
			mem_write32(mem, VGA_LFB_BASE + (r >> 4) % VGA_VRAM_SIZE, r);
			break;
		default:
			if (i % 64 == 7) {
				if (vga_render(vga, pix, &w, &h)) {
					ck_assert(w >= 0 && w <= VGA_RENDER_MAX_W);
					ck_assert(h >= 0 && h <= VGA_RENDER_MAX_H);
				}
				vga_text_snapshot(vga, &txt);
				ck_assert(txt.cols <= VGA_TEXT_MAX_COLS && txt.rows <= VGA_TEXT_MAX_ROWS);
				(void)vga_generation(vga);
			}
			break;
		}
	}
	free(pix);
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
	tc = tcase_create("graphics");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, vga_write_mode0_set_reset_and_mask);
	tcase_add_test(tc, vga_write_modes_1_2_3);
	tcase_add_test(tc, vga_read_modes_and_latches);
	tcase_add_test(tc, vga_chain4_and_memory_map);
	tcase_add_test(tc, vga_vbe_registers_and_lfb);
	tcase_add_test(tc, vga_lfb_on_pci_bar);
	tcase_add_test(tc, vga_unchained_variants);
	tcase_add_test(tc, vga_random_programming_is_safe);
	suite_add_tcase(s, tc);
	return s;
}
