/* CPUID for the vCPU: what the host CPU and KVM support together
 * (KVM_GET_SUPPORTED_CPUID).  The named 386+ models run with this too: KVM
 * executes on the host CPU, so hiding features in CPUID would not stop a
 * guest that uses them anyway (README.md). */
#include <errno.h>
#include <stdlib.h>
#include <sys/ioctl.h>

#include "accel/kvm/kvm_priv.h"

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
	for (uint32_t i = 0; i < c->nent; i++) {
		struct kvm_cpuid_entry2 *e = &c->entries[i];
		if (e->function == 1) {
			v->cpuid_sig = e->eax;
			/* Initial APIC ID 0: we have one CPU. */
			e->ebx &= 0x00ffffff;
		}
	}
	int err = 0;
	if (ioctl(v->fd, KVM_SET_CPUID2, c) < 0) {
		err = -errno;
		*why = "KVM_SET_CPUID2 failed";
	}
	free(c);
	return err;
}
