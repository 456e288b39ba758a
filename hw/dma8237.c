/* 8237A DMA controller pair and the 74LS612 page registers. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hw/dma8237.h"
#include "hw/ioport.h"
#include "hw/memory.h"
#include "util/snapshot.h"

enum {
	MODE_TYPE_MASK = 0x0c, MODE_VERIFY = 0x00, MODE_WRITE = 0x04, MODE_READ = 0x08,
	MODE_AUTOINIT = 0x10, MODE_DECREMENT = 0x20,
	MODE_SEL_MASK = 0xc0, MODE_CASCADE = 0xc0,
	CMD_DISABLE = 0x04,
};

struct dma_ctrl {
	uint16_t base_addr[4], base_count[4];
	uint16_t cur_addr[4], cur_count[4];
	uint8_t mode[4];
	uint8_t cmd, status, mask, request, temp;
	uint8_t flipflop;
	uint8_t tc_last;	/* bit n: channel n hit TC in its last transfer */
};

struct dma {
	struct mem *mem;
	bool second;
	struct dma_ctrl c[2];
	uint8_t page[16];	/* ports 80h-8Fh; [0] unused (POST port) */
};

/* Page register port (low nibble) of each channel. */
static const uint8_t page_port[8] = { 0x7, 0x3, 0x1, 0x2, 0xf, 0xb, 0x9, 0xa };

static void ctrl_reset(struct dma_ctrl *c)
{
	c->cmd = 0;
	c->status = 0;
	c->request = 0;
	c->temp = 0;
	c->flipflop = 0;
	c->mask = 0x0f;
	c->tc_last = 0;
}

static uint32_t ctrl_read(struct dma_ctrl *c, unsigned reg)
{
	if (reg < 8) {
		unsigned ch = reg >> 1;
		uint16_t v = (reg & 1) ? c->cur_count[ch] : c->cur_addr[ch];
		uint8_t b = c->flipflop ? v >> 8 : v & 0xff;
		c->flipflop ^= 1;
		return b;
	}
	switch (reg) {
	case 8: {
		/* Reading status clears the TC bits; request bits stay. */
		uint8_t s = (uint8_t)((c->status & 0x0f) | (c->request & 0x0f) << 4);
		c->status &= ~0x0f;
		return s;
	}
	case 0xd:
		return c->temp;
	case 0xf:
		/* The 82374/PIIX-era chips read back the mask here. */
		return 0xf0 | c->mask;
	default:
		return 0xff;
	}
}

static void ctrl_write(struct dma_ctrl *c, unsigned reg, uint8_t v)
{
	if (reg < 8) {
		unsigned ch = reg >> 1;
		uint16_t *base = (reg & 1) ? &c->base_count[ch] : &c->base_addr[ch];
		uint16_t *cur = (reg & 1) ? &c->cur_count[ch] : &c->cur_addr[ch];
		if (c->flipflop)
			*base = (uint16_t)((*base & 0x00ff) | v << 8);
		else
			*base = (uint16_t)((*base & 0xff00) | v);
		*cur = *base;
		c->flipflop ^= 1;
		return;
	}
	switch (reg) {
	case 8:
		c->cmd = v;
		break;
	case 9:
		if (v & 4)
			c->request |= (uint8_t)(1u << (v & 3));
		else
			c->request &= (uint8_t)~(1u << (v & 3));
		break;
	case 0xa:
		if (v & 4)
			c->mask |= (uint8_t)(1u << (v & 3));
		else
			c->mask &= (uint8_t)~(1u << (v & 3));
		break;
	case 0xb:
		c->mode[v & 3] = v & 0xfc;
		break;
	case 0xc:
		c->flipflop = 0;
		break;
	case 0xd:
		ctrl_reset(c);
		break;
	case 0xe:
		c->mask = 0;
		break;
	case 0xf:
		c->mask = v & 0x0f;
		break;
	}
}

static uint32_t dma1_read(void *opaque, uint16_t port, int size)
{
	struct dma *d = opaque;
	return ctrl_read(&d->c[0], port & 0x0f);
}

static void dma1_write(void *opaque, uint16_t port, uint32_t val, int size)
{
	struct dma *d = opaque;
	ctrl_write(&d->c[0], port & 0x0f, (uint8_t)val);
}

static uint32_t dma2_read(void *opaque, uint16_t port, int size)
{
	struct dma *d = opaque;
	if (port & 1)
		return 0xff;
	return ctrl_read(&d->c[1], (unsigned)(port - 0xc0) >> 1);
}

static void dma2_write(void *opaque, uint16_t port, uint32_t val, int size)
{
	struct dma *d = opaque;
	if (!(port & 1))
		ctrl_write(&d->c[1], (unsigned)(port - 0xc0) >> 1, (uint8_t)val);
}

static uint32_t page_read(void *opaque, uint16_t port, int size)
{
	struct dma *d = opaque;
	return d->page[port & 0x0f];
}

static void page_write(void *opaque, uint16_t port, uint32_t val, int size)
{
	struct dma *d = opaque;
	d->page[port & 0x0f] = (uint8_t)val;
}

static const struct ioport_ops dma1_ops = { .read = dma1_read, .write = dma1_write };
static const struct ioport_ops dma2_ops = { .read = dma2_read, .write = dma2_write };
static const struct ioport_ops page_ops = { .read = page_read, .write = page_write };

static bool channel_enabled(const struct dma *d, int ch)
{
	if (ch < 0 || ch > 7 || (ch >= 4 && !d->second))
		return false;
	const struct dma_ctrl *c = &d->c[ch >> 2];
	int n = ch & 3;
	if ((c->cmd & CMD_DISABLE) || (c->mask & (1u << n)))
		return false;
	if ((c->mode[n] & MODE_SEL_MASK) == MODE_CASCADE)
		return false;
	/* Controller 1 reaches the bus through channel 4 of controller 2. */
	if (ch < 4 && d->second) {
		const struct dma_ctrl *c2 = &d->c[1];
		if ((c2->cmd & CMD_DISABLE) || (c2->mask & 1))
			return false;
	}
	return true;
}

bool dma_ready(const struct dma *d, int ch)
{
	return channel_enabled(d, ch);
}

uint32_t dma_remaining(const struct dma *d, int ch)
{
	if (ch < 0 || ch > 7)
		return 0;
	uint32_t units = (uint32_t)d->c[ch >> 2].cur_count[ch & 3] + 1;
	return ch >= 4 ? units * 2 : units;
}

bool dma_tc(const struct dma *d, int ch)
{
	if (ch < 0 || ch > 7)
		return false;
	return d->c[ch >> 2].tc_last & (1u << (ch & 3));
}

/* Copies with RAM checks; bytes outside RAM read as all ones and writes to
 * them vanish, as on an ISA bus with nothing there. */
static void copy_to_mem(struct mem *m, uint32_t addr, const uint8_t *src, uint32_t n)
{
	if (mem_copy_to_guest(m, addr, src, n) == 0)
		return;
	for (uint32_t i = 0; i < n; i++)
		mem_copy_to_guest(m, addr + i, src + i, 1);
}

static void copy_from_mem(struct mem *m, uint8_t *dst, uint32_t addr, uint32_t n)
{
	if (mem_copy_from_guest(m, dst, addr, n) == 0)
		return;
	for (uint32_t i = 0; i < n; i++)
		if (mem_copy_from_guest(m, dst + i, addr + i, 1) < 0)
			dst[i] = 0xff;
}

/* Physical address of the channel's current unit: 8-bit channels wrap in
 * 64 KiB, 16-bit ones address words and wrap in 128 KiB (page bit 0 unused). */
static uint32_t phys_addr(const struct dma *d, int ch)
{
	const struct dma_ctrl *c = &d->c[ch >> 2];
	uint32_t page = d->page[page_port[ch]];
	uint32_t a = c->cur_addr[ch & 3];
	if (ch >= 4)
		return (page & 0xfe) << 16 | (a << 1);
	return page << 16 | a;
}

uint32_t dma_transfer(struct dma *d, int ch, void *buf, uint32_t len, enum dma_dir dir)
{
	if (!channel_enabled(d, ch))
		return 0;
	struct dma_ctrl *c = &d->c[ch >> 2];
	int n = ch & 3;
	uint32_t unit = ch >= 4 ? 2 : 1;
	uint8_t mode = c->mode[n];
	uint8_t type = mode & MODE_TYPE_MASK;
	bool move = (type == MODE_WRITE && dir == DMA_TO_MEM) ||
		    (type == MODE_READ && dir == DMA_FROM_MEM);
	uint32_t left = (uint32_t)c->cur_count[n] + 1;
	uint32_t want = len / unit;
	uint32_t units = want < left ? want : left;
	uint8_t *p = buf;
	uint32_t done = 0;

	c->tc_last &= (uint8_t)~(1u << n);
	while (done < units) {
		uint32_t chunk = 1;
		if (!(mode & MODE_DECREMENT)) {
			chunk = 0x10000u - c->cur_addr[n];
			if (chunk > units - done)
				chunk = units - done;
		}
		uint32_t bytes = chunk * unit;
		uint32_t pa = phys_addr(d, ch);
		if (move && dir == DMA_TO_MEM)
			copy_to_mem(d->mem, pa, p + done * unit, bytes);
		else if (move)
			copy_from_mem(d->mem, p + done * unit, pa, bytes);
		if (mode & MODE_DECREMENT)
			c->cur_addr[n]--;
		else
			c->cur_addr[n] = (uint16_t)(c->cur_addr[n] + chunk);
		c->cur_count[n] = (uint16_t)(c->cur_count[n] - chunk);
		done += chunk;
	}
	if (units && units == left) {
		c->status |= (uint8_t)(1u << n);
		c->tc_last |= (uint8_t)(1u << n);
		c->request &= (uint8_t)~(1u << n);
		if (mode & MODE_AUTOINIT) {
			c->cur_addr[n] = c->base_addr[n];
			c->cur_count[n] = c->base_count[n];
		} else {
			c->mask |= (uint8_t)(1u << n);
		}
	}
	return done * unit;
}

struct dma *dma_new(struct ioport_bus *io, struct mem *mem, bool second)
{
	struct dma *d = calloc(1, sizeof(*d));
	if (!d)
		return NULL;
	d->mem = mem;
	d->second = second;
	ctrl_reset(&d->c[0]);
	ctrl_reset(&d->c[1]);
	if (ioport_register(io, 0x00, 0x10, &dma1_ops, d) < 0 ||
	    ioport_register(io, 0x81, 0x0f, &page_ops, d) < 0 ||
	    (second && ioport_register(io, 0xc0, 0x20, &dma2_ops, d) < 0)) {
		free(d);
		return NULL;
	}
	return d;
}

static void dma_reset(void *dev)
{
	struct dma *d = dev;
	ctrl_reset(&d->c[0]);
	ctrl_reset(&d->c[1]);
	memset(d->page, 0, sizeof(d->page));
}

static void dma_save(void *dev, struct snap *s)
{
	struct dma *d = dev;
	for (int i = 0; i < 2; i++) {
		struct dma_ctrl *c = &d->c[i];
		for (int n = 0; n < 4; n++) {
			snap_put_u16(s, c->base_addr[n]);
			snap_put_u16(s, c->base_count[n]);
			snap_put_u16(s, c->cur_addr[n]);
			snap_put_u16(s, c->cur_count[n]);
			snap_put_u8(s, c->mode[n]);
		}
		snap_put_u8(s, c->cmd);
		snap_put_u8(s, c->status);
		snap_put_u8(s, c->mask);
		snap_put_u8(s, c->request);
		snap_put_u8(s, c->temp);
		snap_put_u8(s, c->flipflop);
		snap_put_u8(s, c->tc_last);
	}
	snap_put_bytes(s, d->page, sizeof(d->page));
}

static int dma_load(void *dev, struct snap *s)
{
	struct dma *d = dev;
	for (int i = 0; i < 2; i++) {
		struct dma_ctrl *c = &d->c[i];
		for (int n = 0; n < 4; n++) {
			c->base_addr[n] = snap_get_u16(s);
			c->base_count[n] = snap_get_u16(s);
			c->cur_addr[n] = snap_get_u16(s);
			c->cur_count[n] = snap_get_u16(s);
			c->mode[n] = snap_get_u8(s) & 0xfc;
		}
		c->cmd = snap_get_u8(s);
		c->status = snap_get_u8(s);
		c->mask = snap_get_u8(s) & 0x0f;
		c->request = snap_get_u8(s) & 0x0f;
		c->temp = snap_get_u8(s);
		c->flipflop = snap_get_u8(s) & 1;
		c->tc_last = snap_get_u8(s) & 0x0f;
	}
	snap_get_bytes(s, d->page, sizeof(d->page));
	return snap_ok(s) ? 0 : -EINVAL;
}

static void dma_free(void *dev)
{
	free(dev);
}

const struct device_desc dma_desc = {
	.name = "i8237",
	.reset = dma_reset,
	.save = dma_save,
	.load = dma_load,
	.free = dma_free,
};
