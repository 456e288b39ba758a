/* The x87 escape opcodes D8-DF and WAIT: the one place where the x87
 * library (cpu/x87/) will be attached.  Until then: #NM when CR0.EM/TS ask
 * for it, and on models with an FPU the state-management instructions that
 * need no arithmetic (FNINIT, FNSTSW, FNSTCW, FLDCW) on the fxsave[] image.
 * Without a coprocessor the CPU still reads the memory operand. */
#include "cpu/x86-interp/x86i_priv.h"
#include "cpu/x86-interp/x86i_prot.h"

enum { CR0_MP = 2, CR0_EM = 4, CR0_TS = 8 };
/* FXSAVE image offsets. */
enum { FX_FCW = 0, FX_FSW = 2, FX_FTW = 4 };

static uint16_t fx16(struct x86i_cpu *c, unsigned off)
{
	return (uint16_t)(c->s->fxsave[off] | c->s->fxsave[off + 1] << 8);
}

static void fx16_set(struct x86i_cpu *c, unsigned off, uint16_t v)
{
	c->s->fxsave[off] = (uint8_t)v;
	c->s->fxsave[off + 1] = (uint8_t)(v >> 8);
}

/* Returns 1 when it handled the instruction. */
static int fpu_control(struct x86i_cpu *c, struct insn *i)
{
	switch (i->op) {
	case 0xdb:
		if (i->modrm == 0xe3) {		/* FNINIT */
			fx16_set(c, FX_FCW, 0x037f);
			fx16_set(c, FX_FSW, 0);
			c->s->fxsave[FX_FTW] = 0;	/* abridged: all empty */
			return 1;
		}
		if (i->modrm == 0xe2) {		/* FNCLEX */
			fx16_set(c, FX_FSW, fx16(c, FX_FSW) & 0x7f00);
			return 1;
		}
		return 0;
	case 0xd9:
		if (i->mod != 3 && i->reg == 7) {	/* FNSTCW m16 */
			wr16(c, i->seg, i->ea, fx16(c, FX_FCW));
			return 1;
		}
		if (i->mod != 3 && i->reg == 5) {	/* FLDCW m16 */
			fx16_set(c, FX_FCW, rd16(c, i->seg, i->ea) | 0x40);
			return 1;
		}
		return 0;
	case 0xdd:
		if (i->mod != 3 && i->reg == 7) {	/* FNSTSW m16 */
			wr16(c, i->seg, i->ea, fx16(c, FX_FSW));
			return 1;
		}
		return 0;
	case 0xdf:
		if (i->modrm == 0xe0) {		/* FNSTSW AX */
			w16(c, X86_RAX, fx16(c, FX_FSW));
			return 1;
		}
		return 0;
	default:
		return 0;
	}
}

void x86i_esc(struct x86i_cpu *c, struct insn *i)
{
	if ((c->feat & CPUF_PROT) && (c->s->cr0 & (CR0_EM | CR0_TS)))
		x86i_raise(c, X86I_NM, -1);
	if ((c->feat & CPUF_FPU) && fpu_control(c, i))
		return;
	/* No arithmetic yet (cpu/x87 not attached): the operand is read as
	 * a coprocessor-less CPU does, and the instruction has no effect. */
	if (i->mod != 3)
		(void)rd16(c, i->seg, i->ea);
}

void x86i_wait(struct x86i_cpu *c, struct insn *i)
{
	(void)i;
	if ((c->feat & CPUF_PROT) && (c->s->cr0 & (CR0_MP | CR0_TS)) == (CR0_MP | CR0_TS))
		x86i_raise(c, X86I_NM, -1);
}
