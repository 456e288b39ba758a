/* Virtual-8086 mode extensions (Pentium CR4.VME) and protected-mode
 * virtual interrupts (CR4.PVI): with IOPL below 3, CLI/STI, 16-bit
 * PUSHF/POPF/IRET work on VIF instead of faulting, and INT n in V86 mode
 * goes straight to the V86 task's own vector table when the TSS's
 * interrupt redirection bitmap says so. */
#include "cpu/x86-interp/x86i_priv.h"
#include "cpu/x86-interp/x86i_prot.h"

enum { CR4_VME = 1, CR4_PVI = 2 };

static unsigned iopl(const struct x86i_cpu *c)
{
	return (c->s->rflags >> 12) & 3;
}

int x86i_vif_mode(struct x86i_cpu *c)
{
	const struct x86_state *s = c->s;

	if (!pmode(c) || iopl(c) == 3)
		return 0;
	if (s->rflags & X86_VM)
		return (s->cr4 & CR4_VME) != 0;
	return c->cpl == 3 && (s->cr4 & CR4_PVI);
}

void x86i_vif_cli_sti(struct x86i_cpu *c, int sti)
{
	struct x86_state *s = c->s;

	if (!sti) {
		s->rflags &= ~(uint64_t)X86_VIF;
		return;
	}
	if (s->rflags & X86_VIP)
		x86i_raise(c, X86I_GP, 0);
	s->rflags |= X86_VIF;
}

/* The FLAGS image a V86 task sees: IF is VIF, IOPL reads 3. */
uint16_t x86i_vif_flags_image(struct x86i_cpu *c)
{
	uint16_t f = (uint16_t)(fl(c) & ~X86_IF) | X86_IOPL;

	if (c->s->rflags & X86_VIF)
		f |= X86_IF;
	return f;
}

/* POPF/IRET with VME: TF set, or IF set while VIP is pending, faults;
 * else IF goes to VIF and IF/IOPL stay. */
void x86i_vif_load_flags(struct x86i_cpu *c, uint16_t v)
{
	struct x86_state *s = c->s;
	uint64_t keep = s->rflags & (X86_IF | X86_IOPL);

	if ((v & X86_TF) || ((v & X86_IF) && (s->rflags & X86_VIP)))
		x86i_raise(c, X86I_GP, 0);
	s->rflags = (s->rflags & ~(uint64_t)0xffff) | (v & 0x4dd5u & ~(uint32_t)X86_IF) |
		    keep | 2;
	if (v & X86_IF)
		s->rflags |= X86_VIF;
	else
		s->rflags &= ~(uint64_t)X86_VIF;
}

/* INT n in V86 mode with CR4.VME: 1 when the redirection bitmap sent it to
 * the V86 vector table (done), 0 when it goes to protected mode. */
int x86i_vme_int(struct x86i_cpu *c, uint8_t vec)
{
	struct x86_state *s = c->s;
	const struct x86_seg *tr = &s->tr;
	uint32_t map, bit;
	uint16_t nip, ncs, img;

	if (!(s->cr4 & CR4_VME) || (tr->attr & 0xf) != DT_TSS32_BUSY || tr->limit < 0x67)
		return 0;
	map = lrd16(c, (uint32_t)tr->base + 0x66);
	if (map < 32 || map - 32 + vec / 8 > tr->limit)
		x86i_raise(c, X86I_GP, 0);
	bit = lrd8(c, (uint32_t)tr->base + map - 32 + vec / 8) >> (vec & 7);
	if (bit & 1)
		return 0;
	/* Redirected: a real-mode style interrupt inside the V86 task. */
	img = iopl(c) == 3 ? fl(c) : x86i_vif_flags_image(c);
	nip = lrd16(c, (uint32_t)vec * 4);
	ncs = lrd16(c, (uint32_t)vec * 4 + 2);
	push16(c, img);
	push16(c, s->seg[X86_CS].sel);
	push16(c, (uint16_t)ip(c));
	if (iopl(c) == 3)
		s->rflags &= ~(uint64_t)(X86_IF | X86_TF);
	else
		s->rflags &= ~(uint64_t)(X86_VIF | X86_TF);
	x86i_load_sreg(c, X86_CS, ncs);
	s->rip = nip;
	return 1;
}
