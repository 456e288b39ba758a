/* Hardware task switches through a TSS descriptor or a task gate (JMP,
 * CALL, INT/exception, IRET with NT): save the outgoing task into its TSS,
 * busy bits and back link, load the incoming task and check its segments
 * (faults there are #TS in the new task's context).  16-bit (80286) TSS
 * layout; the 32-bit layout where the model has it. */
#include "cpu/x86-interp/x86i_priv.h"
#include "cpu/x86-interp/x86i_prot.h"

/* 16-bit TSS offsets. */
enum {
	T16_LINK = 0, T16_IP = 14, T16_FLAGS = 16, T16_AX = 18, T16_ES = 34,
	T16_LDT = 42, T16_MIN_LIMIT = 43,
};
/* 32-bit TSS offsets. */
enum {
	T32_LINK = 0, T32_CR3 = 0x1c, T32_EIP = 0x20, T32_EFLAGS = 0x24, T32_EAX = 0x28,
	T32_ES = 0x48, T32_LDT = 0x60, T32_MIN_LIMIT = 0x67,
};

static uint32_t lrd32(struct x86i_cpu *c, uint32_t a)
{
	return lrd16(c, a) | (uint32_t)lrd16(c, a + 2) << 16;
}

static void lwr32(struct x86i_cpu *c, uint32_t a, uint32_t v)
{
	lwr16(c, a, (uint16_t)v);
	lwr16(c, a + 2, (uint16_t)(v >> 16));
}

static void set_busy(struct x86i_cpu *c, struct x86i_desc *d, int busy)
{
	if (busy)
		d->hi |= 0x200;
	else
		d->hi &= ~0x200u;
	lwr8(c, d->addr + 5, (uint8_t)(d->hi >> 8));
}

static void save_task(struct x86i_cpu *c, uint32_t flags)
{
	struct x86_state *s = c->s;
	uint32_t b = (uint32_t)s->tr.base;

	if ((s->tr.attr & 0xf) == DT_TSS32_BUSY) {
		lwr32(c, b + T32_EIP, (uint32_t)s->rip);
		lwr32(c, b + T32_EFLAGS, flags);
		for (int r = 0; r < 8; r++)
			lwr32(c, b + T32_EAX + 4u * r, (uint32_t)s->gpr[r]);
		for (int r = 0; r < 6; r++)
			lwr16(c, b + T32_ES + 4u * r, s->seg[r].sel);
	} else {
		lwr16(c, b + T16_IP, ip(c));
		lwr16(c, b + T16_FLAGS, (uint16_t)flags);
		for (int r = 0; r < 8; r++)
			lwr16(c, b + T16_AX + 2u * r, r16(c, r));
		for (int r = 0; r < 4; r++)
			lwr16(c, b + T16_ES + 2u * r, s->seg[r].sel);
	}
}

/* Loads a segment register of the incoming task; faults are #TS(sel)
 * (#NP/#SS when not present). */
static void task_seg(struct x86i_cpu *c, int sreg, uint16_t sel)
{
	struct x86i_desc d;
	struct x86_seg *sg = &c->s->seg[sreg];
	int err = sel & 0xfffc;
	unsigned type, dpl, rpl = sel & 3;

	if (c->s->rflags & X86_VM) {
		sg->sel = sel;
		sg->base = (uint32_t)sel << 4;
		sg->limit = 0xffff;
		sg->attr = sreg == X86_CS ? 0xfb : 0xf3;
		return;
	}
	if (!(sel & ~3)) {
		if (sreg == X86_SS || sreg == X86_CS)
			x86i_raise(c, X86I_TS, err);
		sg->sel = sel;
		sg->attr = 0;
		sg->base = 0;
		sg->limit = 0;
		return;
	}
	if (x86i_desc_read(c, sel, &d))
		x86i_raise(c, X86I_TS, err);
	type = desc_type(&d);
	dpl = desc_dpl(&d);
	if (sreg == X86_CS) {
		if ((type & 0x18) != 0x18 ||
		    ((type & 4) ? dpl > rpl : dpl != rpl))
			x86i_raise(c, X86I_TS, err);
		if (!desc_present(&d))
			x86i_raise(c, X86I_NP, err);
	} else if (sreg == X86_SS) {
		if ((type & 0x1a) != 0x12 || dpl != c->cpl || rpl != c->cpl)
			x86i_raise(c, X86I_TS, err);
		if (!desc_present(&d))
			x86i_raise(c, X86I_SS, err);
	} else {
		if (!(type & 0x10) || (type & 0x1a) == 0x18)
			x86i_raise(c, X86I_TS, err);
		if ((type & 0x1c) != 0x1c && (dpl < c->cpl || dpl < rpl))
			x86i_raise(c, X86I_TS, err);
		if (!desc_present(&d))
			x86i_raise(c, X86I_NP, err);
	}
	x86i_desc_touch(c, &d);
	x86i_desc_to_seg(&d, sel, sg);
}

static void task_ldt(struct x86i_cpu *c, uint16_t sel)
{
	struct x86i_desc d;
	struct x86_seg *l = &c->s->ldtr;

	if (!(sel & ~3)) {
		l->sel = sel;
		l->attr = 0;
		l->base = 0;
		l->limit = 0;
		return;
	}
	if ((sel & 4) || x86i_desc_read(c, sel, &d) || desc_type(&d) != DT_LDT)
		x86i_raise(c, X86I_TS, sel & 0xfffc);
	if (!desc_present(&d))
		x86i_raise(c, X86I_TS, sel & 0xfffc);
	x86i_desc_to_seg(&d, sel, l);
}

void x86i_task_switch(struct x86i_cpu *c, uint16_t sel, struct x86i_desc *d,
		      enum x86i_ts_reason why)
{
	struct x86_state *s = c->s;
	unsigned type = desc_type(d);
	int is32 = (type & 8) != 0, err = sel & 0xfffc;
	uint32_t base = x86i_desc_base(d), limit = x86i_desc_limit(d);
	uint32_t nflags, nip, oflags = (uint32_t)s->rflags;
	uint16_t segs[6] = { 0 }, ldt, old_tr = s->tr.sel;
	uint32_t gprs[8];
	struct x86i_desc od;

	if (is32 && !(c->feat & CPUF_386))
		x86i_raise(c, X86I_GP, err);
	if ((type & ~0xau) != 1)
		x86i_raise(c, X86I_GP, err);
	if (why == TS_IRET) {
		if (!(type & 2))
			x86i_raise(c, X86I_TS, err);
	} else if (type & 2) {
		x86i_raise(c, X86I_GP, err);
	}
	if (!desc_present(d))
		x86i_raise(c, X86I_NP, err);
	if (limit < (is32 ? T32_MIN_LIMIT : T16_MIN_LIMIT))
		x86i_raise(c, X86I_TS, err);

	/* Outgoing task. */
	if (why == TS_IRET)
		oflags &= ~(uint32_t)X86_NT;
	save_task(c, oflags);
	if ((why == TS_JMP || why == TS_IRET) && !x86i_desc_read(c, old_tr, &od))
		set_busy(c, &od, 0);

	/* Incoming task image. */
	if (is32) {
		nip = lrd32(c, base + T32_EIP);
		nflags = lrd32(c, base + T32_EFLAGS);
		for (int r = 0; r < 8; r++)
			gprs[r] = lrd32(c, base + T32_EAX + 4u * r);
		for (int r = 0; r < 6; r++)
			segs[r] = lrd16(c, base + T32_ES + 4u * r);
		ldt = lrd16(c, base + T32_LDT);
	} else {
		nip = lrd16(c, base + T16_IP);
		nflags = lrd16(c, base + T16_FLAGS) | (oflags & 0xffff0000u);
		for (int r = 0; r < 8; r++)
			gprs[r] = lrd16(c, base + T16_AX + 2u * r);
		for (int r = 0; r < 4; r++)
			segs[r] = lrd16(c, base + T16_ES + 2u * r);
		ldt = lrd16(c, base + T16_LDT);
	}
	if (why == TS_CALL || why == TS_INT) {
		lwr16(c, base + T16_LINK, old_tr);
		nflags |= X86_NT;
	}
	if (why != TS_IRET)
		set_busy(c, d, 1);

	/* A 32-bit TSS switches address spaces too. */
	if (is32 && (s->cr0 & 0x80000000u)) {
		s->cr3 = lrd32(c, base + T32_CR3);
		x86i_pcache_flush(c);
	}
	/* From here on the new task is current; faults belong to it. */
	x86i_desc_to_seg(d, sel, &s->tr);
	s->tr.attr |= 0x2;
	s->cr0 |= 8;	/* TS */
	for (int r = 0; r < 8; r++) {
		if (is32)
			s->gpr[r] = gprs[r];
		else
			w16(c, r, (uint16_t)gprs[r]);
	}
	s->rip = is32 ? nip : (uint16_t)nip;
	s->rflags = (nflags & ~0x8028u) | 2;
	if (!is32)
		s->rflags = (s->rflags & 0xffff) | (oflags & 0xffff0000u & ~(uint32_t)X86_VM);
	/* Selectors first, so a fault shows the new task's values. */
	for (int r = 0; r < (is32 ? 6 : 4); r++)
		s->seg[r].sel = segs[r];
	s->ldtr.sel = ldt;
	c->ip0 = ip(c);
	c->sp0 = s->gpr[X86_RSP];
	x86i_set_cpl(c, (s->rflags & X86_VM) ? 3 : (segs[X86_CS] & 3u));
	task_ldt(c, ldt);
	task_seg(c, X86_CS, segs[X86_CS]);
	task_seg(c, X86_SS, segs[X86_SS]);
	task_seg(c, X86_DS, segs[X86_DS]);
	task_seg(c, X86_ES, segs[X86_ES]);
	if (is32) {
		task_seg(c, X86_FS, segs[X86_FS]);
		task_seg(c, X86_GS, segs[X86_GS]);
	}
	x86i_ac_update(c);
	if ((uint32_t)s->rip > s->seg[X86_CS].limit)
		x86i_raise(c, X86I_GP, 0);
	x86i_pcache_flush(c);
}
