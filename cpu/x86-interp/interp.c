/* The interpreter's core: CPU object, reset, the page cache in front of
 * hw/memory, interrupt entry, the step and run loops and the trace. */
#include <stdlib.h>
#include <string.h>

#include "cpu/x86-interp/interp.h"
#include "cpu/x86-interp/x86i_block.h"
#include "cpu/x86-interp/x86i_priv.h"
#include "cpu/x86-interp/x86i_prot.h"
#include "cpu/x86-interp/x86i_trace.h"
#include "hw/fpu_irq.h"
#include "hw/lapic.h"

void x86i_pcache_flush(struct x86i_cpu *c)
{
	memset(c->pc, 0, sizeof(c->pc));
	c->gen = mem_generation(c->mem);
}

struct x86i_cpu *x86i_new(struct machine *m)
{
	struct x86i_cpu *c = calloc(1, sizeof(*c));
	unsigned bits;

	if (!c)
		return NULL;
	c->m = m;
	c->s = &m->cpu;
	c->mem = m->mem;
	c->model = m->model;
	c->lapic = m->apic ? apic_bus_cpu(m->apic, 0) : NULL;
	c->intr = &m->intr;
	c->feat = m->model->features & ~(uint32_t)CPUF_FPU;
	/* --fpu may add a coprocessor or take the built-in one away; CPUID
	 * and the ESC opcodes follow. */
	c->fpu_model = (uint8_t)fpu_irq_model(m);
	if (c->fpu_model)
		c->feat |= CPUF_FPU;
	c->fpu_timing = (uint8_t)x86i_fpu_timing(c->fpu_model, m->model->family);
	bits = m->model->addr_bits;
	c->addr_mask = bits >= 32 ? 0xffffffffu : (1u << bits) - 1;
	c->fl_fixed1 = m->model->family <= CPU_80186 ? 0xf002 : 0x0002;
	c->fl_writable = 0x0fd5;
	c->segchk = (c->feat & CPUF_PROT) != 0;
	c->max_len = (c->feat & CPUF_386) ? 15 : 10;
	if (m->model->family >= CPU_80486)
		c->efl_hi_writable |= X86_AC;
	if (m->model->family >= CPU_PENTIUM) {
		c->efl_hi_writable |= X86_ID;
		/* VME PVI TSD DE PSE MCE; PAE PGE PCE from the Pentium II. */
		c->cr4_writable = 0x01 | 0x02 | 0x04 | 0x08 | 0x10 | 0x40;
		if (m->model->family >= CPU_PENTIUM2)
			c->cr4_writable |= 0x20 | 0x80 | 0x100 | 0x200;	/* PAE PGE PCE OSFXSR */
		else if (c->feat & CPUF_MMX)
			c->cr4_writable |= 0x100;		/* PCE */
	}
	c->exc_first = -1;
	c->bus16 = m->model->bus_bytes >= 2;
	c->word_pen = 4;
	if (m->model->family == CPU_8086) {
		c->biu = malloc(sizeof(*c->biu));
		if (!c->biu) {
			free(c);
			return NULL;
		}
		x86i_biu_init(c->biu, m->model->queue_bytes, c->bus16 ? 2 : 1, &m->cpu.biu);
	}
	x86i_plain_update(c);
	{
		const char *bulk = getenv("TANDEM_REP_BULK");
		c->rep_bulk = !(bulk && !strcmp(bulk, "0"));
	}
	if (x86i_dcache_new(c) < 0) {
		free(c->biu);
		free(c);
		return NULL;
	}
	x86i_timing_init(&c->tim, c->feat);
	x86i_build_attr(c->attr_tab, c->feat);
	x86i_build_ops(c->op_tab, c->feat);
	x86i_build_0f(c->attr0f, c->op0f, c->feat, m->model->family);
	c->t = &c->tim;
	c->attr = c->attr_tab;
	c->ops = c->op_tab;
	c->deadline = UINT64_MAX;
	x86i_pcache_flush(c);
	return c;
}

void x86i_free(struct x86i_cpu *c)
{
	if (c) {
		free(c->biu);
		free(c->dc);
		x86i_trace_free(c);
	}
	free(c);
}

static void real_seg(struct x86_seg *sg, uint16_t sel, uint16_t attr)
{
	sg->sel = sel;
	sg->base = (uint64_t)sel << 4;
	sg->limit = 0xffff;
	sg->attr = attr;
}

void x86i_reset(struct x86i_cpu *c)
{
	struct x86_state *s = c->s;
	uint64_t cycles = s->cycles, insns = s->insns;

	memset(s, 0, sizeof(*s));
	s->cycles = cycles;
	s->insns = insns;
	for (int i = 0; i < X86_NR_SREG; i++)
		real_seg(&s->seg[i], 0, 0x93);
	real_seg(&s->seg[X86_CS], 0xf000, 0x9b);
	if (c->model->addr_bits > 20)
		s->seg[X86_CS].base = 0xffff0000u & c->addr_mask;
	s->rip = 0xfff0;
	s->rflags = c->fl_fixed1;
	s->idtr.limit = 0x3ff;
	s->gdtr.limit = 0xffff;
	s->ldtr.limit = 0xffff;
	s->ldtr.attr = 0x82;
	s->tr.limit = 0xffff;
	s->tr.attr = 0x83;
	s->run_state = X86_RUNNING;
	if (c->feat & CPUF_386) {
		s->dr[6] = 0xffff0ff0u;
		s->dr[7] = 0x400;
		/* EDX holds the CPU's signature after reset. */
		s->gpr[X86_RDX] = c->model->cpuid_sig ? c->model->cpuid_sig : 0x0303;
		if (c->model->family >= CPU_80486)
			s->cr0 = 0x60000010u;
		else if (c->fpu_model == 3)	/* X87_387 answers ERROR# at reset */
			s->cr0 = 0x10;
		/* The on-chip APIC resets with the CPU (a keyboard controller
		 * reboot must find virtual wire mode again). */
		if (c->lapic)
			lapic_cpu_reset(c->lapic);
		s->apic_base = c->lapic ? lapic_base_msr(c->lapic) : 0xfee00900u;
	}
	x86i_set_cpl(c, 0);
	c->tsc_mark = s->cycles;
	c->dbg_exec = 0;
	c->dbg_data = 0;
	x86i_plain_update(c);
	c->dbg_hit = 0;
	c->exc_first = -1;
	c->exc_ext = 0;
	x86i_pcache_flush(c);
	if (c->biu)
		x86i_biu_reset(c->biu, ip(c));
}

void x86i_select_cpu(struct x86i_cpu *c, int idx)
{
	struct machine *m = c->m;

	if (idx == c->cpu_index || idx < 0 || idx >= m->ncpus || !m->apic)
		return;
	c->cpu_index = idx;
	c->s = idx ? &m->ap_cpu[idx - 1] : &m->cpu;
	c->intr = idx ? &m->ap_intr[idx - 1] : &m->intr;
	c->lapic = apic_bus_cpu(m->apic, idx);
	apic_bus_set_current(m->apic, idx);
	x86i_state_loaded(c);
}

/* Recomputes what the interpreter derives from x86_state (CPL) after the
 * state was replaced from outside. */
void x86i_state_loaded(struct x86i_cpu *c)
{
	const struct x86_state *s = c->s;

	if (s->rflags & X86_VM)
		x86i_set_cpl(c, 3);
	else if (s->cr0 & 1)
		x86i_set_cpl(c, (s->seg[X86_SS].attr >> 5) & 3);
	else
		x86i_set_cpl(c, 0);
	c->exc_first = -1;
	c->exc_ext = 0;
	x86i_dr7_changed(c);
	c->tsc_mark = s->cycles;
	x86i_pcache_flush(c);
	if (c->biu)
		x86i_biu_load(c->biu, ip(c));
	/* Handed over from KVM, whose TSC rate the guest's pvclock area has. */
	if (s->kvm_system_time & 1)
		x86i_kvmclock_update(c);
}

void x86i_biu_charge(struct x86i_cpu *c, const struct insn *i, uint64_t t0, uint16_t cs0)
{
	const struct x86_state *s = c->s;
	uint16_t next = (uint16_t)(i->ip0 + i->len);
	struct x86i_biu_insn in = {
		.op = i->op,
		.modrm = (c->attr[i->op] & A_M) ? i->modrm : -1,
		.nprefix = (uint16_t)(i->op_ip - i->ip0),
		.len = i->len,
		.flushed = s->seg[X86_CS].sel != cs0 || ip(c) != next,
		.next_ip = ip(c),
		.rep = i->rep != 0,
	};
	int n;

	if (x86i_biu_is_rep_loop(c->biu, i->op, in.rep)) {
		in.cx = (uint16_t)s->gpr[X86_RCX];
		in.si = (uint16_t)s->gpr[X86_RSI];
		in.di = (uint16_t)s->gpr[X86_RDI];
		n = x86i_biu_end_rep(c->biu, &in);
	} else {
		n = x86i_biu_end(c->biu, &in);
	}

	if (n >= 0)
		c->s->cycles = t0 + (unsigned)n;
}

void x86i_set_flags(struct x86i_cpu *c, uint16_t v)
{
	uint32_t w = c->segchk ? x86i_flags_writable(c, 0) : c->fl_writable;
	/* Privileged bits the write may not change keep their value. */
	uint32_t keep = pmode(c) ? (X86_IOPL | X86_NT | X86_IF) & ~w : 0;
	uint64_t f = c->s->rflags;

	c->s->rflags = (f & ~(uint64_t)0xffff) | (f & keep) | (v & w) | c->fl_fixed1;
}

void x86i_set_eflags(struct x86i_cpu *c, uint32_t v, int iret)
{
	uint64_t f;

	x86i_set_flags(c, (uint16_t)v);
	/* VM, VIF and VIP stay; AC (486) and ID (CPUID) write; RF comes
	 * from an IRETD image (POPFD clears it). */
	f = c->s->rflags & ~(uint64_t)(0xffff0000u & ~(uint32_t)(X86_VM | X86_VIF | X86_VIP));
	c->s->rflags = f | (v & (c->efl_hi_writable | (iret ? X86_RF : 0)));
	x86i_ac_update(c);
}

void x86i_undefined(struct x86i_cpu *c, struct insn *i)
{
	if (!(c->feat & CPUF_UD_EXC))
		return;
	if (c->feat & CPUF_PROT)
		x86i_raise(c, X86I_UD, -1);
	set_ip(c, i->ip0);
	x86i_interrupt(c, 6);
	clk(c, c->t->intr);
}

void x86i_divide_error(struct x86i_cpu *c, struct insn *i)
{
	if (c->feat & CPUF_PROT)
		x86i_raise(c, X86I_DE, -1);
	if (!(c->feat & CPUF_DIV_IP_NEXT))
		set_ip(c, i->ip0);
	x86i_interrupt(c, 0);
	clk(c, c->t->intr);
}

#define TRACE_BYTES 8

static void trace_line(struct x86i_cpu *c, const struct insn *i)
{
	const struct x86_state *s = c->s;
	char hex[2 * TRACE_BYTES + 3];
	int n = 0;
	/* 386 and later models trace full 32-bit offsets and registers. */
	bool wide = (c->feat & CPUF_386) != 0;
	if (c->m->cfg && !trace_filter_pass(&c->m->cfg->trace_filter, c->cpl,
					    (uint32_t)lin(c, X86_CS, i->ip0)))
		return;

	/* Decoding fetched nothing with side effects, so re-read the bytes. */
	for (int k = 0; k < i->len && k < TRACE_BYTES; k++) {
		uint32_t off = wide && (s->seg[X86_CS].attr & 0x4000) ? i->ip0 + k
								      : (uint16_t)(i->ip0 + k);
		n += snprintf(hex + n, sizeof(hex) - (size_t)n, "%02X",
			      prd8(c, lin(c, X86_CS, off)));
	}
	if (i->len > TRACE_BYTES)
		snprintf(hex + n, sizeof(hex) - (size_t)n, "..");
	if (!wide) {
		fprintf(c->trace,
			"%04X:%04X  %-18s AX=%04X BX=%04X CX=%04X DX=%04X SP=%04X BP=%04X "
			"SI=%04X DI=%04X DS=%04X ES=%04X SS=%04X FL=%04X\n",
			s->seg[X86_CS].sel, i->ip0, hex,
			r16(c, X86_RAX), r16(c, X86_RBX), r16(c, X86_RCX), r16(c, X86_RDX),
			r16(c, X86_RSP), r16(c, X86_RBP), r16(c, X86_RSI), r16(c, X86_RDI),
			s->seg[X86_DS].sel, s->seg[X86_ES].sel, s->seg[X86_SS].sel, fl(c));
		return;
	}
	fprintf(c->trace,
		"%04X:%08X  %-18s EAX=%08X EBX=%08X ECX=%08X EDX=%08X ESP=%08X EBP=%08X "
		"ESI=%08X EDI=%08X DS=%04X ES=%04X SS=%04X FS=%04X GS=%04X EFL=%08X\n",
		s->seg[X86_CS].sel, i->ip0, hex,
		r32(c, X86_RAX), r32(c, X86_RBX), r32(c, X86_RCX), r32(c, X86_RDX),
		r32(c, X86_RSP), r32(c, X86_RBP), r32(c, X86_RSI), r32(c, X86_RDI),
		s->seg[X86_DS].sel, s->seg[X86_ES].sel, s->seg[X86_SS].sel,
		s->seg[X86_FS].sel, s->seg[X86_GS].sel, (uint32_t)s->rflags);
}

void x86i_trace_insn(struct x86i_cpu *c, const struct insn *i)
{
	trace_line(c, i);
}

void x86i_set_trace(struct x86i_cpu *c, FILE *f)
{
	c->trace = f;
}

/* An NMI is pending or INTR is up with IF set: take_interrupt would take one,
 * and a halted CPU wakes. */
static inline __attribute__((always_inline)) int can_wake(struct x86i_cpu *c)
{
	const struct cpu_intr *in = c->intr;
	return c->s->nmi_pending || (in->level && in->ack && (c->s->rflags & X86_IF));
}

/* Takes NMI or INTR if one is deliverable now; returns 1 if it did. */
static int take_interrupt(struct x86i_cpu *c)
{
	struct x86_state *s = c->s;

	if (s->nmi_pending) {
		s->nmi_pending = 0;
		s->run_state = X86_RUNNING;
		x86i_interrupt(c, 2);
		clk(c, c->t->intr);
		if (c->biu)
			x86i_biu_reset(c->biu, ip(c));
		return 1;
	}
	if (can_wake(c)) {	/* the one test quiet() uses too */
		uint8_t vec = c->intr->ack(c->intr->opaque);
		s->run_state = X86_RUNNING;
		x86i_interrupt(c, vec);
		clk(c, c->t->intr + 11);
		if (c->biu)
			x86i_biu_reset(c->biu, ip(c));
		return 1;
	}
	return 0;
}

void x86i_set_breakpoint(struct x86i_cpu *c, bool on, uint32_t lin)
{
	c->brk_on = on;
	c->brk_lin = lin;
	c->brk_hit = 0;
}

/* The host's breakpoint at CS:EIP: ends the run (the deadline) before the
 * instruction, with RF set so that whoever runs next executes it. */
static int brk_hit(struct x86i_cpu *c)
{
	struct x86_state *s = c->s;

	if ((uint32_t)(s->seg[X86_CS].base + s->rip) != c->brk_lin || (s->rflags & X86_RF))
		return 0;
	s->rflags |= X86_RF;
	c->brk_hit = 1;
	c->deadline = 0;
	return 1;
}

/* Single step and data breakpoints: one #DB trap after the instruction,
 * DR6 telling which. */
static void trap_after(struct x86i_cpu *c, int tf)
{
	struct x86_state *s = c->s;

	if (c->dbg_hit)
		s->dr[6] = (s->dr[6] & ~(uint64_t)0xf) | c->dbg_hit;
	if (tf && (c->feat & CPUF_386))
		s->dr[6] |= 0x4000;	/* BS */
	c->dbg_hit = 0;
	c->ip0 = ip(c);
	c->sp0 = s->gpr[X86_RSP];
	c->exc_first = X86I_DB;
	x86i_deliver(c, X86I_DB, -1, X86I_EV_EXC);
	c->exc_first = -1;
	clk(c, c->t->intr);
	if (c->biu)
		x86i_biu_reset(c->biu, ip(c));
}

static unsigned step(struct x86i_cpu *c, int check_intr)
{
	struct x86_state *s = c->s;
	uint64_t start = s->cycles;
	uint8_t shadow = s->intr_shadow;
	struct insn in, *i;
	int tf, rf;
	uint64_t t0;
	uint16_t cs0;

	s->intr_shadow = 0;
	if (check_intr && !shadow) {
		c->ip0 = ip(c);
		c->sp0 = s->gpr[X86_RSP];
		take_interrupt(c);
	}
	if (s->run_state != X86_RUNNING)
		return (unsigned)(s->cycles - start);
	c->ip0 = ip(c);
	c->sp0 = s->gpr[X86_RSP];
	if (__builtin_expect(c->dbg_exec | c->brk_on, 0)) {
		if (c->dbg_exec && x86i_debug_exec_hit(c))
			x86i_raise(c, X86I_DB, -1);
		if (c->brk_on && brk_hit(c)) {
			/* Not executed: the shadow still covers it. */
			s->intr_shadow = shadow;
			return (unsigned)(s->cycles - start);
		}
	}
	tf = (s->rflags & X86_TF) != 0;
	/* RF lasts until the instruction it let past a breakpoint is done. */
	rf = (s->rflags & X86_RF) != 0;
	t0 = s->cycles;
	cs0 = s->seg[X86_CS].sel;
	if (c->biu)
		x86i_biu_start(c);
	/* (The decode cache charges the base clocks with the decoding.) */
	if (__builtin_expect(c->fetch_hook != NULL, 0) || !(i = x86i_dcache_issue(c))) {
		i = &in;
		if (c->fetch_hook)
			c->fetch_hook(c, i);
		else
			x86i_decode(c, i);
		clk(c, c->t->base[i->op][(c->attr[i->op] & A_M) && i->mod != 3]);
	}
	if (c->trace)
		trace_line(c, i);
	c->ops[i->op](c, i);
	if (c->biu) {
		x86i_biu_charge(c, i, t0, cs0);
		clk(c, c->fpu_clk);	/* the 8087's part of an ESC opcode */
		c->fpu_clk = 0;
	}
	s->insns++;
	if (rf)
		s->rflags &= ~(uint64_t)X86_RF;
	tf = tf && !s->intr_shadow && s->run_state == X86_RUNNING;
	if (tf || c->dbg_hit)
		trap_after(c, tf);
	return (unsigned)(s->cycles - start);
}

/* An exception unwinds here (x86i_raise) and is delivered; delivery that
 * faults again unwinds here again. */
static void landed(struct x86i_cpu *c)
{
	/* A faulting instruction reports no data breakpoint. */
	c->dbg_hit = 0;
	clk(c, c->t->intr);
	x86i_exception_landed(c);
	if (c->biu)
		x86i_biu_reset(c->biu, ip(c));
}

static __attribute__((noinline)) unsigned step_once(struct x86i_cpu *c, int check_intr)
{
	unsigned n = step(c, check_intr);

	x86i_tsc_sync(c);
	return n;
}

unsigned x86i_step(struct x86i_cpu *c, int check_intr)
{
	uint64_t start = c->s->cycles;

	c->deadline = UINT64_MAX;
	x86i_mem_sync(c);
	if (sigsetjmp(c->jb, 0)) {
		landed(c);
		x86i_tsc_sync(c);
		return (unsigned)(c->s->cycles - start);
	}
	return step_once(c, check_intr);
}

/* Nothing due before the next instruction: no interrupt step() would take
 * (can_wake, the same test as take_interrupt's) and no trap or breakpoint
 * (TF, RF, DR7). */
static inline __attribute__((always_inline)) int quiet(struct x86i_cpu *c)
{
	const struct x86_state *s = c->s;

	return s->run_state == X86_RUNNING && !can_wake(c) &&
	       !(s->rflags & (X86_TF | X86_RF)) && !c->dbg_exec;
}

/* One instruction as step() does it while quiet (below), through the
 * decode cache or x86i_decode; shadow, ip0 and sp0 are done. */
static inline __attribute__((always_inline)) void run_one(struct x86i_cpu *c)
{
	struct x86_state *s = c->s;
	struct insn in, *i;

	i = x86i_dcache_issue(c);
	if (!i) {
		i = &in;
		x86i_decode(c, i);
		clk(c, c->t->base[i->op][(c->attr[i->op] & A_M) && i->mod != 3]);
	}
	c->ops[i->op](c, i);
	s->insns++;
	if (c->dbg_hit)
		trap_after(c, 0);
}

/* run_quiet's instructions from trace t (x86i_trace.h), starting with its
 * first (CS:EIP, quiet, shadow, ip0 and sp0 done; pe its code page's TLB
 * entry), for as long as they are the instructions step() would run: each
 * gets exactly what x86i_dcache_issue would give it (the same decoding,
 * clocks, EA and IP), the handler and what step() does after it.  The next
 * instruction of the trace is the next one to run when IP went there (a
 * trace that ends in a loop back to its start goes on there, as
 * x86i_trace_find would find it again), CS is the same, its bytes are in
 * memory (compared as the decode cache compares them), the code page's TLB
 * entry is unchanged and quiet() still holds.  Of quiet(), only what a
 * device may change in any instruction (MMIO, I/O) is checked again: IF,
 * TF, RF and the instruction breakpoints (dbg_exec) change only in
 * instructions that end traces (x86i_blk_is_branch) or in an exception,
 * which leaves through x86i_raise, so they stay as run_quiet found them.
 * CS changes likewise, but for the 80186, which delivers a divide error or
 * #UD within the instruction: check_cs (models without protection) checks
 * it after each.  After an instruction that touches only registers the
 * next one is "covered" (x86i_tinsn): its bytes, the TLB entry and what
 * devices signal cannot have changed since they were last checked. */
static inline __attribute__((always_inline)) unsigned run_trace(struct x86i_cpu *c,
								 struct x86i_trace *t,
								 const struct x86i_pcache *pe,
								 int check_cs)
{
	struct machine *m = c->m;
	struct x86_state *s = c->s;
	struct x86i_tinsn *ti = t->t, *end = ti + t->n;
	const uint8_t *prd = pe->rd;
	uint32_t tag = pe->tag;
	uint64_t insns0 = s->insns;
	uint64_t cs_base = s->seg[X86_CS].base;
	const struct cpu_intr *in = c->intr;
	int if_on = (s->rflags & X86_IF) != 0;	/* (stays: see above) */

	for (;;) {
		if (!ti->covered && !x86i_tinsn_same(ti, prd)) {
			x86i_trace_drop(t);
			run_one(c);
			break;
		}
		x86i_blk_prepare_s(c, s, &ti->d);
		ti->d.h(c, &ti->d.in);
		s->insns++;
		if (c->dbg_hit) {
			trap_after(c, 0);
			break;
		}
		if (m->kick || s->cycles >= c->deadline)
			break;
		if (++ti == end) {
			if (!t->wrap)
				break;
			ti = t->t;
		}
		if (s->rip != ti->d.in.ip0 || (check_cs && s->seg[X86_CS].base != cs_base))
			break;
		if (!ti->covered) {
			if (pe->tag != tag || pe->rd != prd)
				break;
			/* What of quiet() a device may change in any
			 * instruction (MMIO, I/O); a reset or shutdown may
			 * also come from one. */
			if (s->run_state != X86_RUNNING || s->nmi_pending ||
			    (if_on && in->level && in->ack))
				break;
			/* (Stored only when set: run_state and nmi_pending
			 * are read together with it, which a byte store just
			 * before would keep from being forwarded.) */
			if (s->intr_shadow)
				s->intr_shadow = 0;
		}
		c->ip0 = ti->d.in.ip0;
		c->sp0 = s->gpr[X86_RSP];
	}
	return (unsigned)(s->insns - insns0);
}

/* run_trace for models with protection, which fault through x86i_raise,
 * and for those without (the 80186). */
static __attribute__((noinline)) unsigned run_trace_prot(struct x86i_cpu *c, struct x86i_trace *t,
							 const struct x86i_pcache *pe)
{
	return run_trace(c, t, pe, 0);
}

static __attribute__((noinline)) unsigned run_trace_real(struct x86i_cpu *c, struct x86i_trace *t,
							 const struct x86i_pcache *pe)
{
	return run_trace(c, t, pe, 1);
}

/* step() while quiet: when in addition no bus model, block engine, trace
 * or host breakpoint needs its part of step(), each instruction needs only
 * what step() then does: decode, the base clocks, the handler, a #DB for a
 * data breakpoint it hit.  Returns how many it ran (0: step() must do the
 * next one) once that may no longer hold or run_loop would stop after an
 * instruction (kick, deadline); run_loop's own checks then come first.
 * The instructions come from traces (run_trace) where there are any, else
 * from the decode cache or x86i_decode (run_one). */
static unsigned run_quiet(struct x86i_cpu *c)
{
	struct machine *m = c->m;
	struct x86_state *s = c->s;
	unsigned n = 0;

	if (c->biu || c->fetch_hook || c->trace || c->brk_on)
		return 0;
	while (quiet(c)) {
		const struct x86i_pcache *pe;
		struct x86i_trace *t;

		if (s->intr_shadow)	/* (see run_trace) */
			s->intr_shadow = 0;
		c->ip0 = ip(c);
		c->sp0 = s->gpr[X86_RSP];
		t = x86i_trace_find(c, &pe);
		if (t) {
			n += (c->feat & CPUF_PROT) ? run_trace_prot(c, t, pe) : run_trace_real(c, t, pe);
		} else {
			run_one(c);
			n++;
		}
		if (m->kick || s->cycles >= c->deadline)
			break;
	}
	return n;
}

/* The loop lives apart from x86i_run: a function that calls sigsetjmp is
 * compiled without the register allocation the hot loop needs. */
static __attribute__((noinline)) enum accel_exit run_loop(struct x86i_cpu *c)
{
	struct machine *m = c->m;
	struct x86_state *s = c->s;

	for (;;) {
		if (m->stop != STOP_NONE)
			return ACCEL_EXIT_STOP;
		if (s->run_state == X86_SHUTDOWN)
			return ACCEL_EXIT_SHUTDOWN;
		if (s->run_state == X86_HALTED && !can_wake(c)) {
			if (s->cycles < c->deadline)
				s->cycles = c->deadline;
			return ACCEL_EXIT_HALT;
		}
		/* The block engine's fast loop returns at the first
		 * instruction that needs step()'s checks; the exits below
		 * then see what they would have seen after that one. */
		if (c->run_hook ? !c->run_hook(c) : !run_quiet(c))
			step(c, 1);
		if (m->kick)
			return m->stop != STOP_NONE ? ACCEL_EXIT_STOP : ACCEL_EXIT_BUDGET;
		if (s->cycles >= c->deadline)
			return ACCEL_EXIT_BUDGET;
	}
}

enum accel_exit x86i_run(struct x86i_cpu *c, uint64_t budget)
{
	c->m->kick = 0;
	c->deadline = c->s->cycles + budget;
	x86i_mem_sync(c);
	x86i_kvmclock_check(c);
	enum accel_exit e;

	if (sigsetjmp(c->jb, 0))
		landed(c);
	e = run_loop(c);
	x86i_tsc_sync(c);
	if (c->brk_hit) {
		c->brk_hit = 0;
		e = ACCEL_EXIT_BREAK;
	}
	return e;
}
