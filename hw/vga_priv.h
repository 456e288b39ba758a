/* VGA internals shared by hw/vga.c (registers, memory) and
 * hw/vga_render.c (the picture). */
#ifndef TANDEM_HW_VGA_PRIV_H
#define TANDEM_HW_VGA_PRIV_H

#include <stdbool.h>
#include <stdint.h>

#define VGA_NCRTC 25
#define VGA_NSEQ 5
#define VGA_NGC 9
#define VGA_NATTR 21

/* Bochs VBE (dispi) register indices and ENABLE bits. */
enum {
	VBE_ID, VBE_XRES, VBE_YRES, VBE_BPP, VBE_ENABLE, VBE_BANK, VBE_VIRT_WIDTH,
	VBE_VIRT_HEIGHT, VBE_X_OFFSET, VBE_Y_OFFSET, VBE_VIDEO_MEMORY_64K, VBE_NREGS
};
enum {
	VBE_ENABLED = 0x01, VBE_GETCAPS = 0x02, VBE_DAC8 = 0x20, VBE_LFB = 0x40,
	VBE_NOCLEARMEM = 0x80,
};
#define VBE_MAX_XRES 2560
#define VBE_MAX_YRES 1600
#define VBE_MAX_VIRT 8192

struct clock;
struct mem;
struct pci_bus;

struct vga {
	struct clock *clk;
	struct mem *mem;
	bool mono_default;
	uint8_t misc, feature, vse;
	uint8_t seq_idx, seq[VGA_NSEQ];
	uint8_t crtc_idx, crtc[VGA_NCRTC];
	uint8_t gc_idx, gc[VGA_NGC];
	uint8_t attr_idx;	/* bit 5: palette address source (screen on) */
	bool attr_data_next;	/* the 3C0h flip-flop */
	uint8_t attr[VGA_NATTR];
	uint8_t dac[256][3];	/* as written: 6 bits, or 8 with VBE_DAC8 */
	uint8_t dac_mask, dac_widx, dac_ridx, dac_comp;
	uint8_t dac_wbuf[3];
	bool dac_reading;	/* last index write was 3C7h (3C7h reads 3) */
	uint8_t latch[4];
	uint16_t vbe_idx;
	uint16_t vbe[VBE_NREGS];
	uint32_t lfb_base;
	struct pci_bus *pci_bus;	/* NULL: no PCI function */
	uint64_t gen;
	uint64_t mem_gen, last_mem_gen;	/* CPU writes to the legacy window */
	uint64_t plane2_gen, last_plane2_gen;	/* writes reaching plane 2 (fonts) */
	uint32_t last_sum;
	uint8_t *vram;		/* VGA_VRAM_SIZE bytes */
};

/* Vertical display end (CR12 and its overflow bits). */
unsigned vga_vde(const struct vga *v);
/* DAC entry idx (after the pel mask) as 0xRRGGBB. */
uint32_t vga_dac_rgb(const struct vga *v, unsigned idx);
/* Colour of 4-bit pixel value i through the attribute palette and DAC. */
uint32_t vga_attr_rgb(const struct vga *v, unsigned i);

#endif
