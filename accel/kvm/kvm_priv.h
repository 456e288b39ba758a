/* Private to the KVM engine (accel/kvm/): the vCPU object and the helpers
 * its files share.  Nothing outside accel/kvm/ includes this. */
#ifndef TANDEM_ACCEL_KVM_PRIV_H
#define TANDEM_ACCEL_KVM_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <linux/kvm.h>

#include "cpu/state.h"

struct cpu_intr;
struct machine;
struct x86i_cpu;

#define KVM_SLOTS_MAX 64
#define KVM_VCPUS_MAX 8		/* MACHINE_MAX_CPUS */

/* --smp: what each vCPU keeps apart; struct vcpu holds the selected one's
 * (kvm_select_cpu swaps them), so the code below sees one vCPU. */
struct kvm_vcpu_slot {
	int fd;
	struct kvm_run *run;
	bool halted, io_pending, step_over;
};

struct kvm_slot {
	uint64_t base, len;
	uint8_t *host;
	bool readonly;
};

struct vcpu {
	struct machine *m;
	int sys_fd, vm_fd, fd;
	struct kvm_run *run;
	size_t run_size;
	bool readonly_mem;		/* KVM_CAP_READONLY_MEM */
	struct kvm_slot slots[KVM_SLOTS_MAX];
	int nslots;
	uint64_t mem_gen;		/* mem_generation() the slots match */
	timer_t timer;			/* signals the deadline of a run slice */
	bool timer_ok;
	bool halted;			/* HLT exit seen, waiting for an interrupt */
	bool io_pending;		/* an IN/MMIO read exit not yet completed */
	bool warned_unaligned;
	uint32_t cpuid_sig;		/* CPUID.1:EAX, for EDX at reset */
	bool kvmclock;			/* CPUID offers kvmclock (--cpu host) */
	/* A state was set while the machine clock counted cycles: kvmclock
	 * is set when KVM_RUN turns host time on, so both start together. */
	bool clock_pending;
	uint64_t exits;
	struct x86i_cpu *interp;	/* steps what KVM cannot emulate */
	uint64_t interp_steps;
	FILE *trace;			/* --trace: single-step, one line per insn */
	bool brk_on;			/* set_breakpoint: DR0 execute breakpoint */
	uint32_t brk_lin;
	/* At the breakpoint with RF set: single-step that instruction with
	 * the breakpoint off (not every KVM honours RF; seen on a nested
	 * one, whose real mode runs in the instruction emulator). */
	bool step_over;
	/* --smp: m->ncpus vCPUs (1 without), the selected one, its state in
	 * the machine (m->cpu or m->ap_cpu[cur - 1]) and its INTR. */
	int ncpus, cur;
	struct kvm_vcpu_slot slot[KVM_VCPUS_MAX];
	/* The selected AP's vCPU is to be written from *s before it runs. */
	bool push_pending;
	struct x86_state *s;
	struct cpu_intr *intr;
};

/* kvm_mem.c: (re)registers the memory slots from the machine's layout. */
int kvm_mem_sync(struct vcpu *v);

/* kvm_state.c: struct x86_state <-> KVM registers. */
int kvm_state_get(struct vcpu *v, struct x86_state *s);
int kvm_state_set(struct vcpu *v, const struct x86_state *s);
void kvm_state_reset(struct x86_state *s, uint32_t cpuid_sig);
/* kvmclock's time base (KVM_GET/SET_CLOCK), which is the VM's and not in
 * the vCPU's registers: get stores how far it runs ahead of the machine
 * clock in s->kvmclock_offset_ns (while the clock follows host time, i.e.
 * after KVM ran), set puts it back relative to the machine clock's now. */
void kvm_state_get_clock(struct vcpu *v, struct x86_state *s);
void kvm_state_set_clock(struct vcpu *v, const struct x86_state *s);

/* kvm_probe.c: runs a tiny real mode -> paging guest in a scratch VM
 * (bounded in time).  Returns KVM_PROBE_FULL when KVM ran all of it; else
 * *why says what went wrong and the result is KVM_PROBE_REAL_ONLY when the
 * real-mode part ran, -1 when nothing did. */
enum { KVM_PROBE_REAL_ONLY = 1, KVM_PROBE_FULL = 2 };
int kvm_probe(int sys_fd, const char **why);

/* kvm_cpuid.c: presents the host's supported CPUID to the vCPU. */
int kvm_cpuid_setup(struct vcpu *v, const char **why);

/* kvm.c: the deadline signal, shared by the probe. */
int kvm_timer_create(timer_t *t);
void kvm_timer_arm(timer_t t, uint64_t ns);
void kvm_timer_set_run(struct kvm_run *run);

#endif
