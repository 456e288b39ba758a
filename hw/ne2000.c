/* NE2000: the DP8390 core and the NE2000's buffer RAM, PROM, data and reset
 * ports.  Register facts from the DP8390D datasheet (NS, 1995). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hw/ioport.h"
#include "hw/irq.h"
#include "hw/ne2000.h"
#include "hw/pci.h"
#include "net/eth.h"
#include "util/snapshot.h"

enum {
	/* CR */
	CR_STP = 0x01, CR_STA = 0x02, CR_TXP = 0x04, CR_RD_MASK = 0x38,
	CR_RD_READ = 0x08, CR_RD_WRITE = 0x10, CR_RD_SEND = 0x18, CR_RD_ABORT = 0x20,
	/* ISR / IMR */
	ISR_PRX = 0x01, ISR_PTX = 0x02, ISR_RXE = 0x04, ISR_TXE = 0x08, ISR_OVW = 0x10,
	ISR_CNT = 0x20, ISR_RDC = 0x40, ISR_RST = 0x80,
	/* TSR */
	TSR_PTX = 0x01, TSR_ABT = 0x08,
	/* RSR */
	RSR_PRX = 0x01, RSR_MPA = 0x10, RSR_PHY = 0x20, RSR_DIS = 0x40,
	/* RCR */
	RCR_SEP = 0x01, RCR_AR = 0x02, RCR_AB = 0x04, RCR_AM = 0x08, RCR_PRO = 0x10,
	RCR_MON = 0x20,
	/* TCR */
	TCR_LB_MASK = 0x06,
	/* DCR */
	DCR_WTS = 0x01,
};

#define PROM_LEN 32
#define MIN_FRAME 60		/* without FCS; shorter frames on a wire are runts */
#define MAX_RX 1518		/* the largest frame the ring takes */
#define MAX_TX 1518

struct ne2000 {
	struct irq_line *irq;
	struct pci_func *pci;		/* the RTL8029 variant */
	struct irq_line pci_irq;
	void (*send)(void *opaque, const uint8_t *frame, size_t len);
	void *send_opaque;

	uint8_t cr, isr, imr, dcr, tcr, tsr, rcr, rsr;
	uint8_t pstart, pstop, bnry, curr, tpsr;
	uint16_t tbcr, rsar, rbcr;
	uint8_t ncr;			/* collisions: always 0 here */
	uint8_t cntr[3];		/* frame alignment, CRC, missed */
	uint8_t par[6], mar[8];

	uint8_t prom[PROM_LEN];
	uint8_t mem[NE2000_MEM_END - NE2000_MEM_START];
	struct ne2000_stats st;
};

static void update_irq(struct ne2000 *ne)
{
	irq_set(ne->irq, (ne->isr & ne->imr & 0x7f) != 0);
}

static void set_isr(struct ne2000 *ne, uint8_t bits)
{
	ne->isr |= bits;
	update_irq(ne);
}

/* Card memory as the remote DMA sees it: PROM, buffer RAM, nothing else
 * (reads of holes give FFh as an unpopulated bus does). */
static uint8_t mem_rd(const struct ne2000 *ne, uint16_t addr)
{
	if (addr < PROM_LEN)
		return ne->prom[addr];
	if (addr >= NE2000_MEM_START && addr < NE2000_MEM_END)
		return ne->mem[addr - NE2000_MEM_START];
	return 0xff;
}

static void mem_wr(struct ne2000 *ne, uint16_t addr, uint8_t v)
{
	if (addr >= NE2000_MEM_START && addr < NE2000_MEM_END)
		ne->mem[addr - NE2000_MEM_START] = v;
}

/* A ring the receiver can use: inside buffer RAM, non-empty. */
static bool ring_valid(const struct ne2000 *ne)
{
	return ne->pstart >= (NE2000_MEM_START >> 8) && ne->pstop <= (NE2000_MEM_END >> 8) &&
	       ne->pstart < ne->pstop;
}

static bool in_ring(const struct ne2000 *ne, uint8_t page)
{
	return page >= ne->pstart && page < ne->pstop;
}

/* ---- remote DMA ---------------------------------------------------------- */

static void dma_advance(struct ne2000 *ne)
{
	ne->rsar++;
	/* The remote DMA follows the ring: it wraps from PSTOP to PSTART, so a
	 * driver can read a frame that wraps without splitting the read. */
	if (ring_valid(ne) && ne->rsar == (uint16_t)(ne->pstop << 8))
		ne->rsar = (uint16_t)(ne->pstart << 8);
	if (ne->rbcr)
		ne->rbcr--;
	if (ne->rbcr == 0)
		set_isr(ne, ISR_RDC);
}

/* Bytes one data-port access moves: in word mode (DCR.WTS) every access
 * moves at least a word, a byte access seeing or supplying only its low
 * half (ne2k-pci reads the doubled PROM bytes this way); in byte mode one. */
static int data_width(const struct ne2000 *ne, int size)
{
	if (!(ne->dcr & DCR_WTS))
		return 1;
	return size < 2 ? 2 : size;
}

static uint32_t data_read(struct ne2000 *ne, int size)
{
	uint32_t v = 0;
	int n = data_width(ne, size);
	for (int i = 0; i < n; i++) {
		if (ne->rbcr == 0)
			v |= 0xffu << (8 * i);
		else {
			v |= (uint32_t)mem_rd(ne, ne->rsar) << (8 * i);
			dma_advance(ne);
		}
	}
	if (n < size)	/* a word access in byte mode moves one byte */
		v |= 0xffffff00u & ((1ull << (8 * size)) - 1);
	return size == 1 ? v & 0xff : v;
}

static void data_write(struct ne2000 *ne, uint32_t v, int size)
{
	int n = data_width(ne, size);
	if (size == 1)
		v &= 0xff;	/* the high half of the word is not driven: 0 */
	for (int i = 0; i < n && ne->rbcr; i++) {
		mem_wr(ne, ne->rsar, (uint8_t)(v >> (8 * i)));
		dma_advance(ne);
	}
}

/* ---- receive ------------------------------------------------------------- */

static bool accept(const struct ne2000 *ne, const uint8_t *frame)
{
	if (ne->rcr & RCR_PRO)
		return true;
	if (eth_is_broadcast(frame))
		return ne->rcr & RCR_AB;
	if (frame[0] & 1) {
		unsigned idx = eth_mcast_index(frame);
		return (ne->rcr & RCR_AM) && (ne->mar[idx >> 3] & (1u << (idx & 7)));
	}
	return memcmp(frame, ne->par, 6) == 0;
}

/* Stores a frame in the ring; runt tells a frame shorter than 60 bytes
 * came off the "wire" (loopback) rather than from a host stack. */
static bool receive(struct ne2000 *ne, const uint8_t *frame, size_t len, bool loop)
{
	uint8_t padded[MIN_FRAME];
	if (len < 6) {
		ne->st.rx_filtered++;
		return false;
	}
	if (len > MAX_RX) {
		ne->st.rx_oversized++;
		return false;
	}
	if (ne->cr & CR_STP) {
		ne->st.rx_missed++;
		return false;
	}
	if (len < MIN_FRAME) {
		if (loop && !(ne->rcr & RCR_AR)) {
			ne->st.rx_filtered++;
			return false;
		}
		if (!loop) {
			/* Host stacks hand over unpadded frames; the wire pads. */
			memset(padded, 0, sizeof(padded));
			memcpy(padded, frame, len);
			frame = padded;
			len = MIN_FRAME;
		}
	}
	if (!accept(ne, frame)) {
		ne->st.rx_filtered++;
		return false;
	}
	bool multi = frame[0] & 1;
	if (ne->rcr & RCR_MON) {
		/* Monitor mode checks frames but stores none. */
		ne->rsr = (uint8_t)(RSR_PRX | (multi ? RSR_PHY : 0));
		return false;
	}
	if (!ring_valid(ne) || !in_ring(ne, ne->curr) || !in_ring(ne, ne->bnry)) {
		ne->st.rx_missed++;
		goto missed;
	}
	/* The count in the header covers header and frame; the pages also
	 * hold the 4 CRC bytes a wire frame brings (drivers accept either
	 * next-page value; QEMU reserves them too). */
	size_t total = len + 4;
	unsigned pages = (unsigned)((total + 4 + 255) / 256);
	unsigned ring = ne->pstop - ne->pstart;
	unsigned curr = ne->curr, bnry = ne->bnry;
	unsigned used = curr >= bnry ? curr - bnry : ring - (bnry - curr);
	/* CURR must never catch up with BNRY: equal means empty. */
	if (pages >= ring - used) {
		ne->st.rx_missed++;
		set_isr(ne, ISR_OVW);
		goto missed;
	}
	unsigned next = ne->curr + pages;
	if (next >= ne->pstop)
		next -= ring;
	uint16_t addr = (uint16_t)(ne->curr << 8);
	uint8_t hdr[4] = { (uint8_t)(RSR_PRX | (multi ? RSR_PHY : 0)), (uint8_t)next,
			   (uint8_t)total, (uint8_t)(total >> 8) };
	for (size_t i = 0; i < total; i++) {
		mem_wr(ne, addr, i < 4 ? hdr[i] : frame[i - 4]);
		addr++;
		if (addr == (uint16_t)(ne->pstop << 8))
			addr = (uint16_t)(ne->pstart << 8);
	}
	ne->curr = (uint8_t)next;
	ne->rsr = hdr[0];
	ne->st.rx_frames++;
	set_isr(ne, ISR_PRX);
	return true;
missed:
	ne->rsr = RSR_MPA;
	/* The tally counters saturate; CNT says one has its top bit set. */
	if (ne->cntr[2] < 0xff)
		ne->cntr[2]++;
	if (ne->cntr[2] & 0x80)
		set_isr(ne, ISR_CNT);
	return false;
}

bool ne2000_rx(void *opaque, const uint8_t *frame, size_t len)
{
	return receive(opaque, frame, len, false);
}

/* ---- transmit ------------------------------------------------------------ */

static void transmit(struct ne2000 *ne)
{
	uint8_t buf[MAX_TX];
	uint32_t start = (uint32_t)ne->tpsr << 8;
	uint32_t len = ne->tbcr;
	ne->cr &= (uint8_t)~CR_TXP;
	if (len > MAX_TX || start < NE2000_MEM_START || start + len > NE2000_MEM_END) {
		ne->st.tx_bad++;
		ne->tsr = TSR_ABT;
		set_isr(ne, ISR_TXE);
		return;
	}
	memcpy(buf, ne->mem + (start - NE2000_MEM_START), len);
	ne->st.tx_frames++;
	ne->tsr = TSR_PTX;
	if (ne->tcr & TCR_LB_MASK)
		receive(ne, buf, len, true);
	else if (ne->send && len >= 14)
		ne->send(ne->send_opaque, buf, len);
	set_isr(ne, ISR_PTX);
}

/* ---- registers ----------------------------------------------------------- */

static void write_cr(struct ne2000 *ne, uint8_t v)
{
	if (v & CR_STP) {
		ne->cr = (uint8_t)((v & ~(CR_STA | CR_TXP)) | CR_STP);
		set_isr(ne, ISR_RST);
		return;
	}
	uint8_t old = ne->cr;
	ne->cr = (uint8_t)(v & ~CR_TXP);
	if (v & CR_STA) {
		ne->cr &= (uint8_t)~CR_STP;
		ne->isr &= (uint8_t)~ISR_RST;
	} else if (old & CR_STA) {
		ne->cr |= CR_STA;
	}
	/* "Send packet": a remote read of the frame at BNRY, its length taken
	 * from the header stored there. */
	if ((v & CR_RD_MASK) == CR_RD_SEND && ring_valid(ne) && in_ring(ne, ne->bnry)) {
		uint16_t a = (uint16_t)(ne->bnry << 8);
		ne->rsar = a;
		ne->rbcr = (uint16_t)(mem_rd(ne, a + 2) | mem_rd(ne, a + 3) << 8);
		ne->cr = (uint8_t)((ne->cr & ~CR_RD_MASK) | CR_RD_READ);
	}
	if ((v & CR_RD_MASK) != CR_RD_ABORT && (v & CR_RD_MASK) && ne->rbcr == 0 &&
	    (v & CR_RD_MASK) != CR_RD_SEND)
		set_isr(ne, ISR_RDC);	/* a zero-length transfer is done at once */
	if ((v & CR_TXP) && (ne->cr & CR_STA))
		transmit(ne);
}

static uint8_t reg_read(struct ne2000 *ne, unsigned r)
{
	unsigned page = ne->cr >> 6;
	uint8_t v;
	if (r == 0)
		return ne->cr;
	if (page == 1) {
		if (r <= 6)
			return ne->par[r - 1];
		if (r == 7)
			return ne->curr;
		return ne->mar[r - 8];
	}
	if (page == 2) {
		switch (r) {
		case 1: return ne->pstart;
		case 2: return ne->pstop;
		case 4: return ne->tpsr;
		case 0xc: return ne->rcr | 0xc0;
		case 0xd: return ne->tcr | 0xe0;
		case 0xe: return ne->dcr | 0x80;
		case 0xf: return ne->imr | 0x80;
		default: return 0;
		}
	}
	if (page == 3)
		return 0;
	switch (r) {
	case 1: return (uint8_t)ne->rsar;	/* CLDA: no local DMA to show */
	case 2: return (uint8_t)(ne->rsar >> 8);
	case 3: return ne->bnry;
	case 4: return ne->tsr;
	case 5: return ne->ncr;
	case 6: return 0;
	case 7: return ne->isr;
	case 8: return (uint8_t)ne->rsar;
	case 9: return (uint8_t)(ne->rsar >> 8);
	case 0xa: return ne->pci ? 0x50 : 0xff;	/* RTL8029 ID */
	case 0xb: return ne->pci ? 0x43 : 0xff;
	case 0xc: return ne->rsr;
	case 0xd: case 0xe: case 0xf:
		/* Tally counters clear when read. */
		v = ne->cntr[r - 0xd];
		ne->cntr[r - 0xd] = 0;
		return v;
	default: return 0xff;
	}
}

static void reg_write(struct ne2000 *ne, unsigned r, uint8_t v)
{
	unsigned page = ne->cr >> 6;
	if (r == 0) {
		write_cr(ne, v);
		return;
	}
	if (page == 1) {
		if (r <= 6)
			ne->par[r - 1] = v;
		else if (r == 7)
			ne->curr = v;
		else
			ne->mar[r - 8] = v;
		return;
	}
	if (page == 2) {
		/* Diagnostic page: PSTART, PSTOP, TPSR read back here; the
		 * local DMA pointers are not modelled. */
		return;
	}
	if (page == 3)
		return;
	switch (r) {
	case 1: ne->pstart = v; break;
	case 2: ne->pstop = v; break;
	case 3: ne->bnry = v; break;
	case 4: ne->tpsr = v; break;
	case 5: ne->tbcr = (uint16_t)((ne->tbcr & 0xff00) | v); break;
	case 6: ne->tbcr = (uint16_t)((ne->tbcr & 0x00ff) | v << 8); break;
	case 7:
		ne->isr &= (uint8_t)~(v & 0x7f);	/* RST reflects the state */
		update_irq(ne);
		break;
	case 8: ne->rsar = (uint16_t)((ne->rsar & 0xff00) | v); break;
	case 9: ne->rsar = (uint16_t)((ne->rsar & 0x00ff) | v << 8); break;
	case 0xa: ne->rbcr = (uint16_t)((ne->rbcr & 0xff00) | v); break;
	case 0xb: ne->rbcr = (uint16_t)((ne->rbcr & 0x00ff) | v << 8); break;
	case 0xc: ne->rcr = v & 0x3f; break;
	case 0xd: ne->tcr = v & 0x1f; break;
	case 0xe: ne->dcr = v & 0x7f; break;
	case 0xf:
		ne->imr = v & 0x7f;
		update_irq(ne);
		break;
	}
}

static void ne2000_reset(void *opaque)
{
	struct ne2000 *ne = opaque;
	ne->cr = CR_STP | CR_RD_ABORT;
	ne->isr = ISR_RST;
	ne->imr = 0;
	ne->dcr = 0;
	ne->tcr = 0;
	ne->rcr = 0;
	ne->tsr = ne->rsr = ne->ncr = 0;
	ne->rsar = ne->rbcr = ne->tbcr = 0;
	memset(ne->cntr, 0, sizeof(ne->cntr));
	update_irq(ne);
}

static uint32_t ne_read(void *opaque, uint16_t port, int size)
{
	struct ne2000 *ne = opaque;
	unsigned off = port & 0x1f;
	if (off < 0x10) {
		uint32_t v = reg_read(ne, off);
		for (int i = 1; i < size; i++)	/* wide access: next registers */
			v |= (uint32_t)reg_read(ne, (off + i) & 0x0f) << (8 * i);
		return v;
	}
	if (off < 0x18)
		return data_read(ne, size);
	ne2000_reset(ne);
	return 0xff;
}

static void ne_write(void *opaque, uint16_t port, uint32_t val, int size)
{
	struct ne2000 *ne = opaque;
	unsigned off = port & 0x1f;
	if (off < 0x10) {
		for (int i = 0; i < size; i++)
			reg_write(ne, (off + i) & 0x0f, (uint8_t)(val >> (8 * i)));
	} else if (off < 0x18) {
		data_write(ne, val, size);
	}
	/* Writes to the reset port end the reset pulse: nothing to do. */
}

static const struct ioport_ops ne_ops = {
	.read = ne_read,
	.write = ne_write,
	.widths = 1 | 2 | 4,
};

static struct ne2000 *create(struct irq_line *irq, const uint8_t mac[6])
{
	struct ne2000 *ne = calloc(1, sizeof(*ne));
	if (!ne)
		return NULL;
	ne->irq = irq;
	/* PROM: the MAC, then 0x57 ('W') in bytes 14-15 for a 16-bit card,
	 * each byte doubled because the card reads it a word at a time. */
	uint8_t p16[16] = { 0 };
	memcpy(p16, mac, 6);
	p16[14] = p16[15] = 0x57;
	for (int i = 0; i < 16; i++)
		ne->prom[2 * i] = ne->prom[2 * i + 1] = p16[i];
	memcpy(ne->par, mac, 6);
	ne2000_reset(ne);
	return ne;
}

struct ne2000 *ne2000_new(struct ioport_bus *io, uint16_t base, struct irq_line *irq,
			  const uint8_t mac[6])
{
	struct ne2000 *ne = create(irq, mac);
	if (ne && ioport_register(io, base, NE2000_IO_LEN, &ne_ops, ne) < 0) {
		free(ne);
		return NULL;
	}
	return ne;
}

static void pci_irq(void *opaque, int n, int level)
{
	struct ne2000 *ne = opaque;
	pci_set_irq(ne->pci, level);
}

static void pci_reset(void *opaque)
{
	ne2000_reset(opaque);
}

static const struct pci_func_ops ne_pci_ops = { .reset = pci_reset };

struct ne2000 *ne2000_new_pci(struct pci_bus *bus, uint8_t devfn, const uint8_t mac[6])
{
	struct ne2000 *ne = create(NULL, mac);
	if (!ne)
		return NULL;
	ne->pci_irq = (struct irq_line){ .set = pci_irq, .opaque = ne };
	ne->irq = &ne->pci_irq;
	ne->pci = pci_add_function(bus, devfn, 0x10ec, 0x8029, 0x00, 0x020000, &ne_pci_ops, ne);
	if (!ne->pci || pci_bar_io(ne->pci, 0, NE2000_IO_LEN, &ne_ops, ne) < 0) {
		free(ne);
		return NULL;
	}
	pci_config(ne->pci)[PCI_INT_PIN] = 1;
	return ne;
}

void ne2000_set_send(struct ne2000 *ne,
		     void (*send)(void *opaque, const uint8_t *frame, size_t len), void *opaque)
{
	ne->send = send;
	ne->send_opaque = opaque;
}

void ne2000_get_stats(const struct ne2000 *ne, struct ne2000_stats *out)
{
	*out = ne->st;
}

static void ne2000_save(void *opaque, struct snap *s)
{
	struct ne2000 *ne = opaque;
	uint8_t regs[] = { ne->cr, ne->isr, ne->imr, ne->dcr, ne->tcr, ne->tsr, ne->rcr,
			   ne->rsr, ne->pstart, ne->pstop, ne->bnry, ne->curr, ne->tpsr,
			   ne->ncr, ne->cntr[0], ne->cntr[1], ne->cntr[2] };
	snap_put_bytes(s, regs, sizeof(regs));
	snap_put_u16(s, ne->tbcr);
	snap_put_u16(s, ne->rsar);
	snap_put_u16(s, ne->rbcr);
	snap_put_bytes(s, ne->par, 6);
	snap_put_bytes(s, ne->mar, 8);
	snap_put_bytes(s, ne->prom, PROM_LEN);
	snap_put_bytes(s, ne->mem, sizeof(ne->mem));
}

static int ne2000_load(void *opaque, struct snap *s)
{
	struct ne2000 *ne = opaque;
	uint8_t regs[17];
	snap_get_bytes(s, regs, sizeof(regs));
	uint16_t tbcr = snap_get_u16(s), rsar = snap_get_u16(s), rbcr = snap_get_u16(s);
	uint8_t par[6], mar[8], prom[PROM_LEN];
	snap_get_bytes(s, par, 6);
	snap_get_bytes(s, mar, 8);
	snap_get_bytes(s, prom, PROM_LEN);
	if (!snap_ok(s))
		return -EINVAL;
	snap_get_bytes(s, ne->mem, sizeof(ne->mem));
	if (!snap_ok(s))
		return -EINVAL;
	uint8_t *dst[] = { &ne->cr, &ne->isr, &ne->imr, &ne->dcr, &ne->tcr, &ne->tsr,
			   &ne->rcr, &ne->rsr, &ne->pstart, &ne->pstop, &ne->bnry, &ne->curr,
			   &ne->tpsr, &ne->ncr, &ne->cntr[0], &ne->cntr[1], &ne->cntr[2] };
	for (size_t i = 0; i < sizeof(regs); i++)
		*dst[i] = regs[i];
	ne->tbcr = tbcr;
	ne->rsar = rsar;
	ne->rbcr = rbcr;
	memcpy(ne->par, par, 6);
	memcpy(ne->mar, mar, 8);
	memcpy(ne->prom, prom, PROM_LEN);
	/* Every index is checked where it is used, so any values are safe. */
	update_irq(ne);
	return 0;
}

static void ne2000_free(void *opaque)
{
	free(opaque);
}

const struct device_desc ne2000_desc = {
	.name = "ne2000",
	.reset = ne2000_reset,
	.save = ne2000_save,
	.load = ne2000_load,
	.free = ne2000_free,
};
