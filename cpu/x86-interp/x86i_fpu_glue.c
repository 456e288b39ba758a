/* The x87 escape opcodes D8-DF and WAIT: the interpreter's side of the x87
 * library (cpu/x87/x87.h).  The FXSAVE image in x86_state stays the only
 * copy of the FPU registers (MMX, KVM and save states all read it), so
 * each instruction unpacks it into a struct x87, runs and packs it back:
 * a few hundred bytes of copying against the cost of the arithmetic.
 * This file owns what the library leaves to the CPU: operand addresses,
 * faulting reads and writes (a store destination is probed before the FPU
 * changes), #NM/#UD/#MF, FERR# (IRQ13 on the AT, NMI on the XT) when
 * CR0.NE is clear, and the clocks (cpu/x87/timing.h).
 *
 * Clocks: a coprocessor (8087, 80287, 80387) works beside the CPU, but
 * code waits for it before the next ESC (the 8087 by an explicit WAIT,
 * the 287/387 by BUSY#), so its clocks are charged to the ESC opcode on
 * top of the CPU's own clocks for it: overlap of integer work with a
 * running coprocessor is not modelled.  The FPU built into the 486 and
 * later is the CPU: its table count replaces the ESC opcode's base clocks. */
#include "cpu/x86-interp/x86i_priv.h"
#include "cpu/x86-interp/x86i_prot.h"
#include "cpu/x87/timing.h"
#include "cpu/x87/x87.h"
#include "hw/fpu_irq.h"

enum { CR0_MP = 2, CR0_EM = 4, CR0_TS = 8, CR0_NE = 0x20, CR0_PG = 0x80000000u };
/* Largest ESC operand: FSAVE/FRSTOR with a 32-bit operand size. */
enum { FPU_OP_MAX = 108 };

/* CR0 as the coprocessor sees it: nothing before the 80286, no NE bit
 * before the 80486 (whose CR0 bit 5 does not exist). */
static uint32_t fpu_cr0(const struct x86i_cpu *c)
{
	uint32_t cr0;

	if (!(c->feat & CPUF_PROT))
		return 0;
	cr0 = (uint32_t)c->s->cr0 & (CR0_MP | CR0_EM | CR0_TS | CR0_NE);
	if (c->model->family < CPU_80486)
		cr0 &= ~(uint32_t)CR0_NE;
	return cr0;
}

int x86i_fpu_timing(int fpu_model, enum cpu_family family)
{
	if (fpu_model == X87_8087)
		return X87_T_8087;
	if (fpu_model == X87_287)
		return X87_T_287;
	if (family <= CPU_80386)
		return X87_T_387;
	return family == CPU_80486 ? X87_T_486 : X87_T_PENTIUM;
}

/* Charges the clocks of ESC opcode i (after it ran without a fault). */
static void charge(struct x86i_cpu *c, const struct insn *i)
{
	unsigned n = x87_clocks((enum x87_timing_model)c->fpu_timing, i->op, i->modrm);
	unsigned base = c->t->base[i->op][(c->attr[i->op] & A_M) && i->mod != 3];

	if (c->biu)
		c->fpu_clk = (uint16_t)n;	/* added after the BIU's count */
	else if (c->fpu_timing < X87_T_486)
		clk(c, n);
	else if (n > base)
		clk(c, n - base);		/* base was charged this instruction */
	else
		c->s->cycles -= base - n;
}

/* The 8087's INT output: an unmasked exception pending and interrupts
 * enabled (IEM clear, FENI).  Later coprocessors have no IEM. */
static int int_out(const struct x87 *f)
{
	return x87_pending(f) && !(f->model == X87_8087 && (f->cw & X87_CW_IEM));
}

/* Offsets wrap at 64 KiB on the 8086 family (no segment limit checks). */
static uint32_t op_off(const struct x86i_cpu *c, const struct insn *i, unsigned k)
{
	uint32_t off = i->ea + k;

	return c->segchk ? off : (uint16_t)off;
}

static void read_operand(struct x86i_cpu *c, const struct insn *i, uint8_t *b, unsigned n)
{
	unsigned k = 0;

	if (n == 2 || n == 4 || n == 8) {
		for (; k < n; k += n == 2 ? 2 : 4) {
			uint32_t v = n == 2 ? rd16(c, i->seg, op_off(c, i, k))
					    : rd32(c, i->seg, op_off(c, i, k));
			for (unsigned j = 0; j < (n == 2 ? 2u : 4u); j++)
				b[k + j] = (uint8_t)(v >> 8 * j);
		}
		return;
	}
	for (; k < n; k++)
		b[k] = rd8(c, i->seg, op_off(c, i, k));
}

/* Faults now if any byte of the destination is outside the segment or on a
 * page that cannot be written, so the FPU is not changed by a store that
 * then faults.  Both ends cover every case (operands are at most 108
 * bytes, less than a page: at most two pages). */
static void probe_store(struct x86i_cpu *c, const struct insn *i, unsigned n)
{
	uint32_t first = op_off(c, i, 0), last = op_off(c, i, n - 1);

	seg_check(c, i->seg, first, 1, 1);
	seg_check(c, i->seg, last, 1, 1);
	if (c->s->cr0 & CR0_PG) {
		x86i_pcache_fill_wr(c, lin(c, i->seg, first));
		x86i_pcache_fill_wr(c, lin(c, i->seg, last));
	}
}

static void write_operand(struct x86i_cpu *c, const struct insn *i, const uint8_t *b,
			  unsigned n)
{
	if (n == 2) {
		wr16(c, i->seg, i->ea, (uint16_t)(b[0] | b[1] << 8));
		return;
	}
	if (n == 4 || n == 8) {
		for (unsigned k = 0; k < n; k += 4)
			wr32(c, i->seg, op_off(c, i, k), b[k] | (uint32_t)b[k + 1] << 8 |
				 (uint32_t)b[k + 2] << 16 | (uint32_t)b[k + 3] << 24);
		return;
	}
	for (unsigned k = 0; k < n; k++)
		wr8(c, i->seg, op_off(c, i, k), b[k]);
}

static void fault(struct x86i_cpu *c, struct insn *i, int rc)
{
	if (rc == X87_NM)
		x86i_raise(c, X86I_NM, -1);
	if (rc == X87_MF)
		x86i_raise(c, X86I_MF, -1);
	if (rc == X87_UD)
		x86i_undefined(c, i);
}

void x86i_esc(struct x86i_cpu *c, struct insn *i)
{
	struct x87 f;
	struct x87_op op;
	struct x87_ctx ctx;
	struct x87_result res;
	uint8_t in[FPU_OP_MAX], out[FPU_OP_MAX];
	unsigned n = 0;
	int rc, was_pending, was_int;

	x87_decode(i->op, i->modrm, &op);
	ctx.cr0 = fpu_cr0(c);
	if (ctx.cr0 & (CR0_EM | CR0_TS))
		x86i_raise(c, X86I_NM, -1);
	if (!c->fpu_model) {
		/* No coprocessor: the CPU still reads the operand, and nothing
		 * answers, so FNSTSW/FNSTCW leave memory as it was. */
		if (i->mod != 3)
			(void)rd16(c, i->seg, i->ea);
		return;
	}
	f.model = (enum x87_model)c->fpu_model;
	f.features = c->model->family >= CPU_PENTIUM2 ? X87_FEAT_P6 : 0;
	x87_from_fxsave(&f, c->s->fxsave);
	was_pending = x87_pending(&f);
	was_int = int_out(&f);
	ctx.eflags = (uint32_t)c->s->rflags;
	ctx.op32 = i->osz == 4;
	ctx.pmode = pmode(c) && !(c->s->rflags & X86_VM);
	ctx.cs = c->s->seg[X86_CS].sel;
	ctx.ip = i->ip0;
	ctx.ds = c->s->seg[i->seg].sel;
	ctx.ea = i->mod != 3 ? i->ea : 0;
	/* #UD and #MF come before any operand access. */
	if (op.undefined)
		fault(c, i, X87_UD);
	if (!op.nowait && was_pending && (ctx.cr0 & CR0_NE))
		x86i_raise(c, X86I_MF, -1);
	if (op.mem) {
		n = x87_mem_size((enum x87_mem_kind)op.kind, ctx.op32);
		if (n > FPU_OP_MAX)
			x86i_undefined(c, i);	/* FXSAVE kinds never come from ESC */
		if (op.dir & X87_LOAD)
			read_operand(c, i, in, n);
		if (op.dir & X87_STORE)
			probe_store(c, i, n);
	}
	rc = x87_exec(&f, &op, &ctx, in, out, &res);
	if (rc != X87_OK) {
		fault(c, i, rc);
		return;		/* #UD on a CPU without it: no effect */
	}
	x87_to_fxsave(&f, c->s->fxsave);
	if (res.store && n)
		write_operand(c, i, out, n);
	if (res.set_ax)
		w16(c, X86_RAX, res.ax);
	if (res.eflags_mask)
		c->s->rflags = (c->s->rflags & ~(uint64_t)res.eflags_mask) |
			       (res.eflags & res.eflags_mask);
	charge(c, i);
	/* FERR# (the 8087's INT) rises with ES; the AT latches it onto IRQ13,
	 * the XT passes it to NMI. */
	if (int_out(&f) && !was_int && !(ctx.cr0 & CR0_NE))
		fpu_irq_ferr(c->m->fpu_irq);
	else if (!int_out(&f) && was_int)
		fpu_irq_ferr_low(c->m->fpu_irq);
}

void x86i_wait(struct x86i_cpu *c, struct insn *i)
{
	struct x87 f;
	struct x87_ctx ctx = { .cr0 = fpu_cr0(c) };
	int rc;

	f.model = (enum x87_model)c->fpu_model;
	f.sw = (uint16_t)(c->s->fxsave[2] | c->s->fxsave[3] << 8);
	rc = x87_wait(&f, &ctx);
	if (rc != X87_OK)
		fault(c, i, rc);
}
