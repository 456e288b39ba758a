/* The 8086/8088 bus interface unit (BIU) and its prefetch queue, clock by
 * clock, for the interpreter's cycle count on those two models.
 *
 * The execution unit (EU) takes instruction bytes from the queue and asks
 * the BIU for its own bus cycles; the BIU fills the queue with 4-clock
 * code fetches (T1-T4) whenever the bus is free and the queue has room
 * (8086: 2 bytes free of 6, a word per fetch; 8088: 1 of 4, a byte), and
 * a jump flushes the queue.  An instruction takes as long as its EU
 * schedule stretched by those two: waits for a queue byte and waits for a
 * bus cycle that a prefetch occupies.
 *
 * The EU schedules come from x86i_biu_tab.c (generated from real-CPU bus
 * traces, tools/biu/gen-biu-table.py): per instruction form the order of
 * its queue reads, bus cycles and flush, and the clocks between them.  The
 * microcode loops whose length depends on data (shift by CL, multiply,
 * divide, AAM/AAD) add their clocks by model (x86i_biu_loops.c), and a
 * REP string instruction repeats its per-iteration schedule.  The
 * interpreter reports what one instruction did (x86i_biu_note for each
 * memory or I/O transfer, x86i_biu_operand for a multiply/divide operand,
 * then x86i_biu_end); the model finds the form (or the nearest one it has:
 * x86i_biu.c), replays it against the BIU state the previous instruction
 * left and returns the clocks.  Anything that is not a plain instruction
 * (interrupts, exceptions, a REP loop cut short) falls back to the
 * datasheet count and leaves the BIU idle with a full queue. */
#ifndef TANDEM_CPU_X86I_BIU_H
#define TANDEM_CPU_X86I_BIU_H

#include <stdint.h>

#include "cpu/state.h"

/* One instruction form of the table: opcode, ModRM reg for group opcodes
 * (sel), ModRM mod/rm (0xc0 for all register forms, 0xff: no ModRM); var
 * names a data-dependent term (X86I_BIU_VAR_*) whose clocks go to the
 * event var_pos; body: a REP string form, whose kinds are the prefixes and
 * opcode, the first iteration's body events, a later iteration's, and N;
 * susp: see the flush in x86i_biu.c; delays start at x86i_biu_delay[off],
 * one per character of kinds (F/S queue reads, R/W memory and r/w I/O
 * cycles, E flush, N the next instruction). */
struct x86i_biu_form {
	uint8_t op, sel, mrm, var;
	int8_t var_pos;
	uint8_t body;		/* events per REP iteration; 0 not a REP form */
	uint8_t susp;		/* clocks before the flush a jump suspends prefetch */
	uint8_t hold;		/* a fetch then on the bus holds the flush to T4 + hold */
	uint32_t off;
	const char *sig, *kinds;
};

enum {
	X86I_BIU_VAR_CL = 1,	/* 4 clocks per bit shifted (shift by CL) */
	X86I_BIU_VAR_AXSIGN,	/* CWD: a clock when AX is negative */
	X86I_BIU_VAR_CF,	/* SALC: a clock when CF is set */
	X86I_BIU_VAR_ADJUST,	/* AAA/AAS: a clock less when they adjust */
	X86I_BIU_VAR_MULDIV,	/* MUL/IMUL/DIV/IDIV microcode (F6/F7 /4-/7) */
	X86I_BIU_VAR_AAM,	/* AAM's divide loop */
	X86I_BIU_VAR_AAD,	/* AAD's multiply loop */
};

extern const uint8_t x86i_biu_group[256 / 8];
extern const int16_t x86i_biu_delay[];
extern const struct x86i_biu_form x86i_biu_forms[];
extern const unsigned x86i_biu_nforms;

#define X86I_BIU_MAXBUS 24
#define X86I_BIU_MEMO 4096	/* remembered replays, a power of two */

/* A replay remembered: the form and the state it started from (k1, k2),
 * the clocks it took, the state it left, packed and as published. */
struct x86i_biu_memo {
	uint64_t k1, k2, st;
	struct x86_biu_state img;
	int32_t r;
};

struct x86i_biu {
	uint8_t qsize;		/* 6 (8086) or 4 (8088) */
	uint8_t fetch;		/* bytes per code fetch: 2 or 1 */
	/* The state carried from one instruction to the next, packed (see
	 * pack() in x86i_biu.c): it is the memo's key. */
	uint64_t st;
	/* The current instruction. */
	unsigned nlog;		/* its EU bus cycles */
	uint32_t cnt;		/* of them R, W, r, w: 5 bits each (up to MAXBUS) */
	uint16_t ax0, cx0, dx0, fl0;	/* registers its data terms read */
	uint16_t opnd;		/* multiply/divide operand, AAM/AAD base */
	/* Where the carried state is published after every instruction,
	 * for save states and engine changes (x86_state.biu). */
	struct x86_biu_state *out;
	/* Per opcode its data term (X86I_BIU_VAR_*), 0 none. */
	uint8_t opvar[256];
	/* The replay is a pure function of form, data term and state, and
	 * programs repeat themselves: most instructions find their replay
	 * here and cost a lookup instead of a clock-by-clock run. */
	struct x86i_biu_memo memo[X86I_BIU_MEMO];
};

/* What x86i_biu_end needs to know of the instruction just run. */
struct x86i_biu_insn {
	unsigned op;
	int modrm;		/* -1: none */
	unsigned nprefix, len;
	int flushed;		/* control left the straight line */
	uint32_t next_ip;	/* where it went */
	int rep;		/* a REP/REPNE prefix */
	uint16_t cx, si, di;	/* CX, SI and DI after it (REP strings) */
};

#define X86I_BIU_NONE (-1000000)

/* qsize 6 and fetch 2 for the 8086, 4 and 1 for the 8088; out: see above. */
void x86i_biu_init(struct x86i_biu *b, unsigned qsize, unsigned fetch,
		   struct x86_biu_state *out);
/* The queue as full as a fresh prefetch leaves it at IP, the bus idle. */
void x86i_biu_reset(struct x86i_biu *b, uint32_t ip);
/* Takes the carried state back from b->out (after a state load), or
 * resets at IP when it holds none. */
void x86i_biu_load(struct x86i_biu *b, uint32_t ip);
/* Before the instruction: forget the last count, keep what the data terms need. */
static inline void x86i_biu_begin(struct x86i_biu *b, uint16_t ax, uint16_t cx, uint16_t dx,
				  uint16_t fl)
{
	b->nlog = 0;
	b->cnt = 0;
	b->ax0 = ax;
	b->cx0 = cx;
	b->dx0 = dx;
	b->fl0 = fl;
}
/* One EU transfer: kind 'R'/'W' memory, 'r'/'w' I/O, of size 1 or 2 at an
 * address of that parity; a word is two bus cycles on an 8-bit bus or at
 * an odd address.  Only their numbers matter (the form fixes the order);
 * past X86I_BIU_MAXBUS the counts overflow their fields harmlessly, as the
 * instruction then has no schedule (or is a REP loop, which counts by CX). */
static inline void x86i_biu_note(struct x86i_biu *b, char kind, uint32_t addr, unsigned size)
{
	unsigned n = size >= 2 && (b->fetch == 1 || (addr & 1)) ? 2 : 1;
	unsigned sh = kind == 'R' ? 0 : kind == 'W' ? 5 : kind == 'r' ? 10 : 15;

	b->nlog += n;
	b->cnt += n << sh;
}
/* The source operand of MUL/IMUL/DIV/IDIV, the immediate of AAM/AAD. */
static inline void x86i_biu_operand(struct x86i_biu *b, uint16_t v)
{
	b->opnd = v;
}

/* The key of a form: cnt holds the numbers of R, W, r and w cycles, 5 bits
 * each; rep: 0, or a REP form that ran its loop out (1) or stopped on ZF
 * (3), cnt then per iteration. */
static inline uint64_t x86i_biu_form_key(unsigned op, unsigned sel, unsigned mrm, unsigned nf,
					 unsigned ns, uint32_t cnt, int flushed, unsigned rep)
{
	return op | (uint64_t)sel << 8 | (uint64_t)mrm << 11 | (uint64_t)(nf & 31) << 19 |
	       (uint64_t)(ns & 31) << 24 | (uint64_t)(cnt & 0xfffff) << 29 |
	       (uint64_t)(flushed != 0) << 49 | (uint64_t)rep << 50;
}

/* The clocks of data term var in the current instruction (sel: ModRM reg). */
int x86i_biu_var_clocks(const struct x86i_biu *b, unsigned var, unsigned op, unsigned sel,
			int rep);

/* x86i_biu_end when memo entry m does not hold the replay: replays it
 * and stores it there.  data: the term's clocks or the REP iterations. */
int x86i_biu_miss(struct x86i_biu *b, struct x86i_biu_memo *m, uint64_t k1, uint64_t k2,
		  const struct x86i_biu_insn *in, int data);

/* After a REP string instruction that ran its loop (CX was not 0). */
int x86i_biu_end_rep(struct x86i_biu *b, const struct x86i_biu_insn *in);
static inline int x86i_biu_is_rep_loop(const struct x86i_biu *b, unsigned op, int rep)
{
	return rep && b->cx0 && op >= 0xa4 && op <= 0xaf && (op & 0xfe) != 0xa8;
}
/* After any other instruction.  Returns its clocks, or -1 when there is no
 * schedule for it (the BIU is then reset at in->next_ip). */
static inline int x86i_biu_end(struct x86i_biu *b, const struct x86i_biu_insn *in)
{
	unsigned op = in->op, sel = 0, mrm = 0xff, vid = b->opvar[op];
	struct x86i_biu_memo *m;
	uint64_t k1, k2;
	int data = 0;

	if (b->nlog > X86I_BIU_MAXBUS || in->len <= in->nprefix) {
		x86i_biu_reset(b, in->next_ip);
		return -1;
	}
	if (in->modrm >= 0) {
		mrm = (in->modrm & 0xc0) == 0xc0 ? 0xc0 : (unsigned)in->modrm & 0xc7;
		if (x86i_biu_group[op >> 3] & (1u << (op & 7)))
			sel = ((unsigned)in->modrm >> 3) & 7;
	}
	k1 = x86i_biu_form_key(op, sel, mrm, in->nprefix + 1, in->len - in->nprefix - 1,
			       b->cnt, in->flushed, 0);
	if (vid)
		data = x86i_biu_var_clocks(b, vid, op, sel, in->rep);
	k2 = b->st | (uint64_t)(data & 0x3ffff) << 44 | (uint64_t)(in->next_ip & 1) << 62;
	m = &b->memo[(((k1 * 0x9e3779b97f4a7c15ull) ^ (k2 * 0xc2b2ae3d27d4eb4full)) >> 40) &
		     (X86I_BIU_MEMO - 1)];
	if (__builtin_expect(m->k1 == k1 && m->k2 == k2, 1)) {
		b->st = m->st;
		*b->out = m->img;
		return m->r;
	}
	return x86i_biu_miss(b, m, k1, k2, in, data);
}

/* The microcode loops' clocks (x86i_biu_loops.c; tools/biu/eu_loops.py is
 * the same for the table generator): MUL/IMUL of a by b, n bits, signed,
 * rep the REP prefix's negate latch; DIV/IDIV of num (2n bits) by b, with
 * *overflow set on a divide error; AAM and AAD by imm. */
int x86i_biu_mul_clocks(uint32_t a, uint32_t b, unsigned n, int is_signed, int rep);
int x86i_biu_div_clocks(uint32_t num, uint32_t b, unsigned n, int is_signed, int rep,
			int *overflow);
int x86i_biu_aam_clocks(uint8_t al, uint8_t imm);
int x86i_biu_aad_clocks(uint8_t ah, uint8_t imm);

#endif
