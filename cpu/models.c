#include <string.h>
#include "cpu/models.h"

const struct cpu_model cpu_models[] = {
	{ .name = "8088", .desc = "Intel 8088 (IBM PC/XT), 8-bit bus",
	  .family = CPU_8086,
	  .features = CPUF_POP_CS | CPUF_SALC | CPUF_DIV_IP_NEXT | CPUF_REP_IMUL_NEG |
		      CPUF_REP_LAST_PREFIX | CPUF_SETMO | CPUF_SREG_SHADOW,
	  .bus_bytes = 1, .queue_bytes = 4, .addr_bits = 20,
	  .default_hz = 4772727 },
	{ .name = "8086", .desc = "Intel 8086, 16-bit bus",
	  .family = CPU_8086,
	  .features = CPUF_POP_CS | CPUF_SALC | CPUF_DIV_IP_NEXT | CPUF_REP_IMUL_NEG |
		      CPUF_REP_LAST_PREFIX | CPUF_SETMO | CPUF_SREG_SHADOW,
	  .bus_bytes = 2, .queue_bytes = 6, .addr_bits = 20,
	  .default_hz = 8000000 },
	{ .name = "80186", .desc = "Intel 80186, 16-bit bus",
	  .family = CPU_80186,
	  .features = CPUF_186_OPS | CPUF_SHIFT_MASK | CPUF_UD_EXC | CPUF_SALC,
	  .bus_bytes = 2, .queue_bytes = 6, .addr_bits = 20,
	  .default_hz = 8000000 },
	{ .name = "80286", .desc = "Intel 80286 (IBM PC/AT), 16-bit bus, 24-bit address",
	  .family = CPU_80286,
	  .features = CPUF_186_OPS | CPUF_SHIFT_MASK | CPUF_PUSH_SP_NEW | CPUF_UD_EXC |
		      CPUF_SALC | CPUF_PROT,
	  .bus_bytes = 2, .queue_bytes = 6, .addr_bits = 24,
	  .default_hz = 6000000 },
	{ .name = "80386", .desc = "Intel 80386DX, 32-bit bus",
	  .family = CPU_80386,
	  .features = CPUF_186_OPS | CPUF_SHIFT_MASK | CPUF_PUSH_SP_NEW | CPUF_UD_EXC |
		      CPUF_SALC | CPUF_PROT | CPUF_386,
	  .bus_bytes = 4, .queue_bytes = 16, .addr_bits = 32,
	  .default_hz = 20000000 },
	{ .name = "80486", .desc = "Intel 80486DX (on-chip x87), 32-bit bus",
	  .family = CPU_80486,
	  .features = CPUF_186_OPS | CPUF_SHIFT_MASK | CPUF_PUSH_SP_NEW | CPUF_UD_EXC |
		      CPUF_SALC | CPUF_PROT | CPUF_386 | CPUF_FPU,
	  .bus_bytes = 4, .queue_bytes = 32, .addr_bits = 32,
	  .default_hz = 33000000 },
	{ .name = "pentium", .desc = "Intel Pentium (P54C), CPUID, TSC, MSRs, 4 MiB pages",
	  .family = CPU_PENTIUM,
	  .features = CPUF_186_OPS | CPUF_SHIFT_MASK | CPUF_PUSH_SP_NEW | CPUF_UD_EXC |
		      CPUF_SALC | CPUF_PROT | CPUF_386 | CPUF_FPU | CPUF_APIC,
	  .bus_bytes = 8, .queue_bytes = 32, .addr_bits = 32,
	  .default_hz = 100000000, .cpuid_sig = 0x052c },
	{ .name = "pentium-mmx", .desc = "Intel Pentium MMX (P55C)",
	  .family = CPU_PENTIUM,
	  .features = CPUF_186_OPS | CPUF_SHIFT_MASK | CPUF_PUSH_SP_NEW | CPUF_UD_EXC |
		      CPUF_SALC | CPUF_PROT | CPUF_386 | CPUF_FPU | CPUF_MMX | CPUF_APIC,
	  .bus_bytes = 8, .queue_bytes = 32, .addr_bits = 32,
	  .default_hz = 200000000, .cpuid_sig = 0x0543 },
	{ .name = "pentium2", .desc = "Intel Pentium II (Deschutes): CMOV, SYSENTER, PAE, FXSR",
	  .family = CPU_PENTIUM2,
	  .features = CPUF_186_OPS | CPUF_SHIFT_MASK | CPUF_PUSH_SP_NEW | CPUF_UD_EXC |
		      CPUF_SALC | CPUF_PROT | CPUF_386 | CPUF_FPU | CPUF_MMX | CPUF_APIC,
	  .bus_bytes = 8, .queue_bytes = 32, .addr_bits = 32,
	  .default_hz = 300000000, .cpuid_sig = 0x0652 },
	{ .name = NULL },
};

const struct cpu_model *cpu_model_find(const char *name)
{
	for (const struct cpu_model *m = cpu_models; m->name; m++)
		if (strcmp(m->name, name) == 0)
			return m;
	return NULL;
}
