/* REP MOVS and REP STOS for tcg-lite's native code (tl_string.c). */
#ifndef TANDEM_ACCEL_TL_STRING_H
#define TANDEM_ACCEL_TL_STRING_H

#include "cpu/x86-interp/x86i_block.h"

enum { TL_REP_NO, TL_REP_DONE, TL_REP_YIELD };

/* Runs the REP MOVS/STOS of d, as the interpreter's x86i_string would when
 * no interrupt is pending, if every iteration takes the fast path: the
 * whole source and destination each inside one page the TLB maps for the
 * access, within the segment limits, no offset wrap.  Charges its clocks
 * (d->clk included), and updates CX, SI, DI and IP.  Returns TL_REP_NO
 * having changed nothing when that does not hold, TL_REP_YIELD when the
 * deadline came before CX reached 0 (IP back at the instruction, as the
 * interpreter yields), else TL_REP_DONE.  Called from native code, with
 * the cycles and flags stored in the state. */
int tl_rep_string(struct x86i_cpu *c, const struct x86i_dinsn *d);

#endif
