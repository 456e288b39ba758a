/* Protected-mode far transfers: JMP and CALL to code segments, call gates
 * (with the inner-level stack switch and parameter copy), task gates and
 * TSS descriptors; RETF and IRET to the same or an outer level.  Every
 * check happens before any register changes, so a fault restarts the
 * instruction cleanly. */
#include "cpu/x86-interp/x86i_priv.h"
#include "cpu/x86-interp/x86i_prot.h"

static void read_or_gp(struct x86i_cpu *c, uint16_t sel, struct x86i_desc *d)
{
	if (!(sel & ~3))
		x86i_raise(c, X86I_GP, 0);
	if (x86i_desc_read(c, sel, d))
		x86i_raise(c, X86I_GP, sel & 0xfffc);
}

/* Direct JMP/CALL to a code segment: no privilege change. */
static void check_direct_code(struct x86i_cpu *c, uint16_t sel, const struct x86i_desc *d)
{
	unsigned dpl = desc_dpl(d), rpl = sel & 3;

	if (!(d->hi & 0x800))
		x86i_raise(c, X86I_GP, sel & 0xfffc);
	if ((d->hi & 0x400) ? dpl > c->cpl : (rpl > c->cpl || dpl != c->cpl))
		x86i_raise(c, X86I_GP, sel & 0xfffc);
	if (!desc_present(d))
		x86i_raise(c, X86I_NP, sel & 0xfffc);
}

static void check_offset(struct x86i_cpu *c, const struct x86i_desc *d, uint32_t off)
{
	if (off > x86i_desc_limit(d))
		x86i_raise(c, X86I_GP, 0);
}

/* Through a task gate or straight at a TSS descriptor. */
static void to_task(struct x86i_cpu *c, uint16_t sel, struct x86i_desc *d,
		    enum x86i_ts_reason why)
{
	unsigned dpl = desc_dpl(d), rpl = sel & 3;
	struct x86i_desc t;

	if (dpl < c->cpl || dpl < rpl)
		x86i_raise(c, X86I_GP, sel & 0xfffc);
	if (!desc_present(d))
		x86i_raise(c, X86I_NP, sel & 0xfffc);
	if (desc_type(d) == DT_TASK) {
		uint16_t tsel = (uint16_t)(d->lo >> 16);
		if ((tsel & 4) || x86i_desc_read(c, tsel, &t))
			x86i_raise(c, X86I_GP, tsel & 0xfffc);
		x86i_task_switch(c, tsel, &t, why);
	} else {
		x86i_task_switch(c, sel, d, why);
	}
}

/* Reads a call gate's target; returns its code descriptor in *cd. */
static void gate_target(struct x86i_cpu *c, uint16_t sel, const struct x86i_desc *g,
			uint16_t *tsel, uint32_t *toff, struct x86i_desc *cd)
{
	unsigned dpl = desc_dpl(g), rpl = sel & 3;

	if (dpl < c->cpl || dpl < rpl)
		x86i_raise(c, X86I_GP, sel & 0xfffc);
	if (!desc_present(g))
		x86i_raise(c, X86I_NP, sel & 0xfffc);
	*tsel = (uint16_t)(g->lo >> 16);
	*toff = g->lo & 0xffff;
	if (desc_type(g) == DT_CALL32)
		*toff |= g->hi & 0xffff0000u;
	read_or_gp(c, *tsel, cd);
	if (!(cd->hi & 0x1000) || !(cd->hi & 0x800) || desc_dpl(cd) > c->cpl)
		x86i_raise(c, X86I_GP, *tsel & 0xfffc);
	if (!desc_present(cd))
		x86i_raise(c, X86I_NP, *tsel & 0xfffc);
}

static int is_gate_or_task(unsigned type)
{
	switch (type) {
	case DT_CALL16: case DT_TASK: case DT_TSS16:
		return 1;
	case DT_CALL32: case DT_TSS32:
		return 2;
	default:
		return 0;
	}
}

static void check_system(struct x86i_cpu *c, uint16_t sel, const struct x86i_desc *d)
{
	int k = is_gate_or_task(desc_type(d));

	if (!k || (k == 2 && !(c->feat & CPUF_386)))
		x86i_raise(c, X86I_GP, sel & 0xfffc);
}

void x86i_far_jmp(struct x86i_cpu *c, uint16_t sel, uint32_t off, unsigned osz)
{
	struct x86i_desc d, cd;
	uint16_t tsel;
	uint32_t toff;

	read_or_gp(c, sel, &d);
	if (d.hi & 0x1000) {
		check_direct_code(c, sel, &d);
		check_offset(c, &d, off);
		x86i_load_cs(c, sel, &d, c->cpl);
		c->s->rip = off;
		return;
	}
	check_system(c, sel, &d);
	if (desc_type(&d) != DT_CALL16 && desc_type(&d) != DT_CALL32) {
		to_task(c, sel, &d, TS_JMP);
		return;
	}
	gate_target(c, sel, &d, &tsel, &toff, &cd);
	/* JMP never changes privilege. */
	if (!(cd.hi & 0x400) && desc_dpl(&cd) != c->cpl)
		x86i_raise(c, X86I_GP, tsel & 0xfffc);
	check_offset(c, &cd, toff);
	x86i_load_cs(c, tsel, &cd, c->cpl);
	c->s->rip = toff;
	(void)osz;
}

void x86i_far_call(struct x86i_cpu *c, uint16_t sel, uint32_t off, unsigned osz)
{
	struct x86_state *s = c->s;
	struct x86i_desc d, cd;
	uint16_t tsel, nss;
	uint32_t toff, nsp;
	unsigned dpl, count, gsz;
	struct x86i_stack k;
	uint32_t osp = get_sp(c);

	read_or_gp(c, sel, &d);
	if (d.hi & 0x1000) {
		check_direct_code(c, sel, &d);
		check_offset(c, &d, off);
		pushv(c, osz, s->seg[X86_CS].sel);
		pushv(c, osz, ip(c));
		x86i_load_cs(c, sel, &d, c->cpl);
		s->rip = off;
		return;
	}
	check_system(c, sel, &d);
	if (desc_type(&d) != DT_CALL16 && desc_type(&d) != DT_CALL32) {
		to_task(c, sel, &d, TS_CALL);
		return;
	}
	gate_target(c, sel, &d, &tsel, &toff, &cd);
	dpl = desc_dpl(&cd);
	check_offset(c, &cd, toff);
	/* The gate's size decides what is pushed. */
	gsz = desc_type(&d) == DT_CALL32 ? 4 : 2;
	if ((cd.hi & 0x400) || dpl == c->cpl) {
		pushv(c, gsz, s->seg[X86_CS].sel);
		pushv(c, gsz, ip(c));
		x86i_load_cs(c, tsel, &cd, c->cpl);
		s->rip = toff;
		return;
	}
	/* More privileged: new stack from the TSS, then SS:SP, the
	 * parameters (same order as on the caller's stack) and CS:IP. */
	x86i_tss_stack(c, dpl, &nss, &nsp);
	x86i_stack_load(c, nss, dpl, &k, X86I_TS);
	k.sp = nsp;
	count = d.hi & 0x1f;
	x86i_stack_push(c, &k, s->seg[X86_SS].sel, gsz);
	x86i_stack_push(c, &k, osp, gsz);
	for (unsigned n = count; n-- > 0;) {
		uint32_t a = osp + gsz * n;
		if (!ss32(c))
			a &= 0xffff;
		x86i_stack_push(c, &k, rdm(c, X86_SS, a, gsz), gsz);
	}
	x86i_stack_push(c, &k, s->seg[X86_CS].sel, gsz);
	x86i_stack_push(c, &k, ip(c), gsz);
	s->seg[X86_SS] = k.seg;
	set_sp(c, k.sp);
	x86i_load_cs(c, tsel, &cd, dpl);
	s->rip = toff;
}

/* Checks the CS a RETF/IRET pops; returns its RPL (the new CPL). */
static unsigned check_return_cs(struct x86i_cpu *c, uint16_t sel, struct x86i_desc *d)
{
	unsigned rpl = sel & 3, dpl;

	read_or_gp(c, sel, d);
	dpl = desc_dpl(d);
	if (rpl < c->cpl || !(d->hi & 0x1000) || !(d->hi & 0x800))
		x86i_raise(c, X86I_GP, sel & 0xfffc);
	if ((d->hi & 0x400) ? dpl > rpl : dpl != rpl)
		x86i_raise(c, X86I_GP, sel & 0xfffc);
	if (!desc_present(d))
		x86i_raise(c, X86I_NP, sel & 0xfffc);
	return rpl;
}

/* An offset on the current stack, wrapped to 16 bits for a 16-bit SS. */
static uint32_t stk_at(struct x86i_cpu *c, uint32_t sp, uint32_t delta)
{
	return ss32(c) ? sp + delta : (uint16_t)(sp + delta);
}

/* The outer level's SS:SP from the inner stack at offset at. */
static void outer_stack(struct x86i_cpu *c, uint32_t sp, uint32_t delta, unsigned osz,
			unsigned rpl, struct x86i_stack *k)
{
	uint32_t nsp = rdm(c, X86_SS, stk_at(c, sp, delta), osz);
	uint16_t nss = rd16(c, X86_SS, stk_at(c, sp, delta + osz));

	x86i_stack_load(c, nss, rpl, k, X86I_GP);
	k->sp = nsp;
}

/* Sets SP/ESP of a stack that just became SS (B bit of its cache). */
static void set_new_sp(struct x86i_cpu *c, uint32_t sp)
{
	if (c->s->seg[X86_SS].attr & 0x4000)
		w32(c, X86_RSP, sp);
	else
		w16(c, X86_RSP, (uint16_t)sp);
}

void x86i_far_ret(struct x86i_cpu *c, uint16_t pop_bytes, unsigned osz)
{
	struct x86_state *s = c->s;
	uint32_t sp = get_sp(c);
	uint32_t nip = rdm(c, X86_SS, sp, osz);
	uint16_t sel = rd16(c, X86_SS, stk_at(c, sp, osz));
	struct x86i_desc d;
	struct x86i_stack k;
	unsigned rpl = check_return_cs(c, sel, &d);

	if (osz == 2)
		nip &= 0xffff;
	check_offset(c, &d, nip);
	if (rpl == c->cpl) {
		x86i_load_cs(c, sel, &d, rpl);
		s->rip = nip;
		set_sp(c, sp + 2 * osz + pop_bytes);
		return;
	}
	outer_stack(c, sp, 2 * osz + pop_bytes, osz, rpl, &k);
	x86i_load_cs(c, sel, &d, rpl);
	s->rip = nip;
	s->seg[X86_SS] = k.seg;
	set_new_sp(c, k.sp + pop_bytes);
	x86i_seg_outer_clear(c);
}

/* IRETD to virtual-8086 mode (from CPL 0 with VM set in the image):
 * EIP, CS, EFLAGS, ESP, SS, ES, DS, FS, GS. */
static void iret_to_v86(struct x86i_cpu *c, uint32_t sp, uint32_t nip, uint16_t sel,
			uint32_t nfl)
{
	struct x86_state *s = c->s;
	uint32_t v[6];
	static const int order[4] = { X86_ES, X86_DS, X86_FS, X86_GS };

	for (int n = 0; n < 6; n++)
		v[n] = rd32(c, X86_SS, stk_at(c, sp, 12 + 4u * n));
	s->rflags = (nfl & 0x3f7fd5u) | 2;
	x86i_set_cpl(c, 3);
	x86i_load_sreg(c, X86_CS, sel);
	s->rip = nip & 0xffff;
	x86i_load_sreg(c, X86_SS, (uint16_t)v[1]);
	w32(c, X86_RSP, v[0]);
	for (int n = 0; n < 4; n++)
		x86i_load_sreg(c, order[n], (uint16_t)v[2 + n]);
	x86i_pcache_flush(c);
}

void x86i_iret_pm(struct x86i_cpu *c, unsigned osz)
{
	struct x86_state *s = c->s;
	uint32_t sp = get_sp(c), nip, nfl;
	uint16_t sel;
	struct x86i_desc d;
	struct x86i_stack k;
	unsigned rpl;

	if (s->rflags & X86_VM) {
		/* In V86 mode IRET is IOPL-sensitive and stays in V86. */
		if (((s->rflags >> 12) & 3) < 3) {
			if (osz != 2 || !x86i_vif_mode(c))
				x86i_raise(c, X86I_GP, 0);
			nip = pop16(c);
			sel = pop16(c);
			x86i_vif_load_flags(c, pop16(c));
			x86i_load_sreg(c, X86_CS, sel);
			s->rip = nip;
			return;
		}
		nip = popv(c, osz);
		sel = (uint16_t)popv(c, osz);
		nfl = popv(c, osz);
		x86i_load_sreg(c, X86_CS, sel);
		s->rip = nip & 0xffff;
		if (osz == 4)
			x86i_set_eflags(c, nfl, 1);
		else
			x86i_set_flags(c, (uint16_t)nfl);
		return;
	}
	if (s->rflags & X86_NT) {
		uint16_t link = lrd16(c, (uint32_t)s->tr.base);
		if ((link & 4) || x86i_desc_read(c, link, &d))
			x86i_raise(c, X86I_TS, link & 0xfffc);
		x86i_task_switch(c, link, &d, TS_IRET);
		return;
	}
	nip = rdm(c, X86_SS, sp, osz);
	sel = rd16(c, X86_SS, stk_at(c, sp, osz));
	nfl = rdm(c, X86_SS, stk_at(c, sp, 2 * osz), osz);
	if (osz == 4 && (nfl & X86_VM) && c->cpl == 0 && (c->feat & CPUF_386)) {
		iret_to_v86(c, sp, nip, sel, nfl);
		return;
	}
	if (osz == 2)
		nip &= 0xffff;
	rpl = check_return_cs(c, sel, &d);
	check_offset(c, &d, nip);
	if (rpl == c->cpl) {
		if (osz == 4)
			x86i_set_eflags(c, nfl, 1);
		else
			x86i_set_flags(c, (uint16_t)nfl);
		x86i_load_cs(c, sel, &d, rpl);
		s->rip = nip;
		set_sp(c, sp + 3 * osz);
		return;
	}
	outer_stack(c, sp, 3 * osz, osz, rpl, &k);
	if (osz == 4)
		x86i_set_eflags(c, nfl, 1);
	else
		x86i_set_flags(c, (uint16_t)nfl);
	x86i_load_cs(c, sel, &d, rpl);
	s->rip = nip;
	s->seg[X86_SS] = k.seg;
	set_new_sp(c, k.sp);
	x86i_seg_outer_clear(c);
}
