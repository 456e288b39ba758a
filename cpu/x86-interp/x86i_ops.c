/* Opcode handlers for the 8086/8088 and 80186 and the dispatch table that
 * maps each first opcode byte to one of them.  Every handler has the same
 * signature and finds its operands decoded in struct insn; the dispatcher
 * has already charged the table's base clocks. */
#include "cpu/x86-interp/x86i_priv.h"
#include "cpu/x86-interp/x86i_prot.h"
#include "hw/ioport.h"

#define H(name) static void name(struct x86i_cpu *c, struct insn *i)

/* Protected mode proper (not real, not virtual-8086). */
static inline int pm(struct x86i_cpu *c)
{
	return pmode(c) && !(c->s->rflags & X86_VM);
}

/* The segment register a ModRM reg field names (the 8086 aliases 4-7 to
 * 0-3), or -1 where that is undefined (#UD). */
static int sreg_of(struct x86i_cpu *c, struct insn *i)
{
	unsigned n = (c->feat & CPUF_386) ? 6 : 4;

	if (i->reg >= n && (c->feat & CPUF_UD_EXC))
		return -1;
	return i->reg & ((c->feat & CPUF_386) ? 7 : 3);
}

static void sreg_loaded(struct x86i_cpu *c, int sreg)
{
	if (sreg == X86_SS || (c->feat & CPUF_SREG_SHADOW))
		c->s->intr_shadow = 1;
}

static void jump_rel(struct x86i_cpu *c, struct insn *i, int32_t rel, unsigned extra)
{
	jump_to(c, i, ip(c) + (uint32_t)rel);
	clk(c, extra);
}

/* --- 00-3F ------------------------------------------------------------ */

H(op_alu)
{
	int aop = (i->op >> 3) & 7;
	unsigned sz = opsz(i);
	int w = (int)(sz >> 1);
	uint32_t r;

	switch (i->op & 7) {
	case 0:
	case 1:
		r = x86i_alu(c, aop, get_rm(c, i, sz), rreg(c, i->reg, sz), w);
		if (aop != 7)
			set_rm(c, i, sz, r);
		break;
	case 2:
	case 3:
		r = x86i_alu(c, aop, rreg(c, i->reg, sz), get_rm(c, i, sz), w);
		if (aop != 7)
			wreg(c, i->reg, sz, r);
		break;
	default:
		r = x86i_alu(c, aop, rreg(c, 0, sz), sz == 1 ? (i->imm & 0xff) : i->imm, w);
		if (aop != 7)
			wreg(c, 0, sz, r);
		break;
	}
}

H(op_push_sreg)
{
	pushv(c, i->osz, c->s->seg[(i->op >> 3) & 3].sel);
}

H(op_pop_sreg)
{
	int sreg = (i->op >> 3) & 3;

	if (sreg == X86_CS && !(c->feat & CPUF_POP_CS)) {
		x86i_undefined(c, i);
		return;
	}
	{
		/* The stack pointer moves only once the load succeeded. */
		uint32_t sp = get_sp(c);
		uint16_t sel = (uint16_t)popv(c, i->osz);
		set_sp(c, sp);
		x86i_load_sreg(c, sreg, sel);
		set_sp(c, sp + i->osz);
	}
	sreg_loaded(c, sreg);
}

H(op_daa)
{
	uint8_t al = r8(c, 0), old = al;
	int old_cf = cf(c);
	/* 8086: the high adjust threshold is 9Fh when AF was already set. */
	uint8_t lim = (c->s->rflags & X86_AF) && !(c->feat & CPUF_PROT) ? 0x9f : 0x99;

	if ((al & 0x0f) > 9 || (c->s->rflags & X86_AF)) {
		al += 6;
		setf(c, X86_AF, 1);
	} else {
		setf(c, X86_AF, 0);
	}
	if (old > lim || old_cf) {
		al += 0x60;
		setf(c, X86_CF, 1);
	} else {
		setf(c, X86_CF, 0);
	}
	/* Undefined OF: the overflow of old + total correction. */
	setf(c, X86_OF, (old ^ al) & (((uint8_t)(al - old)) ^ al) & 0x80);
	w8(c, 0, al);
	x86i_szp(c, al, 0);
	(void)i;
}

H(op_das)
{
	uint8_t al = r8(c, 0), old = al;
	int old_cf = cf(c);
	/* 8086: the high adjust threshold is 9Fh when AF was already set. */
	uint8_t lim = (c->s->rflags & X86_AF) && !(c->feat & CPUF_PROT) ? 0x9f : 0x99;

	int borrow = 0;

	if ((al & 0x0f) > 9 || (c->s->rflags & X86_AF)) {
		/* 80286 on: the borrow out of AL - 6 also sets CF. */
		borrow = al < 6 && (c->feat & CPUF_PROT);
		al -= 6;
		setf(c, X86_AF, 1);
	} else {
		setf(c, X86_AF, 0);
	}
	if (old > lim || old_cf) {
		al -= 0x60;
		setf(c, X86_CF, 1);
	} else {
		setf(c, X86_CF, borrow);
	}
	/* Undefined OF: the overflow of old - total correction. */
	setf(c, X86_OF, (old ^ (uint8_t)(old - al)) & (old ^ al) & 0x80);
	w8(c, 0, al);
	x86i_szp(c, al, 0);
	(void)i;
}

/* AAA/AAS: 8086 adjusts AL and AH separately (no carry from AL into AH).
 * The undefined OF/SF/ZF/PF are those of the ALU's AL +/- 6 (or 0). */
H(op_aaa_aas)
{
	uint8_t al = r8(c, 0), ah = r8(c, 4);
	int sub = i->op == 0x3f;
	int adj = (al & 0x0f) > 9 || (c->s->rflags & X86_AF);
	uint8_t r = (uint8_t)x86i_alu(c, sub ? 5 : 0, al, adj ? 6 : 0, 0);

	if (adj)
		ah = sub ? ah - 1 : ah + 1;
	/* 80286: AL's carry or borrow from the +/-6 reaches AH as well. */
	if (adj && (c->feat & CPUF_PROT))
		ah += sub ? -(al < 6) : (al > 0xf9);
	setf(c, X86_AF, adj);
	setf(c, X86_CF, adj);
	w8(c, 0, r & 0x0f);
	w8(c, 4, ah);
}

/* --- 40-5F ------------------------------------------------------------ */

H(op_inc_dec_r16)
{
	int r = i->op & 7;
	unsigned sz = i->osz;

	wreg(c, r, sz, x86i_inc_dec(c, rreg(c, r, sz), i->op & 8, (int)(sz >> 1)));
}

H(op_push_r16)
{
	int r = i->op & 7;
	uint32_t v = rreg(c, r, i->osz);

	/* 8086/80186 push SP after the decrement. */
	if (r == X86_RSP && !(c->feat & CPUF_PUSH_SP_NEW))
		v -= 2;
	pushv(c, i->osz, v);
}

H(op_pop_r16)
{
	wreg(c, i->op & 7, i->osz, popv(c, i->osz));
}

/* --- 60-7F ------------------------------------------------------------ */

X86I_INLINE int cond_is(struct x86i_cpu *c, int cc)
{
	uint64_t f = c->s->rflags;
	int r;

	switch (cc >> 1) {
	case 0: r = (f & X86_OF) != 0; break;
	case 1: r = (f & X86_CF) != 0; break;
	case 2: r = (f & X86_ZF) != 0; break;
	case 3: r = (f & (X86_CF | X86_ZF)) != 0; break;
	case 4: r = (f & X86_SF) != 0; break;
	case 5: r = (f & X86_PF) != 0; break;
	case 6: r = !(f & X86_SF) != !(f & X86_OF); break;
	default: r = (f & X86_ZF) || (!(f & X86_SF) != !(f & X86_OF)); break;
	}
	return r ^ (cc & 1);
}

int x86i_cond(struct x86i_cpu *c, int cc)
{
	return cond_is(c, cc);
}

H(op_jcc)
{
	if (x86i_cond(c, i->op & 0x0f))
		jump_rel(c, i, (int8_t)i->imm, c->t->jcc_taken);
}

H(op_pusha)
{
	uint32_t sp = rreg(c, X86_RSP, i->osz);

	for (int r = 0; r < 8; r++)
		pushv(c, i->osz, r == X86_RSP ? sp : rreg(c, r, i->osz));
}

H(op_popa)
{
	for (int r = 7; r >= 0; r--) {
		uint32_t v = popv(c, i->osz);
		if (r != X86_RSP)
			wreg(c, r, i->osz, v);
	}
}

H(op_bound)
{
	int32_t v, lo, hi;

	if (i->mod == 3) {
		x86i_undefined(c, i);
		return;
	}
	if (i->osz == 4) {
		v = (int32_t)r32(c, i->reg);
		lo = (int32_t)rd32(c, i->seg, i->ea);
		hi = (int32_t)rd32(c, i->seg, i->ea + 4);
	} else {
		v = (int16_t)r16(c, i->reg);
		lo = (int16_t)rd16(c, i->seg, i->ea);
		hi = (int16_t)rd16(c, i->seg, c->segchk ? i->ea + 2 : (uint16_t)(i->ea + 2));
	}
	if (v < lo || v > hi) {
		if (c->feat & CPUF_PROT)
			x86i_raise(c, 5, -1);
		set_ip(c, i->ip0);
		x86i_interrupt(c, 5);
		clk(c, c->t->intr);
	}
}

H(op_push_imm)
{
	pushv(c, i->osz, i->op == 0x6a ? (uint32_t)(int8_t)i->imm : i->imm);
}

H(op_imul_imm)
{
	if (i->osz == 4) {
		int32_t b = i->op == 0x6b ? (int8_t)i->imm : (int32_t)i->imm;
		w32(c, i->reg, x86i_imul32(c, (int32_t)get_rm(c, i, 4), b));
	} else {
		int16_t b = i->op == 0x6b ? (int8_t)i->imm : (int16_t)i->imm;
		w16(c, i->reg, x86i_imul16(c, (int16_t)get_rm16(c, i), b));
	}
	clk(c, c->t->imul16);
}

H(op_ud)
{
	x86i_undefined(c, i);
}

/* --- 80-8F ------------------------------------------------------------ */

H(op_grp1)
{
	unsigned sz = opsz(i);
	int aop = i->reg, w = (int)(sz >> 1);
	uint32_t b = i->op == 0x83 ? (uint32_t)(int8_t)i->imm : i->imm;
	uint32_t r;

	/* CMP mem,imm does not write back: 8086 10 clocks against 17. */
	if (aop == 7 && i->mod != 3 && c->t->ea_clocks)
		c->s->cycles -= 7;
	if (sz == 2)
		b &= 0xffff;
	else if (sz == 1)
		b &= 0xff;
	r = x86i_alu(c, aop, get_rm(c, i, sz), b, w);
	if (aop != 7)
		set_rm(c, i, sz, r);
}

H(op_test_rm)
{
	unsigned sz = opsz(i);

	x86i_alu(c, 4, get_rm(c, i, sz), rreg(c, i->reg, sz), (int)(sz >> 1));
}

H(op_xchg_rm)
{
	unsigned sz = opsz(i);
	uint32_t a = get_rm(c, i, sz);

	set_rm(c, i, sz, rreg(c, i->reg, sz));
	wreg(c, i->reg, sz, a);
}

H(op_mov_rm)
{
	unsigned sz = opsz(i);

	if (i->op & 2)
		wreg(c, i->reg, sz, get_rm(c, i, sz));
	else
		set_rm(c, i, sz, rreg(c, i->reg, sz));
}

H(op_mov_rm_sreg)
{
	int sreg = sreg_of(c, i);

	if (sreg < 0) {
		x86i_undefined(c, i);
		return;
	}
	/* A 32-bit register gets the selector zero-extended. */
	if (i->mod == 3 && i->osz == 4)
		w32(c, i->rm, c->s->seg[sreg].sel);
	else
		set_rm16(c, i, c->s->seg[sreg].sel);
}

H(op_mov_sreg_rm)
{
	int sreg = sreg_of(c, i);

	if (sreg < 0 || (sreg == X86_CS && (c->feat & CPUF_UD_EXC))) {
		x86i_undefined(c, i);
		return;
	}
	x86i_load_sreg(c, sreg, get_rm16(c, i));
	sreg_loaded(c, sreg);
}

H(op_lea)
{
	if (i->mod == 3) {
		/* 8086: the register form yields the last computed address. */
		if (c->feat & CPUF_UD_EXC) {
			x86i_undefined(c, i);
			return;
		}
		w16(c, i->reg, c->last_ea);
		return;
	}
	wreg(c, i->reg, i->osz, i->ea);
}

H(op_pop_rm)
{
	uint32_t v;

	if (i->reg && (c->feat & CPUF_PROT)) {
		x86i_undefined(c, i);
		return;
	}
	v = popv(c, i->osz);
	set_rm(c, i, i->osz, v);
}

/* --- 90-9F ------------------------------------------------------------ */

H(op_xchg_ax)
{
	int r = i->op & 7;
	uint32_t a = rreg(c, X86_RAX, i->osz);

	wreg(c, X86_RAX, i->osz, rreg(c, r, i->osz));
	wreg(c, r, i->osz, a);
}

H(op_cbw)
{
	if (i->osz == 4)
		w32(c, X86_RAX, (uint32_t)(int16_t)r16(c, X86_RAX));
	else
		w16(c, X86_RAX, (uint16_t)(int8_t)r8(c, 0));
}

H(op_cwd)
{
	if (i->osz == 4)
		w32(c, X86_RDX, r32(c, X86_RAX) & 0x80000000u ? 0xffffffffu : 0);
	else
		w16(c, X86_RDX, r16(c, X86_RAX) & 0x8000 ? 0xffff : 0);
}

H(op_call_far)
{
	if (pm(c)) {
		x86i_far_call(c, i->imm2, i->imm, i->osz);
		return;
	}
	pushv(c, i->osz, c->s->seg[X86_CS].sel);
	pushv(c, i->osz, ip(c));
	x86i_load_sreg(c, X86_CS, i->imm2);
	jump_to(c, i, i->imm);
}

H(op_nop)
{
	(void)c;
	(void)i;
}

H(op_pushf)
{
	if ((c->s->rflags & X86_VM) && ((c->s->rflags >> 12) & 3) < 3) {
		if (i->osz == 2 && x86i_vif_mode(c)) {
			push16(c, x86i_vif_flags_image(c));
			return;
		}
		x86i_raise(c, X86I_GP, 0);
	}
	if (i->osz == 4)
		push32(c, (uint32_t)c->s->rflags & ~(uint32_t)(X86_VM | X86_RF));
	else
		push16(c, fl(c));
}

H(op_popf)
{
	if ((c->s->rflags & X86_VM) && ((c->s->rflags >> 12) & 3) < 3) {
		if (i->osz == 2 && x86i_vif_mode(c)) {
			x86i_vif_load_flags(c, pop16(c));
			return;
		}
		x86i_raise(c, X86I_GP, 0);
	}
	if (i->osz == 4)
		x86i_set_eflags(c, pop32(c), 0);
	else
		x86i_set_flags(c, pop16(c));
}

H(op_sahf)
{
	uint16_t f = (fl(c) & 0xff00) | (r8(c, 4) & 0xd5);
	x86i_set_flags(c, f);
	(void)i;
}

H(op_lahf)
{
	w8(c, 4, (uint8_t)fl(c));
	(void)i;
}

/* --- A0-BF ------------------------------------------------------------ */

H(op_mov_moffs)
{
	unsigned sz = opsz(i);

	if (i->op & 2)
		wrm(c, i->seg, i->imm, sz, rreg(c, 0, sz));
	else
		wreg(c, 0, sz, rdm(c, i->seg, i->imm, sz));
}

H(op_test_acc)
{
	unsigned sz = opsz(i);

	x86i_alu(c, 4, rreg(c, 0, sz), sz == 1 ? (i->imm & 0xff) : i->imm, (int)(sz >> 1));
}

H(op_mov_r_imm)
{
	if (i->op & 8)
		wreg(c, i->op & 7, i->osz, i->imm);
	else
		w8(c, i->op & 7, (uint8_t)i->imm);
}

/* --- C0-CF ------------------------------------------------------------ */

/* C2/C3 (and the 8086 aliases C0/C1): RET [imm16]. */
H(op_ret)
{
	uint32_t nip = popv(c, i->osz);

	jump_to(c, i, nip);
	if (!(i->op & 1))
		set_sp(c, get_sp(c) + (uint16_t)i->imm);
}

/* CA/CB (and the 8086 aliases C8/C9): RETF [imm16]. */
H(op_retf)
{
	uint32_t nip;
	uint16_t n = (i->op & 1) ? 0 : (uint16_t)i->imm;

	if (pm(c)) {
		x86i_far_ret(c, n, i->osz);
		return;
	}
	nip = popv(c, i->osz);
	x86i_load_sreg(c, X86_CS, (uint16_t)popv(c, i->osz));
	jump_to(c, i, nip);
	set_sp(c, get_sp(c) + n);
}

H(op_les_lds)
{
	uint32_t ea = i->ea;
	uint32_t off;

	if (i->mod == 3) {
		if (c->feat & CPUF_UD_EXC) {
			x86i_undefined(c, i);
			return;
		}
		ea = c->last_ea;
	}
	off = rdm(c, i->seg, ea, i->osz);
	x86i_load_sreg(c, i->op == 0xc4 ? X86_ES : X86_DS,
		       rd16(c, i->seg, c->segchk ? ea + i->osz : (uint16_t)(ea + 2)));
	wreg(c, i->reg, i->osz, off);
}

H(op_mov_rm_imm)
{
	if (i->reg && (c->feat & CPUF_PROT)) {
		x86i_undefined(c, i);
		return;
	}
	set_rm(c, i, opsz(i), i->imm);
}

H(op_int3)
{
	x86i_soft_int(c, 3);
	(void)i;
}

H(op_int)
{
	x86i_soft_int(c, (uint8_t)i->imm);
}

H(op_into)
{
	if (c->s->rflags & X86_OF) {
		x86i_soft_int(c, 4);
		clk(c, c->t->intn);
	}
	(void)i;
}

H(op_iret)
{
	uint32_t nip, ncs, nfl;

	if (pmode(c)) {
		x86i_iret_pm(c, i->osz);
		c->s->nmi_blocked = 0;
		return;
	}
	nip = popv(c, i->osz);
	ncs = popv(c, i->osz);
	nfl = popv(c, i->osz);
	x86i_load_sreg(c, X86_CS, (uint16_t)ncs);
	jump_to(c, i, nip);
	if (i->osz == 4)
		x86i_set_eflags(c, nfl, 1);
	else
		x86i_set_flags(c, (uint16_t)nfl);
	c->s->nmi_blocked = 0;
}

H(op_enter)
{
	unsigned sz = i->osz, level = i->imm2 & 31;
	uint32_t frame, bp;

	pushv(c, sz, rreg(c, X86_RBP, sz));
	frame = get_sp(c);
	if (level) {
		bp = ss32(c) ? r32(c, X86_RBP) : r16(c, X86_RBP);
		for (unsigned n = 1; n < level; n++) {
			bp -= sz;
			if (!ss32(c))
				bp &= 0xffff;
			pushv(c, sz, rdm(c, X86_SS, bp, sz));
		}
		pushv(c, sz, frame);
		clk(c, 4 * level);
	}
	wreg(c, X86_RBP, sz, frame);
	set_sp(c, get_sp(c) - (uint16_t)i->imm);
}

H(op_leave)
{
	set_sp(c, ss32(c) ? r32(c, X86_RBP) : r16(c, X86_RBP));
	wreg(c, X86_RBP, i->osz, popv(c, i->osz));
}

/* --- D0-DF ------------------------------------------------------------ */

H(op_shift)
{
	unsigned sz = opsz(i), count;

	if (i->op >= 0xd2 && i->op <= 0xd3)
		count = r8(c, 1);
	else if (i->op < 0xd0)
		count = i->imm & 0xff;
	else
		count = 1;
	if (c->feat & CPUF_SHIFT_MASK)
		count &= 31;
	if (i->op < 0xd0 || i->op >= 0xd2)
		clk(c, c->t->shift_bit * count);
	set_rm(c, i, sz, x86i_shift(c, i->reg, get_rm(c, i, sz), count, (int)(sz >> 1)));
}

H(op_aam)
{
	uint8_t al = r8(c, 0), base = (uint8_t)i->imm;

	if (c->biu)
		x86i_biu_operand(c->biu, base);

	if (!base) {
		x86i_divide_error(c, i);
		return;
	}
	w8(c, 4, al / base);
	al %= base;
	w8(c, 0, al);
	c->s->rflags &= ~(uint64_t)(X86_CF | X86_OF | X86_AF);
	x86i_szp(c, al, 0);
}

/* AAD: the 8086 adds AH*imm to AL through the ALU, so CF/OF/AF come from
 * that byte addition. */
H(op_aad)
{
	uint8_t prod = (uint8_t)(r8(c, 4) * (uint8_t)i->imm);

	if (c->biu)
		x86i_biu_operand(c->biu, (uint8_t)i->imm);
	uint8_t al = (uint8_t)x86i_alu(c, 0, r8(c, 0), prod, 0);

	w16(c, X86_RAX, al);
}

H(op_salc)
{
	if (!(c->feat & CPUF_SALC)) {
		x86i_undefined(c, i);
		return;
	}
	w8(c, 0, cf(c) ? 0xff : 0);
}

H(op_xlat)
{
	uint32_t a = i->asz == 4 ? r32(c, X86_RBX) + r8(c, 0) :
		     (uint16_t)(r16(c, X86_RBX) + r8(c, 0));

	w8(c, 0, rd8(c, i->seg, a));
}

H(op_esc)
{
	x86i_esc(c, i);
}

H(op_wait)
{
	x86i_wait(c, i);
}

/* 0F: the second opcode byte selects from the 80286 system page. */
H(op_0f)
{
	c->op0f[i->op2](c, i);
}

/* --- E0-EF ------------------------------------------------------------ */

H(op_loop)
{
	unsigned asz = i->asz;
	uint32_t cx = rreg(c, X86_RCX, asz);
	int take;

	if (i->op == 0xe3) {
		take = cx == 0;
	} else {
		cx = asz == 4 ? cx - 1 : (uint16_t)(cx - 1);
		wreg(c, X86_RCX, asz, cx);
		take = cx != 0;
		if (i->op == 0xe0)
			take = take && !(c->s->rflags & X86_ZF);
		else if (i->op == 0xe1)
			take = take && (c->s->rflags & X86_ZF);
	}
	if (take)
		jump_rel(c, i, (int8_t)i->imm, c->t->loop_taken);
}

static void io_word_clk(struct x86i_cpu *c, uint16_t port)
{
	if (!c->bus16 || (port & 1))
		clk(c, c->word_pen);
}

H(op_in)
{
	uint16_t port = i->op & 8 ? r16(c, X86_RDX) : (uint8_t)i->imm;
	unsigned sz = opsz(i);

	x86i_io_check(c, port, sz);
	if (sz > 1)
		io_word_clk(c, port);
	if (c->biu)
		x86i_biu_note(c->biu, 'r', port, sz);
	wreg(c, X86_RAX, sz, ioport_read(c->m->io, port, (int)sz));
	x86i_mem_sync(c);
}

H(op_out)
{
	uint16_t port = i->op & 8 ? r16(c, X86_RDX) : (uint8_t)i->imm;
	unsigned sz = opsz(i);

	x86i_io_check(c, port, sz);
	if (sz > 1)
		io_word_clk(c, port);
	if (c->biu)
		x86i_biu_note(c->biu, 'w', port, sz);
	ioport_write(c->m->io, port, rreg(c, X86_RAX, sz), (int)sz);
	x86i_mem_sync(c);
}

H(op_call)
{
	pushv(c, i->osz, ip(c));
	jump_to(c, i, ip(c) + i->imm);
}

H(op_jmp)
{
	if (i->op == 0xeb)
		jump_to(c, i, ip(c) + (uint32_t)(int8_t)i->imm);
	else
		jump_to(c, i, ip(c) + i->imm);
}

H(op_jmp_far)
{
	if (pm(c)) {
		x86i_far_jmp(c, i->imm2, i->imm, i->osz);
		return;
	}
	x86i_load_sreg(c, X86_CS, i->imm2);
	jump_to(c, i, i->imm);
}

/* --- F0-FF ------------------------------------------------------------ */

H(op_hlt)
{
	/* CPL 3 in V86 mode too. */
	if (pmode(c) && c->cpl)
		x86i_raise(c, X86I_GP, 0);
	c->s->run_state = X86_HALTED;
	(void)i;
}

H(op_flagop)
{
	uint64_t *f = &c->s->rflags;

	switch (i->op) {
	case 0xf5: *f ^= X86_CF; break;
	case 0xf8: *f &= ~(uint64_t)X86_CF; break;
	case 0xf9: *f |= X86_CF; break;
	case 0xfa:
	case 0xfb:
		if (pmode(c) && c->cpl > ((*f >> 12) & 3)) {
			if (!x86i_vif_mode(c))
				x86i_raise(c, X86I_GP, 0);
			x86i_vif_cli_sti(c, i->op == 0xfb);
			break;
		}
		if (i->op == 0xfa) {
			*f &= ~(uint64_t)X86_IF;
			break;
		}
		if (!(*f & X86_IF))
			c->s->intr_shadow = 1;
		*f |= X86_IF;
		break;
	case 0xfc: *f &= ~(uint64_t)X86_DF; break;
	default: *f |= X86_DF; break;
	}
}

H(op_grp3)
{
	unsigned sz = opsz(i);
	int w = (int)(sz >> 1);

	switch (i->reg) {
	case 0:
	case 1:
		x86i_alu(c, 4, get_rm(c, i, sz), sz == 1 ? (i->imm & 0xff) : i->imm, w);
		break;
	case 2:
		set_rm(c, i, sz, ~get_rm(c, i, sz));
		break;
	case 3:
		set_rm(c, i, sz, x86i_alu(c, 5, 0, get_rm(c, i, sz), w));
		break;
	default:
		x86i_muldiv(c, i, i->reg, get_rm(c, i, sz), w);
		break;
	}
}

/* FF /2../7.  The far forms with a register operand are undefined; the
 * 8086 then uses the last address it computed. */
static void grp5_ctl(struct x86i_cpu *c, struct insn *i)
{
	unsigned sz = i->osz;
	uint32_t v, ea = i->ea;
	uint16_t sel;

	if ((i->reg == 3 || i->reg == 5) && i->mod == 3) {
		if (c->feat & CPUF_UD_EXC) {
			x86i_undefined(c, i);
			return;
		}
		ea = c->last_ea;
	}
	switch (i->reg) {
	case 2:
		v = get_rm(c, i, sz);
		pushv(c, sz, ip(c));
		jump_to(c, i, v);
		break;
	case 4:
		jump_to(c, i, get_rm(c, i, sz));
		break;
	case 3:
	case 5:
		v = rdm(c, i->seg, ea, sz);
		sel = rd16(c, i->seg, c->segchk ? ea + sz : (uint16_t)(ea + 2));
		if (pm(c)) {
			if (i->reg == 3)
				x86i_far_call(c, sel, v, sz);
			else
				x86i_far_jmp(c, sel, v, sz);
			break;
		}
		if (i->reg == 3) {
			pushv(c, sz, c->s->seg[X86_CS].sel);
			pushv(c, sz, ip(c));
		}
		x86i_load_sreg(c, X86_CS, sel);
		jump_to(c, i, v);
		break;
	default:
		if (i->mod == 3 && i->rm == X86_RSP && !(c->feat & CPUF_PUSH_SP_NEW)) {
			push16(c, (uint16_t)(r16(c, X86_RSP) - 2));
			break;
		}
		pushv(c, sz, get_rm(c, i, sz));
		break;
	}
}

/* FE /2../7 on the 8086: the FF forms run with a byte operand.  What
 * hardware recordings show (SingleStepTests "undefined" sets): a memory
 * byte becomes a word with high byte FFh; a register operand yields its
 * whole register pair byte-swapped; the far forms take the selector's low
 * byte from the default segment whatever the override; PUSH decrements SP
 * before reading.  The far forms with a register operand are not modelled
 * beyond using the last computed address. */
static void grp4_ctl(struct x86i_cpu *c, struct insn *i)
{
	uint16_t v, sel, ea = i->mod == 3 ? c->last_ea : i->ea;
	int dseg = (i->rm == 2 || i->rm == 3 || (i->rm == 6 && i->mod != 0)) ?
		   X86_SS : X86_DS;

	if (i->mod == 3) {
		uint16_t pair = r16(c, i->rm & 3);
		v = (uint16_t)(pair << 8 | pair >> 8);
	} else {
		v = 0xff00 | rd8(c, i->seg, ea);
	}
	switch (i->reg) {
	case 2:
		push16(c, ip(c));
		set_ip(c, v);
		break;
	case 4:
		set_ip(c, v);
		break;
	case 3:
	case 5:
		v = 0xff00 | rd8(c, i->seg, ea);
		sel = 0xff00 | rd8(c, dseg, (uint16_t)(ea + 2));
		if (i->reg == 3) {
			push16(c, c->s->seg[X86_CS].sel);
			push16(c, ip(c));
		}
		x86i_load_sreg(c, X86_CS, sel);
		set_ip(c, v);
		break;
	default: {
		uint16_t sp = (uint16_t)(r16(c, X86_RSP) - 2);
		w16(c, X86_RSP, sp);
		v = 0xff00 | get_rm8(c, i);
		wr16(c, X86_SS, sp, v);
		break;
	}
	}
}

H(op_grp4)
{
	if (i->reg < 2) {
		set_rm8(c, i, (uint8_t)x86i_inc_dec(c, get_rm8(c, i), i->reg, 0));
		return;
	}
	if (c->feat & CPUF_UD_EXC) {
		x86i_undefined(c, i);
		return;
	}
	grp4_ctl(c, i);
}

H(op_grp5)
{
	clk(c, c->t->grp5[i->reg][i->mod != 3]);
	if (i->reg < 2) {
		set_rm(c, i, i->osz, x86i_inc_dec(c, get_rm(c, i, i->osz), i->reg,
						  (int)(i->osz >> 1)));
		return;
	}
	if (i->reg == 7 && (c->feat & CPUF_UD_EXC)) {
		x86i_undefined(c, i);
		return;
	}
	grp5_ctl(c, i);
}

H(op_string)
{
	x86i_string(c, i);
}

void x86i_build_ops(x86i_handler *ops, uint32_t feat)
{
	for (int op = 0; op < 256; op++)
		ops[op] = op_nop;
	for (int op = 0; op < 0x40; op++) {
		if ((op & 7) < 6)
			ops[op] = op_alu;
	}
	ops[0x06] = ops[0x0e] = ops[0x16] = ops[0x1e] = op_push_sreg;
	ops[0x07] = ops[0x0f] = ops[0x17] = ops[0x1f] = op_pop_sreg;
	ops[0x27] = op_daa;
	ops[0x2f] = op_das;
	ops[0x37] = ops[0x3f] = op_aaa_aas;
	for (int op = 0x40; op < 0x50; op++)
		ops[op] = op_inc_dec_r16;
	for (int op = 0x50; op < 0x58; op++)
		ops[op] = op_push_r16;
	for (int op = 0x58; op < 0x60; op++)
		ops[op] = op_pop_r16;
	for (int op = 0x60; op < 0x80; op++)
		ops[op] = op_jcc;
	for (int op = 0x80; op < 0x84; op++)
		ops[op] = op_grp1;
	ops[0x84] = ops[0x85] = op_test_rm;
	ops[0x86] = ops[0x87] = op_xchg_rm;
	for (int op = 0x88; op < 0x8c; op++)
		ops[op] = op_mov_rm;
	ops[0x8c] = op_mov_rm_sreg;
	ops[0x8d] = op_lea;
	ops[0x8e] = op_mov_sreg_rm;
	ops[0x8f] = op_pop_rm;
	for (int op = 0x91; op < 0x98; op++)
		ops[op] = op_xchg_ax;
	ops[0x98] = op_cbw;
	ops[0x99] = op_cwd;
	ops[0x9a] = op_call_far;
	ops[0x9b] = op_wait;
	ops[0x9c] = op_pushf;
	ops[0x9d] = op_popf;
	ops[0x9e] = op_sahf;
	ops[0x9f] = op_lahf;
	for (int op = 0xa0; op < 0xa4; op++)
		ops[op] = op_mov_moffs;
	for (int op = 0xa4; op < 0xb0; op++)
		ops[op] = op_string;
	ops[0xa8] = ops[0xa9] = op_test_acc;
	for (int op = 0xb0; op < 0xc0; op++)
		ops[op] = op_mov_r_imm;
	ops[0xc0] = ops[0xc1] = ops[0xc2] = ops[0xc3] = op_ret;
	ops[0xc4] = ops[0xc5] = op_les_lds;
	ops[0xc6] = ops[0xc7] = op_mov_rm_imm;
	ops[0xc8] = ops[0xc9] = ops[0xca] = ops[0xcb] = op_retf;
	ops[0xcc] = op_int3;
	ops[0xcd] = op_int;
	ops[0xce] = op_into;
	ops[0xcf] = op_iret;
	ops[0xd0] = ops[0xd1] = ops[0xd2] = ops[0xd3] = op_shift;
	ops[0xd4] = op_aam;
	ops[0xd5] = op_aad;
	ops[0xd6] = op_salc;
	ops[0xd7] = op_xlat;
	for (int op = 0xd8; op < 0xe0; op++)
		ops[op] = op_esc;
	for (int op = 0xe0; op < 0xe4; op++)
		ops[op] = op_loop;
	ops[0xe4] = ops[0xe5] = ops[0xec] = ops[0xed] = op_in;
	ops[0xe6] = ops[0xe7] = ops[0xee] = ops[0xef] = op_out;
	ops[0xe8] = op_call;
	ops[0xe9] = ops[0xeb] = op_jmp;
	ops[0xea] = op_jmp_far;
	ops[0xf4] = op_hlt;
	ops[0xf5] = op_flagop;
	for (int op = 0xf8; op < 0xfe; op++)
		ops[op] = op_flagop;
	ops[0xf6] = ops[0xf7] = op_grp3;
	ops[0xfe] = op_grp4;
	ops[0xff] = op_grp5;

	if (feat & CPUF_186_OPS) {
		ops[0x60] = op_pusha;
		ops[0x61] = op_popa;
		ops[0x62] = op_bound;
		for (int op = 0x63; op < 0x68; op++)
			ops[op] = op_ud;
		ops[0x68] = ops[0x6a] = op_push_imm;
		ops[0x69] = ops[0x6b] = op_imul_imm;
		for (int op = 0x6c; op < 0x70; op++)
			ops[op] = op_string;
		ops[0xc0] = ops[0xc1] = op_shift;
		ops[0xc8] = op_enter;
		ops[0xc9] = op_leave;
	}
	if (!(feat & CPUF_POP_CS))
		ops[0x0f] = op_ud;
	if (feat & CPUF_PROT) {
		ops[0x0f] = op_0f;
		ops[0x63] = x86i_op_arpl;
	}
}

/* --- fixed forms -------------------------------------------------------
 * The commonest instructions with their operand size (and direction) fixed
 * at decode time, for run_quiet (x86i_fast_handler).  Each is the generic
 * handler above with those made constants, through the same operations, so
 * the effect, the flags and the clocks are the same: they exist so that the
 * compiler drops what the constants decide. */

/* x86i_alu_op with the operation a constant in each case. */
X86I_INLINE uint32_t alu_by(struct x86i_cpu *c, int aop, uint32_t a, uint32_t b, int w)
{
	switch (aop) {
	case 0: return x86i_alu_op(c, 0, a, b, w);
	case 1: return x86i_alu_op(c, 1, a, b, w);
	case 2: return x86i_alu_op(c, 2, a, b, w);
	case 3: return x86i_alu_op(c, 3, a, b, w);
	case 4: return x86i_alu_op(c, 4, a, b, w);
	case 5: return x86i_alu_op(c, 5, a, b, w);
	case 6: return x86i_alu_op(c, 6, a, b, w);
	default: return x86i_alu_op(c, 7, a, b, w);
	}
}

/* op_alu's ModRM forms: to_reg 0 for op r/m, reg (00/01), 1 for op reg,
 * r/m (02/03); sz the operand size the opcode and osz give. */
X86I_INLINE void alu_modrm(struct x86i_cpu *c, struct insn *i, unsigned sz, int to_reg)
{
	int aop = (i->op >> 3) & 7, w = (int)(sz >> 1);
	uint32_t r;

	if (!to_reg) {
		r = alu_by(c, aop, get_rm(c, i, sz), rreg(c, i->reg, sz), w);
		if (aop != 7)
			set_rm(c, i, sz, r);
	} else {
		r = alu_by(c, aop, rreg(c, i->reg, sz), get_rm(c, i, sz), w);
		if (aop != 7)
			wreg(c, i->reg, sz, r);
	}
}

/* For the register forms (mod 3, which x86i_fast_handler checked): lets
 * the compiler drop the memory operand's path. */
X86I_INLINE void reg_form(const struct insn *i)
{
	if (i->mod != 3)
		__builtin_unreachable();
}

H(op_alu_to_rm8) { alu_modrm(c, i, 1, 0); }
H(op_alu_to_rm16) { alu_modrm(c, i, 2, 0); }
H(op_alu_to_rm32) { alu_modrm(c, i, 4, 0); }
H(op_alu_to_r8) { alu_modrm(c, i, 1, 1); }
H(op_alu_to_r16) { alu_modrm(c, i, 2, 1); }
H(op_alu_to_r32) { alu_modrm(c, i, 4, 1); }

/* The register forms of 16 and 32 bits, also with the operation fixed (a
 * host branch on it per instruction would mispredict): dst rm for 01/09/..,
 * reg for 03/0B/.., the same once the operands are picked (alu_modrm). */
X86I_INLINE void alu_rr(struct x86i_cpu *c, struct insn *i, int aop, unsigned sz)
{
	int to_reg = (i->op & 2) != 0;
	int dst = to_reg ? i->reg : i->rm, src = to_reg ? i->rm : i->reg;
	uint32_t r;

	r = x86i_alu_op(c, aop, rreg(c, dst, sz), rreg(c, src, sz), (int)(sz >> 1));
	if (aop != 7)
		wreg(c, dst, sz, r);
}

H(op_add_rr16) { alu_rr(c, i, 0, 2); }
H(op_or_rr16) { alu_rr(c, i, 1, 2); }
H(op_adc_rr16) { alu_rr(c, i, 2, 2); }
H(op_sbb_rr16) { alu_rr(c, i, 3, 2); }
H(op_and_rr16) { alu_rr(c, i, 4, 2); }
H(op_sub_rr16) { alu_rr(c, i, 5, 2); }
H(op_xor_rr16) { alu_rr(c, i, 6, 2); }
H(op_cmp_rr16) { alu_rr(c, i, 7, 2); }
H(op_add_rr32) { alu_rr(c, i, 0, 4); }
H(op_or_rr32) { alu_rr(c, i, 1, 4); }
H(op_adc_rr32) { alu_rr(c, i, 2, 4); }
H(op_sbb_rr32) { alu_rr(c, i, 3, 4); }
H(op_and_rr32) { alu_rr(c, i, 4, 4); }
H(op_sub_rr32) { alu_rr(c, i, 5, 4); }
H(op_xor_rr32) { alu_rr(c, i, 6, 4); }
H(op_cmp_rr32) { alu_rr(c, i, 7, 4); }

static const x86i_handler alu_rr16[8] = {
	op_add_rr16, op_or_rr16, op_adc_rr16, op_sbb_rr16,
	op_and_rr16, op_sub_rr16, op_xor_rr16, op_cmp_rr16,
};
static const x86i_handler alu_rr32[8] = {
	op_add_rr32, op_or_rr32, op_adc_rr32, op_sbb_rr32,
	op_and_rr32, op_sub_rr32, op_xor_rr32, op_cmp_rr32,
};

/* op_alu's accumulator, immediate forms (04/05 ...). */
X86I_INLINE void alu_acc(struct x86i_cpu *c, struct insn *i, unsigned sz)
{
	int aop = (i->op >> 3) & 7;
	uint32_t r = alu_by(c, aop, rreg(c, 0, sz), sz == 1 ? (i->imm & 0xff) : i->imm,
			    (int)(sz >> 1));

	if (aop != 7)
		wreg(c, 0, sz, r);
}

H(op_alu_acc8) { alu_acc(c, i, 1); }
H(op_alu_acc16) { alu_acc(c, i, 2); }
H(op_alu_acc32) { alu_acc(c, i, 4); }

/* op_grp1 of one size. */
X86I_INLINE void grp1_sz(struct x86i_cpu *c, struct insn *i, unsigned sz)
{
	int aop = i->reg, w = (int)(sz >> 1);
	uint32_t b = i->op == 0x83 ? (uint32_t)(int8_t)i->imm : i->imm;
	uint32_t r;

	if (aop == 7 && i->mod != 3 && c->t->ea_clocks)
		c->s->cycles -= 7;
	if (sz == 2)
		b &= 0xffff;
	else if (sz == 1)
		b &= 0xff;
	r = alu_by(c, aop, get_rm(c, i, sz), b, w);
	if (aop != 7)
		set_rm(c, i, sz, r);
}

H(op_grp1_8) { grp1_sz(c, i, 1); }
H(op_grp1_16) { grp1_sz(c, i, 2); }
H(op_grp1_32) { grp1_sz(c, i, 4); }

/* Group 1 on a register of 16 or 32 bits with the operation fixed. */
X86I_INLINE void grp1_r(struct x86i_cpu *c, struct insn *i, int aop, unsigned sz)
{
	uint32_t b = i->op == 0x83 ? (uint32_t)(int8_t)i->imm : i->imm;
	uint32_t r;

	if (sz == 2)
		b &= 0xffff;
	r = x86i_alu_op(c, aop, rreg(c, i->rm, sz), b, (int)(sz >> 1));
	if (aop != 7)
		wreg(c, i->rm, sz, r);
}

H(op_add_ri16) { grp1_r(c, i, 0, 2); }
H(op_or_ri16) { grp1_r(c, i, 1, 2); }
H(op_adc_ri16) { grp1_r(c, i, 2, 2); }
H(op_sbb_ri16) { grp1_r(c, i, 3, 2); }
H(op_and_ri16) { grp1_r(c, i, 4, 2); }
H(op_sub_ri16) { grp1_r(c, i, 5, 2); }
H(op_xor_ri16) { grp1_r(c, i, 6, 2); }
H(op_cmp_ri16) { grp1_r(c, i, 7, 2); }
H(op_add_ri32) { grp1_r(c, i, 0, 4); }
H(op_or_ri32) { grp1_r(c, i, 1, 4); }
H(op_adc_ri32) { grp1_r(c, i, 2, 4); }
H(op_sbb_ri32) { grp1_r(c, i, 3, 4); }
H(op_and_ri32) { grp1_r(c, i, 4, 4); }
H(op_sub_ri32) { grp1_r(c, i, 5, 4); }
H(op_xor_ri32) { grp1_r(c, i, 6, 4); }
H(op_cmp_ri32) { grp1_r(c, i, 7, 4); }

static const x86i_handler grp1_ri16[8] = {
	op_add_ri16, op_or_ri16, op_adc_ri16, op_sbb_ri16,
	op_and_ri16, op_sub_ri16, op_xor_ri16, op_cmp_ri16,
};
static const x86i_handler grp1_ri32[8] = {
	op_add_ri32, op_or_ri32, op_adc_ri32, op_sbb_ri32,
	op_and_ri32, op_sub_ri32, op_xor_ri32, op_cmp_ri32,
};

/* op_mov_rm of one size and direction. */
X86I_INLINE void mov_modrm(struct x86i_cpu *c, struct insn *i, unsigned sz, int to_reg)
{
	if (to_reg)
		wreg(c, i->reg, sz, get_rm(c, i, sz));
	else
		set_rm(c, i, sz, rreg(c, i->reg, sz));
}

H(op_mov_to_rm8) { mov_modrm(c, i, 1, 0); }
H(op_mov_to_rm16) { mov_modrm(c, i, 2, 0); }
H(op_mov_to_rm32) { mov_modrm(c, i, 4, 0); }
H(op_mov_to_r8) { mov_modrm(c, i, 1, 1); }
H(op_mov_to_r16) { mov_modrm(c, i, 2, 1); }
H(op_mov_to_r32) { mov_modrm(c, i, 4, 1); }
/* For the memory forms (mod 0-2), likewise. */
X86I_INLINE void mem_form(const struct insn *i)
{
	if (i->mod == 3)
		__builtin_unreachable();
}

H(op_mov_store16) { mem_form(i); mov_modrm(c, i, 2, 0); }
H(op_mov_store32) { mem_form(i); mov_modrm(c, i, 4, 0); }
H(op_mov_load16) { mem_form(i); mov_modrm(c, i, 2, 1); }
H(op_mov_load32) { mem_form(i); mov_modrm(c, i, 4, 1); }
H(op_mov_rr_to_rm16) { reg_form(i); mov_modrm(c, i, 2, 0); }
H(op_mov_rr_to_rm32) { reg_form(i); mov_modrm(c, i, 4, 0); }
H(op_mov_rr_to_r16) { reg_form(i); mov_modrm(c, i, 2, 1); }
H(op_mov_rr_to_r32) { reg_form(i); mov_modrm(c, i, 4, 1); }

/* op_inc_dec_r16, op_push_r16, op_pop_r16 and op_mov_r_imm (B8-BF) of
 * one operand size. */
X86I_INLINE void inc_dec_sz(struct x86i_cpu *c, struct insn *i, unsigned sz)
{
	int r = i->op & 7;

	wreg(c, r, sz, x86i_inc_dec_op(c, rreg(c, r, sz), i->op & 8, (int)(sz >> 1)));
}

H(op_inc_dec_16) { inc_dec_sz(c, i, 2); }
H(op_inc_dec_32) { inc_dec_sz(c, i, 4); }

X86I_INLINE void push_r_sz(struct x86i_cpu *c, struct insn *i, unsigned sz)
{
	int r = i->op & 7;
	uint32_t v = rreg(c, r, sz);

	if (r == X86_RSP && !(c->feat & CPUF_PUSH_SP_NEW))
		v -= 2;
	pushv(c, sz, v);
}

H(op_push_16) { push_r_sz(c, i, 2); }
H(op_push_32) { push_r_sz(c, i, 4); }
H(op_pop_16) { wreg(c, i->op & 7, 2, popv(c, 2)); }
H(op_pop_32) { wreg(c, i->op & 7, 4, popv(c, 4)); }
H(op_mov_imm_16) { wreg(c, i->op & 7, 2, i->imm); }
H(op_mov_imm_32) { wreg(c, i->op & 7, 4, i->imm); }

/* op_call and op_ret (C3) of one operand size. */
H(op_call_16)
{
	uint32_t next = ip(c);

	pushv(c, 2, next);
	c->s->rip = (next + i->imm) & 0xffff;
}
H(op_call_32)
{
	uint32_t next = ip(c);

	pushv(c, 4, next);
	c->s->rip = next + i->imm;
}
H(op_ret_16)
{
	c->s->rip = popv(c, 2) & 0xffff;
}
H(op_ret_32)
{
	c->s->rip = popv(c, 4);
}

/* op_shift by 1 (D1) or an immediate (C1) on a register of 16 or 32
 * bits, with the operation fixed. */
X86I_INLINE void shift_r(struct x86i_cpu *c, struct insn *i, int sop, unsigned sz)
{
	unsigned count = i->op == 0xd1 ? 1 : i->imm & 0xff;

	if (c->feat & CPUF_SHIFT_MASK)
		count &= 31;
	if (i->op != 0xd1)
		clk(c, c->t->shift_bit * count);
	wreg(c, i->rm, sz, x86i_shift_op(c, sop, rreg(c, i->rm, sz), count, (int)(sz >> 1)));
}

H(op_rol_r16) { shift_r(c, i, 0, 2); }
H(op_ror_r16) { shift_r(c, i, 1, 2); }
H(op_rcl_r16) { shift_r(c, i, 2, 2); }
H(op_rcr_r16) { shift_r(c, i, 3, 2); }
H(op_shl_r16) { shift_r(c, i, 4, 2); }
H(op_shr_r16) { shift_r(c, i, 5, 2); }
H(op_sal_r16) { shift_r(c, i, 6, 2); }
H(op_sar_r16) { shift_r(c, i, 7, 2); }
H(op_rol_r32) { shift_r(c, i, 0, 4); }
H(op_ror_r32) { shift_r(c, i, 1, 4); }
H(op_rcl_r32) { shift_r(c, i, 2, 4); }
H(op_rcr_r32) { shift_r(c, i, 3, 4); }
H(op_shl_r32) { shift_r(c, i, 4, 4); }
H(op_shr_r32) { shift_r(c, i, 5, 4); }
H(op_sal_r32) { shift_r(c, i, 6, 4); }
H(op_sar_r32) { shift_r(c, i, 7, 4); }

static const x86i_handler shift_r16[8] = {
	op_rol_r16, op_ror_r16, op_rcl_r16, op_rcr_r16,
	op_shl_r16, op_shr_r16, op_sal_r16, op_sar_r16,
};
static const x86i_handler shift_r32[8] = {
	op_rol_r32, op_ror_r32, op_rcl_r32, op_rcr_r32,
	op_shl_r32, op_shr_r32, op_sal_r32, op_sar_r32,
};

/* op_jcc with the condition fixed. */
X86I_INLINE void jcc_by(struct x86i_cpu *c, struct insn *i, int cc)
{
	if (cond_is(c, cc))
		jump_rel(c, i, (int8_t)i->imm, c->t->jcc_taken);
}

H(op_jo) { jcc_by(c, i, 0); }
H(op_jno) { jcc_by(c, i, 1); }
H(op_jb) { jcc_by(c, i, 2); }
H(op_jnb) { jcc_by(c, i, 3); }
H(op_jz) { jcc_by(c, i, 4); }
H(op_jnz) { jcc_by(c, i, 5); }
H(op_jbe) { jcc_by(c, i, 6); }
H(op_ja) { jcc_by(c, i, 7); }
H(op_js) { jcc_by(c, i, 8); }
H(op_jns) { jcc_by(c, i, 9); }
H(op_jp) { jcc_by(c, i, 10); }
H(op_jnp) { jcc_by(c, i, 11); }
H(op_jl) { jcc_by(c, i, 12); }
H(op_jge) { jcc_by(c, i, 13); }
H(op_jle) { jcc_by(c, i, 14); }
H(op_jg) { jcc_by(c, i, 15); }

static const x86i_handler jcc_tab[16] = {
	op_jo, op_jno, op_jb, op_jnb, op_jz, op_jnz, op_jbe, op_ja,
	op_js, op_jns, op_jp, op_jnp, op_jl, op_jge, op_jle, op_jg,
};

int x86i_fast_regonly(x86i_handler h)
{
	for (int k = 0; k < 8; k++) {
		if (h == alu_rr16[k] || h == alu_rr32[k] || h == grp1_ri16[k] ||
		    h == grp1_ri32[k] || h == shift_r16[k] || h == shift_r32[k])
			return 1;
	}
	for (int k = 0; k < 16; k++) {
		if (h == jcc_tab[k])
			return 1;
	}
	return h == op_alu_acc8 || h == op_alu_acc16 || h == op_alu_acc32 ||
	       h == op_mov_rr_to_rm16 || h == op_mov_rr_to_rm32 || h == op_mov_rr_to_r16 ||
	       h == op_mov_rr_to_r32 || h == op_mov_imm_16 || h == op_mov_imm_32 ||
	       h == op_inc_dec_16 || h == op_inc_dec_32;
}

x86i_handler x86i_fast_handler(const struct x86i_cpu *c, const struct insn *i)
{
	uint8_t op = i->op;
	x86i_handler h = c->ops[op];
	int wide = i->osz == 4;

	if (i->mod == 3 && (op & 1)) {
		if (h == op_alu && (op & 7) < 4)
			return (wide ? alu_rr32 : alu_rr16)[(op >> 3) & 7];
		if (h == op_grp1)
			return (wide ? grp1_ri32 : grp1_ri16)[i->reg];
		if (h == op_shift && (op == 0xd1 || op == 0xc1))
			return (wide ? shift_r32 : shift_r16)[i->reg];
		if (h == op_mov_rm) {
			if (op & 2)
				return wide ? op_mov_rr_to_r32 : op_mov_rr_to_r16;
			return wide ? op_mov_rr_to_rm32 : op_mov_rr_to_rm16;
		}
	}
	if (i->mod != 3 && (op & 1) && h == op_mov_rm) {
		if (op & 2)
			return wide ? op_mov_load32 : op_mov_load16;
		return wide ? op_mov_store32 : op_mov_store16;
	}
	if (h == op_alu) {
		if ((op & 7) >= 4) {
			if (op & 1)
				return wide ? op_alu_acc32 : op_alu_acc16;
			return op_alu_acc8;
		}
		if (op & 2) {
			if (op & 1)
				return wide ? op_alu_to_r32 : op_alu_to_r16;
			return op_alu_to_r8;
		}
		if (op & 1)
			return wide ? op_alu_to_rm32 : op_alu_to_rm16;
		return op_alu_to_rm8;
	}
	if (h == op_grp1) {
		if (op & 1)
			return wide ? op_grp1_32 : op_grp1_16;
		return op_grp1_8;
	}
	if (h == op_mov_rm) {
		if (op & 2) {
			if (op & 1)
				return wide ? op_mov_to_r32 : op_mov_to_r16;
			return op_mov_to_r8;
		}
		if (op & 1)
			return wide ? op_mov_to_rm32 : op_mov_to_rm16;
		return op_mov_to_rm8;
	}
	if (h == op_inc_dec_r16)
		return wide ? op_inc_dec_32 : op_inc_dec_16;
	if (h == op_push_r16)
		return wide ? op_push_32 : op_push_16;
	if (h == op_pop_r16)
		return wide ? op_pop_32 : op_pop_16;
	if (h == op_mov_r_imm && (op & 8))
		return wide ? op_mov_imm_32 : op_mov_imm_16;
	if (h == op_string && (op == 0xa5 || op == 0xab) && i->osz == i->asz) {
		if (op == 0xa5)
			return wide ? x86i_movs32 : x86i_movs16;
		return wide ? x86i_stos32 : x86i_stos16;
	}
	if (h == op_jcc && op >= 0x70 && op <= 0x7f)
		return jcc_tab[op & 0x0f];
	if (h == op_call)
		return wide ? op_call_32 : op_call_16;
	if (h == op_ret && op == 0xc3)
		return wide ? op_ret_32 : op_ret_16;
	return h;
}
