/* PCI configuration mechanism #1, i440FX PAM and PIIX3 functions. */
#include <check.h>
#include <errno.h>
#include <string.h>

#include "hw/ide.h"
#include "hw/memory.h"
#include "hw/pci.h"
#include "hw/piix3.h"
#include "tests/unit/hw_harness.h"

static struct hw_env env;
static struct mem *mem;
static struct pci_bus *bus;
static struct i440fx *host;
static struct piix3 *piix;
static struct ide_channel *ide[2];
static struct irq_probe irqs[16];
static int resets;

static void on_reset(void *opaque)
{
	(void)opaque;
	resets++;
}

static void setup(void)
{
	hw_env_init(&env);
	mem = mem_new(16u << 20);
	ck_assert_ptr_nonnull(mem);
	mem_reserve_hole(mem, 0xa0000, 0x60000);
	static uint8_t rom[0x10000];
	for (unsigned i = 0; i < sizeof(rom); i++)
		rom[i] = (uint8_t)(i * 3);
	ck_assert_int_eq(mem_map_rom(mem, 0xf0000, rom, sizeof(rom)), 0);
	bus = pci_bus_new(env.io, mem, on_reset, NULL);
	ck_assert_ptr_nonnull(bus);
	host = i440fx_new(bus, mem);
	ck_assert_ptr_nonnull(host);
	ide[0] = ide_new(env.io, 0x1f0, 0x3f6, NULL, mem);
	ide[1] = ide_new(env.io, 0x170, 0x376, NULL, mem);
	struct irq_line *lines[16];
	for (int i = 0; i < 16; i++) {
		irq_probe_init(&irqs[i]);
		lines[i] = &irqs[i].line;
	}
	piix = piix3_new(bus, env.io, lines, ide);
	ck_assert_ptr_nonnull(piix);
	pci_bus_desc.reset(bus);
	resets = 0;
}

static void teardown(void)
{
	piix3_desc.free(piix);
	ide_desc.free(ide[0]);
	ide_desc.free(ide[1]);
	i440fx_desc.free(host);
	pci_bus_desc.free(bus);
	mem_free(mem);
	hw_env_free(&env);
}

static uint32_t cfg_read(int dev, int fn, int off, int size)
{
	ioport_write(env.io, 0xcf8, 0x80000000u | dev << 11 | fn << 8 | (off & 0xfc), 4);
	return ioport_read(env.io, (uint16_t)(0xcfc + (off & 3)), size);
}

static void cfg_write(int dev, int fn, int off, uint32_t v, int size)
{
	ioport_write(env.io, 0xcf8, 0x80000000u | dev << 11 | fn << 8 | (off & 0xfc), 4);
	ioport_write(env.io, (uint16_t)(0xcfc + (off & 3)), v, size);
}

START_TEST(pci_ids_and_absent_functions)
{
	ck_assert_uint_eq(cfg_read(0, 0, 0, 4), 0x12378086);
	ck_assert_uint_eq(cfg_read(1, 0, 0, 4), 0x70008086);
	ck_assert_uint_eq(cfg_read(1, 1, 0, 4), 0x70108086);
	ck_assert_uint_eq(cfg_read(1, 1, 0x08, 4) >> 8, 0x010180);
	ck_assert_uint_eq(cfg_read(0, 0, 0x0a, 2), 0x0600);
	ck_assert_uint_eq(cfg_read(1, 0, 0x0e, 1), 0x80);	/* multi-function */
	ck_assert_uint_eq(cfg_read(0, 0, 0x0e, 1), 0x00);
	ck_assert_uint_eq(cfg_read(2, 0, 0, 4), 0xffffffffu);
	ck_assert_uint_eq(cfg_read(1, 2, 0, 2), 0xffff);
	/* Bus 1 does not exist; config address without the enable bit. */
	ioport_write(env.io, 0xcf8, 0x80010000u, 4);
	ck_assert_uint_eq(ioport_read(env.io, 0xcfc, 4), 0xffffffffu);
	ioport_write(env.io, 0xcf8, 0x00000000u, 4);
	ck_assert_uint_eq(ioport_read(env.io, 0xcfc, 4), 0xffffffffu);
	ck_assert_uint_eq(ioport_read(env.io, 0xcf8, 4), 0);
	/* Read-only IDs ignore writes. */
	cfg_write(0, 0, 0, 0, 4);
	ck_assert_uint_eq(cfg_read(0, 0, 0, 4), 0x12378086);
	/* CF9h bit 2 asks for a reset. */
	ioport_write(env.io, 0xcf9, 0x06, 1);
	ck_assert_int_eq(resets, 1);
}
END_TEST

START_TEST(pci_bar_probe_and_move)
{
	/* BMIBA (BAR4 of 00:01.1): a 16-byte I/O BAR. */
	cfg_write(1, 1, 0x20, 0xffffffffu, 4);
	ck_assert_uint_eq(cfg_read(1, 1, 0x20, 4), 0xfffffff1u);
	cfg_write(1, 1, 0x20, 0xc000, 4);
	ck_assert_uint_eq(cfg_read(1, 1, 0x20, 4), 0xc001);
	/* Not decoded until I/O space is enabled. */
	ck_assert_uint_eq(ioport_read(env.io, 0xc004, 4), 0xffffffffu);
	cfg_write(1, 1, 0x04, 0x0005, 2);
	ck_assert_uint_eq(cfg_read(1, 1, 0x04, 2), 0x0005);
	ioport_write(env.io, 0xc004, 0x12345677, 4);
	ck_assert_uint_eq(ioport_read(env.io, 0xc004, 4), 0x12345674);
	ioport_write(env.io, 0xc00c, 0x00001000, 4);
	ck_assert_uint_eq(ioport_read(env.io, 0xc00c, 4), 0x00001000);
	/* Moving it frees the old ports. */
	cfg_write(1, 1, 0x20, 0xd040, 4);
	ck_assert_uint_eq(ioport_read(env.io, 0xc004, 4), 0xffffffffu);
	ck_assert_uint_eq(ioport_read(env.io, 0xd044, 4), 0x12345674);
	/* Memory enable is not writable on the IDE function. */
	cfg_write(1, 1, 0x04, 0x0007, 2);
	ck_assert_uint_eq(cfg_read(1, 1, 0x04, 2), 0x0005);
	/* Status error bits are write-one-to-clear; others read-only. */
	cfg_write(1, 1, 0x06, 0xffff, 2);
	ck_assert_uint_eq(cfg_read(1, 1, 0x06, 2), 0x0200);
	/* A bus reset unmaps and restores power-on contents. */
	pci_bus_desc.reset(bus);
	ck_assert_uint_eq(cfg_read(1, 1, 0x20, 4), 0x1);
	ck_assert_uint_eq(ioport_read(env.io, 0xd044, 4), 0xffffffffu);
}
END_TEST

static uint32_t bar_at;
static int bar_calls;
static void bar_map(void *opaque, int bar, uint32_t addr)
{
	(void)opaque;
	(void)bar;
	bar_at = addr;
	bar_calls++;
}

START_TEST(pci_memory_bar_for_a_device)
{
	struct pci_func *f = pci_add_function(bus, PCI_DEVFN(2, 0), 0x1234, 0x1111, 0x02,
					      0x030000, NULL, NULL);
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_null(pci_add_function(bus, PCI_DEVFN(2, 0), 1, 1, 0, 0, NULL, NULL));
	ck_assert_int_eq(pci_bar_mem(f, 0, 16u << 20, true, bar_map, NULL), 0);
	ck_assert_int_eq(pci_bar_mem(f, 1, 100, false, bar_map, NULL), -EINVAL);
	cfg_write(2, 0, 0x10, 0xffffffffu, 4);
	ck_assert_uint_eq(cfg_read(2, 0, 0x10, 4), 0xff000008u);
	ck_assert_int_eq(bar_calls, 0);
	cfg_write(2, 0, 0x04, PCI_CMD_MEM, 2);
	/* The size-probe pattern is not a place to decode. */
	ck_assert_int_eq(bar_calls, 0);
	cfg_write(2, 0, 0x10, 0xe0000000u, 4);
	ck_assert_int_eq(bar_calls, 1);
	ck_assert_uint_eq(bar_at, 0xe0000000u);
	ck_assert_uint_eq(pci_bar_addr(f, 0), 0xe0000000u);
	cfg_write(2, 0, 0x04, 0, 2);
	ck_assert_int_eq(bar_calls, 2);
	ck_assert_uint_eq(bar_at, PCI_BAR_UNMAPPED);
	/* Device 2 INTA -> PIRQ (2 + 1 - 2) & 3 = PIRQB; route it to IRQ 11. */
	pci_config(f)[PCI_INT_PIN] = 1;
	cfg_write(1, 0, 0x61, 0x0b, 1);
	pci_set_irq(f, 1);
	ck_assert_int_eq(irqs[11].level, 1);
	cfg_write(1, 0, 0x61, 0x8b, 1);	/* routing off */
	ck_assert_int_eq(irqs[11].level, 0);
	cfg_write(1, 0, 0x61, 0x0a, 1);
	ck_assert_int_eq(irqs[10].level, 1);
	pci_set_irq(f, 0);
	ck_assert_int_eq(irqs[10].level, 0);
	/* IRQ 2 is not routable. */
	cfg_write(1, 0, 0x61, 0x02, 1);
	pci_set_irq(f, 1);
	ck_assert_int_eq(irqs[2].level, 0);
	/* ELCR */
	ioport_write(env.io, 0x4d0, 0xff, 1);
	ioport_write(env.io, 0x4d1, 0xff, 1);
	ck_assert_uint_eq(piix3_elcr(piix), 0xdef8);
}
END_TEST

START_TEST(pci_pam_shadow)
{
	ck_assert_uint_eq(mem_read8(mem, 0xf0010), 0x30);	/* ROM byte */
	/* Mode 2: reads ROM, writes go to shadow DRAM: a copy loop. */
	cfg_write(0, 0, 0x59, 0x20, 1);
	for (uint32_t a = 0xf0000; a < 0xf0100; a++)
		mem_write8(mem, a, mem_read8(mem, a));
	mem_write8(mem, 0xf0200, 0x77);
	ck_assert_uint_eq(mem_read8(mem, 0xf0200), (uint8_t)(0x200 * 3));
	/* Mode 3: DRAM read/write. */
	cfg_write(0, 0, 0x59, 0x30, 1);
	ck_assert_uint_eq(mem_read8(mem, 0xf0010), 0x30);
	ck_assert_uint_eq(mem_read8(mem, 0xf0200), 0x77);
	mem_write8(mem, 0xf0010, 0x99);
	ck_assert_uint_eq(mem_read8(mem, 0xf0010), 0x99);
	/* Mode 1: DRAM read-only. */
	cfg_write(0, 0, 0x59, 0x10, 1);
	mem_write8(mem, 0xf0010, 0x11);
	ck_assert_uint_eq(mem_read8(mem, 0xf0010), 0x99);
	/* Mode 0: the ROM again. */
	cfg_write(0, 0, 0x59, 0x00, 1);
	ck_assert_uint_eq(mem_read8(mem, 0xf0010), 0x30);
	/* C0000h segment with nothing behind it: all ones, then RAM. */
	ck_assert_uint_eq(mem_read8(mem, 0xc0000), 0xff);
	cfg_write(0, 0, 0x5a, 0x33, 1);
	mem_write8(mem, 0xc0000, 0x42);
	mem_write8(mem, 0xc4000, 0x43);
	ck_assert_uint_eq(mem_read8(mem, 0xc0000), 0x42);
	ck_assert_uint_eq(mem_read8(mem, 0xc4000), 0x43);
	ck_assert_uint_eq(mem_read8(mem, 0xc8000), 0xff);
	cfg_write(0, 0, 0x5a, 0x00, 1);
	ck_assert_uint_eq(mem_read8(mem, 0xc0000), 0xff);
	/* SeaBIOS-style dword write of PAM0-3 through CFCh. */
	cfg_write(0, 0, 0x58, 0x33333000u, 4);
	ck_assert_uint_eq(cfg_read(0, 0, 0x59, 1), 0x30);
	ck_assert_uint_eq(mem_read8(mem, 0xf0010), 0x99);
	/* A system reset clears the PAM registers: the ROM is back, and the
	 * shadow DRAM keeps its contents for the next time. */
	pci_bus_desc.reset(bus);
	ck_assert_uint_eq(cfg_read(0, 0, 0x59, 1), 0x00);
	ck_assert_uint_eq(mem_read8(mem, 0xf0010), 0x30);
	cfg_write(0, 0, 0x59, 0x10, 1);
	ck_assert_uint_eq(mem_read8(mem, 0xf0010), 0x99);
}
END_TEST

Suite *pci_suite(void)
{
	Suite *s = suite_create("pci");
	TCase *tc = tcase_create("i440fx_piix3");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, pci_ids_and_absent_functions);
	tcase_add_test(tc, pci_bar_probe_and_move);
	tcase_add_test(tc, pci_memory_bar_for_a_device);
	tcase_add_test(tc, pci_pam_shadow);
	suite_add_tcase(s, tc);
	return s;
}
