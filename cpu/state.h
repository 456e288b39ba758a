/* Architectural x86 CPU state shared by every engine.
 *
 * This struct is the hand-off format: an engine that stops must be able to
 * write everything it knows into it (get_state) and another engine must be
 * able to continue from it (set_state).  Engines may keep private shadows
 * (lazy flags, decoded caches) but those never leak out of get_state.
 */
#ifndef TANDEM_CPU_STATE_H
#define TANDEM_CPU_STATE_H

#include <stdint.h>

/* General registers in instruction-encoding order. */
enum x86_reg {
	X86_RAX, X86_RCX, X86_RDX, X86_RBX, X86_RSP, X86_RBP, X86_RSI, X86_RDI,
	X86_R8, X86_R9, X86_R10, X86_R11, X86_R12, X86_R13, X86_R14, X86_R15,
	X86_NR_GPR
};

/* Segment registers in instruction-encoding order (sreg field of ModRM). */
enum x86_sreg { X86_ES, X86_CS, X86_SS, X86_DS, X86_FS, X86_GS, X86_NR_SREG };

/* EFLAGS bits. */
enum {
	X86_CF = 1u << 0, X86_PF = 1u << 2, X86_AF = 1u << 4, X86_ZF = 1u << 6,
	X86_SF = 1u << 7, X86_TF = 1u << 8, X86_IF = 1u << 9, X86_DF = 1u << 10,
	X86_OF = 1u << 11, X86_IOPL = 3u << 12, X86_NT = 1u << 14,
	X86_RF = 1u << 16, X86_VM = 1u << 17, X86_AC = 1u << 18,
	X86_VIF = 1u << 19, X86_VIP = 1u << 20, X86_ID = 1u << 21,
};

/* A segment register with its hidden descriptor cache.  In real mode the
 * cache holds base = sel << 4, limit = 0xffff and a present data/code
 * type; "unreal" mode is simply a cache that protected mode left behind.
 * attr packs descriptor bits 40..47 (type, S, DPL, P) in bits 0..7 and
 * bits 52..55 (AVL, L, D/B, G) in bits 12..15, as VMX and KVM do. */
struct x86_seg {
	uint16_t sel;
	uint16_t attr;
	uint32_t limit;		/* byte granular, already expanded */
	uint64_t base;
};

struct x86_dtable {
	uint64_t base;
	uint16_t limit;
};

/* What the CPU is doing between instructions. */
enum x86_run_state {
	X86_RUNNING = 0,
	X86_HALTED,		/* HLT: wakes on INTR (if IF) or NMI */
	X86_SHUTDOWN,		/* triple fault or shutdown cycle */
};

struct x86_state {
	uint64_t gpr[X86_NR_GPR];
	uint64_t rip;
	uint64_t rflags;
	struct x86_seg seg[X86_NR_SREG];
	struct x86_seg ldtr, tr;
	struct x86_dtable gdtr, idtr;
	uint64_t cr0, cr2, cr3, cr4, cr8;
	uint64_t dr[8];
	uint64_t efer;
	uint64_t tsc;
	uint64_t apic_base;
	uint64_t sysenter_cs, sysenter_esp, sysenter_eip;
	/* kvmclock (--cpu host only): the guest's MSR_KVM_SYSTEM_TIME_NEW and
	 * MSR_KVM_WALL_CLOCK_NEW (area address | enable bit 0), and how far
	 * the guest's kvmclock runs ahead of the machine clock, in ns, so an
	 * engine that takes over continues the guest's time where the other
	 * left it (accel/kvm/README.md, "Time"). */
	uint64_t kvm_system_time, kvm_wall_clock;
	int64_t kvmclock_offset_ns;

	/* x87/MMX/SSE state in the FXSAVE image layout. */
	uint8_t fxsave[512] __attribute__((aligned(16)));

	enum x86_run_state run_state;
	/* One-instruction interrupt shadow after MOV SS/POP SS/STI. */
	uint8_t intr_shadow;
	uint8_t nmi_pending;
	uint8_t nmi_blocked;	/* inside an NMI handler until IRET */

	/* Monotonic counters: cycles drive virtual time in emulation. */
	uint64_t cycles;
	uint64_t insns;

	/* 8086/8088: the bus interface unit between two instructions, which
	 * the interpreter's clock count carries on (x86i_biu.h); times in
	 * clocks relative to the next instruction, INT16_MIN: none.  valid 0
	 * means a fresh start: full queue, idle bus. */
	struct x86_biu_state {
		uint8_t valid, q, odd_fetch, bus, bus_nb, bus_discard, last;
		int16_t bus_t1, last_t1, last_t4, sched, qready;
	} biu;
};

#endif
