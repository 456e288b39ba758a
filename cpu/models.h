/* CPU models as data: one row per model in cpu/models.c. */
#ifndef TANDEM_CPU_MODELS_H
#define TANDEM_CPU_MODELS_H

#include <stdint.h>

enum cpu_family {
	CPU_8086 = 0,		/* 8088 and 8086 */
	CPU_80186,		/* 80188 and 80186 */
	CPU_80286,
	CPU_80386,
	CPU_80486,
	CPU_PENTIUM,		/* Pentium and Pentium MMX */
	CPU_PENTIUM2,
};

/* Behaviour switches that differ between models.  Code tests these
 * flags, never the model name. */
enum {
	CPUF_186_OPS = 1u << 0,	/* PUSHA/POPA, BOUND, ENTER/LEAVE, IMUL imm, INS/OUTS,
				   shift by imm8, PUSH imm */
	CPUF_SHIFT_MASK = 1u << 1, /* shift/rotate counts masked to 5 bits */
	CPUF_PUSH_SP_NEW = 1u << 2, /* PUSH SP pushes the value before decrement */
	CPUF_UD_EXC = 1u << 3,	/* undefined opcodes raise #UD (int 6) */
	CPUF_POP_CS = 1u << 4,	/* 0F is POP CS (8086/8088 only) */
	CPUF_SALC = 1u << 5,	/* D6 is SALC */
	CPUF_DIV_IP_NEXT = 1u << 6, /* #DE pushes address of next insn (8086) */
	CPUF_REP_IMUL_NEG = 1u << 7, /* 8086 microcode MUL/DIV: REP prefix negates
					(I)MUL product and IDIV quotient */
	CPUF_REP_LAST_PREFIX = 1u << 8, /* interrupted REP resumes at the last
					   prefix only (8086 loses earlier ones) */
	CPUF_SETMO = 1u << 9,	/* D0-D3 /6 is SETMO(C), not SHL */
	CPUF_SREG_SHADOW = 1u << 10, /* every segment register load (not only
					SS) holds off interrupts one insn */
	CPUF_PROT = 1u << 11,	/* 80286 protected mode, 0F opcodes, segment
				   limit checks (word at FFFFh faults), IDTR
				   in real mode, FLAGS 12-15 clear in real mode */
	CPUF_386 = 1u << 13,	/* 80386 descriptors (bytes 6-7), 32-bit gates/TSS */
	CPUF_FPU = 1u << 12,	/* an x87 is attached (ESC honours CR0.EM/TS) */
	CPUF_MMX = 1u << 14,	/* MMX registers alias the x87 stack */
	CPUF_APIC = 1u << 15,	/* an on-chip local APIC (P54C and later): the at
				   board adds the APICs (hw/pc_apic.h) */
	CPUF_KVMCLOCK = 1u << 16, /* KVM's paravirtual CPUID leaves and kvmclock
				     MSRs (--cpu host, x86i_kvmclock.c) */
};

struct cpu_model {
	const char *name;		/* as given to --cpu */
	const char *desc;
	enum cpu_family family;
	uint32_t features;		/* CPUF_* */
	unsigned bus_bytes;		/* external data bus: 1 (8088/80188) or 2.. */
	unsigned queue_bytes;		/* prefetch queue length */
	unsigned addr_bits;		/* physical address bits: 20, 24, 32, 36 */
	uint64_t default_hz;		/* clock of the reference machine */
	/* CPUID leaf 1 EAX (family/model/stepping); 0: no CPUID. */
	uint32_t cpuid_sig;
};

/* NULL when the name is unknown. */
const struct cpu_model *cpu_model_find(const char *name);
/* The table, terminated by a row with name == NULL. */
extern const struct cpu_model cpu_models[];

#endif
