/* diffcpu's instruction-stream generator: random valid blocks that stay
 * inside the data page and the stack page, with the set of flags the SDM
 * leaves undefined at the end of the block. */
#ifndef TANDEM_TOOLS_DIFFCPU_GEN_H
#define TANDEM_TOOLS_DIFFCPU_GEN_H

#include <stdint.h>
#include "cpu/state.h"

enum gen_mode { GEN_REAL16, GEN_PROT16, GEN_PROT32 };

/* Guest layout shared by the generator and the runner. */
enum {
	GEN_GDT = 0x0800,	/* null, code, data (0x10), stack (0x18) */
	GEN_IDT = 0x0900,	/* 32 interrupt gates (protected mode) */
	GEN_HANDLER = 0x0e00,	/* vector n: a HLT at GEN_HANDLER + n */
	GEN_CODE = 0x1000,	/* linear address of the block */
	GEN_DATA = 0x2000,	/* DS = ES base: the data page */
	GEN_STACK = 0x3000,	/* SS base: the stack page */
	GEN_SP = 0x800,
	GEN_PAGE = 0x1000,
	GEN_MAX_CODE = 0xc00,
	GEN_MAX_INSNS = 256,
};

struct gen_insn {
	uint16_t off;
	uint8_t len;
	char text[40];
};

struct gen_block {
	uint8_t code[GEN_MAX_CODE];
	unsigned len;			/* including the final HLT */
	struct gen_insn insn[GEN_MAX_INSNS];
	int ninsn;
	uint32_t undef;			/* EFLAGS bits undefined at the end */
	uint8_t data[GEN_PAGE], stack[GEN_PAGE];
};

/* Known faults of the reference, masked when asked to. */
enum {
	/* KVM's instruction emulator (software KVMs, real mode without
	 * unrestricted guest) computes AAM's and AAD's SF/ZF/PF from the
	 * whole register instead of AL: treat those flags as undefined. */
	GEN_Q_AAM_FLAGS = 1,
	/* The same KVMs deliver protected-mode exceptions and INT n wrongly
	 * (frame at SP without SS's base, 32-bit frames through 16-bit
	 * gates, INT n taken as #PF): no faults or INT n there. */
	GEN_Q_NO_PM_INT = 2,
};

uint64_t gen_rand(uint64_t *rng);
/* Fills b with about n instructions ending in HLT, the initial data and
 * stack pages, and *s's registers and flags (segments are the runner's). */
void gen_block(uint64_t *rng, enum gen_mode mode, int n, unsigned quirks,
	       struct gen_block *b, struct x86_state *s);

#endif
