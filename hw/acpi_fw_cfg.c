/* ACPI tables and QEMU's table-loader script for SeaBIOS (acpi_fw_cfg.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hw/acpi_dsdt.h"
#include "hw/apic_tables.h"
#include "hw/acpi_fw_cfg.h"
#include "hw/fw_cfg.h"
#include "util/le.h"

#define RSDP_FILE ACPI_FW_CFG_RSDP_FILE
#define TABLES_FILE ACPI_FW_CFG_TABLES_FILE
#define LOADER_FILE ACPI_FW_CFG_LOADER_FILE

/* Loader commands (QEMU's hw/acpi/bios-linker-loader.c layout). */
enum { CMD_ALLOCATE = 1, CMD_ADD_POINTER = 2, CMD_ADD_CHECKSUM = 3 };
enum { ZONE_HIGH = 1, ZONE_FSEG = 2 };
#define CMD_SIZE 128
#define NAME_SIZE 56

/* Offsets in etc/acpi/tables.  The FACS comes first: it must be 64-byte
 * aligned and the file is allocated that way. */
#define HDR_LEN 36
#define FACS_OFF 0
#define FACS_LEN 64
#define DSDT_OFF (FACS_OFF + FACS_LEN)
#define FADT_LEN 116		/* ACPI 1.0 */
#define RSDT_LEN(apic) (HDR_LEN + ((apic) ? 8 : 4))	/* the FADT [, the MADT] */
#define RSDP_LEN 20		/* ACPI 1.0: no XSDT */

/* The DSDT's AML (hw/acpi_dsdt.h) sets where the tables after it go. */
struct layout {
	uint32_t dsdt_len, fadt_off, madt_off, madt_len, rsdt_off, rsdt_len, tables_len;
	int apic_cpus;
};

static struct layout layout_for(uint32_t aml_len, int apic_cpus)
{
	struct layout l = { .dsdt_len = HDR_LEN + aml_len, .apic_cpus = apic_cpus };
	l.fadt_off = (DSDT_OFF + l.dsdt_len + 3) & ~3u;
	l.madt_off = l.fadt_off + FADT_LEN;
	l.madt_len = apic_cpus ? apic_madt_len(apic_cpus) : 0;
	l.rsdt_off = (l.madt_off + l.madt_len + 3) & ~3u;
	l.rsdt_len = RSDT_LEN(apic_cpus);
	l.tables_len = l.rsdt_off + l.rsdt_len;
	return l;
}

/* The common 36-byte header; the checksum stays 0 for the loader. */
static void header(uint8_t *t, const char *sig, uint32_t len, uint8_t rev)
{
	memcpy(t, sig, 4);
	le_put32(t + 4, len);
	t[8] = rev;
	memcpy(t + 10, "TANDEM", 6);
	memcpy(t + 16, "TANDEMPC", 8);
	le_put32(t + 24, 1);
	memcpy(t + 28, "TNDM", 4);
	le_put32(t + 32, 1);
}

static void build_tables(uint8_t *t, const struct layout *l, const uint8_t *aml,
			 uint16_t pm1)
{
	uint8_t *facs = t + FACS_OFF;
	memcpy(facs, "FACS", 4);
	le_put32(facs + 4, FACS_LEN);

	uint8_t *dsdt = t + DSDT_OFF;
	header(dsdt, "DSDT", l->dsdt_len, 1);
	memcpy(dsdt + HDR_LEN, aml, l->dsdt_len - HDR_LEN);

	/* The FADT of bios/acpi.asm: no SMI_CMD (always in ACPI mode), SCI 9
	 * (never raised), C2/C3 not supported. */
	uint8_t *fadt = t + l->fadt_off;
	header(fadt, "FACP", FADT_LEN, 1);
	le_put32(fadt + 36, FACS_OFF);	/* FIRMWARE_CTRL: the loader adds the base */
	le_put32(fadt + 40, DSDT_OFF);
	le_put16(fadt + 46, 9);		/* SCI_INT */
	le_put32(fadt + 56, pm1);		/* PM1a_EVT_BLK */
	le_put32(fadt + 64, pm1 + 4u);	/* PM1a_CNT_BLK */
	le_put32(fadt + 76, pm1 + 8u);	/* PM_TMR_BLK */
	fadt[88] = 4;			/* PM1_EVT_LEN */
	fadt[89] = 2;			/* PM1_CNT_LEN */
	fadt[91] = 4;			/* PM_TMR_LEN */
	le_put16(fadt + 96, 101);		/* P_LVL2_LAT: no C2 */
	le_put16(fadt + 98, 1001);		/* P_LVL3_LAT: no C3 */
	fadt[108] = 0x32;		/* CMOS century */
	le_put32(fadt + 112, 0x35);	/* WBINVD, PROC_C1, PWR/SLP buttons not fixed */

	if (l->apic_cpus)
		apic_madt_build(t + l->madt_off, l->apic_cpus);	/* no pointers inside */

	uint8_t *rsdt = t + l->rsdt_off;
	header(rsdt, "RSDT", l->rsdt_len, 1);
	le_put32(rsdt + HDR_LEN, l->fadt_off);
	if (l->apic_cpus)
		le_put32(rsdt + HDR_LEN + 4, l->madt_off);
}

static void build_rsdp(uint8_t *r, const struct layout *l)
{
	memcpy(r, "RSD PTR ", 8);
	memcpy(r + 9, "TANDEM", 6);	/* revision 0 (ACPI 1.0) at 15 */
	le_put32(r + 16, l->rsdt_off);
}

static uint8_t *next_cmd(uint8_t *loader, uint32_t *n, uint32_t cmd)
{
	uint8_t *c = loader + (*n)++ * CMD_SIZE;
	le_put32(c, cmd);
	return c;
}

static void cmd_allocate(uint8_t *l, uint32_t *n, const char *file, uint32_t align,
			 uint8_t zone)
{
	uint8_t *c = next_cmd(l, n, CMD_ALLOCATE);
	strcpy((char *)c + 4, file);
	le_put32(c + 4 + NAME_SIZE, align);
	c[8 + NAME_SIZE] = zone;
}

/* dest's 4-byte field at off += the address where src was put. */
static void cmd_pointer(uint8_t *l, uint32_t *n, const char *dest, const char *src,
			uint32_t off)
{
	uint8_t *c = next_cmd(l, n, CMD_ADD_POINTER);
	strcpy((char *)c + 4, dest);
	strcpy((char *)c + 4 + NAME_SIZE, src);
	le_put32(c + 4 + 2 * NAME_SIZE, off);
	c[8 + 2 * NAME_SIZE] = 4;
}

/* The byte at off makes [start, start + len) of file sum to 0. */
static void cmd_checksum(uint8_t *l, uint32_t *n, const char *file, uint32_t off,
			 uint32_t start, uint32_t len)
{
	uint8_t *c = next_cmd(l, n, CMD_ADD_CHECKSUM);
	strcpy((char *)c + 4, file);
	le_put32(c + 4 + NAME_SIZE, off);
	le_put32(c + 8 + NAME_SIZE, start);
	le_put32(c + 12 + NAME_SIZE, len);
}

#define LOADER_CMDS 11

static uint32_t build_loader(uint8_t *l, const struct layout *t)
{
	uint32_t n = 0;
	cmd_allocate(l, &n, TABLES_FILE, 64, ZONE_HIGH);
	cmd_allocate(l, &n, RSDP_FILE, 16, ZONE_FSEG);
	cmd_checksum(l, &n, TABLES_FILE, DSDT_OFF + 9, DSDT_OFF, t->dsdt_len);
	cmd_pointer(l, &n, TABLES_FILE, TABLES_FILE, t->fadt_off + 36);
	cmd_pointer(l, &n, TABLES_FILE, TABLES_FILE, t->fadt_off + 40);
	cmd_checksum(l, &n, TABLES_FILE, t->fadt_off + 9, t->fadt_off, FADT_LEN);
	cmd_pointer(l, &n, TABLES_FILE, TABLES_FILE, t->rsdt_off + HDR_LEN);
	if (t->apic_cpus)
		cmd_pointer(l, &n, TABLES_FILE, TABLES_FILE, t->rsdt_off + HDR_LEN + 4);
	cmd_checksum(l, &n, TABLES_FILE, t->rsdt_off + 9, t->rsdt_off, t->rsdt_len);
	cmd_pointer(l, &n, RSDP_FILE, TABLES_FILE, 16);
	cmd_checksum(l, &n, RSDP_FILE, 8, 0, RSDP_LEN);
	return n;
}

int acpi_fw_cfg_build(uint16_t pm1_base, uint8_t s5_typ, int apic_cpus, uint8_t **rsdp,
		      uint32_t *rsdp_len, uint8_t **tables, uint32_t *tables_len, uint8_t **loader,
		      uint32_t *loader_len)
{
	uint8_t aml[ACPI_DSDT_AML_MAX];
	struct layout l = layout_for(acpi_dsdt_aml(aml, s5_typ), apic_cpus);
	*rsdp = calloc(1, RSDP_LEN);
	*tables = calloc(1, l.tables_len);
	*loader = calloc(LOADER_CMDS, CMD_SIZE);
	if (!*rsdp || !*tables || !*loader) {
		free(*rsdp);
		free(*tables);
		free(*loader);
		return -ENOMEM;
	}
	build_rsdp(*rsdp, &l);
	build_tables(*tables, &l, aml, pm1_base);
	*loader_len = build_loader(*loader, &l) * CMD_SIZE;
	*rsdp_len = RSDP_LEN;
	*tables_len = l.tables_len;
	return 0;
}

int acpi_fw_cfg_add(struct fw_cfg *fw, uint16_t pm1_base, uint8_t s5_typ, int apic_cpus)
{
	uint8_t *rsdp, *tables, *loader;
	uint32_t rl, tl, ll;
	int err = acpi_fw_cfg_build(pm1_base, s5_typ, apic_cpus, &rsdp, &rl, &tables, &tl,
				    &loader, &ll);
	if (err)
		return err;
	err = fw_cfg_add_file(fw, RSDP_FILE, rsdp, rl);
	if (!err)
		err = fw_cfg_add_file(fw, TABLES_FILE, tables, tl);
	if (!err)
		err = fw_cfg_add_file(fw, LOADER_FILE, loader, ll);
	free(rsdp);
	free(tables);
	free(loader);
	return err;
}
