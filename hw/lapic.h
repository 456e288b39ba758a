/* Local APICs (Intel SDM vol. 3 ch. 10, the P6-class xAPIC) and the APIC
 * bus that joins them to each other and to the I/O APIC.
 *
 * Each CPU has one local APIC.  It owns the CPU's INTR (a struct cpu_intr
 * the CPU polls): fixed interrupts in its IRR that beat the processor
 * priority, or, while LINT0 is in ExtINT mode or the APIC is globally
 * disabled, the 8259A's own INTR passed through (virtual wire mode).  The
 * boot CPU's LINT0 comes out of reset in ExtINT mode, as every PC firmware
 * leaves it, so a guest that never touches the APIC sees only the 8259A.
 *
 * The registers live in one 4 KiB MMIO window at the IA32_APIC_BASE
 * address (FEE00000h after reset).  Every CPU sees its own APIC there; the
 * bus shows the registers of the CPU that runs now (apic_bus_set_current).
 * A relocated base moves the window for all (CPUs that relocate do so to
 * the same address in practice).
 *
 * The timer counts the APIC bus clock through the divide configuration,
 * one-shot or periodic, on the machine clock (deterministic in emulation).
 * Interprocessor interrupts (ICR) go out at once: the delivery status bit
 * never reads busy.  Not modelled: SMI delivery, LVT thermal, the remote
 * read register, x2APIC, TSC-deadline timer mode, arbitration IDs.
 */
#ifndef TANDEM_HW_LAPIC_H
#define TANDEM_HW_LAPIC_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu/state.h"
#include "hw/device.h"

struct apic_bus;
struct lapic;
struct clock;
struct cpu_intr;
struct mem;

#define APIC_MAX_CPUS 8
#define LAPIC_DEFAULT_BASE 0xfee00000u
/* IA32_APIC_BASE (MSR 1Bh) bits. */
#define LAPIC_BASE_BSP (1u << 8)
#define LAPIC_BASE_ENABLE (1u << 11)

/* Delivery modes (ICR, LVT, I/O APIC redirection entries, MSI data). */
enum apic_delivery {
	APIC_DM_FIXED = 0,
	APIC_DM_LOWEST = 1,
	APIC_DM_SMI = 2,
	APIC_DM_NMI = 4,
	APIC_DM_INIT = 5,
	APIC_DM_STARTUP = 6,
	APIC_DM_EXTINT = 7,
};

/* Register offsets in the MMIO window. */
enum {
	LAPIC_ID = 0x20, LAPIC_VERSION = 0x30, LAPIC_TPR = 0x80, LAPIC_APR = 0x90,
	LAPIC_PPR = 0xa0, LAPIC_EOI = 0xb0, LAPIC_LDR = 0xd0, LAPIC_DFR = 0xe0,
	LAPIC_SVR = 0xf0, LAPIC_ISR = 0x100, LAPIC_TMR = 0x180, LAPIC_IRR = 0x200,
	LAPIC_ESR = 0x280, LAPIC_ICR_LO = 0x300, LAPIC_ICR_HI = 0x310,
	LAPIC_LVT_TIMER = 0x320, LAPIC_LVT_PERF = 0x340, LAPIC_LVT_LINT0 = 0x350,
	LAPIC_LVT_LINT1 = 0x360, LAPIC_LVT_ERROR = 0x370, LAPIC_TIMER_INIT = 0x380,
	LAPIC_TIMER_CUR = 0x390, LAPIC_TIMER_DIV = 0x3e0,
};

/* What the bus asks of whoever runs the CPUs when an INIT or a start-up
 * IPI reaches CPU cpu: init (sipi false) puts it in wait-for-SIPI (the
 * boot CPU: a reset), a start-up IPI (sipi true) starts a waiting one at
 * vector * 1000h in real mode.  Called while the sending CPU executes its
 * ICR write: the callee only records the request. */
typedef void (*apic_start_fn)(void *opaque, int cpu, bool sipi, uint8_t vector);
/* An EOI for a level-triggered vector, broadcast to the I/O APIC. */
typedef void (*apic_eoi_fn)(void *opaque, uint8_t vector);

/* The bus and its MMIO window at FEE00000h in mem.  bus_hz is the APIC
 * timer's input clock; version the value of the version register (max LVT
 * entry in bits 16-23).  kick is set when an NMI or INIT needs a CPU to
 * leave its run loop. */
struct apic_bus *apic_bus_new(struct mem *mem, struct clock *clock, uint64_t bus_hz,
			      uint32_t version, volatile int *kick);
/* Frees the bus (each APIC is freed through its device_desc); apic_bus_desc
 * does it for a machine's device list (add the bus before its APICs). */
void apic_bus_free(struct apic_bus *b);
extern const struct device_desc apic_bus_desc;
/* Adds the local APIC of the next CPU (index = APIC ID = number of CPUs so
 * far; index 0 is the boot CPU).  cpu receives NMIs (nmi_pending); out is
 * the CPU's INTR, its ack set here.  NULL when full or out of memory. */
struct lapic *apic_bus_add_cpu(struct apic_bus *b, struct x86_state *cpu, struct cpu_intr *out);
int apic_bus_ncpus(const struct apic_bus *b);
struct lapic *apic_bus_cpu(struct apic_bus *b, int idx);
/* Whose registers the MMIO window shows: the CPU the main loop runs. */
void apic_bus_set_current(struct apic_bus *b, int idx);
/* The 8259A's INTR (LINT0 of every CPU); its changed hook is taken. */
void apic_bus_set_pic(struct apic_bus *b, struct cpu_intr *pic);
void apic_bus_set_eoi_hook(struct apic_bus *b, apic_eoi_fn fn, void *opaque);
void apic_bus_set_start_hook(struct apic_bus *b, apic_start_fn fn, void *opaque);

/* An interrupt message on the bus (I/O APIC, MSI): dest is an APIC ID in
 * physical mode (FFh: all) or a logical destination; level marks it
 * level triggered (the TMR bit, and an EOI broadcast at its end). */
void apic_bus_deliver(struct apic_bus *b, uint8_t dest, bool logical, enum apic_delivery mode,
		      uint8_t vector, bool level);
/* A message signalled interrupt: a 32-bit write of data to addr, which
 * must lie in FEExxxxxh (bits 19-12 destination ID, bit 2 logical mode;
 * data bits 7-0 vector, 10-8 delivery mode, 15 level).  0, or -1 when
 * addr is not an interrupt address (nothing is delivered). */
int apic_bus_msi(struct apic_bus *b, uint64_t addr, uint32_t data);

/* The CPU's RESET (or INIT): the APIC's power-on state, as the device
 * reset gives it; the engines call it with their CPU reset. */
void lapic_cpu_reset(struct lapic *l);
/* WRMSR / RDMSR of IA32_APIC_BASE on this CPU. */
void lapic_set_base_msr(struct lapic *l, uint64_t v);
uint64_t lapic_base_msr(const struct lapic *l);
uint8_t lapic_id(const struct lapic *l);

/* The pure parts, for tests: the highest set bit of a 256-bit vector
 * register (-1 if none), the processor priority from TPR and the highest
 * in-service vector (-1: none), and whether a logical destination selects
 * an APIC with this LDR and DFR. */
int apic_highest_vector(const uint32_t reg[8]);
uint8_t apic_ppr(uint8_t tpr, int isrv);
bool apic_logical_match(uint32_t ldr, uint32_t dfr, uint8_t dest);
/* Timer divide configuration register value -> divisor (1..128). */
unsigned apic_timer_divisor(uint32_t dcr);

extern const struct device_desc lapic_desc;

#endif
