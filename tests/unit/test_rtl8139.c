/* RTL8139 on a PCI bus, driven through its I/O BAR: EEPROM bit-banging,
 * transmit descriptors, the receive ring with wrap and overflow, loopback,
 * DMA outside RAM, hostile register values, snapshots. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "hw/memory.h"
#include "hw/pci.h"
#include "hw/rtl8139.h"
#include "tests/unit/hw_harness.h"

#define IO 0xc000
#define DEVFN PCI_DEVFN(3, 0)
#define RAM (2u << 20)

static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0xab, 0xcd, 0xef };

static struct hw_env env;
static struct mem *mem;
static struct pci_bus *bus;
static struct rtl8139 *nic;
static int irq_level;
static uint8_t sent[2048];
static size_t sent_len;
static int nsent;

static void route(void *opaque, int pirq, int level)
{
	(void)opaque;
	(void)pirq;
	irq_level = level;
}

static void on_send(void *opaque, const uint8_t *frame, size_t len)
{
	(void)opaque;
	nsent++;
	sent_len = len;
	memcpy(sent, frame, len < sizeof(sent) ? len : sizeof(sent));
}

static void setup(void)
{
	hw_env_init(&env);
	mem = mem_new(RAM);
	ck_assert_ptr_nonnull(mem);
	bus = pci_bus_new(env.io, mem, NULL, NULL);
	ck_assert_ptr_nonnull(bus);
	pci_bus_set_router(bus, route, NULL);
	nic = rtl8139_new(bus, DEVFN, mem, env.clk, mac);
	ck_assert_ptr_nonnull(nic);
	rtl8139_set_send(nic, on_send, NULL);
	pci_bus_config_write(bus, DEVFN, PCI_BAR0, IO, 4);
	pci_bus_config_write(bus, DEVFN, PCI_COMMAND, PCI_CMD_IO | PCI_CMD_MASTER, 2);
	irq_level = 0;
	nsent = 0;
}

static void teardown(void)
{
	rtl8139_desc.free(nic);
	pci_bus_desc.free(bus);
	mem_free(mem);
	hw_env_free(&env);
}

static uint8_t in8(int r) { return (uint8_t)ioport_read(env.io, IO + r, 1); }
static uint16_t in16(int r) { return (uint16_t)ioport_read(env.io, IO + r, 2); }
static uint32_t in32(int r) { return ioport_read(env.io, IO + r, 4); }
static void out8(int r, uint8_t v) { ioport_write(env.io, IO + r, v, 1); }
static void out16(int r, uint16_t v) { ioport_write(env.io, IO + r, v, 2); }
static void out32(int r, uint32_t v) { ioport_write(env.io, IO + r, v, 4); }

/* Linux 8139too's read_eeprom(), bit for bit. */
static uint16_t ee_read(int loc, int addr_len)
{
	enum { EE_CS = 0x08, EE_SK = 0x04, EE_DI = 0x02, EE_ENB = 0x80 | EE_CS };
	int cmd = loc | (6 << addr_len);
	uint16_t v = 0;
	out8(0x50, EE_ENB & ~EE_CS);
	out8(0x50, EE_ENB);
	for (int i = 4 + addr_len; i >= 0; i--) {
		int d = (cmd & (1 << i)) ? EE_DI : 0;
		out8(0x50, EE_ENB | d);
		out8(0x50, EE_ENB | d | EE_SK);
	}
	out8(0x50, EE_ENB);
	for (int i = 16; i > 0; i--) {
		out8(0x50, EE_ENB | EE_SK);
		v = (uint16_t)(v << 1 | (in8(0x50) & 1));
		out8(0x50, EE_ENB);
	}
	out8(0x50, 0);
	return v;
}

static void make_frame(uint8_t *f, size_t len, const uint8_t *dst, uint8_t seed)
{
	memcpy(f, dst, 6);
	memcpy(f + 6, mac, 6);
	f[12] = 0x08;
	f[13] = 0x00;
	for (size_t i = 14; i < len; i++)
		f[i] = (uint8_t)(seed + i * 11);
}

START_TEST(rtl8139_pci_and_eeprom)
{
	ck_assert_uint_eq(pci_bus_config_read(bus, DEVFN, 0, 4), 0x813910ec);
	ck_assert_uint_eq(pci_bus_config_read(bus, DEVFN, 0x0a, 2), 0x0200);	/* Ethernet */
	ck_assert_uint_eq(pci_bus_config_read(bus, DEVFN, PCI_INT_PIN, 1), 1);
	/* Linux probes with an 8-bit address first: a 93C46 must not answer
	 * 8129h then, so the driver settles on 6 bits. */
	ck_assert_uint_ne(ee_read(0, 8), 0x8129);
	ck_assert_uint_eq(ee_read(0, 6), 0x8129);
	for (int i = 0; i < 3; i++)
		ck_assert_uint_eq(ee_read(7 + i, 6), mac[2 * i] | mac[2 * i + 1] << 8);
	for (int i = 0; i < 6; i++)
		ck_assert_uint_eq(in8(i), mac[i]);
	ck_assert_uint_eq(in32(0x40) & 0x7cc00000, 0x74000000);	/* RTL8139C */
	/* The same registers through the memory BAR. */
	pci_bus_config_write(bus, DEVFN, PCI_BAR0 + 4, 0xfebf0000, 4);
	pci_bus_config_write(bus, DEVFN, PCI_COMMAND,
			     PCI_CMD_IO | PCI_CMD_MEM | PCI_CMD_MASTER, 2);
	ck_assert_uint_eq(mem_read32(mem, 0xfebf0000), in32(0));
	mem_write32(mem, 0xfebf0000 + 0x30, 0x12345678);
	ck_assert_uint_eq(in32(0x30), 0x12345678);
	pci_bus_config_write(bus, DEVFN, PCI_COMMAND, PCI_CMD_IO | PCI_CMD_MASTER, 2);
	ck_assert_uint_eq(mem_read32(mem, 0xfebf0000), 0xffffffff);
	ck_assert_uint_eq(in16(0x64) & 0x0024, 0x0024);		/* link, autoneg done */
}
END_TEST

START_TEST(rtl8139_transmit)
{
	uint8_t f[300];
	uint8_t other[6] = { 0x02, 0, 0, 0, 0, 1 };
	make_frame(f, sizeof(f), other, 1);
	mem_copy_to_guest(mem, 0x10000, f, sizeof(f));
	out8(0x37, 0x04);				/* TE */
	out16(0x3c, 0x0005);				/* IMR: ROK | TOK */
	for (int n = 0; n < 4; n++) {
		ck_assert_uint_eq(in32(0x10 + 4 * n) & 0x2000, 0x2000);	/* free */
		out32(0x20 + 4 * n, 0x10000);
		out32(0x10 + 4 * n, sizeof(f) | 0x100000);	/* early threshold */
		uint32_t tsd = in32(0x10 + 4 * n);
		ck_assert_uint_eq(tsd & 0xa000, 0xa000);	/* OWN | TOK */
		ck_assert_uint_eq(tsd & 0x1fff, sizeof(f));
	}
	ck_assert_int_eq(nsent, 4);
	ck_assert_uint_eq(sent_len, sizeof(f));
	ck_assert_mem_eq(sent, f, sizeof(f));
	ck_assert_uint_eq(in16(0x3e) & 4, 4);
	ck_assert_int_eq(irq_level, 1);
	ck_assert_uint_eq(in16(0x60) & 0xf00f, 0xf00f);	/* TSAD: all own + ok */
	out16(0x3e, 0x0004);
	ck_assert_int_eq(irq_level, 0);
}
END_TEST

START_TEST(rtl8139_bad_transmits)
{
	struct rtl8139_stats st;
	out8(0x37, 0x04);
	out32(0x20, 0x10000);
	out32(0x10, 1600);			/* larger than any frame */
	ck_assert_uint_eq(in32(0x10) & 0x40002000, 0x40002000);	/* TABT | OWN */
	ck_assert_uint_eq(in16(0x3e) & 0x08, 0x08);	/* TER */
	out32(0x20, RAM - 100);			/* runs off the end of RAM */
	out32(0x10, 200);
	ck_assert_uint_eq(in32(0x10) & 0x40000000, 0x40000000);
	out32(0x20, 0xfffff000);
	out32(0x10, 64);
	pci_bus_config_write(bus, DEVFN, PCI_COMMAND, PCI_CMD_IO, 2);	/* no master */
	out32(0x20, 0x10000);
	out32(0x10, 64);
	ck_assert_int_eq(nsent, 0);
	rtl8139_get_stats(nic, &st);
	ck_assert_uint_eq(st.tx_bad, 4);
	/* A descriptor handed over while the transmitter is off goes when TE is set. */
	pci_bus_config_write(bus, DEVFN, PCI_COMMAND, PCI_CMD_IO | PCI_CMD_MASTER, 2);
	out8(0x37, 0x00);
	out32(0x24, 0x10000);
	out32(0x14, 64);
	ck_assert_int_eq(nsent, 0);
	ck_assert_uint_eq(in32(0x14) & 0x2000, 0);
	out8(0x37, 0x04);
	ck_assert_int_eq(nsent, 1);
	ck_assert_uint_eq(in32(0x14) & 0xa000, 0xa000);
}
END_TEST

static void rx_start(uint32_t rcr)
{
	out32(0x30, 0x20000);
	out32(0x44, rcr);
	out8(0x37, 0x0c);			/* RE | TE */
	out16(0x38, 0xfff0);			/* CAPR: read point 0 */
}

/* The driver's side: the packet at the read point; returns its size (with
 * CRC) and advances CAPR as 8139too does. */
static uint32_t rx_take(uint32_t *rp, uint32_t ring, uint8_t *out, uint16_t *status)
{
	uint8_t h[4];
	for (int i = 0; i < 4; i++)
		mem_copy_from_guest(mem, h + i, 0x20000 + (*rp + i) % ring, 1);
	*status = (uint16_t)(h[0] | h[1] << 8);
	uint32_t size = (uint32_t)(h[2] | h[3] << 8);
	for (uint32_t i = 0; i < size; i++)
		mem_copy_from_guest(mem, out + i, 0x20000 + (*rp + 4 + i) % ring, 1);
	*rp = (*rp + size + 4 + 3) & ~3u;
	*rp %= ring;
	out16(0x38, (uint16_t)(*rp - 16));
	return size;
}

START_TEST(rtl8139_receive_ring_wrap)
{
	rx_start(0x0000000a);			/* APM | AB, 8 KiB ring, wrap */
	out16(0x3c, 0x0001);
	ck_assert_uint_eq(in8(0x37) & 1, 1);	/* BUFE */
	uint8_t f[1400], got[1500];
	uint32_t rp = 0;
	for (int k = 0; k < 20; k++) {		/* 20 KB through an 8 KB ring */
		size_t len = 600 + 37 * k;
		make_frame(f, len, (k & 1) ? mac : (const uint8_t *)"\xff\xff\xff\xff\xff\xff",
			   (uint8_t)k);
		ck_assert(rtl8139_rx(nic, f, len));
		ck_assert_int_eq(irq_level, 1);
		ck_assert_uint_eq(in8(0x37) & 1, 0);
		uint16_t status;
		uint32_t size = rx_take(&rp, 8192, got, &status);
		ck_assert_uint_eq(size, len + 4);
		ck_assert_uint_eq(status & 1, 1);
		ck_assert_uint_eq(status & 0x6000, (k & 1) ? 0x4000 : 0x2000);	/* PAM/BAR */
		for (size_t i = 0; i < len; i++)
			ck_assert_msg(got[i] == f[i], "k %d byte %zu rp %u", k, i, rp);
		uint32_t crc = (uint32_t)crc32(0, f, (uInt)len);
		ck_assert_uint_eq(got[len] | got[len + 1] << 8 | got[len + 2] << 16 |
				  (uint32_t)got[len + 3] << 24, crc);
		ck_assert_uint_eq(in16(0x3a), rp);	/* CBR: where the next one goes */
		ck_assert_uint_eq(in8(0x37) & 1, 1);
		out16(0x3e, 0x0001);
		ck_assert_int_eq(irq_level, 0);
	}
}
END_TEST

START_TEST(rtl8139_filters_and_short_frames)
{
	rx_start(0x00000002);			/* own address only */
	uint8_t f[64], got[80];
	uint8_t other[6] = { 0x02, 0, 0, 0, 0, 9 };
	uint8_t mcast[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0xfb };
	make_frame(f, 64, other, 1);
	ck_assert(!rtl8139_rx(nic, f, 64));
	make_frame(f, 64, (const uint8_t *)"\xff\xff\xff\xff\xff\xff", 1);
	ck_assert(!rtl8139_rx(nic, f, 64));
	make_frame(f, 64, mcast, 1);
	out32(0x44, 0x06);			/* + multicast, all hash bits */
	out32(0x08, 0xffffffff);
	out32(0x0c, 0xffffffff);
	ck_assert(rtl8139_rx(nic, f, 64));
	out32(0x44, 0x01);			/* promiscuous */
	make_frame(f, 64, other, 1);
	ck_assert(rtl8139_rx(nic, f, 64));
	/* A short frame from the host is padded to 60 bytes. */
	make_frame(f, 30, mac, 2);
	ck_assert(rtl8139_rx(nic, f, 30));
	uint32_t rp = 0;
	uint16_t status;
	rx_take(&rp, 8192, got, &status);
	ck_assert_uint_eq(status & 0x8000, 0x8000);	/* multicast */
	rx_take(&rp, 8192, got, &status);
	ck_assert_uint_eq(rx_take(&rp, 8192, got, &status), 64);
	ck_assert_mem_eq(got, f, 30);
	ck_assert_uint_eq(got[30], 0);
	/* Receiver off: nothing is stored. */
	out8(0x37, 0x04);
	ck_assert(!rtl8139_rx(nic, f, 64));
}
END_TEST

START_TEST(rtl8139_overflow_and_bad_ring)
{
	struct rtl8139_stats st;
	rx_start(0x0000000a);
	uint8_t f[1514];
	make_frame(f, sizeof(f), mac, 3);
	int stored = 0;
	for (int i = 0; i < 10; i++)
		stored += rtl8139_rx(nic, f, sizeof(f));
	ck_assert_int_eq(stored, 5);		/* 5 x 1524 bytes fill 8 KiB */
	ck_assert_uint_eq(in16(0x3e) & 0x10, 0x10);	/* RXOVW */
	ck_assert_uint_eq(in32(0x4c), 5);		/* missed packets */
	out32(0x4c, 0);
	ck_assert_uint_eq(in32(0x4c), 0);
	/* A ring that ends outside RAM: frames are dropped, RAM untouched. */
	out8(0x37, 0x10);			/* reset: CBR back to 0 */
	rx_start(0x0000000a);
	out32(0x30, RAM - 4096);
	for (int i = 0; i < 4; i++)		/* 4 x 1008 bytes fit below the end */
		ck_assert(rtl8139_rx(nic, f, 1000));
	ck_assert(!rtl8139_rx(nic, f, 1000));	/* this one would cross it */
	static uint8_t big[2000];
	ck_assert(!rtl8139_rx(nic, big, sizeof(big)));
	rtl8139_get_stats(nic, &st);
	ck_assert_uint_eq(st.rx_oversized, 1);
	ck_assert_uint_eq(st.rx_missed, 6);
	ck_assert_uint_eq(in32(0x4c), 1);
}
END_TEST

START_TEST(rtl8139_loopback)
{
	rx_start(0x0000000a);
	out32(0x40, 0x00060000);		/* TCR: loopback */
	uint8_t f[128], got[140];
	make_frame(f, sizeof(f), mac, 4);
	mem_copy_to_guest(mem, 0x10000, f, sizeof(f));
	out32(0x20, 0x10000);
	out32(0x10, sizeof(f));
	ck_assert_int_eq(nsent, 0);
	ck_assert_uint_eq(in16(0x3e) & 0x05, 0x05);	/* TOK and ROK */
	uint32_t rp = 0;
	uint16_t status;
	ck_assert_uint_eq(rx_take(&rp, 8192, got, &status), sizeof(f) + 4);
	ck_assert_mem_eq(got, f, sizeof(f));
}
END_TEST

/* The ring offsets QEMU's rtl8139 gives tests/net/rtl8139.asm's twelve loopback
 * frames (its rtl8139.debugcon): the same sequence must come out here. */
START_TEST(rtl8139_ring_offsets_match_qemu)
{
	static const uint16_t at[12] = { 0x0000, 0x00d0, 0x0210, 0x03bc, 0x05d8, 0x0860,
					 0x0b58, 0x0ebc, 0x1290, 0x16d0, 0x1b80, 0x009c };
	rx_start(0x0000000a);
	out32(0x40, 0x00060000);
	uint8_t f[1500], got[1500];
	uint32_t rp = 0;
	for (int k = 0; k < 12; k++) {
		uint16_t len = (uint16_t)(200 + 110 * k), status;
		make_frame(f, len, mac, (uint8_t)k);
		mem_copy_to_guest(mem, 0x10000, f, len);
		out32(0x20 + 4 * (k & 3), 0x10000);
		out32(0x10 + 4 * (k & 3), len | 0x00080000u);
		ck_assert_uint_eq(rp, at[k]);
		ck_assert_uint_eq(rx_take(&rp, 8192, got, &status), len + 4u);
		ck_assert_uint_eq(status, 0x4001);
		ck_assert_mem_eq(got, f, len);
	}
}
END_TEST

START_TEST(rtl8139_hostile_registers)
{
	uint32_t x = 777;
	uint8_t f[1600];
	memset(f, 0x52, sizeof(f));
	pci_bus_config_write(bus, DEVFN, PCI_COMMAND, PCI_CMD_IO | PCI_CMD_MASTER, 2);
	for (int i = 0; i < 200000; i++) {
		x = x * 1664525u + 1013904223u;
		int reg = (x >> 8) & 0xff;
		int size = 1 << ((x >> 4) & 3);
		if (size == 8)
			size = 4;
		switch ((x >> 28) & 3) {
		case 0: ioport_write(env.io, (uint16_t)(IO + reg), x >> 3, size); break;
		case 1: (void)ioport_read(env.io, (uint16_t)(IO + reg), size); break;
		case 2: out32(0x30, x & 0x3ffffc); break;	/* rings around end of RAM */
		default: rtl8139_rx(nic, f, 14 + (x >> 5) % 1600); break;
		}
	}
	/* Still a working card after a reset. */
	out8(0x37, 0x10);
	out8(0x50, 0x40);			/* auto-load: the MAC from the EEPROM */
	pci_bus_config_write(bus, DEVFN, PCI_COMMAND, PCI_CMD_IO | PCI_CMD_MASTER, 2);
	rx_start(0x0000000a);
	make_frame(f, 100, mac, 5);
	ck_assert(rtl8139_rx(nic, f, 100));
}
END_TEST

START_TEST(rtl8139_timer_and_snapshot)
{
	out32(0x54, 33000);			/* TimerInt: 1 ms of PCI clocks */
	out32(0x48, 0);
	out16(0x3c, 0x4000);
	hw_advance_ns(&env, 999000);
	ck_assert_uint_eq(in16(0x3e) & 0x4000, 0);
	hw_advance_ns(&env, 2000);
	ck_assert_uint_eq(in16(0x3e) & 0x4000, 0x4000);
	ck_assert_int_eq(irq_level, 1);
	uint32_t t = in32(0x48);
	ck_assert(t >= 33000 && t < 33100);

	rx_start(0x0000000a);
	uint8_t f[100];
	make_frame(f, sizeof(f), mac, 6);
	ck_assert(rtl8139_rx(nic, f, sizeof(f)));
	struct snap s;
	snap_init(&s);
	rtl8139_desc.save(nic, &s);
	uint16_t cbr = in16(0x3a);
	out8(0x37, 0x10);			/* reset clears it all */
	ck_assert_uint_eq(in16(0x3a), 0);
	struct snap r;
	snap_open(&r, s.data, s.len);
	ck_assert_int_eq(rtl8139_desc.load(nic, &r), 0);
	ck_assert_uint_eq(in16(0x3a), cbr);
	ck_assert_uint_eq(in8(0x37), 0x0c);
	ck_assert_uint_eq(in16(0x3e) & 0x4001, 0x4001);
	snap_open(&r, s.data, 20);
	ck_assert_int_ne(rtl8139_desc.load(nic, &r), 0);
	snap_free(&s);
}
END_TEST

Suite *rtl8139_suite(void)
{
	Suite *s = suite_create("rtl8139");
	TCase *tc = tcase_create("rtl8139");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, rtl8139_pci_and_eeprom);
	tcase_add_test(tc, rtl8139_transmit);
	tcase_add_test(tc, rtl8139_bad_transmits);
	tcase_add_test(tc, rtl8139_receive_ring_wrap);
	tcase_add_test(tc, rtl8139_filters_and_short_frames);
	tcase_add_test(tc, rtl8139_overflow_and_bad_ring);
	tcase_add_test(tc, rtl8139_loopback);
	tcase_add_test(tc, rtl8139_ring_offsets_match_qemu);
	tcase_add_test(tc, rtl8139_hostile_registers);
	tcase_add_test(tc, rtl8139_timer_and_snapshot);
	suite_add_tcase(s, tc);
	return s;
}
