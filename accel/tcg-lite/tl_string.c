/* REP MOVS and REP STOS for tcg-lite's native code (tl_string.h): the
 * interpreter's own one-go path (x86i_rep_bulk), entered before the
 * instruction's clocks and IP were charged, as native code calls it. */
#include "accel/tcg-lite/tl_string.h"

int tl_rep_string(struct x86i_cpu *c, const struct x86i_dinsn *d)
{
	const struct insn *i = &d->in;
	/* The decode and base clocks, then the REP form's instead of the
	 * table's single-shot ones, as x86i_string's caller and x86i_string
	 * would charge them before its loop. */
	int64_t pre = (int64_t)d->clk - c->t->base[i->op][0] + c->t->rep_base;

	switch (x86i_rep_bulk(c, i, pre, d->ip_next)) {
	case X86I_REP_DONE:
		return TL_REP_DONE;
	case X86I_REP_YIELD:
		return TL_REP_YIELD;
	default:
		return TL_REP_NO;
	}
}
