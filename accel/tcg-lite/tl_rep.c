/* REP MOVS/STOS in tcg-lite's native code (tl_emit.h): short forward strings are
 * copied inline, anything else goes to tl_rep_string (tl_string.c). */
#include <string.h>

#include "accel/tcg-lite/tl_emit.h"
#include "accel/tcg-lite/tl_string.h"

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
 * (tl_jslow) before anything has changed.  The element loop reads each
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
	tl_jslow(e, CC_NE);
	/* r8 = the count, 1..REP_INLINE_MAX */
	insm(e, 4, asz == 2 ? 0x0fb7 : 0x8b, R8, RBP, gpr_off(X86_RCX));
	insm(e, 4, 0x8d, RDX, R8, -1);			/* lea edx, [r8 - 1] */
	insr(e, 4, 0x83, 7, RDX);			/* cmp edx, max - 1 */
	b1(e, REP_INLINE_MAX - 1);
	tl_jslow(e, CC_A);					/* (0 wrapped: above too) */
	e->span = 1;
	if (movs) {
		load_reg(e, RAX, X86_RSI, asz);
		tl_emit_mem(e, k, i->seg, sz, M_RD);
		insr(e, 8, 0x8b, RDI, RDX);		/* rdi = source */
	}
	load_reg(e, RAX, X86_RDI, asz);
	tl_emit_mem(e, k, X86_ES, sz, M_WR);		/* rdx = destination */
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
		tl_jslow(e, CC_AE);
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
		tl_jslow(e, CC_AE);
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

/* REP MOVS/STOS of instruction k: the inline copy where it can, else a call to
 * tl_rep_string, which charges all the clocks itself.  0 for another
 * instruction (nothing emitted). */
int tl_emit_rep(struct em *e, unsigned k)
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
	tl_slow_land(e);
	insm(e, 8, 0x89, R12, RBP, ST(cycles));
	insr(e, 8, 0x8b, RDI, RBX);			/* mov rdi, rbx */
	mov_imm64(e, RSI, (uint64_t)(uintptr_t)d);
	mov_imm64(e, RAX, (uint64_t)(uintptr_t)tl_rep_string);
	insr(e, 8, 0xff, 2, RAX);			/* call rax */
	tl_cache_clear(e);
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
