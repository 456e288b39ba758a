/* Pre-decoded instructions for a block engine (accel/tcg-lite).
 *
 * x86i_blk_decode decodes one instruction from a byte buffer without side
 * effects, keeping the effective address as a recipe (registers, scale,
 * displacement) because the interpreter's x86i_decode computes it from the
 * registers of the moment.  x86i_blk_issue turns a decoded record into the
 * struct insn that x86i_decode would have produced at this point, charging
 * the same decode-time clocks, so the interpreter's own handlers run it. */
#ifndef TANDEM_CPU_X86I_BLOCK_H
#define TANDEM_CPU_X86I_BLOCK_H

#include <stdint.h>
#include "cpu/x86-interp/x86i_priv.h"

#define X86I_BLK_MAX_LEN 15

struct x86i_dinsn {
	struct insn in;		/* final except ea (mod != 3) */
	uint32_t disp;
	int8_t base, index;	/* registers added into the EA, -1: none */
	uint8_t scale;
	uint16_t pre_clk;	/* prefix and 8086 EA clocks of decoding */
	/* For a block engine's own loop: the clocks step() charges before
	 * the handler (pre_clk and the model's base clocks), and the handler
	 * step() would call. */
	uint16_t clk;
	uint32_t ip_next;	/* IP after it (16-bit code wraps) */
	x86i_handler h;
};

/* Decodes the instruction at CS:eip whose bytes are p[0..avail-1] for the
 * current CS (D bit, limit) and model.  Returns its length, or 0 when it
 * must go through x86i_decode instead (bytes run past avail, too long,
 * outside the CS limit: cases where decoding fetches slowly or faults). */
int x86i_blk_decode(struct x86i_cpu *c, const uint8_t *p, unsigned avail, uint32_t eip,
		    struct x86i_dinsn *d);

/* Fills i as x86i_decode would for d at the current registers: charges the
 * decode clocks, computes the EA and moves IP past the instruction. */
static inline void x86i_blk_issue(struct x86i_cpu *c, const struct x86i_dinsn *d,
				  struct insn *i)
{
	*i = d->in;
	if (d->pre_clk)
		clk(c, d->pre_clk);
	if (i->mod != 3) {
		uint32_t ea = d->disp;
		if (d->base >= 0)
			ea += r32(c, d->base);
		if (d->index >= 0)
			ea += r32(c, d->index) << d->scale;
		if (i->asz == 2) {
			ea &= 0xffff;
			c->last_ea = (uint16_t)ea;
		}
		i->ea = ea;
	}
	if (c->s->seg[X86_CS].attr & 0x4000)
		set_ip(c, i->ip0 + i->len);
	else
		set_ip(c, (uint16_t)(i->ip0 + i->len));
}

/* x86i_blk_issue for a block engine's own loop, which then calls d->h on
 * &d->in: the EA goes into d->in in place (handlers never write to their
 * struct insn), the decode and base clocks are charged at once, as step()
 * has charged both by the time the handler runs, and IP moves on as it
 * would under the CS d was decoded for. */
static inline void x86i_blk_prepare_s(struct x86i_cpu *c, struct x86_state *s,
				      struct x86i_dinsn *d)
{
	struct insn *i = &d->in;

	s->cycles += d->clk;
	if (i->mod != 3) {
		uint32_t ea = d->disp;
		if (d->base >= 0)
			ea += (uint32_t)s->gpr[d->base];
		if (d->index >= 0)
			ea += (uint32_t)s->gpr[d->index] << d->scale;
		if (i->asz == 2) {
			ea &= 0xffff;
			c->last_ea = (uint16_t)ea;
		}
		i->ea = ea;
	}
	s->rip = d->ip_next;
}

/* (The same with s = c->s, which a loop that keeps s at hand passes to
 * x86i_blk_prepare_s itself.) */
static inline void x86i_blk_prepare(struct x86i_cpu *c, struct x86i_dinsn *d)
{
	x86i_blk_prepare_s(c, c->s, d);
}

/* The trace line step() prints for i, for a block engine's own loop. */
void x86i_trace_insn(struct x86i_cpu *c, const struct insn *i);

/* 1 when the instruction may transfer control (a block ends after it). */
int x86i_blk_is_branch(const struct insn *i);

#endif
