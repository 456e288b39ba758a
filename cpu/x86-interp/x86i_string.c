/* String instructions (MOVS CMPS STOS LODS SCAS, 80186 INS OUTS) with
 * their REP/REPE/REPNE loops.  A REP loop yields between iterations when
 * an interrupt is pending, the CPU is kicked or the slice's cycle budget is
 * spent; it then restarts the instruction (IP back at a prefix), so the
 * guest sees exactly what a real CPU shows when interrupted. */
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

/* Each index register moves before its access, and CMPS reads ES:DI
 * first: a fault then leaves exactly the registers an 80286 leaves (the
 * 8086 cannot fault here, so the order is invisible to it). */
static void string_once(struct x86i_cpu *c, struct insn *i, int kind, int wide)
{
	uint16_t si = r16(c, X86_RSI), di = r16(c, X86_RDI);
	uint16_t d = c->s->rflags & X86_DF ? (uint16_t)-(1 + wide) : (uint16_t)(1 + wide);
	uint32_t a, b;

	switch (kind) {
	case S_MOVS:
		w16(c, X86_RSI, si + d);
		a = wide ? rd16(c, i->seg, si) : rd8(c, i->seg, si);
		w16(c, X86_RDI, di + d);
		if (wide)
			wr16(c, X86_ES, di, (uint16_t)a);
		else
			wr8(c, X86_ES, di, (uint8_t)a);
		break;
	case S_CMPS:
		w16(c, X86_RDI, di + d);
		b = wide ? rd16(c, X86_ES, di) : rd8(c, X86_ES, di);
		w16(c, X86_RSI, si + d);
		a = wide ? rd16(c, i->seg, si) : rd8(c, i->seg, si);
		x86i_alu(c, 7, a, b, wide);
		break;
	case S_STOS:
		w16(c, X86_RDI, di + d);
		if (wide)
			wr16(c, X86_ES, di, r16(c, X86_RAX));
		else
			wr8(c, X86_ES, di, r8(c, 0));
		break;
	case S_LODS:
		w16(c, X86_RSI, si + d);
		if (wide)
			w16(c, X86_RAX, rd16(c, i->seg, si));
		else
			w8(c, 0, rd8(c, i->seg, si));
		break;
	case S_SCAS:
		w16(c, X86_RDI, di + d);
		b = wide ? rd16(c, X86_ES, di) : rd8(c, X86_ES, di);
		x86i_alu(c, 7, wide ? r16(c, X86_RAX) : r8(c, 0), b, wide);
		break;
	case S_INS:
		w16(c, X86_RDI, di + d);
		seg_check(c, X86_ES, di, 1u + wide, 1);
		a = ioport_read(c->m->io, r16(c, X86_RDX), wide ? 2 : 1);
		if (wide)
			wr16(c, X86_ES, di, (uint16_t)a);
		else
			wr8(c, X86_ES, di, (uint8_t)a);
		break;
	default:
		w16(c, X86_RSI, si + d);
		a = wide ? rd16(c, i->seg, si) : rd8(c, i->seg, si);
		ioport_write(c->m->io, r16(c, X86_RDX), a, wide ? 2 : 1);
		break;
	}
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
	       (c->m->intr.level && (s->rflags & X86_IF));
}

void x86i_string(struct x86i_cpu *c, struct insn *i)
{
	int kind = kind_of(i->op), wide = i->op & 1;
	unsigned per;

	if (kind >= S_INS)
		x86i_io_check(c, r16(c, X86_RDX), 1u + wide);
	if (!i->rep) {
		string_once(c, i, kind, wide);
		return;
	}
	/* The table's single-shot clocks do not apply to the REP form. */
	c->s->cycles -= c->t->base[i->op][0];
	clk(c, c->t->rep_base);
	per = per_iter(c->t, kind);
	for (;;) {
		uint16_t cx = r16(c, X86_RCX);
		if (!cx)
			return;
		/* CX counts down first: an 80286 that faults in the
		 * iteration leaves it decremented. */
		w16(c, X86_RCX, --cx);
		string_once(c, i, kind, wide);
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
