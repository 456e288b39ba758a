/* Register forms for tcg-lite's blocks.
 *
 * tl_specialize replaces d->h, the interpreter's handler of a freshly
 * decoded instruction, by a smaller one with the same effect when the
 * instruction is a register-to-register MOV (89h/8Bh), ALU operation (01h-3Bh)
 * or group-1 operation with an immediate (81h/83h) of 16 or 32 bits, and its
 * handler is the interpreter's plain one for that opcode.  Those handlers
 * charge no clocks for register forms and set the flags through x86i_alu, as
 * these do, so cycles and results stay the interpreter's.  Only tcg-lite's
 * own loop calls d->h; step() keeps calling the interpreter's table. */
#ifndef TANDEM_ACCEL_TCG_LITE_TL_REGOPS_H
#define TANDEM_ACCEL_TCG_LITE_TL_REGOPS_H

#include "cpu/x86-interp/x86i_block.h"

void tl_specialize(const struct x86i_cpu *c, struct x86i_dinsn *d);

#endif
