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
 * interpreter reports what one instruction did (x86i_biu_note for each
 * memory or I/O transfer, then x86i_biu_end); the model finds the form,
 * replays it against the BIU state the previous instruction left and
 * returns the clocks.  A form it has no schedule for (and anything that is
 * not a plain instruction: interrupts, exceptions) falls back to the
 * datasheet count and leaves the BIU idle with a full queue. */
#ifndef TANDEM_CPU_X86I_BIU_H
#define TANDEM_CPU_X86I_BIU_H

#include <stdint.h>

#include "cpu/state.h"

/* One instruction form of the table: opcode, ModRM reg for group opcodes
 * (sel), ModRM mod/rm (0xc0 for all register forms, 0xff: no ModRM); var
 * names a data-dependent term (0 none, 1 CL, 2 AX sign, 3 CF, 4 AAA/AAS
 * adjust) adding var_k clocks per unit to the event var_pos; susp: see
 * the flush in x86i_biu.c; delays start
 * at x86i_biu_delay[off], one per character of kinds (F/S queue reads,
 * R/W memory and r/w I/O cycles, E flush, N the next instruction). */
struct x86i_biu_form {
	uint8_t op, sel, mrm, var;
	int8_t var_pos, var_k;
	uint8_t susp;		/* clocks before the flush a jump suspends prefetch */
	uint8_t hold;		/* a fetch then on the bus holds the flush to T4 + hold */
	uint32_t off;
	const char *sig, *kinds;
};

extern const uint8_t x86i_biu_group[256 / 8];
extern const uint16_t x86i_biu_delay[];
extern const struct x86i_biu_form x86i_biu_forms[];
extern const unsigned x86i_biu_nforms;

#define X86I_BIU_MAXBUS 24

struct x86i_biu {
	uint8_t qsize;		/* 6 (8086) or 4 (8088) */
	uint8_t fetch;		/* bytes per code fetch: 2 or 1 */
	/* Carried from one instruction to the next; times are clocks
	 * relative to the first clock of the current instruction. */
	int q;			/* bytes in the queue */
	int odd_fetch;		/* next code fetch is at an odd address */
	char bus;		/* cycle on the bus: 0, 'C' code fetch or EU kind */
	int bus_t1, bus_nb;	/* its T1 and (code) bytes it brings */
	int bus_discard;	/* a code fetch the flush made worthless */
	char last;		/* kind and T1 of the latest bus cycle */
	int last_t1;
	int last_t4;
	int sched;		/* clock a scheduled prefetch may start; NONE */
	int qready;		/* first clock the queue can be read after refill */
	int cont;		/* state continues from a previous instruction */
	/* The current instruction. */
	char log[X86I_BIU_MAXBUS];	/* its EU bus cycles in order */
	int nlog, overflow;
	uint16_t ax0, cx0, fl0;		/* registers its data terms read */
	/* Where the carried state is published after every instruction,
	 * for save states and engine changes (x86_state.biu). */
	struct x86_biu_state *out;
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
/* Before the instruction: forget the last log, keep what the data terms need. */
static inline void x86i_biu_begin(struct x86i_biu *b, uint16_t ax, uint16_t cx, uint16_t fl)
{
	b->nlog = 0;
	b->overflow = 0;
	b->ax0 = ax;
	b->cx0 = cx;
	b->fl0 = fl;
}
/* One EU transfer: kind 'R'/'W' memory, 'r'/'w' I/O, of size 1 or 2 at an
 * address of that parity; a word is two bus cycles on an 8-bit bus or at
 * an odd address. */
static inline void x86i_biu_note(struct x86i_biu *b, char kind, uint32_t addr, unsigned size)
{
	unsigned n = size >= 2 && (b->fetch == 1 || (addr & 1)) ? 2 : 1;

	while (n--) {
		if (b->nlog < X86I_BIU_MAXBUS)
			b->log[b->nlog++] = kind;
		else
			b->overflow = 1;
	}
}
/* After the instruction: op, ModRM (-1 none), reg selector, prefix count,
 * length, whether control left the straight line (the queue was flushed)
 * and the IP it went to.  Returns its clocks, or -1 when there is no
 * schedule for it (the BIU is then reset at next_ip). */
int x86i_biu_end(struct x86i_biu *b, unsigned op, int modrm, unsigned nprefix, unsigned len,
		 int flushed, uint32_t next_ip);

#endif
