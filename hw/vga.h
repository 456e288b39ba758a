/* VGA, text modes.
 *
 * The device owns 128 KiB of video memory.  The guest sees the mono window
 * B0000h-B7FFFh as vram[0, 32K) and the colour window B8000h-BFFFFh as
 * vram[32K, 64K), both mapped as host memory: each text cell is two bytes,
 * character then attribute, as at B8000h on a real card.  Registers
 * (ports 3B4h/3B5h/3BAh, 3C0h-3CFh, 3D4h/3D5h/3DAh) are modelled fully
 * enough for a BIOS or a game to program text modes; rendering is the
 * frontend's job: it takes a struct vga_text snapshot and draws it.
 */
#ifndef TANDEM_HW_VGA_H
#define TANDEM_HW_VGA_H

#include <stdbool.h>
#include <stdint.h>

#include "hw/device.h"

struct ioport_bus;
struct mem;
struct clock;
struct vga;

#define VGA_VRAM_SIZE (128 * 1024)
#define VGA_TEXT_MAX_COLS 160
#define VGA_TEXT_MAX_ROWS 100

/* What a text screen looks like right now (see vga_text_snapshot). */
struct vga_text {
	int cols, rows;		/* clamped to VGA_TEXT_MAX_* */
	int char_height;	/* scan lines per character row (CR09 + 1) */
	int char_width;		/* 8 or 9 dots (sequencer clocking mode) */
	bool color;		/* misc output bit 0: colour (3Dx, B8000) or mono */
	/* The display is in a graphics mode (attribute mode control bit 0):
	 * the cells are meaningless; the frontend should show a notice. */
	bool graphics;
	/* Screen off (sequencer clocking mode bit 5 or attribute controller
	 * palette access): draw black. */
	bool blank;
	/* Row-major, cols cells per row: character | attribute << 8. */
	uint16_t cells[VGA_TEXT_MAX_COLS * VGA_TEXT_MAX_ROWS];
	/* Cursor cell (may lie outside the screen: then not drawn). */
	int cursor_col, cursor_row;
	/* Cursor scan lines, inclusive, within a char_height cell (CR0A/CR0B);
	 * start > end means no cursor on real hardware. */
	int cursor_start, cursor_end;
	bool cursor_visible;	/* CR0A bit 5 clear and start <= end */
	/* Attribute bit 7 blinks the character (true) or selects a bright
	 * background (false): attribute mode control bit 3. */
	bool blink;
	/* The 16 attribute colours resolved through the attribute palette and
	 * the DAC, as 0xRRGGBB with 8 bits per channel. */
	uint32_t palette[16];
};

/* Creates the card, claims ports 3B0h-3DFh on io and maps its memory in mem
 * (mem may be NULL in tests).  mono selects the power-on state: mode 7
 * (80x25 monochrome) instead of mode 3 (80x25 colour).  clk times the
 * retrace bits of the input status register.  NULL on failure. */
struct vga *vga_new(struct ioport_bus *io, struct mem *mem, struct clock *clk, bool mono);

/* Fills *out from the current registers and memory. */
void vga_text_snapshot(struct vga *v, struct vga_text *out);

/* Changes (increases) whenever something visible may have changed: register
 * writes that affect the picture and, detected by a checksum of the visible
 * cells taken on this call, writes to video memory. */
uint64_t vga_generation(struct vga *v);

/* The video memory (VGA_VRAM_SIZE bytes), for tests and screenshots. */
uint8_t *vga_vram(struct vga *v);

extern const struct device_desc vga_desc;

#endif
