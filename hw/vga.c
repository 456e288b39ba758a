/* VGA, text modes.  Registers are stored as the guest wrote them and read
 * back; only the ones that shape a text screen are interpreted, when the
 * frontend asks for a snapshot. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hw/clock.h"
#include "hw/ioport.h"
#include "hw/memory.h"
#include "hw/vga.h"
#include "util/snapshot.h"

#define NCRTC 25
#define NSEQ 5
#define NGC 9
#define NATTR 21
#define WINDOW 0x8000		/* each text window is 32 KiB */
/* 31.469 kHz horizontal rate of the 640/720-dot modes. */
#define LINE_PS 31777557ull

struct vga {
	struct clock *clk;
	struct mem *mem;
	bool mono_default;
	uint8_t misc, feature, vse;
	uint8_t seq_idx, seq[NSEQ];
	uint8_t crtc_idx, crtc[NCRTC];
	uint8_t gc_idx, gc[NGC];
	uint8_t attr_idx;	/* bit 5: palette address source (screen on) */
	bool attr_data_next;	/* the 3C0h flip-flop */
	uint8_t attr[NATTR];
	uint8_t dac[256][3];
	uint8_t dac_mask, dac_widx, dac_ridx, dac_comp;
	uint8_t dac_wbuf[3];
	bool dac_reading;	/* last index write was 3C7h (3C7h reads 3) */
	uint64_t gen;
	uint32_t last_sum;
	uint8_t vram[VGA_VRAM_SIZE];
};

static const uint8_t crtc_mode3[NCRTC] = {
	0x5f, 0x4f, 0x50, 0x82, 0x55, 0x81, 0xbf, 0x1f, 0x00, 0x4f, 0x0d, 0x0e, 0x00,
	0x00, 0x00, 0x00, 0x9c, 0x8e, 0x8f, 0x28, 0x1f, 0x96, 0xb9, 0xa3, 0xff,
};
static const uint8_t attr_mode3[NATTR] = {
	0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x14, 0x07, 0x38, 0x39, 0x3a, 0x3b, 0x3c,
	0x3d, 0x3e, 0x3f, 0x0c, 0x00, 0x0f, 0x08, 0x00,
};
static const uint8_t attr_mode7[NATTR] = {
	0x00, 0x08, 0x08, 0x08, 0x08, 0x08, 0x08, 0x08, 0x10, 0x18, 0x18, 0x18, 0x18,
	0x18, 0x18, 0x18, 0x0e, 0x00, 0x0f, 0x08, 0x00,
};
static const uint8_t seq_text[NSEQ] = { 0x03, 0x00, 0x03, 0x00, 0x02 };
static const uint8_t gc_mode3[NGC] = { 0, 0, 0, 0, 0, 0x10, 0x0e, 0x00, 0xff };
static const uint8_t gc_mode7[NGC] = { 0, 0, 0, 0, 0, 0x10, 0x0a, 0x00, 0xff };

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

static uint8_t input_status1(struct vga *v)
{
	unsigned vtotal = v->crtc[6] | (v->crtc[7] & 1) << 8 | (v->crtc[7] & 0x20) << 4;
	unsigned vde = v->crtc[0x12] | (v->crtc[7] & 2) << 7 | (v->crtc[7] & 0x40) << 3;
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
		return v->crtc_idx < NCRTC ? v->crtc[v->crtc_idx] : 0xff;
	case 0x3ba: case 0x3da:
		return input_status1(v);
	case 0x3c0:
		return v->attr_idx;
	case 0x3c1:
		return (v->attr_idx & 0x1f) < NATTR ? v->attr[v->attr_idx & 0x1f] : 0;
	case 0x3c2:
		return 0x10;	/* switch sense: a colour monitor is attached */
	case 0x3c3:
		return v->vse;
	case 0x3c4:
		return v->seq_idx;
	case 0x3c5:
		return v->seq_idx < NSEQ ? v->seq[v->seq_idx] : 0xff;
	case 0x3c6:
		return v->dac_mask;
	case 0x3c7:
		return v->dac_reading ? 3 : 0;
	case 0x3c8:
		return v->dac_widx;
	case 0x3c9: {
		uint8_t c = v->dac[v->dac_ridx][v->dac_comp];
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
		return v->gc_idx < NGC ? v->gc[v->gc_idx] : 0xff;
	default:
		return 0xff;
	}
}

static void crtc_write(struct vga *v, uint8_t val)
{
	uint8_t i = v->crtc_idx;
	if (i >= NCRTC)
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
		} else if ((v->attr_idx & 0x1f) < NATTR) {
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
		if (v->seq_idx < NSEQ)
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
		v->dac_wbuf[v->dac_comp] = val & 0x3f;
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
		if (v->gc_idx < NGC)
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

struct geometry {
	int cols, rows, stride;
	unsigned start, base;
};

static void geometry(const struct vga *v, struct geometry *g)
{
	unsigned vde = v->crtc[0x12] | (v->crtc[7] & 2) << 7 | (v->crtc[7] & 0x40) << 3;
	unsigned ch = (v->crtc[9] & 0x1f) + 1;
	unsigned lines = vde + 1;
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
	g->base = is_color(v) ? WINDOW : 0;
}

/* Byte offset in vram of character cell n (counted from address 0). */
static unsigned cell_offset(const struct geometry *g, unsigned n)
{
	return g->base + (n * 2 & (WINDOW - 1));
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
	out->graphics = v->attr[0x10] & 1;
	out->blank = (v->seq[1] & 0x20) || !(v->attr_idx & 0x20);
	for (int r = 0; r < g.rows; r++) {
		for (int c = 0; c < g.cols; c++) {
			unsigned off = cell_offset(&g, g.start + r * g.stride + c);
			out->cells[r * g.cols + c] = v->vram[off] | v->vram[off + 1] << 8;
		}
	}
	unsigned cur = v->crtc[0x0e] << 8 | v->crtc[0x0f];
	unsigned rel = (cur - g.start) & 0xffff;
	out->cursor_row = cur >= g.start ? (int)(rel / g.stride) : -1;
	out->cursor_col = cur >= g.start ? (int)(rel % g.stride) : -1;
	out->cursor_start = v->crtc[0x0a] & 0x1f;
	out->cursor_end = v->crtc[0x0b] & 0x1f;
	out->cursor_visible = !(v->crtc[0x0a] & 0x20) && out->cursor_start <= out->cursor_end;
	out->blink = v->attr[0x10] & 0x08;
	for (int i = 0; i < 16; i++) {
		uint8_t p = v->attr[i] & 0x3f & (v->attr[0x12] | 0x30);
		unsigned idx;
		if (v->attr[0x10] & 0x80)
			idx = (v->attr[0x14] & 0x0f) << 4 | (p & 0x0f);
		else
			idx = (v->attr[0x14] & 0x0c) << 4 | p;
		idx &= v->dac_mask;
		uint32_t rgb = 0;
		for (int k = 0; k < 3; k++) {
			uint8_t c = v->dac[idx][k] & 0x3f;
			rgb = rgb << 8 | (uint8_t)(c << 2 | c >> 4);
		}
		out->palette[i] = rgb;
	}
}

uint64_t vga_generation(struct vga *v)
{
	struct geometry g;
	geometry(v, &g);
	/* FNV-1a over the visible cells: cheap next to rendering them. */
	uint32_t h = 2166136261u;
	for (int r = 0; r < g.rows; r++) {
		for (int c = 0; c < g.cols; c++) {
			unsigned off = cell_offset(&g, g.start + r * g.stride + c);
			h = (h ^ v->vram[off]) * 16777619u;
			h = (h ^ v->vram[off + 1]) * 16777619u;
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

static void vga_reset(void *opaque)
{
	struct vga *v = opaque;
	bool mono = v->mono_default;
	memcpy(v->crtc, crtc_mode3, NCRTC);
	if (mono)
		v->crtc[0x14] = 0x0d;	/* underline on scan line 13 */
	memcpy(v->seq, seq_text, NSEQ);
	memcpy(v->gc, mono ? gc_mode7 : gc_mode3, NGC);
	memcpy(v->attr, mono ? attr_mode7 : attr_mode3, NATTR);
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
	/* Blank screen: spaces in light grey on black. */
	for (unsigned i = 0; i < VGA_VRAM_SIZE; i += 2) {
		v->vram[i] = 0x20;
		v->vram[i + 1] = 0x07;
	}
	v->gen++;
}

struct vga *vga_new(struct ioport_bus *io, struct mem *mem, struct clock *clk, bool mono)
{
	struct vga *v = calloc(1, sizeof(*v));
	if (!v)
		return NULL;
	v->clk = clk;
	v->mem = mem;
	v->mono_default = mono;
	if (ioport_register(io, 0x3b0, 0x30, &vga_ops, v) < 0)
		goto fail;
	if (mem && (mem_map_host(mem, 0xb0000, WINDOW, v->vram, true) < 0 ||
		    mem_map_host(mem, 0xb8000, WINDOW, v->vram + WINDOW, true) < 0))
		goto fail;
	vga_reset(v);
	return v;
fail:
	free(v);
	return NULL;
}

static void vga_save(void *opaque, struct snap *s)
{
	struct vga *v = opaque;
	snap_put_u8(s, v->misc);
	snap_put_u8(s, v->feature);
	snap_put_u8(s, v->vse);
	snap_put_u8(s, v->seq_idx);
	snap_put_bytes(s, v->seq, NSEQ);
	snap_put_u8(s, v->crtc_idx);
	snap_put_bytes(s, v->crtc, NCRTC);
	snap_put_u8(s, v->gc_idx);
	snap_put_bytes(s, v->gc, NGC);
	snap_put_u8(s, v->attr_idx);
	snap_put_u8(s, v->attr_data_next);
	snap_put_bytes(s, v->attr, NATTR);
	snap_put_bytes(s, v->dac, sizeof(v->dac));
	snap_put_u8(s, v->dac_mask);
	snap_put_u8(s, v->dac_widx);
	snap_put_u8(s, v->dac_ridx);
	snap_put_u8(s, v->dac_comp);
	snap_put_bytes(s, v->dac_wbuf, 3);
	snap_put_u8(s, v->dac_reading);
	snap_put_bytes(s, v->vram, VGA_VRAM_SIZE);
}

static int vga_load(void *opaque, struct snap *s)
{
	struct vga *v = opaque;
	v->misc = snap_get_u8(s);
	v->feature = snap_get_u8(s);
	v->vse = snap_get_u8(s);
	v->seq_idx = snap_get_u8(s);
	snap_get_bytes(s, v->seq, NSEQ);
	v->crtc_idx = snap_get_u8(s);
	snap_get_bytes(s, v->crtc, NCRTC);
	v->gc_idx = snap_get_u8(s);
	snap_get_bytes(s, v->gc, NGC);
	v->attr_idx = snap_get_u8(s) & 0x3f;
	v->attr_data_next = snap_get_u8(s);
	snap_get_bytes(s, v->attr, NATTR);
	snap_get_bytes(s, v->dac, sizeof(v->dac));
	v->dac_mask = snap_get_u8(s);
	v->dac_widx = snap_get_u8(s);
	v->dac_ridx = snap_get_u8(s);
	v->dac_comp = snap_get_u8(s);
	snap_get_bytes(s, v->dac_wbuf, 3);
	v->dac_reading = snap_get_u8(s);
	snap_get_bytes(s, v->vram, VGA_VRAM_SIZE);
	if (!snap_ok(s) || v->dac_comp > 2)
		return -EINVAL;
	v->gen++;
	return 0;
}

static void vga_free(void *opaque)
{
	/* The windows stay in the memory map: the board frees the address
	 * space with the devices, and mem may already be gone here. */
	free(opaque);
}

const struct device_desc vga_desc = {
	.name = "vga",
	.reset = vga_reset,
	.save = vga_save,
	.load = vga_load,
	.free = vga_free,
};
