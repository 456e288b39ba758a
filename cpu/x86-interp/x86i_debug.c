/* Debug registers: instruction breakpoints from DR0-DR3 as DR7 enables
 * them (checked before each instruction while any is enabled), with the
 * hit recorded in DR6.  Data breakpoints are not modelled yet. */
#include "cpu/x86-interp/x86i_priv.h"

void x86i_dr7_changed(struct x86i_cpu *c)
{
	uint64_t dr7 = c->s->dr[7];

	c->dbg_exec = 0;
	for (int n = 0; n < 4; n++) {
		unsigned en = (dr7 >> (2 * n)) & 3;
		unsigned rw = (dr7 >> (16 + 4 * n)) & 3;
		if (en && rw == 0)
			c->dbg_exec |= (uint8_t)(1u << n);
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
