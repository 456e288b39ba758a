/* VGA: registers, the CPU side of video memory (latches, write and read
 * modes, chain-4, odd/even, the VBE bank window), text snapshots, the
 * Bochs VBE registers and the PCI function.  The picture itself is drawn
 * by hw/vga_render.c. */
#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <string.h>

#include "hw/clock.h"
#include "hw/ioport.h"
#include "hw/memory.h"
#include "hw/pci.h"
#include "hw/vga.h"
#include "hw/vga_priv.h"
#include "util/snapshot.h"

/* 31.469 kHz horizontal rate of the 640/720-dot modes. */
#define LINE_PS 31777557ull

static const uint8_t crtc_mode3[VGA_NCRTC] = {
	0x5f, 0x4f, 0x50, 0x82, 0x55, 0x81, 0xbf, 0x1f, 0x00, 0x4f, 0x0d, 0x0e, 0x00,
	0x00, 0x00, 0x00, 0x9c, 0x8e, 0x8f, 0x28, 0x1f, 0x96, 0xb9, 0xa3, 0xff,
};
static const uint8_t attr_mode3[VGA_NATTR] = {
	0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x14, 0x07, 0x38, 0x39, 0x3a, 0x3b, 0x3c,
	0x3d, 0x3e, 0x3f, 0x0c, 0x00, 0x0f, 0x08, 0x00,
};
static const uint8_t attr_mode7[VGA_NATTR] = {
	0x00, 0x08, 0x08, 0x08, 0x08, 0x08, 0x08, 0x08, 0x10, 0x18, 0x18, 0x18, 0x18,
	0x18, 0x18, 0x18, 0x0e, 0x00, 0x0f, 0x08, 0x00,
};
static const uint8_t seq_text[VGA_NSEQ] = { 0x03, 0x00, 0x03, 0x00, 0x02 };
static const uint8_t gc_mode3[VGA_NGC] = { 0, 0, 0, 0, 0, 0x10, 0x0e, 0x00, 0xff };
static const uint8_t gc_mode7[VGA_NGC] = { 0, 0, 0, 0, 0, 0x10, 0x0a, 0x00, 0xff };

static bool is_color(const struct vga *v)
{
	return v->misc & 1;
}

/* The EGA's 64 colours: bits 0-2 blue/green/red at 2/3, bits 3-5 at 1/3. */
static void load_ega_palette(struct vga *v)
{
	memset(v->dac, 0, sizeof(v->dac));
	for (int i = 0; i < 64; i++) {
		v->dac[i][0] = (i & 4 ? 42 : 0) + (i & 32 ? 21 : 0);
		v->dac[i][1] = (i & 2 ? 42 : 0) + (i & 16 ? 21 : 0);
		v->dac[i][2] = (i & 1 ? 42 : 0) + (i & 8 ? 21 : 0);
	}
}

unsigned vga_vde(const struct vga *v)
{
	return v->crtc[0x12] | (v->crtc[7] & 2) << 7 | (v->crtc[7] & 0x40) << 3;
}

static uint8_t input_status1(struct vga *v)
{
	unsigned vtotal = v->crtc[6] | (v->crtc[7] & 1) << 8 | (v->crtc[7] & 0x20) << 4;
	unsigned vde = vga_vde(v);
	unsigned vrs = v->crtc[0x10] | (v->crtc[7] & 4) << 6 | (v->crtc[7] & 0x80) << 2;
	vtotal += 2;
	if (vtotal < 100 || vtotal > 1100)
		vtotal = 449;
	if (vde >= vtotal)
		vde = vtotal * 9 / 10;
	if (vrs >= vtotal)
		vrs = vde;
	uint64_t t = clock_now(v->clk);
	uint64_t line = t / LINE_PS % vtotal, pos = t % LINE_PS;
	/* Retrace lasts until the line counter's low 4 bits equal CR11's. */
	unsigned vr_len = ((v->crtc[0x11] & 15) - (vrs & 15)) & 15;
	bool vretrace = line >= vrs && line < vrs + (vr_len ? vr_len : 16);
	bool hblank = pos >= LINE_PS * 4 / 5;
	v->attr_data_next = false;	/* reading the status resets the flip-flop */
	return (vretrace ? 0x08 : 0) | (hblank || line > vde ? 0x01 : 0);
}

/* DAC components are 6 bits wide unless VBE switched the DAC to 8. */
static uint8_t dac_width_mask(const struct vga *v)
{
	return v->vbe[VBE_ENABLE] & VBE_DAC8 ? 0xff : 0x3f;
}

static uint32_t vga_read(void *opaque, uint16_t port, int size)
{
	struct vga *v = opaque;
	(void)size;
	/* The CRTC and status answer only at the address misc output selects. */
	if ((port >= 0x3b0 && port <= 0x3bf && is_color(v)) ||
	    (port >= 0x3d0 && port <= 0x3df && !is_color(v)))
		return 0xff;
	switch (port) {
	case 0x3b4: case 0x3d4:
		return v->crtc_idx;
	case 0x3b5: case 0x3d5:
		return v->crtc_idx < VGA_NCRTC ? v->crtc[v->crtc_idx] : 0xff;
	case 0x3ba: case 0x3da:
		return input_status1(v);
	case 0x3c0:
		return v->attr_idx;
	case 0x3c1:
		return (v->attr_idx & 0x1f) < VGA_NATTR ? v->attr[v->attr_idx & 0x1f] : 0;
	case 0x3c2:
		return 0x10;	/* switch sense: a colour monitor is attached */
	case 0x3c3:
		return v->vse;
	case 0x3c4:
		return v->seq_idx;
	case 0x3c5:
		return v->seq_idx < VGA_NSEQ ? v->seq[v->seq_idx] : 0xff;
	case 0x3c6:
		return v->dac_mask;
	case 0x3c7:
		return v->dac_reading ? 3 : 0;
	case 0x3c8:
		return v->dac_widx;
	case 0x3c9: {
		uint8_t c = v->dac[v->dac_ridx][v->dac_comp] & dac_width_mask(v);
		if (++v->dac_comp == 3) {
			v->dac_comp = 0;
			v->dac_ridx++;
		}
		return c;
	}
	case 0x3ca:
		return v->feature;
	case 0x3cc:
		return v->misc;
	case 0x3ce:
		return v->gc_idx;
	case 0x3cf:
		return v->gc_idx < VGA_NGC ? v->gc[v->gc_idx] : 0xff;
	default:
		return 0xff;
	}
}

static void crtc_write(struct vga *v, uint8_t val)
{
	uint8_t i = v->crtc_idx;
	if (i >= VGA_NCRTC)
		return;
	/* CR11 bit 7 protects CR00-CR07 except CR07's line compare bit. */
	if ((v->crtc[0x11] & 0x80) && i <= 7) {
		if (i == 7)
			v->crtc[7] = (v->crtc[7] & ~0x10) | (val & 0x10);
		return;
	}
	v->crtc[i] = val;
}

static void vga_write(void *opaque, uint16_t port, uint32_t val32, int size)
{
	struct vga *v = opaque;
	uint8_t val = val32;
	(void)size;
	if ((port >= 0x3b0 && port <= 0x3bf && is_color(v)) ||
	    (port >= 0x3d0 && port <= 0x3df && !is_color(v)))
		return;
	switch (port) {
	case 0x3b4: case 0x3d4:
		v->crtc_idx = val;
		return;
	case 0x3b5: case 0x3d5:
		crtc_write(v, val);
		break;
	case 0x3ba: case 0x3da:
		v->feature = val;
		return;
	case 0x3c0:
		if (!v->attr_data_next) {
			v->attr_idx = val & 0x3f;
		} else if ((v->attr_idx & 0x1f) < VGA_NATTR) {
			v->attr[v->attr_idx & 0x1f] = val;
		}
		v->attr_data_next = !v->attr_data_next;
		break;
	case 0x3c2:
		v->misc = val;
		break;
	case 0x3c3:
		v->vse = val & 1;
		return;
	case 0x3c4:
		v->seq_idx = val;
		return;
	case 0x3c5:
		if (v->seq_idx < VGA_NSEQ)
			v->seq[v->seq_idx] = val;
		break;
	case 0x3c6:
		v->dac_mask = val;
		break;
	case 0x3c7:
		v->dac_ridx = val;
		v->dac_comp = 0;
		v->dac_reading = true;
		return;
	case 0x3c8:
		v->dac_widx = val;
		v->dac_comp = 0;
		v->dac_reading = false;
		return;
	case 0x3c9:
		v->dac_wbuf[v->dac_comp] = val & dac_width_mask(v);
		if (++v->dac_comp == 3) {
			memcpy(v->dac[v->dac_widx], v->dac_wbuf, 3);
			v->dac_comp = 0;
			v->dac_widx++;
		}
		break;
	case 0x3ce:
		v->gc_idx = val;
		return;
	case 0x3cf:
		if (v->gc_idx < VGA_NGC)
			v->gc[v->gc_idx] = val;
		break;
	default:
		return;
	}
	v->gen++;
}

static const struct ioport_ops vga_ops = {
	.read = vga_read,
	.write = vga_write,
	.widths = 1,
};

/* --- Bochs VBE (dispi) ------------------------------------------------- */

static unsigned vbe_bytespp(unsigned bpp)
{
	return (bpp + 7) / 8;
}

bool vga_vbe_enabled(const struct vga *v)
{
	return v->vbe[VBE_ENABLE] & VBE_ENABLED;
}

/* Widens the virtual width to the resolution and recomputes the virtual
 * height from the memory size.  Offsets stay as written: the renderer
 * shows what lies past the end of memory as black. */
static void vbe_fixup(struct vga *v)
{
	unsigned bpp = vbe_bytespp(v->vbe[VBE_BPP]);
	unsigned vw = v->vbe[VBE_VIRT_WIDTH];
	if (vw < v->vbe[VBE_XRES])
		vw = v->vbe[VBE_XRES];
	if (vw == 0 || bpp == 0)
		return;
	uint32_t line = vw * bpp;
	uint32_t maxh = VGA_VRAM_SIZE / line;
	if (maxh > 0xffff)
		maxh = 0xffff;
	v->vbe[VBE_VIRT_WIDTH] = vw;
	v->vbe[VBE_VIRT_HEIGHT] = maxh;
}

static bool vbe_mode_ok(const struct vga *v)
{
	unsigned x = v->vbe[VBE_XRES], y = v->vbe[VBE_YRES], bpp = v->vbe[VBE_BPP];
	if (bpp != 8 && bpp != 15 && bpp != 16 && bpp != 24 && bpp != 32)
		return false;
	if (x == 0 || y == 0 || x > VBE_MAX_XRES || y > VBE_MAX_YRES)
		return false;
	return (uint64_t)x * y * vbe_bytespp(bpp) <= VGA_VRAM_SIZE;
}

static void vbe_write_reg(struct vga *v, unsigned idx, uint16_t val)
{
	switch (idx) {
	case VBE_ID:
		if (val >= 0xb0c0 && val <= 0xb0c5)
			v->vbe[VBE_ID] = val;
		break;
	case VBE_XRES:
	case VBE_YRES:
	case VBE_BPP:
		/* Fixed while a mode is on, as in Bochs. */
		if (!vga_vbe_enabled(v))
			v->vbe[idx] = idx == VBE_BPP && val == 0 ? 8 : val;
		break;
	case VBE_ENABLE: {
		bool was = vga_vbe_enabled(v);
		if ((val & VBE_ENABLED) && !was) {
			if (!vbe_mode_ok(v)) {
				val &= ~VBE_ENABLED;
			} else {
				v->vbe[VBE_VIRT_WIDTH] = v->vbe[VBE_XRES];
				v->vbe[VBE_X_OFFSET] = v->vbe[VBE_Y_OFFSET] = 0;
				v->vbe[VBE_BANK] = 0;
				vbe_fixup(v);
				if (!(val & VBE_NOCLEARMEM)) {
					size_t n = (size_t)v->vbe[VBE_XRES] * v->vbe[VBE_YRES] *
						   vbe_bytespp(v->vbe[VBE_BPP]);
					memset(v->vram, 0, n);
				}
			}
		}
		v->vbe[VBE_ENABLE] = val & (VBE_ENABLED | VBE_GETCAPS | VBE_DAC8 | VBE_LFB |
					    VBE_NOCLEARMEM);
		break;
	}
	case VBE_BANK:
		if ((uint32_t)val * 0x10000 < VGA_VRAM_SIZE)
			v->vbe[VBE_BANK] = val;
		break;
	case VBE_VIRT_WIDTH:
		if (val >= v->vbe[VBE_XRES] && val <= VBE_MAX_VIRT) {
			v->vbe[VBE_VIRT_WIDTH] = val;
			vbe_fixup(v);
		}
		break;
	case VBE_VIRT_HEIGHT:
		break;		/* derived from the width and memory size */
	case VBE_X_OFFSET:
	case VBE_Y_OFFSET:
		v->vbe[idx] = val;
		break;
	default:
		break;
	}
	v->gen++;
}

static uint16_t vbe_read_reg(struct vga *v, unsigned idx)
{
	if (v->vbe[VBE_ENABLE] & VBE_GETCAPS) {
		if (idx == VBE_XRES)
			return VBE_MAX_XRES;
		if (idx == VBE_YRES)
			return VBE_MAX_YRES;
		if (idx == VBE_BPP)
			return 32;
	}
	if (idx == VBE_VIDEO_MEMORY_64K)
		return VGA_VRAM_SIZE / 0x10000;
	return idx < VBE_NREGS ? v->vbe[idx] : 0;
}

static uint32_t vbe_port_read(void *opaque, uint16_t port, int size)
{
	struct vga *v = opaque;
	uint16_t r = port == 0x1ce ? v->vbe_idx : vbe_read_reg(v, v->vbe_idx);
	(void)size;
	return r;
}

static void vbe_port_write(void *opaque, uint16_t port, uint32_t val, int size)
{
	struct vga *v = opaque;
	(void)size;
	if (port == 0x1ce)
		v->vbe_idx = val;
	else
		vbe_write_reg(v, v->vbe_idx, val);
}

static const struct ioport_ops vbe_ops = {
	.read = vbe_port_read,
	.write = vbe_port_write,
	.widths = 2,
};

/* --- video memory, CPU side -------------------------------------------- */

/* Offset of the access in the window the graphics controller's memory map
 * field selects, or -1 when the address is outside it. */
static int32_t window_offset(const struct vga *v, uint32_t addr)
{
	switch ((v->gc[6] >> 2) & 3) {
	case 0:
		return addr < 0x20000 ? (int32_t)addr : -1;
	case 1:
		return addr < 0x10000 ? (int32_t)addr : -1;
	case 2:
		return addr >= 0x10000 && addr < 0x18000 ? (int32_t)(addr - 0x10000) : -1;
	default:
		return addr >= 0x18000 && addr < 0x20000 ? (int32_t)(addr - 0x18000) : -1;
	}
}

static uint8_t ror8(uint8_t x, unsigned n)
{
	n &= 7;
	return n ? (uint8_t)(x >> n | x << (8 - n)) : x;
}

static void load_latches(struct vga *v, uint32_t o)
{
	memcpy(v->latch, &v->vram[(o & 0xffff) * 4], 4);
}

uint8_t vga_mem_read(struct vga *v, uint32_t addr)
{
	if (vga_vbe_enabled(v)) {
		if (addr >= 0x10000)
			return 0xff;
		uint32_t o = (uint32_t)v->vbe[VBE_BANK] * 0x10000 + addr;
		return o < VGA_VRAM_SIZE ? v->vram[o] : 0xff;
	}
	int32_t off = window_offset(v, addr);
	if (off < 0)
		return 0xff;
	if (v->seq[4] & 8) {			/* chain-4 */
		uint32_t o = (uint32_t)off & 0xffff;
		load_latches(v, o >> 2);
		return v->vram[o];
	}
	uint32_t o = (uint32_t)off;
	unsigned plane = v->gc[4] & 3;
	if (v->gc[5] & 0x10) {			/* odd/even */
		plane = (plane & 2) | (o & 1);
		o &= ~1u;
	}
	load_latches(v, o);
	if (!(v->gc[5] & 8))			/* read mode 0 */
		return v->latch[plane];
	/* Read mode 1: ones where the pixel equals the colour compare value
	 * in every plane colour don't care selects. */
	uint8_t r = 0xff;
	for (int p = 0; p < 4; p++) {
		if (!(v->gc[7] & (1 << p)))
			continue;
		uint8_t want = v->gc[2] & (1 << p) ? 0xff : 0x00;
		r &= (uint8_t)~(v->latch[p] ^ want);
	}
	return r;
}

static uint8_t alu(const struct vga *v, uint8_t data, uint8_t latch)
{
	switch ((v->gc[3] >> 3) & 3) {
	case 1: return data & latch;
	case 2: return data | latch;
	case 3: return data ^ latch;
	default: return data;
	}
}

void vga_mem_write(struct vga *v, uint32_t addr, uint8_t val)
{
	v->mem_gen++;
	if (vga_vbe_enabled(v)) {
		if (addr >= 0x10000)
			return;
		uint32_t o = (uint32_t)v->vbe[VBE_BANK] * 0x10000 + addr;
		if (o < VGA_VRAM_SIZE)
			v->vram[o] = val;
		return;
	}
	int32_t off = window_offset(v, addr);
	if (off < 0)
		return;
	uint8_t planes = v->seq[2] & 15;
	if (v->seq[4] & 8) {			/* chain-4: the address picks the plane */
		uint32_t o = (uint32_t)off & 0xffff;
		if (planes & (1 << (o & 3)))
			v->vram[o] = val;
		return;
	}
	uint32_t o = (uint32_t)off;
	if (!(v->seq[4] & 4)) {			/* odd/even */
		planes &= o & 1 ? 0x0a : 0x05;
		o &= ~1u;
	}
	o &= 0xffff;
	uint8_t *cell = &v->vram[o * 4];
	if (planes & 4)
		v->plane2_gen++;	/* a font may have changed */
	if (!(v->gc[5] & 3) && !v->gc[1] && !v->gc[3] && v->gc[8] == 0xff) {
		/* Write mode 0 without set/reset, rotation, logic or mask (text
		 * output, most planar copies): the byte goes straight in. */
		if (planes == 1 || planes == 2 || planes == 4 || planes == 8) {
			cell[__builtin_ctz(planes)] = val;
			return;
		}
		for (int p = 0; p < 4; p++)
			if (planes & (1 << p))
				cell[p] = val;
		return;
	}
	uint8_t out[4];
	uint8_t mask = v->gc[8];
	uint8_t sr = v->gc[0], esr = v->gc[1];
	switch (v->gc[5] & 3) {
	case 0: {
		uint8_t d = ror8(val, v->gc[3]);
		for (int p = 0; p < 4; p++) {
			uint8_t x = esr & (1 << p) ? (sr & (1 << p) ? 0xff : 0) : d;
			out[p] = alu(v, x, v->latch[p]);
		}
		break;
	}
	case 1:
		memcpy(out, v->latch, 4);
		mask = 0xff;
		break;
	case 2:
		for (int p = 0; p < 4; p++)
			out[p] = alu(v, val & (1 << p) ? 0xff : 0, v->latch[p]);
		break;
	default:
		mask &= ror8(val, v->gc[3]);
		for (int p = 0; p < 4; p++)
			out[p] = alu(v, sr & (1 << p) ? 0xff : 0, v->latch[p]);
		break;
	}
	for (int p = 0; p < 4; p++)
		if (planes & (1 << p))
			cell[p] = (uint8_t)((out[p] & mask) | (v->latch[p] & ~mask));
}

static uint32_t vga_mmio_read(void *opaque, uint32_t addr, int size)
{
	struct vga *v = opaque;
	uint32_t r = 0;
	for (int i = 0; i < size; i++)
		r |= (uint32_t)vga_mem_read(v, addr + i) << (8 * i);
	return r;
}

static void vga_mmio_write(void *opaque, uint32_t addr, uint32_t val, int size)
{
	struct vga *v = opaque;
	for (int i = 0; i < size; i++)
		vga_mem_write(v, addr + i, (uint8_t)(val >> (8 * i)));
}

static const struct mmio_ops vga_mmio = {
	.read = vga_mmio_read,
	.write = vga_mmio_write,
	.widths = 1 | 2 | 4,
};

/* --- text snapshots ---------------------------------------------------- */

struct geometry {
	int cols, rows, stride;
	unsigned start;
};

static void geometry(const struct vga *v, struct geometry *g)
{
	unsigned ch = (v->crtc[9] & 0x1f) + 1;
	unsigned lines = vga_vde(v) + 1;
	if (v->crtc[9] & 0x80)
		lines /= 2;	/* double scanning */
	g->cols = v->crtc[1] + 1;
	if (g->cols > VGA_TEXT_MAX_COLS)
		g->cols = VGA_TEXT_MAX_COLS;
	g->rows = lines / ch;
	if (g->rows < 1)
		g->rows = 1;
	if (g->rows > VGA_TEXT_MAX_ROWS)
		g->rows = VGA_TEXT_MAX_ROWS;
	g->stride = v->crtc[0x13] ? v->crtc[0x13] * 2 : g->cols;
	g->start = v->crtc[0x0c] << 8 | v->crtc[0x0d];
}

/* The cell at CRTC address n: character in plane 0, attribute in plane 1,
 * at plane offset 2n (word mode). */
static uint16_t cell_at(const struct vga *v, unsigned n)
{
	const uint8_t *c = &v->vram[(n * 2 & 0xffff) * 4];
	return c[0] | c[1] << 8;
}

/* Plane 2 offset of the font the character map select bits pick. */
static unsigned font_base(unsigned sel)
{
	static const unsigned base[8] = { 0x0000, 0x4000, 0x8000, 0xc000,
					  0x2000, 0x6000, 0xa000, 0xe000 };
	return base[sel & 7];
}

void vga_text_snapshot(struct vga *v, struct vga_text *out)
{
	struct geometry g;
	geometry(v, &g);
	out->cols = g.cols;
	out->rows = g.rows;
	out->char_height = (v->crtc[9] & 0x1f) + 1;
	out->char_width = v->seq[1] & 1 ? 8 : 9;
	out->color = is_color(v);
	out->graphics = (v->attr[0x10] & 1) || vga_vbe_enabled(v);
	out->blank = (v->seq[1] & 0x20) || !(v->attr_idx & 0x20);
	for (int r = 0; r < g.rows; r++)
		for (int c = 0; c < g.cols; c++)
			out->cells[r * g.cols + c] = cell_at(v, g.start + r * g.stride + c);
	unsigned cur = v->crtc[0x0e] << 8 | v->crtc[0x0f];
	unsigned rel = (cur - g.start) & 0xffff;
	out->cursor_row = cur >= g.start ? (int)(rel / g.stride) : -1;
	out->cursor_col = cur >= g.start ? (int)(rel % g.stride) : -1;
	out->cursor_start = v->crtc[0x0a] & 0x1f;
	out->cursor_end = v->crtc[0x0b] & 0x1f;
	out->cursor_visible = !(v->crtc[0x0a] & 0x20) && out->cursor_start <= out->cursor_end;
	out->blink = v->attr[0x10] & 0x08;
	out->ninth_dot_blank = !(v->attr[0x10] & 0x04);
	for (int i = 0; i < 16; i++)
		out->palette[i] = vga_attr_rgb(v, i);
	/* Map A: bits 5, 1-0; map B: bits 4, 3-2. */
	uint8_t s3 = v->seq[3];
	unsigned fa = font_base((s3 & 3) | (s3 >> 3 & 4));
	unsigned fb = font_base((s3 >> 2 & 3) | (s3 >> 2 & 4));
	out->font_loaded = false;
	for (int f = 0; f < 2; f++) {
		unsigned base = f ? fb : fa;
		for (unsigned i = 0; i < 256 * 32; i++) {
			uint8_t b = v->vram[((base + i) & 0xffff) * 4 + 2];
			out->font[f][i] = b;
			out->font_loaded |= b != 0;
		}
	}
	out->two_fonts = fa != fb;
}

uint64_t vga_generation(struct vga *v)
{
	if ((v->attr[0x10] & 1) || vga_vbe_enabled(v)) {
		/* The linear framebuffer is written behind our back. */
		if (vga_vbe_enabled(v) && (v->vbe[VBE_ENABLE] & VBE_LFB))
			v->gen++;
		if (v->mem_gen != v->last_mem_gen) {
			v->last_mem_gen = v->mem_gen;
			v->gen++;
		}
		return v->gen;
	}
	if (v->plane2_gen != v->last_plane2_gen) {
		v->last_plane2_gen = v->plane2_gen;
		v->gen++;
	}
	struct geometry g;
	geometry(v, &g);
	/* FNV-1a over the visible cells: cheap next to rendering them, and
	 * blind to writes outside the screen. */
	uint32_t h = 2166136261u;
	for (int r = 0; r < g.rows; r++) {
		for (int c = 0; c < g.cols; c++) {
			uint16_t cell = cell_at(v, g.start + r * g.stride + c);
			h = (h ^ (cell & 0xff)) * 16777619u;
			h = (h ^ (cell >> 8)) * 16777619u;
		}
	}
	if (h != v->last_sum) {
		v->last_sum = h;
		v->gen++;
	}
	return v->gen;
}

uint8_t *vga_vram(struct vga *v)
{
	return v->vram;
}

void vga_set_lfb_base(struct vga *v, uint32_t base)
{
	if (!v->mem || base == v->lfb_base || base % MEM_PAGE_SIZE)
		return;
	if (v->lfb_base)
		mem_unmap(v->mem, v->lfb_base, VGA_VRAM_SIZE);
	v->lfb_base = 0;
	if (base && (uint64_t)base + VGA_VRAM_SIZE <= (1ull << 32) &&
	    mem_map_host(v->mem, base, VGA_VRAM_SIZE, v->vram, true) == 0)
		v->lfb_base = base;
}

static void lfb_bar_map(void *opaque, int bar, uint32_t addr)
{
	(void)bar;
	vga_set_lfb_base(opaque, addr == PCI_BAR_UNMAPPED ? 0 : addr);
}

/* The bus cleared the header: put the framebuffer back where a BIOS that
 * does not assign BARs (and the VBE code written for it) expects it. */
static void vga_pci_reset(void *opaque)
{
	struct vga *v = opaque;
	uint8_t devfn = PCI_DEVFN(2, 0);
	pci_bus_config_write(v->pci_bus, devfn, PCI_BAR0, VGA_LFB_BASE, 4);
	uint32_t cmd = pci_bus_config_read(v->pci_bus, devfn, PCI_COMMAND, 2);
	pci_bus_config_write(v->pci_bus, devfn, PCI_COMMAND, cmd | PCI_CMD_IO | PCI_CMD_MEM, 2);
}

static const struct pci_func_ops vga_pci_ops = {
	.reset = vga_pci_reset,
};

int vga_add_pci(struct vga *v, struct pci_bus *bus)
{
	struct pci_func *f = pci_add_function(bus, PCI_DEVFN(2, 0), 0x1234, 0x1111, 2, 0x030000,
					      &vga_pci_ops, v);
	if (!f || pci_bar_mem(f, 0, VGA_VRAM_SIZE, true, lfb_bar_map, v) < 0)
		return -1;
	v->pci_bus = bus;
	vga_pci_reset(v);
	return 0;
}

static void vga_reset(void *opaque)
{
	struct vga *v = opaque;
	bool mono = v->mono_default;
	memcpy(v->crtc, crtc_mode3, VGA_NCRTC);
	if (mono)
		v->crtc[0x14] = 0x0d;	/* underline on scan line 13 */
	memcpy(v->seq, seq_text, VGA_NSEQ);
	memcpy(v->gc, mono ? gc_mode7 : gc_mode3, VGA_NGC);
	memcpy(v->attr, mono ? attr_mode7 : attr_mode3, VGA_NATTR);
	v->misc = mono ? 0x66 : 0x67;
	v->feature = 0;
	v->vse = 1;
	v->seq_idx = v->crtc_idx = v->gc_idx = 0;
	v->attr_idx = 0x20;
	v->attr_data_next = false;
	load_ega_palette(v);
	v->dac_mask = 0xff;
	v->dac_widx = v->dac_ridx = v->dac_comp = 0;
	v->dac_reading = false;
	memset(v->latch, 0, 4);
	memset(v->vbe, 0, sizeof(v->vbe));
	v->vbe[VBE_ID] = 0xb0c5;
	v->vbe[VBE_BPP] = 8;
	v->vbe_idx = 0;
	/* Blank screen: spaces in light grey on black, fonts cleared. */
	memset(v->vram, 0, VGA_PLANES_SIZE);
	for (unsigned o = 0; o < 0x10000; o += 2) {
		v->vram[o * 4] = 0x20;
		v->vram[o * 4 + 1] = 0x07;
	}
	v->gen++;
}

struct vga *vga_new(struct ioport_bus *io, struct mem *mem, struct clock *clk, bool mono)
{
	struct vga *v = calloc(1, sizeof(*v));
	if (!v)
		return NULL;
	/* Page aligned, so KVM can map the linear framebuffer as a memory
	 * slot; anonymous pages cost nothing until a mode touches them. */
	v->vram = mmap(NULL, VGA_VRAM_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (v->vram == MAP_FAILED)
		v->vram = NULL;
	if (!v->vram)
		goto fail;
	v->clk = clk;
	v->mem = mem;
	v->mono_default = mono;
	if (ioport_register(io, 0x3b0, 0x30, &vga_ops, v) < 0)
		goto fail;
	if (ioport_register(io, 0x1ce, 2, &vbe_ops, v) < 0)
		goto fail;
	if (mem && mem_map_mmio(mem, 0xa0000, 0x20000, &vga_mmio, v) < 0)
		goto fail;
	vga_set_lfb_base(v, VGA_LFB_BASE);
	vga_reset(v);
	return v;
fail:
	if (v->vram)
		munmap(v->vram, VGA_VRAM_SIZE);
	free(v);
	return NULL;
}

/* The length of video memory worth saving: up to the last non-zero 64 KiB
 * block (the planes at least). */
static uint32_t used_vram(const struct vga *v)
{
	uint32_t end = VGA_VRAM_SIZE;
	while (end > VGA_PLANES_SIZE) {
		const uint64_t *p = (const uint64_t *)(v->vram + end - 0x10000);
		bool zero = true;
		for (int i = 0; i < 0x10000 / 8 && zero; i++)
			zero = p[i] == 0;
		if (!zero)
			break;
		end -= 0x10000;
	}
	return end;
}

static void vga_save(void *opaque, struct snap *s)
{
	struct vga *v = opaque;
	snap_put_u8(s, v->misc);
	snap_put_u8(s, v->feature);
	snap_put_u8(s, v->vse);
	snap_put_u8(s, v->seq_idx);
	snap_put_bytes(s, v->seq, VGA_NSEQ);
	snap_put_u8(s, v->crtc_idx);
	snap_put_bytes(s, v->crtc, VGA_NCRTC);
	snap_put_u8(s, v->gc_idx);
	snap_put_bytes(s, v->gc, VGA_NGC);
	snap_put_u8(s, v->attr_idx);
	snap_put_u8(s, v->attr_data_next);
	snap_put_bytes(s, v->attr, VGA_NATTR);
	snap_put_bytes(s, v->dac, sizeof(v->dac));
	snap_put_u8(s, v->dac_mask);
	snap_put_u8(s, v->dac_widx);
	snap_put_u8(s, v->dac_ridx);
	snap_put_u8(s, v->dac_comp);
	snap_put_bytes(s, v->dac_wbuf, 3);
	snap_put_u8(s, v->dac_reading);
	snap_put_bytes(s, v->latch, 4);
	snap_put_u16(s, v->vbe_idx);
	for (int i = 0; i < VBE_NREGS; i++)
		snap_put_u16(s, v->vbe[i]);
	uint32_t n = used_vram(v);
	snap_put_u32(s, n);
	snap_put_bytes(s, v->vram, n);
}

static int vga_load(void *opaque, struct snap *s)
{
	struct vga *v = opaque;
	v->misc = snap_get_u8(s);
	v->feature = snap_get_u8(s);
	v->vse = snap_get_u8(s);
	v->seq_idx = snap_get_u8(s);
	snap_get_bytes(s, v->seq, VGA_NSEQ);
	v->crtc_idx = snap_get_u8(s);
	snap_get_bytes(s, v->crtc, VGA_NCRTC);
	v->gc_idx = snap_get_u8(s);
	snap_get_bytes(s, v->gc, VGA_NGC);
	v->attr_idx = snap_get_u8(s) & 0x3f;
	v->attr_data_next = snap_get_u8(s);
	snap_get_bytes(s, v->attr, VGA_NATTR);
	snap_get_bytes(s, v->dac, sizeof(v->dac));
	v->dac_mask = snap_get_u8(s);
	v->dac_widx = snap_get_u8(s);
	v->dac_ridx = snap_get_u8(s);
	v->dac_comp = snap_get_u8(s);
	snap_get_bytes(s, v->dac_wbuf, 3);
	v->dac_reading = snap_get_u8(s);
	snap_get_bytes(s, v->latch, 4);
	v->vbe_idx = snap_get_u16(s);
	for (int i = 0; i < VBE_NREGS; i++)
		v->vbe[i] = snap_get_u16(s);
	uint32_t n = snap_get_u32(s);
	if (!snap_ok(s) || n > VGA_VRAM_SIZE || v->dac_comp > 2)
		return -EINVAL;
	snap_get_bytes(s, v->vram, n);
	memset(v->vram + n, 0, VGA_VRAM_SIZE - n);
	if (!snap_ok(s))
		return -EINVAL;
	if (vga_vbe_enabled(v) && !vbe_mode_ok(v))
		v->vbe[VBE_ENABLE] &= ~VBE_ENABLED;
	v->gen++;
	return 0;
}

static void vga_free(void *opaque)
{
	struct vga *v = opaque;
	/* The windows stay in the memory map: the board frees the address
	 * space with the devices, and mem may already be gone here. */
	if (v->vram)
		munmap(v->vram, VGA_VRAM_SIZE);
	free(v);
}

const struct device_desc vga_desc = {
	.name = "vga",
	.reset = vga_reset,
	.save = vga_save,
	.load = vga_load,
	.free = vga_free,
};
