/* tcg-lite's native code generator, the parts its files share (tl_native.c: the
 * driver, buffer and trampoline; tl_ops.c: the instructions; tl_mem.c: the memory
 * access path and cold code; tl_rep.c: REP MOVS/STOS).  Private to accel/tcg-lite:
 * struct em (one translation), the run's register and frame layout, the small
 * encoders as static inline functions, and the functions the files call across. */
#ifndef TANDEM_ACCEL_TL_EMIT_H
#define TANDEM_ACCEL_TL_EMIT_H

#include <stddef.h>
#include <stdint.h>

#include "accel/tcg-lite/tl_native.h"

enum { RAX, RCX, RDX, RBX, RSP_, RBP, RSI, RDI, R8, R9, R10, R11, R12, R13, R14, R15 };

/* Flags: what the arithmetic and logic operations write, and what of it the
 * host defines as the interpreter does. */
#define FL_ALL 0x8d5u		/* OF SF ZF AF PF CF */
#define FL_LOGIC 0x8c5u		/* AF stays 0 */
#define FL_INCDEC 0x8d4u	/* CF kept */
#define FL_ROT 0x801u		/* OF CF */

/* Exit paths, per boundary j: CONT leaves before instruction j (EIP at its
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
	 * is emitted, its CONT exits then go to CONTP exit paths, which take back
	 * undo[j] clocks. */
	int pre;
	int32_t undo[TL_NAT_MAX_INSNS + 1];
	/* Where word_pen adds a run-time bus cycle: r12, or r8 while a
	 * later access of the same instruction may still leave before it
	 * (a leaving instruction must not have charged anything). */
	int pen_r8;
	/* The host register holding the EIP a dynamic branch_out goes to. */
	int dyn_eip;
	/* Set while tl_emit_rep's inline copy emits its two spans: tl_emit_mem
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
	/* Cold code (tl_emit_mem's misses), emitted aside and placed after the
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

/* Offsets into x86_state (rbp) and x86i_cpu (rbx). */
#define ST(f) ((int32_t)offsetof(struct x86_state, f))
#define CPU(f) ((int32_t)offsetof(struct x86i_cpu, f))

enum { CC_O, CC_NO, CC_B, CC_AE, CC_E, CC_NE, CC_BE, CC_A };

#define COLD_SIZE 65536		/* a block's cold code at most */

/* Use bits (struct em's use[]): bits 0-5 a segment register (its type), U_AC a
 * word or dword access (alignment checking), U_SS16/U_SS32 the stack's size. */
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

/* The trampoline's frame (rsp during a run): [rsp] where the exit paths put
 * the block, [rsp+WBIAS] the data write cache's host pointer (its base is in
 * r11; the data read cache is r9 and r10). */
#define WBIAS 8
#define GUARD_BAD 16	/* [rsp+16]: guard_bad() of the run */
/* The stack's (SS) one-page caches, reads and writes: base and bias. */
#define SS_RD_BASE 24
#define SS_RD_BIAS 32
#define SS_WR_BASE 40
#define SS_WR_BIAS 48
#define FRAME 56	/* with the six saved registers, rsp stays 16-aligned */

enum { M_RD, M_WR, M_RMW };	/* an access: read, write, read-modify-write */
#define LK(f) ((int32_t)offsetof(struct tl_link, f))

/* --- bytes ------------------------------------------------------------ */

static inline void b1(struct em *e, unsigned v)
{
	if (e->p < e->end)
		*e->p++ = (uint8_t)v;
	else
		e->bad = 1;
}
static inline void b2(struct em *e, unsigned v)
{
	b1(e, v & 0xff);
	b1(e, (v >> 8) & 0xff);
}
static inline void b4(struct em *e, uint32_t v)
{
	b2(e, v & 0xffff);
	b2(e, v >> 16);
}
static inline void rex(struct em *e, int w, int r, int b)
{
	unsigned v = 0x40 | (w ? 8 : 0) | ((r >> 3) & 1) << 2 | ((b >> 3) & 1);
	if (v != 0x40)
		b1(e, v);
}
static inline void modrm_mem(struct em *e, int reg, int base, int32_t disp)
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
static inline void insm(struct em *e, unsigned sz, unsigned op, int reg, int base, int32_t disp)
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
static inline void insr(struct em *e, unsigned sz, unsigned op, int reg, int rm)
{
	if (sz == 2)
		b1(e, 0x66);
	rex(e, sz == 8, reg, rm);
	if (op > 0xff)
		b1(e, op >> 8);
	b1(e, op & 0xff);
	b1(e, 0xc0 | (unsigned)(reg & 7) << 3 | (unsigned)(rm & 7));
}
static inline void imm_sz(struct em *e, unsigned sz, uint32_t v)
{
	if (sz == 1)
		b1(e, v & 0xff);
	else if (sz == 2)
		b2(e, v & 0xffff);
	else
		b4(e, v);
}
static inline int32_t gpr_off(int r) { return ST(gpr) + r * 8; }
/* The byte register r (AL CL DL BL AH CH DH BH). */
static inline int32_t gpr8_off(int r) { return ST(gpr) + (r & 3) * 8 + ((r & 4) ? 1 : 0); }
static inline int32_t seg_off(int s) { return ST(seg) + s * (int32_t)sizeof(struct x86_seg); }
/* SS's B bit: 32-bit stack offsets */
static inline int ss_big(const struct x86i_cpu *c) { return (c->s->seg[X86_SS].attr & 0x4000) != 0; }
/* host h (eax, ecx or edx) = guest register r of sz bytes, zero-extended.
 * (E)SP lives in r14 during a run (8-bit register 4 is AH, not SP). */
static inline void load_reg(struct em *e, int h, int r, unsigned sz)
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
static inline void store_reg(struct em *e, int h, int r, unsigned sz)
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
static inline void load_reg_op(struct em *e, unsigned op, int h, int r)
{
	if (r == X86_RSP)
		insr(e, 4, op, h, R14);
	else
		insm(e, 4, op, h, RBP, gpr_off(r));
}
/* The instruction count (x86_state.insns) += v: during a run it holds the
 * count less the index of the instruction the run entered at, plus the
 * lengths of the blocks it chained through. */
static inline void insns_add(struct em *e, int32_t v)
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
static inline void mov_eax_imm(struct em *e, int h, uint32_t v)
{
	b1(e, 0xb8 + (unsigned)h);
	b4(e, v);
}
/* add r12, n (the cycle count) */
static inline void add_cycles(struct em *e, int32_t n)
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
/* A rel32 jump (cc < 0: JMP, else Jcc) to exit path (kind, j). */
static inline void jexit(struct em *e, int cc, unsigned kind, unsigned j)
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
static inline uint8_t *jshort(struct em *e, unsigned op)
{
	b1(e, op);
	b1(e, 0);
	return e->p - 1;
}
static inline void land(struct em *e, uint8_t *rel)
{
	if (e->bad)
		return;
	if (e->p - rel - 1 > 127)
		e->bad = 1;
	else
		*rel = (uint8_t)(e->p - rel - 1);
}
/* After instruction k: charge clocks, stop if the deadline is reached. */
static inline void end_insn(struct em *e, unsigned k, int32_t clocks)
{
	add_cycles(e, clocks);
	insr(e, 8, 0x39, R13, R12);		/* cmp r12, r13 */
	jexit(e, CC_AE, X_STOP, k + 1);
}
/* h (a TLB index) *= the size of an entry */
static inline void tlb_scale(struct em *e, int h)
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
/* lea d, [b+i] (64-bit) */
static inline void lea_sum(struct em *e, int d, int b, int i)
{
	b1(e, 0x48 | ((d >> 3) & 1) << 2 | ((i >> 3) & 1) << 1 | ((b >> 3) & 1));
	b1(e, 0x8d);
	b1(e, 0x04 | (unsigned)(d & 7) << 3);
	b1(e, (unsigned)(i & 7) << 3 | (unsigned)(b & 7));
}
/* host h = sz bytes at [base] (zero-extended) / [base] = h. */
static inline void load_ptr(struct em *e, int h, int base, unsigned sz)
{
	if (sz == 4)
		insm(e, 4, 0x8b, h, base, 0);
	else
		insm(e, 4, sz == 2 ? 0x0fb7 : 0x0fb6, h, base, 0);
}
static inline void store_ptr(struct em *e, int h, int base, unsigned sz)
{
	insm(e, sz, sz == 1 ? 0x88 : 0x89, h, base, 0);
}
static inline unsigned opsz_of(const struct insn *i) { return (i->op & 1) ? i->osz : 1; }
/* [rip] = v */
static inline void set_rip(struct em *e, uint32_t v)
{
	mov_eax_imm(e, RAX, v);
	insm(e, 8, 0x89, RAX, RBP, ST(rip));
}
static inline void mov_imm64(struct em *e, int h, uint64_t v)
{
	rex(e, 1, 0, h);
	b1(e, 0xb8 + (unsigned)(h & 7));
	b4(e, (uint32_t)v);
	b4(e, (uint32_t)(v >> 32));
}

/* tl_mem.c */
void tl_jcc_cold(struct em *e, int cc);
void tl_cold_begin(struct em *e, uint32_t *done);
void tl_cold_end(struct em *e, uint32_t done);
void tl_jslow(struct em *e, int cc);
void tl_slow_land(struct em *e);
int32_t tl_word_pen(struct em *e, unsigned sz, unsigned times);
void tl_emit_ea(struct em *e, const struct x86i_dinsn *d);
void tl_emit_mem(struct em *e, unsigned k, int seg, unsigned sz, int how);
void tl_cache_clear(struct em *e);
/* tl_rep.c */
int tl_emit_rep(struct em *e, unsigned k);
/* tl_ops.c */
int tl_emit_insn(struct em *e, unsigned k, int *branch);

#endif
