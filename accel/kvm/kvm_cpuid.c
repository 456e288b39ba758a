/* CPUID for the vCPU: what the host CPU and KVM support together
 * (KVM_GET_SUPPORTED_CPUID).  The named 386+ models run with this too: KVM
 * executes on the host CPU, so hiding features in CPUID would not stop a
 * guest that uses them anyway (README.md).
 *
 * KVM's paravirtual leaves (40000000h: "KVMKVMKVM", 40000001h: features)
 * are a different matter: nothing runs there unless the guest asks, so
 * they are shown to --cpu host alone, and then only kvmclock, whose state
 * struct x86_state carries and the interpreter takes over in a hand-off.
 * Features whose state lives only inside KVM (async page faults, steal
 * time, PV EOI ...) would be lost in a hand-off or a save state. */
#include <errno.h>
#include <stdlib.h>
#include <sys/ioctl.h>

#include "accel/accel.h"
#include "accel/kvm/kvm_priv.h"
#include "hw/machine.h"

/* CPUID 40000001h EAX bits (the kernel's KVM_FEATURE_*). */
enum {
	KVM_PV_NOP_IO_DELAY = 1u << 1,
	KVM_PV_CLOCKSOURCE2 = 1u << 3,
	KVM_PV_CLOCKSOURCE_STABLE = 1u << 24,
};

/* Keeps the kvmclock part of the paravirtual leaves for --cpu host and drops
 * them for a named model; returns the new entry count. */
static uint32_t filter_pv_leaves(struct kvm_cpuid2 *c, bool kvmclock)
{
	uint32_t n = 0;
	for (uint32_t i = 0; i < c->nent; i++) {
		struct kvm_cpuid_entry2 *e = &c->entries[i];
		if (e->function >= 0x40000000 && e->function <= 0x4fffffff) {
			if (!kvmclock || e->function > 0x40000001)
				continue;
			if (e->function == 0x40000000) {
				e->eax = 0x40000001;	/* the highest leaf we keep */
			} else {
				e->eax &= KVM_PV_NOP_IO_DELAY | KVM_PV_CLOCKSOURCE2 |
					  KVM_PV_CLOCKSOURCE_STABLE;
				e->ebx = e->ecx = e->edx = 0;	/* no hints */
			}
		}
		c->entries[n++] = *e;
	}
	return n;
}

int kvm_cpuid_setup(struct vcpu *v, const char **why)
{
	struct kvm_cpuid2 *c = NULL;

	for (int n = 64; n <= 1024; n *= 2) {
		free(c);
		c = calloc(1, sizeof(*c) + n * sizeof(c->entries[0]));
		if (!c) {
			*why = "out of memory";
			return -ENOMEM;
		}
		c->nent = (uint32_t)n;
		if (ioctl(v->sys_fd, KVM_GET_SUPPORTED_CPUID, c) == 0)
			break;
		if (errno != E2BIG) {
			free(c);
			*why = "KVM_GET_SUPPORTED_CPUID failed";
			return -errno;
		}
		c->nent = 0;
	}
	if (!c->nent) {
		free(c);
		*why = "KVM_GET_SUPPORTED_CPUID: too many entries";
		return -E2BIG;
	}
	v->kvmclock = false;
	for (uint32_t i = 0; i < c->nent; i++) {
		struct kvm_cpuid_entry2 *e = &c->entries[i];
		if (e->function == 1) {
			v->cpuid_sig = e->eax;
			/* Initial APIC ID: the vCPU's index (--smp). */
			e->ebx = (e->ebx & 0x00ffffff) | (uint32_t)v->cur << 24;
			/* The APIC is the board's (hw/pc_apic.h): none, no bit. */
			if (!v->m->apic)
				e->edx &= ~(1u << 9);
		}
		if (e->function == 0x40000001 && (e->eax & KVM_PV_CLOCKSOURCE2))
			v->kvmclock = v->m->model == &accel_host_model;
	}
	c->nent = filter_pv_leaves(c, v->kvmclock);
	int err = 0;
	if (ioctl(v->fd, KVM_SET_CPUID2, c) < 0) {
		err = -errno;
		*why = "KVM_SET_CPUID2 failed";
	}
	free(c);
	/* Make KVM refuse (#GP) the paravirtual MSRs CPUID does not offer, as
	 * hardware would; kernels before 5.10 cannot, and then a guest that
	 * writes them anyway gets KVM's kvmclock unannounced. */
	if (!err && ioctl(v->sys_fd, KVM_CHECK_EXTENSION, KVM_CAP_ENFORCE_PV_FEATURE_CPUID) > 0) {
		struct kvm_enable_cap cap = { .cap = KVM_CAP_ENFORCE_PV_FEATURE_CPUID,
					      .args = { 1 } };
		ioctl(v->fd, KVM_ENABLE_CAP, &cap);
	}
	return err;
}
