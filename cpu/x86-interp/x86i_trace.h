/* The interpreter's trace cache: runs of pre-decoded instructions for
 * run_quiet (interp.c), so that the instructions after the first of a run
 * need no decode cache lookup of their own.
 *
 * A trace is what x86i_blk_decode (x86i_block.h) makes of the instructions
 * from a linear address on, in one page, with each one's fastest handler
 * (x86i_fast_handler).  It follows near jumps, calls and returns and guesses
 * conditional branches (trace_follow in x86i_trace.c; run_trace leaves it
 * where IP goes elsewhere) and ends at a loop back to its start or after
 * the first instruction that may change what decoding or step() depends
 * on (x86i_blk_is_branch: CS, the flags, the debug registers, the mode),
 * as tcg-lite's blocks end.  Like the decode cache it needs no write
 * tracking: each instruction keeps the 16 bytes from its first one on, and
 * runs only while those are in memory now, so self-modifying code, DMA and
 * other CPUs' stores just miss.  Decoding depends only on those bytes, EIP,
 * the CS D bit and limit and the model, which the lookup checks
 * (x86i_trace_find). */
#ifndef TANDEM_CPU_X86I_TRACE_H
#define TANDEM_CPU_X86I_TRACE_H

#include <stdint.h>
#include "cpu/x86-interp/x86i_block.h"
#include "cpu/x86-interp/x86i_priv.h"

#define X86I_TRACE_INSNS 32
#define X86I_TRACES 1024		/* a power of two */

struct x86i_tinsn {
	struct x86i_dinsn d;		/* d.h: the handler run_quiet calls */
	uint64_t b0, b1;		/* the 16 bytes from its first one */
	uint16_t off;			/* where they are in the page */
	/* Its bytes lie in the 16 that run_trace compared last, for an
	 * instruction before it in the trace, and those in between touch only
	 * registers (x86i_fast_regonly): nothing they did can have changed
	 * the bytes, the code page's TLB entry or what a device signals, so
	 * run_trace checks none of them again. */
	uint8_t covered;
};

struct x86i_trace {
	uint32_t at, eip;		/* linear address and EIP of the first */
	uint64_t lim;			/* highest offset its instructions take */
	uint8_t big, n;			/* CS D bit; instructions (0: empty) */
	/* IP at its start after the last one goes on in it (run_trace):
	 * not after an instruction that ends blocks for what else it changes
	 * (STI, POPF, far transfers...), which run_quiet must see first. */
	uint8_t wrap;
	struct x86i_tinsn t[X86I_TRACE_INSNS];
};

/* Frees the cache (x86i_free). */
void x86i_trace_free(struct x86i_cpu *c);

static inline unsigned x86i_trace_slot(uint32_t at)
{
	return (at ^ (at >> 10)) & (X86I_TRACES - 1);
}

/* x86i_trace_find when the trace is not there: builds it in its slot from
 * the page e (the TLB entry of linear address at = CS:EIP). */
struct x86i_trace *x86i_trace_miss(struct x86i_cpu *c, const struct x86i_pcache *e, uint32_t at);

/* The trace starting at CS:EIP for the code as it is in memory now (its
 * first instruction's bytes still to be compared, as every instruction's
 * before it runs), with *pe its code page's TLB entry; NULL, with nothing
 * done but perhaps a trace built, when the next instruction must go the
 * decode cache's way (page not in the TLB or not host memory, not
 * decodable from the page's bytes alone, out of memory).  A trace built
 * for a CS with a larger limit is built again for this one (decoding
 * stops at the limit, leaving the #GP to x86i_decode). */
static inline __attribute__((always_inline)) struct x86i_trace *
x86i_trace_find(struct x86i_cpu *c, const struct x86i_pcache **pe)
{
	const struct x86_seg *cs = &c->s->seg[X86_CS];
	uint32_t eip = (uint32_t)c->s->rip;
	uint32_t at = (uint32_t)(cs->base + eip) & c->addr_mask;
	const struct x86i_pcache *e = &c->pc[(at >> MEM_PAGE_SHIFT) % X86I_PCACHE];
	struct x86i_trace *t;

	/* A TLB miss is x86i_decode's to fill (and to fault on). */
	if (e->tag != (((at >> MEM_PAGE_SHIFT) + 1) | c->pc_key))
		return NULL;
	*pe = e;
	if (__builtin_expect(c->tr != NULL, 1) && e->rd) {
		t = c->tr + x86i_trace_slot(at);
		if (t->at == at && t->eip == eip && t->n && t->big == ((cs->attr >> 14) & 1) &&
		    !(c->segchk && t->lim > cs->limit))
			return t;
	}
	return x86i_trace_miss(c, e, at);
}

/* Drops trace t: the bytes of one of its instructions changed. */
static inline void x86i_trace_drop(struct x86i_trace *t)
{
	t->n = 0;
}

/* Whether the bytes of ti are at page host pointer rd now. */
static inline int x86i_tinsn_same(const struct x86i_tinsn *ti, const uint8_t *rd)
{
	uint64_t w0, w1;

	memcpy(&w0, rd + ti->off, 8);
	memcpy(&w1, rd + ti->off + 8, 8);
	return !((w0 ^ ti->b0) | (w1 ^ ti->b1));
}

#endif
