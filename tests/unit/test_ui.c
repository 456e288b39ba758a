/* Frontend tests: text rendering (glyphs, 9th dot, attributes, blink,
 * cursor, 40-column doubling), the PNG writer and reader, terminal text,
 * and the host-key to set-1 scancode table. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hw/clock.h"
#include "hw/ioport.h"
#include "hw/kbd.h"
#include "hw/machine.h"
#include "hw/vga.h"
#include "ui/cp437.h"
#include "ui/keymap.h"
#include "ui/hotkey.h"
#include "ui/keys.h"
#include "ui/png.h"
#include "ui/render.h"
#include "ui/term.h"
#include "ui/ui.h"

static const uint32_t cga[16] = {
	0x000000, 0x0000aa, 0x00aa00, 0x00aaaa, 0xaa0000, 0xaa00aa, 0xaa5500, 0xaaaaaa,
	0x555555, 0x5555ff, 0x55ff55, 0x55ffff, 0xff5555, 0xff55ff, 0xffff55, 0xffffff,
};

static struct vga_text *screen(int cols, int rows, int char_width)
{
	struct vga_text *t = calloc(1, sizeof(*t));
	ck_assert_ptr_nonnull(t);
	t->cols = cols;
	t->rows = rows;
	t->char_width = char_width;
	t->char_height = 16;
	t->color = true;
	t->blink = true;
	t->cursor_col = -1;
	t->cursor_row = -1;
	memcpy(t->palette, cga, sizeof(cga));
	for (int i = 0; i < cols * rows; i++)
		t->cells[i] = 0x0720;
	return t;
}

static void put(struct vga_text *t, int col, int row, int c, int attr)
{
	t->cells[row * t->cols + col] = (uint16_t)(c | attr << 8);
}

static uint32_t *draw(const struct vga_text *t, uint64_t frame, int *w, int *h)
{
	ui_render_size(t, w, h);
	uint32_t *pix = malloc((size_t)*w * *h * sizeof(uint32_t));
	ck_assert_ptr_nonnull(pix);
	ui_render_text(t, frame, pix, *w, *h);
	return pix;
}

static int glyph_dot(int c, int row, int dot)
{
	return (ui_font8x16[c * 16 + row] >> (7 - dot)) & 1;
}

START_TEST(test_sizes)
{
	struct vga_text *t = screen(80, 25, 9);
	int w, h;
	ui_render_size(t, &w, &h);
	ck_assert_int_eq(w, 720);
	ck_assert_int_eq(h, 400);
	t->char_width = 8;
	ui_render_size(t, &w, &h);
	ck_assert_int_eq(w, 640);
	t->cols = 40;
	t->char_width = 9;
	ui_render_size(t, &w, &h);
	ck_assert_int_eq(w, 720);
	t->rows = 50;
	t->char_height = 8;
	ui_render_size(t, &w, &h);
	ck_assert_int_eq(h, 400);
	t->cols = 100000;	/* nonsense geometry must not be trusted */
	ui_render_size(t, &w, &h);
	ck_assert_int_eq(w, 640);
	ck_assert_int_eq(h, 400);
	free(t);
}
END_TEST

START_TEST(test_glyph_pixels)
{
	struct vga_text *t = screen(80, 25, 9);
	put(t, 3, 2, 'A', 0x1e);	/* yellow on blue */
	int w, h;
	uint32_t *pix = draw(t, 0, &w, &h);
	int x0 = 3 * 9, y0 = 2 * 16, fg = 0, font_fg = 0;
	for (int y = 0; y < 16; y++) {
		for (int x = 0; x < 9; x++) {
			uint32_t p = pix[(y0 + y) * w + x0 + x];
			int want = x < 8 && glyph_dot('A', y, x);
			ck_assert_uint_eq(p, want ? 0xffff55 : 0x0000aa);
			fg += p == 0xffff55;
			font_fg += want;
		}
	}
	ck_assert_int_gt(fg, 10);	/* the font really has an A */
	ck_assert_int_eq(fg, font_fg);
	/* Neighbouring blank cells are grey-on-black background only. */
	ck_assert_uint_eq(pix[y0 * w + x0 - 1], 0);
	ck_assert_uint_eq(pix[(y0 + 8) * w + x0 + 9], 0);
	free(pix);
	free(t);
}
END_TEST

START_TEST(test_ninth_dot)
{
	struct vga_text *t = screen(80, 25, 9);
	put(t, 0, 0, 0xc4, 0x07);	/* box-drawing horizontal: joined */
	put(t, 1, 0, 0xdb, 0x07);	/* full block: joined */
	put(t, 2, 0, 0xb0, 0x07);	/* light shade: not a line character */
	int w, h;
	uint32_t *pix = draw(t, 0, &w, &h);
	int joined_rows = 0;
	for (int y = 0; y < 16; y++) {
		ck_assert_uint_eq(pix[y * w + 8], pix[y * w + 7]);
		ck_assert_uint_eq(pix[y * w + 9 + 8], pix[y * w + 9 + 7]);
		ck_assert_uint_eq(pix[y * w + 18 + 8], 0);
		joined_rows += pix[y * w + 8] == 0xaaaaaa;
	}
	ck_assert_int_gt(joined_rows, 0);
	free(pix);
	free(t);
}
END_TEST

START_TEST(test_bright_background_and_blink)
{
	struct vga_text *t = screen(80, 25, 9);
	put(t, 0, 0, 0xdb, 0xc1);	/* blue full block, attribute bit 7 set */
	put(t, 1, 0, ' ', 0xc1);
	int w, h;

	t->blink = false;		/* bit 7: bright background */
	uint32_t *pix = draw(t, 16, &w, &h);
	ck_assert_uint_eq(pix[5 * w + 2], 0x0000aa);	/* glyph dot: blue */
	ck_assert_uint_eq(pix[5 * w + 9 + 2], 0xff5555);	/* light red */
	free(pix);

	t->blink = true;		/* bit 7: blink, background is red */
	pix = draw(t, 0, &w, &h);
	ck_assert_uint_eq(pix[5 * w + 2], 0x0000aa);
	ck_assert_uint_eq(pix[5 * w + 9 + 2], 0xaa0000);
	free(pix);
	pix = draw(t, 16, &w, &h);	/* off phase: only background */
	ck_assert_uint_eq(pix[5 * w + 2], 0xaa0000);
	free(pix);
	free(t);
}
END_TEST

START_TEST(test_cursor)
{
	struct vga_text *t = screen(80, 25, 9);
	put(t, 5, 1, ' ', 0x1e);
	t->cursor_col = 5;
	t->cursor_row = 1;
	t->cursor_start = 14;
	t->cursor_end = 15;
	t->cursor_visible = true;
	int w, h, x = 5 * 9 + 4, y = 16;
	uint32_t *pix = draw(t, 0, &w, &h);
	ck_assert_uint_eq(pix[(y + 13) * w + x], 0x0000aa);
	ck_assert_uint_eq(pix[(y + 14) * w + x], 0xffff55);
	ck_assert_uint_eq(pix[(y + 15) * w + x], 0xffff55);
	ck_assert_uint_eq(pix[(y + 15) * w + 5 * 9 + 8], 0xffff55);	/* all 9 dots */
	free(pix);
	pix = draw(t, 8, &w, &h);	/* blink off phase */
	ck_assert_uint_eq(pix[(y + 14) * w + x], 0x0000aa);
	free(pix);
	t->cursor_visible = false;
	pix = draw(t, 0, &w, &h);
	ck_assert_uint_eq(pix[(y + 14) * w + x], 0x0000aa);
	free(pix);
	/* A block cursor with the end beyond the cell is clipped to it. */
	t->cursor_visible = true;
	t->cursor_start = 0;
	t->cursor_end = 31;
	pix = draw(t, 0, &w, &h);
	ck_assert_uint_eq(pix[y * w + x], 0xffff55);
	ck_assert_uint_eq(pix[(y + 16) * w + x], 0);	/* row below untouched */
	free(pix);
	free(t);
}
END_TEST

START_TEST(test_forty_columns)
{
	struct vga_text *t = screen(40, 25, 9);
	put(t, 1, 0, 'W', 0x0f);
	int w, h;
	uint32_t *pix = draw(t, 0, &w, &h);
	ck_assert_int_eq(w, 720);
	int fg = 0;
	for (int y = 0; y < 16; y++) {
		for (int d = 0; d < 8; d++) {
			uint32_t a = pix[y * w + 18 + 2 * d], b = pix[y * w + 18 + 2 * d + 1];
			ck_assert_uint_eq(a, b);
			ck_assert_uint_eq(a, glyph_dot('W', y, d) ? 0xffffff : 0);
			fg += a != 0;
		}
	}
	ck_assert_int_gt(fg, 10);
	free(pix);
	free(t);
}
END_TEST

/* Cells other than 16 lines high show the 8x16 font's nearest rows: the
 * 14-line font is the 16-line one less its top and bottom rows, the 8-line
 * one takes every other row. */
START_TEST(test_short_cells)
{
	static const int heights[] = { 14, 8 };
	for (int k = 0; k < 2; k++) {
		int ch = heights[k];
		struct vga_text *t = screen(80, 400 / ch, 8);
		t->char_height = ch;
		put(t, 0, 1, 'A', 0x0f);
		int w, h;
		uint32_t *pix = draw(t, 0, &w, &h);
		ck_assert_int_eq(h, t->rows * ch);
		for (int y = 0; y < ch; y++) {
			int r = ch == 14 ? y + 1 : y * 2;
			for (int d = 0; d < 8; d++)
				ck_assert_uint_eq(pix[(ch + y) * w + d],
						  glyph_dot('A', r, d) ? 0xffffff : 0);
		}
		free(pix);
		free(t);
	}
}
END_TEST

START_TEST(test_graphics_and_blank)
{
	struct vga_text *t = screen(80, 25, 9);
	put(t, 0, 0, 0xdb, 0x0f);
	t->blank = true;
	int w, h, lit = 0;
	uint32_t *pix = draw(t, 0, &w, &h);
	for (int i = 0; i < w * h; i++)
		lit += pix[i] != 0;
	ck_assert_int_eq(lit, 0);
	free(pix);
	t->blank = false;
	t->graphics = true;
	pix = draw(t, 0, &w, &h);
	ck_assert_int_eq(w, 640);
	for (int i = 0; i < w * h; i++)
		lit += pix[i] != 0;
	ck_assert_int_gt(lit, 100);	/* the notice */
	ck_assert_uint_eq(pix[0], 0);
	free(pix);
	free(t);
}
END_TEST

START_TEST(test_png_round_trip)
{
	struct vga_text *t = screen(80, 25, 9);
	const char *msg = "tandem PNG round trip";
	for (int i = 0; msg[i]; i++)
		put(t, 10 + i, 12, msg[i], 0x1f + i % 5);
	int w, h, rw, rh;
	uint32_t *pix = draw(t, 0, &w, &h), *back = NULL;
	char path[] = "/tmp/tandem-test-ui-XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_int_eq(ui_png_write(path, pix, w, h), 0);
	ck_assert_int_eq(ui_png_read(path, &back, &rw, &rh), 0);
	ck_assert_int_eq(rw, w);
	ck_assert_int_eq(rh, h);
	ck_assert_int_eq(memcmp(pix, back, (size_t)w * h * sizeof(uint32_t)), 0);
	free(back);
	/* Not a PNG: refused, not crashed on. */
	FILE *f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	fputs("this is not a png file at all", f);
	fclose(f);
	ck_assert_int_lt(ui_png_read(path, &back, &rw, &rh), 0);
	unlink(path);
	ck_assert_int_lt(ui_png_write("/nonexistent-dir/x.png", pix, w, h), 0);
	free(pix);
	free(t);
}
END_TEST

START_TEST(test_term_text)
{
	struct vga_text *t = screen(80, 25, 9);
	put(t, 0, 0, 'H', 0x07);
	put(t, 1, 0, 'i', 0x07);
	put(t, 0, 2, 0xc9, 0x07);	/* double box corner */
	put(t, 1, 2, 0xcd, 0x07);
	put(t, 3, 2, 0x01, 0x07);	/* smiley */
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	ck_assert_ptr_nonnull(f);
	ui_term_print_text(f, t);
	fclose(f);
	ck_assert_str_eq(buf, "Hi\n\n\xe2\x95\x94\xe2\x95\x90 \xe2\x98\xba\n");
	free(buf);
	ck_assert_int_eq(ui_term_ansi_colour(0x0000aa), 4);
	ck_assert_int_eq(ui_term_ansi_colour(0xffff55), 11);
	ck_assert_int_eq(ui_term_ansi_colour(0xa85400), 3);	/* near brown */
	char u[4];
	ck_assert_int_eq(ui_utf8_encode(0x2591, u), 3);
	ck_assert_int_eq(ui_utf8_encode('x', u), 1);
	ck_assert_int_eq(ui_utf8_encode(0xe9, u), 2);
	free(t);
}
END_TEST

static int seq(int usage, int down, const char *want_hex)
{
	uint8_t out[UI_KEYMAP_MAX];
	char got[64] = "";
	int n = ui_keymap_set1(usage, down, out);
	for (int i = 0; i < n; i++)
		snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%02X", i ? " " : "",
			 out[i]);
	ck_assert_msg(strcmp(got, want_hex) == 0, "usage %02x %s: got '%s' want '%s'", usage,
		      down ? "down" : "up", got, want_hex);
	return n;
}

START_TEST(test_keymap)
{
	seq(0x04, 1, "1E");		/* A */
	seq(0x04, 0, "9E");
	seq(0x1d, 1, "2C");		/* Z */
	seq(0x27, 1, "0B");		/* 0 */
	seq(0x28, 1, "1C");		/* Enter */
	seq(0x29, 0, "81");		/* Esc release */
	seq(0x45, 1, "58");		/* F12 */
	seq(0x4f, 1, "E0 4D");		/* Right */
	seq(0x4f, 0, "E0 CD");
	seq(0x52, 1, "E0 48");		/* Up */
	seq(0x49, 1, "E0 52");		/* Insert */
	seq(0x4c, 0, "E0 D3");		/* Delete release */
	seq(0x58, 1, "E0 1C");		/* keypad Enter */
	seq(0x54, 1, "E0 35");		/* keypad / */
	seq(0x59, 1, "4F");		/* keypad 1 */
	seq(0x62, 1, "52");		/* keypad 0 */
	seq(0x64, 1, "56");		/* 102nd key */
	seq(0xe4, 1, "E0 1D");		/* right Ctrl */
	seq(0xe6, 0, "E0 B8");		/* right Alt release */
	seq(0xe3, 1, "E0 5B");		/* left Windows */
	seq(0x46, 1, "E0 2A E0 37");	/* Print Screen */
	seq(0x46, 0, "E0 B7 E0 AA");
	seq(0x48, 1, "E1 1D 45 E1 9D C5");	/* Pause */
	seq(0x48, 0, "");
	seq(0x00, 1, "");
	seq(0x68, 1, "");		/* F13: not on a PC keyboard */
	seq(-5, 1, "");
	seq(100000, 1, "");

	/* Every key of the 101/102-key board has a distinct make code (the
	 * non-US # key shares the backslash key's position). */
	int seen[2][128] = { { 0 } }, keys = 0;
	for (int usage = 0x04; usage <= 0xe7; usage++) {
		uint8_t out[UI_KEYMAP_MAX];
		int n = ui_keymap_set1(usage, 1, out);
		if (n == 0 || usage == 0x46 || usage == 0x48 || usage == 0x32)
			continue;
		ck_assert_int_le(n, 2);
		int e0 = n == 2;
		uint8_t code = out[n - 1];
		ck_assert_int_lt(code, 0x80);
		ck_assert_msg(!seen[e0][code], "usage %02x repeats code %02x", usage, code);
		seen[e0][code] = 1;
		keys++;
		uint8_t brk[UI_KEYMAP_MAX];
		ck_assert_int_eq(ui_keymap_set1(usage, 0, brk), n);
		ck_assert_int_eq(brk[n - 1], code | 0x80);
	}
	ck_assert_int_ge(keys, 101 - 2);
}
END_TEST

START_TEST(test_keymap_chars)
{
	uint8_t out[UI_KEYMAP_MAX];
	ck_assert_int_eq(ui_keymap_char('a', out), 2);
	ck_assert_uint_eq(out[0], 0x1e);
	ck_assert_uint_eq(out[1], 0x9e);
	ck_assert_int_eq(ui_keymap_char('A', out), 4);
	ck_assert_uint_eq(out[0], 0x2a);
	ck_assert_uint_eq(out[1], 0x1e);
	ck_assert_uint_eq(out[2], 0x9e);
	ck_assert_uint_eq(out[3], 0xaa);
	ck_assert_int_eq(ui_keymap_char('\n', out), 2);
	ck_assert_uint_eq(out[0], 0x1c);
	ck_assert_int_eq(ui_keymap_char(':', out), 4);
	ck_assert_uint_eq(out[1], 0x27);
	ck_assert_int_eq(ui_keymap_char(' ', out), 2);
	ck_assert_uint_eq(out[0], 0x39);
	ck_assert_int_eq(ui_keymap_char('~', out), 4);
	ck_assert_uint_eq(out[1], 0x29);
	ck_assert_int_eq(ui_keymap_char(0x7f, out), 0);
	ck_assert_int_eq(ui_keymap_char(0xe9, out), 0);
	/* Every printable ASCII character can be typed. */
	for (int c = 0x20; c < 0x7f; c++)
		ck_assert_msg(ui_keymap_char(c, out) > 0, "cannot type %c", c);
}
END_TEST

/* A real VGA in its power-on text mode, with "OK" written to B8000h. */
struct vga_rig {
	uint64_t cycles;
	struct clock *clk;
	struct ioport_bus *io;
	struct machine m;
};

static void rig_init(struct vga_rig *r)
{
	memset(r, 0, sizeof(*r));
	r->clk = clock_new(&r->cycles, 4772727, NULL, NULL);
	r->io = ioport_bus_new();
	ck_assert_ptr_nonnull(r->clk);
	ck_assert_ptr_nonnull(r->io);
	r->m.clock = r->clk;
	r->m.io = r->io;
	r->m.vga = vga_new(r->io, NULL, r->clk, false);
	ck_assert_ptr_nonnull(r->m.vga);
	static const uint8_t ok[4] = { 'O', 0x1e, 'K', 0x1e };
	for (int i = 0; i < 4; i++)
		vga_mem_write(r->m.vga, 0x18000 + i, ok[i]);
}

static void rig_free(struct vga_rig *r)
{
	if (vga_desc.free)
		vga_desc.free(r->m.vga);
	ioport_bus_free(r->io);
	clock_free(r->clk);
}

START_TEST(test_screenshot_of_vga)
{
	struct vga_rig r;
	rig_init(&r);
	struct vga_text *t = calloc(1, sizeof(*t));
	ck_assert_ptr_nonnull(t);
	vga_text_snapshot(r.m.vga, t);
	ck_assert_int_eq(t->cells[0], 0x1e00 | 'O');
	int w, h, rw, rh;
	uint32_t *pix = draw(t, ui_frame_now(&r.m), &w, &h), *back = NULL;
	char path[] = "/tmp/tandem-test-ui-XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_int_eq(ui_screenshot_png(&r.m, path), 0);
	ck_assert_int_eq(ui_png_read(path, &back, &rw, &rh), 0);
	unlink(path);
	ck_assert_int_eq(rw, w);
	ck_assert_int_eq(rh, h);
	ck_assert_int_eq(memcmp(pix, back, (size_t)w * h * sizeof(uint32_t)), 0);
	/* The O is there: yellow dots in the first cell. */
	int lit = 0;
	for (int y = 0; y < t->char_height; y++)
		for (int x = 0; x < 8; x++)
			lit += back[y * w + x] == t->palette[14];
	ck_assert_int_gt(lit, 10);
	free(back);
	free(pix);
	free(t);
	rig_free(&r);
}
END_TEST

/* Without a display the frontend falls back to headless and says why; at
 * exit it prints the screen as text. */
START_TEST(test_headless_fallback_and_final_text)
{
	struct vga_rig r;
	rig_init(&r);
	unsetenv("DISPLAY");
	unsetenv("WAYLAND_DISPLAY");
	unsetenv("SDL_VIDEODRIVER");
	struct ui_config cfg = { .headless = false };
	const char *why = NULL;
	char path[] = "/tmp/tandem-test-ui-XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	fflush(stdout);
	int saved = dup(STDOUT_FILENO);
	dup2(fd, STDOUT_FILENO);	/* not a terminal: no live drawing */
	struct ui *u = ui_new(&r.m, &cfg, &why);
	ck_assert_ptr_nonnull(u);
	ck_assert_ptr_nonnull(why);
	ck_assert(!ui_has_window(u));
	ck_assert_int_eq(ui_poll(u), 0);
	ui_refresh(u);
	ui_final(u);
	ui_free(u);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	char buf[256] = "";
	ck_assert_int_gt(pread(fd, buf, sizeof(buf) - 1, 0), 0);
	ck_assert_str_eq(buf, "OK\n");

	/* Asked not to: prints nothing. */
	cfg.headless = true;
	cfg.no_final_text = true;
	ck_assert_int_eq(ftruncate(fd, 0), 0);
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	dup2(fd, STDOUT_FILENO);
	u = ui_new(&r.m, &cfg, &why);
	ck_assert_ptr_nonnull(u);
	ck_assert_ptr_null(why);
	ui_final(u);
	ui_free(u);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	ck_assert_int_eq(lseek(fd, 0, SEEK_END), 0);
	close(fd);
	unlink(path);
	rig_free(&r);
}
END_TEST


START_TEST(test_keys_parse)
{
	struct ui_key_step st[32];
	char err[128];
	int n = ui_keys_parse("aB{enter}{wait:100}{ctrl+alt+del}{{", st, 32, err, sizeof(err));
	ck_assert_int_eq(n, 11);
	/* a: press, release */
	ck_assert_int_eq(st[0].n, 1);
	ck_assert_uint_eq(st[0].codes[0], 0x1e);
	ck_assert_uint_eq(st[0].wait_ms, KEYS_HOLD_MS);
	ck_assert_int_eq(st[1].n, 1);
	ck_assert_uint_eq(st[1].codes[0], 0x9e);
	ck_assert_uint_eq(st[1].wait_ms, KEYS_GAP_MS);
	/* B: inside Shift */
	ck_assert_int_eq(st[2].n, 2);
	ck_assert_uint_eq(st[2].codes[0], 0x2a);
	ck_assert_uint_eq(st[2].codes[1], 0x30);
	ck_assert_int_eq(st[3].n, 2);
	ck_assert_uint_eq(st[3].codes[0], 0xb0);
	ck_assert_uint_eq(st[3].codes[1], 0xaa);
	ck_assert_uint_eq(st[4].codes[0], 0x1c);	/* Enter */
	ck_assert_uint_eq(st[5].codes[0], 0x9c);
	ck_assert_int_eq(st[6].n, 0);			/* wait */
	ck_assert_uint_eq(st[6].wait_ms, 100);
	static const uint8_t cad[] = { 0x1d, 0x38, 0xe0, 0x53 };
	static const uint8_t cad_up[] = { 0xe0, 0xd3, 0xb8, 0x9d };
	ck_assert_int_eq(st[7].n, 4);
	ck_assert_int_eq(memcmp(st[7].codes, cad, 4), 0);
	ck_assert_int_eq(memcmp(st[8].codes, cad_up, 4), 0);
	ck_assert_uint_eq(st[9].codes[0], 0x2a);	/* { is Shift+[ */
	ck_assert_uint_eq(st[9].codes[1], 0x1a);
	/* Counting without storing gives the same number. */
	ck_assert_int_eq(ui_keys_parse("{F12}{alt+x}", NULL, 0, err, sizeof(err)), 4);
	/* The speed hot keys are steps for the emulator, not keys for the
	 * guest; with other modifiers they are ordinary keys. */
	n = ui_keys_parse("{ctrl+f11}{rctrl+f12}{alt+f12}{ctrl+alt+f12}{shift+ctrl+f12}", st, 32,
			  err, sizeof(err));
	ck_assert_int_eq(n, 10);
	ck_assert_int_eq(st[0].hotkey, UI_HOTKEY_SLOWER);
	ck_assert_int_eq(st[0].n, 0);
	ck_assert_int_eq(st[1].hotkey, 0);
	ck_assert_int_eq(st[2].hotkey, UI_HOTKEY_FASTER);
	ck_assert_int_eq(st[4].hotkey, UI_HOTKEY_TURBO_ON);	/* held ... */
	ck_assert_uint_eq(st[4].wait_ms, KEYS_HOLD_MS);
	ck_assert_int_eq(st[5].hotkey, UI_HOTKEY_TURBO_OFF);	/* ... released */
	for (int i = 6; i < 10; i++) {
		ck_assert_int_eq(st[i].hotkey, 0);
		ck_assert_int_gt(st[i].n, 0);
	}
	ck_assert_int_eq(ui_keys_parse("{nokey}", st, 32, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "nokey"));
	ck_assert_int_eq(ui_keys_parse("{wait:x}", st, 32, err, sizeof(err)), -1);
	ck_assert_int_eq(ui_keys_parse("{wait:-5}", st, 32, err, sizeof(err)), -1);
	ck_assert_int_eq(ui_keys_parse("abc{enter", st, 32, err, sizeof(err)), -1);
	ck_assert_int_eq(ui_keys_parse("\x80", st, 32, err, sizeof(err)), -1);
	ck_assert_int_eq(ui_keys_parse("abcdef", st, 4, err, sizeof(err)), -1);
	/* Mouse steps. */
	ck_assert_int_eq(ui_keys_parse("{mouse:5,-3}{mouse:-2,4,1,-1}", st, 32, err,
				       sizeof(err)), 2);
	ck_assert(st[0].mouse);
	ck_assert_int_eq(st[0].dx, 5);
	ck_assert_int_eq(st[0].dy, -3);
	ck_assert_int_eq(st[0].buttons, 0);
	ck_assert_int_eq(st[1].dx, -2);
	ck_assert_int_eq(st[1].dy, 4);
	ck_assert_int_eq(st[1].buttons, 1);
	ck_assert_int_eq(st[1].dz, -1);
	ck_assert_int_eq(ui_keys_parse("{mouse:5}", st, 32, err, sizeof(err)), -1);
	ck_assert_int_eq(ui_keys_parse("{mouse:1,2,3,4,5}", st, 32, err, sizeof(err)), -1);
	ck_assert_int_eq(ui_keys_parse("{mouse:1,2,9}", st, 32, err, sizeof(err)), -1);
	ck_assert_int_eq(ui_keys_parse("{mouse:1,x}", st, 32, err, sizeof(err)), -1);
	/* Random scripts: counting and filling agree, nothing overruns. */
	static const char alpha[] = "ab{}:+,-0123456789wait:mouse:ctrl+alt+f12enter{{";
	uint32_t x = 99;
	for (int i = 0; i < 20000; i++) {
		char script[40];
		int len = 0;
		x = x * 1103515245u + 12345u;
		int want = 1 + (int)(x >> 20) % 38;
		while (len < want) {
			x = x * 1103515245u + 12345u;
			script[len++] = alpha[(x >> 16) % (sizeof(alpha) - 1)];
		}
		script[len] = 0;
		int n = ui_keys_parse(script, NULL, 0, err, sizeof(err));
		if (n >= 0 && n <= 32)
			ck_assert_int_eq(ui_keys_parse(script, st, 32, err, sizeof(err)), n);
	}
}
END_TEST

/* The player types in virtual time: press, 20 ms, release, 20 ms... */
START_TEST(test_keys_typing_in_virtual_time)
{
	uint64_t cycles = 0;
	struct clock *clk = clock_new(&cycles, 1000000000, NULL, NULL);
	struct ioport_bus *io = ioport_bus_new();
	struct kbd *k = kbd_new(io, clk, NULL, false, NULL);
	ck_assert_ptr_nonnull(k);
	char err[128];
	ck_assert_ptr_null(ui_keys_new(clk, k, "{bad}", err, sizeof(err)));
	struct ui_keys *ks = ui_keys_new(clk, k, "{wait:100}ab", err, sizeof(err));
	ck_assert_ptr_nonnull(ks);
	uint8_t got[8];
	uint64_t at[8];
	int n = 0;
	/* 1 ms steps for 300 ms of virtual time, reading like a BIOS. */
	for (int ms = 0; ms < 300 && n < 8; ms++) {
		cycles = (uint64_t)ms * 1000000;
		for (;;) {
			uint64_t d = clock_next_deadline(clk);
			if (d > clock_now(clk))
				break;
			clock_run_timers(clk);
		}
		if (ioport_read(io, 0x64, 1) & 1) {
			got[n] = (uint8_t)ioport_read(io, 0x60, 1);
			at[n++] = (uint64_t)ms;
		}
	}
	ck_assert_int_eq(n, 4);
	ck_assert_uint_eq(got[0], 0x1e);
	ck_assert_uint_eq(got[1], 0x9e);
	ck_assert_uint_eq(got[2], 0x30);
	ck_assert_uint_eq(got[3], 0xb0);
	ck_assert_uint_eq(at[0], 100);
	ck_assert_uint_eq(at[1], 120);
	ck_assert_uint_eq(at[2], 140);
	ck_assert_uint_eq(at[3], 160);
	ck_assert(ui_keys_done(ks));
	ui_keys_free(ks);
	kbd_desc.free(k);
	ioport_bus_free(io);
	clock_free(clk);
}
END_TEST

/* A font loaded into plane 2 is what text modes draw. */
START_TEST(test_font_from_plane2)
{
	struct vga_rig r;
	rig_init(&r);
	struct vga *v = r.m.vga;
	struct vga_text *t = calloc(1, sizeof(*t));
	uint32_t *pix = malloc(UI_SCREEN_MAX_PIXELS * sizeof(uint32_t));
	ck_assert_ptr_nonnull(t);
	ck_assert_ptr_nonnull(pix);
	vga_text_snapshot(v, t);
	ck_assert(!t->font_loaded);
	/* Plane 2 writable linearly, as a BIOS does to load fonts. */
	ioport_write(r.io, 0x3c4, 0x0402, 2);
	ioport_write(r.io, 0x3c4, 0x0704, 2);
	ioport_write(r.io, 0x3ce, 0x0005, 2);
	ioport_write(r.io, 0x3ce, 0x0406, 2);
	for (int y = 0; y < 16; y++)	/* 'O' becomes a solid block */
		vga_mem_write(v, 'O' * 32 + (uint32_t)y, 0xff);
	ioport_write(r.io, 0x3c4, 0x0302, 2);
	ioport_write(r.io, 0x3c4, 0x0304, 2);
	ioport_write(r.io, 0x3ce, 0x1005, 2);
	ioport_write(r.io, 0x3ce, 0x0e06, 2);
	vga_text_snapshot(v, t);
	ck_assert(t->font_loaded);
	ck_assert_uint_eq(t->font[0]['O' * 32 + 3], 0xff);
	int w, h;
	ui_render_screen(v, t, 16, pix, &w, &h);	/* frame 16: no cursor */
	ck_assert_int_eq(w, 720);
	ck_assert_int_eq(h, 400);
	for (int y = 0; y < 16; y++)
		for (int x = 0; x < 8; x++)
			ck_assert_uint_eq(pix[y * w + x], t->palette[14]);
	/* 'K' has no glyph in the loaded font: blank. */
	for (int y = 0; y < 16; y++)
		for (int x = 9; x < 18; x++)
			ck_assert_uint_eq(pix[y * w + x], t->palette[1]);
	free(pix);
	free(t);
	rig_free(&r);
}
END_TEST

Suite *ui_suite(void)
{
	Suite *s = suite_create("ui");
	TCase *tc = tcase_create("render");
	tcase_add_test(tc, test_sizes);
	tcase_add_test(tc, test_glyph_pixels);
	tcase_add_test(tc, test_ninth_dot);
	tcase_add_test(tc, test_bright_background_and_blink);
	tcase_add_test(tc, test_cursor);
	tcase_add_test(tc, test_forty_columns);
	tcase_add_test(tc, test_short_cells);
	tcase_add_test(tc, test_graphics_and_blank);
	suite_add_tcase(s, tc);
	tc = tcase_create("output");
	tcase_add_test(tc, test_png_round_trip);
	tcase_add_test(tc, test_term_text);
	tcase_add_test(tc, test_screenshot_of_vga);
	tcase_add_test(tc, test_headless_fallback_and_final_text);
	suite_add_tcase(s, tc);
	tc = tcase_create("keymap");
	tcase_add_test(tc, test_keymap);
	tcase_add_test(tc, test_keymap_chars);
	tcase_add_test(tc, test_keys_parse);
	tcase_add_test(tc, test_keys_typing_in_virtual_time);
	suite_add_tcase(s, tc);
	tc = tcase_create("vga");
	tcase_add_test(tc, test_font_from_plane2);
	suite_add_tcase(s, tc);
	return s;
}
