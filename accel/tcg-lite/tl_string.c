/* REP MOVS and REP STOS for tcg-lite's native code (tl_string.h).
 *
 * x86i_string runs these an iteration at a time through the full memory
 * path.  When the whole source and the whole destination each lie in one
 * page that the TLB maps for the access, inside the segment limits and
 * without an offset wrap, no iteration can fault or reach a device or a
 * page holding decoded code, so the iterations reduce to host copies; the
 * order of the CX/SI/DI updates within an iteration (which only a fault
 * shows) then does not matter either.  Clocks, the yield at the deadline
 * and the final registers follow x86i_string. */
#include <string.h>

#include "accel/tcg-lite/tl_string.h"

/* Host pointer of the first element of cnt accesses of sz bytes at seg:off
 * stepping by -sz (down) or +sz, or NULL when not all of them take the
 * fast path of rd*()/wr*() (x86i_priv.h). */
static uint8_t *span(struct x86i_cpu *c, int seg, uint32_t off, uint32_t cnt, unsigned sz,
		     int down, unsigned asz, int wr)
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
	while (done < cnt) {
		/* one element, read whole before it is written (overlaps) */
		uint8_t tmp[4];
		memcpy(tmp, movs ? src : (const uint8_t *)&v, sz);
		memcpy(dst, tmp, sz);
		dst += step;
		if (movs)
			src += step;
		done++;
		s->cycles += per;
		if (done < cnt && s->cycles >= c->deadline) {
			set_ip(c, i->ip0);
			r = TL_REP_YIELD;
			break;
		}
	}
	idx_set(c, X86_RCX, asz, cnt - done);
	idx_set(c, X86_RDI, asz, di + (uint32_t)(step * done));
	if (movs)
		idx_set(c, X86_RSI, asz, si + (uint32_t)(step * done));
	return r;
}
