/* Instruction decoding: prefixes, ModRM, 16-bit effective addresses and
 * immediates into a struct insn, driven by a per-opcode attribute table.
 * Each instruction decoded whole from a page's host pointer is also kept
 * in the decode cache (x86i_priv.h, x86i_dcache_issue). */
#include <stdlib.h>
#include <string.h>

#include "cpu/x86-interp/x86i_priv.h"

void x86i_build_attr(uint8_t *a, uint32_t feat)
{
	for (int op = 0; op < 256; op++)
		a[op] = 0;
	for (int op = 0; op < 0x40; op++) {
		int lo = op & 7;
		if (lo < 4)
			a[op] = A_M;
		else if (lo == 4)
			a[op] = A_I8;
		else if (lo == 5)
			a[op] = A_I16;
	}
	a[0x26] = a[0x2e] = a[0x36] = a[0x3e] = A_PFX;
	a[0x27] = a[0x2f] = a[0x37] = a[0x3f] = 0;
	for (int op = 0x60; op < 0x80; op++)
		a[op] = A_I8;		/* 8086: 60-6F alias the Jcc 70-7F */
	a[0x80] = a[0x82] = a[0x83] = A_M | A_I8;
	a[0x81] = A_M | A_I16;
	for (int op = 0x84; op < 0x90; op++)
		a[op] = A_M;
	a[0x9a] = A_I32;
	a[0xa0] = a[0xa1] = a[0xa2] = a[0xa3] = A_I16;
	a[0xa8] = A_I8;
	a[0xa9] = A_I16;
	for (int op = 0xb0; op < 0xb8; op++)
		a[op] = A_I8;
	for (int op = 0xb8; op < 0xc0; op++)
		a[op] = A_I16;
	/* 8086: C0/C1/C8/C9 alias C2/C3/CA/CB. */
	a[0xc0] = a[0xc2] = a[0xc8] = a[0xca] = A_I16;
	a[0xc4] = a[0xc5] = A_M;
	a[0xc6] = A_M | A_I8;
	a[0xc7] = A_M | A_I16;
	a[0xcd] = A_I8;
	a[0xd0] = a[0xd1] = a[0xd2] = a[0xd3] = A_M;
	a[0xd4] = a[0xd5] = A_I8;
	for (int op = 0xd8; op < 0xe0; op++)
		a[op] = A_M;
	for (int op = 0xe0; op < 0xe8; op++)
		a[op] = A_I8;
	a[0xe8] = a[0xe9] = A_I16;
	a[0xea] = A_I32;
	a[0xeb] = A_I8;
	a[0xf0] = a[0xf1] = a[0xf2] = a[0xf3] = A_PFX;
	a[0xf6] = a[0xf7] = A_M | A_GRP3;
	a[0xfe] = a[0xff] = A_M;

	if (feat & CPUF_186_OPS) {
		for (int op = 0x60; op < 0x70; op++)
			a[op] = 0;
		a[0x62] = A_M;
		a[0x68] = A_I16;
		a[0x69] = A_M | A_I16;
		a[0x6a] = A_I8;
		a[0x6b] = A_M | A_I8;
		a[0xc0] = a[0xc1] = A_M | A_I8;
		a[0xc8] = A_I16 | A_I8;
		a[0xc9] = 0;
	}
	if (feat & CPUF_PROT) {
		a[0x0f] = A_0F;
		a[0x63] = A_M;
	}
	if (feat & CPUF_386) {
		/* FS/GS overrides, operand and address size prefixes;
		 * immediates of the operand size. */
		a[0x64] = a[0x65] = a[0x66] = a[0x67] = A_PFX;
		for (int op = 0; op < 0x40; op++)
			if ((op & 7) == 5)
				a[op] = A_IV;
		a[0x68] = A_IV;
		a[0x69] = A_M | A_IV;
		a[0x81] = A_M | A_IV;
		a[0xa9] = A_IV;
		for (int op = 0xb8; op < 0xc0; op++)
			a[op] = A_IV;
		a[0xc7] = A_M | A_IV;
		a[0xe8] = a[0xe9] = A_IV;
	}
}

/* EA clocks of the 8086 per rm (mod 0 with rm 6 is the direct address). */
static const uint8_t ea_base_clk[8] = { 7, 8, 8, 7, 5, 5, 5, 5 };
/* 16-bit addressing per rm: the registers summed (-1: none). */
static const int8_t rm16_base[8] = { X86_RBX, X86_RBX, X86_RBP, X86_RBP,
				     X86_RSI, X86_RDI, X86_RBP, X86_RBX };
static const int8_t rm16_index[8] = { X86_RSI, X86_RDI, X86_RSI, X86_RDI, -1, -1, -1, -1 };

/* An effective address as decoding leaves it: the registers it adds and
 * the displacement (what the decode cache keeps to compute it again). */
struct ea_recipe {
	int8_t base, index;	/* -1: none */
	uint8_t scale;
	uint32_t disp;
};

static inline uint32_t ea_eval(struct x86i_cpu *c, const struct ea_recipe *r, unsigned asz)
{
	return x86i_ea_eval(c, r->base, r->index, r->scale, r->disp, asz);
}

/* Bytes come from a host pointer to CS:IP while the instruction stays in
 * one page and does not wrap the segment (the common case), else one by
 * one through the memory accessors. */
static inline uint8_t fetch8(struct x86i_cpu *c, struct insn *i, const uint8_t *fp,
			     unsigned flim)
{
	uint8_t b;

	if (i->len < flim)
		b = fp[i->len];
	else if (c->s->seg[X86_CS].attr & 0x4000)
		b = prd8(c, lin(c, X86_CS, i->ip0 + i->len));
	else
		b = prd8(c, lin(c, X86_CS, (uint16_t)(i->ip0 + i->len)));
	i->len++;
	return b;
}

static inline uint16_t fetch16(struct x86i_cpu *c, struct insn *i, const uint8_t *fp,
			       unsigned flim)
{
	uint16_t lo = fetch8(c, i, fp, flim);
	return lo | (uint16_t)fetch8(c, i, fp, flim) << 8;
}

static void decode_modrm(struct x86i_cpu *c, struct insn *i, struct ea_recipe *r,
			 const uint8_t *fp, unsigned flim)
{
	uint8_t m = fetch8(c, i, fp, flim);
	int seg = X86_DS;
	unsigned clks;

	i->modrm = m;
	i->mod = m >> 6;
	i->reg = (m >> 3) & 7;
	i->rm = m & 7;
	if (i->mod == 3)
		return;
	if (i->mod == 0 && i->rm == 6) {
		r->disp = fetch16(c, i, fp, flim);
		clks = 6;
	} else {
		r->base = rm16_base[i->rm];
		r->index = rm16_index[i->rm];
		if (i->rm == 2 || i->rm == 3 || i->rm == 6)
			seg = X86_SS;
		clks = ea_base_clk[i->rm];
		if (i->mod == 1) {
			r->disp = (uint16_t)(int8_t)fetch8(c, i, fp, flim);
			clks += 4;
		} else if (i->mod == 2) {
			r->disp = fetch16(c, i, fp, flim);
			clks += 4;
		}
	}
	if (i->ovr >= 0) {
		seg = i->ovr;
		clks += 2;
	}
	i->ea = ea_eval(c, r, 2);
	i->seg = (uint8_t)seg;
	c->last_ea = (uint16_t)i->ea;
	if (c->t->ea_clocks)
		clk(c, clks);
}

static inline uint32_t fetch32(struct x86i_cpu *c, struct insn *i, const uint8_t *fp,
			       unsigned flim)
{
	uint32_t lo = fetch16(c, i, fp, flim);
	return lo | (uint32_t)fetch16(c, i, fp, flim) << 16;
}

/* 32-bit addressing: SIB, no EA clocks (80386+). */
static void decode_modrm32(struct x86i_cpu *c, struct insn *i, struct ea_recipe *r,
			   const uint8_t *fp, unsigned flim)
{
	uint8_t m = fetch8(c, i, fp, flim);
	int seg = X86_DS, base;

	i->modrm = m;
	i->mod = m >> 6;
	i->reg = (m >> 3) & 7;
	i->rm = m & 7;
	if (i->mod == 3)
		return;
	base = i->rm;
	if (i->rm == 4) {
		uint8_t sib = fetch8(c, i, fp, flim);
		int idx = (sib >> 3) & 7;
		base = sib & 7;
		if (idx != 4) {
			r->index = (int8_t)idx;
			r->scale = sib >> 6;
		}
		if (base == 5 && i->mod == 0) {
			r->disp = fetch32(c, i, fp, flim);
			base = -1;
		}
	} else if (i->rm == 5 && i->mod == 0) {
		r->disp = fetch32(c, i, fp, flim);
		base = -1;
	}
	if (base >= 0) {
		r->base = (int8_t)base;
		if (base == X86_RSP || base == X86_RBP)
			seg = X86_SS;
	}
	if (i->mod == 1)
		r->disp += (uint32_t)(int8_t)fetch8(c, i, fp, flim);
	else if (i->mod == 2)
		r->disp += fetch32(c, i, fp, flim);
	if (i->ovr >= 0)
		seg = i->ovr;
	i->ea = ea_eval(c, r, 4);
	i->seg = (uint8_t)seg;
}

/* A long run of prefixes is legal on the 8086; cap it so a segment full of
 * them cannot hang one step. */
#define MAX_PREFIXES 4096

int x86i_dcache_new(struct x86i_cpu *c)
{
	c->dc = aligned_alloc(64, X86I_DCACHE * sizeof(*c->dc));
	if (!c->dc)
		return -1;
	memset(c->dc, 0, X86I_DCACHE * sizeof(*c->dc));
	for (int k = 0; k < X86I_DCACHE; k++)
		c->dc[k].big = 2;
	return 0;
}

/* Keeps what x86i_decode made of the instruction at linear address at,
 * whose bytes p points to, for x86i_dcache_issue; pre_clk: the clocks its
 * decoding charged. */
static void dcache_fill(struct x86i_cpu *c, const struct insn *i, const struct ea_recipe *r,
			uint32_t at, int big, const uint8_t *p, unsigned pre_clk)
{
	struct x86i_dcache *d = &c->dc[x86i_dcache_slot(at)];
	unsigned base = c->t->base[i->op][(c->attr[i->op] & A_M) && i->mod != 3];

	if (pre_clk + base > 0xff)
		return;
	memcpy(&d->b0, p, 8);
	memcpy(&d->b1, p + 8, 8);
	d->in = *i;
	d->disp = r->disp;
	d->base = r->base;
	d->index = r->index;
	d->scale = r->scale;
	d->big = (uint8_t)big;
	d->clk = (uint8_t)(pre_clk + base);
}

int x86i_decode(struct x86i_cpu *c, struct insn *i)
{
	const uint8_t *attr = c->attr;
	uint8_t op, a;
	int npfx = 0, big = 0;
	uint32_t eip = ip(c), at = lin(c, X86_CS, eip);
	unsigned off = at & (MEM_PAGE_SIZE - 1);
	unsigned flim = MEM_PAGE_SIZE - off;
	const uint8_t *fp = pce(c, at)->rd;
	struct ea_recipe r = { -1, -1, 0, 0 };
	uint64_t clk0 = c->s->cycles;

	/* A 32-bit code segment (D bit) starts with 32-bit sizes. */
	if (c->s->seg[X86_CS].attr & 0x4000)
		big = 1;
	if (!fp)
		flim = 0;
	else
		fp += off;
	if (!big && 0x10000u - eip < flim)
		flim = 0x10000u - eip;
	i->ip0 = eip;
	i->ovr = -1;
	i->rep = 0;
	i->lock = 0;
	i->len = 0;
	i->mod = 3;
	i->osz = i->asz = big ? 4 : 2;
	for (;;) {
		op = fetch8(c, i, fp, flim);
		a = attr[op];
		if (!(a & A_PFX) || ++npfx > MAX_PREFIXES)
			break;
		clk(c, c->t->prefix);
		switch (op) {
		case 0x26: i->ovr = X86_ES; break;
		case 0x2e: i->ovr = X86_CS; break;
		case 0x36: i->ovr = X86_SS; break;
		case 0x3e: i->ovr = X86_DS; break;
		case 0x64: i->ovr = X86_FS; break;
		case 0x65: i->ovr = X86_GS; break;
		case 0x66: i->osz = big ? 2 : 4; break;
		case 0x67: i->asz = big ? 2 : 4; break;
		case 0xf2: case 0xf3: i->rep = op; break;
		default: i->lock = 1; break;
		}
	}
	if (a & A_0F) {
		i->op2 = fetch8(c, i, fp, flim);
		a = c->attr0f[i->op2];
	}
	i->op = op;
	i->op_ip = i->ip0 + i->len - 1;
	i->seg = i->ovr >= 0 ? (uint8_t)i->ovr : X86_DS;
	if (a & A_M) {
		if (i->asz == 4)
			decode_modrm32(c, i, &r, fp, flim);
		else
			decode_modrm(c, i, &r, fp, flim);
	}
	if (a & A_GRP3) {
		if (i->reg < 2)
			i->imm = !(op & 1) ? fetch8(c, i, fp, flim) :
				 i->osz == 4 ? fetch32(c, i, fp, flim) : fetch16(c, i, fp, flim);
	} else if (a & A_I32) {
		i->imm = i->osz == 4 ? fetch32(c, i, fp, flim) : fetch16(c, i, fp, flim);
		i->imm2 = fetch16(c, i, fp, flim);
	} else if (a & A_IV) {
		i->imm = i->osz == 4 ? fetch32(c, i, fp, flim) : fetch16(c, i, fp, flim);
		if (a & A_I8)
			i->imm2 = fetch8(c, i, fp, flim);
	} else if (a & A_I16) {
		/* moffs (A0-A3) follows the address size. */
		if (i->asz == 4 && op >= 0xa0 && op <= 0xa3 && !(a & A_0F))
			i->imm = fetch32(c, i, fp, flim);
		else
			i->imm = fetch16(c, i, fp, flim);
		if (a & A_I8)
			i->imm2 = fetch8(c, i, fp, flim);
	} else if (a & A_I8) {
		i->imm = fetch8(c, i, fp, flim);
	}
	if (c->segchk) {
		/* 80286: at most 10 bytes (80386: 15), inside the segment. */
		if (i->len > c->max_len ||
		    (uint64_t)i->ip0 + i->len - 1 > c->s->seg[X86_CS].limit)
			x86i_raise(c, 13, 0);
	}
	set_ip(c, big ? i->ip0 + i->len : (uint16_t)(i->ip0 + i->len));
	if (i->len <= flim && i->len < 16 && off <= MEM_PAGE_SIZE - 16)
		dcache_fill(c, i, &r, at, big, fp, (unsigned)(c->s->cycles - clk0));
	return 0;
}

int x86i_length(const uint8_t *attr, const uint8_t *buf, int n)
{
	int p = 0;
	uint8_t a, op;

	do {
		if (p >= n)
			return -1;
		op = buf[p++];
		a = attr[op];
	} while (a & A_PFX);
	if (a & A_M) {
		uint8_t m, mod, rm;
		if (p >= n)
			return -1;
		m = buf[p++];
		mod = m >> 6;
		rm = m & 7;
		if (mod == 1)
			p += 1;
		else if (mod == 2 || (mod == 0 && rm == 6))
			p += 2;
		if ((a & A_GRP3) && ((m >> 3) & 7) < 2)
			p += op & 1 ? 2 : 1;
	}
	if (a & A_I32)
		p += 4;
	else if (a & A_I16)
		p += a & A_I8 ? 3 : 2;
	else if (a & A_I8)
		p += 1;
	return p <= n ? p : -1;
}
