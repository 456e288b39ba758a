/* Text-mode rendering.  What a real VGA does and we copy:
 *  - 9-dot cells repeat the 8th dot into the 9th for the line-drawing
 *    characters C0h-DFh (line graphics enable, set in every BIOS text
 *    mode; ninth_dot_blank when the guest clears it), so horizontal lines
 *    join; other characters get a blank 9th dot;
 *  - 40-column modes halve the dot clock: every dot is two pixels wide;
 *  - attribute bit 7 blinks the character (foreground shown half the time)
 *    or, with blinking disabled, is the background's intensity bit;
 *  - the cursor covers scan lines start..end of its cell in the cell's
 *    foreground colour and blinks at half the character blink period;
 *  - monochrome modes underline foreground 1 (attribute x001 x000 bits) on
 *    the scan line mode 7 programs (CR14 = char height - 3).
 * The font is 8x16; other character heights take the nearest rows. */
#include <string.h>

#include "ui/render.h"

/* Whether the cell-shaping parameters of t are usable for pixels. */
static int geometry_ok(const struct vga_text *t)
{
	return t->cols > 0 && t->cols <= VGA_TEXT_MAX_COLS &&
	       t->rows > 0 && t->rows <= VGA_TEXT_MAX_ROWS &&
	       t->char_height > 0 && t->char_height <= 32;
}

static int dot_width(const struct vga_text *t)
{
	return t->char_width == 9 ? 9 : 8;
}

static int x_scale(const struct vga_text *t)
{
	return t->cols <= 40 ? 2 : 1;
}

void ui_render_size(const struct vga_text *t, int *w, int *h)
{
	if (t->graphics || !geometry_ok(t)) {
		*w = 640;
		*h = 400;
		return;
	}
	*w = t->cols * dot_width(t) * x_scale(t);
	*h = t->rows * t->char_height;
}

/* Font row shown on scan line y of a cell ch lines high, or -1 (blank). */
static int font_row(int y, int ch)
{
	if (ch == 16)
		return y;
	if (ch > 16)
		return y < 16 ? y : -1;
	if (ch == 14)
		return y + 1;	/* the 8x14 ROM font is the 8x16 one less its edges */
	return y * 16 / ch;
}

void ui_render_string(uint32_t *pix, int w, int h, int x, int y, const char *s, uint32_t rgb)
{
	for (; *s; s++, x += 8) {
		const uint8_t *g = &ui_font8x16[(uint8_t)*s * 16];
		for (int r = 0; r < 16; r++) {
			if (y + r < 0 || y + r >= h)
				continue;
			for (int d = 0; d < 8; d++)
				if ((g[r] & (0x80 >> d)) && x + d >= 0 && x + d < w)
					pix[(size_t)(y + r) * w + x + d] = rgb;
		}
	}
}

static void fill(uint32_t *pix, int w, int h, uint32_t rgb)
{
	for (size_t i = 0; i < (size_t)w * h; i++)
		pix[i] = rgb;
}

static void draw_graphics_notice(uint32_t *pix, int w, int h)
{
	static const char l1[] = "The display is in a graphics mode.";
	static const char l2[] = "tandem's text renderer does not show it.";
	fill(pix, w, h, 0);
	ui_render_string(pix, w, h, (w - 8 * (int)(sizeof(l1) - 1)) / 2, h / 2 - 20, l1, 0xaaaaaa);
	ui_render_string(pix, w, h, (w - 8 * (int)(sizeof(l2) - 1)) / 2, h / 2 + 4, l2, 0xaaaaaa);
}

/* The 9- or 8-dot pattern of one scan line of character c: bit 8 is the
 * leftmost dot. */
static unsigned cell_dots(const struct vga_text *t, int c, int attr, int y, int ch, int dw)
{
	unsigned bits;
	if (t->font_loaded) {
		/* The guest's font in plane 2: 32 bytes a glyph. */
		int f = t->two_fonts && (attr & 8);
		bits = y < 32 ? t->font[f][c * 32 + y] : 0;
	} else {
		int r = font_row(y, ch);
		bits = r < 0 ? 0 : ui_font8x16[c * 16 + r];
	}
	if (dw == 8)
		return bits << 1;
	bits <<= 1;
	if (c >= 0xc0 && c <= 0xdf && !t->ninth_dot_blank)
		bits |= (bits >> 1) & 1;
	return bits;
}

static void draw_cell(const struct vga_text *t, uint32_t *pix, int w, int h,
		      int col, int row, uint64_t frame)
{
	int dw = dot_width(t), xs = x_scale(t), ch = t->char_height;
	uint16_t cell = t->cells[row * t->cols + col];
	int c = cell & 0xff, attr = cell >> 8;
	uint32_t fg = t->palette[attr & 15];
	uint32_t bg = t->palette[(attr >> 4) & (t->blink ? 7 : 15)];
	int show_fg = !(t->blink && (attr & 0x80) && (frame >> 4) & 1);
	int underline = !t->color && (attr & 0x77) == 0x01 ? ch - 3 : -1;
	int cur_lo = -1, cur_hi = -2;

	if (t->cursor_visible && col == t->cursor_col && row == t->cursor_row &&
	    !((frame >> 3) & 1)) {
		cur_lo = t->cursor_start;
		cur_hi = t->cursor_end < ch - 1 ? t->cursor_end : ch - 1;
	}
	int x0 = col * dw * xs, y0 = row * ch;
	for (int y = 0; y < ch && y0 + y < h; y++) {
		unsigned dots;
		if (y >= cur_lo && y <= cur_hi)
			dots = 0x1ff;
		else if (!show_fg)
			dots = 0;
		else if (y == underline)
			dots = 0x1ff;
		else
			dots = cell_dots(t, c, attr, y, ch, dw);
		uint32_t *line = pix + (size_t)(y0 + y) * w;
		for (int d = 0; d < dw; d++) {
			uint32_t rgb = dots & (0x100 >> d) ? fg : bg;
			for (int k = 0; k < xs; k++) {
				int x = x0 + d * xs + k;
				if (x < w)
					line[x] = rgb;
			}
		}
	}
}

void ui_render_text(const struct vga_text *t, uint64_t frame, uint32_t *pix, int w, int h)
{
	if (w <= 0 || h <= 0)
		return;
	if (t->graphics || !geometry_ok(t)) {
		if (t->graphics)
			draw_graphics_notice(pix, w, h);
		else
			fill(pix, w, h, 0);
		return;
	}
	fill(pix, w, h, 0);
	if (t->blank)
		return;
	for (int row = 0; row < t->rows; row++)
		for (int col = 0; col < t->cols; col++)
			draw_cell(t, pix, w, h, col, row, frame);
}

void ui_render_screen(struct vga *v, struct vga_text *scratch, uint64_t frame, uint32_t *pix,
		      int *w, int *h)
{
	if (vga_render(v, pix, w, h))
		return;
	vga_text_snapshot(v, scratch);
	ui_render_size(scratch, w, h);
	ui_render_text(scratch, frame, pix, *w, *h);
}
