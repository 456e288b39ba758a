/* Interrupts and exceptions: raising a fault from inside an instruction
 * (unwinding to the step loop), delivery through the real-mode vector table
 * or the protected-mode IDT (interrupt, trap and task gates, inner-level
 * stacks from the TSS), double fault and shutdown. */
#include "cpu/x86-interp/x86i_priv.h"
#include "cpu/x86-interp/x86i_prot.h"

_Noreturn void x86i_raise(struct x86i_cpu *c, int vec, int err)
{
	if (err >= 0 && c->exc_ext)
		err |= 1;
	c->exc_vec = vec;
	c->exc_err = err;
	set_ip(c, c->ip0);
	c->s->gpr[X86_RSP] = c->sp0;
	siglongjmp(c->jb, 1);
}

/* #DE, #TS, #NP, #SS and #GP: two of them in a row make a double fault. */
static int contributory(int vec)
{
	return vec == X86I_DE || (vec >= X86I_TS && vec <= X86I_GP);
}

void x86i_exception_landed(struct x86i_cpu *c)
{
	int vec = c->exc_vec, err = c->exc_err, first = c->exc_first;

	c->exc_ext = 0;
	if (first >= 0) {
		if (first == X86I_DF) {
			/* Triple fault: the CPU stops and signals shutdown. */
			c->exc_first = -1;
			c->s->run_state = X86_SHUTDOWN;
			return;
		}
		if ((contributory(first) && contributory(vec)) ||
		    (first == X86I_PF && (contributory(vec) || vec == X86I_PF))) {
			vec = X86I_DF;
			err = 0;
		}
	}
	/* Without protected mode there are no error codes. */
	if (!(c->feat & CPUF_PROT) || !pmode(c))
		err = -1;
	c->exc_first = vec;
	x86i_deliver(c, vec, err, X86I_EV_EXC);
	c->exc_first = -1;
}

void x86i_stack_push(struct x86i_cpu *c, struct x86i_stack *k, uint32_t v, unsigned sz)
{
	uint32_t lo, hi, sp = (uint16_t)(k->sp - sz);

	if (k->seg.attr & 0x4000)
		sp = k->sp - sz;
	x86i_seg_range(&k->seg, &lo, &hi);
	if (sp < lo || (uint64_t)sp + sz - 1 > hi)
		x86i_raise(c, X86I_SS, k->err);
	lwr16(c, (uint32_t)k->seg.base + sp, (uint16_t)v);
	if (sz == 4)
		lwr16(c, (uint32_t)k->seg.base + sp + 2, (uint16_t)(v >> 16));
	k->sp = sp;
}

void x86i_tss_stack(struct x86i_cpu *c, unsigned pl, uint16_t *ss, uint32_t *sp)
{
	const struct x86_seg *tr = &c->s->tr;
	uint32_t base = (uint32_t)tr->base;
	int err = tr->sel & 0xfffc;

	if ((tr->attr & 0xf) == DT_TSS32_BUSY) {
		uint32_t o = 4 + pl * 8;
		if (o + 5 > tr->limit)
			x86i_raise(c, X86I_TS, err);
		*sp = lrd16(c, base + o) | (uint32_t)lrd16(c, base + o + 2) << 16;
		*ss = lrd16(c, base + o + 4);
	} else {
		uint32_t o = 2 + pl * 4;
		if (o + 3 > tr->limit)
			x86i_raise(c, X86I_TS, err);
		*sp = lrd16(c, base + o);
		*ss = lrd16(c, base + o + 2);
	}
}

void x86i_stack_load(struct x86i_cpu *c, uint16_t sel, unsigned pl, struct x86i_stack *k,
		     int vec)
{
	struct x86i_desc d;
	int err = sel & 0xfffc;

	if (!(sel & ~3))
		x86i_raise(c, vec, 0);
	if (x86i_desc_read(c, sel, &d) || (sel & 3) != pl || desc_dpl(&d) != pl ||
	    (desc_type(&d) & 0x1a) != 0x12)
		x86i_raise(c, vec, err);
	if (!desc_present(&d))
		x86i_raise(c, X86I_SS, err);
	x86i_desc_touch(c, &d);
	x86i_desc_to_seg(&d, sel, &k->seg);
	k->err = err;
}

static void real_deliver(struct x86i_cpu *c, int vec)
{
	struct x86_state *s = c->s;
	uint32_t a = (uint32_t)s->idtr.base + (uint32_t)vec * 4u;
	uint16_t nip, ncs;

	if ((c->feat & CPUF_PROT) && (uint32_t)vec * 4u + 3 > s->idtr.limit)
		x86i_raise(c, X86I_GP, -1);
	push16(c, fl(c));
	/* Real-address mode also clears AC (SDM, INT n); no model before
	 * the 486 can have it set. */
	s->rflags &= ~(uint64_t)(X86_IF | X86_TF | X86_AC);
	push16(c, s->seg[X86_CS].sel);
	push16(c, ip(c));
	if (!c->bus16)
		clk(c, 2 * c->word_pen);
	if (c->biu) {
		x86i_biu_note(c->biu, 'R', a, 2);
		x86i_biu_note(c->biu, 'R', a + 2, 2);
	}
	nip = lrd16(c, a);
	ncs = lrd16(c, a + 2);
	x86i_load_sreg(c, X86_CS, ncs);
	set_ip(c, nip);
}

static void pm_deliver(struct x86i_cpu *c, int vec, int err, enum x86i_event kind)
{
	struct x86_state *s = c->s;
	uint32_t off = (uint32_t)vec * 8u, goff, a;
	int gerr = (int)off | 2;
	struct x86i_desc g, d;
	unsigned gtype, cdpl, gsz;
	uint16_t sel;
	uint32_t oflags = (uint32_t)s->rflags;
	struct x86i_stack k;
	int inner = 0, v86 = (s->rflags & X86_VM) != 0;

	/* INT n in V86 mode: with VME the TSS may redirect it to the V86
	 * vector table; otherwise IOPL < 3 sends it to the monitor. */
	if (v86 && kind == X86I_EV_SOFT) {
		if (x86i_vme_int(c, (uint8_t)vec))
			return;
		if (((s->rflags >> 12) & 3) < 3)
			x86i_raise(c, X86I_GP, 0);
	}
	if (off + 7 > s->idtr.limit)
		x86i_raise(c, X86I_GP, gerr);
	a = (uint32_t)s->idtr.base + off;
	g.addr = a;
	g.lo = lrd16(c, a) | (uint32_t)lrd16(c, a + 2) << 16;
	g.hi = lrd16(c, a + 4) | (uint32_t)lrd16(c, a + 6) << 16;
	gtype = desc_type(&g);
	switch (gtype) {
	case DT_TASK:
	case DT_INT16:
	case DT_TRAP16:
		break;
	case DT_INT32:
	case DT_TRAP32:
		if (c->feat & CPUF_386)
			break;
		/* fallthrough */
	default:
		x86i_raise(c, X86I_GP, gerr);
	}
	if (kind == X86I_EV_SOFT && desc_dpl(&g) < c->cpl)
		x86i_raise(c, X86I_GP, gerr);
	if (!desc_present(&g))
		x86i_raise(c, X86I_NP, gerr);
	sel = (uint16_t)(g.lo >> 16);
	if (gtype == DT_TASK) {
		if (x86i_desc_read(c, sel, &d) || (sel & 4))
			x86i_raise(c, X86I_TS, sel & 0xfffc);
		x86i_task_switch(c, sel, &d, TS_INT);
		if (err >= 0)
			pushv(c, (desc_type(&d) & 8) ? 4 : 2, (uint32_t)err);
		return;
	}
	gsz = (gtype & 8) ? 4 : 2;
	goff = (g.lo & 0xffff) | (g.hi & 0xffff0000u);
	if (gsz == 2)
		goff &= 0xffff;
	if (!(sel & ~3))
		x86i_raise(c, X86I_GP, 0);
	if (x86i_desc_read(c, sel, &d))
		x86i_raise(c, X86I_GP, sel & 0xfffc);
	cdpl = desc_dpl(&d);
	if (!(d.hi & 0x1000) || !(d.hi & 0x800) || cdpl > c->cpl)
		x86i_raise(c, X86I_GP, sel & 0xfffc);
	if (!desc_present(&d))
		x86i_raise(c, X86I_NP, sel & 0xfffc);
	if (!(d.hi & 0x400) && cdpl < c->cpl) {
		uint16_t nss;
		uint32_t nsp;
		/* From V86 only to a ring 0 handler. */
		if (v86 && cdpl != 0)
			x86i_raise(c, X86I_GP, sel & 0xfffc);
		x86i_tss_stack(c, cdpl, &nss, &nsp);
		x86i_stack_load(c, nss, cdpl, &k, X86I_TS);
		k.sp = nsp;
		if (v86) {
			x86i_stack_push(c, &k, s->seg[X86_GS].sel, gsz);
			x86i_stack_push(c, &k, s->seg[X86_FS].sel, gsz);
			x86i_stack_push(c, &k, s->seg[X86_DS].sel, gsz);
			x86i_stack_push(c, &k, s->seg[X86_ES].sel, gsz);
		}
		x86i_stack_push(c, &k, s->seg[X86_SS].sel, gsz);
		x86i_stack_push(c, &k, gsz == 4 ? r32(c, X86_RSP) : r16(c, X86_RSP), gsz);
		inner = 1;
	} else {
		if (v86)
			x86i_raise(c, X86I_GP, sel & 0xfffc);
		k.seg = s->seg[X86_SS];
		k.sp = get_sp(c);
		k.err = 0;
		cdpl = c->cpl;
	}
	if (goff > x86i_desc_limit(&d))
		x86i_raise(c, X86I_GP, 0);
	x86i_stack_push(c, &k, gsz == 4 ? oflags : (uint16_t)oflags, gsz);
	x86i_stack_push(c, &k, s->seg[X86_CS].sel, gsz);
	x86i_stack_push(c, &k, ip(c), gsz);
	if (err >= 0)
		x86i_stack_push(c, &k, (uint32_t)err, gsz);
	/* Commit. */
	s->rflags &= ~(uint64_t)(X86_TF | X86_NT | X86_VM | X86_RF);
	if (!(gtype & 1))
		s->rflags &= ~(uint64_t)X86_IF;
	if (v86) {
		static const struct x86_seg null_seg;
		s->seg[X86_ES] = s->seg[X86_DS] = null_seg;
		s->seg[X86_FS] = s->seg[X86_GS] = null_seg;
	}
	if (inner)
		s->seg[X86_SS] = k.seg;
	if (s->seg[X86_SS].attr & 0x4000)
		w32(c, X86_RSP, k.sp);
	else
		w16(c, X86_RSP, (uint16_t)k.sp);
	x86i_load_cs(c, sel, &d, cdpl);
	set_ip(c, goff);
	if (v86)
		x86i_pcache_flush(c);
}

void x86i_deliver(struct x86i_cpu *c, int vec, int err, enum x86i_event kind)
{
	c->exc_ext = kind != X86I_EV_SOFT;
	if ((c->feat & CPUF_PROT) && pmode(c))
		pm_deliver(c, vec, err, kind);
	else
		real_deliver(c, vec);
	c->exc_ext = 0;
}

void x86i_interrupt(struct x86i_cpu *c, uint8_t vec)
{
	x86i_deliver(c, vec, -1, X86I_EV_EXT);
}

void x86i_soft_int(struct x86i_cpu *c, uint8_t vec)
{
	x86i_deliver(c, vec, -1, X86I_EV_SOFT);
}

uint32_t x86i_flags_writable(struct x86i_cpu *c, int iret)
{
	uint32_t w = c->fl_writable;
	unsigned iopl = (c->s->rflags >> 12) & 3;

	if (!(c->feat & CPUF_PROT))
		return w;
	/* A real-mode 80286 keeps IOPL and NT clear; the 80386 does not. */
	if (!pmode(c))
		return (c->feat & CPUF_386) ? w | X86_IOPL | X86_NT : w;
	w |= X86_NT;
	if (c->cpl == 0)
		w |= X86_IOPL;
	if (c->cpl > iopl)
		w &= ~(uint32_t)X86_IF;
	(void)iret;
	return w;
}
