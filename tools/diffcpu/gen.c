/* Random instruction blocks for diffcpu.
 *
 * Every memory operand is addressed through BX/SI/DI (or EBX/ESI/EDI) plus a
 * small displacement, and those registers are never a destination except
 * for the string instructions' bounded steps, so all data accesses stay in
 * the data page (DS = ES base GEN_DATA) whatever values the block computes.
 * Only AX, CX, DX, BP (and AL, CL, DL, AH, CH, DH) are written.  Before an
 * instruction that reads a flag the SDM may have left undefined, a CMP
 * defines all six again, so undefined flags never leak into results; the
 * ones still undefined at the HLT are masked by the comparison.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tools/diffcpu/gen.h"

#define F6 (X86_CF | X86_PF | X86_AF | X86_ZF | X86_SF | X86_OF)

struct g {
	uint64_t *rng;
	int def32;		/* default operand and address size is 32 */
	struct gen_block *b;
	uint32_t undef;
	unsigned quirks;
	int sp;			/* stack depth in bytes, kept within +-0x400 */
	unsigned start;
	const char *pfx;	/* segment override of the current instruction */
	int no_pfx;		/* lengths are fixed: no override now */
	int ints;		/* faults and INT n may be generated */
};

struct rm {
	int mem;
	int reg;
	/* Encoded ModRM tail for memory: mod, rm, optional SIB and disp. */
	uint8_t mod, rmf, sib, has_sib;
	uint32_t disp;
	int dsize;
	char txt[24];
};

static const char *const r8n[] = { "al", "cl", "dl", "bl", "ah", "ch", "dh", "bh" };
static const char *const r16n[] = { "ax", "cx", "dx", "bx", "sp", "bp", "si", "di" };
static const char *const r32n[] = { "eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi" };
static const char *const ccn[] = { "o", "no", "b", "ae", "z", "nz", "be", "a",
				   "s", "ns", "p", "np", "l", "ge", "le", "g" };
/* Flags each condition code reads. */
static const uint32_t ccf[] = {
	X86_OF, X86_OF, X86_CF, X86_CF, X86_ZF, X86_ZF, X86_CF | X86_ZF, X86_CF | X86_ZF,
	X86_SF, X86_SF, X86_PF, X86_PF, X86_SF | X86_OF, X86_SF | X86_OF,
	X86_ZF | X86_SF | X86_OF, X86_ZF | X86_SF | X86_OF,
};

uint64_t gen_rand(uint64_t *rng)
{
	/* xorshift64*: fast, and the same on every host for a given seed. */
	uint64_t x = *rng;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*rng = x;
	return x * 0x2545f4914f6cdd1dull;
}

static unsigned rnd(struct g *g, unsigned n)
{
	return (unsigned)(gen_rand(g->rng) % n);
}

/* Values near the edges find more bugs than uniform ones. */
static uint32_t val(struct g *g, int size)
{
	static const uint32_t edge[] = { 0, 1, 2, 0x7f, 0x80, 0xff, 0x7fff, 0x8000,
					 0xffff, 0x7fffffff, 0x80000000, 0xffffffff, 0x0f, 0x99 };
	uint32_t v = rnd(g, 4) == 0 ? edge[rnd(g, sizeof(edge) / sizeof(edge[0]))] :
		     (uint32_t)gen_rand(g->rng);
	return size == 8 ? v & 0xff : size == 16 ? v & 0xffff : v;
}

static const char *rname(int size, int r)
{
	return size == 8 ? r8n[r] : size == 16 ? r16n[r] : r32n[r];
}

static void b1(struct g *g, uint32_t v)
{
	if (g->b->len < GEN_MAX_CODE)
		g->b->code[g->b->len++] = (uint8_t)v;
}

static void bn(struct g *g, uint32_t v, int size)
{
	for (int i = 0; i < size / 8; i++)
		b1(g, v >> (8 * i));
}

/* Every segment but CS is writable and maps the data or the stack page,
 * so any instruction may carry an override (ignored without memory). */
static void begin(struct g *g)
{
	static const uint8_t ovr[] = { 0x26, 0x36, 0x3e, 0x64, 0x65 };
	static const char *const nm[] = { "es:", "ss:", "ds:", "fs:", "gs:" };

	g->start = g->b->len;
	g->pfx = "";
	if (!g->no_pfx && rnd(g, 8) == 0) {
		unsigned k = rnd(g, 5);
		b1(g, ovr[k]);
		g->pfx = nm[k];
	}
}

static void end(struct g *g, const char *fmt, ...)
{
	struct gen_block *b = g->b;
	va_list ap;

	if (b->ninsn >= GEN_MAX_INSNS)
		return;
	struct gen_insn *in = &b->insn[b->ninsn++];
	in->off = (uint16_t)g->start;
	in->len = (uint8_t)(b->len - g->start);
	size_t n = (size_t)snprintf(in->text, sizeof(in->text), "%s", g->pfx);
	va_start(ap, fmt);
	vsnprintf(in->text + n, sizeof(in->text) - n, fmt, ap);
	va_end(ap);
}

/* Operand-size prefix for a 16- or 32-bit operation. */
static void osz(struct g *g, int size)
{
	if (size != 8 && (size == 32) != g->def32)
		b1(g, 0x66);
}

static int pick_size(struct g *g)
{
	unsigned r = rnd(g, 3);
	return r == 0 ? 8 : r == 1 ? 16 : 32;
}

static int wreg(struct g *g, int size)
{
	static const int w8[] = { 0, 1, 2, 4, 5, 6 }, w[] = { 0, 1, 2, 5 };
	return size == 8 ? w8[rnd(g, 6)] : w[rnd(g, 4)];
}

static struct rm mem(struct g *g, int size)
{
	struct rm m = { .mem = 1 };
	unsigned f = rnd(g, 6);
	const char *sz = size == 8 ? "byte" : size == 16 ? "word" : "dword";

	m.dsize = 8;
	m.disp = rnd(g, 0x80);
	if (!g->def32) {
		static const uint8_t rmf[] = { 4, 5, 7, 0, 1 };
		static const char *const nm[] = { "si", "di", "bx", "bx+si", "bx+di" };
		m.mod = 1;
		if (f == 5) {
			m.mod = 0;
			m.rmf = 6;
			m.dsize = 16;
			m.disp = rnd(g, 0xff0);
			snprintf(m.txt, sizeof(m.txt), "%s [%#x]", sz, m.disp);
			return m;
		}
		if (f == 3) {
			m.mod = 2;
			m.dsize = 16;
			m.disp = rnd(g, 0x400);
		}
		m.rmf = rmf[f];
		snprintf(m.txt, sizeof(m.txt), "%s [%s+%#x]", sz, nm[f], m.disp);
		return m;
	}
	switch (f) {
	case 0: case 1: case 2:
		m.mod = 1;
		m.rmf = f == 0 ? 6 : f == 1 ? 7 : 3;
		snprintf(m.txt, sizeof(m.txt), "%s [%s+%#x]", sz,
			 f == 0 ? "esi" : f == 1 ? "edi" : "ebx", m.disp);
		break;
	case 3: case 4:
		m.mod = f == 3 ? 2 : 1;
		m.dsize = f == 3 ? 32 : 8;
		m.rmf = 4;
		m.has_sib = 1;
		m.sib = (uint8_t)((f == 4 ? 1 : 0) << 6 | (f == 3 ? 6 : 7) << 3 | 3);
		snprintf(m.txt, sizeof(m.txt), "%s [ebx+%s+%#x]", sz,
			 f == 3 ? "esi" : "edi*2", m.disp);
		break;
	default:
		m.mod = 0;
		m.rmf = 5;
		m.dsize = 32;
		m.disp = rnd(g, 0xff0);
		snprintf(m.txt, sizeof(m.txt), "%s [%#x]", sz, m.disp);
		break;
	}
	return m;
}

static struct rm rmreg(int size, int r)
{
	struct rm m = { .reg = r };
	snprintf(m.txt, sizeof(m.txt), "%s", rname(size, r));
	return m;
}

/* A destination: a writable register or memory. */
static struct rm rm_w(struct g *g, int size)
{
	return rnd(g, 2) ? mem(g, size) : rmreg(size, wreg(g, size));
}

/* A source: any register or memory. */
static struct rm rm_any(struct g *g, int size)
{
	return rnd(g, 2) ? mem(g, size) : rmreg(size, (int)rnd(g, 8));
}

static void modrm(struct g *g, int reg, const struct rm *m)
{
	if (!m->mem) {
		b1(g, 0xc0 | reg << 3 | m->reg);
		return;
	}
	b1(g, (uint32_t)(m->mod << 6 | reg << 3 | m->rmf));
	if (m->has_sib)
		b1(g, m->sib);
	if (m->mod == 1)
		b1(g, m->disp);
	else if (m->mod == 2 || m->mod == 0)
		bn(g, m->disp, m->dsize);
}

static void flags(struct g *g, uint32_t def, uint32_t undef)
{
	g->undef = (g->undef & ~def) | undef;
}

/* Makes the flags in mask defined before an instruction reads them. */
static void need(struct g *g, uint32_t mask)
{
	if (!(g->undef & mask))
		return;
	begin(g);
	b1(g, 0x39);
	b1(g, 0xc8);
	end(g, "cmp %s,%s", g->def32 ? "eax" : "ax", g->def32 ? "ecx" : "cx");
	g->undef = 0;
}

static void mov_imm(struct g *g, int size, int r, uint32_t v)
{
	begin(g);
	osz(g, size);
	b1(g, (size == 8 ? 0xb0 : 0xb8) + r);
	bn(g, v, size);
	end(g, "mov %s,%#x", rname(size, r), v);
}

static void alu(struct g *g)
{
	static const char *const nm[] = { "add", "or", "adc", "sbb", "and", "sub", "xor", "cmp" };
	int op = (int)rnd(g, 8), size = pick_size(g), w = size != 8;
	struct rm m;
	uint32_t v;

	if (op == 2 || op == 3)
		need(g, X86_CF);
	begin(g);
	osz(g, size);
	switch (rnd(g, 4)) {
	case 0: {
		int r = (int)rnd(g, 8);
		m = rm_w(g, size);
		b1(g, op * 8 + w);
		modrm(g, r, &m);
		end(g, "%s %s,%s", nm[op], m.txt, rname(size, r));
		break;
	}
	case 1: {
		int r = wreg(g, size);
		m = rm_any(g, size);
		b1(g, op * 8 + 2 + w);
		modrm(g, r, &m);
		end(g, "%s %s,%s", nm[op], rname(size, r), m.txt);
		break;
	}
	case 2:
		m = rm_w(g, size);
		if (size != 8 && rnd(g, 2)) {
			v = val(g, 8);
			b1(g, 0x83);
			modrm(g, op, &m);
			b1(g, v);
			end(g, "%s %s,%d", nm[op], m.txt, (int8_t)v);
		} else {
			v = val(g, size);
			b1(g, w ? 0x81 : 0x80);
			modrm(g, op, &m);
			bn(g, v, size);
			end(g, "%s %s,%#x", nm[op], m.txt, v);
		}
		break;
	default:
		v = val(g, size);
		b1(g, op * 8 + 4 + w);
		bn(g, v, size);
		end(g, "%s %s,%#x", nm[op], rname(size, 0), v);
		break;
	}
	if (op == 1 || op == 4 || op == 6)
		flags(g, F6 & ~X86_AF, X86_AF);
	else
		flags(g, F6, 0);
}

static void unary(struct g *g)
{
	static const char *const nm[] = { "inc", "dec", "not", "neg", "test" };
	int k = (int)rnd(g, 5), size = pick_size(g);
	struct rm m = rm_w(g, size);

	begin(g);
	osz(g, size);
	if (k < 2 && !m.mem && size != 8 && rnd(g, 2)) {
		b1(g, 0x40 + k * 8 + m.reg);
	} else if (k < 2) {
		b1(g, size == 8 ? 0xfe : 0xff);
		modrm(g, k, &m);
	} else if (k < 4) {
		b1(g, size == 8 ? 0xf6 : 0xf7);
		modrm(g, k, &m);
	} else {
		uint32_t v = val(g, size);
		b1(g, size == 8 ? 0xf6 : 0xf7);
		modrm(g, 0, &m);
		bn(g, v, size);
		end(g, "test %s,%#x", m.txt, v);
		flags(g, F6 & ~X86_AF, X86_AF);
		return;
	}
	end(g, "%s %s", nm[k], m.txt);
	if (k < 2)
		flags(g, F6 & ~X86_CF, 0);
	else if (k == 3)
		flags(g, F6, 0);
}

static void shift(struct g *g)
{
	static const char *const nm[] = { "rol", "ror", "rcl", "rcr", "shl", "shr", "sal", "sar" };
	int op = (int)rnd(g, 8), size = pick_size(g), form = (int)rnd(g, 3);
	unsigned cnt = rnd(g, 4) ? rnd(g, size + 2) : rnd(g, 256);
	struct rm m;
	char ctxt[8];

	if (op == 6)
		op = 4;
	if (op == 2 || op == 3)
		need(g, X86_CF);
	if (form == 0)
		cnt = 1;
	if (form == 2)
		mov_imm(g, 8, 1, cnt);
	m = rm_w(g, size);
	if (form == 2 && !m.mem && m.reg == 1 && size == 8)
		m = rmreg(8, 0);	/* shifting CL by CL is legal but dull */
	begin(g);
	osz(g, size);
	b1(g, (form == 0 ? 0xd0 : form == 1 ? 0xc0 : 0xd2) + (size != 8));
	modrm(g, op, &m);
	if (form == 1)
		b1(g, cnt);
	snprintf(ctxt, sizeof(ctxt), form == 2 ? "cl" : "%u", cnt);
	end(g, "%s %s,%s", nm[op], m.txt, ctxt);

	unsigned c = cnt & 31;
	if (c == 0)
		return;
	uint32_t of = c == 1 ? 0 : X86_OF;
	if (op < 4) {
		flags(g, (X86_CF | X86_OF) & ~of, of);
	} else {
		uint32_t cf = op != 7 && c >= (unsigned)size ? X86_CF : 0;
		flags(g, F6 & ~(of | cf | X86_AF), of | cf | X86_AF);
	}
}

static void shxd(struct g *g)
{
	int size = rnd(g, 2) ? 16 : 32, right = (int)rnd(g, 2), bycl = (int)rnd(g, 2);
	unsigned cnt = rnd(g, (unsigned)size);
	int r = (int)rnd(g, 8);

	if (bycl)
		mov_imm(g, 8, 1, cnt);
	struct rm m = rm_w(g, size);
	begin(g);
	osz(g, size);
	b1(g, 0x0f);
	b1(g, (right ? 0xac : 0xa4) + bycl);
	modrm(g, r, &m);
	if (!bycl)
		b1(g, cnt);
	end(g, "%s %s,%s,%s%u", right ? "shrd" : "shld", m.txt, rname(size, r),
	    bycl ? "cl=" : "", cnt);
	if (cnt == 0)
		return;
	uint32_t of = cnt == 1 ? 0 : X86_OF;
	flags(g, F6 & ~(of | X86_AF), of | X86_AF);
}

static void muls(struct g *g)
{
	int size = pick_size(g), k = (int)rnd(g, 4);
	struct rm m = rm_any(g, size);

	begin(g);
	if (k < 2) {
		osz(g, size);
		b1(g, size == 8 ? 0xf6 : 0xf7);
		modrm(g, 4 + k, &m);
		end(g, "%s %s", k ? "imul" : "mul", m.txt);
	} else {
		int r;
		if (size == 8)
			size = 16;
		m = rm_any(g, size);
		r = wreg(g, size);
		osz(g, size);
		if (k == 2) {
			b1(g, 0x0f);
			b1(g, 0xaf);
			modrm(g, r, &m);
			end(g, "imul %s,%s", rname(size, r), m.txt);
		} else if (rnd(g, 2)) {
			uint32_t v = val(g, 8);
			b1(g, 0x6b);
			modrm(g, r, &m);
			b1(g, v);
			end(g, "imul %s,%s,%d", rname(size, r), m.txt, (int8_t)v);
		} else {
			uint32_t v = val(g, size);
			b1(g, 0x69);
			modrm(g, r, &m);
			bn(g, v, size);
			end(g, "imul %s,%s,%#x", rname(size, r), m.txt, v);
		}
	}
	flags(g, X86_CF | X86_OF, X86_SF | X86_ZF | X86_AF | X86_PF);
}

/* DIV/IDIV with operands chosen so the quotient fits: no #DE. */
static void divs(struct g *g)
{
	int size = pick_size(g), sgn = (int)rnd(g, 2);
	uint32_t mask = size == 8 ? 0xff : size == 16 ? 0xffff : 0xffffffffu;
	uint32_t d = val(g, size) | 1;
	int dreg = size == 8 ? (rnd(g, 2) ? 1 : 5) : (rnd(g, 2) ? 1 : 5);
	struct rm m;

	if (g->ints && rnd(g, 6) == 0) {
		/* Any operands: #DE ends the block in the handler, which pushes
		 * the flags, so they must all be defined. */
		need(g, F6);
		m = rm_any(g, size);
		begin(g);
		osz(g, size);
		b1(g, size == 8 ? 0xf6 : 0xf7);
		modrm(g, 6 + sgn, &m);
		end(g, "%s %s (may #DE)", sgn ? "idiv" : "div", m.txt);
		flags(g, 0, F6);
		return;
	}
	if (sgn) {
		/* Sign-extend the dividend, |divisor| >= 2: |quotient| < 2^(n-1). */
		if (d == 1 || d == mask)
			d = 3;
		begin(g);
		osz(g, size == 8 ? 16 : size);
		if (size == 8) {
			b1(g, 0x98);
			end(g, "cbw");
		} else {
			b1(g, 0x99);
			end(g, size == 16 ? "cwd" : "cdq");
		}
	} else {
		uint32_t hi = val(g, size) % (d & mask);
		mov_imm(g, size, size == 8 ? 4 : 2, hi);
	}
	mov_imm(g, size, dreg, d & mask);
	/* The divisor is stored and read through the same segment. */
	g->no_pfx = 1;
	if (rnd(g, 2)) {
		m = mem(g, size);
		begin(g);
		osz(g, size);
		b1(g, size == 8 ? 0x88 : 0x89);
		modrm(g, dreg, &m);
		end(g, "mov %s,%s", m.txt, rname(size, dreg));
	} else {
		m = rmreg(size, dreg);
	}
	begin(g);
	osz(g, size);
	b1(g, size == 8 ? 0xf6 : 0xf7);
	modrm(g, 6 + sgn, &m);
	end(g, "%s %s", sgn ? "idiv" : "div", m.txt);
	g->no_pfx = 0;
	flags(g, 0, F6);
}

static void strop(struct g *g)
{
	static const uint8_t op[] = { 0xa4, 0xa6, 0xaa, 0xac, 0xae };
	static const char *const nm[] = { "movs", "cmps", "stos", "lods", "scas" };
	int k = (int)rnd(g, 5), size = pick_size(g), rep = (int)rnd(g, 3);
	unsigned count = 1 + rnd(g, 8);
	const char *pfx = "";

	if (rep) {
		/* The count register is (E)CX by address size. */
		count = rnd(g, 9);
		mov_imm(g, g->def32 ? 32 : 16, 1, count);
	}
	begin(g);
	if (rep == 1) {
		b1(g, 0xf3);
		pfx = k == 1 || k == 4 ? "repe " : "rep ";
	} else if (rep == 2) {
		b1(g, k == 1 || k == 4 ? 0xf2 : 0xf3);
		pfx = k == 1 || k == 4 ? "repne " : "rep ";
	}
	osz(g, size);
	b1(g, op[k] + (size != 8));
	end(g, "%s%s%c", pfx, nm[k], size == 8 ? 'b' : size == 16 ? 'w' : 'd');
	/* A REP with a zero count compares nothing and leaves the flags. */
	if ((k == 1 || k == 4) && count)
		flags(g, F6, 0);
}

static void jumps(struct g *g)
{
	int k = (int)rnd(g, 5), cc = (int)rnd(g, 16);
	int r = wreg(g, 16);
	uint32_t v = val(g, 16);
	unsigned flen = 3 + (g->def32 ? 1 : 0);	/* mov r16,imm16 */

	if (k <= 1)
		need(g, ccf[cc]);
	if (k == 4)
		need(g, X86_ZF);
	begin(g);
	if (k == 0) {
		b1(g, 0x70 + cc);
		b1(g, flen);
		end(g, "j%s +%u", ccn[cc], flen);
	} else if (k == 1) {
		b1(g, 0x0f);
		b1(g, 0x80 + cc);
		bn(g, flen, g->def32 ? 32 : 16);
		end(g, "j%s near +%u", ccn[cc], flen);
	} else if (k == 2) {
		b1(g, 0xe3);
		b1(g, flen);
		end(g, "j%scxz +%u", g->def32 ? "e" : "", flen);
	} else if (k == 3) {
		b1(g, 0xe2);
		b1(g, flen);
		end(g, "loop +%u", flen);
	} else {
		int z = (int)rnd(g, 2);
		b1(g, 0xe0 + z);
		b1(g, flen);
		end(g, "loop%s +%u", z ? "e" : "ne", flen);
	}
	g->no_pfx = 1;
	mov_imm(g, 16, r, v);
	g->no_pfx = 0;
}

static void setcmov(struct g *g)
{
	int cc = (int)rnd(g, 16);

	need(g, ccf[cc]);
	begin(g);
	if (rnd(g, 2)) {
		struct rm m = rm_w(g, 8);
		b1(g, 0x0f);
		b1(g, 0x90 + cc);
		modrm(g, 0, &m);
		end(g, "set%s %s", ccn[cc], m.txt);
	} else {
		int size = rnd(g, 2) ? 16 : 32, r = wreg(g, size);
		struct rm m = rm_any(g, size);
		osz(g, size);
		b1(g, 0x0f);
		b1(g, 0x40 + cc);
		modrm(g, r, &m);
		end(g, "cmov%s %s,%s", ccn[cc], rname(size, r), m.txt);
	}
}

static void bitops(struct g *g)
{
	static const char *const nm[] = { "bt", "bts", "btr", "btc" };
	int k = (int)rnd(g, 4), size = rnd(g, 2) ? 16 : 32;

	begin(g);
	osz(g, size);
	b1(g, 0x0f);
	if (rnd(g, 2)) {
		/* Register offsets into memory reach outside the operand. */
		struct rm m = k ? rm_w(g, size) : rm_any(g, size);
		uint32_t v = rnd(g, 256);
		b1(g, 0xba);
		modrm(g, 4 + k, &m);
		b1(g, v);
		end(g, "%s %s,%u", nm[k], m.txt, v);
	} else {
		int dst = k ? wreg(g, size) : (int)rnd(g, 8), src = (int)rnd(g, 8);
		struct rm m = rmreg(size, dst);
		b1(g, 0xa3 + k * 8);
		modrm(g, src, &m);
		end(g, "%s %s,%s", nm[k], m.txt, rname(size, src));
	}
	/* Newer SDMs keep ZF; older ones call it undefined. */
	flags(g, X86_CF, X86_OF | X86_SF | X86_ZF | X86_AF | X86_PF);
}

static void bitscan(struct g *g)
{
	int size = rnd(g, 2) ? 16 : 32, rev = (int)rnd(g, 2);
	int src = rnd(g, 2) ? 1 : 2, dst = wreg(g, size);

	/* A zero source leaves the destination undefined: make it nonzero. */
	mov_imm(g, size, src, val(g, size) | 1u << rnd(g, (unsigned)size));
	begin(g);
	osz(g, size);
	b1(g, 0x0f);
	b1(g, rev ? 0xbd : 0xbc);
	struct rm m = rmreg(size, src);
	modrm(g, dst, &m);
	end(g, "%s %s,%s", rev ? "bsr" : "bsf", rname(size, dst), rname(size, src));
	flags(g, X86_ZF, X86_CF | X86_OF | X86_SF | X86_AF | X86_PF);
}

static void movx(struct g *g)
{
	int ssize = rnd(g, 2) ? 8 : 16, dsize = ssize == 16 || rnd(g, 2) ? 32 : 16;
	int sx = (int)rnd(g, 2), r = wreg(g, dsize);
	struct rm m = rm_any(g, ssize);

	begin(g);
	osz(g, dsize);
	b1(g, 0x0f);
	b1(g, (sx ? 0xbe : 0xb6) + (ssize == 16));
	modrm(g, r, &m);
	end(g, "%s %s,%s", sx ? "movsx" : "movzx", rname(dsize, r), m.txt);
}

static void xchgs(struct g *g)
{
	int size = pick_size(g), k = (int)rnd(g, 4), r = wreg(g, size);
	struct rm m = rm_w(g, size);

	begin(g);
	osz(g, size);
	if (k == 0 && size != 8) {
		b1(g, 0x90 + r);
		end(g, "xchg %s,%s", rname(size, 0), rname(size, r));
		return;
	}
	if (k <= 1) {
		b1(g, 0x86 + (size != 8));
		modrm(g, r, &m);
		end(g, "xchg %s,%s", m.txt, rname(size, r));
		return;
	}
	b1(g, 0x0f);
	b1(g, (k == 2 ? 0xc0 : 0xb0) + (size != 8));
	modrm(g, r, &m);
	end(g, "%s %s,%s", k == 2 ? "xadd" : "cmpxchg", m.txt, rname(size, r));
	flags(g, F6, 0);
}

static void movs_misc(struct g *g)
{
	int size = pick_size(g), k = (int)rnd(g, 7), r = wreg(g, size);
	struct rm m;

	switch (k) {
	case 0:
		mov_imm(g, size, r, val(g, size));
		return;
	case 1:
		m = rm_w(g, size);
		r = (int)rnd(g, 8);
		begin(g);
		osz(g, size);
		b1(g, 0x88 + (size != 8));
		modrm(g, r, &m);
		end(g, "mov %s,%s", m.txt, rname(size, r));
		return;
	case 2:
		m = rm_any(g, size);
		begin(g);
		osz(g, size);
		b1(g, 0x8a + (size != 8));
		modrm(g, r, &m);
		end(g, "mov %s,%s", rname(size, r), m.txt);
		return;
	case 3: {
		uint32_t v = val(g, size);
		m = mem(g, size);
		begin(g);
		osz(g, size);
		b1(g, 0xc6 + (size != 8));
		modrm(g, 0, &m);
		bn(g, v, size);
		end(g, "mov %s,%#x", m.txt, v);
		return;
	}
	case 4:
		if (size == 8)
			size = 16;
		r = wreg(g, size);
		m = mem(g, size);
		begin(g);
		osz(g, size);
		b1(g, 0x8d);
		modrm(g, r, &m);
		end(g, "lea %s,%s", rname(size, r), m.txt + (size == 16 ? 5 : 6));
		return;
	case 5:
		r = wreg(g, 32);
		begin(g);
		osz(g, 32);
		b1(g, 0x0f);
		b1(g, 0xc8 + r);
		end(g, "bswap %s", r32n[r]);
		return;
	default: {
		int sz2 = rnd(g, 2) ? 16 : 32;
		begin(g);
		osz(g, sz2);
		if (rnd(g, 2)) {
			b1(g, 0x98);
			end(g, sz2 == 16 ? "cbw" : "cwde");
		} else {
			b1(g, 0x99);
			end(g, sz2 == 16 ? "cwd" : "cdq");
		}
		return;
	}
	}
}

static void stack(struct g *g)
{
	int size = rnd(g, 2) ? 16 : 32, k = (int)rnd(g, 6), r;
	int push = k < 3 || (k == 5 && g->sp < 0x300);
	struct rm m;

	if (!push && g->sp < size / 8)
		push = 1;
	if (push && g->sp > 0x3c0)
		return;
	begin(g);
	osz(g, size);
	if (push) {
		g->sp += size / 8;
		switch (k) {
		case 0:
			r = (int)rnd(g, 8);
			b1(g, 0x50 + r);
			end(g, "push %s", rname(size, r));
			return;
		case 1: {
			uint32_t v = val(g, size);
			if (rnd(g, 2)) {
				b1(g, 0x6a);
				b1(g, v);
				end(g, "push %d", (int8_t)v);
			} else {
				b1(g, 0x68);
				bn(g, v, size);
				end(g, "push %#x", v);
			}
			return;
		}
		case 2:
			m = mem(g, size);
			b1(g, 0xff);
			modrm(g, 6, &m);
			end(g, "push %s", m.txt);
			return;
		default:
			/* PUSHF stores every flag: none may be undefined. */
			g->b->len = g->start;
			g->sp -= size / 8;
			need(g, F6);
			begin(g);
			osz(g, size);
			g->sp += size / 8;
			b1(g, 0x9c);
			end(g, "pushf%s", size == 32 ? "d" : "");
			return;
		}
	}
	g->sp -= size / 8;
	if (k == 4) {
		m = mem(g, size);
		b1(g, 0x8f);
		modrm(g, 0, &m);
		end(g, "pop %s", m.txt);
	} else {
		r = wreg(g, size);
		b1(g, 0x58 + r);
		end(g, "pop %s", rname(size, r));
	}
}

/* CALL to the next instruction and RET to a pushed address: control flow
 * through the stack, with targets the generator knows. */
static void calls(struct g *g)
{
	int size = g->def32 ? 32 : 16, k = (int)rnd(g, 4);

	if (g->sp > 0x3c0)
		return;
	if (k == 3 && !g->ints)
		k = 0;
	if (k == 3) {
		/* Software interrupts: the handler's HLT ends the block. */
		int kind = (int)rnd(g, 3);
		uint32_t v = rnd(g, 32);
		need(g, F6);
		begin(g);
		if (kind == 0) {
			b1(g, 0xcd);
			b1(g, v);
			end(g, "int %u", v);
		} else if (kind == 1) {
			b1(g, 0xcc);
			end(g, "int3");
		} else {
			b1(g, 0xce);
			end(g, "into");
		}
		return;
	}
	if (k == 0) {
		begin(g);
		b1(g, 0xe8);
		bn(g, 0, size);
		end(g, "call +0");
		g->sp += size / 8;
		return;
	}
	if (k == 1) {
		/* PUSHA, some arithmetic, POPA: BX/SI/DI come back unchanged. */
		int osize = rnd(g, 2) ? 16 : 32;
		begin(g);
		osz(g, osize);
		b1(g, 0x60);
		end(g, "pusha%s", osize == 32 ? "d" : "");
		for (int n = (int)rnd(g, 3); n > 0; n--)
			alu(g);
		begin(g);
		osz(g, osize);
		b1(g, 0x61);
		end(g, "popa%s", osize == 32 ? "d" : "");
		return;
	}
	/* push target; ret [imm16]: the target is the byte after the RET. */
	unsigned pop = rnd(g, 2) ? 0 : 2 * rnd(g, 4);
	unsigned plen = (g->def32 ? 5 : 3), rlen = pop ? 3 : 1;
	if (g->sp + (int)pop > 0x3c0)
		return;
	if (g->b->len + plen + rlen + 2 > GEN_MAX_CODE)
		return;
	begin(g);
	/* After begin()'s optional override: PUSH, then the RET (no prefix). */
	uint32_t target = GEN_CODE + g->b->len + plen + rlen;
	b1(g, 0x68);
	bn(g, target, size);
	end(g, "push %#x", target);
	g->start = g->b->len;
	g->pfx = "";
	if (pop) {
		b1(g, 0xc2);
		bn(g, pop, 16);
		end(g, "ret %u", pop);
		g->sp -= (int)pop;
		if (g->sp < 0)
			g->sp = 0;
	} else {
		b1(g, 0xc3);
		end(g, "ret");
	}
}

static void flagops(struct g *g)
{
	static const uint8_t op[] = { 0xf8, 0xf9, 0xf5, 0xfc, 0xfd, 0x9f, 0x9e, 0x9d };
	static const char *const nm[] = { "clc", "stc", "cmc", "cld", "std", "lahf", "sahf",
					  "popf" };
	int k = (int)rnd(g, 8);

	if (k == 2)
		need(g, X86_CF);
	if (k == 5)
		need(g, X86_SF | X86_ZF | X86_AF | X86_PF | X86_CF);
	if (k == 7) {
		/* POPF of a pushed immediate: TF and IF stay clear. */
		int size = rnd(g, 2) ? 16 : 32;
		uint32_t v = (val(g, 32) & (F6 | X86_DF | X86_IOPL | X86_NT |
					    (size == 32 ? X86_AC | X86_ID : 0))) | 2;
		if (g->sp > 0x3c0)
			return;
		begin(g);
		osz(g, size);
		b1(g, 0x68);
		bn(g, v, size);
		end(g, "push %#x", v);
		begin(g);
		osz(g, size);
		b1(g, 0x9d);
		end(g, "popf%s", size == 32 ? "d" : "");
		g->undef = 0;
		return;
	}
	begin(g);
	b1(g, op[k]);
	end(g, "%s", nm[k]);
	if (k <= 2)
		flags(g, X86_CF, 0);
	if (k == 6)
		flags(g, X86_SF | X86_ZF | X86_AF | X86_PF | X86_CF, 0);
}

static void bcd(struct g *g)
{
	static const char *const nm[] = { "daa", "das", "aaa", "aas", "aam", "aad", "xlat" };
	static const uint8_t op[] = { 0x27, 0x2f, 0x37, 0x3f, 0xd4, 0xd5, 0xd7 };
	int k = (int)rnd(g, 7);

	if (k < 2)
		need(g, X86_AF | X86_CF);
	else if (k < 4)
		need(g, X86_AF);
	begin(g);
	b1(g, op[k]);
	if (k == 4 || k == 5) {
		uint32_t v = rnd(g, 3) ? 10 : 1 + rnd(g, 255);
		b1(g, v);
		end(g, "%s %u", nm[k], v);
		if (g->quirks & GEN_Q_AAM_FLAGS)
			flags(g, 0, F6);
		else
			flags(g, X86_SF | X86_ZF | X86_PF, X86_OF | X86_AF | X86_CF);
		return;
	}
	end(g, "%s", nm[k]);
	if (k < 2)
		flags(g, F6 & ~X86_OF, X86_OF);
	else if (k < 4)
		flags(g, X86_AF | X86_CF, X86_OF | X86_SF | X86_ZF | X86_PF);
}

void gen_block(uint64_t *rng, enum gen_mode mode, int n, unsigned quirks,
	       struct gen_block *b, struct x86_state *s)
{
	struct g g = { .rng = rng, .def32 = mode == GEN_PROT32, .b = b, .quirks = quirks };

	g.ints = mode == GEN_REAL16 || !(quirks & GEN_Q_NO_PM_INT);
	static void (*const kinds[])(struct g *) = {
		alu, alu, alu, unary, shift, shift, shxd, muls, divs, strop, jumps,
		setcmov, bitops, bitscan, movx, xchgs, movs_misc, movs_misc, stack,
		flagops, bcd, calls,
	};

	b->len = 0;
	b->ninsn = 0;
	while (b->ninsn < n && b->len < GEN_MAX_CODE - 64)
		kinds[rnd(&g, sizeof(kinds) / sizeof(kinds[0]))](&g);
	begin(&g);
	b1(&g, 0xf4);
	end(&g, "hlt");
	b->undef = g.undef;

	for (int i = 0; i < GEN_PAGE; i++) {
		b->data[i] = (uint8_t)gen_rand(rng);
		b->stack[i] = (uint8_t)gen_rand(rng);
	}
	for (int i = 0; i < 8; i++)
		s->gpr[i] = val(&g, 32);
	s->gpr[X86_RBX] = rnd(&g, 0x301);
	s->gpr[X86_RSI] = 0x200 + rnd(&g, 0x101);
	s->gpr[X86_RDI] = 0x200 + rnd(&g, 0x101);
	s->gpr[X86_RSP] = GEN_SP;
	s->rflags = 2 | ((uint32_t)gen_rand(rng) & (F6 | X86_DF));
}
