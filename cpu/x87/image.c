/* Memory images of the FPU state: FSTENV/FLDENV, FNSAVE/FRSTOR in the
 * four layouts of the SDM (16/32-bit operand size x real/protected mode)
 * and the x87 part of FXSAVE.
 *
 * The state keeps selector:offset pointers in every mode.  Real-mode
 * images hold 20/32-bit linear addresses instead, built here as
 * (selector << 4) + offset; loading one back yields selector 0 and the
 * linear address as the offset, which stores back identically.
 * Reserved words of the 32-bit layouts are written as FFFFh, as the host
 * FPU used for the differential tests does.
 */
#include <string.h>

#include "cpu/x87/image.h"

static void put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v);
	put16(p + 2, v >> 16);
}

static uint32_t get16(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t get32(const uint8_t *p)
{
	return get16(p) | get16(p + 2) << 16;
}

struct x87_f80 x87_f80_get(const uint8_t b[10])
{
	struct x87_f80 v;

	v.m = (uint64_t)get32(b) | (uint64_t)get32(b + 4) << 32;
	v.se = (uint16_t)get16(b + 8);
	return v;
}

void x87_f80_put(uint8_t b[10], struct x87_f80 v)
{
	put32(b, (uint32_t)v.m);
	put32(b + 4, (uint32_t)(v.m >> 32));
	put16(b + 8, v.se);
}

static unsigned tag_of(struct x87_f80 v)
{
	unsigned e = v.se & 0x7fff;

	if (e == 0 && v.m == 0)
		return 1;			/* zero */
	if (e == 0 || e == 0x7fff || !(v.m >> 63))
		return 2;			/* special */
	return 0;				/* valid */
}

uint16_t x87_tag_word(const struct x87 *f)
{
	uint16_t tw = 0;

	for (int i = 0; i < 8; i++) {
		unsigned t = (f->valid >> i & 1) ? tag_of(f->st[i]) : 3;
		tw |= (uint16_t)(t << (2 * i));
	}
	return tw;
}

/* A tag of 11b empties a register; other tags are recomputed from the
 * register contents, as the 387 and later do. */
static void set_tags(struct x87 *f, uint16_t tw)
{
	f->valid = 0;
	for (int i = 0; i < 8; i++)
		if (((tw >> (2 * i)) & 3) != 3)
			f->valid |= (uint8_t)(1u << i);
}

static void update_es(struct x87 *f)
{
	if (f->sw & ~f->cw & 0x3f)
		f->sw |= X87_SW_ES | X87_SW_B;
	else
		f->sw &= (uint16_t)~(X87_SW_ES | X87_SW_B);
}

void x87_env_store(const struct x87 *f, const struct x87_ctx *ctx, uint8_t *out)
{
	uint32_t fop = f->fop & 0x7ff;
	uint16_t tw = x87_tag_word(f);

	if (!ctx->op32) {
		put16(out + 0, f->cw);
		put16(out + 2, f->sw);
		put16(out + 4, tw);
		if (ctx->pmode) {
			put16(out + 6, f->fip);
			put16(out + 8, f->fcs);
			put16(out + 10, f->fdp);
			put16(out + 12, f->fds);
		} else {
			uint32_t ip = ((uint32_t)f->fcs << 4) + f->fip;
			uint32_t dp = ((uint32_t)f->fds << 4) + f->fdp;
			put16(out + 6, ip);
			put16(out + 8, ((ip >> 16) & 0xf) << 12 | fop);
			put16(out + 10, dp);
			put16(out + 12, ((dp >> 16) & 0xf) << 12);
		}
		return;
	}
	put32(out + 0, 0xffff0000u | f->cw);
	put32(out + 4, 0xffff0000u | f->sw);
	put32(out + 8, 0xffff0000u | tw);
	if (ctx->pmode) {
		put32(out + 12, f->fip);
		put32(out + 16, fop << 16 | f->fcs);
		put32(out + 20, f->fdp);
		put32(out + 24, 0xffff0000u | f->fds);
	} else {
		uint32_t ip = ((uint32_t)f->fcs << 4) + f->fip;
		uint32_t dp = ((uint32_t)f->fds << 4) + f->fdp;
		put32(out + 12, 0xffff0000u | (ip & 0xffff));
		put32(out + 16, (ip >> 16) << 12 | fop);
		put32(out + 20, 0xffff0000u | (dp & 0xffff));
		put32(out + 24, (dp >> 16) << 12);
	}
}

void x87_env_load(struct x87 *f, const struct x87_ctx *ctx, const uint8_t *in)
{
	unsigned w = ctx->op32 ? 4 : 2;

	f->cw = (uint16_t)(get16(in) | 0x40);
	f->sw = (uint16_t)get16(in + w);
	set_tags(f, (uint16_t)get16(in + 2 * w));
	if (!ctx->op32) {
		if (ctx->pmode) {
			f->fip = get16(in + 6);
			f->fcs = (uint16_t)get16(in + 8);
			f->fdp = get16(in + 10);
			f->fds = (uint16_t)get16(in + 12);
		} else {
			uint32_t hi = get16(in + 8);
			f->fip = get16(in + 6) | (hi >> 12) << 16;
			f->fop = hi & 0x7ff;
			f->fdp = get16(in + 10) | (get16(in + 12) >> 12) << 16;
			f->fcs = f->fds = 0;
		}
	} else if (ctx->pmode) {
		f->fip = get32(in + 12);
		f->fcs = (uint16_t)get16(in + 16);
		f->fop = get16(in + 18) & 0x7ff;
		f->fdp = get32(in + 20);
		f->fds = (uint16_t)get16(in + 24);
	} else {
		uint32_t hi = get32(in + 16);
		f->fip = get16(in + 12) | ((hi >> 12) & 0xffff) << 16;
		f->fop = hi & 0x7ff;
		f->fdp = get16(in + 20) | ((get32(in + 24) >> 12) & 0xffff) << 16;
		f->fcs = f->fds = 0;
	}
	update_es(f);
}

static unsigned env_size(const struct x87_ctx *ctx)
{
	return ctx->op32 ? 28 : 14;
}

void x87_state_store(const struct x87 *f, const struct x87_ctx *ctx, uint8_t *out)
{
	unsigned top = (f->sw >> X87_SW_TOP_SHIFT) & 7;

	x87_env_store(f, ctx, out);
	out += env_size(ctx);
	for (unsigned i = 0; i < 8; i++)
		x87_f80_put(out + 10 * i, f->st[(top + i) & 7]);
}

void x87_state_load(struct x87 *f, const struct x87_ctx *ctx, const uint8_t *in)
{
	x87_env_load(f, ctx, in);
	unsigned top = (f->sw >> X87_SW_TOP_SHIFT) & 7;
	in += env_size(ctx);
	for (unsigned i = 0; i < 8; i++)
		f->st[(top + i) & 7] = x87_f80_get(in + 10 * i);
}

void x87_to_fxsave(const struct x87 *f, uint8_t img[512])
{
	unsigned top = (f->sw >> X87_SW_TOP_SHIFT) & 7;

	put16(img + 0, f->cw);
	put16(img + 2, f->sw);
	img[4] = f->valid;
	img[5] = 0;
	put16(img + 6, f->fop & 0x7ff);
	put32(img + 8, f->fip);
	put16(img + 12, f->fcs);
	put16(img + 14, 0);
	put32(img + 16, f->fdp);
	put16(img + 20, f->fds);
	put16(img + 22, 0);
	for (unsigned i = 0; i < 8; i++) {
		uint8_t *p = img + 32 + 16 * i;
		x87_f80_put(p, f->st[(top + i) & 7]);
		memset(p + 10, 0, 6);
	}
}

void x87_from_fxsave(struct x87 *f, const uint8_t img[512])
{
	f->cw = (uint16_t)(get16(img) | 0x40);
	f->sw = (uint16_t)get16(img + 2);
	f->valid = img[4];
	f->fop = get16(img + 6) & 0x7ff;
	f->fip = get32(img + 8);
	f->fcs = (uint16_t)get16(img + 12);
	f->fdp = get32(img + 16);
	f->fds = (uint16_t)get16(img + 20);
	unsigned top = (f->sw >> X87_SW_TOP_SHIFT) & 7;
	for (unsigned i = 0; i < 8; i++)
		f->st[(top + i) & 7] = x87_f80_get(img + 32 + 16 * i);
	update_es(f);
}
