/* RTL8139C: registers, descriptors, receive ring, 93C46 EEPROM, PCI glue.
 * Register facts from the RTL8139C(L) datasheet (Realtek, rev. 1.4). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hw/clock.h"
#include "hw/memory.h"
#include "hw/pci.h"
#include "hw/rtl8139.h"
#include "net/eth.h"
#include "util/snapshot.h"

enum {
	R_IDR = 0x00, R_MAR = 0x08, R_TSD = 0x10, R_TSAD = 0x20, R_RBSTART = 0x30,
	R_CR = 0x37, R_CAPR = 0x38, R_CBR = 0x3a, R_IMR = 0x3c, R_ISR = 0x3e,
	R_TCR = 0x40, R_RCR = 0x44, R_TCTR = 0x48, R_MPC = 0x4c, R_9346CR = 0x50,
	R_CONFIG0 = 0x51, R_CONFIG1 = 0x52, R_TIMERINT = 0x54, R_MSR = 0x58,
	R_CONFIG3 = 0x59, R_CONFIG4 = 0x5a, R_MULINT = 0x5c, R_RERID = 0x5e,
	R_TSALL = 0x60, R_BMCR = 0x62, R_BMSR = 0x64, R_ANAR = 0x66, R_ANLPAR = 0x68,
	R_ANER = 0x6a,

	CR_BUFE = 0x01, CR_TE = 0x04, CR_RE = 0x08, CR_RST = 0x10,
	ISR_ROK = 0x0001, ISR_RER = 0x0002, ISR_TOK = 0x0004, ISR_TER = 0x0008,
	ISR_RXOVW = 0x0010, ISR_TIMEOUT = 0x4000,
	TSD_SIZE = 0x1fff, TSD_OWN = 0x2000, TSD_TOK = 0x8000, TSD_TABT = 0x40000000,
	RCR_AAP = 0x01, RCR_APM = 0x02, RCR_AM = 0x04, RCR_AB = 0x08, RCR_AR = 0x10,
	RCR_NOWRAP = 0x80,
	RX_ROK = 0x0001, RX_RUNT = 0x0010, RX_BAR = 0x2000, RX_PAM = 0x4000, RX_MAR = 0x8000,
	TCR_LBK = 0x00060000,
	/* RTL8139C's hardware version in TCR bits 30-26 and 23-22. */
	TCR_HWVER = 0x74000000, TCR_HWVER_MASK = 0x7cc00000,
};

#define MIN_FRAME 60
#define MAX_FRAME 1518
#define MAX_TX 1792		/* the size field's documented limit */
#define PCI_CLOCK_HZ 33000000u

struct eeprom {
	uint16_t data[64];
	uint8_t pins;		/* EECS 8, EESK 4, EEDI 2 as last written */
	uint8_t dout;
	uint8_t state;		/* EE_IDLE ... */
	uint8_t nbits, addr;
	uint16_t cmd, out;
	uint8_t outbits;
};

enum { EE_IDLE, EE_CMD, EE_READ, EE_IGNORE };

struct rtl8139 {
	struct pci_func *pci;
	struct mem *mem;
	struct clock *clk;
	struct timer *timer;
	void (*send)(void *opaque, const uint8_t *frame, size_t len);
	void *send_opaque;
	uint32_t mmio_addr;

	uint8_t idr[6], mar[8];
	uint32_t tsd[4], tsad[4], rbstart;
	uint8_t cr, cr9346, config[5];	/* CONFIG0, 1, (2 unused), 3, 4 */
	uint16_t capr, cbr, imr, isr, mulint, bmcr, anar;
	uint32_t tcr, rcr, mpc, timerint;
	uint64_t tctr_base;		/* time at which TCTR was 0 */
	struct eeprom ee;
	struct rtl8139_stats st;
};

static void update_irq(struct rtl8139 *r)
{
	pci_set_irq(r->pci, (r->isr & r->imr) != 0);
}

static void set_isr(struct rtl8139 *r, uint16_t bits)
{
	r->isr |= bits;
	update_irq(r);
}

static bool master(const struct rtl8139 *r)
{
	return pci_config(r->pci)[PCI_COMMAND] & PCI_CMD_MASTER;
}

/* ---- 93C46 EEPROM ------------------------------------------------------------ */

static void ee_write(struct eeprom *e, uint8_t pins)
{
	bool cs = pins & 8, rising = (pins & 4) && !(e->pins & 4);
	int di = (pins >> 1) & 1;
	e->pins = pins & 0x0e;
	if (!cs) {
		e->state = EE_IDLE;
		e->dout = 1;
		return;
	}
	if (!rising)
		return;
	switch (e->state) {
	case EE_IDLE:
		if (di) {		/* the start bit */
			e->state = EE_CMD;
			e->cmd = 0;
			e->nbits = 0;
		}
		break;
	case EE_CMD:
		e->cmd = (uint16_t)(e->cmd << 1 | di);
		if (++e->nbits < 8)
			break;
		if (e->cmd >> 6 == 2) {	/* READ: a dummy 0, then 16 bits per word */
			e->addr = e->cmd & 63;
			e->out = e->data[e->addr];
			e->outbits = 16;
			e->dout = 0;
			e->state = EE_READ;
		} else {
			e->state = EE_IGNORE;	/* write, erase, enable: read-only part */
		}
		break;
	case EE_READ:
		e->dout = (e->out >> 15) & 1;
		e->out = (uint16_t)(e->out << 1);
		if (--e->outbits == 0) {	/* sequential read goes on */
			e->addr = (e->addr + 1) & 63;
			e->out = e->data[e->addr];
			e->outbits = 16;
		}
		break;
	default:
		break;
	}
}

static void ee_fill(struct eeprom *e, const uint8_t mac[6])
{
	memset(e->data, 0, sizeof(e->data));
	e->data[0] = 0x8129;		/* the RTL8139 signature drivers look for */
	e->data[1] = 0x10ec;
	e->data[2] = 0x8139;
	e->data[3] = 0x10ec;
	e->data[4] = 0x8139;
	for (int i = 0; i < 3; i++)
		e->data[7 + i] = (uint16_t)(mac[2 * i] | mac[2 * i + 1] << 8);
	e->dout = 1;
}

static void ee_load_mac(struct rtl8139 *r)
{
	for (int i = 0; i < 3; i++) {
		r->idr[2 * i] = (uint8_t)r->ee.data[7 + i];
		r->idr[2 * i + 1] = (uint8_t)(r->ee.data[7 + i] >> 8);
	}
}

/* ---- receive ----------------------------------------------------------------- */

static uint32_t rx_buf_len(const struct rtl8139 *r)
{
	return 8192u << ((r->rcr >> 11) & 3);
}

static uint32_t crc32_eth(const uint8_t *p, size_t n)
{
	uint32_t crc = 0xffffffffu;
	for (size_t i = 0; i < n; i++) {
		crc ^= p[i];
		for (int b = 0; b < 8; b++)
			crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1));
	}
	return ~crc;
}

static uint16_t rx_filter(const struct rtl8139 *r, const uint8_t *frame)
{
	if (eth_is_broadcast(frame))
		return (r->rcr & (RCR_AB | RCR_AAP)) ? RX_BAR : 0;
	if (frame[0] & 1) {
		unsigned idx = eth_mcast_index(frame);
		if (r->rcr & RCR_AAP)
			return RX_MAR;
		return ((r->rcr & RCR_AM) && (r->mar[idx >> 3] & (1u << (idx & 7)))) ? RX_MAR
										      : 0;
	}
	if (memcmp(frame, r->idr, 6) == 0)
		return (r->rcr & (RCR_APM | RCR_AAP)) ? RX_PAM : 0;
	return (r->rcr & RCR_AAP) ? RX_PAM : 0;
}

/* Writes n bytes at ring offset off, wrapping at the ring's end unless the
 * driver asked for no wrap (it then allocated slack after the ring). */
static int ring_write(struct rtl8139 *r, uint32_t off, const uint8_t *p, uint32_t n)
{
	uint32_t len = rx_buf_len(r);
	if (r->rcr & RCR_NOWRAP || off + n <= len)
		return mem_copy_to_guest(r->mem, r->rbstart + off, p, n);
	uint32_t first = len - off;
	int err = mem_copy_to_guest(r->mem, r->rbstart + off, p, first);
	if (!err)
		err = mem_copy_to_guest(r->mem, r->rbstart, p + first, n - first);
	return err;
}

static bool receive(struct rtl8139 *r, const uint8_t *frame, size_t len, bool loop)
{
	uint8_t buf[4 + MAX_FRAME + 4 + 3];
	if (len < 6) {
		r->st.rx_filtered++;
		return false;
	}
	if (len > MAX_FRAME) {
		r->st.rx_oversized++;
		return false;
	}
	if (!(r->cr & CR_RE)) {
		r->st.rx_missed++;
		return false;
	}
	uint16_t status = rx_filter(r, frame);
	if (!status) {
		r->st.rx_filtered++;
		return false;
	}
	memset(buf, 0, sizeof(buf));
	memcpy(buf + 4, frame, len);
	if (len < MIN_FRAME) {
		if (loop && !(r->rcr & RCR_AR)) {
			r->st.rx_filtered++;
			return false;
		}
		if (loop)
			status |= RX_RUNT;
		else
			len = MIN_FRAME;	/* host stacks give unpadded frames */
	}
	uint32_t crc = crc32_eth(buf + 4, len);
	for (int i = 0; i < 4; i++)
		buf[4 + len + i] = (uint8_t)(crc >> (8 * i));
	uint32_t wire = (uint32_t)len + 4;
	status |= RX_ROK;
	buf[0] = (uint8_t)status;
	buf[1] = (uint8_t)(status >> 8);
	buf[2] = (uint8_t)wire;
	buf[3] = (uint8_t)(wire >> 8);
	uint32_t total = (4 + wire + 3) & ~3u;

	uint32_t ring = rx_buf_len(r);
	uint32_t rp = (uint32_t)(uint16_t)(r->capr + 16) % ring;
	uint32_t cbr = r->cbr % ring;
	uint32_t used = (cbr + ring - rp) % ring;
	if (total >= ring - used || !master(r) ||
	    ring_write(r, cbr, buf, total) < 0) {
		r->st.rx_missed++;
		r->mpc = (r->mpc + 1) & 0xffffff;
		set_isr(r, ISR_RXOVW);
		return false;
	}
	r->cbr = (uint16_t)((cbr + total) % ring);
	r->st.rx_frames++;
	set_isr(r, ISR_ROK);
	return true;
}

bool rtl8139_rx(void *opaque, const uint8_t *frame, size_t len)
{
	return receive(opaque, frame, len, false);
}

/* ---- transmit ---------------------------------------------------------------- */

static void transmit(struct rtl8139 *r, int n)
{
	uint8_t buf[MAX_TX];
	uint32_t size = r->tsd[n] & TSD_SIZE;
	r->tsd[n] &= ~(uint32_t)(TSD_TOK | TSD_TABT);
	if (!(r->cr & CR_TE))
		return;			/* stays owned by the card until TE */
	if (size < 14 || size > MAX_FRAME || !master(r) ||
	    mem_copy_from_guest(r->mem, buf, r->tsad[n], size) < 0) {
		r->st.tx_bad++;
		r->tsd[n] |= TSD_OWN | TSD_TABT;
		set_isr(r, ISR_TER);
		return;
	}
	r->st.tx_frames++;
	r->tsd[n] |= TSD_OWN | TSD_TOK;
	if ((r->tcr & TCR_LBK) == TCR_LBK)
		receive(r, buf, size, true);
	else if (r->send)
		r->send(r->send_opaque, buf, size);
	set_isr(r, ISR_TOK);
}

/* ---- timer ------------------------------------------------------------------- */

static uint32_t tctr(const struct rtl8139 *r)
{
	return (uint32_t)clock_ps_to_ticks(clock_now(r->clk) - r->tctr_base, PCI_CLOCK_HZ);
}

static void arm_timer(struct rtl8139 *r)
{
	if (!r->timerint) {
		timer_del(r->timer);
		return;
	}
	/* The next time TCTR passes TimerInt (TCTR wraps at 2^32). */
	uint64_t ticks = clock_ps_to_ticks(clock_now(r->clk) - r->tctr_base, PCI_CLOCK_HZ);
	uint64_t next = (ticks & ~0xffffffffull) + r->timerint;
	if (next <= ticks)
		next += 1ull << 32;
	timer_mod(r->timer, r->tctr_base + clock_ticks_to_ps(next, PCI_CLOCK_HZ));
}

static void timer_fired(void *opaque)
{
	struct rtl8139 *r = opaque;
	set_isr(r, ISR_TIMEOUT);
	arm_timer(r);
}

/* ---- registers --------------------------------------------------------------- */

static void soft_reset(struct rtl8139 *r)
{
	r->cr = 0;
	r->imr = r->isr = 0;
	for (int i = 0; i < 4; i++)
		r->tsd[i] = TSD_OWN;
	r->cbr = 0;
	r->capr = 0xfff0;	/* read point 0 */
	r->rcr = 0;
	r->tcr = TCR_HWVER;
	r->mpc = 0;
	update_irq(r);
}

static uint8_t read8(struct rtl8139 *r, unsigned off)
{
	uint32_t v32;
	switch (off) {
	case R_IDR ... R_IDR + 5: return r->idr[off];
	case R_MAR ... R_MAR + 7: return r->mar[off - R_MAR];
	case R_TSD ... R_TSD + 15: return (uint8_t)(r->tsd[(off - R_TSD) / 4] >> (8 * (off & 3)));
	case R_TSAD ... R_TSAD + 15:
		return (uint8_t)(r->tsad[(off - R_TSAD) / 4] >> (8 * (off & 3)));
	case R_RBSTART ... R_RBSTART + 3: return (uint8_t)(r->rbstart >> (8 * (off & 3)));
	case R_CR: {
		uint32_t ring = rx_buf_len(r);
		bool empty = (uint32_t)(uint16_t)(r->capr + 16) % ring == r->cbr % ring;
		return (uint8_t)(r->cr | (empty ? CR_BUFE : 0));
	}
	case R_CAPR: case R_CAPR + 1: return (uint8_t)(r->capr >> (8 * (off & 1)));
	case R_CBR: case R_CBR + 1: return (uint8_t)(r->cbr >> (8 * (off & 1)));
	case R_IMR: case R_IMR + 1: return (uint8_t)(r->imr >> (8 * (off & 1)));
	case R_ISR: case R_ISR + 1: return (uint8_t)(r->isr >> (8 * (off & 1)));
	case R_TCR ... R_TCR + 3: return (uint8_t)(r->tcr >> (8 * (off & 3)));
	case R_RCR ... R_RCR + 3: return (uint8_t)(r->rcr >> (8 * (off & 3)));
	case R_TCTR ... R_TCTR + 3: return (uint8_t)(tctr(r) >> (8 * (off & 3)));
	case R_MPC ... R_MPC + 3: return (uint8_t)(r->mpc >> (8 * (off & 3)));
	case R_9346CR: return (uint8_t)(r->cr9346 | r->ee.pins | (r->ee.dout & 1));
	case R_CONFIG0: return r->config[0];
	case R_CONFIG1: return r->config[1];
	case R_TIMERINT ... R_TIMERINT + 3: return (uint8_t)(r->timerint >> (8 * (off & 3)));
	case R_MSR: return 0x00;		/* link up, 100 Mbit/s */
	case R_CONFIG3: return r->config[3];
	case R_CONFIG4: return r->config[4];
	case R_MULINT: case R_MULINT + 1: return (uint8_t)(r->mulint >> (8 * (off & 1)));
	case R_RERID: return 0x10;
	case R_TSALL: case R_TSALL + 1:
		/* TSD0-3's OWN, TABT, TUN and TOK bits gathered in one word. */
		v32 = 0;
		for (int i = 0; i < 4; i++) {
			v32 |= (uint32_t)((r->tsd[i] & TSD_OWN) != 0) << i;
			v32 |= (uint32_t)((r->tsd[i] & TSD_TABT) != 0) << (i + 4);
			v32 |= (uint32_t)((r->tsd[i] & TSD_TOK) != 0) << (i + 12);
		}
		return (uint8_t)(v32 >> (8 * (off & 1)));
	case R_BMCR: case R_BMCR + 1: return (uint8_t)(r->bmcr >> (8 * (off & 1)));
	case R_BMSR: case R_BMSR + 1:
		/* 100BASE-TX/10BASE-T capable, autonegotiation done, link up. */
		return (uint8_t)(0x782d >> (8 * (off & 1)));
	case R_ANAR: case R_ANAR + 1: return (uint8_t)(r->anar >> (8 * (off & 1)));
	case R_ANLPAR: case R_ANLPAR + 1: return (uint8_t)(0x05e1 >> (8 * (off & 1)));
	case R_ANER: case R_ANER + 1: return (uint8_t)(0x0001 >> (8 * (off & 1)));
	default: return 0;
	}
}

static uint32_t merge(uint32_t old, unsigned shift_bytes, uint32_t val, int size)
{
	uint32_t mask = (size == 4 ? 0xffffffffu : ((1u << (8 * size)) - 1)) << (8 * shift_bytes);
	return (old & ~mask) | ((val << (8 * shift_bytes)) & mask);
}

/* One access that falls inside a single register (the caller split it). */
static void write_reg(struct rtl8139 *r, unsigned off, uint32_t val, int size)
{
	unsigned sh = off & 3;
	if (off < R_MAR + 8) {
		for (int i = 0; i < size && off + i < R_MAR + 8; i++) {
			if (off + i < 6)
				r->idr[off + i] = (uint8_t)(val >> (8 * i));
			else if (off + i >= R_MAR)
				r->mar[off + i - R_MAR] = (uint8_t)(val >> (8 * i));
		}
		return;
	}
	if (off >= R_TSD && off < R_TSD + 16) {
		int n = (off - R_TSD) / 4;
		/* OWN, TOK and TABT belong to the card; writing the size word
		 * hands the descriptor over and starts the transmission. */
		r->tsd[n] = merge(r->tsd[n], sh, val, size) & ~(uint32_t)(TSD_OWN | TSD_TOK |
									  TSD_TABT);
		if (sh == 0)
			transmit(r, n);
		return;
	}
	if (off >= R_TSAD && off < R_TSAD + 16) {
		r->tsad[(off - R_TSAD) / 4] = merge(r->tsad[(off - R_TSAD) / 4], sh, val, size);
		return;
	}
	switch (off & ~3u) {
	case R_RBSTART:
		r->rbstart = merge(r->rbstart, sh, val, size);
		return;
	case R_TCR:
		r->tcr = (merge(r->tcr, sh, val, size) & ~(uint32_t)TCR_HWVER_MASK) | TCR_HWVER;
		return;
	case R_RCR:
		r->rcr = merge(r->rcr, sh, val, size);
		return;
	case R_TCTR:
		r->tctr_base = clock_now(r->clk);	/* any write restarts it */
		arm_timer(r);
		return;
	case R_MPC:
		r->mpc = 0;
		return;
	case R_TIMERINT:
		r->timerint = merge(r->timerint, sh, val, size);
		arm_timer(r);
		return;
	}
	uint8_t b = (uint8_t)val;
	switch (off) {
	case R_CR:
		if (b & CR_RST) {
			soft_reset(r);
			return;
		}
		if ((b & CR_TE) && !(r->cr & CR_TE)) {
			r->cr = b & (CR_TE | CR_RE);
			for (int n = 0; n < 4; n++)	/* handed over while TE was off */
				if (!(r->tsd[n] & TSD_OWN))
					transmit(r, n);
			return;
		}
		r->cr = b & (CR_TE | CR_RE);
		return;
	case R_CAPR: case R_CAPR + 1:
		r->capr = (uint16_t)merge(r->capr, off & 1, val, size);
		return;
	case R_IMR: case R_IMR + 1:
		r->imr = (uint16_t)merge(r->imr, off & 1, val, size);
		update_irq(r);
		return;
	case R_ISR: case R_ISR + 1:
		r->isr &= (uint16_t)~merge(0, off & 1, val, size);
		update_irq(r);
		return;
	case R_9346CR:
		r->cr9346 = b & 0xc0;
		if (r->cr9346 == 0x40) {	/* auto-load: the MAC again */
			ee_load_mac(r);
			r->cr9346 = 0;
		}
		if (r->cr9346 == 0x80)
			ee_write(&r->ee, b & 0x0e);
		return;
	case R_CONFIG0: return;
	case R_CONFIG1: r->config[1] = b; return;
	case R_CONFIG3: r->config[3] = b; return;
	case R_CONFIG4: r->config[4] = b; return;
	case R_MULINT: case R_MULINT + 1:
		r->mulint = (uint16_t)merge(r->mulint, off & 1, val, size);
		return;
	case R_BMCR: case R_BMCR + 1:
		r->bmcr = (uint16_t)(merge(r->bmcr, off & 1, val, size) & ~0x8000u);
		return;
	case R_ANAR: case R_ANAR + 1:
		r->anar = (uint16_t)merge(r->anar, off & 1, val, size);
		return;
	}
}

/* Registers are 1, 2 or 4 bytes wide; an access is split so that each
 * piece lies inside one register (byte pieces where they straddle). */
static unsigned reg_width(unsigned off)
{
	if ((off >= R_TSD && off < R_RBSTART + 4) || (off >= R_TCR && off < R_9346CR) ||
	    (off >= R_TIMERINT && off < R_TIMERINT + 4))
		return 4;
	switch (off & ~1u) {
	case R_CAPR: case R_CBR: case R_IMR: case R_ISR: case R_MULINT: case R_TSALL:
	case R_BMCR: case R_BMSR: case R_ANAR: case R_ANLPAR: case R_ANER:
		return 2;
	}
	return 1;
}

static void reg_write(struct rtl8139 *r, unsigned off, uint32_t val, int size)
{
	unsigned w = reg_width(off);
	if ((unsigned)size <= w && (off & (w - 1)) + (unsigned)size <= w) {
		write_reg(r, off, val, size);
		return;
	}
	for (int i = 0; i < size; i++)
		write_reg(r, (off + i) & 0xff, (val >> (8 * i)) & 0xff, 1);
}

static uint32_t reg_read(struct rtl8139 *r, unsigned off, int size)
{
	uint32_t v = 0;
	for (int i = 0; i < size; i++)
		v |= (uint32_t)read8(r, (off + i) & 0xff) << (8 * i);
	return v;
}

static uint32_t io_read(void *opaque, uint16_t port, int size)
{
	return reg_read(opaque, port & 0xff, size);
}

static void io_write(void *opaque, uint16_t port, uint32_t val, int size)
{
	reg_write(opaque, port & 0xff, val, size);
}

static const struct ioport_ops io_ops = { io_read, io_write, 1 | 2 | 4 };

static uint32_t mmio_read(void *opaque, uint32_t addr, int size)
{
	return reg_read(opaque, addr & 0xff, size);
}

static void mmio_write(void *opaque, uint32_t addr, uint32_t val, int size)
{
	reg_write(opaque, addr & 0xff, val, size);
}

static const struct mmio_ops mmio_ops = { mmio_read, mmio_write, 1 | 2 | 4 };

static void mmio_map(void *opaque, int bar, uint32_t addr)
{
	struct rtl8139 *r = opaque;
	r->mmio_addr = addr;
	if (addr != PCI_BAR_UNMAPPED)
		mem_map_mmio(r->mem, addr, MEM_PAGE_SIZE, &mmio_ops, r);
}

static void hw_reset(void *opaque)
{
	struct rtl8139 *r = opaque;
	soft_reset(r);
	ee_load_mac(r);
	memset(r->mar, 0, sizeof(r->mar));
	memset(r->tsad, 0, sizeof(r->tsad));
	r->rbstart = 0;
	r->cr9346 = 0;
	r->ee.state = EE_IDLE;
	r->ee.pins = 0;
	r->ee.dout = 1;
	r->config[0] = 0x00;
	r->config[1] = 0x00;
	r->config[3] = 0x00;
	r->config[4] = 0x00;
	r->bmcr = 0x3100;		/* 100 Mbit/s, autonegotiation, full duplex */
	r->anar = 0x05e1;
	r->mulint = 0;
	r->timerint = 0;
	r->tctr_base = clock_now(r->clk);
	timer_del(r->timer);
}

static const struct pci_func_ops pci_ops = { .reset = hw_reset };

struct rtl8139 *rtl8139_new(struct pci_bus *bus, uint8_t devfn, struct mem *mem,
			    struct clock *clk, const uint8_t mac[6])
{
	struct rtl8139 *r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->mem = mem;
	r->clk = clk;
	r->mmio_addr = PCI_BAR_UNMAPPED;
	r->timer = timer_new(clk, timer_fired, r);
	/* Revision 10h: an RTL8139C.  20h would announce the C+ with its
	 * descriptor mode, which this model does not have (Linux hands that
	 * one to 8139cp, not 8139too). */
	r->pci = pci_add_function(bus, devfn, 0x10ec, 0x8139, 0x10, 0x020000, &pci_ops, r);
	if (!r->timer || !r->pci) {
		timer_free(r->timer);
		free(r);
		return NULL;
	}
	uint8_t *cfg = pci_config(r->pci);
	cfg[PCI_INT_PIN] = 1;
	cfg[PCI_SUBSYS_VENDOR] = 0xec;
	cfg[PCI_SUBSYS_VENDOR + 1] = 0x10;
	cfg[PCI_SUBSYS_ID] = 0x39;
	cfg[PCI_SUBSYS_ID + 1] = 0x81;
	if (pci_bar_io(r->pci, 0, 256, &io_ops, r) < 0 ||
	    pci_bar_mem(r->pci, 1, MEM_PAGE_SIZE, false, mmio_map, r) < 0) {
		timer_free(r->timer);
		free(r);
		return NULL;
	}
	ee_fill(&r->ee, mac);
	hw_reset(r);
	return r;
}

void rtl8139_set_send(struct rtl8139 *r,
		      void (*send)(void *opaque, const uint8_t *frame, size_t len), void *opaque)
{
	r->send = send;
	r->send_opaque = opaque;
}

void rtl8139_get_stats(const struct rtl8139 *r, struct rtl8139_stats *out)
{
	*out = r->st;
}

static void save(void *opaque, struct snap *s)
{
	struct rtl8139 *r = opaque;
	snap_put_bytes(s, r->idr, 6);
	snap_put_bytes(s, r->mar, 8);
	for (int i = 0; i < 4; i++) {
		snap_put_u32(s, r->tsd[i]);
		snap_put_u32(s, r->tsad[i]);
	}
	snap_put_u32(s, r->rbstart);
	snap_put_u8(s, r->cr);
	snap_put_u8(s, r->cr9346);
	snap_put_bytes(s, r->config, sizeof(r->config));
	uint16_t w[] = { r->capr, r->cbr, r->imr, r->isr, r->mulint, r->bmcr, r->anar };
	for (size_t i = 0; i < sizeof(w) / sizeof(w[0]); i++)
		snap_put_u16(s, w[i]);
	snap_put_u32(s, r->tcr);
	snap_put_u32(s, r->rcr);
	snap_put_u32(s, r->mpc);
	snap_put_u32(s, r->timerint);
	snap_put_u32(s, tctr(r));
	for (int i = 0; i < 64; i++)
		snap_put_u16(s, r->ee.data[i]);
	uint8_t ee[] = { r->ee.pins, r->ee.dout, r->ee.state, r->ee.nbits, r->ee.addr,
			 r->ee.outbits };
	snap_put_bytes(s, ee, sizeof(ee));
	snap_put_u16(s, r->ee.cmd);
	snap_put_u16(s, r->ee.out);
}

static int load(void *opaque, struct snap *s)
{
	struct rtl8139 *r = opaque;
	struct rtl8139 t = *r;
	snap_get_bytes(s, t.idr, 6);
	snap_get_bytes(s, t.mar, 8);
	for (int i = 0; i < 4; i++) {
		t.tsd[i] = snap_get_u32(s);
		t.tsad[i] = snap_get_u32(s);
	}
	t.rbstart = snap_get_u32(s);
	t.cr = snap_get_u8(s);
	t.cr9346 = snap_get_u8(s);
	snap_get_bytes(s, t.config, sizeof(t.config));
	uint16_t *w[] = { &t.capr, &t.cbr, &t.imr, &t.isr, &t.mulint, &t.bmcr, &t.anar };
	for (size_t i = 0; i < sizeof(w) / sizeof(w[0]); i++)
		*w[i] = snap_get_u16(s);
	t.tcr = snap_get_u32(s);
	t.rcr = snap_get_u32(s);
	t.mpc = snap_get_u32(s);
	t.timerint = snap_get_u32(s);
	uint32_t count = snap_get_u32(s);
	for (int i = 0; i < 64; i++)
		t.ee.data[i] = snap_get_u16(s);
	uint8_t ee[6];
	snap_get_bytes(s, ee, sizeof(ee));
	t.ee.cmd = snap_get_u16(s);
	t.ee.out = snap_get_u16(s);
	if (!snap_ok(s) || ee[2] > EE_IGNORE)
		return -EINVAL;
	t.ee.pins = ee[0] & 0x0e;
	t.ee.dout = ee[1] & 1;
	t.ee.state = ee[2];
	t.ee.nbits = ee[3];
	t.ee.addr = ee[4] & 63;
	t.ee.outbits = ee[5] > 16 ? 16 : ee[5];
	t.cr &= CR_TE | CR_RE;
	t.cr9346 &= 0xc0;
	*r = t;
	uint64_t now = clock_now(r->clk);
	uint64_t back = clock_ticks_to_ps(count, PCI_CLOCK_HZ);
	r->tctr_base = back <= now ? now - back : 0;
	arm_timer(r);
	update_irq(r);
	return 0;
}

static void rtl_free(void *opaque)
{
	struct rtl8139 *r = opaque;
	timer_free(r->timer);
	free(r);
}

const struct device_desc rtl8139_desc = {
	.name = "rtl8139",
	.reset = hw_reset,
	.save = save,
	.load = load,
	.free = rtl_free,
};
