/* The start-up probe: some machines expose a /dev/kvm (a software nested
 * KVM such as kvm_pvm) that runs real-mode code but resets guests that
 * enable paging.  Before trusting KVM with the machine we run probe.asm in a
 * scratch VM: an OUT in real mode -> protected mode -> paging on -> a write
 * through a page mapped elsewhere -> OUT of the value read back -> HLT,
 * bounded to PROBE_NS of wall time and PROBE_EXITS exits. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "accel/kvm/kvm_priv.h"

#define PROBE_MEM 0x10000
#define PROBE_NS 500000000ull	/* 0.5 s: the probe takes well under 1 ms */
#define PROBE_EXITS 32
#define PROBE_PORT 0x510
#define PROBE_REAL_PORT 0x511
#define PROBE_VALUE 0x5a17c0deu

/* nasm -f bin accel/kvm/probe.asm (loaded at 3000h). */
static const uint8_t probe_code[] = {
	0xfa, 0xba, 0x11, 0x05, 0xee, 0x66, 0x0f, 0x01, 0x16, 0x50, 0x30, 0x0f,
	0x20, 0xc0, 0x66, 0x83, 0xc8, 0x01, 0x0f, 0x22, 0xc0, 0x66, 0xea, 0x1d,
	0x30, 0x00, 0x00, 0x08, 0x00, 0x66, 0xb8, 0x10, 0x00, 0x8e, 0xd8, 0x8e,
	0xc0, 0x8e, 0xd0, 0x31, 0xc0, 0x0f, 0x22, 0xd8, 0x0f, 0x20, 0xc0, 0x0d,
	0x00, 0x00, 0x00, 0x80, 0x0f, 0x22, 0xc0, 0xeb, 0x00, 0xc7, 0x05, 0x00,
	0x60, 0x00, 0x00, 0xde, 0xc0, 0x17, 0x5a, 0xa1, 0x00, 0x60, 0x00, 0x00,
	0x66, 0xba, 0x10, 0x05, 0xef, 0xf4, 0xeb, 0xfe, 0x17, 0x00, 0x00, 0x20,
	0x00, 0x00,
};

static void build_memory(uint8_t *mem)
{
	uint32_t *pd = (uint32_t *)mem;
	uint32_t *pt = (uint32_t *)(mem + 0x1000);
	uint64_t *gdt = (uint64_t *)(mem + 0x2000);

	pd[0] = 0x1000 | 3;
	for (uint32_t i = 0; i < PROBE_MEM / 0x1000; i++)
		pt[i] = i * 0x1000 | 3;
	pt[6] = 0x5000 | 3;		/* the remapped page */
	gdt[1] = 0x00cf9a000000ffffull;	/* flat 32-bit code */
	gdt[2] = 0x00cf92000000ffffull;	/* flat data */
	memcpy(mem + 0x3000, probe_code, sizeof(probe_code));
}

/* Runs the probe vCPU: KVM_PROBE_FULL when it did the expected OUTs and
 * then HLT, KVM_PROBE_REAL_ONLY when only the real-mode OUT came. */
static int run_probe(int vcpu_fd, struct kvm_run *run, size_t run_size, uint8_t *mem,
		     const char **why)
{
	timer_t t;
	bool seen_out = false, seen_real = false;

	if (kvm_timer_create(&t) < 0) {
		*why = "cannot create a POSIX timer";
		return -1;
	}
	kvm_timer_set_run(run);
	kvm_timer_arm(t, PROBE_NS);
	int ret = -1;
	*why = "the probe guest did not finish";
	for (int n = 0; n < PROBE_EXITS; n++) {
		int r = ioctl(vcpu_fd, KVM_RUN, 0);
		if (r < 0 && errno == EINTR) {
			*why = "the probe guest (protected mode with paging) did not finish "
			       "within 0.5 s";
			break;
		}
		if (r < 0) {
			*why = "KVM_RUN failed on the probe guest";
			break;
		}
		if (run->exit_reason == KVM_EXIT_IO && run->io.port == PROBE_REAL_PORT) {
			seen_real = true;
			continue;
		}
		if (run->exit_reason == KVM_EXIT_IO && run->io.direction == KVM_EXIT_IO_OUT &&
		    run->io.port == PROBE_PORT && run->io.size == 4 &&
		    run->io.data_offset + 4 <= run_size) {
			uint32_t val;
			memcpy(&val, (uint8_t *)run + run->io.data_offset, 4);
			uint32_t phys;
			memcpy(&phys, mem + 0x5000, 4);
			if (val != PROBE_VALUE || phys != PROBE_VALUE) {
				*why = "the probe guest read back a wrong value through paging";
				break;
			}
			seen_out = true;
			continue;
		}
		if (run->exit_reason == KVM_EXIT_HLT) {
			if (seen_out)
				ret = KVM_PROBE_FULL;
			else
				*why = "the probe guest halted early";
			break;
		}
		if (run->exit_reason == KVM_EXIT_SHUTDOWN) {
			*why = "the probe guest was reset when it enabled "
			       "(32-bit, non-PAE) paging";
			break;
		}
		if (run->exit_reason == KVM_EXIT_FAIL_ENTRY ||
		    run->exit_reason == KVM_EXIT_INTERNAL_ERROR) {
			*why = "KVM could not run the probe guest (entry failure/internal error)";
			break;
		}
		*why = "the probe guest made an unexpected exit";
		break;
	}
	kvm_timer_set_run(NULL);
	timer_delete(t);
	if (ret < 0 && seen_real)
		ret = KVM_PROBE_REAL_ONLY;
	return ret;
}

int kvm_probe(int sys_fd, const char **why)
{
	int ret = -1;
	int vm = -1, vcpu = -1;
	struct kvm_run *run = MAP_FAILED;
	long run_size = ioctl(sys_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	uint8_t *mem = mmap(NULL, PROBE_MEM, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	*why = "cannot set up the probe VM";
	if (mem == MAP_FAILED || run_size <= 0)
		goto out;
	vm = ioctl(sys_fd, KVM_CREATE_VM, 0);
	if (vm < 0) {
		*why = "KVM_CREATE_VM failed for the probe VM";
		goto out;
	}
	build_memory(mem);
	struct kvm_userspace_memory_region reg = {
		.slot = 0, .guest_phys_addr = 0, .memory_size = PROBE_MEM,
		.userspace_addr = (uintptr_t)mem,
	};
	ioctl(vm, KVM_SET_TSS_ADDR, 0xfffbd000ul);
	if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &reg) < 0)
		goto out;
	vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	if (vcpu < 0)
		goto out;
	run = mmap(NULL, (size_t)run_size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
	if (run == MAP_FAILED)
		goto out;
	struct kvm_sregs sr;
	if (ioctl(vcpu, KVM_GET_SREGS, &sr) < 0)
		goto out;
	sr.cs.base = 0;
	sr.cs.selector = 0;
	struct kvm_regs r = { .rip = 0x3000, .rflags = 2, .rsp = 0x8000 };
	if (ioctl(vcpu, KVM_SET_SREGS, &sr) < 0 || ioctl(vcpu, KVM_SET_REGS, &r) < 0)
		goto out;
	ret = run_probe(vcpu, run, (size_t)run_size, mem, why);
out:
	if (run != MAP_FAILED)
		munmap(run, (size_t)run_size);
	if (vcpu >= 0)
		close(vcpu);
	if (vm >= 0)
		close(vm);
	if (mem != MAP_FAILED)
		munmap(mem, PROBE_MEM);
	return ret;
}
