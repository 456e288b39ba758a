/* The memory access path of tcg-lite's native code (tl_emit.h): the fast case of
 * a load or store (limit, page, the run's one-page caches), its miss path as cold
 * code placed after the block's runs, and the exits of REP's inline spans. */
#include <string.h>

#include "accel/tcg-lite/tl_emit.h"

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
/* In hot code: Jcc rel32 to the cold code that comes next (tl_cold_begin). */
void tl_jcc_cold(struct em *e, int cc)
{
	b1(e, 0x0f);
	b1(e, 0x80 + (unsigned)cc);
	xfix_add(e, (uint32_t)e->cold_used, 0);
}
/* Hot code goes on at *done; emission moves to the cold buffer. */
void tl_cold_begin(struct em *e, uint32_t *done)
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
void tl_cold_end(struct em *e, uint32_t done)
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
 * by tl_slow_land once it is emitted. */
void tl_jslow(struct em *e, int cc)
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
void tl_slow_land(struct em *e)
{
	for (unsigned f = 0; f < e->nlfix && !e->bad; f++) {
		int32_t rel = (int32_t)((e->p - e->buf) - (int64_t)(e->lfix[f] + 4));
		memcpy(e->buf + e->lfix[f], &rel, 4);
	}
	e->nlfix = 0;
}
/* A check in tl_emit_mem failed: leave before instruction k, or take the
 * slow path of an inline span. */
static void mem_leave(struct em *e, int cc, unsigned k)
{
	if (e->span)
		tl_jslow(e, cc);
	else
		jexit(e, cc, X_CONT, k);
}
/* The odd-address bus cycle of a word access (rd16/wr16): eax holds the
 * offset.  Static when the bus is 8 bits wide. */
int32_t tl_word_pen(struct em *e, unsigned sz, unsigned times)
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
void tl_emit_ea(struct em *e, const struct x86i_dinsn *d)
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
/* The segment limit's part of an access of sz bytes at seg:eax (rcx the
 * span's end for REP), and the use bits the entry guards check for it. */
static void mem_limit(struct em *e, unsigned k, int seg, unsigned sz)
{
	const struct x86i_cpu *c = e->c;
	int32_t so = seg_off(seg);
	uint32_t lim_now;

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
}

/* The miss path of an access (rcx its linear address): the page crossing
 * test, the TLB entry and its tag, then the cache fill (the stack's, keyed
 * by offset, when stk); rdx (and rsi) then point at the bytes as on a hit. */
static void mem_miss(struct em *e, unsigned k, unsigned sz, int how, int stk)
{
	int32_t pc = CPU(pc);

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
}

/* The fast case of a data access of sz bytes at seg:eax, as rd8..wr32 take
 * it (x86i_priv.h): segment check passes inline, the access stays in one
 * page, the TLB holds the page with a host pointer.  Anything else leaves
 * before instruction k.  Afterwards rdx points at the bytes (rsi too for
 * a read-modify-write, rdx reading and rsi writing); eax is unchanged,
 * ecx, esi and r9..r11 are not.  The run's page caches (data: r9..r11 and
 * [rsp+WBIAS], by linear address; stack: the frame's SS_* slots, by offset
 * in SS) need nothing but that no TLB entry changes within a run: only C
 * code fills or drops entries (the threaded tier, translation, memory-layout
 * and code-watch changes), and native code reaches C only through an exit or
 * tl_rep_string's call, after which tl_cache_clear runs. */
void tl_emit_mem(struct em *e, unsigned k, int seg, unsigned sz, int how)
{
	const struct x86i_cpu *c = e->c;
	int32_t so = seg_off(seg);
	uint8_t *miss = NULL, *miss2 = NULL, *done = NULL;
	uint32_t lim, hot_done = 0;
	/* The stack's own cache: its pages would evict the data's */
	int stk = seg == X86_SS && !e->span && how != M_RMW;

	mem_limit(e, k, seg, sz);
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
		tl_jcc_cold(e, CC_A);
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
			tl_jcc_cold(e, CC_A);
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
		tl_cold_begin(e, &hot_done);
		if (stk)
			emit_linear(e, so);
	}
	mem_miss(e, k, sz, how, stk);
	if (!e->span) {
		tl_cold_end(e, hot_done);
	} else if (!e->bad) {
		int32_t rel = (int32_t)(e->p - done);
		memcpy(done - 4, &rel, 4);
	}
}

/* No page in the run's cache: at every entry from C and after a call,
 * which may refill the TLB (and clobbers r9..r11).  A base of
 * -80000000h is more than a page away from every 32-bit address. */
void tl_cache_clear(struct em *e)
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
