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

uint64_t gen_rand(uint64_t *rng);
/* Fills b with about n instructions ending in HLT, the initial data and
 * stack pages, and *s's registers and flags (segments are the runner's). */
void gen_block(uint64_t *rng, enum gen_mode mode, int n, struct gen_block *b,
	       struct x86_state *s);

#endif
