/* struct x86_state <-> KVM's register sets (regs, sregs, FPU, debug
 * registers, MSRs, events).  The segment attribute packing in cpu/state.h
 * is VMX's, so it maps field by field onto struct kvm_segment. */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

#include "accel/kvm/kvm_priv.h"
#include "hw/machine.h"
#include "util/log.h"

/* kvm_regs lists the registers in the order RAX RBX RCX RDX RSI RDI RSP RBP;
 * these are the x86_reg indices of that order. */
static const enum x86_reg regs_order[8] = {
	X86_RAX, X86_RBX, X86_RCX, X86_RDX, X86_RSI, X86_RDI, X86_RSP, X86_RBP,
};

static void seg_to_kvm(const struct x86_seg *s, struct kvm_segment *k)
{
	memset(k, 0, sizeof(*k));
	k->base = s->base;
	k->limit = s->limit;
	k->selector = s->sel;
	k->type = s->attr & 15;
	k->s = (s->attr >> 4) & 1;
	k->dpl = (s->attr >> 5) & 3;
	k->present = (s->attr >> 7) & 1;
	k->avl = (s->attr >> 12) & 1;
	k->l = (s->attr >> 13) & 1;
	k->db = (s->attr >> 14) & 1;
	k->g = (s->attr >> 15) & 1;
	/* A null selector loaded in protected mode leaves a non-present
	 * cache: VMX calls that "unusable". */
	k->unusable = !k->present;
}

static void seg_from_kvm(const struct kvm_segment *k, struct x86_seg *s)
{
	s->base = k->base;
	s->limit = k->limit;
	s->sel = k->selector;
	s->attr = (uint16_t)((k->type & 15) | (k->s & 1) << 4 | (k->dpl & 3) << 5 |
			     (k->unusable ? 0 : (k->present & 1)) << 7 | (k->avl & 1) << 12 |
			     (k->l & 1) << 13 | (k->db & 1) << 14 | (k->g & 1) << 15);
}

/* struct kvm_segment order in kvm_sregs differs from the encoding order. */
static struct kvm_segment *sreg_of(struct kvm_sregs *sr, int i)
{
	switch (i) {
	case X86_ES: return &sr->es;
	case X86_CS: return &sr->cs;
	case X86_SS: return &sr->ss;
	case X86_DS: return &sr->ds;
	case X86_FS: return &sr->fs;
	default: return &sr->gs;
	}
}

/* TSC, SYSENTER; then, with kvmclock offered (--cpu host),
 * MSR_KVM_WALL_CLOCK_NEW and MSR_KVM_SYSTEM_TIME_NEW: setting the TSC first
 * lets KVM compute the kvmclock area from the new value. */
static const uint32_t msr_list[] = { 0x10, 0x174, 0x175, 0x176, 0x4b564d00, 0x4b564d01 };
enum { NMSR_BASE = 4, NMSR_KVMCLOCK = 6 };

struct msrs {
	struct kvm_msrs hdr;
	struct kvm_msr_entry e[NMSR_KVMCLOCK];
};

/* FXSAVE image offsets. */
enum { FX_FCW = 0, FX_FSW = 2, FX_FTW = 4, FX_FOP = 6, FX_FIP = 8, FX_FDP = 16,
       FX_MXCSR = 24, FX_ST = 32, FX_XMM = 160 };

static void fpu_to_fx(const struct kvm_fpu *f, uint8_t *fx)
{
	memset(fx, 0, 512);
	memcpy(fx + FX_FCW, &f->fcw, 2);
	memcpy(fx + FX_FSW, &f->fsw, 2);
	fx[FX_FTW] = f->ftwx;
	memcpy(fx + FX_FOP, &f->last_opcode, 2);
	/* The 32-bit image (FIP, FCS, FDP, FDS) the interpreter uses; KVM
	 * does not report FCS/FDS, so they read as 0. */
	uint32_t ip = (uint32_t)f->last_ip, dp = (uint32_t)f->last_dp;
	memcpy(fx + FX_FIP, &ip, 4);
	memcpy(fx + FX_FDP, &dp, 4);
	memcpy(fx + FX_MXCSR, &f->mxcsr, 4);
	uint32_t mask = 0xffff;	/* MXCSR_MASK of SSE2 CPUs without DAZ quirks */
	memcpy(fx + FX_MXCSR + 4, &mask, 4);
	for (int i = 0; i < 8; i++)
		memcpy(fx + FX_ST + 16 * i, f->fpr[i], 16);
	for (int i = 0; i < 16; i++)
		memcpy(fx + FX_XMM + 16 * i, f->xmm[i], 16);
}

static void fx_to_fpu(const uint8_t *fx, struct kvm_fpu *f)
{
	memset(f, 0, sizeof(*f));
	memcpy(&f->fcw, fx + FX_FCW, 2);
	memcpy(&f->fsw, fx + FX_FSW, 2);
	f->ftwx = fx[FX_FTW];
	memcpy(&f->last_opcode, fx + FX_FOP, 2);
	uint32_t ip, dp;
	memcpy(&ip, fx + FX_FIP, 4);
	memcpy(&dp, fx + FX_FDP, 4);
	f->last_ip = ip;
	f->last_dp = dp;
	memcpy(&f->mxcsr, fx + FX_MXCSR, 4);
	for (int i = 0; i < 8; i++)
		memcpy(f->fpr[i], fx + FX_ST + 16 * i, 16);
	for (int i = 0; i < 16; i++)
		memcpy(f->xmm[i], fx + FX_XMM + 16 * i, 16);
}

static int vio(struct vcpu *v, unsigned long req, void *arg, const char *what)
{
	if (ioctl(v->fd, req, arg) < 0) {
		int err = errno;
		log_error("kvm: %s failed: %s", what, strerror(err));
		return -err;
	}
	return 0;
}

int kvm_state_get(struct vcpu *v, struct x86_state *s)
{
	struct kvm_regs r;
	struct kvm_sregs sr;
	struct kvm_fpu fpu;
	struct kvm_debugregs dbg;
	struct kvm_vcpu_events ev;
	uint32_t nmsrs = v->kvmclock ? NMSR_KVMCLOCK : NMSR_BASE;
	struct msrs msrs = { .hdr.nmsrs = nmsrs };
	int err;

	if ((err = vio(v, KVM_GET_REGS, &r, "KVM_GET_REGS")) ||
	    (err = vio(v, KVM_GET_SREGS, &sr, "KVM_GET_SREGS")) ||
	    (err = vio(v, KVM_GET_FPU, &fpu, "KVM_GET_FPU")) ||
	    (err = vio(v, KVM_GET_DEBUGREGS, &dbg, "KVM_GET_DEBUGREGS")) ||
	    (err = vio(v, KVM_GET_VCPU_EVENTS, &ev, "KVM_GET_VCPU_EVENTS")))
		return err;
	for (uint32_t i = 0; i < nmsrs; i++)
		msrs.e[i].index = msr_list[i];
	if (ioctl(v->fd, KVM_GET_MSRS, &msrs) != (int)nmsrs) {
		log_error("kvm: KVM_GET_MSRS failed");
		return -EIO;
	}

	uint64_t lo[8] = { r.rax, r.rbx, r.rcx, r.rdx, r.rsi, r.rdi, r.rsp, r.rbp };
	for (int i = 0; i < 8; i++)
		s->gpr[regs_order[i]] = lo[i];
	uint64_t hi[8] = { r.r8, r.r9, r.r10, r.r11, r.r12, r.r13, r.r14, r.r15 };
	for (int i = 0; i < 8; i++)
		s->gpr[X86_R8 + i] = hi[i];
	s->rip = r.rip;
	s->rflags = r.rflags;

	for (int i = 0; i < X86_NR_SREG; i++)
		seg_from_kvm(sreg_of(&sr, i), &s->seg[i]);
	seg_from_kvm(&sr.ldt, &s->ldtr);
	seg_from_kvm(&sr.tr, &s->tr);
	s->gdtr.base = sr.gdt.base;
	s->gdtr.limit = sr.gdt.limit;
	s->idtr.base = sr.idt.base;
	s->idtr.limit = sr.idt.limit;
	s->cr0 = sr.cr0;
	s->cr2 = sr.cr2;
	s->cr3 = sr.cr3;
	s->cr4 = sr.cr4;
	s->cr8 = sr.cr8;
	s->efer = sr.efer;
	s->apic_base = sr.apic_base;

	for (int i = 0; i < 4; i++)
		s->dr[i] = dbg.db[i];
	s->dr[4] = s->dr[6] = dbg.dr6;
	s->dr[5] = s->dr[7] = dbg.dr7;

	s->tsc = msrs.e[0].data;
	s->sysenter_cs = msrs.e[1].data;
	s->sysenter_esp = msrs.e[2].data;
	s->sysenter_eip = msrs.e[3].data;
	s->kvm_wall_clock = v->kvmclock ? msrs.e[4].data : 0;
	s->kvm_system_time = v->kvmclock ? msrs.e[5].data : 0;

	fpu_to_fx(&fpu, s->fxsave);

	s->intr_shadow = ev.interrupt.shadow ? 1 : 0;
	s->nmi_pending = ev.nmi.pending;
	s->nmi_blocked = ev.nmi.masked;
	s->run_state = v->halted ? X86_HALTED : X86_RUNNING;
	return 0;
}

int kvm_state_set(struct vcpu *v, const struct x86_state *s)
{
	struct kvm_regs r = {
		.r8 = s->gpr[X86_R8], .r9 = s->gpr[X86_R9], .r10 = s->gpr[X86_R10],
		.r11 = s->gpr[X86_R11], .r12 = s->gpr[X86_R12], .r13 = s->gpr[X86_R13],
		.r14 = s->gpr[X86_R14], .r15 = s->gpr[X86_R15],
		.rip = s->rip, .rflags = s->rflags | 2,
	};
	__u64 *lo[8] = { &r.rax, &r.rbx, &r.rcx, &r.rdx, &r.rsi, &r.rdi, &r.rsp, &r.rbp };
	for (int i = 0; i < 8; i++)
		*lo[i] = s->gpr[regs_order[i]];

	struct kvm_sregs sr;
	int err = vio(v, KVM_GET_SREGS, &sr, "KVM_GET_SREGS");
	if (err)
		return err;
	for (int i = 0; i < X86_NR_SREG; i++)
		seg_to_kvm(&s->seg[i], sreg_of(&sr, i));
	seg_to_kvm(&s->ldtr, &sr.ldt);
	seg_to_kvm(&s->tr, &sr.tr);
	/* VM entry wants a present busy TSS even where the guest never loaded
	 * one (real mode, or an interpreter state that left TR empty). */
	if (!sr.tr.present) {
		sr.tr.present = 1;
		sr.tr.unusable = 0;
		sr.tr.s = 0;
		sr.tr.type = 11;
	}
	sr.gdt.base = s->gdtr.base;
	sr.gdt.limit = s->gdtr.limit;
	sr.idt.base = s->idtr.base;
	sr.idt.limit = s->idtr.limit;
	sr.cr0 = s->cr0;
	sr.cr2 = s->cr2;
	sr.cr3 = s->cr3;
	sr.cr4 = s->cr4;
	sr.cr8 = s->cr8;
	sr.efer = s->efer;
	sr.apic_base = s->apic_base;
	memset(sr.interrupt_bitmap, 0, sizeof(sr.interrupt_bitmap));

	struct kvm_fpu fpu;
	fx_to_fpu(s->fxsave, &fpu);

	struct kvm_debugregs dbg;
	memset(&dbg, 0, sizeof(dbg));
	for (int i = 0; i < 4; i++)
		dbg.db[i] = s->dr[i];
	dbg.dr6 = s->dr[6] ? s->dr[6] : 0xffff0ff0;
	dbg.dr7 = s->dr[7] ? s->dr[7] : 0x400;

	struct kvm_vcpu_events ev;
	memset(&ev, 0, sizeof(ev));
	ev.interrupt.shadow = s->intr_shadow ? KVM_X86_SHADOW_INT_MOV_SS : 0;
	ev.nmi.pending = s->nmi_pending;
	ev.nmi.masked = s->nmi_blocked;
	ev.flags = KVM_VCPUEVENT_VALID_SHADOW | KVM_VCPUEVENT_VALID_NMI_PENDING;

	uint32_t nmsrs = v->kvmclock ? NMSR_KVMCLOCK : NMSR_BASE;
	struct msrs msrs = { .hdr.nmsrs = nmsrs };
	uint64_t vals[NMSR_KVMCLOCK] = { s->tsc, s->sysenter_cs, s->sysenter_esp,
					 s->sysenter_eip, s->kvm_wall_clock, s->kvm_system_time };
	for (uint32_t i = 0; i < nmsrs; i++) {
		msrs.e[i].index = msr_list[i];
		msrs.e[i].data = vals[i];
	}

	if ((err = vio(v, KVM_SET_SREGS, &sr, "KVM_SET_SREGS")) ||
	    (err = vio(v, KVM_SET_REGS, &r, "KVM_SET_REGS")) ||
	    (err = vio(v, KVM_SET_FPU, &fpu, "KVM_SET_FPU")) ||
	    (err = vio(v, KVM_SET_DEBUGREGS, &dbg, "KVM_SET_DEBUGREGS")) ||
	    (err = vio(v, KVM_SET_VCPU_EVENTS, &ev, "KVM_SET_VCPU_EVENTS")))
		return err;
	if (ioctl(v->fd, KVM_SET_MSRS, &msrs) != (int)nmsrs) {
		log_error("kvm: KVM_SET_MSRS failed");
		return -EIO;
	}
	v->halted = s->run_state == X86_HALTED;
	return 0;
}

/* The power-on state of an x86 CPU (SDM vol. 3, "Processor state after
 * reset"): CS base FFFF0000h so the first fetch is at FFFFFFF0h, where the
 * board aliases the BIOS. */
void kvm_state_reset(struct x86_state *s, uint32_t cpuid_sig)
{
	uint64_t cycles = s->cycles, insns = s->insns;
	int64_t kvmclock_offset = s->kvmclock_offset_ns;	/* the VM's, not the CPU's */

	memset(s, 0, sizeof(*s));
	s->cycles = cycles;
	s->insns = insns;
	s->kvmclock_offset_ns = kvmclock_offset;
	s->rip = 0xfff0;
	s->rflags = 2;
	s->gpr[X86_RDX] = cpuid_sig;
	for (int i = 0; i < X86_NR_SREG; i++)
		s->seg[i] = (struct x86_seg){ .sel = 0, .attr = 0x93, .limit = 0xffff };
	s->seg[X86_CS] = (struct x86_seg){ .sel = 0xf000, .attr = 0x9b, .limit = 0xffff,
					   .base = 0xffff0000 };
	s->ldtr = (struct x86_seg){ .attr = 0x82, .limit = 0xffff };
	s->tr = (struct x86_seg){ .attr = 0x8b, .limit = 0xffff };
	s->gdtr.limit = 0xffff;
	s->idtr.limit = 0xffff;
	s->cr0 = 0x60000010;
	s->dr[6] = 0xffff0ff0;
	s->dr[7] = 0x400;
	s->apic_base = 0xfee00900;	/* enabled, bootstrap processor */
	uint16_t fcw = 0x37f;
	uint32_t mxcsr = 0x1f80;
	memcpy(s->fxsave + FX_FCW, &fcw, 2);
	memcpy(s->fxsave + FX_MXCSR, &mxcsr, 4);
}

void kvm_state_get_clock(struct vcpu *v, struct x86_state *s)
{
	struct kvm_clock_data d;
	memset(&d, 0, sizeof(d));
	if (!v->kvmclock || !clock_host_time(v->m->clock))
		return;
	/* Against the machine clock's midpoint around the ioctl, so that
	 * many hand-offs do not add up its latency. */
	uint64_t before = clock_now(v->m->clock) / 1000;
	if (ioctl(v->vm_fd, KVM_GET_CLOCK, &d) < 0) {
		log_error("kvm: KVM_GET_CLOCK failed: %s", strerror(errno));
		return;
	}
	uint64_t after = clock_now(v->m->clock) / 1000;
	s->kvmclock_offset_ns = (int64_t)d.clock - (int64_t)(before + (after - before) / 2);
}

void kvm_state_set_clock(struct vcpu *v, const struct x86_state *s)
{
	struct kvm_clock_data d;
	memset(&d, 0, sizeof(d));
	if (!v->kvmclock)
		return;
	d.clock = (uint64_t)((int64_t)(clock_now(v->m->clock) / 1000) + s->kvmclock_offset_ns);
	if (ioctl(v->vm_fd, KVM_SET_CLOCK, &d) < 0)
		log_error("kvm: KVM_SET_CLOCK failed: %s", strerror(errno));
}
