/* Direct boot's firmware work (hw/bootfw.h): PCI set up as our BIOS's POST
 * does it, and the $PIR and ACPI tables in the F segment's shadow RAM,
 * found and walked the way an OS does. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw/acpi_place.h"
#include "hw/apm_port.h"
#include "hw/bootfw.h"
#include "hw/ide.h"
#include "hw/machine.h"
#include "hw/pci.h"
#include "hw/pci_post.h"
#include "hw/pir_table.h"
#include "hw/piix3.h"
#include "tests/unit/hw_harness.h"

static struct hw_env env;
static struct machine m;
static struct i440fx *host;
static struct piix3 *piix;
static struct ide_channel *ide[2];
static struct irq_probe irqs[16];
static uint8_t rom[0x10000];
static uint32_t nic_mem_at;

static uint32_t dummy_read(void *opaque, uint16_t port, int size)
{
	(void)opaque;
	(void)port;
	(void)size;
	return 0;
}

static void dummy_write(void *opaque, uint16_t port, uint32_t val, int size)
{
	(void)opaque;
	(void)port;
	(void)val;
	(void)size;
}

static const struct ioport_ops dummy_ops = { .read = dummy_read, .write = dummy_write };

static void nic_map(void *opaque, int bar, uint32_t addr)
{
	(void)opaque;
	(void)bar;
	nic_mem_at = addr;
}

/* A network card at 00:05.0 (I/O BAR 0 of 256 ports, memory BAR 1 of 4 KiB,
 * INTA) and a storage controller at 00:07.0 (memory BAR 0 of 64 KiB, INTB). */
static void add_cards(void)
{
	struct pci_func *nic = pci_add_function(m.pci, PCI_DEVFN(5, 0), 0x10ec, 0x8139, 0x20,
						0x020000, NULL, NULL);
	ck_assert_ptr_nonnull(nic);
	pci_config(nic)[PCI_INT_PIN] = 1;
	ck_assert_int_eq(pci_bar_io(nic, 0, 256, &dummy_ops, NULL), 0);
	ck_assert_int_eq(pci_bar_mem(nic, 1, 4096, false, nic_map, NULL), 0);
	struct pci_func *blk = pci_add_function(m.pci, PCI_DEVFN(7, 0), 0x1af4, 0x1042, 1,
						0x010000, NULL, NULL);
	ck_assert_ptr_nonnull(blk);
	pci_config(blk)[PCI_INT_PIN] = 2;
	ck_assert_int_eq(pci_bar_mem(blk, 0, 0x10000, false, nic_map, NULL), 0);
}

static void setup(void)
{
	hw_env_init(&env);
	memset(&m, 0, sizeof(m));
	m.io = env.io;
	m.mem = mem_new(16u << 20);
	ck_assert_ptr_nonnull(m.mem);
	mem_reserve_hole(m.mem, 0xa0000, 0x60000);
	memset(rom, 0xcc, sizeof(rom));
	ck_assert_int_eq(mem_map_rom(m.mem, 0xf0000, rom, sizeof(rom)), 0);
	m.pci = pci_bus_new(env.io, m.mem, NULL, NULL);
	ck_assert_ptr_nonnull(m.pci);
	host = i440fx_new(m.pci, m.mem);
	ck_assert_ptr_nonnull(host);
	ide[0] = ide_new(env.io, 0x1f0, 0x3f6, NULL, m.mem);
	ide[1] = ide_new(env.io, 0x170, 0x376, NULL, m.mem);
	struct irq_line *lines[16];
	for (int i = 0; i < 16; i++) {
		irq_probe_init(&irqs[i]);
		lines[i] = &irqs[i].line;
	}
	piix = piix3_new(m.pci, env.io, lines, ide);
	ck_assert_ptr_nonnull(piix);
	add_cards();
	pci_bus_desc.reset(m.pci);
	nic_mem_at = PCI_BAR_UNMAPPED;
}

static void teardown(void)
{
	piix3_desc.free(piix);
	ide_desc.free(ide[0]);
	ide_desc.free(ide[1]);
	i440fx_desc.free(host);
	pci_bus_desc.free(m.pci);
	mem_free(m.mem);
	hw_env_free(&env);
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint8_t sum(const uint8_t *p, uint32_t len)
{
	uint8_t s = 0;
	while (len--)
		s = (uint8_t)(s + *p++);
	return s;
}

static uint32_t cfg(int dev, int fn, int off, int size)
{
	return pci_bus_config_read(m.pci, PCI_DEVFN(dev, fn), (uint8_t)off, size);
}

/* A table at addr in seg (the F segment read back from the guest): its
 * signature, a length that stays inside, a zero checksum. */
static const uint8_t *table(const uint8_t *seg, uint32_t addr, const char *sig)
{
	ck_assert_uint_ge(addr, BOOTFW_SEG);
	ck_assert_uint_lt(addr, BOOTFW_SEG + BOOTFW_SEG_LEN - 36);
	const uint8_t *t = seg + (addr - BOOTFW_SEG);
	ck_assert_msg(memcmp(t, sig, 4) == 0, "no %s at %#x", sig, addr);
	uint32_t len = le32(t + 4);
	ck_assert_uint_le(addr + len, BOOTFW_SEG + BOOTFW_SEG_LEN);
	ck_assert_msg(sum(t, len) == 0, "%s checksum", sig);
	return t;
}

static const uint8_t *find_aml(const uint8_t *t, const char *what, size_t n)
{
	uint32_t len = le32(t + 4);
	for (uint32_t i = 36; i + n <= len; i++)
		if (memcmp(t + i, what, n) == 0)
			return t + i;
	return NULL;
}

START_TEST(bootfw_tables_an_os_finds)
{
	uint32_t rsdp = 0;
	ck_assert_int_eq(bootfw_setup(&m, &rsdp), 0);
	static uint8_t seg[BOOTFW_SEG_LEN];
	ck_assert_int_eq(mem_copy_from_guest(m.mem, seg, BOOTFW_SEG, sizeof(seg)), 0);

	/* The RSDP as Linux scans for it: 16-byte aligned in the F segment. */
	uint32_t found = 0;
	for (uint32_t off = 0; off < sizeof(seg); off += 16)
		if (memcmp(seg + off, "RSD PTR ", 8) == 0 && sum(seg + off, 20) == 0) {
			found = BOOTFW_SEG + off;
			break;
		}
	ck_assert_uint_eq(found, rsdp);
	const uint8_t *r = seg + (rsdp - BOOTFW_SEG);
	ck_assert_uint_eq(r[15], 0);	/* ACPI 1.0: RSDT only */
	const uint8_t *rsdt = table(seg, le32(r + 16), "RSDT");
	ck_assert_uint_eq(le32(rsdt + 4), 40);
	const uint8_t *fadt = table(seg, le32(rsdt + 36), "FACP");
	ck_assert_uint_eq(le32(fadt + 56), APM_PORT_PM1);
	ck_assert_uint_eq(le32(fadt + 64), APM_PORT_PM1 + 4);
	ck_assert_uint_eq(le32(fadt + 76), APM_PORT_PM1 + 8);
	uint32_t facs = le32(fadt + 36);
	ck_assert_uint_eq(facs % 64, 0);
	ck_assert_mem_eq(seg + (facs - BOOTFW_SEG), "FACS", 4);
	const uint8_t *dsdt = table(seg, le32(fadt + 40), "DSDT");
	const uint8_t *s5 = find_aml(dsdt, "_S5_\x12", 5);
	ck_assert_ptr_nonnull(s5);
	ck_assert_uint_eq(s5[8], APM_PM1_SLP_TYP_S5);
	ck_assert_ptr_nonnull(find_aml(dsdt, "PCI0", 4));
	ck_assert_ptr_nonnull(find_aml(dsdt, "_PRT", 4));
	ck_assert_ptr_nonnull(find_aml(dsdt, "\x0c\x41\xd0\x0a\x03", 5));	/* PNP0A03 */

	/* $PIR at the start of the segment. */
	const uint8_t *pir = seg + (BOOTFW_PIR - BOOTFW_SEG);
	ck_assert_mem_eq(pir, "$PIR", 4);
	ck_assert_uint_eq(pir[6] | pir[7] << 8, PIR_TABLE_LEN);
	ck_assert_uint_eq(sum(pir, PIR_TABLE_LEN), 0);
	/* The segment is RAM now: the BIOS ROM under it is hidden. */
	ck_assert_uint_ne(mem_read8(m.mem, 0xfffff), 0xcc);
}
END_TEST

START_TEST(bootfw_pci_as_the_bios_leaves_it)
{
	uint32_t rsdp;
	ck_assert_int_eq(bootfw_setup(&m, &rsdp), 0);
	/* PIIX3 routing and the ELCR. */
	ck_assert_uint_eq(cfg(1, 0, 0x60, 4), 0x0b0b0a0a);
	ck_assert_uint_eq(piix3_elcr(piix) & 0x0c00, 0x0c00);
	/* I/O from C000h in bus order: the PIIX3 IDE's BMIBA (16 ports) first,
	 * then the card's 256 at the next 256-aligned port. */
	ck_assert_uint_eq(cfg(1, 1, 0x20, 4) & ~3u, 0xc000);
	ck_assert_uint_eq(cfg(5, 0, 0x10, 4), 0xc101);
	/* Memory down from FEC00000h, each BAR aligned to its size. */
	ck_assert_uint_eq(cfg(5, 0, 0x14, 4), 0xfebff000);
	ck_assert_uint_eq(cfg(7, 0, 0x10, 4), 0xfebe0000);
	ck_assert_uint_eq(nic_mem_at, 0xfebe0000);	/* the last map call: decoding on */
	/* Decoding on, bus mastering for network and storage. */
	ck_assert_uint_eq(cfg(5, 0, PCI_COMMAND, 2) & 7, 7);
	ck_assert_uint_eq(cfg(7, 0, PCI_COMMAND, 2) & 7, 7);
	ck_assert_uint_eq(cfg(0, 0, PCI_COMMAND, 2) & 7, 3);
	/* Interrupt lines: 00:05 INTA -> PIRQ (5 + 1 - 2) & 3 = A -> IRQ 10;
	 * 00:07 INTB -> PIRQ (7 + 2 - 2) & 3 = D -> IRQ 11. */
	ck_assert_uint_eq(cfg(5, 0, PCI_INT_LINE, 1), 10);
	ck_assert_uint_eq(cfg(7, 0, PCI_INT_LINE, 1), 11);
}
END_TEST

/* Memory BARs stay below other MMIO above E0000000h (virtio-mmio pages). */
START_TEST(bootfw_bars_below_other_mmio)
{
	static uint8_t page[4096];
	ck_assert_int_eq(mem_map_host(m.mem, 0xfeb00000, sizeof(page), page, true), 0);
	uint32_t rsdp;
	ck_assert_int_eq(bootfw_setup(&m, &rsdp), 0);
	ck_assert_uint_eq(cfg(5, 0, 0x14, 4), 0xfeaff000);
	ck_assert_uint_eq(cfg(7, 0, 0x10, 4), 0xfeae0000);
}
END_TEST

START_TEST(bootfw_no_pci_no_tables)
{
	struct machine bare = { .mem = m.mem, .io = m.io };
	uint32_t rsdp = 1;
	ck_assert_int_eq(bootfw_setup(&bare, &rsdp), 0);
	ck_assert_uint_eq(rsdp, 0);
	ck_assert_uint_eq(mem_read8(m.mem, 0xf0000), 0xcc);
}
END_TEST

START_TEST(bootfw_acpi_place_bounds)
{
	static uint8_t area[4096];
	uint32_t rsdp, used;
	ck_assert_int_eq(acpi_place(area, 0xf0400, 64, APM_PORT_PM1, 5, 0, &rsdp, &used), -ENOSPC);
	ck_assert_int_eq(acpi_place(area, 0xf0400, sizeof(area), APM_PORT_PM1, 5, 0, &rsdp, &used),
			 0);
	ck_assert_uint_le(used, sizeof(area));
	ck_assert_uint_ge(rsdp, 0xf0400);
	ck_assert_uint_le(rsdp + 20, 0xf0400 + used);
	ck_assert_uint_eq(rsdp % 16, 0);
	ck_assert_uint_eq(sum(area + (rsdp - 0xf0400), 20), 0);
}
END_TEST

/* The $PIR: header, entries as the bus swizzles pins, and the same bytes
 * our BIOS carries in its ROM. */
START_TEST(bootfw_pir_table_matches_the_bios)
{
	uint8_t t[PIR_TABLE_LEN];
	pir_table_build(t);
	ck_assert_mem_eq(t, "$PIR\x00\x01", 6);
	ck_assert_uint_eq(t[9], PCI_POST_PIIX3_DEVFN);
	ck_assert_uint_eq(le32(t + 12), 0x70008086);
	ck_assert_uint_eq(sum(t, sizeof(t)), 0);
	for (int dev = 0; dev < PIR_TABLE_SLOTS; dev++) {
		const uint8_t *e = t + 32 + 16 * dev;
		ck_assert_uint_eq(e[1], dev << 3);
		for (int pin = 1; pin <= 4; pin++) {
			const uint8_t *p = e + 2 + 3 * (pin - 1);
			ck_assert_uint_eq(p[0], 0x60 + pci_pin_pirq((uint8_t)dev, (uint8_t)pin));
			ck_assert_uint_eq(p[1] | p[2] << 8, PIR_IRQ_BITMAP);
		}
	}

	FILE *f = fopen("bios/bios.bin", "rb");
	ck_assert_msg(f != NULL, "bios/bios.bin not built (run make first)");
	static uint8_t bios[0x10000];
	size_t n = fread(bios, 1, sizeof(bios), f);
	fclose(f);
	ck_assert_uint_eq(n, sizeof(bios));
	const uint8_t *in_rom = NULL;
	for (size_t off = 0; off + PIR_TABLE_LEN <= n; off += 16)
		if (memcmp(bios + off, "$PIR", 4) == 0)
			in_rom = bios + off;
	ck_assert_msg(in_rom != NULL, "no 16-byte aligned $PIR in bios/bios.bin");
	ck_assert_mem_eq(in_rom, t, PIR_TABLE_LEN);
}
END_TEST

Suite *bootfw_suite(void)
{
	Suite *s = suite_create("bootfw");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, bootfw_tables_an_os_finds);
	tcase_add_test(tc, bootfw_pci_as_the_bios_leaves_it);
	tcase_add_test(tc, bootfw_bars_below_other_mmio);
	tcase_add_test(tc, bootfw_no_pci_no_tables);
	tcase_add_test(tc, bootfw_acpi_place_bounds);
	tcase_add_test(tc, bootfw_pir_table_matches_the_bios);
	suite_add_tcase(s, tc);
	return s;
}
