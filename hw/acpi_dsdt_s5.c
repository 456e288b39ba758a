/* acpi_dsdt_aml: the generated DSDT's body with a chosen \_S5 sleep type. */
#include <string.h>

#include "hw/acpi_dsdt.h"

#define HDR_LEN 36

uint32_t acpi_dsdt_aml(uint8_t *out, uint8_t s5_typ)
{
	uint32_t len = acpi_dsdt_table_len - HDR_LEN;
	memcpy(out, acpi_dsdt_table + HDR_LEN, len < ACPI_DSDT_AML_MAX ? len : ACPI_DSDT_AML_MAX);
	/* Name (_S5, Package (4) { typ, typ, 0, 0 }): "_S5_" PackageOp PkgLength
	 * NumElements, then each type as BytePrefix (0Ah) value. */
	for (uint32_t i = 0; i + 11 <= len; i++) {
		if (memcmp(out + i, "_S5_\x12", 5) == 0 && out[i + 6] == 4 &&
		    out[i + 7] == 0x0a && out[i + 9] == 0x0a) {
			out[i + 8] = s5_typ;
			out[i + 10] = s5_typ;
			break;
		}
	}
	return len;
}
