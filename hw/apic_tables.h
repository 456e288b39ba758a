/* What an OS reads to find the APICs of our at board (hw/pc_apic.h):
 *  - the ACPI MADT ("APIC", revision 1): the local APIC address, PCAT_COMPAT
 *    (the 8259As are there too), a processor local APIC entry per CPU (ACPI
 *    processor ID = APIC ID = index), the I/O APIC (GSI base 0) and the
 *    interrupt source override of ISA IRQ 0 onto GSI 2;
 *  - the Intel MultiProcessor Specification 1.4 tables: the 16-byte floating
 *    pointer ("_MP_") and the configuration table ("PCMP") with a processor
 *    entry per CPU (the first is the BSP), bus 0 PCI and bus 1 ISA, the I/O
 *    APIC, an I/O interrupt entry for each ISA IRQ but the cascade (IRQ 0 on
 *    INTIN 2, ExtINT from the 8259A on INTIN 0) and the local interrupts
 *    (ExtINT on LINT0, NMI on LINT1 of every CPU).  PCI interrupts are
 *    described by the DSDT's _PRT only.
 * Our BIOS builds the same tables (bios/apic.asm): keep them in step.
 */
#ifndef TANDEM_HW_APIC_TABLES_H
#define TANDEM_HW_APIC_TABLES_H

#include <stdint.h>

#define APIC_MADT_MAX (44 + 8 * 8 + 12 + 10)
#define MP_TABLE_MAX (16 + 44 + 8 * 20 + 2 * 8 + 8 + 16 * 8 + 2 * 8)

/* Fills out (apic_madt_len(ncpus) bytes, at most APIC_MADT_MAX) with the
 * MADT for ncpus CPUs (1-8), checksum included; returns its length. */
uint32_t apic_madt_build(uint8_t *out, int ncpus);
uint32_t apic_madt_len(int ncpus);

/* Fills out (MP_TABLE_MAX bytes) with the floating pointer followed by the
 * configuration table, for out landing at guest address addr (16-byte
 * aligned); cpu_sig and cpu_features are CPUID leaf 1 EAX and EDX.
 * Returns the length. */
uint32_t mp_table_build(uint8_t *out, uint32_t addr, int ncpus, uint32_t cpu_sig,
			uint32_t cpu_features);

/* The byte that makes len bytes at p sum to zero (given p[...] with that
 * byte 0). */
uint8_t apic_tables_checksum(const uint8_t *p, uint32_t len);

#endif
