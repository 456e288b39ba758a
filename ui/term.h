/* The text screen as terminal text: plain UTF-8 lines, or drawn in place
 * with ANSI escapes. */
#ifndef TANDEM_UI_TERM_H
#define TANDEM_UI_TERM_H

#include <stdio.h>

#include "hw/vga.h"

/* Prints t as UTF-8 lines (CP437 through Unicode, trailing blanks and blank
 * rows at the bottom left out); a notice line for graphics modes. */
void ui_term_print_text(FILE *f, const struct vga_text *t);

/* Redraws t from the terminal's top-left corner with ANSI colours, clipped
 * to term_cols x term_rows (0: no limit), then puts the terminal's cursor
 * where the guest's is.  first clears the terminal before drawing. */
void ui_term_draw_ansi(FILE *f, const struct vga_text *t, int term_cols, int term_rows,
		       int first);

/* Leaves the terminal usable after live drawing: colours reset, cursor shown
 * and moved below the drawn rows. */
void ui_term_end_ansi(FILE *f, const struct vga_text *t, int term_rows);

/* Index 0-7 of the ANSI colour (black red green yellow blue magenta cyan
 * white), plus 8 when bright, nearest to 0xRRGGBB among the 16 CGA colours. */
int ui_term_ansi_colour(uint32_t rgb);

#endif
