/* The reference x86 interpreter. */
#ifndef TANDEM_CPU_X86_INTERP_H
#define TANDEM_CPU_X86_INTERP_H

#include <stdbool.h>
#include <stdio.h>
#include <stdint.h>
#include "accel/accel.h"

struct machine;
struct x86i_cpu;

/* Creates an interpreter for m->model executing against m->mem, m->io and
 * m->intr, with m->cpu as its architectural state (the interpreter works on
 * m->cpu directly; x86_state is always current between instructions). */
struct x86i_cpu *x86i_new(struct machine *m);
void x86i_free(struct x86i_cpu *c);

/* --smp: from now on run CPU idx (0: the boot CPU, m->cpu; i: m->ap_cpu[i -
 * 1]) with its INTR and local APIC.  Only between runs. */
void x86i_select_cpu(struct x86i_cpu *c, int idx);

/* Power-on / reset state of the model (CS:IP = F000:FFF0 with base FFFF0h
 * on the 8086 family, flags 0002h, ...). */
void x86i_reset(struct x86i_cpu *c);

/* Call after changing m->cpu from outside the interpreter (not needed
 * through accel set_state): recomputes derived state such as the CPL. */
void x86i_state_loaded(struct x86i_cpu *c);

/* Executes until cycles >= start + budget, halt, shutdown or kick. */
enum accel_exit x86i_run(struct x86i_cpu *c, uint64_t budget);

/* Executes exactly one instruction (with its prefixes; a REP string
 * instruction runs to completion unless an interrupt is pending), taking
 * a pending interrupt first if check_intr.  Returns the cycles it took. */
unsigned x86i_step(struct x86i_cpu *c, int check_intr);

/* The host's instruction breakpoint (accel set_breakpoint): x86i_run
 * returns ACCEL_EXIT_BREAK before executing the instruction at linear
 * address lin, with RF set in the state so that the next run executes it.
 * Checked with the DR7 breakpoints, so free while neither is set. */
void x86i_set_breakpoint(struct x86i_cpu *c, bool on, uint32_t lin);

/* One line per instruction: CS:IP, bytes, registers, flags.  Written after
 * decoding and before executing, so registers are the values the
 * instruction sees; at most 8 bytes are shown, ".." marks more:
 *   CCCC:IIII  BYTES(hex, padded to 18) AX=.... BX=.... CX=.... DX=....
 *   SP=.... BP=.... SI=.... DI=.... DS=.... ES=.... SS=.... FL=....
 * (one line, 16-bit upper-case hex).  386 and later models write
 *   CCCC:EEEEEEEE  BYTES EAX=........ EBX=... ECX EDX ESP EBP ESI EDI
 *   DS=.... ES=.... SS=.... FS=.... GS=.... EFL=........
 * with bytes read at the full EIP in 32-bit code segments.  NULL turns
 * tracing off. */
void x86i_set_trace(struct x86i_cpu *c, FILE *f);

#endif
