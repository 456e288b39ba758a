/* The VGA's picture the way the CRTC scans it: per character clock one
 * address, four plane bytes, turned into pixels by the graphics
 * controller's shift mode and coloured by the attribute controller and
 * the DAC.  VBE modes read the linear framebuffer instead. */
#include <string.h>

#include "hw/vga.h"
#include "hw/vga_priv.h"

uint32_t vga_dac_rgb(const struct vga *v, unsigned idx)
{
	const uint8_t *c = v->dac[idx & v->dac_mask & 0xff];
	if (v->vbe[VBE_ENABLE] & VBE_DAC8)
		return (uint32_t)c[0] << 16 | (uint32_t)c[1] << 8 | c[2];
	uint32_t rgb = 0;
	for (int k = 0; k < 3; k++) {
		uint8_t x = c[k] & 0x3f;
		rgb = rgb << 8 | (uint8_t)(x << 2 | x >> 4);
	}
	return rgb;
}

uint32_t vga_attr_rgb(const struct vga *v, unsigned i)
{
	uint8_t p = v->attr[i & 15] & 0x3f;
	unsigned idx;
	if (v->attr[0x10] & 0x80)
		idx = (v->attr[0x14] & 0x0f) << 4 | (p & 0x0f);
	else
		idx = (v->attr[0x14] & 0x0c) << 4 | p;
	return vga_dac_rgb(v, idx);
}

static uint32_t rd16(const uint8_t *p) { return p[0] | p[1] << 8; }

static uint32_t expand5(uint32_t x) { return x << 3 | x >> 2; }
static uint32_t expand6(uint32_t x) { return x << 2 | x >> 4; }

static void render_vbe(const struct vga *v, uint32_t *pix, int *w, int *h)
{
	unsigned xres = v->vbe[VBE_XRES], yres = v->vbe[VBE_YRES];
	unsigned bpp = v->vbe[VBE_BPP], bytes = (bpp + 7) / 8;
	if (xres > VGA_RENDER_MAX_W)
		xres = VGA_RENDER_MAX_W;
	if (yres > VGA_RENDER_MAX_H)
		yres = VGA_RENDER_MAX_H;
	*w = (int)xres;
	*h = (int)yres;
	uint64_t line = (uint64_t)v->vbe[VBE_VIRT_WIDTH] * bytes;
	uint64_t base = (uint64_t)v->vbe[VBE_Y_OFFSET] * line +
			(uint64_t)v->vbe[VBE_X_OFFSET] * bytes;
	uint32_t pal[256];
	if (bpp == 8)
		for (int i = 0; i < 256; i++)
			pal[i] = vga_dac_rgb(v, (unsigned)i);
	for (unsigned y = 0; y < yres; y++) {
		uint32_t *out = pix + (size_t)y * xres;
		uint64_t o = base + y * line;
		/* Pixels past the end of video memory are black. */
		unsigned n = 0;
		if (o < VGA_VRAM_SIZE)
			n = (unsigned)((VGA_VRAM_SIZE - o) / bytes);
		if (n > xres)
			n = xres;
		const uint8_t *p = v->vram + (n ? o : 0);
		switch (bpp) {
		case 8:
			for (unsigned x = 0; x < n; x++)
				out[x] = pal[p[x]];
			break;
		case 15:
			for (unsigned x = 0; x < n; x++) {
				uint32_t c = rd16(p + 2 * x);
				out[x] = expand5(c >> 10 & 31) << 16 | expand5(c >> 5 & 31) << 8 |
					 expand5(c & 31);
			}
			break;
		case 16:
			for (unsigned x = 0; x < n; x++) {
				uint32_t c = rd16(p + 2 * x);
				out[x] = expand5(c >> 11 & 31) << 16 | expand6(c >> 5 & 63) << 8 |
					 expand5(c & 31);
			}
			break;
		case 24:
			for (unsigned x = 0; x < n; x++, p += 3)
				out[x] = (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
			break;
		default:	/* 32: blue, green, red, unused */
			for (unsigned x = 0; x < n; x++) {
				uint32_t c;
				memcpy(&c, p + 4 * x, 4);
				out[x] = c & 0xffffff;	/* little-endian host */
			}
			break;
		}
		for (unsigned x = n; x < xres; x++)
			out[x] = 0;
	}
}

/* How the CRTC turns its memory address counter into plane offsets. */
struct scan {
	bool dword, word, cga_bank, herc_bank;
	unsigned word_bit;	/* MA bit that becomes address bit 0 in word mode */
};

static unsigned plane_offset(const struct scan *s, unsigned ma, unsigned rs)
{
	unsigned o;
	if (s->dword)
		o = ma;		/* chain-4 bytes are stored at their CPU offset */
	else if (s->word)
		o = ma << 1 | (ma >> s->word_bit & 1);
	else
		o = ma;
	if (s->cga_bank)
		o = (o & ~0x2000u) | (rs & 1) << 13;
	if (s->herc_bank)
		o = (o & ~0x4000u) | (rs & 2) << 13;
	return o & 0xffff;
}

/* Pixels of one scan line, starting at address ma_row with row scan rs,
 * into line (room for chars + 1 character clocks). */
static void scan_line(const struct vga *v, const struct scan *s, const uint32_t *attr_rgb,
		      const uint32_t *dac_rgb, unsigned ma_row, unsigned rs, unsigned chars,
		      uint32_t *line)
{
	bool shift256 = v->gc[5] & 0x40, interleave = v->gc[5] & 0x20;
	uint8_t enable = v->attr[0x12] & 15;
	for (unsigned c = 0; c < chars; c++) {
		const uint8_t *p = &v->vram[plane_offset(s, ma_row + c, rs) * 4];
		if (shift256) {
			for (int i = 0; i < 4; i++)
				*line++ = dac_rgb[p[i]];
		} else if (interleave) {
			for (int half = 0; half < 2; half++) {
				uint8_t lo = p[half], hi = p[half + 2];
				for (int i = 0; i < 4; i++) {
					unsigned sh = 6 - 2 * i;
					unsigned px = (lo >> sh & 3) | (hi >> sh & 3) << 2;
					*line++ = attr_rgb[px & enable];
				}
			}
		} else {
			for (int i = 7; i >= 0; i--) {
				unsigned px = (p[0] >> i & 1) | (p[1] >> i & 1) << 1 |
					      (p[2] >> i & 1) << 2 | (p[3] >> i & 1) << 3;
				*line++ = attr_rgb[px & enable];
			}
		}
	}
}

static void render_planar(const struct vga *v, uint32_t *pix, int *w, int *h)
{
	bool shift256 = v->gc[5] & 0x40;
	unsigned ppc = shift256 ? 4 : 8;	/* pixels per character clock */
	unsigned chars = v->crtc[1] + 1u;
	unsigned lines = vga_vde(v) + 1;
	unsigned dbl = v->crtc[9] & 0x80 ? 2 : 1, rows = (v->crtc[9] & 0x1f) + 1u;
	/* Lines of one character row repeat the same memory unless the CGA
	 * or Hercules bank bits vary them: show each such row once. */
	bool banks = (v->crtc[0x17] & 3) != 3;
	unsigned ydiv = banks ? dbl : dbl * rows;
	if (chars * ppc > VGA_RENDER_MAX_W - 8)
		chars = (VGA_RENDER_MAX_W - 8) / ppc;
	unsigned width = chars * ppc, height = lines / ydiv;
	if (height == 0)
		height = 1;
	if (height > VGA_RENDER_MAX_H)
		height = VGA_RENDER_MAX_H;
	*w = (int)width;
	*h = (int)height;
	if ((v->seq[1] & 0x20) || !(v->attr_idx & 0x20)) {
		memset(pix, 0, (size_t)width * height * sizeof(*pix));
		return;
	}
	uint32_t attr_rgb[16], dac_rgb[256];
	for (int i = 0; i < 16; i++)
		attr_rgb[i] = vga_attr_rgb(v, (unsigned)i);
	for (int i = 0; i < 256; i++)
		dac_rgb[i] = vga_dac_rgb(v, (unsigned)i);
	struct scan s = {
		.dword = v->crtc[0x14] & 0x40,
		.word = !(v->crtc[0x17] & 0x40),
		.word_bit = v->crtc[0x17] & 0x20 ? 15 : 13,
		.cga_bank = !(v->crtc[0x17] & 1),
		.herc_bank = !(v->crtc[0x17] & 2),
	};
	unsigned stride = v->crtc[0x13] * 2u;
	unsigned start = v->crtc[0x0c] << 8 | v->crtc[0x0d];
	unsigned lc = v->crtc[0x18] | (v->crtc[7] & 0x10) << 4 | (v->crtc[9] & 0x40) << 3;
	/* Pixel panning: in dots, halved in 256-colour modes. */
	unsigned pan = v->attr[0x13] & 7;
	if (shift256)
		pan >>= 1;
	uint32_t line[VGA_RENDER_MAX_W + 16];
	unsigned ma_row = start, sub = 0, per_row = dbl * rows;
	for (unsigned sl = 0; sl < lines; sl++) {
		if (sl % ydiv == 0 && sl / ydiv < height) {
			scan_line(v, &s, attr_rgb, dac_rgb, ma_row, sub / dbl, chars + 1, line);
			memcpy(pix + (size_t)(sl / ydiv) * width, line + pan,
			       width * sizeof(*pix));
		}
		if (sl == lc) {
			ma_row = 0;
			sub = 0;
			/* Pixel panning mode: the split part does not pan. */
			if (v->attr[0x10] & 0x20)
				pan = 0;
			continue;
		}
		if (++sub >= per_row) {
			sub = 0;
			ma_row += stride;
		}
	}
}

bool vga_render(struct vga *v, uint32_t *pix, int *w, int *h)
{
	if (v->vbe[VBE_ENABLE] & VBE_ENABLED) {
		render_vbe(v, pix, w, h);
		return true;
	}
	if (!(v->attr[0x10] & 1))
		return false;
	render_planar(v, pix, w, h);
	return true;
}
