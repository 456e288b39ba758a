/* The ACPI tables of hw/acpi_fw_cfg.h laid out in guest memory without any
 * firmware, for direct Linux boot: the table-loader script that SeaBIOS
 * runs on the fw_cfg files is run here instead, with every file allocated
 * in one block (the F segment's shadow RAM, hw/bootfw.h), so both paths
 * give the guest the same tables.
 */
#ifndef TANDEM_HW_ACPI_PLACE_H
#define TANDEM_HW_ACPI_PLACE_H

#include <stdint.h>

/* Builds the tables for a PM1a block at pm1_base with S5 sleep type s5_typ
 * (and the MADT for apic_cpus CPUs if not 0) and places them in area, the host copy of len bytes of guest memory at
 * guest address base (base 16-byte aligned), each file at the alignment the
 * script asks for, in script order, from the start of area.  Sets *rsdp to
 * the RSDP's guest address and *used to the bytes taken.  0, -ENOMEM, or
 * -ENOSPC when area is too small; -EINVAL if the script is malformed. */
int acpi_place(uint8_t *area, uint32_t base, uint32_t len, uint16_t pm1_base, uint8_t s5_typ,
	       int apic_cpus, uint32_t *rsdp, uint32_t *used);

#endif
