/* What a BIOS leaves behind for an OS, for boots that run none (--kernel):
 * PCI bus 0 configured (hw/pci_post.h) and, in the F segment turned into
 * shadow RAM through the i440FX PAM register (59h), the $PIR table
 * (hw/pir_table.h) at F0000h followed by the ACPI tables (RSDP, RSDT,
 * FADT, FACS, DSDT, and the MADT on APIC boards: hw/acpi_place.h) and the
 * MP tables (hw/apic_tables.h) at BOOTFW_MP that our BIOS and the fw_cfg files
 * for SeaBIOS also describe.  The segment is reserved in the E820 map
 * hw/linuxboot.c builds; boot_params.acpi_rsdp_addr points at the RSDP.
 * The BIOS ROM does not show below 1 MiB afterwards (it never ran).
 */
#ifndef TANDEM_HW_BOOTFW_H
#define TANDEM_HW_BOOTFW_H

#include <stdint.h>

struct machine;

#define BOOTFW_SEG 0xf0000u
#define BOOTFW_SEG_LEN 0x10000u
#define BOOTFW_PIR BOOTFW_SEG		/* the $PIR table */
#define BOOTFW_ACPI (BOOTFW_SEG + 0x400u)	/* the ACPI files from here */
#define BOOTFW_MP (BOOTFW_SEG + 0xf000u)	/* APIC boards: the MP tables */

/* Sets *rsdp to the RSDP's address, or 0 on a board without PCI (there is
 * nothing to describe).  0, or -errno with a message logged. */
int bootfw_setup(struct machine *m, uint32_t *rsdp);

#endif
