/* Terminal output of the text screen.  Colours go through the palette the
 * guest programmed, matched to the nearest of the 16 CGA colours and then
 * named by their ANSI numbers (the orders differ: CGA is blue-green-red,
 * ANSI red-green-blue). */
#include <string.h>

#include "ui/cp437.h"
#include "ui/term.h"

static const uint32_t cga_rgb[16] = {
	0x000000, 0x0000aa, 0x00aa00, 0x00aaaa, 0xaa0000, 0xaa00aa, 0xaa5500, 0xaaaaaa,
	0x555555, 0x5555ff, 0x55ff55, 0x55ffff, 0xff5555, 0xff55ff, 0xffff55, 0xffffff,
};

/* CGA colour index to ANSI colour index (bits: 1 red, 2 green, 4 blue). */
static const uint8_t cga_to_ansi[8] = { 0, 4, 2, 6, 1, 5, 3, 7 };

int ui_term_ansi_colour(uint32_t rgb)
{
	int best = 0;
	long best_d = -1;
	for (int i = 0; i < 16; i++) {
		long dr = (long)((rgb >> 16) & 0xff) - ((cga_rgb[i] >> 16) & 0xff);
		long dg = (long)((rgb >> 8) & 0xff) - ((cga_rgb[i] >> 8) & 0xff);
		long db = (long)(rgb & 0xff) - (cga_rgb[i] & 0xff);
		long d = dr * dr + dg * dg + db * db;
		if (best_d < 0 || d < best_d) {
			best_d = d;
			best = i;
		}
	}
	return cga_to_ansi[best & 7] | (best & 8);
}

static int text_ok(const struct vga_text *t)
{
	return !t->graphics && t->cols > 0 && t->cols <= VGA_TEXT_MAX_COLS &&
	       t->rows > 0 && t->rows <= VGA_TEXT_MAX_ROWS;
}

static int is_blank(uint16_t cell)
{
	int c = cell & 0xff;
	return c == 0 || c == 0x20 || c == 0xff;
}

/* Appends the UTF-8 form of CP437 character c to f. */
static void put_char(FILE *f, int c)
{
	char buf[4];
	uint32_t cp = ui_cp437_unicode[c & 0xff];
	if (cp == 0 || cp == 0xa0)
		cp = ' ';
	fwrite(buf, 1, (size_t)ui_utf8_encode(cp, buf), f);
}

void ui_term_print_text(FILE *f, const struct vga_text *t)
{
	if (!text_ok(t)) {
		fprintf(f, "[the display is in a graphics mode]\n");
		return;
	}
	int last_row = -1;
	for (int r = 0; r < t->rows; r++)
		for (int c = 0; c < t->cols; c++)
			if (!is_blank(t->cells[r * t->cols + c]))
				last_row = r;
	for (int r = 0; r <= last_row; r++) {
		const uint16_t *row = &t->cells[r * t->cols];
		int end = t->cols;
		while (end > 0 && is_blank(row[end - 1]))
			end--;
		for (int c = 0; c < end; c++)
			put_char(f, row[c]);
		fputc('\n', f);
	}
	fflush(f);
}

static void set_colours(FILE *f, int fg, int bg)
{
	fprintf(f, "\x1b[%d;%dm", (fg & 8 ? 90 : 30) + (fg & 7), (bg & 8 ? 100 : 40) + (bg & 7));
}

void ui_term_draw_ansi(FILE *f, const struct vga_text *t, int term_cols, int term_rows,
		       int first)
{
	fputs(first ? "\x1b[?25l\x1b[0m\x1b[H\x1b[2J" : "\x1b[?25l\x1b[H", f);
	if (!text_ok(t)) {
		fputs("\x1b[0m\x1b[2J[the display is in a graphics mode]\x1b[K", f);
		fflush(f);
		return;
	}
	int cols = t->cols, rows = t->rows;
	if (term_cols > 0 && cols > term_cols)
		cols = term_cols;
	if (term_rows > 0 && rows > term_rows)
		rows = term_rows;
	int ansi[16];
	for (int i = 0; i < 16; i++)
		ansi[i] = ui_term_ansi_colour(t->palette[i]);
	for (int r = 0; r < rows; r++) {
		int cur_fg = -1, cur_bg = -1;
		if (r)
			fputs("\r\n", f);
		for (int c = 0; c < cols; c++) {
			uint16_t cell = t->cells[r * t->cols + c];
			int attr = cell >> 8;
			int fg = ansi[attr & 15];
			int bg = ansi[(attr >> 4) & (t->blink ? 7 : 15)];
			if (t->blank)
				fg = bg = 0;
			if (fg != cur_fg || bg != cur_bg) {
				set_colours(f, fg, bg);
				cur_fg = fg;
				cur_bg = bg;
			}
			put_char(f, t->blank ? ' ' : cell);
		}
		/* Rows narrower than the terminal: clear the rest in black. */
		if (term_cols <= 0 || cols < term_cols)
			fputs("\x1b[0m\x1b[K", f);
	}
	fputs("\x1b[0m", f);
	if (t->cursor_visible && !t->blank && t->cursor_row >= 0 && t->cursor_row < rows &&
	    t->cursor_col >= 0 && t->cursor_col < cols)
		fprintf(f, "\x1b[%d;%dH\x1b[?25h", t->cursor_row + 1, t->cursor_col + 1);
	fflush(f);
}

void ui_term_end_ansi(FILE *f, const struct vga_text *t, int term_rows)
{
	int rows = text_ok(t) ? t->rows : 1;
	if (term_rows > 0 && rows > term_rows)
		rows = term_rows;
	fprintf(f, "\x1b[0m\x1b[%d;1H\r\n\x1b[?25h", rows);
	fflush(f);
}
