/* Local APICs, the APIC bus and the I/O APIC, driven through their MMIO
 * windows as a guest would, plus the pure priority/destination logic. */
#include <check.h>
#include <stdlib.h>

#include "hw/acpi_fw_cfg.h"
#include "hw/apic_tables.h"
#include "hw/ioapic.h"
#include "hw/lapic.h"
#include "hw/machine.h"
#include "hw/memory.h"
#include "tests/unit/hw_harness.h"

#define A LAPIC_DEFAULT_BASE
#define IO 0xfec00000u

static struct hw_env env;
static struct mem *mem;
static struct apic_bus *bus;
static struct lapic *lap[2];
static struct ioapic *ioapic;
static struct x86_state cpu[2];
static struct cpu_intr intr[2];
static volatile int kick;
static int eoi_count;

static void setup(void)
{
	hw_env_init(&env);
	mem = mem_new(1u << 20);
	ck_assert_ptr_nonnull(mem);
	bus = apic_bus_new(mem, env.clk, 100000000, 0x00040011, &kick);
	ck_assert_ptr_nonnull(bus);
	for (int i = 0; i < 2; i++) {
		cpu[i] = (struct x86_state){ 0 };
		intr[i] = (struct cpu_intr){ 0 };
		lap[i] = apic_bus_add_cpu(bus, &cpu[i], &intr[i]);
		ck_assert_ptr_nonnull(lap[i]);
	}
	ioapic = ioapic_new(mem, IO, 8, bus);
	ck_assert_ptr_nonnull(ioapic);
	apic_bus_set_eoi_hook(bus, ioapic_eoi, ioapic);
	eoi_count = 0;
}

static void teardown(void)
{
	ioapic_desc.free(ioapic);
	for (int i = 0; i < 2; i++)
		lapic_desc.free(lap[i]);
	apic_bus_free(bus);
	mem_free(mem);
	hw_env_free(&env);
}

static uint32_t rd(int c, uint32_t reg)
{
	apic_bus_set_current(bus, c);
	return mem_read32(mem, A + reg);
}

static void wr(int c, uint32_t reg, uint32_t v)
{
	apic_bus_set_current(bus, c);
	mem_write32(mem, A + reg, v);
}

static void io_wr(uint32_t reg, uint32_t v)
{
	mem_write32(mem, IO, reg);
	mem_write32(mem, IO + 0x10, v);
}

static uint32_t io_rd(uint32_t reg)
{
	mem_write32(mem, IO, reg);
	return mem_read32(mem, IO + 0x10);
}

START_TEST(pure_logic)
{
	uint32_t r[8] = { 0 };
	ck_assert_int_eq(apic_highest_vector(r), -1);
	r[1] = 1u << 3;			/* vector 35 */
	ck_assert_int_eq(apic_highest_vector(r), 35);
	r[7] = 1u << 31;		/* vector 255 */
	ck_assert_int_eq(apic_highest_vector(r), 255);
	ck_assert_uint_eq(apic_ppr(0x20, -1), 0x20);
	ck_assert_uint_eq(apic_ppr(0x25, 0x41), 0x40);
	ck_assert_uint_eq(apic_ppr(0x45, 0x41), 0x45);
	ck_assert_uint_eq(apic_ppr(0x4f, 0x4a), 0x4f);
	/* flat */
	ck_assert(apic_logical_match(0x02000000, 0xffffffff, 0x03));
	ck_assert(!apic_logical_match(0x02000000, 0xffffffff, 0x05));
	/* cluster: cluster 1, member bit 1 */
	ck_assert(apic_logical_match(0x12000000, 0x0fffffff, 0x13));
	ck_assert(!apic_logical_match(0x12000000, 0x0fffffff, 0x23));
	ck_assert(apic_logical_match(0x12000000, 0x0fffffff, 0xff));
	ck_assert_uint_eq(apic_timer_divisor(0x0), 2);
	ck_assert_uint_eq(apic_timer_divisor(0x3), 16);
	ck_assert_uint_eq(apic_timer_divisor(0x8), 32);
	ck_assert_uint_eq(apic_timer_divisor(0xa), 128);
	ck_assert_uint_eq(apic_timer_divisor(0xb), 1);
}
END_TEST

START_TEST(reset_state)
{
	ck_assert_uint_eq(rd(0, LAPIC_ID), 0);
	ck_assert_uint_eq(rd(1, LAPIC_ID), 1u << 24);
	ck_assert_uint_eq(rd(0, LAPIC_VERSION), 0x00040011);
	ck_assert_uint_eq(lapic_base_msr(lap[0]), 0xfee00900u);
	ck_assert_uint_eq(lapic_base_msr(lap[1]), 0xfee00800u);
	ck_assert_uint_eq(rd(0, LAPIC_SVR), 0xff);
	ck_assert_uint_eq(rd(0, LAPIC_LVT_LINT0), 0x700);	/* virtual wire */
	ck_assert_uint_eq(rd(1, LAPIC_LVT_LINT0), 0x10000);
	ck_assert_uint_eq(rd(0, LAPIC_DFR), 0xffffffff);
}
END_TEST

/* Priority: TPR holds a class back; the higher vector goes first; EOI
 * clears the highest in-service one. */
START_TEST(priority_and_eoi)
{
	wr(0, LAPIC_SVR, 0x1ff);
	wr(0, LAPIC_TPR, 0x50);
	apic_bus_deliver(bus, 0, false, APIC_DM_FIXED, 0x45, false);
	ck_assert_int_eq(intr[0].level, 0);
	ck_assert_uint_eq(rd(0, LAPIC_IRR + 0x20), 1u << 5);
	apic_bus_deliver(bus, 0, false, APIC_DM_FIXED, 0x61, false);
	ck_assert_int_eq(intr[0].level, 1);
	ck_assert_uint_eq(intr[0].ack(intr[0].opaque), 0x61);
	ck_assert_uint_eq(rd(0, LAPIC_PPR), 0x60);
	ck_assert_int_eq(intr[0].level, 0);
	wr(0, LAPIC_TPR, 0);
	ck_assert_int_eq(intr[0].level, 0);	/* 45h is below in-service 61h */
	wr(0, LAPIC_EOI, 0);
	ck_assert_int_eq(intr[0].level, 1);
	ck_assert_uint_eq(intr[0].ack(intr[0].opaque), 0x45);
	wr(0, LAPIC_EOI, 0);
	ck_assert_uint_eq(rd(0, LAPIC_ISR + 0x20), 0);
	ck_assert_uint_eq(rd(0, LAPIC_PPR), 0);
}
END_TEST

START_TEST(ipis)
{
	wr(0, LAPIC_SVR, 0x1ff);
	wr(1, LAPIC_SVR, 0x1ff);
	/* physical destination 1 */
	wr(0, LAPIC_ICR_HI, 1u << 24);
	wr(0, LAPIC_ICR_LO, 0x4031);
	ck_assert_int_eq(intr[1].level, 1);
	ck_assert_int_eq(intr[0].level, 0);
	ck_assert_uint_eq(intr[1].ack(intr[1].opaque), 0x31);
	wr(1, LAPIC_EOI, 0);
	/* all excluding self */
	wr(1, LAPIC_ICR_LO, 0xc0000 | 0x32);
	ck_assert_int_eq(intr[0].level, 1);
	ck_assert_uint_eq(intr[0].ack(intr[0].opaque), 0x32);
	wr(0, LAPIC_EOI, 0);
	/* logical flat: LDR bit 1 on CPU 1 */
	wr(1, LAPIC_LDR, 0x02000000);
	wr(0, LAPIC_ICR_HI, 0x02000000);
	wr(0, LAPIC_ICR_LO, 0x800 | 0x33);
	ck_assert_uint_eq(rd(1, LAPIC_IRR + 0x10), 1u << 19);
	/* NMI */
	wr(0, LAPIC_ICR_HI, 1u << 24);
	wr(0, LAPIC_ICR_LO, 0x400);
	ck_assert_int_eq(cpu[1].nmi_pending, 1);
	/* illegal vector: send error, latched into ESR by an ESR write */
	wr(0, LAPIC_ICR_LO, 0x05);
	wr(0, LAPIC_ESR, 0);
	ck_assert_uint_eq(rd(0, LAPIC_ESR), 0x20);
	wr(0, LAPIC_ESR, 0);
	ck_assert_uint_eq(rd(0, LAPIC_ESR), 0);
	/* lowest priority: CPU 1 has the lower TPR */
	wr(0, LAPIC_TPR, 0x20);
	wr(0, LAPIC_ICR_HI, 0xff000000);
	wr(0, LAPIC_ICR_LO, 0x100 | 0x34);
	ck_assert_uint_eq(rd(1, LAPIC_IRR + 0x10), (1u << 19) | (1u << 20));
	ck_assert_uint_eq(rd(0, LAPIC_IRR + 0x10), 0);
}
END_TEST

START_TEST(timer_periodic_and_oneshot)
{
	wr(0, LAPIC_SVR, 0x1ff);
	wr(0, LAPIC_TIMER_DIV, 0xb);		/* divide by 1: 100 MHz, 10 ns */
	wr(0, LAPIC_LVT_TIMER, 0x20040);	/* periodic, vector 40h */
	wr(0, LAPIC_TIMER_INIT, 1000);		/* 10 us */
	hw_run_until(&env, 5000000);		/* 5 us */
	ck_assert_uint_eq(rd(0, LAPIC_TIMER_CUR), 500);
	int n = 0;
	for (int k = 1; k <= 10; k++) {
		hw_run_until(&env, (uint64_t)k * 10000000 + 1);
		if (intr[0].level) {
			ck_assert_uint_eq(intr[0].ack(intr[0].opaque), 0x40);
			wr(0, LAPIC_EOI, 0);
			n++;
		}
	}
	ck_assert_int_eq(n, 10);
	wr(0, LAPIC_LVT_TIMER, 0x00040);	/* one-shot */
	wr(0, LAPIC_TIMER_INIT, 100);
	hw_run_until(&env, 200000000);
	ck_assert_int_eq(intr[0].level, 1);
	ck_assert_uint_eq(intr[0].ack(intr[0].opaque), 0x40);
	wr(0, LAPIC_EOI, 0);
	hw_run_until(&env, 300000000);
	ck_assert_int_eq(intr[0].level, 0);
	ck_assert_uint_eq(rd(0, LAPIC_TIMER_CUR), 0);
}
END_TEST

/* The 8259A's INTR passes through LINT0 in ExtINT mode only. */
START_TEST(virtual_wire)
{
	struct cpu_intr pic = { 0 };
	apic_bus_set_pic(bus, &pic);
	pic.level = 1;
	pic.changed(pic.changed_opaque);
	ck_assert_int_eq(intr[0].level, 1);
	ck_assert_int_eq(intr[1].level, 0);	/* the AP's LINT0 is masked */
	wr(0, LAPIC_SVR, 0x0ff);		/* software disable masks LVTs */
	ck_assert_int_eq(intr[0].level, 0);
	lapic_set_base_msr(lap[0], 0xfee00000u);	/* globally disabled: no APIC */
	ck_assert_int_eq(intr[0].level, 1);
}
END_TEST

START_TEST(ioapic_edge_level_msi)
{
	wr(1, LAPIC_SVR, 0x1ff);
	ck_assert_uint_eq(io_rd(1), 0x00170011);
	ck_assert_uint_eq(io_rd(0) >> 24, 8);
	ck_assert_uint_eq(io_rd(0x10), 0x10000);	/* masked after reset */
	/* pin 5: level, vector 35h to APIC 1 */
	io_wr(0x1b, 1u << 24);
	io_wr(0x1a, 0x8035);
	ioapic_set_irq(ioapic, 5, 1);
	ck_assert_int_eq(intr[1].level, 1);
	ck_assert_uint_eq(io_rd(0x1a) & (1u << 14), 1u << 14);	/* remote IRR */
	ck_assert_uint_eq(intr[1].ack(intr[1].opaque), 0x35);
	ck_assert_uint_eq(rd(1, LAPIC_TMR + 0x10), 1u << 21);
	/* EOI with the line still high: sent again */
	wr(1, LAPIC_EOI, 0);
	ck_assert_int_eq(intr[1].level, 1);
	ck_assert_uint_eq(intr[1].ack(intr[1].opaque), 0x35);
	ioapic_set_irq(ioapic, 5, 0);
	wr(1, LAPIC_EOI, 0);
	ck_assert_int_eq(intr[1].level, 0);
	ck_assert_uint_eq(io_rd(0x1a) & (1u << 14), 0);
	/* pin 2: edge; a masked edge is lost */
	io_wr(0x15, 1u << 24);
	io_wr(0x14, 0x10036);
	ioapic_set_irq(ioapic, 2, 1);
	ioapic_set_irq(ioapic, 2, 0);
	ck_assert_int_eq(intr[1].level, 0);
	io_wr(0x14, 0x36);
	ck_assert_int_eq(intr[1].level, 0);
	ioapic_set_irq(ioapic, 2, 1);
	ck_assert_int_eq(intr[1].level, 1);
	ck_assert_uint_eq(intr[1].ack(intr[1].opaque), 0x36);
	wr(1, LAPIC_EOI, 0);
	/* MSI to APIC 1, vector 41h */
	ck_assert_int_eq(apic_bus_msi(bus, 0xfee01000u, 0x0041), 0);
	ck_assert_uint_eq(intr[1].ack(intr[1].opaque), 0x41);
	ck_assert_int_eq(apic_bus_msi(bus, 0xfed00000u, 0x0042), -1);
}
END_TEST

START_TEST(save_load)
{
	wr(0, LAPIC_SVR, 0x1ff);
	wr(0, LAPIC_TPR, 0x30);
	wr(0, LAPIC_TIMER_DIV, 0xb);
	wr(0, LAPIC_LVT_TIMER, 0x20040);
	wr(0, LAPIC_TIMER_INIT, 1000);
	hw_run_until(&env, 2500000);
	struct snap s;
	snap_init(&s);
	lapic_desc.save(lap[0], &s);
	uint32_t cur = rd(0, LAPIC_TIMER_CUR);
	lapic_desc.reset(lap[0]);
	ck_assert_uint_eq(rd(0, LAPIC_TPR), 0);
	struct snap r;
	snap_open(&r, s.data, s.len);
	ck_assert_int_eq(lapic_desc.load(lap[0], &r), 0);
	ck_assert_uint_eq(rd(0, LAPIC_TPR), 0x30);
	ck_assert_uint_eq(rd(0, LAPIC_TIMER_CUR), cur);
	hw_run_until(&env, 10000001);
	ck_assert_int_eq(intr[0].level, 1);
	snap_free(&s);
}
END_TEST

static uint8_t sum8(const uint8_t *p, uint32_t n)
{
	uint8_t s = 0;
	while (n--)
		s = (uint8_t)(s + *p++);
	return s;
}

static uint32_t le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

START_TEST(madt_contents)
{
	uint8_t t[APIC_MADT_MAX];
	uint32_t n = apic_madt_build(t, 3);
	ck_assert_uint_eq(n, 44 + 3 * 8 + 12 + 10);
	ck_assert_mem_eq(t, "APIC", 4);
	ck_assert_uint_eq(le32(t + 4), n);
	ck_assert_uint_eq(sum8(t, n), 0);
	ck_assert_uint_eq(le32(t + 36), 0xfee00000u);
	ck_assert_uint_eq(le32(t + 40), 1);
	for (int i = 0; i < 3; i++) {
		const uint8_t *e = t + 44 + 8 * i;
		ck_assert_uint_eq(e[0], 0);
		ck_assert_uint_eq(e[3], i);
		ck_assert_uint_eq(le32(e + 4), 1);
	}
	const uint8_t *io = t + 44 + 24;
	ck_assert_uint_eq(io[0], 1);
	ck_assert_uint_eq(le32(io + 4), 0xfec00000u);
	const uint8_t *ov = io + 12;
	ck_assert_uint_eq(ov[0], 2);
	ck_assert_uint_eq(ov[3], 0);
	ck_assert_uint_eq(le32(ov + 4), 2);
}
END_TEST

START_TEST(mp_table_contents)
{
	uint8_t t[MP_TABLE_MAX];
	uint32_t n = mp_table_build(t, 0xff000, 2, 0x0652, 0x201);
	ck_assert_uint_le(n, MP_TABLE_MAX);
	ck_assert_mem_eq(t, "_MP_", 4);
	ck_assert_uint_eq(sum8(t, 16), 0);
	ck_assert_uint_eq(le32(t + 4), 0xff010);
	const uint8_t *ct = t + 16;
	ck_assert_mem_eq(ct, "PCMP", 4);
	uint32_t len = ct[4] | ct[5] << 8;
	ck_assert_uint_eq(16 + len, n);
	ck_assert_uint_eq(sum8(ct, len), 0);
	ck_assert_uint_eq(le32(ct + 36), 0xfee00000u);
	/* walk the entries: two processors (the first the BSP), then the
	 * rest; IRQ 0 on INTIN 2 */
	const uint8_t *e = ct + 44;
	int cpus = 0, irq0_pin = -1, count = ct[34] | ct[35] << 8;
	for (int k = 0; k < count; k++) {
		if (e[0] == 0) {
			ck_assert_uint_eq(e[3] & 2, cpus == 0 ? 2 : 0);
			cpus++;
			e += 20;
			continue;
		}
		if (e[0] == 3 && e[1] == 0 && e[4] == 1 && e[5] == 0)
			irq0_pin = e[7];
		e += 8;
	}
	ck_assert_int_eq(cpus, 2);
	ck_assert_int_eq(irq0_pin, 2);
	ck_assert_ptr_eq(e, ct + len);
}
END_TEST

START_TEST(fw_cfg_tables_with_madt)
{
	uint8_t *rsdp, *tables, *loader;
	uint32_t rl, tl, ll;
	ck_assert_int_eq(acpi_fw_cfg_build(0x600, 5, 2, &rsdp, &rl, &tables, &tl, &loader, &ll),
			 0);
	/* offsets before the loader adds the base: RSDT entry 2 is the MADT */
	uint32_t rsdt = le32(rsdp + 16);
	ck_assert_uint_eq(le32(tables + rsdt + 4), 44);
	const uint8_t *madt = tables + le32(tables + rsdt + 40);
	ck_assert_mem_eq(madt, "APIC", 4);
	ck_assert_uint_eq(sum8(madt, le32(madt + 4)), 0);
	ck_assert_uint_eq(ll, 11 * 128);
	free(rsdp);
	free(tables);
	free(loader);
}
END_TEST

Suite *apic_suite(void)
{
	Suite *s = suite_create("apic");
	TCase *tc = tcase_create("apic");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, pure_logic);
	tcase_add_test(tc, reset_state);
	tcase_add_test(tc, priority_and_eoi);
	tcase_add_test(tc, ipis);
	tcase_add_test(tc, timer_periodic_and_oneshot);
	tcase_add_test(tc, virtual_wire);
	tcase_add_test(tc, ioapic_edge_level_msi);
	tcase_add_test(tc, save_load);
	tcase_add_test(tc, madt_contents);
	tcase_add_test(tc, mp_table_contents);
	tcase_add_test(tc, fw_cfg_tables_with_madt);
	suite_add_tcase(s, tc);
	return s;
}
