/* REP MOVS and REP STOS for tcg-lite's native code (tl_string.h).
 *
 * x86i_string runs these an iteration at a time through the full memory
 * path.  When the whole source and the whole destination each lie in one
 * page that the TLB maps for the access, inside the segment limits and
 * without an offset wrap, no iteration can fault or reach a device or a
 * page holding decoded code, so the iterations reduce to host copies; the
 * order of the CX/SI/DI updates within an iteration (which only a fault
 * shows) then does not matter either.  Clocks, the yield at the deadline
 * and the final registers follow x86i_string.  The number of iterations
 * before the yield is computed up front, so the copy itself is one memcpy
 * when the two spans do not overlap, else an element loop of fixed size
 * (an overlapping forward copy repeats the pattern, as the guest sees it). */
#include <string.h>

#include "accel/tcg-lite/tl_string.h"

/* Host pointer of the first element of cnt accesses of sz bytes at seg:off
 * stepping by -sz (down) or +sz, or NULL when not all of them take the
 * fast path of rd*()/wr*() (x86i_priv.h).  Always inlined: as a call (eight
 * arguments) it cost as much as the short copies the bench and Linux do. */
static inline __attribute__((always_inline)) uint8_t *
span(struct x86i_cpu *c, int seg, uint32_t off, uint32_t cnt, unsigned sz, int down,
     unsigned asz, int wr)
{
	const struct x86_seg *sg = &c->s->seg[seg];
	uint64_t lo, hi, span = (uint64_t)sz * cnt;
	uint32_t a_lo, a_hi;
	const struct x86i_pcache *e;
	uint8_t *p;

	if (down) {
		if (span - sz > off)
			return NULL;
		lo = off - (span - sz);
		hi = (uint64_t)off + sz - 1;
	} else {
		lo = off;
		hi = off + span - 1;
	}
	if (hi > (asz == 2 ? 0xffffu : 0xffffffffu) || hi - lo >= MEM_PAGE_SIZE)
		return NULL;
	if (c->segchk && ((sg->attr & 0x9e) != 0x92 || hi > sg->limit ||
			  (off & (sz - 1) & c->ac_align) || c->dbg_data))
		return NULL;
	a_lo = lin(c, seg, (uint32_t)lo);
	a_hi = lin(c, seg, (uint32_t)hi);
	if ((a_lo >> MEM_PAGE_SHIFT) != (a_hi >> MEM_PAGE_SHIFT))
		return NULL;
	e = &c->pc[(a_lo >> MEM_PAGE_SHIFT) % X86I_PCACHE];
	if (e->tag != (((a_lo >> MEM_PAGE_SHIFT) + 1) | c->pc_key))
		return NULL;
	p = wr ? e->wr : e->rd;
	if (!p)
		return NULL;
	return p + (lin(c, seg, off) & (MEM_PAGE_SIZE - 1));
}

static uint32_t idx_get(struct x86i_cpu *c, int r, unsigned asz)
{
	return asz == 4 ? r32(c, r) : r16(c, r);
}
static void idx_set(struct x86i_cpu *c, int r, unsigned asz, uint32_t v)
{
	if (asz == 4)
		w32(c, r, v);
	else
		w16(c, r, (uint16_t)v);
}

/* n MOVS elements of sz bytes from src to dst, each read whole before it
 * is written, stepping by step: where the two spans do not overlap that is
 * a plain copy of the lowest addresses of each. */
static void copy_elems(uint8_t *dst, const uint8_t *src, unsigned sz, int64_t step,
		       uint32_t n)
{
	size_t len = (size_t)sz * n;
	const uint8_t *slo = step < 0 ? src - (len - sz) : src;
	uint8_t *dlo = step < 0 ? dst - (len - sz) : dst;

	if ((uintptr_t)dlo + len <= (uintptr_t)slo || (uintptr_t)slo + len <= (uintptr_t)dlo) {
		memcpy(dlo, slo, len);
		return;
	}
	for (uint32_t k = 0; k < n; k++, dst += step, src += step) {
		uint32_t t;
		/* fixed sizes: single host loads and stores, no calls */
		if (sz == 1) {
			*dst = *src;
		} else if (sz == 2) {
			memcpy(&t, src, 2);
			memcpy(dst, &t, 2);
		} else {
			memcpy(&t, src, 4);
			memcpy(dst, &t, 4);
		}
	}
}
/* n STOS elements: the low sz bytes of v. */
static void fill_elems(uint8_t *dst, uint32_t v, unsigned sz, int64_t step, uint32_t n)
{
	if (sz == 1) {
		memset(step < 0 ? dst - (n - 1) : dst, (int)(v & 0xff), n);
		return;
	}
	for (uint32_t k = 0; k < n; k++, dst += step)
		memcpy(dst, &v, sz == 2 ? 2 : 4);
}

int tl_rep_string(struct x86i_cpu *c, const struct x86i_dinsn *d)
{
	const struct insn *i = &d->in;
	struct x86_state *s = c->s;
	int movs = (i->op & 0xfe) == 0xa4;
	unsigned sz = (i->op & 1) ? i->osz : 1, asz = i->asz;
	int down = (s->rflags & X86_DF) != 0;
	uint32_t cnt = idx_get(c, X86_RCX, asz), done = 0;
	uint32_t si = idx_get(c, X86_RSI, asz), di = idx_get(c, X86_RDI, asz);
	uint8_t *dst = NULL, *src = NULL;
	unsigned per;
	int64_t step = down ? -(int64_t)sz : (int64_t)sz;
	uint32_t v = (uint32_t)s->gpr[X86_RAX];
	int r = TL_REP_DONE;

	/* x86i_string yields after each iteration while an interrupt is
	 * pending; the run loop only got here with none deliverable. */
	if (s->nmi_pending || (s->rflags & X86_TF) || (c->intr->level && (s->rflags & X86_IF)))
		return TL_REP_NO;
	if (cnt) {
		dst = span(c, X86_ES, di, cnt, sz, down, asz, 1);
		if (!dst)
			return TL_REP_NO;
		if (movs) {
			src = span(c, i->seg, si, cnt, sz, down, asz, 0);
			if (!src)
				return TL_REP_NO;
		}
	}
	/* The decode and base clocks, then the REP form's instead of the
	 * table's single-shot ones; per iteration the table's and the odd
	 * word accesses' extra bus cycles (rd16/wr16). */
	s->cycles += d->clk;
	s->cycles -= c->t->base[i->op][0];
	s->cycles += c->t->rep_base;
	per = movs ? c->t->rep_movs : c->t->rep_stos;
	if (sz == 2) {
		if (!c->bus16 || (di & 1))
			per += c->word_pen;
		if (movs && (!c->bus16 || (si & 1)))
			per += c->word_pen;
	}
	set_ip(c, d->ip_next);
	/* x86i_string yields after an iteration (not the last) that brings
	 * the count to the deadline: done is the first such, else cnt. */
	done = cnt;
	if (cnt > 1) {
		uint64_t c0 = s->cycles + per;
		if (c0 >= c->deadline)
			done = 1;
		else if (per && (c->deadline - c0 + per - 1) / per + 1 < cnt)
			done = (uint32_t)((c->deadline - c0 + per - 1) / per + 1);
	}
	if (done) {
		s->cycles += (uint64_t)per * done;
		if (done < cnt) {
			set_ip(c, i->ip0);
			r = TL_REP_YIELD;
		}
		if (movs)
			copy_elems(dst, src, sz, step, done);
		else
			fill_elems(dst, v, sz, step, done);
	}
	idx_set(c, X86_RCX, asz, cnt - done);
	idx_set(c, X86_RDI, asz, di + (uint32_t)(step * done));
	if (movs)
		idx_set(c, X86_RSI, asz, si + (uint32_t)(step * done));
	return r;
}
