/* ACPI tables for firmware built for QEMU (SeaBIOS), which takes them from
 * fw_cfg instead of building its own: the files etc/acpi/rsdp (the RSDP),
 * etc/acpi/tables (FACS, DSDT, FADT, RSDT, offsets from the file's start)
 * and etc/table-loader, QEMU's linker script (128-byte commands: ALLOCATE a
 * file in high memory or the F segment, ADD_POINTER the address where a file
 * landed to a field of another, ADD_CHECKSUM over a range).  The tables
 * describe the same machine as our BIOS's own (bios/acpi.asm): the PM1a
 * block of hw/apm_port.h at 600h and the DSDT of hw/acpi_dsdt.h (\_S5, so
 * an OS booted through SeaBIOS can power tandem off, and the PCI host
 * bridge with its interrupt routing).  Our BIOS never reads fw_cfg, so
 * the files are always there.
 */
#ifndef TANDEM_HW_ACPI_FW_CFG_H
#define TANDEM_HW_ACPI_FW_CFG_H

#include <stdint.h>

struct fw_cfg;

/* The fw_cfg file names, as the loader script names them too. */
#define ACPI_FW_CFG_RSDP_FILE "etc/acpi/rsdp"
#define ACPI_FW_CFG_TABLES_FILE "etc/acpi/tables"
#define ACPI_FW_CFG_LOADER_FILE "etc/table-loader"

/* Adds the three files for a PM1a block at pm1_base (PM1a_EVT; PM1a_CNT at
 * +4, PM_TMR at +8) whose S5 sleep type is s5_typ; apic_cpus > 0 adds the
 * MADT (hw/apic_tables.h) for that many CPUs.  0 or -errno. */
int acpi_fw_cfg_add(struct fw_cfg *fw, uint16_t pm1_base, uint8_t s5_typ, int apic_cpus);

/* The blobs themselves, for tests: fills *rsdp (20 bytes), *tables and
 * *loader (malloc'd; the caller frees) and their lengths. */
int acpi_fw_cfg_build(uint16_t pm1_base, uint8_t s5_typ, int apic_cpus, uint8_t **rsdp,
		      uint32_t *rsdp_len,
		      uint8_t **tables, uint32_t *tables_len, uint8_t **loader,
		      uint32_t *loader_len);

#endif
