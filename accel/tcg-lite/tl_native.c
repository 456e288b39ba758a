/* tcg-lite's native code (tl_native.h): x86-64 host code for the commonest
 * instructions of a hot block.
 *
 * The guest is x86, so the host's own ALU computes each result and its
 * flags; only the flags the interpreter defines the same way are taken
 * from the host (x86i_alu.c: AF of the logic operations and of shifts is
 * the interpreter's own, not the host's undefined one).  What this file
 * does not translate, or an instruction whose fast case does not hold at
 * run time, goes back to the threaded loop, which runs it through the
 * interpreter's handler: a run only ever leaves at an instruction
 * boundary and never half-way through an instruction.
 *
 * Host registers inside a run: rbx the x86i_cpu, rbp the x86_state, r12
 * the cycle count, r13 the deadline, r14 the guest's RSP, r15 the guest's
 * EFLAGS; the trampoline loads and stores the three.  The other guest
 * registers stay in x86_state (SP is in every push, pop, call and return:
 * kept in memory, each one waited for the last one's store).  Each instruction charges what the
 * interpreter charges (the record's clocks, the extra bus cycle of an odd
 * word access, a taken branch), then compares the count with the deadline
 * as the threaded loop does after every instruction; a stretch of
 * register-only instructions compares once, before it starts, and leaves
 * out the flag captures a later one of it overwrites (survey()). */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "accel/tcg-lite/tl_native.h"
#include "accel/tcg-lite/tl_string.h"

enum { RAX, RCX, RDX, RBX, RSP_, RBP, RSI, RDI, R8, R9, R10, R11, R12, R13, R14, R15 };

/* Flags: what the arithmetic and logic operations write, and what of it the
 * host defines as the interpreter does. */
#define FL_ALL 0x8d5u		/* OF SF ZF AF PF CF */
#define FL_LOGIC 0x8c5u		/* AF stays 0 */
#define FL_INCDEC 0x8d4u	/* CF kept */
#define FL_ROT 0x801u		/* OF CF */

/* The buffer is mapped twice from one memfd: written through buf, run
 * through code, so no page is ever writable and executable at once and a
 * translation needs no mprotect.  Without memfd, one mapping flips between
 * RW and RX around each translation (code == buf). */
struct tl_jit {
	uint8_t *buf, *code;
	int dual;
	size_t size, used;	/* used: bytes in use (trampoline included) */
	size_t page;
	uint32_t exit_off;	/* the trampoline's common exit */
	size_t tramp_end;
};

/* Exit stubs, per boundary j: CONT leaves before instruction j (EIP at its
 * start), CONTP too but from within a stretch whose clocks were charged
 * up front (it takes back those of j and the rest of the stretch), REDO as
 * CONT but asking for the block's retranslation (TL_NAT_REDO), STOP
 * after instruction j-1 with the deadline reached, BR_END and BR_STOP
 * after the block's last instruction, a branch that set EIP. */
enum { X_CONT, X_CONTP, X_REDO, X_STOP, X_BR_END, X_BR_STOP, X_KINDS };
#define FIX_MAX 1024

struct em {
	uint8_t *p, *end, *buf;
	int bad;
	const struct x86i_cpu *c;
	const struct x86i_dinsn *d;
	unsigned n;
	const void *block;
	struct tl_link *link;
	/* Per instruction what its fast memory path takes for granted and the
	 * entries into its run check once (entry_guard): segments read or
	 * written (bit per sreg), U_AC a word or dword access, U_SS16/U_SS32
	 * the stack's size. */
	uint32_t use[TL_NAT_MAX_INSNS];
	/* From the first pass: use bits, native, a branch (the runs' extents
	 * and their first entries' guards before the second emits them). */
	uint32_t use_sv[TL_NAT_MAX_INSNS];
	uint8_t ok[TL_NAT_MAX_INSNS], br[TL_NAT_MAX_INSNS];
	/* Segment limits may be taken as they are now (see U_L16). */
	int assume_lim;
	/* Flags (tl_jit_translate's first pass finds them, the second uses
	 * them): what each instruction writes and whether it reads any, and
	 * dead when a later instruction of its pure stretch overwrites all it
	 * writes before anything can see them, so its capture is left out. */
	unsigned cur;
	uint16_t fw[TL_NAT_MAX_INSNS];
	uint8_t fr[TL_NAT_MAX_INSNS], dead[TL_NAT_MAX_INSNS];
	int32_t iclk[TL_NAT_MAX_INSNS];	/* static clocks */
	/* The most its run-time clocks can add (odd word accesses, shift
	 * counts), and unbounded when they have no such limit (REP). */
	int32_t dmax[TL_NAT_MAX_INSNS];
	uint8_t unbounded[TL_NAT_MAX_INSNS];
	/* Stretches (tl_jit_translate): pre set while an instruction of one
	 * is emitted, its CONT exits then go to CONTP stubs, which take back
	 * undo[j] clocks. */
	int pre;
	int32_t undo[TL_NAT_MAX_INSNS + 1];
	/* Where word_pen adds a run-time bus cycle: r12, or r8 while a
	 * later access of the same instruction may still leave before it
	 * (a leaving instruction must not have charged anything). */
	int pen_r8;
	/* The host register holding the EIP a dynamic branch_out goes to. */
	int dyn_eip;
	/* Set while emit_rep's inline copy emits its two spans: emit_mem
	 * then checks r8 elements of sz bytes from eax, not one, and its
	 * exits go to the instruction's call of tl_rep_string (lfix, rel32
	 * offsets to patch), not to the threaded loop. */
	int span;
	uint32_t lfix[16];
	unsigned nlfix;
	struct {
		uint32_t at;	/* offset of the rel32 */
		uint8_t kind, j;
		uint8_t cold;	/* at is in the cold buffer */
	} fix[FIX_MAX];
	unsigned nfix;
	/* Cold code (emit_mem's misses), emitted aside and placed after the
	 * block's runs, so that the common path falls straight through:
	 * while cold, p, buf and end are the cold buffer's and hot_* keep the
	 * block's.  xfix: the rel32 jumps between the two, patched then. */
	uint8_t *cold, *hot_p, *hot_buf, *hot_end;
	size_t cold_used;
	int in_cold;
	struct {
		uint32_t at, to;	/* rel32 offset, target offset */
		uint8_t from_cold;	/* at in cold, to in hot (else the reverse) */
	} xfix[FIX_MAX];
	unsigned nxfix;
};

/* --- bytes ------------------------------------------------------------ */

static void b1(struct em *e, unsigned v)
{
	if (e->p < e->end)
		*e->p++ = (uint8_t)v;
	else
		e->bad = 1;
}
static void b2(struct em *e, unsigned v)
{
	b1(e, v & 0xff);
	b1(e, (v >> 8) & 0xff);
}
static void b4(struct em *e, uint32_t v)
{
	b2(e, v & 0xffff);
	b2(e, v >> 16);
}
static void rex(struct em *e, int w, int r, int b)
{
	unsigned v = 0x40 | (w ? 8 : 0) | ((r >> 3) & 1) << 2 | ((b >> 3) & 1);
	if (v != 0x40)
		b1(e, v);
}
static void modrm_mem(struct em *e, int reg, int base, int32_t disp)
{
	unsigned r = (unsigned)(reg & 7) << 3, m = (unsigned)base & 7;

	if (disp >= -128 && disp <= 127) {
		b1(e, 0x40 | r | m);
		if (m == 4)
			b1(e, 0x24);
		b1(e, (uint8_t)disp);
	} else {
		b1(e, 0x80 | r | m);
		if (m == 4)
			b1(e, 0x24);
		b4(e, (uint32_t)disp);
	}
}
/* op (one byte, or 0Fxx as 0x0fxx) with a memory operand [base+disp]. */
static void insm(struct em *e, unsigned sz, unsigned op, int reg, int base, int32_t disp)
{
	if (sz == 2)
		b1(e, 0x66);
	rex(e, sz == 8, reg, base);
	if (op > 0xff)
		b1(e, op >> 8);
	b1(e, op & 0xff);
	modrm_mem(e, reg, base, disp);
}
/* op with a register operand rm (ModRM mod 3). */
static void insr(struct em *e, unsigned sz, unsigned op, int reg, int rm)
{
	if (sz == 2)
		b1(e, 0x66);
	rex(e, sz == 8, reg, rm);
	if (op > 0xff)
		b1(e, op >> 8);
	b1(e, op & 0xff);
	b1(e, 0xc0 | (unsigned)(reg & 7) << 3 | (unsigned)(rm & 7));
}
static void imm_sz(struct em *e, unsigned sz, uint32_t v)
{
	if (sz == 1)
		b1(e, v & 0xff);
	else if (sz == 2)
		b2(e, v & 0xffff);
	else
		b4(e, v);
}

/* --- pieces ----------------------------------------------------------- */

#define ST(f) ((int32_t)offsetof(struct x86_state, f))
#define CPU(f) ((int32_t)offsetof(struct x86i_cpu, f))

static int32_t gpr_off(int r) { return ST(gpr) + r * 8; }
/* The byte register r (AL CL DL BL AH CH DH BH). */
static int32_t gpr8_off(int r) { return ST(gpr) + (r & 3) * 8 + ((r & 4) ? 1 : 0); }
static int32_t seg_off(int s) { return ST(seg) + s * (int32_t)sizeof(struct x86_seg); }
/* SS's B bit: 32-bit stack offsets */
static int ss_big(const struct x86i_cpu *c) { return (c->s->seg[X86_SS].attr & 0x4000) != 0; }

/* host h (eax, ecx or edx) = guest register r of sz bytes, zero-extended.
 * (E)SP lives in r14 during a run (8-bit register 4 is AH, not SP). */
static void load_reg(struct em *e, int h, int r, unsigned sz)
{
	if (r == X86_RSP && sz != 1)
		insr(e, 4, sz == 4 ? 0x8b : 0x0fb7, h, R14);	/* mov/movzx h, r14d/r14w */
	else if (sz == 4)
		insm(e, 4, 0x8b, h, RBP, gpr_off(r));
	else if (sz == 2)
		insm(e, 4, 0x0fb7, h, RBP, gpr_off(r));
	else
		insm(e, 4, 0x0fb6, h, RBP, gpr8_off(r));
}
/* guest register r of sz bytes = host h (upper half of a 32-bit h zero, as
 * w32 zero-extends into the 64-bit slot). */
static void store_reg(struct em *e, int h, int r, unsigned sz)
{
	/* A narrow value is stored narrow: the next narrow load of it
	 * forwards from the store.  (A wider load right after, a 32-bit
	 * operand or C code after an exit, waits for the store to retire:
	 * rarer than the two extra instructions and the wait on the slot's
	 * previous store that merging in a register cost every time.) */
	if (r == X86_RSP && sz != 1)
		insr(e, sz, 0x89, h, R14);		/* mov r14d/r14w, h */
	else if (sz == 4)
		insm(e, 8, 0x89, h, RBP, gpr_off(r));	/* as w32: upper half 0 */
	else if (sz == 2)
		insm(e, 2, 0x89, h, RBP, gpr_off(r));
	else
		insm(e, 1, 0x88, h, RBP, gpr8_off(r));
}
/* op h32, guest register r (32 bits): mov, add... */
static void load_reg_op(struct em *e, unsigned op, int h, int r)
{
	if (r == X86_RSP)
		insr(e, 4, op, h, R14);
	else
		insm(e, 4, op, h, RBP, gpr_off(r));
}
/* The instruction count (x86_state.insns) += v: during a run it holds the
 * count less the index of the instruction the run entered at, plus the
 * lengths of the blocks it chained through. */
static void insns_add(struct em *e, int32_t v)
{
	if (!v)
		return;
	if (v >= -128 && v <= 127) {
		insm(e, 8, 0x83, 0, RBP, ST(insns));	/* add qword [insns], v */
		b1(e, (uint8_t)v);
	} else {
		insm(e, 8, 0x81, 0, RBP, ST(insns));
		b4(e, (uint32_t)v);
	}
}
static void mov_eax_imm(struct em *e, int h, uint32_t v)
{
	b1(e, 0xb8 + (unsigned)h);
	b4(e, v);
}
/* add r12, n (the cycle count) */
static void add_cycles(struct em *e, int32_t n)
{
	if (!n)
		return;
	rex(e, 1, 0, R12);
	if (n >= -128 && n <= 127) {
		b1(e, 0x83);
		b1(e, 0xc4);
		b1(e, (uint8_t)n);
	} else {
		b1(e, 0x81);
		b1(e, 0xc4);
		b4(e, (uint32_t)n);
	}
}
/* A rel32 jump (cc < 0: JMP, else Jcc) to exit stub (kind, j). */
static void jexit(struct em *e, int cc, unsigned kind, unsigned j)
{
	if (kind == X_CONT && e->pre)
		kind = X_CONTP;
	if (cc < 0) {
		b1(e, 0xe9);
	} else {
		b1(e, 0x0f);
		b1(e, 0x80 + (unsigned)cc);
	}
	if (e->nfix >= FIX_MAX) {
		e->bad = 1;
		return;
	}
	e->fix[e->nfix].at = (uint32_t)(e->p - e->buf);
	e->fix[e->nfix].kind = (uint8_t)kind;
	e->fix[e->nfix].j = (uint8_t)j;
	e->fix[e->nfix].cold = (uint8_t)e->in_cold;
	e->nfix++;
	b4(e, 0);
}
/* Short forward jump: returns where its rel8 is, for land(). */
static uint8_t *jshort(struct em *e, unsigned op)
{
	b1(e, op);
	b1(e, 0);
	return e->p - 1;
}
static void land(struct em *e, uint8_t *rel)
{
	if (e->bad)
		return;
	if (e->p - rel - 1 > 127)
		e->bad = 1;
	else
		*rel = (uint8_t)(e->p - rel - 1);
}

enum { CC_O, CC_NO, CC_B, CC_AE, CC_E, CC_NE, CC_BE, CC_A };

#define COLD_SIZE 65536

static void xfix_add(struct em *e, uint32_t to, int from_cold)
{
	if (e->nxfix >= FIX_MAX) {
		e->bad = 1;
		return;
	}
	e->xfix[e->nxfix].at = (uint32_t)(e->p - e->buf);
	e->xfix[e->nxfix].to = to;
	e->xfix[e->nxfix].from_cold = (uint8_t)from_cold;
	e->nxfix++;
	b4(e, 0);
}
/* In hot code: Jcc rel32 to the cold code that comes next (cold_begin). */
static void jcc_cold(struct em *e, int cc)
{
	b1(e, 0x0f);
	b1(e, 0x80 + (unsigned)cc);
	xfix_add(e, (uint32_t)e->cold_used, 0);
}
/* Hot code goes on at *done; emission moves to the cold buffer. */
static void cold_begin(struct em *e, uint32_t *done)
{
	*done = (uint32_t)(e->p - e->buf);
	e->hot_p = e->p;
	e->hot_buf = e->buf;
	e->hot_end = e->end;
	e->buf = e->cold;
	e->p = e->cold + e->cold_used;
	e->end = e->cold + COLD_SIZE;
	e->in_cold = 1;
}
/* jmp back to the hot code at done; emission returns there. */
static void cold_end(struct em *e, uint32_t done)
{
	b1(e, 0xe9);
	xfix_add(e, done, 1);
	e->cold_used = (size_t)(e->p - e->cold);
	e->p = e->hot_p;
	e->buf = e->hot_buf;
	e->end = e->hot_end;
	e->in_cold = 0;
}

/* Jcc rel32 (cc < 0: JMP) to the current instruction's slow path, patched
 * by slow_land once it is emitted. */
static void jslow(struct em *e, int cc)
{
	if (cc < 0) {
		b1(e, 0xe9);
	} else {
		b1(e, 0x0f);
		b1(e, 0x80 + (unsigned)cc);
	}
	if (e->nlfix >= sizeof(e->lfix) / sizeof(e->lfix[0]))
		e->bad = 1;
	else
		e->lfix[e->nlfix++] = (uint32_t)(e->p - e->buf);
	b4(e, 0);
}
static void slow_land(struct em *e)
{
	for (unsigned f = 0; f < e->nlfix && !e->bad; f++) {
		int32_t rel = (int32_t)((e->p - e->buf) - (int64_t)(e->lfix[f] + 4));
		memcpy(e->buf + e->lfix[f], &rel, 4);
	}
	e->nlfix = 0;
}
/* A check in emit_mem failed: leave before instruction k, or take the
 * slow path of an inline span. */
static void mem_leave(struct em *e, int cc, unsigned k)
{
	if (e->span)
		jslow(e, cc);
	else
		jexit(e, cc, X_CONT, k);
}
enum { U_AC = 1u << 8, U_SS16 = 1u << 9, U_SS32 = 1u << 10 };
/* Use bits of an access that took segment sg's limit as FFFFh (U_L16 << sg)
 * or FFFFFFFFh (U_L32 << sg), as it was at translation: the limit check
 * is then a compare of the offset with a constant.  An entry where that no
 * longer holds leaves for retranslation without it (X_REDO). */
enum { U_L16 = 1u << 11, U_L32 = 1u << 17 };
/* Not use bits but in guard_bad too, for REP's inline copy: DF set, INTR
 * up with IF set (neither changes within a run). */
enum { G_DF = 1u << 23, G_INTR = 1u << 24 };
#define U_LIMITS (0x3fu * U_L16 | 0x3fu * U_L32)

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
/* After instruction k: charge clocks, stop if the deadline is reached. */
static void end_insn(struct em *e, unsigned k, int32_t clocks)
{
	add_cycles(e, clocks);
	insr(e, 8, 0x39, R13, R12);		/* cmp r12, r13 */
	jexit(e, CC_AE, X_STOP, k + 1);
}
/* The odd-address bus cycle of a word access (rd16/wr16): eax holds the
 * offset.  Static when the bus is 8 bits wide. */
static int32_t word_pen(struct em *e, unsigned sz, unsigned times)
{
	const struct x86i_cpu *c = e->c;
	uint8_t *l;

	if (sz != 2)
		return 0;
	if (!c->bus16)
		return (int32_t)(c->word_pen * times);
	e->dmax[e->cur] += (int32_t)(c->word_pen * times);
	b1(e, 0xa8);				/* test al, 1 */
	b1(e, 1);
	l = jshort(e, 0x74);			/* jz */
	if (e->pen_r8) {
		insr(e, 4, 0x83, 0, R8);	/* add r8d, pen */
		b1(e, c->word_pen * times);
	} else {
		add_cycles(e, (int32_t)(c->word_pen * times));
	}
	land(e, l);
	return 0;
}

/* eax = the effective address of d (x86i_blk_prepare), with the 8086's
 * last_ea for 16-bit addressing. */
static void emit_ea(struct em *e, const struct x86i_dinsn *d)
{
	if (d->base >= 0 && d->index < 0 && !d->disp) {
		load_reg(e, RAX, d->base, d->in.asz);		/* [base] */
		if (d->in.asz == 2 && !(e->c->feat & CPUF_UD_EXC))
			insm(e, 2, 0x89, RAX, RBX, CPU(last_ea));
		return;
	}
	mov_eax_imm(e, RAX, d->disp);
	if (d->base >= 0)
		load_reg_op(e, 0x03, RAX, d->base);		/* add eax, base */
	if (d->index >= 0) {
		load_reg_op(e, 0x8b, RCX, d->index);		/* mov ecx, index */
		if (d->scale) {
			insr(e, 4, 0xc1, 4, RCX);	/* shl ecx, scale */
			b1(e, d->scale);
		}
		insr(e, 4, 0x01, RCX, RAX);		/* add eax, ecx */
	}
	if (d->in.asz == 2) {
		insr(e, 4, 0x0fb7, RAX, RAX);		/* movzx eax, ax */
		/* (read by the 8086's register forms of LEA, LES/LDS and
		 * FE/FF's far forms, which raise #UD from the 80186 on) */
		if (!(e->c->feat & CPUF_UD_EXC))
			insm(e, 2, 0x89, RAX, RBX, CPU(last_ea));
	}
}

/* h (a TLB index) *= the size of an entry */
static void tlb_scale(struct em *e, int h)
{
	unsigned size = (unsigned)sizeof(struct x86i_pcache), sh = 0;

	while ((1u << sh) < size)
		sh++;
	if ((1u << sh) == size) {
		insr(e, 4, 0xc1, 4, h);			/* shl h, log2 size */
		b1(e, sh);
	} else {
		insr(e, 4, 0x69, h, h);			/* imul h, h, size */
		b4(e, size);
	}
}

/* The write half of the page cache keeps its pointer in the trampoline's
 * frame: [rsp] holds the block, [rsp+WBIAS] this. */
#define WBIAS 8
#define GUARD_BAD 16	/* [rsp+16]: guard_bad() of the run */
/* The stack's (SS) one-page caches, reads and writes: base and bias. */
#define SS_RD_BASE 24
#define SS_RD_BIAS 32
#define SS_WR_BASE 40
#define SS_WR_BIAS 48
#define FRAME 56	/* with the six saved registers, rsp stays 16-aligned */

/* lea d, [b+i] (64-bit) */
static void lea_sum(struct em *e, int d, int b, int i)
{
	b1(e, 0x48 | ((d >> 3) & 1) << 2 | ((i >> 3) & 1) << 1 | ((b >> 3) & 1));
	b1(e, 0x8d);
	b1(e, 0x04 | (unsigned)(d & 7) << 3);
	b1(e, (unsigned)(i & 7) << 3 | (unsigned)(b & 7));
}

/* lea d, [b + r8*sz + disp] (64-bit): the end of r8 elements of sz bytes. */
static void lea_span_end(struct em *e, int d, int b, unsigned sz, int8_t disp)
{
	unsigned ss = sz == 4 ? 2 : sz == 2 ? 1 : 0;

	b1(e, 0x48 | ((d >> 3) & 1) << 2 | 1 << 1 | ((b >> 3) & 1));	/* REX.W, X: r8 */
	b1(e, 0x8d);
	b1(e, 0x44 | (unsigned)(d & 7) << 3);			/* mod 01, SIB */
	b1(e, ss << 6 | (R8 & 7) << 3 | (unsigned)(b & 7));
	b1(e, (uint8_t)disp);
}

/* rcx = the linear address of the offset in eax in the segment at so */
static void emit_linear(struct em *e, int32_t so)
{
	insm(e, 8, 0x8b, RCX, RBP, so + (int32_t)offsetof(struct x86_seg, base));
	insr(e, 4, 0x01, RAX, RCX);			/* add ecx, eax */
	if (e->c->addr_mask != 0xffffffffu) {
		insr(e, 4, 0x81, 4, RCX);
		b4(e, e->c->addr_mask);
	}
}

/* The fast case of a data access of sz bytes at seg:eax, as rd8..wr32 take
 * it (x86i_priv.h): segment check passes inline, the access stays in one
 * page, the TLB holds the page with a host pointer.  Anything else leaves
 * before instruction k.  Afterwards rdx points at the bytes (rsi too for
 * a read-modify-write, rdx reading and rsi writing); eax is unchanged,
 * ecx, esi and r9..r11 are not.  The page cache (r9..r11, [rsp+WBIAS]) needs
 * nothing but that no TLB entry changes within a run: only C code fills
 * or drops entries (the threaded tier, translation, memory-layout and
 * code-watch changes), and native code reaches C only through an exit or
 * tl_rep_string's call, after which cache_clear runs. */
enum { M_RD, M_WR, M_RMW };
static void emit_mem(struct em *e, unsigned k, int seg, unsigned sz, int how)
{
	const struct x86i_cpu *c = e->c;
	int32_t so = seg_off(seg);
	int32_t pc = CPU(pc);
	uint8_t *miss = NULL, *miss2 = NULL, *done = NULL;
	uint32_t lim, hot_done = 0, lim_now;
	/* The stack's own cache: its pages would evict the data's */
	int stk = seg == X86_SS && !e->span && how != M_RMW;

	/* The segment's type (present, writable, expand-up data) and no
	 * alignment checking are the run entry's to check (entry_guard):
	 * nothing in a run can change them. */
	e->use[k] |= (1u << seg) | (sz > 1 ? U_AC : 0);
	if (e->span) {
		/* rcx = the offset of the span's last byte: no wrap */
		lea_span_end(e, RCX, RAX, sz, -1);
		if (e->d[k].in.asz == 2) {
			insr(e, 8, 0x81, 7, RCX);	/* cmp rcx, ffffh */
			b4(e, 0xffff);
			mem_leave(e, CC_A, k);
		}
	}
	lim_now = c->s->seg[seg].limit;
	if (c->segchk && e->assume_lim && !e->span && (lim_now == 0xffff || lim_now == 0xffffffffu)) {
		/* offset + sz - 1 <= the limit, which the entry guard checks
		 * (needless only where no offset can pass it: a byte at a
		 * 32-bit offset, or at a 16-bit one with the limit FFFFh) */
		int off16 = e->d[k].in.asz == 2 && (seg != X86_SS || !ss_big(c));
		e->use[k] |= (lim_now == 0xffff ? U_L16 : U_L32) << seg;
		if (sz > 1 || (lim_now == 0xffff && !off16)) {
			insr(e, 4, 0x81, 7, RAX);		/* cmp eax, limit - (sz - 1) */
			b4(e, lim_now - (sz - 1));
			jexit(e, CC_A, X_CONT, k);
		}
	} else if (c->segchk && e->assume_lim && e->span && e->d[k].in.asz == 2 && lim_now == 0xffff) {
		e->use[k] |= U_L16 << seg;	/* the span's end <= FFFFh: checked */
	} else if (c->segchk) {
		if (!e->span)
			insm(e, 8, 0x8d, RCX, RAX, (int32_t)sz - 1);	/* lea rcx, [rax+sz-1] */
		insm(e, 4, 0x8b, RDX, RBP, so + (int32_t)offsetof(struct x86_seg, limit));
		insr(e, 8, 0x39, RDX, RCX);		/* cmp rcx, rdx */
		mem_leave(e, CC_A, k);
	}
	/* rcx = linear address (the stack's cache needs it only on a miss) */
	if (!stk)
		emit_linear(e, so);
	if (e->span) {
		insr(e, 4, 0x8b, RDX, RCX);		/* mov edx, ecx */
		insr(e, 4, 0x81, 4, RDX);		/* and edx, fffh */
		b4(e, MEM_PAGE_SIZE - 1);
		lea_span_end(e, RDX, RDX, sz, 0);	/* + the span's length */
		insr(e, 4, 0x81, 7, RDX);		/* cmp edx, page size */
		b4(e, MEM_PAGE_SIZE);
		mem_leave(e, CC_A, k);
	} else if (sz == 2 && !c->segchk) {
		insr(e, 2, 0x81, 7, RAX);		/* cmp ax, ffffh: 8086 wrap */
		b2(e, 0xffff);
		jexit(e, CC_E, X_CONT, k);
	}
	/* The run's one-page cache (r9/r10 reads, r11/[rsp+WBIAS] writes:
	 * the page's linear base and its host pointer less that base): one
	 * unsigned compare of the offset from the base finds the access in
	 * the page, both ends of it.  Else the page crossing test and the TLB
	 * entry and its tag, which then fills the cache. */
	lim = e->span ? MEM_PAGE_SIZE - 1 : MEM_PAGE_SIZE - sz;
	if (stk) {					/* rdx = offset - base */
		insr(e, 8, 0x8b, RDX, RAX);
		insm(e, 8, 0x2b, RDX, RSP_, how == M_WR ? SS_WR_BASE : SS_RD_BASE);
	} else {					/* rdx = linear - base */
		insr(e, 8, 0x8b, RDX, RCX);
		insr(e, 8, 0x29, how == M_WR ? R11 : R9, RDX);
	}
	insr(e, 8, 0x81, 7, RDX);			/* cmp rdx, lim */
	b4(e, lim);
	if (e->span)
		miss = jshort(e, 0x77);			/* ja miss */
	else
		jcc_cold(e, CC_A);
	if (stk) {					/* rdx = bias + offset */
		insm(e, 8, 0x8b, RDX, RSP_, how == M_WR ? SS_WR_BIAS : SS_RD_BIAS);
		insr(e, 8, 0x01, RAX, RDX);
	} else if (how == M_RMW) {
		insr(e, 8, 0x8b, RDX, RCX);
		insr(e, 8, 0x29, R11, RDX);		/* sub rdx, r11 */
		insr(e, 8, 0x81, 7, RDX);
		b4(e, lim);
		if (e->span)
			miss2 = jshort(e, 0x77);
		else
			jcc_cold(e, CC_A);
		insm(e, 8, 0x8b, RSI, RSP_, WBIAS);	/* rsi = [rsp+WBIAS] + rcx */
		insr(e, 8, 0x01, RCX, RSI);
	}
	if (stk) {
	} else if (how == M_WR) {
		insm(e, 8, 0x8b, RDX, RSP_, WBIAS);	/* rdx = [rsp+WBIAS] + rcx */
		insr(e, 8, 0x01, RCX, RDX);
	} else {
		lea_sum(e, RDX, R10, RCX);		/* lea rdx, [r10+rcx] */
	}
	if (e->span) {
		b1(e, 0xe9);				/* jmp done */
		b4(e, 0);
		done = e->p;
		land(e, miss);
		if (miss2)
			land(e, miss2);
	} else {
		cold_begin(e, &hot_done);
		if (stk)
			emit_linear(e, so);
	}
	if (!e->span && sz > 1) {
		insr(e, 4, 0x8b, RDX, RCX);		/* mov edx, ecx */
		insr(e, 4, 0x81, 4, RDX);		/* and edx, fffh */
		b4(e, MEM_PAGE_SIZE - 1);
		insr(e, 4, 0x81, 7, RDX);		/* cmp edx, page end - sz */
		b4(e, MEM_PAGE_SIZE - sz);
		jexit(e, CC_A, X_CONT, k);
	}
	insr(e, 4, 0x8b, RDX, RCX);			/* mov edx, ecx */
	insr(e, 4, 0xc1, 5, RDX);			/* shr edx, 12 */
	b1(e, MEM_PAGE_SHIFT);
	insm(e, 4, 0x8d, RSI, RDX, 1);			/* lea esi, [rdx+1] */
	insm(e, 4, 0x0b, RSI, RBX, CPU(pc_key));	/* or esi, [pc_key] */
	insr(e, 4, 0x81, 4, RDX);			/* and edx, entries-1 */
	b4(e, X86I_PCACHE - 1);
	tlb_scale(e, RDX);
	insr(e, 8, 0x01, RBX, RDX);			/* add rdx, rbx */
	insm(e, 4, 0x3b, RSI, RDX, pc + (int32_t)offsetof(struct x86i_pcache, tag));
	mem_leave(e, CC_NE, k);
	if (stk) {
		/* rsi = the host page, its bias and base to the frame */
		insm(e, 8, 0x8b, RSI, RDX, pc + (int32_t)(how == M_WR ? offsetof(struct x86i_pcache, wr) :
							  offsetof(struct x86i_pcache, rd)));
		insr(e, 8, 0x85, RSI, RSI);
		mem_leave(e, CC_E, k);
		/* keyed by offset (SS's base cannot change in a run): the
		 * base is the offset of the page's start, offset - (linear &
		 * fffh), the bias the host page less that */
		insr(e, 4, 0x8b, RDX, RCX);		/* mov edx, ecx */
		insr(e, 4, 0x81, 4, RDX);		/* and edx, fffh */
		b4(e, MEM_PAGE_SIZE - 1);
		insr(e, 8, 0xf7, 3, RDX);		/* neg rdx */
		insr(e, 8, 0x01, RAX, RDX);		/* add rdx, rax */
		insm(e, 8, 0x89, RDX, RSP_, how == M_WR ? SS_WR_BASE : SS_RD_BASE);
		insr(e, 8, 0x29, RDX, RSI);		/* sub rsi, rdx */
		insm(e, 8, 0x89, RSI, RSP_, how == M_WR ? SS_WR_BIAS : SS_RD_BIAS);
		lea_sum(e, RDX, RSI, RAX);		/* lea rdx, [rsi+rax] */
		cold_end(e, hot_done);
		return;
	}
	if (how != M_RD) {
		insm(e, 8, 0x8b, RSI, RDX, pc + (int32_t)offsetof(struct x86i_pcache, wr));
		insr(e, 8, 0x85, RSI, RSI);
		mem_leave(e, CC_E, k);
	}
	if (how != M_WR) {
		insm(e, 8, 0x8b, R10, RDX, pc + (int32_t)offsetof(struct x86i_pcache, rd));
		insr(e, 8, 0x85, R10, R10);
		mem_leave(e, CC_E, k);
	}
	insr(e, 4, 0x8b, RDX, RCX);			/* mov edx, ecx */
	insr(e, 4, 0x81, 4, RDX);			/* and edx, ~fffh */
	b4(e, ~(uint32_t)(MEM_PAGE_SIZE - 1));
	if (how != M_RD) {
		insr(e, 8, 0x29, RDX, RSI);		/* sub rsi, rdx */
		insm(e, 8, 0x89, RSI, RSP_, WBIAS);	/* [rsp+WBIAS] = rsi */
		insr(e, 4, 0x8b, R11, RDX);		/* mov r11d, edx: the base */
	}
	if (how != M_WR) {
		insr(e, 8, 0x29, RDX, R10);		/* sub r10, rdx */
		insr(e, 4, 0x8b, R9, RDX);		/* mov r9d, edx: the base */
	}
	if (how != M_RD)
		insr(e, 8, 0x01, RCX, RSI);		/* add rsi, rcx */
	if (how == M_WR)
		insr(e, 8, 0x8b, RDX, RSI);		/* mov rdx, rsi */
	else
		lea_sum(e, RDX, R10, RCX);
	if (!e->span) {
		cold_end(e, hot_done);
	} else if (!e->bad) {
		int32_t rel = (int32_t)(e->p - done);
		memcpy(done - 4, &rel, 4);
	}
}

/* No page in the run's cache: at every entry from C and after a call,
 * which may refill the TLB (and clobbers r9..r11).  A base of
 * -80000000h is more than a page away from every 32-bit address. */
static void cache_clear(struct em *e)
{
	insr(e, 8, 0xc7, 0, R9);			/* mov r9, -80000000h */
	b4(e, 0x80000000u);
	insr(e, 8, 0xc7, 0, R11);			/* mov r11, -80000000h */
	b4(e, 0x80000000u);
	insm(e, 8, 0xc7, 0, RSP_, SS_RD_BASE);		/* the stack's too */
	b4(e, 0x80000000u);
	insm(e, 8, 0xc7, 0, RSP_, SS_WR_BASE);
	b4(e, 0x80000000u);
}

/* host h = sz bytes at [base] (zero-extended) / [base] = h. */
static void load_ptr(struct em *e, int h, int base, unsigned sz)
{
	if (sz == 4)
		insm(e, 4, 0x8b, h, base, 0);
	else
		insm(e, 4, sz == 2 ? 0x0fb7 : 0x0fb6, h, base, 0);
}
static void store_ptr(struct em *e, int h, int base, unsigned sz)
{
	insm(e, sz, sz == 1 ? 0x88 : 0x89, h, base, 0);
}

/* --- instructions ----------------------------------------------------- */

static unsigned opsz_of(const struct insn *i) { return (i->op & 1) ? i->osz : 1; }

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
	emit_ea(e, d);
	emit_mem(e, k, d->in.seg, sz, how);
	extra = word_pen(e, sz, how == M_RMW ? 2 : 1);
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
/* [rip] = v */
static void set_rip(struct em *e, uint32_t v)
{
	mov_eax_imm(e, RAX, v);
	insm(e, 8, 0x89, RAX, RBP, ST(rip));
}
static void mov_imm64(struct em *e, int h, uint64_t v)
{
	rex(e, 1, 0, h);
	b1(e, 0xb8 + (unsigned)(h & 7));
	b4(e, (uint32_t)v);
	b4(e, (uint32_t)(v >> 32));
}
#define LK(f) ((int32_t)offsetof(struct tl_link, f))

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
	emit_mem(e, k, X86_SS, sz, M_WR);
	extra = word_pen(e, sz, 1);
	/* ecx was used by emit_mem: the value goes in last */
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

/* REP MOVS/STOS: a call to tl_rep_string, which charges all the clocks
 * itself.  0 for another instruction. */
/* At most this many elements are copied inline; longer strings go to
 * tl_rep_string, whose memcpy/memset is then the cheaper copy. */
#define REP_INLINE_MAX 32

/* guest index register r (asz bytes) += eax (no wrap: checked) */
static void index_add(struct em *e, int r, unsigned asz)
{
	if (asz == 2) {
		insm(e, 2, 0x01, RAX, RBP, gpr_off(r));		/* add [r], ax */
	} else {
		insm(e, 4, 0x8b, RDX, RBP, gpr_off(r));
		insr(e, 4, 0x01, RAX, RDX);			/* add edx, eax */
		insm(e, 8, 0x89, RDX, RBP, gpr_off(r));	/* as w32: upper half 0 */
	}
}

/* The inline form of tl_rep_string for a forward REP MOVS/STOS of 1 to
 * REP_INLINE_MAX elements whose spans each lie in one cached page and
 * that ends before the deadline, with no interrupt pending (tl_rep_string's
 * test, of which only INTR's level can differ from the run's entry, and
 * not within a run).  Each case it does not take jumps to the slow path
 * (jslow) before anything has changed.  The element loop reads each
 * element whole before writing it, as the guest does, so overlapping
 * spans repeat the pattern as on the CPU. */
static void emit_rep_inline(struct em *e, unsigned k)
{
	const struct x86i_cpu *c = e->c;
	const struct x86i_dinsn *d = &e->d[k];
	const struct insn *i = &d->in;
	int movs = (i->op & 0xfe) == 0xa4;
	unsigned sz = opsz_of(i), asz = i->asz, ss = sz == 4 ? 2 : sz - 1;
	int32_t start = d->clk - (int32_t)c->t->base[i->op][0] + (int32_t)c->t->rep_base;
	int32_t per = movs ? c->t->rep_movs : c->t->rep_stos;
	uint8_t *l, *loop;

	insm(e, 4, 0xf7, 0, RSP_, GUARD_BAD);		/* test [rsp+16], DF | INTR */
	b4(e, G_DF | G_INTR);
	jslow(e, CC_NE);
	/* r8 = the count, 1..REP_INLINE_MAX */
	insm(e, 4, asz == 2 ? 0x0fb7 : 0x8b, R8, RBP, gpr_off(X86_RCX));
	insm(e, 4, 0x8d, RDX, R8, -1);			/* lea edx, [r8 - 1] */
	insr(e, 4, 0x83, 7, RDX);			/* cmp edx, max - 1 */
	b1(e, REP_INLINE_MAX - 1);
	jslow(e, CC_A);					/* (0 wrapped: above too) */
	e->span = 1;
	if (movs) {
		load_reg(e, RAX, X86_RSI, asz);
		emit_mem(e, k, i->seg, sz, M_RD);
		insr(e, 8, 0x8b, RDI, RDX);		/* rdi = source */
	}
	load_reg(e, RAX, X86_RDI, asz);
	emit_mem(e, k, X86_ES, sz, M_WR);		/* rdx = destination */
	e->span = 0;
	/* Done before the deadline: S + per * (count - 1) < deadline, with S
	 * the cycles after the start-up clocks; then r12 = S + per * count.
	 * per: the clocks of an element, with the odd word accesses' bus
	 * cycles (on a 16-bit bus they depend on SI's and DI's parity). */
	if (sz == 2 && !c->bus16)
		per += c->word_pen * (movs ? 2 : 1);
	if (sz != 2 || !c->bus16) {
		insr(e, 4, 0x69, RCX, R8);		/* imul ecx, r8d, per */
		b4(e, (uint32_t)per);
		insm(e, 8, 0x8d, RAX, R12, start);	/* lea rax, [r12 + start] */
		insr(e, 8, 0x01, RCX, RAX);		/* add rax, rcx */
		insm(e, 8, 0x8d, RSI, RAX, -per);	/* lea rsi, [rax - per] */
		insr(e, 8, 0x39, R13, RSI);		/* cmp rsi, r13 (rdx: the copy's) */
		jslow(e, CC_AE);
		insr(e, 8, 0x8b, R12, RAX);
	} else {
		mov_eax_imm(e, RSI, (uint32_t)per);	/* esi = per */
		for (int r = movs ? 0 : 1; r < 2; r++) {
			insm(e, 1, 0xf6, 0, RBP, gpr_off(r ? X86_RDI : X86_RSI));
			b1(e, 1);			/* test byte [si/di], 1 */
			l = jshort(e, 0x74);
			insr(e, 4, 0x83, 0, RSI);	/* add esi, pen */
			b1(e, c->word_pen);
			land(e, l);
		}
		insr(e, 4, 0x8b, RCX, RSI);
		insr(e, 4, 0x0faf, RCX, R8);		/* imul ecx, r8d */
		insm(e, 8, 0x8d, RAX, R12, start);	/* lea rax, [r12 + start] */
		insr(e, 8, 0x01, RCX, RAX);		/* add rax, rcx */
		insr(e, 8, 0x8b, RCX, RAX);		/* rcx = cycles after */
		insr(e, 8, 0x29, RSI, RAX);		/* sub rax, rsi */
		insr(e, 8, 0x39, R13, RAX);		/* cmp rax, r13 */
		jslow(e, CC_AE);
		insr(e, 8, 0x8b, R12, RCX);
	}
	/* Nothing can fail from here on. */
	if (!movs)
		load_reg(e, RCX, X86_RAX, sz);
	loop = e->p;
	if (movs)
		load_ptr(e, RCX, RDI, sz);
	store_ptr(e, RCX, RDX, sz);
	if (movs) {
		insr(e, 8, 0x83, 0, RDI);		/* add rdi, sz */
		b1(e, sz);
	}
	insr(e, 8, 0x83, 0, RDX);			/* add rdx, sz */
	b1(e, sz);
	insr(e, 4, 0xff, 1, R8);			/* dec r8d */
	b1(e, 0x75);					/* jnz loop */
	b1(e, (uint8_t)(loop - (e->p + 1)));
	/* CX = 0, SI and DI past the spans (eax = the length) */
	insm(e, 4, asz == 2 ? 0x0fb7 : 0x8b, RAX, RBP, gpr_off(X86_RCX));
	if (ss) {
		insr(e, 4, 0xc1, 4, RAX);		/* shl eax, log2 sz */
		b1(e, ss);
	}
	if (asz == 2) {
		insm(e, 2, 0xc7, 0, RBP, gpr_off(X86_RCX));	/* mov word [cx], 0 */
		b2(e, 0);
	} else {
		insm(e, 8, 0xc7, 0, RBP, gpr_off(X86_RCX));	/* mov qword [ecx], 0 */
		b4(e, 0);
	}
	index_add(e, X86_RDI, asz);
	if (movs)
		index_add(e, X86_RSI, asz);
}

static int emit_rep(struct em *e, unsigned k)
{
	const struct x86i_dinsn *d = &e->d[k];
	unsigned op = d->in.op;
	uint8_t *done = NULL;

	if (!((op == 0xa4 || op == 0xa5 || op == 0xaa || op == 0xab) &&
	      e->c->ops[op] == e->c->ops[0xa4]))
		return 0;
	e->nlfix = 0;
	if (d->in.asz == 2 || e->c->segchk) {
		emit_rep_inline(e, k);
		b1(e, 0xe9);				/* jmp done */
		b4(e, 0);
		done = e->p;
	}
	slow_land(e);
	insm(e, 8, 0x89, R12, RBP, ST(cycles));
	insr(e, 8, 0x8b, RDI, RBX);			/* mov rdi, rbx */
	mov_imm64(e, RSI, (uint64_t)(uintptr_t)d);
	mov_imm64(e, RAX, (uint64_t)(uintptr_t)tl_rep_string);
	insr(e, 8, 0xff, 2, RAX);			/* call rax */
	cache_clear(e);
	insm(e, 8, 0x8b, R12, RBP, ST(cycles));
	insr(e, 4, 0x83, 7, RAX);			/* cmp eax, NO */
	b1(e, TL_REP_NO);
	jexit(e, CC_E, X_CONT, k);
	insr(e, 4, 0x83, 7, RAX);			/* cmp eax, YIELD */
	b1(e, TL_REP_YIELD);
	jexit(e, CC_E, X_BR_STOP, k + 1);		/* done, IP back at it */
	if (done && !e->bad) {
		int32_t rel = (int32_t)(e->p - done);
		memcpy(done - 4, &rel, 4);
	}
	e->iclk[k] = 0;
	e->unbounded[k] = 1;
	return 1;
}

/* The data instructions (ALU, MOV, LEA, INC/DEC, NOT/NEG, shifts, MOVZX,
 * IMUL): emits k and adds its extra static clocks to *clocks; 0 for
 * another instruction (nothing emitted). */
static int emit_data(struct em *e, unsigned k, int32_t *clocks_out)
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
			emit_ea(e, d);
			emit_mem(e, k, i->seg, sz, M_WR);
			clocks += word_pen(e, sz, 1);
			load_reg(e, RCX, i->reg, sz);
			store_ptr(e, RCX, RDX, sz);
		}
	} else if (op >= 0xa0 && op <= 0xa3 && h == c->ops[0xa0]) {
		mov_eax_imm(e, RAX, i->imm);
		emit_mem(e, k, i->seg, sz, (op & 2) ? M_WR : M_RD);
		clocks += word_pen(e, sz, 1);
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
			emit_ea(e, d);
			emit_mem(e, k, i->seg, sz, M_WR);
			clocks += word_pen(e, sz, 1);
			mov_eax_imm(e, RCX, v);
			store_ptr(e, RCX, RDX, sz);
		}
	} else if (op == 0x8d && h == c->ops[0x8d] && mem) {
		emit_ea(e, d);
		store_reg(e, RAX, i->reg, i->osz);
	} else if (op >= 0x40 && op <= 0x4f && h == c->ops[0x40]) {
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
		emit_mem(e, k, X86_SS, i->osz, M_RD);
		clocks += word_pen(e, i->osz, 1);
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
		emit_mem(e, k, X86_SS, i->osz, M_RD);
		clocks += word_pen(e, i->osz, 1);
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
static int emit_insn(struct em *e, unsigned k, int *branch)
{
	const struct insn *i = &e->d[k].in;
	int32_t clocks = e->d[k].clk;

	*branch = 0;
	e->dmax[k] = 0;
	e->unbounded[k] = 0;
	if (i->lock)
		return 0;
	if (i->rep)
		return emit_rep(e, k);
	if (!emit_data(e, k, &clocks) && !emit_flow(e, k, &clocks, branch))
		return 0;
	e->iclk[k] = clocks;
	return 1;
}

/* --- the trampoline and the buffer ------------------------------------ */

/* tl_enter(c, s, code): saves the callee-saved registers, loads the run's
 * registers and jumps to code; the code leaves through exit with eax the
 * result, after storing the instruction count and EIP. */
static void emit_trampoline(struct tl_jit *j)
{
	struct em *e = calloc(1, sizeof(*e));
	static const int save[6] = { RBX, RBP, R12, R13, R14, R15 };

	if (!e)
		return;
	e->buf = e->p = j->buf;
	e->end = j->buf + j->size;
	for (int k = 0; k < 6; k++) {
		rex(e, 0, 0, save[k]);
		b1(e, 0x50 + (unsigned)(save[k] & 7));
	}
	insr(e, 8, 0x83, 5, RSP_);		/* sub rsp, FRAME */
	b1(e, FRAME);
	insm(e, 8, 0x89, RCX, RSP_, 0);		/* [rsp] = where the stubs put the block */
	insm(e, 4, 0x89, R8, RSP_, GUARD_BAD);	/* [rsp+16] = what the guards fail on */
	insr(e, 8, 0x8b, RBX, RDI);		/* mov rbx, rdi */
	insr(e, 8, 0x8b, RBP, RSI);		/* mov rbp, rsi */
	insm(e, 8, 0x8b, R12, RBP, ST(cycles));
	insm(e, 8, 0x8b, R13, RBX, CPU(deadline));
	insm(e, 8, 0x8b, R14, RBP, ST(gpr) + X86_RSP * 8);	/* r14 = RSP */
	insm(e, 8, 0x8b, R15, RBP, ST(rflags));
	cache_clear(e);
	insr(e, 8, 0xff, 4, RDX);		/* jmp rdx */
	j->exit_off = (uint32_t)(e->p - e->buf);
	insm(e, 8, 0x89, R12, RBP, ST(cycles));
	insm(e, 8, 0x8b, RCX, RBP, ST(rflags));	/* the arithmetic flags from r15 */
	insr(e, 8, 0x81, 4, RCX);
	b4(e, ~(uint32_t)FL_ALL);
	insr(e, 8, 0x8b, RDX, R15);
	insr(e, 4, 0x81, 4, RDX);
	b4(e, FL_ALL);
	insr(e, 8, 0x09, RDX, RCX);
	insm(e, 8, 0x89, RCX, RBP, ST(rflags));
	insm(e, 8, 0x89, R14, RBP, ST(gpr) + X86_RSP * 8);
	insr(e, 8, 0x83, 0, RSP_);		/* add rsp, FRAME */
	b1(e, FRAME);
	for (int k = 5; k >= 0; k--) {
		rex(e, 0, 0, save[k]);
		b1(e, 0x58 + (unsigned)(save[k] & 7));
	}
	b1(e, 0xc3);
	j->used = (size_t)(e->p - e->buf);
	j->used = (j->used + 63) & ~(size_t)63;
	j->tramp_end = j->used;
	free(e);
}

static int jit_protect(struct tl_jit *j, size_t from, size_t to, int prot)
{
	size_t a = from & ~(j->page - 1), b = (to + j->page - 1) & ~(j->page - 1);

	if (j->dual)
		return 0;
	return mprotect(j->buf + a, b - a, prot);
}

static int jit_map_dual(struct tl_jit *j)
{
	int fd = memfd_create("tandem-tcg-lite", MFD_CLOEXEC);

	if (fd < 0)
		return -1;
	if (ftruncate(fd, (off_t)j->size) == 0) {
		j->buf = mmap(NULL, j->size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		j->code = mmap(NULL, j->size, PROT_READ | PROT_EXEC, MAP_SHARED, fd, 0);
	}
	close(fd);
	if (j->buf && j->buf != MAP_FAILED && j->code && j->code != MAP_FAILED) {
		j->dual = 1;
		return 0;
	}
	if (j->buf && j->buf != MAP_FAILED)
		munmap(j->buf, j->size);
	if (j->code && j->code != MAP_FAILED)
		munmap(j->code, j->size);
	j->buf = j->code = NULL;
	return -1;
}

struct tl_jit *tl_jit_new(size_t size)
{
	struct tl_jit *j = calloc(1, sizeof(*j));
	long pg = sysconf(_SC_PAGESIZE);

	if (!j)
		return NULL;
	j->page = pg > 0 ? (size_t)pg : 4096;
	j->size = (size + j->page - 1) & ~(j->page - 1);
	if (jit_map_dual(j) == 0)
		goto mapped;
	j->buf = mmap(NULL, j->size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	j->code = j->buf;
	if (j->buf == MAP_FAILED) {
		free(j);
		return NULL;
	}
mapped:
	emit_trampoline(j);
	if (!j->used || jit_protect(j, 0, j->size, PROT_READ | PROT_EXEC)) {
		tl_jit_free(j);
		return NULL;
	}
	return j;
}

void tl_jit_free(struct tl_jit *j)
{
	if (!j)
		return;
	munmap(j->buf, j->size);
	if (j->dual)
		munmap(j->code, j->size);
	free(j);
}

void tl_jit_reset(struct tl_jit *j)
{
	j->used = j->tramp_end;	/* the trampoline stays */
}

/* Exit stub (kind, j): instruction count, EIP where known, the result. */
static void emit_stub(struct em *e, struct tl_jit *jit, unsigned kind, unsigned j)
{
	const struct x86i_dinsn *d = e->d;
	unsigned ret = j | (kind == X_STOP || kind == X_BR_STOP ? TL_NAT_STOP : 0) |
		       (kind == X_REDO ? TL_NAT_REDO : 0);
	int32_t rel;

	insns_add(e, (int32_t)j);
	mov_imm64(e, RAX, (uint64_t)(uintptr_t)e->block);	/* *block = this one */
	insm(e, 8, 0x8b, RCX, RSP_, 0);
	insm(e, 8, 0x89, RAX, RCX, 0);
	if (kind == X_CONTP)
		add_cycles(e, -e->undo[j]);
	if (kind == X_CONT || kind == X_CONTP || kind == X_REDO || kind == X_STOP)
		set_rip(e, j ? d[j - 1].ip_next : d[0].in.ip0);
	mov_eax_imm(e, RAX, ret);
	b1(e, 0xe9);
	rel = (int32_t)((int64_t)jit->exit_off - (int64_t)(e->p + 4 - e->buf));
	b4(e, (uint32_t)rel);
}

/* What does not hold of the use bits at the run's entry from C (tl_jit_run
 * computes them for the trampoline, which keeps them at [rsp+GUARD_BAD]):
 * the segments that are not present writable expand-up data, the stack
 * size a U_SS16 or U_SS32 access does not have, U_AC when alignment is
 * checked. */
static uint32_t guard_bad(const struct x86i_cpu *c)
{
	const struct x86_state *s = c->s;
	uint32_t bad = 0;

	for (int sg = 0; sg < X86_NR_SREG; sg++) {
		if ((s->seg[sg].attr & 0x9e) != 0x92)
			bad |= 1u << sg;
		if (s->seg[sg].limit != 0xffff)
			bad |= U_L16 << sg;
		if (s->seg[sg].limit != 0xffffffffu)
			bad |= U_L32 << sg;
	}
	bad |= (s->seg[X86_SS].attr & 0x4000) ? U_SS16 : U_SS32;
	if (c->ac_align)
		bad |= U_AC;
	if (s->rflags & X86_DF)
		bad |= G_DF;
	if (c->intr->level && (s->rflags & X86_IF))
		bad |= G_INTR;
	return bad;
}

/* At an entry into a run at instruction x, before jumping to it: what the
 * fast memory paths of x and the rest of the run (up to end) assume, so
 * that they need not check it per access.  Segment registers, SS's size,
 * EFLAGS.AC, CR0.AM and the CPL cannot change within a run (no native
 * instruction changes them), only between the threaded instructions that
 * lead to an entry.  When it does not hold, instruction x goes to the
 * threaded loop (whose handler takes the slow path). */
static void entry_guard(struct em *e, unsigned x, unsigned end, const uint32_t *uses)
{
	const struct x86i_cpu *c = e->c;
	unsigned use = 0;
	uint32_t done;

	for (unsigned k = x; k < end; k++)
		use |= uses[k];
	use &= (c->segchk ? (1u << X86_NR_SREG) - 1 + U_AC + U_LIMITS : 0) | U_SS16 | U_SS32;
	if (!use)
		return;
	insm(e, 4, 0xf7, 0, RSP_, GUARD_BAD);		/* test dword [rsp+16], use */
	b4(e, use);
	if (!(use & U_LIMITS)) {
		jexit(e, CC_NE, X_CONT, x);
		return;
	}
	/* (cold) a limit taken at translation changed: retranslate */
	jcc_cold(e, CC_NE);
	cold_begin(e, &done);
	insm(e, 4, 0xf7, 0, RSP_, GUARD_BAD);
	b4(e, use & U_LIMITS);
	jexit(e, CC_NE, X_REDO, x);
	jexit(e, -1, X_CONT, x);
	cold_end(e, done);
}

/* lea rdx, [r12 + most]; cmp rdx, r13; jae CONT(x); add r12, clocks: the
 * head of a stretch from x, the instructions from x on that are native,
 * no branch and of bounded clocks.  The threaded loop runs instruction x
 * when the most the stretch can charge could reach the deadline; else
 * none of them can, so none compares, and their static clocks are
 * charged here at once (an exit within the stretch takes back those of
 * the instructions it did not run: CONTP). */
static void stretch_head(struct em *e, unsigned x, int32_t most, int32_t clocks)
{
	insm(e, 8, 0x8d, RDX, R12, most);
	insr(e, 8, 0x39, R13, RDX);
	jexit(e, CC_AE, X_CONT, x);
	add_cycles(e, clocks);
}

/* The first pass: emits the block into scratch to learn, per instruction,
 * whether it is native, pure (no exit of its own: no memory access, no
 * branch, static clocks), in a stretch (st: native, no branch, bounded
 * clocks), its clocks and the flags it writes and reads; then marks dead
 * the flag captures a later instruction of the same pure stretch
 * overwrites before any read.  Only pure instructions can have dead
 * flags: after an impure one a run may leave, and the state must be whole
 * then.  most[k] and sum[k]: the most and the static clocks of the
 * stretch from k to its end. */
static void survey(struct em *e, uint8_t *st, int32_t *most, int32_t *sum)
{
	unsigned n = e->n;
	uint8_t *ok = e->ok, pure[TL_NAT_MAX_INSNS];

	for (unsigned k = 0; k < n; k++) {
		unsigned f = e->nfix;
		int branch = 0;
		e->cur = k;
		ok[k] = (uint8_t)emit_insn(e, k, &branch);
		e->br[k] = (uint8_t)branch;
		pure[k] = ok[k] && !branch && e->nfix == f;
		st[k] = ok[k] && !branch && !e->unbounded[k];
		e->nfix = 0;
		e->nxfix = 0;
		e->cold_used = 0;
		e->p = e->buf;
	}
	for (unsigned k = n; k-- > 0;) {
		int more = k + 1 < n && st[k + 1];
		most[k] = st[k] ? e->iclk[k] + e->dmax[k] + (more ? most[k + 1] : 0) : 0;
		sum[k] = st[k] ? e->iclk[k] + (more ? sum[k + 1] : 0) : 0;
	}
	for (unsigned k = 0; k < n; k++) {
		if (!pure[k] || !e->fw[k])
			continue;
		for (unsigned m = k + 1; m < n && pure[m] && !e->fr[m]; m++) {
			if ((e->fw[m] & e->fw[k]) == e->fw[k]) {
				e->dead[k] = 1;
				break;
			}
		}
	}
}

/* The cold code goes after the runs: the jumps between the two and the
 * exits from cold code get their final offsets. */
static void place_cold(struct em *e)
{
	uint32_t base = (uint32_t)(e->p - e->buf);

	if ((size_t)(e->end - e->p) < e->cold_used) {
		e->bad = 1;
		return;
	}
	memcpy(e->p, e->cold, e->cold_used);
	e->p += e->cold_used;
	for (unsigned f = 0; f < e->nxfix; f++) {
		uint32_t at = e->xfix[f].at, to = e->xfix[f].to;
		int32_t rel;
		if (e->xfix[f].from_cold) {
			at += base;
		} else {
			to += base;
		}
		rel = (int32_t)to - (int32_t)(at + 4);
		memcpy(e->buf + at, &rel, 4);
	}
	for (unsigned f = 0; f < e->nfix; f++) {
		if (e->fix[f].cold) {
			e->fix[f].at += base;
			e->fix[f].cold = 0;
		}
	}
}

int tl_jit_translate(struct tl_jit *jit, const struct x86i_cpu *c, const struct x86i_dinsn *d,
		     unsigned n, uint32_t *entry, const void *block, struct tl_link *link,
		     int assume_lim)
{
	uint8_t st[TL_NAT_MAX_INSNS];
	int32_t most[TL_NAT_MAX_INSNS], sum[TL_NAT_MAX_INSNS];
	struct em *e;
	uint32_t stub[X_KINDS][34], at_insn[TL_NAT_MAX_INSNS];
	unsigned k = 0, native = 0;
	size_t start = jit->used;

	for (unsigned x = 0; x < n; x++)
		entry[x] = 0;
	memset(link, 0, 2 * sizeof(*link));
	if (n > TL_NAT_MAX_INSNS)
		return 0;
	if (jit->size - start < 65536)
		return -1;
	e = malloc(sizeof(*e));
	if (!e)
		return 0;
	e->cold = malloc(COLD_SIZE);
	if (!e->cold) {
		free(e);
		return 0;
	}
	if (jit_protect(jit, start, jit->size, PROT_READ | PROT_WRITE)) {
		free(e->cold);
		free(e);
		return 0;
	}
	e->cold_used = 0;
	e->in_cold = 0;
	e->nxfix = 0;
	e->c = c;
	e->d = d;
	e->n = n;
	e->nfix = 0;
	e->block = block;
	e->link = link;
	e->pen_r8 = 0;
	e->assume_lim = assume_lim;
	e->span = 0;
	e->nlfix = 0;
	e->pre = 0;
	memset(e->dead, 0, sizeof(e->dead));
	memset(e->fw, 0, sizeof(e->fw));
	memset(e->fr, 0, sizeof(e->fr));
	/* the first pass writes into the space after the buffer's end of use */
	e->buf = e->p = jit->buf + start;
	e->end = jit->buf + jit->size;
	e->bad = 0;
	survey(e, st, most, sum);
	if (e->bad) {
		/* (one instruction overflowed the scratch space) */
		jit_protect(jit, start, jit->size, PROT_READ | PROT_EXEC);
		free(e->cold);
		free(e);
		return 0;
	}
	for (unsigned x = 0; x < n; x++)
		e->undo[x] = sum[x];
	e->undo[n] = 0;
	memcpy(e->use_sv, e->use, sizeof(e->use));
	memset(e->use, 0, sizeof(e->use));
	e->buf = jit->buf;
	e->p = jit->buf + start;
	e->bad = 0;
	e->nfix = 0;
	e->nxfix = 0;
	e->cold_used = 0;
	while (k < n && !e->bad) {
		uint8_t *run = e->p;
		unsigned nfix = e->nfix, first = k, run_nx = e->nxfix, end = k;
		size_t run_cold = e->cold_used;
		int branch = 0;

		/* The run's first entry falls into its first instruction */
		while (end < n && e->ok[end] && !e->bad)
			if (e->br[end++])
				break;
		if (end > first) {
			entry[first] = (uint32_t)(e->p - e->buf);
			insns_add(e, -(int32_t)first);
			entry_guard(e, first, end, e->use_sv);
		}

		for (; k < n; k++) {
			uint8_t *at = e->p;
			unsigned f = e->nfix, nx = e->nxfix;
			size_t cold = e->cold_used;
			at_insn[k] = (uint32_t)(at - e->buf);
			e->cur = k;
			if (st[k] && (k == first || !st[k - 1]))
				stretch_head(e, k, most[k], sum[k]);
			e->pre = st[k];
			if (!emit_insn(e, k, &branch)) {
				e->pre = 0;
				e->p = at;
				e->nfix = f;
				e->nxfix = nx;
				e->cold_used = cold;
				e->use[k] = 0;
				break;
			}
			e->pre = 0;
			native++;
			if (branch) {
				k++;
				break;
			}
			if (!st[k])
				end_insn(e, k, e->iclk[k]);
		}
		if (k == first) {
			e->p = run;
			e->nfix = nfix;
			e->nxfix = run_nx;
			e->cold_used = run_cold;
			k++;
			continue;
		}
		if (!branch)
			jexit(e, -1, X_CONT, k);
		/* Entries into the run's later instructions, for the threaded
		 * loop to come back to after running one that left early. */
		for (unsigned x = first + 1; x < k; x++) {
			int32_t rel;
			entry[x] = (uint32_t)(e->p - e->buf);
			insns_add(e, -(int32_t)x);
			entry_guard(e, x, k, e->use);
			if (x > first && st[x] && st[x - 1])
				stretch_head(e, x, most[x], sum[x]);	/* mid-stretch entry */
			b1(e, 0xe9);			/* jmp the instruction */
			rel = (int32_t)at_insn[x] - (int32_t)(e->p + 4 - e->buf);
			b4(e, (uint32_t)rel);
		}
	}
	place_cold(e);
	memset(stub, 0, sizeof(stub));
	for (unsigned f = 0; f < e->nfix && !e->bad; f++) {
		unsigned kind = e->fix[f].kind, j = e->fix[f].j;
		int32_t rel;
		if (!stub[kind][j]) {
			stub[kind][j] = (uint32_t)(e->p - e->buf);
			emit_stub(e, jit, kind, j);
		}
		rel = (int32_t)stub[kind][j] - (int32_t)(e->fix[f].at + 4);
		memcpy(e->buf + e->fix[f].at, &rel, 4);
	}
	if (e->bad) {
		/* out of room: the caller drops everything and tries again */
		free(e->cold);
		free(e);
		jit_protect(jit, start, jit->size, PROT_READ | PROT_EXEC);
		return -1;
	}
	jit->used = ((size_t)(e->p - e->buf) + 63) & ~(size_t)63;
	free(e->cold);
	free(e);
	if (jit_protect(jit, start, jit->used, PROT_READ | PROT_EXEC)) {
		for (unsigned x = 0; x < n; x++)
			entry[x] = 0;
		return 0;
	}
	if (!native)
		jit->used = start;
	return (int)native;
}

typedef unsigned (*tl_enter_fn)(struct x86i_cpu *c, struct x86_state *s, const uint8_t *code,
				const void **block, uint32_t bad);

unsigned tl_jit_run(const struct tl_jit *j, struct x86i_cpu *c, uint32_t entry,
		    const void **block)
{
	tl_enter_fn f = (tl_enter_fn)(void *)j->code;

	return f(c, c->s, j->code + entry, block, guard_bad(c));
}

const uint8_t *tl_jit_code(const struct tl_jit *j, uint32_t entry)
{
	return j->code + entry;
}
