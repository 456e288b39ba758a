/* tcg-lite's native code: x86-64 host code for the common instructions of
 * hot blocks (tl_native.c).
 *
 * A block's records are translated into runs of host code, one run per
 * stretch of consecutive instructions the translator knows.  A run is
 * entered at its first instruction and leaves at an instruction boundary:
 * after the run's last instruction, before an instruction whose fast case
 * does not hold (a memory operand not in the TLB, a segment check that
 * would fault, a page crossing: the threaded loop then runs that one
 * through the interpreter's handler), or after the instruction that made
 * the cycle count reach the deadline.  At every exit the architectural
 * state (registers, flags, EIP, cycles, instructions) is the interpreter's
 * after the same instructions. */
#ifndef TANDEM_ACCEL_TL_NATIVE_H
#define TANDEM_ACCEL_TL_NATIVE_H

#include <stddef.h>
#include <stdint.h>

#include "cpu/x86-interp/x86i_block.h"

/* tl_jit_run's result: the index of the next instruction, plus this bit
 * when the run loop must stop after the last one (deadline reached). */
#define TL_NAT_STOP 0x100u
/* ...and the block asks to be translated again without assume_lim */
#define TL_NAT_REDO 0x200u
/* The longest block tl_jit_translate takes. */
#define TL_NAT_MAX_INSNS 32

struct tl_jit;

/* A direct link from a block's ending branch to the block it goes to
 * (chaining), so that native code runs on without returning to C.  The
 * translator fills kind and, for a static target, eip; tl_run_fast fills
 * the rest when it has seen the branch lead to a block whose first
 * instruction is native.  The native code takes the link only while what
 * tl_run_fast's lookup would check still holds: the target block is the
 * same version, the TLB entry of its page is unchanged (tag, physical
 * page), the memory layout is the same, its code is inside the CS limit,
 * and there is no kick.  Nothing else can have changed: only native
 * instructions ran since the last check (tl_quiet), and they change no
 * run state, flags other than the arithmetic ones, NMI or INTR. */
enum { TL_LINK_NONE, TL_LINK_STATIC, TL_LINK_DYNAMIC /* RET: EIP compared */ };
struct tl_link {
	const uint8_t *code;		/* target's entry; NULL: not linked */
	const uint32_t *ver_at;		/* the target block's version */
	const volatile int *kick;
	uint64_t gen;			/* x86i_cpu.gen */
	uint32_t ver;
	uint32_t eip;
	uint32_t tag, phys;		/* the TLB entry idx of the target's page */
	uint32_t lim;			/* highest offset the target fetches */
	uint16_t idx;
	uint8_t kind;
	/* 1: source and target each lie in one page, the same: the target's
	 * page is then mapped as the running source's is, and only its
	 * version, the CS limit and the kick need checking.  2: that, and
	 * the target fetches no further than the source, which ran within
	 * the CS limit: the limit needs no check either. */
	uint8_t same_page;
	const void *block;		/* the target, for the C side */
};

/* A code buffer of size bytes (mmap'd, written RW, run RX); NULL if the
 * host cannot map it. */
struct tl_jit *tl_jit_new(size_t size);
void tl_jit_free(struct tl_jit *j);
/* Drops all code (the caller forgets every entry it holds). */
void tl_jit_reset(struct tl_jit *j);

/* Translates the n records of a block decoded for c's current model and
 * modes.  entry[k] gets the code offset of a run starting at instruction
 * k, 0 where none starts.  block identifies the block to tl_jit_run;
 * link[0..1] are its links (cleared, then kind and eip set for a native
 * ending branch: [0] the taken target, [1] a Jcc's fall-through).
 * assume_lim: segment limits of FFFFh or FFFFFFFFh may be taken as they
 * are now (an entry where one changed returns TL_NAT_REDO).  Returns the
 * number of native instructions, or -1 when the buffer is full (nothing
 * was kept). */
int tl_jit_translate(struct tl_jit *j, const struct x86i_cpu *c, const struct x86i_dinsn *d,
		     unsigned n, uint32_t *entry, const void *block, struct tl_link *link,
		     int assume_lim);

/* The code offset entry as a pointer, for a link. */
const uint8_t *tl_jit_code(const struct tl_jit *j, uint32_t entry);

/* Runs the code at entry; returns the next instruction's index (its
 * boundary state is in c->s), with TL_NAT_STOP when the deadline was
 * reached, TL_NAT_REDO when that block wants translating again.  *block is the block that index is in (links may have taken
 * the run into others). */
unsigned tl_jit_run(const struct tl_jit *j, struct x86i_cpu *c, uint32_t entry,
		    const void **block);

#endif
