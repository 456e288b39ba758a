/* Debug registers: instruction breakpoints from DR0-DR3 as DR7 enables
 * them (checked before each instruction while any is enabled) and data
 * breakpoints (checked on the segment-checked data path while any is
 * enabled, reported as a trap after the instruction), with the hits
 * recorded in DR6.  Descriptor-table and TSS accesses do not trigger
 * them here. */
#include "cpu/x86-interp/x86i_priv.h"

void x86i_dr7_changed(struct x86i_cpu *c)
{
	uint64_t dr7 = c->s->dr[7];

	c->dbg_exec = 0;
	c->dbg_data = 0;
	for (int n = 0; n < 4; n++) {
		unsigned en = (dr7 >> (2 * n)) & 3;
		unsigned rw = (dr7 >> (16 + 4 * n)) & 3;
		if (en && rw == 0)
			c->dbg_exec |= (uint8_t)(1u << n);
		else if (en && (rw == 1 || rw == 3))
			c->dbg_data |= (uint8_t)(1u << n);
	}
	/* Data breakpoints need the checked path (80386 and later). */
	if (!(c->feat & CPUF_386))
		c->dbg_data = 0;
	x86i_plain_update(c);
}

void x86i_debug_data(struct x86i_cpu *c, int seg, uint32_t off, unsigned size, int wr)
{
	const struct x86_state *s = c->s;
	uint32_t a = (uint32_t)(s->seg[seg].base + off), end = a + size - 1;

	for (int n = 0; n < 4; n++) {
		unsigned rw = (s->dr[7] >> (16 + 4 * n)) & 3;
		/* LEN 0/1/3 = 1/2/4 bytes; the address is aligned to it. */
		unsigned len = ((s->dr[7] >> (18 + 4 * n)) & 3) + 1;
		uint32_t lo, hi;
		if (!(c->dbg_data & (1u << n)) || (rw == 1 && !wr))
			continue;
		if (len == 3)
			len = 4;
		lo = (uint32_t)s->dr[n] & ~(len - 1);
		hi = lo + len - 1;
		if (a <= hi && end >= lo)
			c->dbg_hit |= (uint8_t)(1u << n);
	}
}

/* 1 when an enabled instruction breakpoint matches CS:EIP (RF clear):
 * DR6 then records which. */
int x86i_debug_exec_hit(struct x86i_cpu *c)
{
	struct x86_state *s = c->s;
	uint32_t lin = (uint32_t)(s->seg[X86_CS].base + s->rip);
	uint8_t hit = 0;

	if (s->rflags & X86_RF)
		return 0;
	for (int n = 0; n < 4; n++)
		if ((c->dbg_exec & (1u << n)) && (uint32_t)s->dr[n] == lin)
			hit |= (uint8_t)(1u << n);
	if (!hit)
		return 0;
	s->dr[6] = (s->dr[6] & ~(uint64_t)0xf) | hit;
	return 1;
}
