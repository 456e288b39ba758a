/* The DSDT of tandem's PC (\_S5 and the PCI root bridge with its _CRS
 * windows and _PRT interrupt routing), compiled from bios/dsdt.asl by
 * tools/dsdt.sh; our BIOS embeds the same bytes (bios/dsdt.inc). */
#ifndef TANDEM_HW_ACPI_DSDT_H
#define TANDEM_HW_ACPI_DSDT_H

#include <stdint.h>

/* The whole table as iasl wrote it, header and checksum included. */
extern const uint8_t acpi_dsdt_table[];
extern const unsigned acpi_dsdt_table_len;

#define ACPI_DSDT_AML_MAX 4096

/* Writes the AML body (what follows the 36-byte header) to out, which holds
 * ACPI_DSDT_AML_MAX bytes, with \_S5's sleep type set to s5_typ; returns
 * its length.  The caller writes the header and the checksum. */
uint32_t acpi_dsdt_aml(uint8_t *out, uint8_t s5_typ);

#endif
