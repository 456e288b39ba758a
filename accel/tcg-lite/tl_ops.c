/* The instructions tcg-lite translates to host code (tl_emit.h): flags, ALU, shifts,
 * moves, stack, calls, jumps and returns with their chaining, and the dispatch. */
#include "accel/tcg-lite/tl_emit.h"

/* r15 (guest flags) = r15 & ~written | host flags & defined; 0 when the
 * flags are dead (nothing emitted; the caller leaves out what it would
 * compute of them too).  Only r15's arithmetic flags (FL_ALL) are the
 * guest's: the others stay in x86_state.rflags, which no native
 * instruction changes, and the trampoline merges the two at the exit.
 * So where the host defines all six as the interpreter does, r15 is just
 * the host's EFLAGS (INC/DEC: after inc_dec_cf put the guest's CF in the
 * host's, which they keep). */
static int capture_flags(struct em *e, uint32_t written, uint32_t defined)
{
	e->fw[e->cur] |= (uint16_t)written;
	if (e->dead[e->cur])
		return 0;
	if ((written == FL_ALL && (defined == FL_ALL || defined == FL_LOGIC)) ||
	    (written == FL_INCDEC && defined == FL_INCDEC)) {
		b1(e, 0x9c);			/* pushfq */
		rex(e, 0, 0, R15);
		b1(e, 0x58 + (R15 & 7));	/* pop r15 */
		if (!(defined & X86_AF)) {
			insr(e, 4, 0x81, 4, R15);	/* and r15d, ~AF: logic ops */
			b4(e, ~(uint32_t)X86_AF);
		}
		return 1;
	}
	b1(e, 0x9c);				/* pushfq */
	b1(e, 0x5a);				/* pop rdx */
	insr(e, 4, 0x81, 4, RDX);		/* and edx, defined */
	b4(e, defined);
	insr(e, 8, 0x81, 4, R15);		/* and r15, ~written */
	b4(e, ~written);
	insr(e, 8, 0x09, RDX, R15);		/* or r15, rdx */
	return 1;
}
/* Before INC/DEC: host CF = guest CF, for capture_flags.  Not a read of
 * the flags (fr): when earlier flags are dead, so is the CF this moves. */
static void inc_dec_cf(struct em *e)
{
	if (e->dead[e->cur])
		return;
	insr(e, 4, 0x0fba, 4, R15);		/* bt r15d, 0 */
	b1(e, 0);
}
/* Host CF = guest CF (ADC, SBB, RCL, RCR). */
static void load_cf(struct em *e)
{
	e->fr[e->cur] = 1;
	insr(e, 4, 0x0fba, 4, R15);		/* bt r15d, 0 */
	b1(e, 0);
}
/* The count of C0/C1 (imm8) and D0/D1 (1) as op_shift takes it. */
static int tl_shift_count(const struct x86i_cpu *c, const struct insn *i)
{
	unsigned n = i->op < 0xd0 ? i->imm & 0xff : 1;

	if (c->feat & CPUF_SHIFT_MASK)
		n &= 31;
	return (int)n;
}
/* eax = eax <aop> (ecx, or imm when use_imm), flags into r15. */
static void alu_op(struct em *e, int aop, unsigned sz, int use_imm, uint32_t imm)
{
	int logic = aop == 1 || aop == 4 || aop == 6;

	if (aop == 2 || aop == 3)
		load_cf(e);
	if (use_imm) {
		insr(e, sz, sz == 1 ? 0x80 : 0x81, aop, RAX);
		imm_sz(e, sz, imm);
	} else {
		insr(e, sz, (unsigned)(aop << 3) | (sz == 1 ? 0 : 1), RCX, RAX);
	}
	capture_flags(e, FL_ALL, logic ? FL_LOGIC : FL_ALL);
}
static void test_op(struct em *e, unsigned sz, int use_imm, uint32_t imm)
{
	if (use_imm) {
		insr(e, sz, sz == 1 ? 0xf6 : 0xf7, 0, RAX);
		imm_sz(e, sz, imm);
	} else {
		insr(e, sz, sz == 1 ? 0x84 : 0x85, RCX, RAX);
	}
	capture_flags(e, FL_ALL, FL_LOGIC);
}
/* rm operand of a ModRM instruction into eax (register or fast memory
 * read); for memory, rdx (rsi) point at it afterwards.  Returns the static
 * extra clocks. */
static int32_t nat_get_rm(struct em *e, unsigned k, unsigned sz, int how)
{
	const struct x86i_dinsn *d = &e->d[k];
	int32_t extra;

	if (d->in.mod == 3) {
		load_reg(e, RAX, d->in.rm, sz);
		return 0;
	}
	tl_emit_ea(e, d);
	tl_emit_mem(e, k, d->in.seg, sz, how);
	extra = tl_word_pen(e, sz, how == M_RMW ? 2 : 1);
	load_ptr(e, RAX, RDX, sz);
	return extra;
}
static void nat_put_rm(struct em *e, unsigned k, unsigned sz)
{
	const struct x86i_dinsn *d = &e->d[k];

	if (d->in.mod == 3)
		store_reg(e, RAX, d->in.rm, sz);
	else
		store_ptr(e, RAX, RSI, sz);
}
/* Condition cc of Jcc on r15: host ZF clear when it holds (before the
 * cc & 1 inversion). */
static void eval_cond(struct em *e, int cc)
{
	static const uint32_t bit[6] = { 0x800, 0x1, 0x40, 0x41, 0x80, 0x4 };

	e->fr[e->cur] = 1;

	if ((cc >> 1) < 6) {
		insr(e, 4, 0xf7, 0, R15);		/* test r15d, bit */
		b4(e, bit[cc >> 1]);
		return;
	}
	insr(e, 4, 0x8b, RAX, R15);			/* mov eax, r15d */
	insr(e, 4, 0xc1, 5, RAX);			/* shr eax, 4: OF onto SF */
	b1(e, 4);
	insr(e, 4, 0x33, RAX, R15);			/* xor eax, r15d */
	insr(e, 4, 0x81, 4, RAX);			/* and eax, 80h */
	b4(e, 0x80);
	if ((cc >> 1) == 7) {
		insr(e, 4, 0x8b, RCX, R15);
		insr(e, 4, 0x81, 4, RCX);		/* and ecx, ZF */
		b4(e, 0x40);
		insr(e, 4, 0x09, RCX, RAX);		/* or eax, ecx */
	}
}
/* After a branch (the block's last instruction) set EIP: stop at the
 * deadline, else follow link li when it holds (struct tl_link), else
 * return to C. */
static void branch_out(struct em *e, unsigned li, unsigned kind)
{
	const struct x86i_cpu *c = e->c;
	struct tl_link *l = &e->link[li];
	int32_t cs = seg_off(X86_CS);
	uint8_t *same, *within;

	insr(e, 8, 0x39, R13, R12);			/* cmp r12, r13 */
	jexit(e, CC_AE, X_BR_STOP, e->n);
	l->kind = (uint8_t)kind;
	mov_imm64(e, RAX, (uint64_t)(uintptr_t)l);
	insm(e, 8, 0x8b, RDX, RAX, LK(code));
	insr(e, 8, 0x85, RDX, RDX);
	jexit(e, CC_E, X_BR_END, e->n);
	if (kind == TL_LINK_DYNAMIC) {
		insm(e, 4, 0x3b, e->dyn_eip, RAX, LK(eip));	/* cmp the new EIP */
		jexit(e, CC_NE, X_BR_END, e->n);
	}
	insm(e, 8, 0x8b, RCX, RAX, LK(ver_at));
	insm(e, 4, 0x8b, RCX, RCX, 0);
	insm(e, 4, 0x3b, RCX, RAX, LK(ver));
	jexit(e, CC_NE, X_BR_END, e->n);
	insm(e, 1, 0x80, 7, RAX, LK(same_page));	/* cmp byte [same_page], 1 */
	b1(e, 1);
	within = jshort(e, 0x77);			/* ja: and within its limit */
	same = jshort(e, 0x74);				/* je: mapped as this one */
	insm(e, 4, 0x0fb7, RCX, RAX, LK(idx));
	tlb_scale(e, RCX);
	insr(e, 8, 0x01, RBX, RCX);			/* add rcx, rbx */
	insm(e, 4, 0x8b, RSI, RCX, CPU(pc) + (int32_t)offsetof(struct x86i_pcache, tag));
	insm(e, 4, 0x3b, RSI, RAX, LK(tag));
	jexit(e, CC_NE, X_BR_END, e->n);
	insm(e, 4, 0x8b, RSI, RCX, CPU(pc) + (int32_t)offsetof(struct x86i_pcache, phys));
	insm(e, 4, 0x3b, RSI, RAX, LK(phys));
	jexit(e, CC_NE, X_BR_END, e->n);
	insm(e, 8, 0x8b, RCX, RBX, CPU(gen));
	insm(e, 8, 0x3b, RCX, RAX, LK(gen));
	jexit(e, CC_NE, X_BR_END, e->n);
	land(e, same);
	if (c->segchk) {
		insm(e, 4, 0x8b, RCX, RBP, cs + (int32_t)offsetof(struct x86_seg, limit));
		insm(e, 4, 0x3b, RCX, RAX, LK(lim));
		jexit(e, CC_B, X_BR_END, e->n);
	}
	land(e, within);
	/* The kick (another thread's stop request) on backward and dynamic
	 * branches only: every cycle of chained blocks has one of those. */
	if (kind != TL_LINK_STATIC || l->eip <= e->d[e->n - 1].in.ip0) {
		insm(e, 8, 0x8b, RCX, RAX, LK(kick));
		insm(e, 4, 0x83, 7, RCX, 0);		/* cmp dword [rcx], 0 */
		b1(e, 0);
		jexit(e, CC_NE, X_BR_END, e->n);
	}
	insns_add(e, (int32_t)e->n);
	insr(e, 8, 0xff, 4, RDX);			/* jmp rdx */
}
static uint32_t near_target(const struct insn *i, uint32_t next, uint32_t rel)
{
	uint32_t t = next + rel;
	return i->osz == 4 ? t : (t & 0xffff);
}
/* The stack address of a push (sp - sz) or pop (sp) into eax, under a
 * guard that SS's B bit is still what it was at translate time. */
static void stack_addr(struct em *e, unsigned k, int push, unsigned sz)
{
	int big = ss_big(e->c);

	e->use[k] |= big ? U_SS32 : U_SS16;		/* SS's B bit: entry_guard */
	if (push) {
		insm(e, 4, 0x8d, RAX, R14, -(int32_t)sz);	/* lea eax, [r14 - sz] */
		if (!big)
			insr(e, 4, 0x0fb7, RAX, RAX);
	} else {
		load_reg(e, RAX, X86_RSP, big ? 4 : 2);
	}
}
/* SP = eax (+ add), by SS's size. */
static void stack_set(struct em *e, unsigned add)
{
	int big = ss_big(e->c);

	if (add) {
		insr(e, 4, 0x83, 0, RAX);		/* add eax, add */
		b1(e, add);
	}
	store_reg(e, RAX, X86_RSP, big ? 4 : 2);
}
/* push value in ecx (sz bytes); returns static clocks. */
static int32_t emit_push(struct em *e, unsigned k, unsigned sz)
{
	int32_t extra;

	stack_addr(e, k, 1, sz);
	tl_emit_mem(e, k, X86_SS, sz, M_WR);
	extra = tl_word_pen(e, sz, 1);
	/* ecx was used by tl_emit_mem: the value goes in last */
	return extra;
}
/* r15 |= (edx & 1) << bit, edx clobbered. */
static void or_flag_bit(struct em *e, unsigned bit)
{
	insr(e, 4, 0x81, 4, RDX);			/* and edx, 1 */
	b4(e, 1);
	if (bit) {
		insr(e, 4, 0xc1, 4, RDX);		/* shl edx, bit */
		b1(e, bit);
	}
	insr(e, 8, 0x09, RDX, R15);			/* or r15, rdx */
}
/* edx = eax >> n */
static void edx_eax_shr(struct em *e, unsigned n)
{
	insr(e, 4, 0x8b, RDX, RAX);
	if (n) {
		insr(e, 4, 0xc1, 5, RDX);
		b1(e, n);
	}
}
/* ROL ROR SHL SHR SAR (op 0 1 4 5 7) of the register rm by count (1 up to
 * the width less one; < 0: by CL, checked at run time), as x86i_shift
 * computes it: CF, SF, ZF, PF from the host where it defines them, OF and
 * AF by the interpreter's formulas (the host leaves OF undefined past a
 * count of one).  Returns the static extra clocks. */
static int32_t emit_shift(struct em *e, unsigned k, int op, unsigned sz, int rm, int count)
{
	const struct x86i_cpu *c = e->c;
	unsigned bits = sz * 8;
	uint8_t *zero = NULL;

	load_reg(e, RAX, rm, sz);
	if (count < 0) {
		load_reg(e, RCX, 1, 1);				/* ecx = CL */
		if (c->feat & CPUF_SHIFT_MASK) {
			insr(e, 4, 0x83, 4, RCX);		/* and ecx, 31 */
			b1(e, 31);
		}
		insr(e, 4, 0x83, 7, RCX);			/* cmp ecx, bits */
		b1(e, bits);
		jexit(e, CC_AE, X_CONT, k);
		insr(e, 4, 0x85, RCX, RCX);
		b1(e, 0x0f);					/* jz: no change at all */
		b1(e, 0x84);
		b4(e, 0);
		zero = e->p;
	}
	insr(e, 4, 0x8b, RSI, RAX);				/* esi = the operand */
	insr(e, sz, count < 0 ? (sz == 1 ? 0xd2 : 0xd3) : (sz == 1 ? 0xc0 : 0xc1), op, RAX);
	if (count >= 0)
		b1(e, (unsigned)count);
	if (!capture_flags(e, op < 4 ? FL_ROT : FL_ALL, op < 4 ? 0 : 0xc5))	/* CF SF ZF PF */
		op = -1;	/* dead: nothing more of them */
	switch (op) {
	case 0:		/* CF = bit 0, OF = top bit ^ CF */
		edx_eax_shr(e, 0);
		or_flag_bit(e, 0);
		edx_eax_shr(e, bits - 1);
		insr(e, 4, 0x33, RDX, RAX);			/* xor edx, eax */
		or_flag_bit(e, 11);
		break;
	case 1:		/* CF = top bit, OF = top bit ^ the next */
		edx_eax_shr(e, bits - 1);
		or_flag_bit(e, 0);
		edx_eax_shr(e, bits - 2);
		insr(e, 4, 0x8b, RDI, RDX);
		insr(e, 4, 0xc1, 5, RDI);			/* shr edi, 1 */
		b1(e, 1);
		insr(e, 4, 0x33, RDX, RDI);			/* xor edx, edi */
		or_flag_bit(e, 11);
		break;
	case 4:		/* OF = top bit ^ CF, AF = bit 4 (8086 ALU) */
		edx_eax_shr(e, bits - 1);
		insr(e, 4, 0x33, RDX, R15);			/* xor edx, r15d */
		or_flag_bit(e, 11);
		edx_eax_shr(e, 4);
		or_flag_bit(e, 4);
		break;
	case 5:		/* OF = the operand's top bit for a count of 1, else 0 */
		if (count == 1 || count < 0) {
			insr(e, 4, 0x8b, RDX, RSI);
			insr(e, 4, 0xc1, 5, RDX);
			b1(e, bits - 1);
			if (count < 0) {
				insr(e, 4, 0x31, RDI, RDI);	/* xor edi, edi */
				insr(e, 4, 0x83, 7, RCX);	/* cmp ecx, 1 */
				b1(e, 1);
				insr(e, 4, 0x0f45, RDX, RDI);	/* cmovne edx, edi */
			}
			or_flag_bit(e, 11);
		}
		break;
	default:	/* SAR: OF 0 (or dead) */
		break;
	}
	store_reg(e, RAX, rm, sz);
	if (count >= 0)
		return (int32_t)(c->t->shift_bit * (unsigned)count);
	if (c->t->shift_bit) {
		/* (counts 1 to 31 only: tl_shift_count) */
		e->dmax[e->cur] += (int32_t)c->t->shift_bit * 31;
		insr(e, 4, 0x69, RDX, RCX);			/* imul edx, ecx, shift_bit */
		b4(e, c->t->shift_bit);
		insr(e, 8, 0x01, RDX, R12);			/* add r12, rdx */
	}
	if (zero && !e->bad) {
		int32_t rel = (int32_t)(e->p - zero);
		memcpy(zero - 4, &rel, 4);
	}
	return 0;
}
/* ALU operations, TEST, MOV (registers, memory, moffs, immediates), LEA:
 * emits k and adds its extra static clocks to *clocks; 0 for another
 * instruction (nothing emitted). */
static int emit_alu_mov(struct em *e, unsigned k, int32_t *clocks_out)
{
	const struct x86i_cpu *c = e->c;
	const struct x86i_dinsn *d = &e->d[k];
	const struct insn *i = &d->in;
	x86i_handler h = c->ops[i->op];
	unsigned op = i->op, sz = opsz_of(i);
	int32_t mem = i->mod != 3;
	int32_t clocks = 0;

	if (op < 0x40 && (op & 7) < 6 && h == c->ops[0x00]) {
		int aop = (op >> 3) & 7;
		switch (op & 7) {
		case 0:
		case 1:
			clocks += nat_get_rm(e, k, sz, aop == 7 ? M_RD : M_RMW);
			load_reg(e, RCX, i->reg, sz);
			alu_op(e, aop, sz, 0, 0);
			if (aop != 7)
				nat_put_rm(e, k, sz);
			break;
		case 2:
		case 3:
			clocks += nat_get_rm(e, k, sz, M_RD);
			insr(e, 4, 0x8b, RCX, RAX);	/* mov ecx, eax */
			load_reg(e, RAX, i->reg, sz);
			alu_op(e, aop, sz, 0, 0);
			if (aop != 7)
				store_reg(e, RAX, i->reg, sz);
			break;
		default:
			load_reg(e, RAX, 0, sz);
			alu_op(e, aop, sz, 1, i->imm);
			if (aop != 7)
				store_reg(e, RAX, 0, sz);
			break;
		}
	} else if (op >= 0x80 && op <= 0x83 && h == c->ops[0x80]) {
		uint32_t b = op == 0x83 ? (uint32_t)(int8_t)i->imm : i->imm;
		if (mem && i->reg == 7 && c->t->ea_clocks)
			clocks -= 7;
		clocks += nat_get_rm(e, k, sz, i->reg == 7 ? M_RD : M_RMW);
		alu_op(e, i->reg, sz, 1, b);
		if (i->reg != 7)
			nat_put_rm(e, k, sz);
	} else if ((op == 0x84 || op == 0x85) && h == c->ops[0x84]) {
		clocks += nat_get_rm(e, k, sz, M_RD);
		load_reg(e, RCX, i->reg, sz);
		test_op(e, sz, 0, 0);
	} else if ((op == 0xa8 || op == 0xa9) && h == c->ops[0xa8]) {
		load_reg(e, RAX, 0, sz);
		test_op(e, sz, 1, i->imm);
	} else if (op >= 0x88 && op <= 0x8b && h == c->ops[0x88]) {
		if (op & 2) {
			clocks += nat_get_rm(e, k, sz, M_RD);
			store_reg(e, RAX, i->reg, sz);
		} else if (!mem) {
			load_reg(e, RAX, i->reg, sz);
			store_reg(e, RAX, i->rm, sz);
		} else {
			tl_emit_ea(e, d);
			tl_emit_mem(e, k, i->seg, sz, M_WR);
			clocks += tl_word_pen(e, sz, 1);
			load_reg(e, RCX, i->reg, sz);
			store_ptr(e, RCX, RDX, sz);
		}
	} else if (op >= 0xa0 && op <= 0xa3 && h == c->ops[0xa0]) {
		mov_eax_imm(e, RAX, i->imm);
		tl_emit_mem(e, k, i->seg, sz, (op & 2) ? M_WR : M_RD);
		clocks += tl_word_pen(e, sz, 1);
		if (op & 2) {
			load_reg(e, RCX, 0, sz);
			store_ptr(e, RCX, RDX, sz);
		} else {
			load_ptr(e, RAX, RDX, sz);
			store_reg(e, RAX, 0, sz);
		}
	} else if (op >= 0xb0 && op <= 0xbf && h == c->ops[0xb0]) {
		unsigned s = (op & 8) ? i->osz : 1;
		mov_eax_imm(e, RAX, s == 2 ? i->imm & 0xffff : s == 1 ? i->imm & 0xff : i->imm);
		store_reg(e, RAX, op & 7, s);
	} else if ((op == 0xc6 || op == 0xc7) && h == c->ops[0xc6] && i->reg == 0) {
		uint32_t v = sz == 2 ? i->imm & 0xffff : sz == 1 ? i->imm & 0xff : i->imm;
		if (!mem) {
			mov_eax_imm(e, RAX, v);
			store_reg(e, RAX, i->rm, sz);
		} else {
			tl_emit_ea(e, d);
			tl_emit_mem(e, k, i->seg, sz, M_WR);
			clocks += tl_word_pen(e, sz, 1);
			mov_eax_imm(e, RCX, v);
			store_ptr(e, RCX, RDX, sz);
		}
	} else if (op == 0x8d && h == c->ops[0x8d] && mem) {
		tl_emit_ea(e, d);
		store_reg(e, RAX, i->reg, i->osz);
	} else {
		return 0;
	}
	*clocks_out += clocks;
	return 1;
}

/* INC/DEC, NOT/NEG, shifts and rotates, MOVZX/MOVSX, IMUL r, r/m: as
 * emit_alu_mov. */
static int emit_unary(struct em *e, unsigned k, int32_t *clocks_out)
{
	const struct x86i_cpu *c = e->c;
	const struct x86i_dinsn *d = &e->d[k];
	const struct insn *i = &d->in;
	x86i_handler h = c->ops[i->op];
	unsigned op = i->op, sz = opsz_of(i);
	int32_t mem = i->mod != 3;
	int32_t clocks = 0;
	if (op >= 0x40 && op <= 0x4f && h == c->ops[0x40]) {
		load_reg(e, RAX, op & 7, i->osz);
		inc_dec_cf(e);
		insr(e, i->osz, 0xff, (op & 8) ? 1 : 0, RAX);
		capture_flags(e, FL_INCDEC, FL_INCDEC);
		store_reg(e, RAX, op & 7, i->osz);
	} else if ((op == 0xfe || op == 0xff) && i->reg < 2) {
		if (op == 0xff)
			clocks += c->t->grp5[i->reg][mem];
		clocks += nat_get_rm(e, k, sz, M_RMW);
		inc_dec_cf(e);
		insr(e, sz, sz == 1 ? 0xfe : 0xff, i->reg, RAX);
		capture_flags(e, FL_INCDEC, FL_INCDEC);
		nat_put_rm(e, k, sz);
	} else if ((op == 0xf6 || op == 0xf7) && h == c->ops[0xf6] && i->reg < 4 && !mem) {
		load_reg(e, RAX, i->rm, sz);
		if (i->reg < 2) {
			test_op(e, sz, 1, i->imm);
		} else {
			insr(e, sz, sz == 1 ? 0xf6 : 0xf7, i->reg, RAX);	/* NOT / NEG */
			if (i->reg == 3)
				capture_flags(e, FL_ALL, FL_ALL);
			store_reg(e, RAX, i->rm, sz);
		}
	} else if (op >= 0xc0 && op <= 0xd3 && op != 0xc2 && op != 0xc3 && (op >= 0xd2 || op <= 0xc1) &&
		   h == c->ops[0xd0] && !mem && i->reg != 2 && i->reg != 3 &&
		   (i->reg != 6 || !(c->feat & CPUF_SETMO)) &&
		   (op >= 0xd2 || tl_shift_count(c, i) >= 1) &&
		   (op >= 0xd2 || tl_shift_count(c, i) < (int)(sz * 8))) {
		int cnt = op >= 0xd2 ? -1 : tl_shift_count(c, i);
		clocks += emit_shift(e, k, i->reg == 6 ? 4 : i->reg, sz, i->rm, cnt);
	} else if (op == 0x0f && (i->op2 & 0xf6) == 0xb6 && (c->feat & CPUF_386) &&
		   c->op0f[i->op2] == c->op0f[0xb6]) {
		/* MOVZX / MOVSX */
		unsigned from = (i->op2 & 1) ? 2 : 1;
		clocks += nat_get_rm(e, k, from, M_RD);
		if (i->op2 & 8)
			insr(e, 4, from == 1 ? 0x0fbe : 0x0fbf, RAX, RAX);	/* movsx eax */
		store_reg(e, RAX, i->reg, i->osz);
	} else if (op == 0x0f && i->op2 == 0xaf && (c->feat & CPUF_386)) {
		/* IMUL r, r/m: CF and OF only (x86i_imul32/16) */
		clocks += nat_get_rm(e, k, i->osz, M_RD);
		insr(e, 4, 0x8b, RCX, RAX);
		load_reg(e, RAX, i->reg, i->osz);
		insr(e, i->osz, 0x0faf, RAX, RCX);		/* imul eax, ecx */
		capture_flags(e, FL_ROT, FL_ROT);
		store_reg(e, RAX, i->reg, i->osz);
		clocks += c->t->imul16;
	} else if ((op == 0xd0 || op == 0xd1) && h == c->ops[0xd0] && !mem && i->reg != 6) {
		/* By one: no per-bit clocks, and the count is never masked. */
		load_reg(e, RAX, i->rm, sz);
		if (i->reg == 2 || i->reg == 3)
			load_cf(e);
		insr(e, sz, sz == 1 ? 0xd0 : 0xd1, i->reg, RAX);
		if (i->reg < 4) {
			capture_flags(e, FL_ROT, FL_ROT);
		} else {
			if (capture_flags(e, FL_ALL, FL_LOGIC) && i->reg == 4) {
				/* AF: bit 4 of the result, as the 8086's ALU leaves it */
				insr(e, 4, 0x8b, RDX, RAX);
				insr(e, 4, 0x81, 4, RDX);
				b4(e, X86_AF);
				insr(e, 8, 0x09, RDX, R15);
			}
		}
		store_reg(e, RAX, i->rm, sz);
	} else {
		return 0;
	}
	*clocks_out += clocks;
	return 1;
}

/* The data instructions (ALU, MOV, LEA, INC/DEC, NOT/NEG, shifts, MOVZX,
 * IMUL): emits k and adds its extra static clocks to *clocks; 0 for
 * another instruction (nothing emitted). */
static int emit_data(struct em *e, unsigned k, int32_t *clocks_out)
{
	return emit_alu_mov(e, k, clocks_out) || emit_unary(e, k, clocks_out);
}
/* The stack and control transfers (PUSH/POP r, CALL, RET, JMP, Jcc):
 * emits k, adding its extra static clocks to *clocks; the branches end the
 * block, charge their clocks and set EIP themselves (*branch).  0 for
 * another instruction (nothing emitted). */
static int emit_flow(struct em *e, unsigned k, int32_t *clocks_out, int *branch)
{
	const struct x86i_cpu *c = e->c;
	const struct x86i_dinsn *d = &e->d[k];
	const struct insn *i = &d->in;
	x86i_handler h = c->ops[i->op];
	unsigned op = i->op;
	int32_t clocks = *clocks_out;

	if (op == 0xff && (i->reg == 2 || i->reg == 4 || i->reg == 6) &&
	    !(i->reg == 6 && i->mod == 3 && i->rm == X86_RSP)) {
		/* FF /2 CALL, /4 JMP, /6 PUSH r/m (op_grp5): the operand is
		 * read first, then the push; EIP through a dynamic link */
		unsigned sz = i->osz;
		clocks += c->t->grp5[i->reg][i->mod != 3];
		if (i->reg != 4) {
			insr(e, 4, 0x31, R8, R8);		/* xor r8d, r8d */
			e->pen_r8 = 1;
		}
		clocks += nat_get_rm(e, k, sz, M_RD);
		e->pen_r8 = 0;
		insr(e, 4, 0x8b, RDI, RAX);			/* edi = the operand */
		if (i->reg != 4) {
			clocks += emit_push(e, k, sz);
			if (i->reg == 2)
				mov_eax_imm(e, RCX, d->ip_next);
			store_ptr(e, i->reg == 2 ? RCX : RDI, RDX, sz);
			stack_set(e, 0);
			insr(e, 8, 0x01, R8, R12);		/* add r12, r8: the read's */
		}
		if (i->reg != 6) {
			insm(e, 8, 0x89, RDI, RBP, ST(rip));	/* zero-extended by sz */
			add_cycles(e, clocks);
			e->dyn_eip = RDI;
			branch_out(e, 0, TL_LINK_DYNAMIC);
			*branch = 1;
		}
	} else if (op >= 0x50 && op <= 0x57 && h == c->ops[0x50] && (op & 7) != X86_RSP) {
		clocks += emit_push(e, k, i->osz);
		load_reg(e, RCX, op & 7, i->osz);
		store_ptr(e, RCX, RDX, i->osz);
		stack_set(e, 0);
	} else if (op >= 0x58 && op <= 0x5f && h == c->ops[0x58] && (op & 7) != X86_RSP) {
		stack_addr(e, k, 0, i->osz);
		tl_emit_mem(e, k, X86_SS, i->osz, M_RD);
		clocks += tl_word_pen(e, i->osz, 1);
		load_ptr(e, RCX, RDX, i->osz);
		stack_set(e, i->osz);
		store_reg(e, RCX, op & 7, i->osz);
	} else if (op == 0xe8 && h == c->ops[0xe8]) {
		clocks += emit_push(e, k, i->osz);
		mov_eax_imm(e, RCX, d->ip_next);
		store_ptr(e, RCX, RDX, i->osz);
		stack_set(e, 0);
		set_rip(e, near_target(i, d->ip_next, i->imm));
		e->link[0].eip = near_target(i, d->ip_next, i->imm);
		add_cycles(e, clocks);
		branch_out(e, 0, TL_LINK_STATIC);
		*branch = 1;
	} else if ((op == 0xc3 || op == 0xc2) && h == c->ops[0xc3]) {
		stack_addr(e, k, 0, i->osz);
		tl_emit_mem(e, k, X86_SS, i->osz, M_RD);
		clocks += tl_word_pen(e, i->osz, 1);
		load_ptr(e, RCX, RDX, i->osz);
		stack_set(e, i->osz);
		if (op == 0xc2) {
			/* set_sp(get_sp() + imm16) by SS's size */
			insr(e, 4, 0x81, 0, RAX);
			b4(e, i->imm & 0xffff);
			store_reg(e, RAX, X86_RSP, ss_big(c) ? 4 : 2);
		}
		insm(e, 8, 0x89, RCX, RBP, ST(rip));	/* (load_ptr zero-extends) */
		add_cycles(e, clocks);
		e->dyn_eip = RCX;
		branch_out(e, 0, TL_LINK_DYNAMIC);
		*branch = 1;
	} else if ((op == 0xeb || op == 0xe9) && h == c->ops[0xeb]) {
		uint32_t rel = op == 0xeb ? (uint32_t)(int8_t)i->imm : i->imm;
		set_rip(e, near_target(i, d->ip_next, rel));
		e->link[0].eip = near_target(i, d->ip_next, rel);
		add_cycles(e, clocks);
		branch_out(e, 0, TL_LINK_STATIC);
		*branch = 1;
	} else if ((op >= 0x70 && op <= 0x7f && h == c->ops[0x70]) ||
		   (op == 0x0f && i->op2 >= 0x80 && i->op2 <= 0x8f && (c->feat & CPUF_386))) {
		int cc = (op == 0x0f ? i->op2 : op) & 15;
		uint32_t rel = op != 0x0f ? (uint32_t)(int8_t)i->imm :
			       i->osz == 4 ? i->imm : (uint32_t)(int16_t)i->imm;
		uint8_t *nt;
		eval_cond(e, cc);
		b1(e, 0x0f);				/* not taken: jz/jnz rel32 */
		b1(e, (cc & 1) ? 0x85 : 0x84);
		b4(e, 0);
		nt = e->p;
		set_rip(e, near_target(i, d->ip_next, rel));
		e->link[0].eip = near_target(i, d->ip_next, rel);
		add_cycles(e, clocks + c->t->jcc_taken);
		branch_out(e, 0, TL_LINK_STATIC);
		if (!e->bad) {
			int32_t rel32 = (int32_t)(e->p - nt);
			memcpy(nt - 4, &rel32, 4);
		}
		set_rip(e, d->ip_next);
		e->link[1].eip = d->ip_next;
		add_cycles(e, clocks);
		branch_out(e, 1, TL_LINK_STATIC);
		*branch = 1;
	} else {
		return 0;
	}
	*clocks_out = clocks;
	return 1;
}
/* Emits instruction k; 0 if this file does not translate it (nothing
 * emitted then).  *branch is set for instructions that end the block and
 * set EIP themselves.  e->iclk[k] gets its static clocks. */
int tl_emit_insn(struct em *e, unsigned k, int *branch)
{
	const struct insn *i = &e->d[k].in;
	int32_t clocks = e->d[k].clk;

	*branch = 0;
	e->dmax[k] = 0;
	e->unbounded[k] = 0;
	if (i->lock)
		return 0;
	if (i->rep)
		return tl_emit_rep(e, k);
	if (!emit_data(e, k, &clocks) && !emit_flow(e, k, &clocks, branch))
		return 0;
	e->iclk[k] = clocks;
	return 1;
}
