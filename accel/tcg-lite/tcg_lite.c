/* tcg-lite: a decoded-block engine over the interpreter's handlers.
 *
 * Blocks of up to TL_BLOCK_INSNS pre-decoded instructions (x86i_block.h),
 * ending after a branch or at the page end, are cached in a direct-mapped
 * table keyed by (physical address, EIP, CS base, CS.D).  Each record holds
 * the handler and the clocks step() charges before it, so the fast loop
 * (tl_run_fast) per instruction only computes the EA, charges one number,
 * calls the handler and checks the run loop's exits.  It runs while nothing
 * else can be due (running, no NMI or deliverable INTR, TF, RF and debug
 * registers off); anything else goes through step(), which asks tl_fetch
 * in place of decoding.  Interrupts, the budget, the kick, TF, debug
 * registers, exceptions and the per-instruction cycles are therefore the
 * interpreter's by construction.  The register forms of MOV, the ALU
 * operations and group 1 get smaller handlers of the same effect at
 * translate time (tl_regops.c).
 *
 * Self-modifying code and DMA: the physical pages blocks come from are
 * marked in hw/memory's code watch.  The interpreter's TLB then gives no
 * fast write pointer for them, so every store into such a page, like every
 * device write (DMA), reaches tl_code_written, which drops the blocks the
 * written bytes overlap.  The fast loop checks after each instruction that
 * its block is still valid, so a store into the running block, even into
 * the next instruction, is seen by the very next instruction, as in the
 * interpreter.  Code that is not in a watched RAM or ROM page, crosses a
 * page, wraps the segment or faults in decoding goes through x86i_decode. */
#include <stdlib.h>
#include <string.h>

#include "accel/accel.h"
#include "cpu/x86-interp/interp.h"
#include "cpu/x86-interp/x86i_block.h"
#include "cpu/x86-interp/x86i_priv.h"
#include "accel/tcg-lite/tl_native.h"
#include "accel/tcg-lite/tl_regops.h"
#include "hw/machine.h"
#include "util/log.h"

#define TL_BLOCK_INSNS 32
#define TL_HASH_BITS 13
#define TL_HASH (1u << TL_HASH_BITS)
#define TL_PAGES (1u << (32 - MEM_PAGE_SHIFT))
#define TL_LINE_SHIFT 6		/* code is tracked in 64-byte lines per page */
#define TL_JIT_BYTES (32u << 20)	/* native code buffer */
#define TL_HOT_DEFAULT 16		/* block entries before native translation */

struct tl_block {
	uint32_t phys;		/* physical address of the first instruction */
	uint32_t end;		/* and one past its last byte (same page) */
	uint32_t eip, cs_base;
	uint64_t lim;		/* highest offset the block fetches (CS limit) */
	int32_t next, prev;	/* the blocks of the same page, slot numbers */
	uint8_t big, n, valid;
	/* Native code (tl_native.h): entries seen, translated yet, and per
	 * instruction the offset of a run starting there (0 none). */
	uint8_t nat_done, nat_any;
	/* Translate without taking segment limits as constants: one such
	 * assumption failed at an entry (TL_NAT_REDO). */
	uint8_t no_assume;
	uint16_t hot;
	uint32_t nat[TL_BLOCK_INSNS];
	/* Bumped whenever the slot's block goes or changes: links to it
	 * check it. */
	uint32_t version;
	struct tl_link link[2];		/* from its native ending branch */
	struct x86i_dinsn d[TL_BLOCK_INSNS];
};

struct vcpu {
	struct machine *m;
	struct x86i_cpu *cpu;
	struct tl_block *blocks;	/* TL_HASH slots */
	/* Some slot was filled since the last flush.  The table is 17 MB of
	 * untouched zero pages until then; scanning it at start-up and reset
	 * would fault them all in (3 ms of the start-up time). */
	bool built;
	/* Per physical page: the first block on it (slot + 1, 0 none) and
	 * the 64-byte lines its blocks cover. */
	int32_t *page_head;
	uint64_t *page_lines;
	uint64_t gen;			/* hw/memory layout the blocks are from */
	uint32_t a20_mask;		/* of that layout */
	/* The block tl_fetch follows for step() and its next instruction. */
	struct tl_block *cur;
	unsigned idx;
	/* The host's breakpoint (set_breakpoint): no block holds its
	 * instruction past the first, and a block starting there is left to
	 * step(), which stops before it. */
	bool brk_on;
	uint32_t brk_lin;
	/* Native code for hot blocks; NULL when off (TANDEM_TCG_NATIVE=0). */
	struct tl_jit *jit;
	unsigned hot_min;
	/* For --verbose: how the instructions were found. */
	uint64_t n_fast, n_cached, n_built, n_dropped, n_slow;
	uint64_t n_native, n_translated, n_jit_full, n_linked;
};

static unsigned tl_slot(uint32_t phys, uint32_t eip)
{
	uint32_t h = (phys ^ (eip << 7)) * 0x9e3779b1u;
	return h >> (32 - TL_HASH_BITS);
}

static uint64_t line_mask(uint32_t from, uint32_t to)	/* offsets [from, to) */
{
	unsigned a = (from & (MEM_PAGE_SIZE - 1)) >> TL_LINE_SHIFT;
	unsigned b = ((to - 1) & (MEM_PAGE_SIZE - 1)) >> TL_LINE_SHIFT;
	uint64_t hi = b == 63 ? ~(uint64_t)0 : ((uint64_t)1 << (b + 1)) - 1;
	return hi & ~(((uint64_t)1 << a) - 1);
}

/* Takes slot b off its page's list. */
static void tl_unlink(struct vcpu *v, struct tl_block *b)
{
	uint32_t page = b->phys >> MEM_PAGE_SHIFT;

	if (b->prev >= 0)
		v->blocks[b->prev].next = b->next;
	else
		v->page_head[page] = b->next + 1;
	if (b->next >= 0)
		v->blocks[b->next].prev = b->prev;
	b->valid = 0;
	b->version++;
}

/* The interpreter's TLB entries for a physical page: stores into it go
 * through hw/memory (code) or straight to the host page again (no code). */
static void tl_tlb_code(struct vcpu *v, uint32_t page, int code)
{
	struct x86i_cpu *c = v->cpu;

	for (unsigned k = 0; k < X86I_PCACHE; k++) {
		struct x86i_pcache *e = &c->pc[k];
		if (!e->tag || (e->phys & v->a20_mask) != page)
			continue;
		if (code && e->wr) {
			e->wr_code = e->wr;
			e->wr = NULL;
		} else if (!code && e->wr_code) {
			e->wr = e->wr_code;
			e->wr_code = NULL;
		}
	}
}

/* Drops every block (memory layout change, new state, reset). */
static __attribute__((noinline)) void tl_flush(struct vcpu *v)
{
	v->cur = NULL;
	if (v->jit)
		tl_jit_reset(v->jit);
	for (unsigned k = 0; v->built && k < TL_HASH; k++) {
		struct tl_block *b = &v->blocks[k];
		if (!b->valid)
			continue;
		b->valid = 0;
		b->version++;
		v->page_head[b->phys >> MEM_PAGE_SHIFT] = 0;
		v->page_lines[b->phys >> MEM_PAGE_SHIFT] = 0;
	}
	v->built = false;
	mem_code_unmark_all(v->m->mem);
	for (unsigned k = 0; k < X86I_PCACHE; k++) {
		struct x86i_pcache *e = &v->cpu->pc[k];
		if (e->wr_code) {
			e->wr = e->wr_code;
			e->wr_code = NULL;
		}
	}
	v->gen = v->cpu->gen;
	v->a20_mask = mem_a20(v->m->mem) ? 0xffffffffu : ~(1u << 20);
}

/* hw/memory's code watch: [addr, addr+len) of a page holding blocks was
 * written (a store, DMA, a page walk's A/D bits).  Drops the blocks the
 * bytes overlap; a page left without blocks gets its fast stores back. */
static void tl_code_written(void *opaque, uint32_t addr, uint32_t len)
{
	struct vcpu *v = opaque;
	uint32_t page = addr >> MEM_PAGE_SHIFT, end = addr + len;
	uint64_t lines = 0;
	int32_t k;

	if (!(v->page_lines[page] & line_mask(addr, end)) && v->page_head[page])
		return;
	for (k = v->page_head[page] - 1; k >= 0;) {
		struct tl_block *b = &v->blocks[k];
		k = b->next;
		if (b->phys < end && addr < b->end) {
			tl_unlink(v, b);
			v->n_dropped++;
			if (b == v->cur)
				v->cur = NULL;
		} else {
			lines |= line_mask(b->phys, b->end);
		}
	}
	v->page_lines[page] = lines;
	if (!v->page_head[page]) {
		mem_code_unmark(v->m->mem, page << MEM_PAGE_SHIFT);
		tl_tlb_code(v, page << MEM_PAGE_SHIFT, 0);
	}
}

/* Decodes a block at CS:eip (physical phys, host bytes p) into b and files
 * it under its page.  0 when nothing could be decoded or the page cannot
 * be watched. */
static __attribute__((noinline)) int tl_build(struct vcpu *v, struct tl_block *b,
					      const uint8_t *p, uint32_t phys, uint32_t eip,
					      uint32_t cs_base, int big)
{
	struct x86i_cpu *c = v->cpu;
	unsigned off = phys & (MEM_PAGE_SIZE - 1), n = 0;
	uint32_t at = eip, page = phys & ~(MEM_PAGE_SIZE - 1);
	uint64_t lim = 0;

	if (b->valid)
		tl_unlink(v, b);
	b->version++;
	b->nat_done = b->nat_any = 0;
	b->no_assume = 0;
	if (b == v->cur)
		v->cur = NULL;
	if (!v->page_head[page >> MEM_PAGE_SHIFT]) {
		if (!mem_code_mark(v->m->mem, page))
			return 0;
		tl_tlb_code(v, page, 1);
	}
	while (n < TL_BLOCK_INSNS && off < MEM_PAGE_SIZE) {
		struct x86i_dinsn *d = &b->d[n];
		if (n && v->brk_on && cs_base + at == v->brk_lin)
			break;
		int len = x86i_blk_decode(c, p, MEM_PAGE_SIZE - off, at, d);
		if (len <= 0)
			break;
		tl_specialize(c, d);
		n++;
		lim = (uint64_t)at + (unsigned)len - 1;
		p += len;
		off += (unsigned)len;
		if (x86i_blk_is_branch(&d->in))
			break;
		at = big ? at + (uint32_t)len : (uint16_t)(at + (uint32_t)len);
		if (!big && at < eip)
			break;		/* IP wrapped: the next fetch is not at p */
	}
	if (!n)
		return 0;
	b->phys = phys;
	b->end = page + off;
	b->eip = eip;
	b->cs_base = cs_base;
	b->lim = lim;
	b->big = (uint8_t)big;
	b->n = (uint8_t)n;
	b->valid = 1;
	v->built = true;
	b->nat_done = b->nat_any = 0;
	b->hot = 0;
	b->prev = -1;
	b->next = v->page_head[page >> MEM_PAGE_SHIFT] - 1;
	if (b->next >= 0)
		v->blocks[b->next].prev = (int32_t)(b - v->blocks);
	v->page_head[page >> MEM_PAGE_SHIFT] = (int32_t)(b - v->blocks) + 1;
	v->page_lines[page >> MEM_PAGE_SHIFT] |= line_mask(phys, b->end);
	v->n_built++;
	return 1;
}

/* The block starting at CS:EIP, or NULL when x86i_decode must do the
 * instruction (not host-mapped or watched, not decodable here, past the CS
 * limit, the host's breakpoint).  Looks up the page exactly as x86i_decode
 * does, so a #PF comes out alike; *pe is the TLB entry it found. */
static inline __attribute__((always_inline)) struct tl_block *
tl_lookup(struct vcpu *v, struct x86i_cpu *c, const struct x86i_pcache **pe)
{
	const struct x86_seg *cs = &c->s->seg[X86_CS];
	uint32_t eip = ip(c), at = lin(c, X86_CS, eip), cs_base = (uint32_t)cs->base;
	const struct x86i_pcache *e = pce(c, at);
	int big = (cs->attr & 0x4000) != 0;
	uint32_t phys;
	struct tl_block *b;

	if (!e->rd || (v->brk_on && at == v->brk_lin))
		return NULL;
	/* The TLB is flushed when the layout changes (x86i_mem_sync); the
	 * blocks go with it. */
	if (__builtin_expect(c->gen != v->gen, 0))
		tl_flush(v);
	phys = (e->phys | (at & (MEM_PAGE_SIZE - 1))) & v->a20_mask;
	b = &v->blocks[tl_slot(phys, eip)];
	if (!b->valid || b->phys != phys || b->eip != eip || b->cs_base != cs_base ||
	    b->big != big) {
		if (!tl_build(v, b, e->rd + (at & (MEM_PAGE_SIZE - 1)), phys, eip, cs_base, big))
			return NULL;
	}
	/* Another CS with the same base may have a smaller limit. */
	if (c->segchk && b->lim > cs->limit)
		return NULL;
	*pe = e;
	return b;
}

/* The interpreter's fetch hook, for the instructions step() runs: the
 * next one from a block, or 0 after x86i_decode did it. */
static int tl_fetch(struct x86i_cpu *c, struct insn *i)
{
	struct vcpu *v = c->hook_opaque;
	struct tl_block *b = v->cur;
	const struct x86_seg *cs = &c->s->seg[X86_CS];
	const struct x86i_pcache *e;
	uint32_t eip = ip(c);

	if (b && v->idx && v->idx <= b->n && b->d[v->idx - 1].in.ip0 == eip)
		v->idx--;	/* the same instruction again (REP yielded) */
	if (b && v->idx < b->n && b->d[v->idx].in.ip0 == eip &&
	    b->cs_base == (uint32_t)cs->base && b->big == ((cs->attr & 0x4000) != 0)) {
		/* Within the block: the TLB lookup x86i_decode would do, and
		 * the limit of this CS. */
		uint32_t at = lin(c, X86_CS, eip), phys;
		const struct x86i_dinsn *d = &b->d[v->idx];

		e = pce(c, at);
		phys = (e->phys | (at & (MEM_PAGE_SIZE - 1))) & v->a20_mask;
		/* (A page walk's A/D store may have dropped the block.) */
		if (v->cur == b && e->rd && phys == b->phys + (eip - b->eip) &&
		    !(c->segchk && (uint64_t)eip + d->in.len - 1 > cs->limit)) {
			x86i_blk_issue(c, d, i);
			v->idx++;
			v->n_cached++;
			return 1;
		}
	}
	v->idx = 0;
	v->cur = b = tl_lookup(v, c, &e);
	if (!b) {
		v->n_slow++;
		return x86i_decode(c, i);
	}
	x86i_blk_issue(c, &b->d[0], i);
	v->idx = 1;
	v->n_cached++;
	return 1;
}

/* Native code for block b, now hot.  A full buffer drops all native code
 * (every block forgets its entries) and starts over. */
static __attribute__((noinline)) void tl_native_build(struct vcpu *v, struct tl_block *b)
{
	int r = tl_jit_translate(v->jit, v->cpu, b->d, b->n, b->nat, b, b->link, !b->no_assume);

	if (r < 0) {
		v->n_jit_full++;
		tl_jit_reset(v->jit);
		for (unsigned k = 0; k < TL_HASH; k++) {
			struct tl_block *o = &v->blocks[k];
			o->nat_done = o->nat_any = 0;
			o->hot = 0;
			o->version++;
		}
		r = tl_jit_translate(v->jit, v->cpu, b->d, b->n, b->nat, b, b->link,
				     !b->no_assume);
	}
	b->nat_done = 1;
	b->nat_any = r > 0;
	v->n_translated += r > 0;
}

/* The run that just ended at from's native ending branch went on to b,
 * whose first instruction is native, through what tl_lookup checked: link
 * them (struct tl_link) with what that lookup depended on. */
static void tl_native_link(struct vcpu *v, struct tl_block *from, const struct tl_block *b,
			   const struct x86i_pcache *pe)
{
	struct x86i_cpu *c = v->cpu;
	uint32_t at = lin(c, X86_CS, b->eip);

	if (b->lim > 0xffffffffu)
		return;
	for (int k = 0; k < 2; k++) {
		struct tl_link *l = &from->link[k];
		if (l->kind == TL_LINK_NONE || (l->kind == TL_LINK_STATIC && l->eip != b->eip))
			continue;
		l->eip = b->eip;
		l->ver_at = &b->version;
		l->ver = b->version;
		l->kick = &v->m->kick;
		l->gen = c->gen;
		l->tag = pe->tag;
		l->phys = pe->phys;
		l->idx = (uint16_t)((at >> MEM_PAGE_SHIFT) % X86I_PCACHE);
		l->lim = (uint32_t)b->lim;
		l->same_page = (at >> MEM_PAGE_SHIFT) == (lin(c, X86_CS, (uint32_t)b->lim) >> MEM_PAGE_SHIFT) &&
			       (at >> MEM_PAGE_SHIFT) == (lin(c, X86_CS, from->eip) >> MEM_PAGE_SHIFT) &&
			       (at >> MEM_PAGE_SHIFT) == (lin(c, X86_CS, (uint32_t)from->lim) >> MEM_PAGE_SHIFT);
		if (l->same_page && b->lim <= from->lim)
			l->same_page = 2;
		l->block = b;
		l->code = tl_jit_code(v->jit, b->nat[0]);
		v->n_linked++;
		return;
	}
}

/* Nothing but the next instruction can be due: step() would take no
 * interrupt, trap or breakpoint before or after it. */
static inline int tl_quiet(const struct x86i_cpu *c)
{
	const struct x86_state *s = c->s;

	return s->run_state == X86_RUNNING && !s->nmi_pending &&
	       !(c->intr->level && (s->rflags & X86_IF) && c->intr->ack) &&
	       !(s->rflags & (X86_TF | X86_RF)) && !c->dbg_exec && !c->dbg_data;
}

/* The interpreter's run hook: instructions back to back, each doing what
 * step() does for it when nothing else is due, with the run loop's exits
 * (kick, budget) checked after each one.  tl_quiet holds at the start of a
 * block; within it the run state, TF, RF and the debug registers cannot
 * change (the instructions that change them end blocks, and faults leave
 * through x86i_raise), so the next instruction needs only: no NMI or INTR
 * raised by the last one (MMIO), IP where the block goes on, the code
 * page's TLB entry unchanged (else x86i_decode would walk again) and the
 * block not dropped by a store.  Anything else returns to step(), which
 * then takes the same path as the interpreter. */
static unsigned tl_run_fast(struct x86i_cpu *c)
{
	struct vcpu *v = c->hook_opaque;
	struct x86_state *s = c->s;
	struct machine *m = v->m;
	FILE *trace = c->trace;
	unsigned n = 0;
	struct tl_block *from = NULL;	/* a native ending branch just taken */

	/* 8086/8088: the bus interface model counts each instruction's
	 * clocks around the handler (x86i_biu.h), which step() does. */
	if (c->biu)
		return 0;
	v->cur = NULL;
	for (;;) {
		const struct x86i_pcache *pe;
		const uint8_t *prd;
		struct tl_block *b;
		struct x86i_dinsn *d, *end;
		uint32_t tag;

		if (!tl_quiet(c))
			break;
		/* As step() before fetching (a #PF in the lookup restarts
		 * from here); no interrupt was due, so the shadow just ends. */
		s->intr_shadow = 0;
		c->ip0 = ip(c);
		c->sp0 = s->gpr[X86_RSP];
		b = tl_lookup(v, c, &pe);
		if (!b)
			break;
		tag = pe->tag;
		prd = pe->rd;
		d = b->d;
		end = d + b->n;
		if (v->jit && !b->nat_done && ++b->hot >= v->hot_min)
			tl_native_build(v, b);
		if (from && b->nat_any && b->nat[0])
			tl_native_link(v, from, b, pe);
		from = NULL;
		for (;;) {
			/* A run of native code starting here: it leaves at an
			 * instruction boundary with nothing the checks below
			 * look at changed but the cycles, which it compared
			 * with the deadline itself.  A kick can only have come
			 * from another thread. */
			if (b->nat_any && b->nat[d - b->d] && !trace) {
				uint64_t i0 = s->insns;
				const void *at = b;
				unsigned r = tl_jit_run(v->jit, c, b->nat[d - b->d], &at);
				n += (unsigned)(s->insns - i0);
				v->n_native += s->insns - i0;
				if ((r & TL_NAT_STOP) || m->kick)
					goto out;
				if (at != b) {
					/* links took it on to another block */
					b = (struct tl_block *)at;
					/* (its TLB entry held: the link checked) */
					pe = &c->pc[(lin(c, X86_CS, b->eip) >> MEM_PAGE_SHIFT) %
						    X86I_PCACHE];
					tag = pe->tag;
					prd = pe->rd;
					end = b->d + b->n;
				}
				d = b->d + (r & 0xff);
				if (r & TL_NAT_REDO) {
					/* A segment limit its code took as a
					 * constant changed: translate it again
					 * without (links to it see the version). */
					b->no_assume = 1;
					b->nat_done = b->nat_any = 0;
					b->hot = 0;
					b->version++;
				}
				if (d == end) {
					if (b->link[0].kind)
						from = b;
					break;
				}
				c->ip0 = d->in.ip0;
				c->sp0 = s->gpr[X86_RSP];
			}
			x86i_blk_prepare(c, d);
			if (trace)
				x86i_trace_insn(c, &d->in);
			d->h(c, &d->in);
			s->insns++;
			n++;
			/* A stop request comes with a kick (machine_request_stop). */
			if (m->kick || s->cycles >= c->deadline)
				goto out;
			/* (CS too: the 8086 and 80186 deliver a divide error
			 * or #UD within the instruction, and the handler may sit
			 * at the next instruction's offset in another segment.) */
			if (++d == end || !b->valid || s->rip != d->in.ip0 ||
			    (uint32_t)s->seg[X86_CS].base != b->cs_base || pe->tag != tag ||
			    pe->rd != prd || s->nmi_pending ||
			    (c->intr->level && (s->rflags & X86_IF) && c->intr->ack))
				break;
			/* LSS, and LES/LDS on the 8086, set it within a block. */
			s->intr_shadow = 0;
			c->ip0 = d->in.ip0;
			c->sp0 = s->gpr[X86_RSP];
		}
	}
out:
	v->n_fast += n;
	return n;
}

/* TANDEM_TCG_NATIVE=0 turns native code off (to bisect a bug to it);
 * TANDEM_TCG_HOT=N translates a block on its Nth entry (1: at once, which
 * the differential test uses to run everything it can natively). */
static void tl_native_init(struct vcpu *v)
{
	const char *on = getenv("TANDEM_TCG_NATIVE"), *hot = getenv("TANDEM_TCG_HOT");
	long h = hot ? strtol(hot, NULL, 10) : TL_HOT_DEFAULT;

	v->hot_min = h >= 1 && h <= 60000 ? (unsigned)h : TL_HOT_DEFAULT;
	if (on && !strcmp(on, "0"))
		return;
	v->jit = tl_jit_new(TL_JIT_BYTES);
	if (!v->jit)
		log_warn("tcg-lite: no native code buffer, running threaded code only");
}

static void tl_free(struct vcpu *v)
{
	if (!v)
		return;
	tl_jit_free(v->jit);
	if (v->m)
		mem_set_code_watch(v->m->mem, NULL, NULL);
	x86i_free(v->cpu);
	free(v->blocks);
	free(v->page_head);
	free(v->page_lines);
	free(v);
}

static struct vcpu *tl_init(struct machine *m, const char **why)
{
	struct vcpu *v = calloc(1, sizeof(*v));

	if (v) {
		v->cpu = x86i_new(m);
		v->blocks = calloc(TL_HASH, sizeof(*v->blocks));
		v->page_head = calloc(TL_PAGES, sizeof(*v->page_head));
		v->page_lines = calloc(TL_PAGES, sizeof(*v->page_lines));
	}
	if (!v || !v->cpu || !v->blocks || !v->page_head || !v->page_lines) {
		tl_free(v);
		*why = "out of memory";
		return NULL;
	}
	v->m = m;
	v->cpu->fetch_hook = tl_fetch;
	v->cpu->run_hook = tl_run_fast;
	v->cpu->hook_opaque = v;
	mem_set_code_watch(m->mem, tl_code_written, v);
	tl_native_init(v);
	tl_flush(v);
	*why = "decoded blocks over the interpreter's handlers; runs everywhere";
	return v;
}

static enum accel_exit tl_run(struct vcpu *v, uint64_t budget)
{
	return x86i_run(v->cpu, budget);
}

static void tl_get_state(struct vcpu *v, struct x86_state *out)
{
	*out = v->m->cpu;
}

/* A new state may come with new memory (a loaded snapshot). */
static void tl_set_state(struct vcpu *v, const struct x86_state *in)
{
	v->m->cpu = *in;
	x86i_state_loaded(v->cpu);
	tl_flush(v);
}

static void tl_memory_changed(struct vcpu *v, uint32_t base, uint32_t len)
{
	(void)base;
	(void)len;
	x86i_pcache_flush(v->cpu);
	tl_flush(v);
}

static void tl_reset(struct vcpu *v)
{
	x86i_reset(v->cpu);
	tl_flush(v);
}

static void tl_set_trace(struct vcpu *v, FILE *f)
{
	x86i_set_trace(v->cpu, f);
}

static int tl_set_breakpoint(struct vcpu *v, bool on, uint32_t lin)
{
	v->brk_on = on;
	v->brk_lin = lin;
	x86i_set_breakpoint(v->cpu, on, lin);
	tl_flush(v);
	return 0;
}

/* Blocks are keyed by physical address and mode, so every CPU shares them
 * (and the one code watch); only the TLB is the CPU's, and selecting a CPU
 * refills it. */
static void tl_select_cpu(struct vcpu *v, int idx)
{
	x86i_select_cpu(v->cpu, idx);
	v->cur = NULL;
}

static void tl_destroy(struct vcpu *v)
{
	if (!v)
		return;
	log_debug("tcg-lite: %llu insns in the block loop, %llu from blocks through step(), "
		  "%llu blocks decoded, %llu dropped after their code was written, "
		  "%llu insns through x86i_decode; %llu insns native, %llu blocks translated, "
		  "code buffer full %llu times, %llu links",
		  (unsigned long long)v->n_fast, (unsigned long long)v->n_cached,
		  (unsigned long long)v->n_built, (unsigned long long)v->n_dropped,
		  (unsigned long long)v->n_slow, (unsigned long long)v->n_native,
		  (unsigned long long)v->n_translated, (unsigned long long)v->n_jit_full,
		  (unsigned long long)v->n_linked);
	tl_free(v);
}

const struct accel_ops accel_tcg_lite_ops = {
	.name = "tcg-lite",
	.init = tl_init,
	.run = tl_run,
	.get_state = tl_get_state,
	.set_state = tl_set_state,
	.memory_changed = tl_memory_changed,
	.destroy = tl_destroy,
	.reset = tl_reset,
	.set_trace = tl_set_trace,
	.set_breakpoint = tl_set_breakpoint,
	.select_cpu = tl_select_cpu,
};
