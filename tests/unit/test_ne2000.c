/* NE2000 at 300h, driven at register level: PROM, remote DMA, internal
 * loopback through the ring with wrap, address filters, overflow, hostile
 * register values, snapshots. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "hw/memory.h"
#include "hw/ne2000.h"
#include "hw/pci.h"
#include "tests/unit/hw_harness.h"

#define NE 0x300
#define DATA (NE + 0x10)
#define RESET (NE + 0x1f)

/* Page 0 write registers and CR values (DP8390 datasheet names). */
enum {
	CR = 0, PSTART = 1, PSTOP = 2, BNRY = 3, TPSR = 4, TBCR0 = 5, TBCR1 = 6, ISR = 7,
	RSAR0 = 8, RSAR1 = 9, RBCR0 = 0xa, RBCR1 = 0xb, RCR = 0xc, TCR = 0xd, DCR = 0xe,
	IMR = 0xf, CURR = 7, TSR = 4, RSR = 0xc, CNTR2 = 0xf,
	CR_P0 = 0x00, CR_P1 = 0x40, CR_P2 = 0x80,
	CR_STOP = 0x21, CR_START = 0x22, CR_RREAD = 0x0a, CR_RWRITE = 0x12, CR_TX = 0x26,
};

static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

static struct hw_env env;
static struct irq_probe irq3;
static struct ne2000 *ne;
static uint8_t sent[2048];
static size_t sent_len;
static int nsent;

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
	irq_probe_init(&irq3);
	ne = ne2000_new(env.io, NE, &irq3.line, mac);
	ck_assert_ptr_nonnull(ne);
	ne2000_set_send(ne, on_send, NULL);
	nsent = 0;
	sent_len = 0;
}

static void teardown(void)
{
	ne2000_desc.free(ne);
	hw_env_free(&env);
}

static void wr(int reg, uint8_t v) { hw_out(&env, NE + reg, v); }
static uint8_t rd(int reg) { return hw_in(&env, NE + reg); }

/* The Linux 8390 driver's start sequence, ring pstart..pstop. */
static void start(uint8_t pstart, uint8_t pstop, uint8_t rcr, uint8_t tcr)
{
	wr(CR, CR_STOP);
	wr(DCR, 0x49);			/* word transfers, normal mode, FIFO 8 */
	wr(RBCR0, 0);
	wr(RBCR1, 0);
	wr(RCR, rcr);
	wr(TCR, tcr);
	wr(PSTART, pstart);
	wr(PSTOP, pstop);
	wr(BNRY, pstart);
	wr(ISR, 0xff);
	wr(IMR, 0x7f);
	wr(CR, CR_STOP | CR_P1);
	for (int i = 0; i < 6; i++)
		wr(1 + i, mac[i]);
	for (int i = 0; i < 8; i++)
		wr(8 + i, 0);
	wr(CURR, (uint8_t)(pstart + 1));
	wr(CR, CR_START);
}

static void dma_setup(uint16_t addr, uint16_t count, uint8_t cmd)
{
	wr(RSAR0, addr & 0xff);
	wr(RSAR1, addr >> 8);
	wr(RBCR0, count & 0xff);
	wr(RBCR1, count >> 8);
	wr(CR, cmd);
}

static void dma_write(uint16_t addr, const uint8_t *p, uint16_t n)
{
	dma_setup(addr, n, CR_RWRITE);
	for (uint16_t i = 0; i < n; i += 2)
		ioport_write(env.io, DATA, p[i] | (i + 1 < n ? p[i + 1] << 8 : 0), 2);
}

static void dma_read(uint16_t addr, uint8_t *p, uint16_t n)
{
	dma_setup(addr, n, CR_RREAD);
	for (uint16_t i = 0; i < n; i += 2) {
		uint16_t w = (uint16_t)ioport_read(env.io, DATA, 2);
		p[i] = (uint8_t)w;
		if (i + 1 < n)
			p[i + 1] = (uint8_t)(w >> 8);
	}
}

static void make_frame(uint8_t *f, size_t len, const uint8_t *dst, uint8_t seed)
{
	memcpy(f, dst, 6);
	memcpy(f + 6, mac, 6);
	f[12] = 0x08;
	f[13] = 0x00;
	for (size_t i = 14; i < len; i++)
		f[i] = (uint8_t)(seed + i * 7);
}

static void transmit(uint8_t tpsr, const uint8_t *f, uint16_t len)
{
	dma_write((uint16_t)(tpsr << 8), f, len);
	wr(TPSR, tpsr);
	wr(TBCR0, len & 0xff);
	wr(TBCR1, len >> 8);
	wr(CR, CR_TX);
}

START_TEST(ne2000_prom_and_reset)
{
	rd(RESET - NE);
	(void)hw_in(&env, RESET);
	ck_assert_uint_eq(rd(ISR) & 0x80, 0x80);	/* RST after reset */
	ck_assert_uint_eq(rd(CR), CR_STOP);
	wr(DCR, 0x48);				/* byte-wide, as probes read the PROM */
	dma_setup(0, 32, CR_RREAD);
	uint8_t prom[32];
	for (int i = 0; i < 32; i++)
		prom[i] = hw_in(&env, DATA);
	for (int i = 0; i < 6; i++) {
		ck_assert_uint_eq(prom[2 * i], mac[i]);
		ck_assert_uint_eq(prom[2 * i + 1], mac[i]);
	}
	ck_assert_uint_eq(prom[28], 0x57);	/* 16-bit card signature */
	ck_assert_uint_eq(prom[30], 0x57);
	ck_assert_uint_eq(rd(ISR) & 0x40, 0x40);	/* RDC once the count ran out */
	/* Reads past the count move nothing. */
	ck_assert_uint_eq(hw_in(&env, DATA), 0xff);
}
END_TEST

START_TEST(ne2000_remote_dma_roundtrip)
{
	start(0x46, 0x80, 0x04, 0x00);
	uint8_t buf[300], back[300];
	for (int i = 0; i < 300; i++)
		buf[i] = (uint8_t)(i * 13 + 1);
	dma_write(0x4123, buf, 300);
	ck_assert_uint_eq(rd(ISR) & 0x40, 0x40);
	wr(ISR, 0x40);
	dma_read(0x4123, back, 300);
	ck_assert_mem_eq(buf, back, 300);
	/* The current DMA address registers follow the transfer. */
	ck_assert_uint_eq(rd(8) | rd(9) << 8, 0x4123 + 300);
}
END_TEST

START_TEST(ne2000_loopback_send_receive)
{
	start(0x46, 0x60, 0x04, 0x02);		/* broadcast ok; internal loopback */
	uint8_t f[100], back[104];
	make_frame(f, sizeof(f), mac, 3);
	ck_assert_int_eq(irq3.level, 0);
	transmit(0x40, f, sizeof(f));
	ck_assert_int_eq(nsent, 0);		/* loopback: nothing on the wire */
	ck_assert_uint_eq(rd(ISR) & 0x03, 0x03);	/* PTX and PRX */
	ck_assert_uint_eq(rd(TSR) & 1, 1);
	ck_assert_uint_eq(rd(RSR) & 1, 1);
	ck_assert_int_eq(irq3.level, 1);
	wr(CR, CR_START | CR_P1);
	ck_assert_uint_eq(rd(CURR), 0x48);		/* 104 bytes: one page */
	wr(CR, CR_START);
	dma_read(0x4700, back, 104);
	ck_assert_uint_eq(back[0], 0x01);		/* status: received intact */
	ck_assert_uint_eq(back[1], 0x48);		/* next page */
	ck_assert_uint_eq(back[2] | back[3] << 8, 104);	/* count with header */
	ck_assert_mem_eq(back + 4, f, sizeof(f));
	wr(ISR, 0xff);
	ck_assert_int_eq(irq3.level, 0);
	/* Normal mode: the frame goes to the network, byte for byte. */
	wr(TCR, 0);
	transmit(0x40, f, sizeof(f));
	ck_assert_int_eq(nsent, 1);
	ck_assert_uint_eq(sent_len, sizeof(f));
	ck_assert_mem_eq(sent, f, sizeof(f));
}
END_TEST

START_TEST(ne2000_ring_wrap)
{
	start(0x46, 0x50, 0x04, 0x02);
	/* Put the ring pointers two pages before PSTOP. */
	wr(BNRY, 0x4d);
	wr(CR, CR_START | CR_P1);
	wr(CURR, 0x4e);
	wr(CR, CR_START);
	uint8_t f[600], back[604];
	make_frame(f, sizeof(f), bcast, 9);
	transmit(0x40, f, sizeof(f));
	ck_assert_uint_eq(rd(ISR) & 0x01, 0x01);
	wr(CR, CR_START | CR_P1);
	/* 604 bytes = 3 pages: 4E, 4F, then 46 after the wrap; next is 47. */
	ck_assert_uint_eq(rd(CURR), 0x47);
	wr(CR, CR_START);
	/* One remote read across PSTOP wraps to PSTART. */
	dma_read(0x4e00, back, 604);
	ck_assert_uint_eq(back[0], 0x21);		/* PRX | broadcast */
	ck_assert_uint_eq(back[1], 0x47);
	ck_assert_uint_eq(back[2] | back[3] << 8, 604);
	ck_assert_mem_eq(back + 4, f, sizeof(f));
	/* The tail landed at the start of the ring. */
	uint8_t tail[92];
	dma_read(0x4600, tail, 92);
	ck_assert_mem_eq(tail, f + 600 - 92, 92);
}
END_TEST

START_TEST(ne2000_address_filter)
{
	start(0x46, 0x80, 0x00, 0x00);
	uint8_t f[64];
	uint8_t other[6] = { 0x52, 0x54, 0x00, 0x99, 0x99, 0x99 };
	uint8_t mcast[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 };
	struct ne2000_stats st;

	make_frame(f, sizeof(f), other, 1);
	ck_assert(!ne2000_rx(ne, f, sizeof(f)));
	make_frame(f, sizeof(f), bcast, 1);
	ck_assert(!ne2000_rx(ne, f, sizeof(f)));	/* AB clear */
	make_frame(f, sizeof(f), mac, 1);
	ck_assert(ne2000_rx(ne, f, sizeof(f)));
	wr(RCR, 0x04);
	make_frame(f, sizeof(f), bcast, 1);
	ck_assert(ne2000_rx(ne, f, sizeof(f)));
	/* Multicast needs AM and the hash bit: try every single bit. */
	make_frame(f, sizeof(f), mcast, 1);
	wr(RCR, 0x08);
	ck_assert(!ne2000_rx(ne, f, sizeof(f)));
	int hits = 0;
	for (int bit = 0; bit < 64; bit++) {
		wr(CR, CR_START | CR_P1);
		for (int i = 0; i < 8; i++)
			wr(8 + i, i == bit / 8 ? (uint8_t)(1 << (bit % 8)) : 0);
		wr(CR, CR_START);
		if (ne2000_rx(ne, f, sizeof(f)))
			hits++;
	}
	ck_assert_int_eq(hits, 1);
	wr(RCR, 0x10);				/* promiscuous */
	make_frame(f, sizeof(f), other, 1);
	ck_assert(ne2000_rx(ne, f, sizeof(f)));
	ne2000_get_stats(ne, &st);
	ck_assert_uint_eq(st.rx_frames, 4);
	ck_assert_uint_eq(st.rx_filtered, 3 + 63);
}
END_TEST

START_TEST(ne2000_runts_and_padding)
{
	start(0x46, 0x80, 0x04, 0x02);
	uint8_t f[40], back[64];
	make_frame(f, sizeof(f), mac, 5);
	transmit(0x40, f, sizeof(f));		/* a 40-byte frame on the loop */
	ck_assert_uint_eq(rd(ISR) & 0x03, 0x02);	/* sent, but a runt: not stored */
	wr(ISR, 0xff);
	wr(RCR, 0x06);				/* accept runts */
	transmit(0x40, f, sizeof(f));
	ck_assert_uint_eq(rd(ISR) & 0x03, 0x03);
	/* A short frame from the host is padded to 60 bytes. */
	wr(ISR, 0xff);
	ck_assert(ne2000_rx(ne, f, 20));
	wr(CR, CR_START | CR_P1);
	uint8_t curr = rd(CURR);
	wr(CR, CR_START);
	ck_assert_uint_eq(curr, 0x49);
	dma_read(0x4800, back, 64);
	ck_assert_uint_eq(back[2], 64);
	ck_assert_mem_eq(back + 4, f, 20);
	ck_assert_uint_eq(back[4 + 20], 0);
}
END_TEST

START_TEST(ne2000_ring_full_overflow)
{
	start(0x46, 0x4c, 0x04, 0x00);		/* a 6-page ring */
	uint8_t f[300];
	make_frame(f, sizeof(f), mac, 2);
	/* 304 bytes take 2 pages; with CURR one ahead of BNRY, two fit. */
	ck_assert(ne2000_rx(ne, f, sizeof(f)));
	ck_assert(ne2000_rx(ne, f, sizeof(f)));
	ck_assert(!ne2000_rx(ne, f, sizeof(f)));
	ck_assert_uint_eq(rd(ISR) & 0x10, 0x10);	/* OVW */
	ck_assert_uint_eq(rd(RSR) & 0x10, 0x10);	/* missed packet */
	ck_assert_uint_eq(rd(CNTR2), 1);
	ck_assert_uint_eq(rd(CNTR2), 0);		/* cleared by reading */
	/* Freeing pages (BNRY forward) makes room again. */
	wr(BNRY, 0x4a);
	ck_assert(ne2000_rx(ne, f, sizeof(f)));
}
END_TEST

START_TEST(ne2000_oversized_and_bad_tx)
{
	start(0x46, 0x80, 0x04, 0x00);
	struct ne2000_stats st;
	static uint8_t big[2000];
	make_frame(big, sizeof(big), mac, 1);
	ck_assert(!ne2000_rx(ne, big, sizeof(big)));
	/* TBCR beyond a frame, and a TPSR outside the buffer: aborted. */
	wr(TPSR, 0x40);
	wr(TBCR0, 0xd0);
	wr(TBCR1, 0x07);
	wr(CR, CR_TX);
	ck_assert_uint_eq(rd(ISR) & 0x0a, 0x08);	/* TXE, no PTX */
	ck_assert_uint_eq(rd(TSR) & 0x08, 0x08);
	wr(TPSR, 0x7f);
	wr(TBCR0, 0x00);
	wr(TBCR1, 0x02);
	wr(CR, CR_TX);
	wr(TPSR, 0x00);
	wr(TBCR0, 60);
	wr(TBCR1, 0);
	wr(CR, CR_TX);
	ck_assert_int_eq(nsent, 0);
	ne2000_get_stats(ne, &st);
	ck_assert_uint_eq(st.rx_oversized, 1);
	ck_assert_uint_eq(st.tx_bad, 3);
}
END_TEST

START_TEST(ne2000_hostile_registers)
{
	/* Random register writes, data port traffic and received frames: the
	 * card must stay inside its buffers (run under ASan to see it). */
	uint32_t x = 12345;
	uint8_t f[1600];
	memset(f, 0xff, sizeof(f));
	for (int i = 0; i < 200000; i++) {
		x = x * 1103515245u + 12345u;
		int port = (x >> 8) & 0x1f;
		uint8_t v = (uint8_t)(x >> 16);
		switch ((x >> 28) & 3) {
		case 0: hw_out(&env, NE + port, v); break;
		case 1: (void)ioport_read(env.io, NE + port, (x & 1) ? 2 : 1); break;
		case 2: ioport_write(env.io, DATA, x, (x & 1) ? 2 : 4); break;
		default: ne2000_rx(ne, f, 14 + (x >> 4) % 1600); break;
		}
	}
	/* Afterwards a clean start still works. */
	(void)hw_in(&env, RESET);
	start(0x46, 0x80, 0x04, 0x02);
	make_frame(f, 64, mac, 7);
	transmit(0x40, f, 64);
	ck_assert_uint_eq(rd(ISR) & 0x03, 0x03);
}
END_TEST

START_TEST(ne2000_snapshot_roundtrip)
{
	start(0x46, 0x80, 0x04, 0x02);
	uint8_t f[80], back[84];
	make_frame(f, sizeof(f), mac, 4);
	transmit(0x40, f, sizeof(f));
	struct snap s;
	snap_init(&s);
	ne2000_desc.save(ne, &s);
	(void)hw_in(&env, RESET);
	wr(CR, CR_STOP);
	struct snap r;
	snap_open(&r, s.data, s.len);
	ck_assert_int_eq(ne2000_desc.load(ne, &r), 0);
	ck_assert_uint_eq(rd(ISR) & 0x03, 0x03);
	dma_read(0x4700, back, 84);
	ck_assert_mem_eq(back + 4, f, sizeof(f));
	/* A truncated stream is refused. */
	snap_open(&r, s.data, s.len / 2);
	ck_assert_int_ne(ne2000_desc.load(ne, &r), 0);
	snap_free(&s);
}
END_TEST

static int pci_level;

static void pci_route(void *opaque, int pirq, int level)
{
	(void)opaque;
	(void)pirq;
	pci_level = level;
}

START_TEST(ne2000_pci_rtl8029)
{
	struct hw_env e;
	hw_env_init(&e);
	struct mem *m = mem_new(1 << 20);
	struct pci_bus *b = pci_bus_new(e.io, m, NULL, NULL);
	ck_assert_ptr_nonnull(b);
	pci_bus_set_router(b, pci_route, NULL);
	uint8_t devfn = PCI_DEVFN(4, 0);
	struct ne2000 *n = ne2000_new_pci(b, devfn, mac);
	ck_assert_ptr_nonnull(n);
	ck_assert_uint_eq(pci_bus_config_read(b, devfn, 0, 4), 0x802910ec);
	ck_assert_uint_eq(pci_bus_config_read(b, devfn, 0x0a, 2), 0x0200);
	pci_bus_config_write(b, devfn, PCI_BAR0, 0xffffffff, 4);
	ck_assert_uint_eq(pci_bus_config_read(b, devfn, PCI_BAR0, 4), 0xffffffe1);
	pci_bus_config_write(b, devfn, PCI_BAR0, 0xc100, 4);
	ck_assert_uint_eq(ioport_read(e.io, 0xc100, 1), 0xff);	/* I/O decoding off */
	pci_bus_config_write(b, devfn, PCI_COMMAND, PCI_CMD_IO, 2);
	ck_assert_uint_eq(ioport_read(e.io, 0xc100, 1), 0x21);	/* CR after reset */
	ck_assert_uint_eq(ioport_read(e.io, 0xc10a, 1), 0x50);	/* "PC": RTL8029 */
	ck_assert_uint_eq(ioport_read(e.io, 0xc10b, 1), 0x43);
	/* PROM through the BAR, and an interrupt on INTA. */
	ioport_write(e.io, 0xc10e, 0x48, 1);
	ioport_write(e.io, 0xc10a, 12, 1);
	ioport_write(e.io, 0xc10b, 0, 1);
	ioport_write(e.io, 0xc108, 0, 1);
	ioport_write(e.io, 0xc109, 0, 1);
	ioport_write(e.io, 0xc10f, 0x40, 1);			/* IMR: RDC */
	ioport_write(e.io, 0xc100, 0x0a, 1);
	for (int i = 0; i < 12; i++)
		ck_assert_uint_eq(ioport_read(e.io, 0xc110, 1), mac[i / 2]);
	ck_assert_int_eq(pci_level, 1);
	ioport_write(e.io, 0xc107, 0x40, 1);
	ck_assert_int_eq(pci_level, 0);
	ne2000_desc.free(n);
	pci_bus_desc.free(b);
	mem_free(m);
	hw_env_free(&e);
}
END_TEST

Suite *ne2000_suite(void)
{
	Suite *s = suite_create("ne2000");
	TCase *tc = tcase_create("dp8390");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, ne2000_prom_and_reset);
	tcase_add_test(tc, ne2000_remote_dma_roundtrip);
	tcase_add_test(tc, ne2000_loopback_send_receive);
	tcase_add_test(tc, ne2000_ring_wrap);
	tcase_add_test(tc, ne2000_address_filter);
	tcase_add_test(tc, ne2000_runts_and_padding);
	tcase_add_test(tc, ne2000_ring_full_overflow);
	tcase_add_test(tc, ne2000_oversized_and_bad_tx);
	tcase_add_test(tc, ne2000_hostile_registers);
	tcase_add_test(tc, ne2000_snapshot_roundtrip);
	suite_add_tcase(s, tc);
	TCase *pci = tcase_create("rtl8029");
	tcase_add_test(pci, ne2000_pci_rtl8029);
	suite_add_tcase(s, pci);
	return s;
}
