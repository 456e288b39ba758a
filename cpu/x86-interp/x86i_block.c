/* Side-effect-free decoding into struct x86i_dinsn for the block engine.
 * It follows x86i_decode (x86i_decode.c) field for field; the differential
 * test (tests/tcg/run.sh) runs both engines and compares traces and cycle
 * counts, so a change there that is not made here shows up as a diff. */
#include <string.h>

#include "cpu/x86-interp/x86i_block.h"

struct src {
	const uint8_t *p;
	unsigned avail, n;
	int cut;
};

static uint8_t get8(struct src *s)
{
	if (s->n >= s->avail || s->n >= X86I_BLK_MAX_LEN) {
		s->cut = 1;
		return 0;
	}
	return s->p[s->n++];
}

static uint16_t get16(struct src *s)
{
	uint16_t lo = get8(s);
	return lo | (uint16_t)get8(s) << 8;
}

static uint32_t get32(struct src *s)
{
	uint32_t lo = get16(s);
	return lo | (uint32_t)get16(s) << 16;
}

/* 16-bit addressing per rm: the registers summed and the default segment. */
static const int8_t rm16_base[8] = { X86_RBX, X86_RBX, X86_RBP, X86_RBP,
				     X86_RSI, X86_RDI, X86_RBP, X86_RBX };
static const int8_t rm16_index[8] = { X86_RSI, X86_RDI, X86_RSI, X86_RDI, -1, -1, -1, -1 };
static const uint8_t ea_base_clk[8] = { 7, 8, 8, 7, 5, 5, 5, 5 };

static void modrm16(struct x86i_cpu *c, struct src *s, struct x86i_dinsn *d)
{
	struct insn *i = &d->in;
	uint8_t m = get8(s);
	int seg = X86_DS;
	unsigned clks;

	i->modrm = m;
	i->mod = m >> 6;
	i->reg = (m >> 3) & 7;
	i->rm = m & 7;
	if (i->mod == 3)
		return;
	if (i->mod == 0 && i->rm == 6) {
		d->disp = get16(s);
		clks = 6;
	} else {
		d->base = rm16_base[i->rm];
		d->index = rm16_index[i->rm];
		if (i->rm == 2 || i->rm == 3 || i->rm == 6)
			seg = X86_SS;
		clks = ea_base_clk[i->rm];
		if (i->mod == 1) {
			d->disp = (uint16_t)(int8_t)get8(s);
			clks += 4;
		} else if (i->mod == 2) {
			d->disp = get16(s);
			clks += 4;
		}
	}
	if (i->ovr >= 0) {
		seg = i->ovr;
		clks += 2;
	}
	i->seg = (uint8_t)seg;
	if (c->t->ea_clocks)
		d->pre_clk += clks;
}

static void modrm32(struct src *s, struct x86i_dinsn *d)
{
	struct insn *i = &d->in;
	uint8_t m = get8(s);
	int seg = X86_DS, base;

	i->modrm = m;
	i->mod = m >> 6;
	i->reg = (m >> 3) & 7;
	i->rm = m & 7;
	if (i->mod == 3)
		return;
	base = i->rm;
	if (i->rm == 4) {
		uint8_t sib = get8(s);
		int idx = (sib >> 3) & 7;
		base = sib & 7;
		if (idx != 4) {
			d->index = (int8_t)idx;
			d->scale = sib >> 6;
		}
		if (base == 5 && i->mod == 0) {
			d->disp += get32(s);
			base = -1;
		}
	} else if (i->rm == 5 && i->mod == 0) {
		d->disp = get32(s);
		base = -1;
	}
	if (base >= 0) {
		d->base = (int8_t)base;
		if (base == X86_RSP || base == X86_RBP)
			seg = X86_SS;
	}
	if (i->mod == 1)
		d->disp += (uint32_t)(int8_t)get8(s);
	else if (i->mod == 2)
		d->disp += get32(s);
	if (i->ovr >= 0)
		seg = i->ovr;
	i->seg = (uint8_t)seg;
}

int x86i_blk_decode(struct x86i_cpu *c, const uint8_t *p, unsigned avail, uint32_t eip,
		    struct x86i_dinsn *d)
{
	const struct x86_seg *cs = &c->s->seg[X86_CS];
	struct insn *i = &d->in;
	struct src s = { p, avail, 0, 0 };
	int big = (cs->attr & 0x4000) != 0;
	uint8_t op, a;

	memset(d, 0, sizeof(*d));
	d->base = d->index = -1;
	if (!big && 0x10000u - eip < s.avail)
		s.avail = 0x10000u - eip;
	i->ip0 = eip;
	i->ovr = -1;
	i->mod = 3;
	i->osz = i->asz = big ? 4 : 2;
	for (;;) {
		op = get8(&s);
		a = c->attr[op];
		if (s.cut)
			return 0;
		if (!(a & A_PFX))
			break;
		d->pre_clk += c->t->prefix;
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
		i->op2 = get8(&s);
		a = c->attr0f[i->op2];
	}
	i->op = op;
	i->op_ip = i->ip0 + s.n - 1;
	i->seg = i->ovr >= 0 ? (uint8_t)i->ovr : X86_DS;
	if (a & A_M) {
		if (i->asz == 4)
			modrm32(&s, d);
		else
			modrm16(c, &s, d);
	}
	if (a & A_GRP3) {
		if (i->reg < 2)
			i->imm = !(op & 1) ? get8(&s) : i->osz == 4 ? get32(&s) : get16(&s);
	} else if (a & A_I32) {
		i->imm = i->osz == 4 ? get32(&s) : get16(&s);
		i->imm2 = get16(&s);
	} else if (a & A_IV) {
		i->imm = i->osz == 4 ? get32(&s) : get16(&s);
		if (a & A_I8)
			i->imm2 = get8(&s);
	} else if (a & A_I16) {
		if (i->asz == 4 && op >= 0xa0 && op <= 0xa3 && !(a & A_0F))
			i->imm = get32(&s);
		else
			i->imm = get16(&s);
		if (a & A_I8)
			i->imm2 = get8(&s);
	} else if (a & A_I8) {
		i->imm = get8(&s);
	}
	if (s.cut)
		return 0;
	i->len = (uint16_t)s.n;
	/* x86i_decode raises #GP here; leave that to it. */
	if (c->segchk && (i->len > c->max_len || (uint64_t)eip + i->len - 1 > cs->limit))
		return 0;
	d->clk = (uint16_t)(d->pre_clk + c->t->base[op][(c->attr[op] & A_M) && i->mod != 3]);
	d->h = c->ops[op];
	d->ip_next = big ? eip + s.n : (uint16_t)(eip + s.n);
	return (int)s.n;
}

int x86i_blk_is_branch(const struct insn *i)
{
	uint8_t op = i->op;

	if (op == 0x0f)
		return (i->op2 >= 0x80 && i->op2 <= 0x8f) || i->op2 == 0x00 ||
		       i->op2 == 0x01 || i->op2 == 0x05 || i->op2 == 0x07 || i->op2 == 0x22 ||
		       i->op2 == 0x23 ||			/* MOV DRn: breakpoints */
		       i->op2 == 0x34 || i->op2 == 0x35;	/* SYSENTER, SYSEXIT */
	if (op >= 0x60 && op <= 0x7f)	/* Jcc, and the 8086's aliases of them */
		return op >= 0x70 || i->len == 2;
	if (op >= 0xe0 && op <= 0xef)	/* LOOP/JCXZ, CALL/JMP, and I/O */
		return 1;
	if (op >= 0xc2 && op <= 0xcf && op != 0xc4 && op != 0xc5 && op != 0xc6 && op != 0xc7)
		return 1;
	if (op == 0x9a || op == 0x9d || op == 0xf4 || op == 0xfa || op == 0xfb ||
	    op == 0x8e || op == 0x17 || op == 0x1f || op == 0x07)
		return 1;
	return op == 0xff && i->reg >= 2 && i->reg <= 5;
}
