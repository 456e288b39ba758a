/* Clock counts of the x87 instructions per coprocessor, from the Intel
 * datasheets and manuals (8087 datasheet, 80287 datasheet, 80387
 * datasheet, i486 Programmer's Reference Manual, Pentium Developer's
 * Manual vol. 3).  Pure data over the ESC opcode and ModR/M byte: the
 * interpreter's glue (cpu/x86-interp/x86i_fpu_glue.c) decides how the
 * count is charged to the CPU. */
#ifndef TANDEM_CPU_X87_TIMING_H
#define TANDEM_CPU_X87_TIMING_H

#include <stdint.h>

/* Which clock column: the coprocessor chips, then the FPUs built into
 * the CPU (the 486's, and the Pentium's, which later models also use). */
enum x87_timing_model {
	X87_T_8087 = 0,
	X87_T_287,
	X87_T_387,
	X87_T_486,
	X87_T_PENTIUM,
	X87_T_MODELS,
};

/* Clocks for ESC opcode esc (0xd8..0xdf) with ModR/M modrm on model tm,
 * not counting the CPU's effective address calculation.  Forms that do
 * not exist on a model (they raise #UD there) give 0; so does tm out of
 * range. */
unsigned x87_clocks(enum x87_timing_model tm, uint8_t esc, uint8_t modrm);

#endif
