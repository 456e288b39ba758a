/* tcg-lite, first version: a decoded-block engine.
 *
 * Blocks of up to TL_BLOCK_INSNS pre-decoded instructions, ending after a
 * branch or at the page end, are cached in a direct-mapped table keyed by
 * (physical address, EIP, CS base, CS.D).  The interpreter's run loop
 * first offers each instruction to tl_run_fast, which runs them back to
 * back doing what step() does when no interrupt, TF, RF or debug register
 * is in play; anything else goes through step(), which asks tl_fetch in
 * place of decoding.  Interrupts, the budget, the kick, TF, debug
 * registers, exceptions and the per-instruction cycles are therefore the
 * interpreter's by construction.
 *
 * Self-modifying code and DMA: every cached instruction is compared with
 * the bytes in guest memory before it is issued (validate on fetch), so a
 * store into code, even into the running block or the next instruction,
 * is seen by the very next instruction, as in the interpreter.  A mismatch
 * re-decodes the block from that instruction.  Code that is not in a RAM
 * or ROM page, crosses a page, wraps the segment or faults in decoding
 * goes through x86i_decode. */
#include <stdlib.h>
#include <string.h>

#include "accel/accel.h"
#include "cpu/x86-interp/interp.h"
#include "cpu/x86-interp/x86i_block.h"
#include "cpu/x86-interp/x86i_priv.h"
#include "hw/machine.h"
#include "util/log.h"

#define TL_BLOCK_INSNS 32
#define TL_HASH_BITS 12
#define TL_HASH (1u << TL_HASH_BITS)

struct tl_block {
	uint32_t phys;		/* physical address of the first instruction */
	uint32_t page;		/* its physical page */
	uint32_t eip, cs_base;
	uint8_t big, n, valid;
	struct x86i_dinsn d[TL_BLOCK_INSNS];
};

struct vcpu {
	struct machine *m;
	struct x86i_cpu *cpu;
	struct tl_block *blocks;	/* TL_HASH slots */
	struct tl_block *cur;		/* block being followed */
	unsigned idx;			/* its next instruction */
	/* The TLB entry tl_next last found the block's page through: while
	 * it still hits for that page with the same host page, pce() would
	 * return the same bytes. */
	const struct x86i_pcache *pe;
	uint32_t plin;			/* the linear page it maps */
	const uint8_t *prd;		/* its host page */
	/* For --verbose: how the instructions were found. */
	uint64_t n_cached, n_built, n_changed, n_slow;
};

static unsigned tl_slot(uint32_t phys, uint32_t eip)
{
	uint32_t h = (phys ^ (eip << 7)) * 0x9e3779b1u;
	return h >> (32 - TL_HASH_BITS);
}

/* Decodes a block at CS:eip (physical phys, host bytes p) into b. */
static int tl_build(struct x86i_cpu *c, struct tl_block *b, const uint8_t *p, uint32_t phys,
		    uint32_t eip, uint32_t cs_base, int big)
{
	unsigned off = phys & (MEM_PAGE_SIZE - 1), n = 0;
	uint32_t at = eip;

	b->valid = 0;
	while (n < TL_BLOCK_INSNS && off < MEM_PAGE_SIZE) {
		struct x86i_dinsn *d = &b->d[n];
		int len = x86i_blk_decode(c, p, MEM_PAGE_SIZE - off, at, d);
		if (len <= 0)
			break;
		n++;
		if (x86i_blk_is_branch(&d->in))
			break;
		p += len;
		off += (unsigned)len;
		at = big ? at + (uint32_t)len : (uint16_t)(at + (uint32_t)len);
		if (!big && at < eip)
			break;		/* IP wrapped: the next fetch is not at p */
	}
	if (!n)
		return 0;
	b->phys = phys;
	b->page = phys & ~(MEM_PAGE_SIZE - 1);
	b->eip = eip;
	b->cs_base = cs_base;
	b->big = (uint8_t)big;
	b->n = (uint8_t)n;
	b->valid = 1;
	return 1;
}

/* Are the instruction's bytes in memory still the decoded ones?  One 64-bit
 * compare when the 8 bytes from p stay inside the page. */
static inline int same_bytes(const uint8_t *p, unsigned off, const struct x86i_dinsn *d)
{
	unsigned len = d->in.len;

	if (len <= 8 && off <= MEM_PAGE_SIZE - 8) {
		uint64_t have, want;
		memcpy(&have, p, 8);
		memcpy(&want, d->bytes, 8);
		return ((have ^ want) & (~(uint64_t)0 >> (64 - 8 * len))) == 0;
	}
	return memcmp(p, d->bytes, len) == 0;
}

/* The cached instruction at CS:EIP, validated against guest memory, or
 * NULL when x86i_decode must do it (not host-mapped, not decodable here,
 * past the CS limit).  Looks up the page exactly as x86i_decode does, so a
 * #PF comes out alike. */
static const struct x86i_dinsn *tl_next(struct vcpu *v, struct x86i_cpu *c)
{
	const struct x86_seg *cs = &c->s->seg[X86_CS];
	uint32_t eip = ip(c), at = lin(c, X86_CS, eip), cs_base = (uint32_t)cs->base;
	struct x86i_pcache *e = pce(c, at);
	unsigned off = at & (MEM_PAGE_SIZE - 1);
	int big = (cs->attr & 0x4000) != 0;
	struct tl_block *b = v->cur;
	const struct x86i_dinsn *d;

	if (!e->rd)
		return NULL;
	if (b && v->idx && v->idx <= b->n && b->d[v->idx - 1].in.ip0 == eip)
		v->idx--;	/* the same instruction again (REP yielded) */
	if (!b || v->idx >= b->n || b->d[v->idx].in.ip0 != eip || b->page != e->phys ||
	    b->cs_base != cs_base || b->big != big) {
		uint32_t phys = e->phys | off;
		b = &v->blocks[tl_slot(phys, eip)];
		if (!b->valid || b->phys != phys || b->eip != eip || b->cs_base != cs_base ||
		    b->big != big) {
			if (!tl_build(c, b, e->rd + off, phys, eip, cs_base, big))
				return NULL;
			v->n_built++;
		}
		v->cur = b;
		v->idx = 0;
	}
	v->pe = e;
	v->plin = at & ~(uint32_t)(MEM_PAGE_SIZE - 1);
	v->prd = e->rd;
	d = &b->d[v->idx];
	if (!same_bytes(e->rd + off, off, d)) {
		/* Code changed under the block: decode afresh from here. */
		uint32_t phys = e->phys | off;
		v->n_changed++;
		b = &v->blocks[tl_slot(phys, eip)];
		if (!tl_build(c, b, e->rd + off, phys, eip, cs_base, big))
			return NULL;
		v->cur = b;
		v->idx = 0;
		d = &b->d[0];
	}
	/* Another CS with the same base may have a smaller limit. */
	if (c->segchk && (uint64_t)eip + d->in.len - 1 > cs->limit)
		return NULL;
	v->idx++;
	v->n_cached++;
	return d;
}

/* tl_next for the next instruction of the current block: the checks
 * that can have changed since the previous one (CS, the TLB entry, the
 * bytes, the limit) without hashing and block keys. */
static inline const struct x86i_dinsn *tl_next_fast(struct vcpu *v, struct x86i_cpu *c)
{
	const struct x86_seg *cs = &c->s->seg[X86_CS];
	const struct tl_block *b = v->cur;
	uint32_t eip = ip(c), at;
	const struct x86i_dinsn *d;
	unsigned off;

	if (!b || v->idx >= b->n)
		return tl_next(v, c);
	d = &b->d[v->idx];
	at = lin(c, X86_CS, eip);
	off = at & (MEM_PAGE_SIZE - 1);
	if (d->in.ip0 != eip || (uint32_t)cs->base != b->cs_base ||
	    ((cs->attr & 0x4000) != 0) != b->big || at - off != v->plin ||
	    v->pe->tag != (((at >> MEM_PAGE_SHIFT) + 1) | c->pc_key) ||
	    v->pe->rd != v->prd || !same_bytes(v->prd + off, off, d) ||
	    (c->segchk && (uint64_t)eip + d->in.len - 1 > cs->limit))
		return tl_next(v, c);
	v->idx++;
	v->n_cached++;
	return d;
}

/* The interpreter's fetch hook: the next instruction from a block, or 0
 * after x86i_decode did it. */
static int tl_fetch(struct x86i_cpu *c, struct insn *i)
{
	struct vcpu *v = c->hook_opaque;
	const struct x86i_dinsn *d = tl_next(v, c);

	if (!d) {
		v->cur = NULL;
		v->n_slow++;
		return x86i_decode(c, i);
	}
	x86i_blk_issue(c, d, i);
	return 1;
}

/* The interpreter's run hook: instructions back to back, each doing what
 * step() does for it when nothing else is due (no NMI or deliverable
 * INTR, running, TF, RF and debug registers off), with the run loop's
 * exits (stop, kick, budget) checked after each one.  Anything else
 * returns to step(), which then takes the same path as the interpreter. */
static unsigned tl_run_fast(struct x86i_cpu *c)
{
	struct vcpu *v = c->hook_opaque;
	struct x86_state *s = c->s;
	struct machine *m = v->m;
	unsigned n = 0;

	for (;;) {
		const struct x86i_dinsn *d;
		struct insn in;

		if (s->run_state != X86_RUNNING || s->nmi_pending ||
		    (m->intr.level && (s->rflags & X86_IF) && m->intr.ack) ||
		    (s->rflags & (X86_TF | X86_RF)) || c->dbg_exec || c->dbg_data)
			break;
		/* As step() before fetching (a #PF in the lookup restarts
		 * from here); no interrupt was due, so the shadow just ends. */
		s->intr_shadow = 0;
		c->ip0 = ip(c);
		c->sp0 = s->gpr[X86_RSP];
		d = tl_next_fast(v, c);
		if (!d)
			break;
		x86i_blk_issue(c, d, &in);
		if (c->trace)
			x86i_trace_insn(c, &in);
		clk(c, c->t->base[in.op][(c->attr[in.op] & A_M) && in.mod != 3]);
		c->ops[in.op](c, &in);
		s->insns++;
		n++;
		if (m->stop != STOP_NONE || m->kick || s->cycles >= c->deadline)
			break;
	}
	return n;
}

static struct vcpu *tl_init(struct machine *m, const char **why)
{
	struct vcpu *v = calloc(1, sizeof(*v));

	if (v) {
		v->cpu = x86i_new(m);
		v->blocks = calloc(TL_HASH, sizeof(*v->blocks));
	}
	if (!v || !v->cpu || !v->blocks) {
		if (v) {
			x86i_free(v->cpu);
			free(v->blocks);
		}
		free(v);
		*why = "out of memory";
		return NULL;
	}
	v->m = m;
	v->cpu->fetch_hook = tl_fetch;
	v->cpu->run_hook = tl_run_fast;
	v->cpu->hook_opaque = v;
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

static void tl_set_state(struct vcpu *v, const struct x86_state *in)
{
	v->m->cpu = *in;
	v->cur = NULL;
	x86i_state_loaded(v->cpu);
}

static void tl_flush(struct vcpu *v)
{
	v->cur = NULL;
	for (unsigned k = 0; k < TL_HASH; k++)
		v->blocks[k].valid = 0;
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

static void tl_destroy(struct vcpu *v)
{
	if (!v)
		return;
	log_debug("tcg-lite: %llu insns from blocks, %llu blocks decoded, %llu re-decoded "
		  "after code changed, %llu insns through x86i_decode",
		  (unsigned long long)v->n_cached, (unsigned long long)v->n_built,
		  (unsigned long long)v->n_changed, (unsigned long long)v->n_slow);
	x86i_free(v->cpu);
	free(v->blocks);
	free(v);
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
};
