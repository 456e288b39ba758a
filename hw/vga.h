/* VGA with Bochs VBE extensions.
 *
 * The card owns 16 MiB of video memory.  The first 256 KiB are the VGA's
 * four 64 KiB planes, stored interleaved: byte o of plane p is vram[o*4+p],
 * so that chain-4 (mode 13h) addresses are plain offsets.  VBE modes use the
 * memory as one linear packed-pixel framebuffer from offset 0.
 *
 * The guest sees A0000h-BFFFFh as MMIO decoded the way the graphics
 * controller's memory map, odd/even, chain-4, write modes 0-3 and read modes
 * 0-1 say (or the VBE bank window while VBE is on), and the whole memory
 * as a linear framebuffer at VGA_LFB_BASE.  Registers: 3B4h/3B5h/3BAh,
 * 3C0h-3CFh, 3D4h/3D5h/3DAh, and VBE index/data 1CEh/1CFh.
 *
 * The frontend takes a struct vga_text snapshot in text modes and a
 * rendered picture (vga_render) in graphics modes.
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

#define VGA_VRAM_SIZE (16u * 1024 * 1024)
#define VGA_PLANES_SIZE (256u * 1024)	/* the VGA's own part of vram */
#define VGA_LFB_BASE 0xe0000000u	/* until a PCI BAR places it */
#define VGA_TEXT_MAX_COLS 160
#define VGA_TEXT_MAX_ROWS 100
/* Largest picture vga_render produces. */
#define VGA_RENDER_MAX_W 2560
#define VGA_RENDER_MAX_H 1600

/* What a text screen looks like right now (see vga_text_snapshot). */
struct vga_text {
	int cols, rows;		/* clamped to VGA_TEXT_MAX_* */
	int char_height;	/* scan lines per character row (CR09 + 1) */
	int char_width;		/* 8 or 9 dots (sequencer clocking mode) */
	bool color;		/* misc output bit 0: colour (3Dx, B8000) or mono */
	/* The display is in a graphics mode (attribute mode control bit 0):
	 * the cells are meaningless; use vga_render for the picture. */
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
	/* Attribute mode control bit 2 clear: the 9th dot of the line-drawing
	 * characters C0h-DFh is background instead of repeating the 8th. */
	bool ninth_dot_blank;
	/* The 16 attribute colours resolved through the attribute palette and
	 * the DAC, as 0xRRGGBB with 8 bits per channel. */
	uint32_t palette[16];
	/* The fonts in plane 2 that the character map select register
	 * (sequencer 03h) picks: font[0] for attribute bit 3 clear, font[1]
	 * set; 32 bytes per glyph, one per scan line.  font_loaded is false
	 * while both are all zero (nothing loaded): use a built-in font. */
	bool font_loaded;
	bool two_fonts;		/* the maps differ: attribute bit 3 picks */
	uint8_t font[2][256 * 32];
};

/* Creates the card, claims its ports on io and maps its memory in mem
 * (mem may be NULL in tests: use vga_mem_read/write).  mono selects the
 * power-on state: mode 7 (80x25 monochrome) instead of mode 3 (80x25
 * colour).  clk times the retrace bits of the input status register.
 * NULL on failure. */
struct vga *vga_new(struct ioport_bus *io, struct mem *mem, struct clock *clk, bool mono);

/* Fills *out from the current registers and memory. */
void vga_text_snapshot(struct vga *v, struct vga_text *out);

/* Draws the visible picture of a graphics mode (VGA planar, CGA, 256-colour
 * or VBE) into pix as 0x00RRGGBB, at most VGA_RENDER_MAX_W x _H pixels,
 * and sets *w, *h.  The size is the mode's logical resolution: pixel and
 * line doubling are undone (320x200 for mode 13h).  Returns false without
 * drawing when the card is in a text mode (use vga_text_snapshot). */
bool vga_render(struct vga *v, uint32_t *pix, int *w, int *h);

/* Whether a VBE mode is on (square pixels); else the picture fills a 4:3
 * monitor. */
bool vga_vbe_enabled(const struct vga *v);

/* Changes (increases) whenever something visible may have changed. */
uint64_t vga_generation(struct vga *v);

/* The raw video memory (VGA_VRAM_SIZE bytes, layout above). */
uint8_t *vga_vram(struct vga *v);

/* A CPU access to the legacy window: addr is the offset from A0000h
 * (0-1FFFFh), decoded exactly as an access through mem would be. */
uint8_t vga_mem_read(struct vga *v, uint32_t addr);
void vga_mem_write(struct vga *v, uint32_t addr, uint8_t val);

/* Moves the linear framebuffer (a PCI BAR write); 0 unmaps it. */
void vga_set_lfb_base(struct vga *v, uint32_t base);

/* Adds the card as PCI function 00:02.0, 1234:1111 (the Bochs/QEMU
 * "std" VGA), BAR 0 the 16 MiB prefetchable framebuffer, preset (also
 * after each reset) to VGA_LFB_BASE with memory decoding on.  0 or -1. */
struct pci_bus;
int vga_add_pci(struct vga *v, struct pci_bus *bus);

extern const struct device_desc vga_desc;

#endif
