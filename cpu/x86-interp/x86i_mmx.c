/* MMX (Pentium MMX, Pentium II): the eight 64-bit MM registers are the
 * mantissas of the x87 registers in the fxsave[] image.  An MMX
 * instruction makes the x87 stack top 0 (so MMi is image slot i), tags
 * every register valid and sets the written register's exponent to all
 * ones, as the hardware does; EMMS empties the tags.  FXSAVE/FXRSTOR
 * (Pentium II) copy the image. */
#include <string.h>

#include "cpu/x86-interp/x86i_priv.h"
#include "cpu/x86-interp/x86i_prot.h"

#define H(name) static void name(struct x86i_cpu *c, struct insn *i)

enum { FX_FSW = 2, FX_FTW = 4, FX_REGS = 32, CR0_EM = 4, CR0_TS = 8 };

static void mmx_check(struct x86i_cpu *c, struct insn *i)
{
	if (c->s->cr0 & CR0_EM)
		x86i_undefined(c, i);
	if (c->s->cr0 & CR0_TS)
		x86i_raise(c, X86I_NM, -1);
}

/* Makes TOP 0, rotating the stack-ordered image so register Ri stays
 * Ri, and tags all valid. */
static void mmx_enter(struct x86i_cpu *c)
{
	uint8_t *fx = c->s->fxsave;
	unsigned fsw = fx[FX_FSW] | fx[FX_FSW + 1] << 8, top = (fsw >> 11) & 7;

	if (top) {
		uint8_t tmp[8 * 16];
		for (unsigned j = 0; j < 8; j++)
			memcpy(tmp + 16 * j, fx + FX_REGS + 16 * ((j - top) & 7), 16);
		memcpy(fx + FX_REGS, tmp, sizeof(tmp));
		fsw &= ~(7u << 11);
		fx[FX_FSW] = (uint8_t)fsw;
		fx[FX_FSW + 1] = (uint8_t)(fsw >> 8);
	}
	fx[FX_FTW] = 0xff;
}

static uint64_t mm_get(struct x86i_cpu *c, int r)
{
	uint64_t v;

	memcpy(&v, c->s->fxsave + FX_REGS + 16 * r, 8);
	return v;
}

static void mm_set(struct x86i_cpu *c, int r, uint64_t v)
{
	uint8_t *p = c->s->fxsave + FX_REGS + 16 * r;

	memcpy(p, &v, 8);
	p[8] = p[9] = 0xff;	/* exponent and sign all ones */
}

/* The r/m operand: an MM register or 64 bits of memory. */
static uint64_t src64(struct x86i_cpu *c, struct insn *i)
{
	if (i->mod == 3)
		return mm_get(c, i->rm);
	return rd32(c, i->seg, i->ea) | (uint64_t)rd32(c, i->seg, i->ea + 4) << 32;
}

static uint64_t lane(uint64_t v, unsigned es, unsigned n)
{
	return (v >> (es * 8 * n)) & (es == 8 ? ~(uint64_t)0 : ((uint64_t)1 << (es * 8)) - 1);
}

static int64_t slane(uint64_t v, unsigned es, unsigned n)
{
	unsigned bits = es * 8;
	uint64_t x = lane(v, es, n);

	if (bits < 64 && (x >> (bits - 1)))
		x |= ~(uint64_t)0 << bits;
	return (int64_t)x;
}

static uint64_t put(uint64_t acc, unsigned es, unsigned n, uint64_t x)
{
	uint64_t m = es == 8 ? ~(uint64_t)0 : ((uint64_t)1 << (es * 8)) - 1;

	return acc | (x & m) << (es * 8 * n);
}

static int64_t sat_s(int64_t x, unsigned es)
{
	int64_t hi = ((int64_t)1 << (es * 8 - 1)) - 1, lo = -hi - 1;

	return x > hi ? hi : x < lo ? lo : x;
}

static int64_t sat_u(int64_t x, unsigned es)
{
	int64_t hi = ((int64_t)1 << (es * 8)) - 1;

	return x > hi ? hi : x < 0 ? 0 : x;
}

enum lop { L_ADD, L_ADDS, L_ADDUS, L_SUB, L_SUBS, L_SUBUS, L_CMPEQ, L_CMPGT, L_MULL, L_MULH };

static uint64_t lanes(uint64_t a, uint64_t b, unsigned es, enum lop op)
{
	uint64_t r = 0;

	for (unsigned n = 0; n < 8 / es; n++) {
		int64_t x = slane(a, es, n), y = slane(b, es, n);
		uint64_t ux = lane(a, es, n), uy = lane(b, es, n);
		int64_t v;
		switch (op) {
		case L_ADD: v = (int64_t)(ux + uy); break;
		case L_ADDS: v = sat_s(x + y, es); break;
		case L_ADDUS: v = sat_u((int64_t)(ux + uy), es); break;
		case L_SUB: v = (int64_t)(ux - uy); break;
		case L_SUBS: v = sat_s(x - y, es); break;
		case L_SUBUS: v = sat_u((int64_t)ux - (int64_t)uy, es); break;
		case L_CMPEQ: v = ux == uy ? -1 : 0; break;
		case L_CMPGT: v = x > y ? -1 : 0; break;
		case L_MULL: v = x * y; break;
		default: v = (x * y) >> 16; break;
		}
		r = put(r, es, n, (uint64_t)v);
	}
	return r;
}

/* Which lane operation and size each opcode is. */
static int arith_of(uint8_t op, enum lop *l, unsigned *es)
{
	static const struct { uint8_t op; uint8_t l; uint8_t es; } t[] = {
		{ 0xfc, L_ADD, 1 }, { 0xfd, L_ADD, 2 }, { 0xfe, L_ADD, 4 },
		{ 0xec, L_ADDS, 1 }, { 0xed, L_ADDS, 2 }, { 0xdc, L_ADDUS, 1 },
		{ 0xdd, L_ADDUS, 2 }, { 0xf8, L_SUB, 1 }, { 0xf9, L_SUB, 2 },
		{ 0xfa, L_SUB, 4 }, { 0xe8, L_SUBS, 1 }, { 0xe9, L_SUBS, 2 },
		{ 0xd8, L_SUBUS, 1 }, { 0xd9, L_SUBUS, 2 }, { 0x74, L_CMPEQ, 1 },
		{ 0x75, L_CMPEQ, 2 }, { 0x76, L_CMPEQ, 4 }, { 0x64, L_CMPGT, 1 },
		{ 0x65, L_CMPGT, 2 }, { 0x66, L_CMPGT, 4 }, { 0xd5, L_MULL, 2 },
		{ 0xe5, L_MULH, 2 },
	};

	for (unsigned k = 0; k < sizeof(t) / sizeof(t[0]); k++) {
		if (t[k].op == op) {
			*l = (enum lop)t[k].l;
			*es = t[k].es;
			return 1;
		}
	}
	return 0;
}

static uint64_t shift(uint64_t v, unsigned es, unsigned kind, uint64_t count)
{
	unsigned bits = es * 8;
	uint64_t r = 0;

	for (unsigned n = 0; n < 8 / es; n++) {
		uint64_t x = lane(v, es, n);
		int64_t sx = slane(v, es, n);
		uint64_t y;
		if (kind == 4)		/* arithmetic right */
			y = (uint64_t)(count >= bits ? (sx < 0 ? -1 : 0) : sx >> count);
		else if (count >= bits)
			y = 0;
		else
			y = kind == 2 ? x >> count : x << count;
		r = put(r, es, n, y);
	}
	return r;
}

static uint64_t unpack(uint64_t a, uint64_t b, unsigned es, int high)
{
	uint64_t r = 0;
	unsigned half = 4 / es;

	for (unsigned n = 0; n < half; n++) {
		unsigned from = high ? n + half : n;
		r = put(r, es, 2 * n, lane(a, es, from));
		r = put(r, es, 2 * n + 1, lane(b, es, from));
	}
	return r;
}

/* PACKSSWB/PACKUSWB (es 2 -> 1), PACKSSDW (4 -> 2). */
static uint64_t pack(uint64_t a, uint64_t b, unsigned es, int unsig)
{
	uint64_t r = 0;
	unsigned n = 8 / es, oes = es / 2;

	for (unsigned k = 0; k < n; k++) {
		int64_t x = slane(a, es, k), y = slane(b, es, k);
		r = put(r, oes, k, (uint64_t)(unsig ? sat_u(x, oes) : sat_s(x, oes)));
		r = put(r, oes, k + n, (uint64_t)(unsig ? sat_u(y, oes) : sat_s(y, oes)));
	}
	return r;
}

H(op_mmx)
{
	uint8_t op = i->op2;
	uint64_t a, b, r;
	enum lop l;
	unsigned es;

	mmx_check(c, i);
	mmx_enter(c);
	switch (op) {
	case 0x6e:	/* MOVD mm, r/m32 */
		mm_set(c, i->reg, get_rm(c, i, 4));
		return;
	case 0x7e:	/* MOVD r/m32, mm */
		set_rm(c, i, 4, (uint32_t)mm_get(c, i->reg));
		return;
	case 0x6f:	/* MOVQ mm, mm/m64 */
		mm_set(c, i->reg, src64(c, i));
		return;
	case 0x7f:	/* MOVQ mm/m64, mm */
		r = mm_get(c, i->reg);
		if (i->mod == 3) {
			mm_set(c, i->rm, r);
		} else {
			wr32(c, i->seg, i->ea, (uint32_t)r);
			wr32(c, i->seg, i->ea + 4, (uint32_t)(r >> 32));
		}
		return;
	case 0x71: case 0x72: case 0x73: {
		/* Shift by immediate: /2 logical right, /4 arithmetic right,
		 * /6 left; 71 words, 72 dwords, 73 qword. */
		static const uint8_t sz[3] = { 2, 4, 8 };
		unsigned kind = i->reg;
		es = sz[op - 0x71];
		if (i->mod != 3 || (kind != 2 && kind != 4 && kind != 6) ||
		    (kind == 4 && es == 8)) {
			x86i_undefined(c, i);
			return;
		}
		mm_set(c, i->rm, shift(mm_get(c, i->rm), es, kind, i->imm & 0xff));
		return;
	}
	default:
		break;
	}
	a = mm_get(c, i->reg);
	b = src64(c, i);
	if (arith_of(op, &l, &es)) {
		r = lanes(a, b, es, l);
	} else {
		switch (op) {
		case 0x60: r = unpack(a, b, 1, 0); break;
		case 0x61: r = unpack(a, b, 2, 0); break;
		case 0x62: r = unpack(a, b, 4, 0); break;
		case 0x68: r = unpack(a, b, 1, 1); break;
		case 0x69: r = unpack(a, b, 2, 1); break;
		case 0x6a: r = unpack(a, b, 4, 1); break;
		case 0x63: r = pack(a, b, 2, 0); break;
		case 0x67: r = pack(a, b, 2, 1); break;
		case 0x6b: r = pack(a, b, 4, 0); break;
		case 0xdb: r = a & b; break;
		case 0xdf: r = ~a & b; break;
		case 0xeb: r = a | b; break;
		case 0xef: r = a ^ b; break;
		case 0xd1: r = shift(a, 2, 2, b); break;
		case 0xd2: r = shift(a, 4, 2, b); break;
		case 0xd3: r = shift(a, 8, 2, b); break;
		case 0xe1: r = shift(a, 2, 4, b); break;
		case 0xe2: r = shift(a, 4, 4, b); break;
		case 0xf1: r = shift(a, 2, 6, b); break;
		case 0xf2: r = shift(a, 4, 6, b); break;
		case 0xf3: r = shift(a, 8, 6, b); break;
		case 0xf5: {	/* PMADDWD */
			r = 0;
			for (unsigned n = 0; n < 2; n++) {
				int64_t s = slane(a, 2, 2 * n) * slane(b, 2, 2 * n) +
					    slane(a, 2, 2 * n + 1) * slane(b, 2, 2 * n + 1);
				r = put(r, 4, n, (uint64_t)s);
			}
			break;
		}
		default:
			x86i_undefined(c, i);
			return;
		}
	}
	mm_set(c, i->reg, r);
}

H(op_emms)
{
	mmx_check(c, i);
	c->s->fxsave[FX_FTW] = 0;
}

/* 0F AE /0 FXSAVE, /1 FXRSTOR: the 512-byte image, 16-byte aligned. */
H(op_fxsave)
{
	uint32_t lin0;

	if (i->mod == 3 || i->reg > 1) {
		x86i_undefined(c, i);
		return;
	}
	mmx_check(c, i);
	lin0 = lin(c, i->seg, i->ea);
	if (lin0 & 15)
		x86i_raise(c, X86I_GP, 0);
	/* Check the whole area first, so a fault leaves nothing half done. */
	seg_check(c, i->seg, i->ea, 512, i->reg == 0);
	for (unsigned k = 0; k < 512; k += 4) {
		if (i->reg == 0) {
			uint32_t v;
			memcpy(&v, c->s->fxsave + k, 4);
			wr32(c, i->seg, i->ea + k, v);
		} else {
			(void)rd32(c, i->seg, i->ea + k);
		}
	}
	if (i->reg == 1) {
		for (unsigned k = 0; k < 512; k += 4) {
			uint32_t v = rd32(c, i->seg, i->ea + k);
			memcpy(c->s->fxsave + k, &v, 4);
		}
	}
}

void x86i_build_mmx(uint8_t *attr, x86i_handler *ops, int fxsr)
{
	static const uint8_t list[] = {
		0x60, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b,
		0x6e, 0x6f, 0x74, 0x75, 0x76, 0x7e, 0x7f, 0xd1, 0xd2, 0xd3, 0xd5, 0xd8,
		0xd9, 0xdb, 0xdc, 0xdd, 0xdf, 0xe1, 0xe2, 0xe5, 0xe8, 0xe9, 0xeb, 0xec,
		0xed, 0xef, 0xf1, 0xf2, 0xf3, 0xf5, 0xf8, 0xf9, 0xfa, 0xfc, 0xfd, 0xfe,
	};

	for (unsigned k = 0; k < sizeof(list); k++) {
		attr[list[k]] = A_M;
		ops[list[k]] = op_mmx;
	}
	attr[0x71] = attr[0x72] = attr[0x73] = A_M | A_I8;
	ops[0x71] = ops[0x72] = ops[0x73] = op_mmx;
	ops[0x77] = op_emms;
	if (fxsr) {
		attr[0xae] = A_M;
		ops[0xae] = op_fxsave;
	}
}
