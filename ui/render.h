/* Text screen to pixels: draws a struct vga_text the way a VGA monitor
 * shows it, into a 32-bit 0x00RRGGBB framebuffer. */
#ifndef TANDEM_UI_RENDER_H
#define TANDEM_UI_RENDER_H

#include <stdint.h>

#include "hw/vga.h"

/* Largest picture ui_render_text draws: 160 columns of 9 dots, or 80
 * doubled, by 100 rows of up to 32 scan lines. */
#define UI_RENDER_MAX_W (VGA_TEXT_MAX_COLS * 9)
#define UI_RENDER_MAX_H (VGA_TEXT_MAX_ROWS * 32)

/* Refresh rate the blink phases count in (the VGA's 70 Hz text modes):
 * the cursor toggles every 8 frames, blinking characters every 16. */
#define UI_FRAME_HZ 70

/* Picture size for t: cols x (8 or 9 dots, doubled in 40-column modes)
 * by rows x char_height; 640x400 when the card is in a graphics mode or
 * the geometry is unusable. */
void ui_render_size(const struct vga_text *t, int *w, int *h);

/* Draws t into pix (w x h pixels, w*h words; w and h as ui_render_size
 * gave, anything else is clipped or padded black).  frame is the number of
 * UI_FRAME_HZ frames since power-on and selects the blink phases. */
void ui_render_text(const struct vga_text *t, uint64_t frame, uint32_t *pix, int w, int h);

/* Largest picture ui_render_screen draws. */
#define UI_SCREEN_MAX_PIXELS ((size_t)UI_RENDER_MAX_W * UI_RENDER_MAX_H > \
			      (size_t)VGA_RENDER_MAX_W * VGA_RENDER_MAX_H ? \
			      (size_t)UI_RENDER_MAX_W * UI_RENDER_MAX_H : \
			      (size_t)VGA_RENDER_MAX_W * VGA_RENDER_MAX_H)

/* The card's picture, text or graphics, into pix (UI_SCREEN_MAX_PIXELS
 * words); sets *w and *h.  scratch holds the text snapshot. */
void ui_render_screen(struct vga *v, struct vga_text *scratch, uint64_t frame, uint32_t *pix,
		      int *w, int *h);

/* Writes a line of text (CP437, 8x16 cells, no attributes) at x, y in
 * colour rgb, clipped to the framebuffer. */
void ui_render_string(uint32_t *pix, int w, int h, int x, int y, const char *s, uint32_t rgb);

/* The generated font (tools/psf2c): 256 glyphs of 16 rows, CP437 order. */
extern const uint8_t ui_font8x16[256 * 16];

#endif
