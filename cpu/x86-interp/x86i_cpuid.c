/* CPUID and the model-specific registers.  CPUID reports only what the
 * interpreter implements for the model (its feature bits follow the
 * model row and the code, not the real part's full list). */
#include <string.h>

#include "cpu/x86-interp/x86i_priv.h"
#include "hw/lapic.h"

enum {
	ID_FPU = 1u << 0, ID_VME = 1u << 1, ID_DE = 1u << 2, ID_PSE = 1u << 3, ID_TSC = 1u << 4,
	ID_MSR = 1u << 5, ID_PAE = 1u << 6, ID_CX8 = 1u << 8, ID_APIC = 1u << 9, ID_SEP = 1u << 11,
	ID_PGE = 1u << 13, ID_CMOV = 1u << 15, ID_MMX = 1u << 23, ID_FXSR = 1u << 24,
};

enum {
	MSR_TSC = 0x10, MSR_APIC_BASE = 0x1b, MSR_BIOS_SIGN_ID = 0x8b, MSR_SYSENTER_CS = 0x174,
	MSR_SYSENTER_ESP = 0x175, MSR_SYSENTER_EIP = 0x176,
};

static uint32_t features(const struct x86i_cpu *c)
{
	uint32_t f = ID_VME | ID_DE | ID_PSE | ID_TSC | ID_MSR | ID_CX8;

	if (c->feat & CPUF_FPU)
		f |= ID_FPU;
	if (c->feat & CPUF_MMX)
		f |= ID_MMX;
	/* Only when the board gave this CPU its APIC (hw/pc_apic.h). */
	if (c->lapic)
		f |= ID_APIC;
	if (c->model->family >= CPU_PENTIUM2)
		f |= ID_SEP | ID_PGE | ID_CMOV | ID_PAE | ID_FXSR;
	return f;
}

void x86i_cpuid(struct x86i_cpu *c, uint32_t leaf, uint32_t out[4])
{
	static const char vendor[12] = "GenuineIntel";

	/* The Pentium II adds leaf 2 (cache and TLB descriptors); glibc
	 * sizes its string-function thresholds from it. */
	uint32_t max_leaf = c->model->family >= CPU_PENTIUM2 ? 2 : 1;

	if (x86i_kvmclock_cpuid(c, leaf, out))
		return;
	memset(out, 0, 4 * sizeof(out[0]));
	if (leaf > max_leaf)
		leaf = max_leaf;	/* Intel: above the maximum, the highest leaf's data */
	switch (leaf) {
	case 0:
		out[0] = max_leaf;
		memcpy(&out[1], vendor, 4);
		memcpy(&out[3], vendor + 4, 4);
		memcpy(&out[2], vendor + 8, 4);
		break;
	case 1:
		out[0] = c->model->cpuid_sig;
		/* EBX 31-24: the initial APIC ID. */
		if (c->lapic)
			out[1] = (uint32_t)lapic_id(c->lapic) << 24;
		out[3] = features(c);
		break;
	case 2:
		/* Deschutes: one iteration (AL=1); 4K/4M ITLB (01h 02h), 4K DTLB
		 * (03h); 16K L1 I and D (08h 0Ch), 4M DTLB (04h), 512K L2 (43h). */
		out[0] = 0x03020101;
		out[3] = 0x0c040843;
		break;
	}
}

int x86i_msr_read(struct x86i_cpu *c, uint32_t msr, uint64_t *v)
{
	const struct x86_state *s = c->s;
	int p6 = c->model->family >= CPU_PENTIUM2;

	switch (msr) {
	case MSR_TSC: *v = s->tsc; return 0;
	case MSR_APIC_BASE: *v = c->lapic ? lapic_base_msr(c->lapic) : s->apic_base; return 0;
	/* The loaded microcode revision (high half): none was loaded. */
	case MSR_BIOS_SIGN_ID: *v = 0; return p6 ? 0 : -1;
	case MSR_SYSENTER_CS: *v = s->sysenter_cs; return p6 ? 0 : -1;
	case MSR_SYSENTER_ESP: *v = s->sysenter_esp; return p6 ? 0 : -1;
	case MSR_SYSENTER_EIP: *v = s->sysenter_eip; return p6 ? 0 : -1;
	default: return x86i_kvmclock_msr_read(c, msr, v);
	}
}

int x86i_msr_write(struct x86i_cpu *c, uint32_t msr, uint64_t v)
{
	struct x86_state *s = c->s;
	int p6 = c->model->family >= CPU_PENTIUM2;

	switch (msr) {
	case MSR_TSC:
		/* The Pentium writes only the low 32 bits, zeroing the rest. */
		s->tsc = p6 ? v : (uint32_t)v;
		if (s->kvm_system_time & 1)
			x86i_kvmclock_update(c);	/* its record holds a TSC */
		return 0;
	case MSR_APIC_BASE:
		if (c->lapic) {
			lapic_set_base_msr(c->lapic, v);
			x86i_pcache_flush(c);	/* the register window may have moved */
		} else {
			s->apic_base = v & 0xfffff900u;
		}
		return 0;
	case MSR_BIOS_SIGN_ID: return p6 ? 0 : -1;	/* CPUID latches it; nothing to latch */
	case MSR_SYSENTER_CS: s->sysenter_cs = v & 0xffff; return p6 ? 0 : -1;
	case MSR_SYSENTER_ESP: s->sysenter_esp = (uint32_t)v; return p6 ? 0 : -1;
	case MSR_SYSENTER_EIP: s->sysenter_eip = (uint32_t)v; return p6 ? 0 : -1;
	default: return x86i_kvmclock_msr_write(c, msr, v);
	}
}
