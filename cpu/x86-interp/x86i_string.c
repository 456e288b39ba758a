/* String instructions (MOVS CMPS STOS LODS SCAS, 80186 INS OUTS) with
 * their REP/REPE/REPNE loops.  A REP loop yields between iterations when
 * an interrupt is pending, the CPU is kicked or the slice's cycle budget is
 * spent; it then restarts the instruction (IP back at a prefix), so the
 * guest sees exactly what a real CPU shows when interrupted. */
#include <string.h>

#include "cpu/x86-interp/x86i_priv.h"
#include "hw/ioport.h"

enum { S_MOVS, S_CMPS, S_STOS, S_LODS, S_SCAS, S_INS, S_OUTS };

static int kind_of(uint8_t op)
{
	switch (op & 0xfe) {
	case 0xa4: return S_MOVS;
	case 0xa6: return S_CMPS;
	case 0xaa: return S_STOS;
	case 0xac: return S_LODS;
	case 0xae: return S_SCAS;
	case 0x6c: return S_INS;
	default: return S_OUTS;
	}
}

/* Index registers by address size. */
static inline uint32_t idx_get(struct x86i_cpu *c, int r, unsigned asz)
{
	return asz == 4 ? r32(c, r) : r16(c, r);
}
static inline void idx_set(struct x86i_cpu *c, int r, unsigned asz, uint32_t v)
{
	if (asz == 4)
		w32(c, r, v);
	else
		w16(c, r, (uint16_t)v);
}

/* Where a REP iteration counts CX down relative to its accesses, which an
 * 80286 shows when the access faults (its vectors): MOVS, LODS, STOS and
 * OUTS before the first access (the caller does it); CMPS only after its
 * ES:DI read; INS before its write and, as it already counts the next
 * iteration down, once more then if CX is not yet 0. */
enum { CX_BEFORE, CX_AFTER_DI, CX_AHEAD };

static void dec_cx(struct x86i_cpu *c, unsigned asz)
{
	idx_set(c, X86_RCX, asz, idx_get(c, X86_RCX, asz) - 1);
}

/* Before the 386 each index register moves before its access and CMPS
 * reads ES:DI first: a fault then leaves exactly the registers an 80286
 * leaves (the 8086 cannot fault here, so the order is invisible to it).
 * The 386 and later are restartable: a fault leaves the index registers
 * (and the caller leaves CX) as before the iteration. */
static inline __attribute__((always_inline)) void string_once(struct x86i_cpu *c, struct insn *i,
							      int kind, unsigned sz, unsigned asz, int cx_at)
{
	uint32_t si = idx_get(c, X86_RSI, asz), di = idx_get(c, X86_RDI, asz);
	uint32_t d = c->s->rflags & X86_DF ? (uint32_t)-(int32_t)sz : sz;
	int w = (int)(sz >> 1);
	bool early = !(c->feat & CPUF_386);
	bool uses_si = kind == S_MOVS || kind == S_CMPS || kind == S_LODS || kind == S_OUTS;
	bool uses_di = kind != S_LODS && kind != S_OUTS;
	uint32_t a, b;

	switch (kind) {
	case S_MOVS:
		if (early)
			idx_set(c, X86_RSI, asz, si + d);
		a = rdm(c, i->seg, si, sz);
		if (early)
			idx_set(c, X86_RDI, asz, di + d);
		wrm(c, X86_ES, di, sz, a);
		break;
	case S_CMPS:
		if (early) {
			idx_set(c, X86_RDI, asz, di + d);
			b = rdm(c, X86_ES, di, sz);
			if (cx_at == CX_AFTER_DI)
				dec_cx(c, asz);
			idx_set(c, X86_RSI, asz, si + d);
			a = rdm(c, i->seg, si, sz);
		} else {
			a = rdm(c, i->seg, si, sz);
			b = rdm(c, X86_ES, di, sz);
		}
		x86i_alu(c, 7, a, b, w);
		break;
	case S_STOS:
		if (early)
			idx_set(c, X86_RDI, asz, di + d);
		wrm(c, X86_ES, di, sz, rreg(c, X86_RAX, sz));
		break;
	case S_LODS:
		if (early)
			idx_set(c, X86_RSI, asz, si + d);
		wreg(c, X86_RAX, sz, rdm(c, i->seg, si, sz));
		break;
	case S_SCAS:
		if (early)
			idx_set(c, X86_RDI, asz, di + d);
		b = rdm(c, X86_ES, di, sz);
		x86i_alu(c, 7, rreg(c, X86_RAX, sz), b, w);
		break;
	case S_INS:
		if (early)
			idx_set(c, X86_RDI, asz, di + d);
		if (cx_at == CX_AHEAD) {
			uint32_t cx = idx_get(c, X86_RCX, asz);
			if (cx)
				idx_set(c, X86_RCX, asz, cx - 1);
			seg_check(c, X86_ES, di, sz, 1);
			idx_set(c, X86_RCX, asz, cx);
		} else {
			seg_check(c, X86_ES, di, sz, 1);
		}
		a = ioport_read(c->m->io, r16(c, X86_RDX), (int)sz);
		x86i_mem_sync(c);
		wrm(c, X86_ES, di, sz, a);
		break;
	default:
		if (early)
			idx_set(c, X86_RSI, asz, si + d);
		a = rdm(c, i->seg, si, sz);
		ioport_write(c->m->io, r16(c, X86_RDX), a, (int)sz);
		x86i_mem_sync(c);
		break;
	}
	if (!early && uses_si)
		idx_set(c, X86_RSI, asz, si + d);
	if (!early && uses_di)
		idx_set(c, X86_RDI, asz, di + d);
}

static unsigned per_iter(const struct x86i_timing *t, int kind)
{
	switch (kind) {
	case S_MOVS: return t->rep_movs;
	case S_CMPS: return t->rep_cmps;
	case S_STOS: return t->rep_stos;
	case S_LODS: return t->rep_lods;
	case S_SCAS: return t->rep_scas;
	case S_INS: return t->rep_ins;
	default: return t->rep_outs;
	}
}

static int intr_pending(struct x86i_cpu *c)
{
	const struct x86_state *s = c->s;
	return s->nmi_pending || (s->rflags & X86_TF) ||
	       (c->intr->level && (s->rflags & X86_IF));
}

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

/* REP MOVS/STOS in one go: x86i_string's loop when no iteration can fault or
 * reach a device or a page holding decoded code, which holds when the whole
 * source and the whole destination each lie in one page that the TLB maps
 * for the access, inside the segment limits and without an offset wrap (and
 * no bus model counts the accesses).  The order of the CX/SI/DI updates
 * within an iteration (which only a fault shows) then does not matter, and
 * the iterations reduce to host copies.  Clocks, the yield at the deadline
 * and the final registers are the loop's: the iterations before the yield
 * are counted up front from the clocks, so the copy is one memcpy where the
 * two spans do not overlap, else an element loop of fixed size (a forward
 * copy one element up repeats the pattern, as the guest sees it).  pre: the
 * clocks of the instruction's start the caller has not charged yet, and
 * ip_next its IP once done; both are taken only when it goes. */
int x86i_rep_bulk(struct x86i_cpu *c, const struct insn *i, int64_t pre, uint32_t ip_next)
{
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
	int r = X86I_REP_DONE;

	/* The loop yields after each iteration while an interrupt is pending
	 * or the CPU is kicked; the bus model counts each access. */
	if (c->biu || intr_pending(c) || c->m->kick)
		return X86I_REP_NO;
	if (cnt) {
		dst = span(c, X86_ES, di, cnt, sz, down, asz, 1);
		if (!dst)
			return X86I_REP_NO;
		if (movs) {
			src = span(c, i->seg, si, cnt, sz, down, asz, 0);
			if (!src)
				return X86I_REP_NO;
		}
	}
	/* Per iteration the table's clocks and the odd word accesses' extra
	 * bus cycles (rd16/wr16). */
	s->cycles += (uint64_t)pre;
	per = movs ? c->t->rep_movs : c->t->rep_stos;
	if (sz == 2) {
		if (!c->bus16 || (di & 1))
			per += c->word_pen;
		if (movs && (!c->bus16 || (si & 1)))
			per += c->word_pen;
	}
	set_ip(c, ip_next);
	/* The loop yields after an iteration (not the last) that brings the
	 * count to the deadline: done is the first such, else cnt. */
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
			r = X86I_REP_YIELD;
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

/* The whole instruction for one kind; x86i_string calls it with kind a
 * constant, so that each kind's loop is compiled for that kind alone. */
static inline __attribute__((always_inline)) void string_kind(struct x86i_cpu *c, struct insn *i,
							      int kind, unsigned sz, unsigned asz)
{
	unsigned per;
	int cx_at = CX_BEFORE;
	int restart = (c->feat & CPUF_386) != 0;

	if (kind >= S_INS)
		x86i_io_check(c, r16(c, X86_RDX), sz);
	if (!i->rep) {
		string_once(c, i, kind, sz, asz, CX_BEFORE);
		return;
	}
	/* The table's single-shot clocks do not apply to the REP form. */
	c->s->cycles -= c->t->base[i->op][0];
	clk(c, c->t->rep_base);
	if ((kind == S_MOVS || kind == S_STOS) && c->rep_bulk &&
	    x86i_rep_bulk(c, i, 0, ip(c)) != X86I_REP_NO)
		return;
	per = per_iter(c->t, kind);
	/* Where the 80286 counts CX down is known from its faults; the 386
	 * and later count it down once the iteration is done. */
	if ((c->feat & (CPUF_PROT | CPUF_386)) == CPUF_PROT)
		cx_at = kind == S_CMPS ? CX_AFTER_DI : kind == S_INS ? CX_AHEAD : CX_BEFORE;
	for (;;) {
		uint32_t cx = idx_get(c, X86_RCX, asz);
		if (!cx)
			return;
		/* Before the 386 CX counts down first (but see cx_at): an
		 * 80286 that faults in the iteration leaves it decremented. */
		--cx;
		if (!restart && cx_at != CX_AFTER_DI)
			idx_set(c, X86_RCX, asz, cx);
		string_once(c, i, kind, sz, asz, cx_at);
		if (restart)
			idx_set(c, X86_RCX, asz, cx);
		clk(c, per);
		if (kind == S_CMPS || kind == S_SCAS) {
			int zf = (c->s->rflags & X86_ZF) != 0;
			if (zf != (i->rep == 0xf3))
				return;
		}
		if (!cx)
			return;
		if (intr_pending(c)) {
			set_ip(c, (c->feat & CPUF_REP_LAST_PREFIX) ?
			       (uint16_t)(i->op_ip - 1) : i->ip0);
			return;
		}
		if (c->m->kick || c->s->cycles >= c->deadline) {
			set_ip(c, i->ip0);
			return;
		}
	}
}

void x86i_string(struct x86i_cpu *c, struct insn *i)
{
	unsigned sz = opsz(i), asz = i->asz;

	switch (kind_of(i->op)) {
	case S_MOVS:
		/* The commonest: word and dword moves, 16- and 32-bit
		 * addresses each compiled on their own. */
		if (sz == 2 && asz == 2)
			string_kind(c, i, S_MOVS, 2, 2);
		else if (sz == 4 && asz == 4)
			string_kind(c, i, S_MOVS, 4, 4);
		else
			string_kind(c, i, S_MOVS, sz, asz);
		break;
	case S_CMPS: string_kind(c, i, S_CMPS, sz, asz); break;
	case S_STOS: string_kind(c, i, S_STOS, sz, asz); break;
	case S_LODS: string_kind(c, i, S_LODS, sz, asz); break;
	case S_SCAS: string_kind(c, i, S_SCAS, sz, asz); break;
	case S_INS: string_kind(c, i, S_INS, sz, asz); break;
	default: string_kind(c, i, S_OUTS, sz, asz); break;
	}
}

void x86i_movs16(struct x86i_cpu *c, struct insn *i)
{
	string_kind(c, i, S_MOVS, 2, 2);
}

void x86i_movs32(struct x86i_cpu *c, struct insn *i)
{
	string_kind(c, i, S_MOVS, 4, 4);
}

void x86i_stos16(struct x86i_cpu *c, struct insn *i)
{
	string_kind(c, i, S_STOS, 2, 2);
}

void x86i_stos32(struct x86i_cpu *c, struct insn *i)
{
	string_kind(c, i, S_STOS, 4, 4);
}
