/* 16550A UART.  Interrupt sources are not latched in one register: the IIR
 * value is recomputed from the conditions each time (LSR errors, received
 * data at the trigger level, character timeout, THR empty, modem status
 * deltas), which is how the chip prioritises them. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hw/clock.h"
#include "hw/ioport.h"
#include "hw/irq.h"
#include "hw/uart16550.h"
#include "util/snapshot.h"

enum {
	IER_RDA = 1, IER_THRE = 2, IER_RLS = 4, IER_MS = 8,
	IIR_NONE = 0x01, IIR_MS = 0x00, IIR_THRE = 0x02, IIR_RDA = 0x04,
	IIR_RLS = 0x06, IIR_TIMEOUT = 0x0c, IIR_FIFO = 0xc0,
	FCR_ENABLE = 1, FCR_CLR_RX = 2, FCR_CLR_TX = 4,
	LCR_DLAB = 0x80,
	MCR_DTR = 1, MCR_RTS = 2, MCR_OUT1 = 4, MCR_OUT2 = 8, MCR_LOOP = 16,
	LSR_DR = 1, LSR_OE = 2, LSR_PE = 4, LSR_FE = 8, LSR_BI = 16,
	LSR_THRE = 0x20, LSR_TEMT = 0x40, LSR_ERRORS = 0x1e,
	MSR_DCTS = 1, MSR_DDSR = 2, MSR_TERI = 4, MSR_DDCD = 8,
	MSR_CTS = 0x10, MSR_DSR = 0x20, MSR_RI = 0x40, MSR_DCD = 0x80,
};

/* 1.8432 MHz crystal / 16: the bit rate for divisor 1. */
#define UART_BASE_BAUD 115200

struct uart {
	struct clock *clk;
	struct irq_line *irq;
	struct timer *timeout_timer;
	struct uart_backend be;
	uint8_t rx[UART_FIFO_SIZE];
	uint8_t rx_head, rx_count;
	uint16_t divisor;
	uint8_t ier, fcr, lcr, mcr, lsr, msr, scr;
	uint8_t fifo_enabled;
	uint8_t thr_ipending;
	uint8_t timeout_pending;
	void (*mcr_hook)(void *opaque, uint8_t mcr);
	void *mcr_hook_opaque;
};

static const uint8_t trigger_levels[4] = { 1, 4, 8, 14 };

static int rx_capacity(const struct uart *u)
{
	return u->fifo_enabled ? UART_FIFO_SIZE : 1;
}

static uint8_t compute_iir(const struct uart *u)
{
	uint8_t iir = IIR_NONE;
	if ((u->ier & IER_RLS) && (u->lsr & LSR_ERRORS))
		iir = IIR_RLS;
	else if ((u->ier & IER_RDA) && u->rx_count &&
		 (!u->fifo_enabled || u->rx_count >= trigger_levels[u->fcr >> 6]))
		iir = IIR_RDA;
	else if ((u->ier & IER_RDA) && u->timeout_pending)
		iir = IIR_TIMEOUT;
	else if ((u->ier & IER_THRE) && u->thr_ipending)
		iir = IIR_THRE;
	else if ((u->ier & IER_MS) && (u->msr & 0x0f))
		iir = IIR_MS;
	return iir | (u->fifo_enabled ? IIR_FIFO : 0);
}

static void update_irq(struct uart *u)
{
	irq_set(u->irq, !(compute_iir(u) & IIR_NONE) && (u->mcr & MCR_OUT2));
}

static uint64_t char_time_ps(const struct uart *u)
{
	unsigned div = u->divisor ? u->divisor : 1;
	/* start + 8 data + stop bits: close enough for any frame format. */
	return 10 * CLOCK_PS_PER_SEC * div / UART_BASE_BAUD;
}

/* The FIFO timeout fires 4 character times after the last FIFO activity. */
static void restart_timeout(struct uart *u)
{
	u->timeout_pending = 0;
	if (!u->timeout_timer)
		return;
	if (u->fifo_enabled && u->rx_count)
		timer_mod(u->timeout_timer, clock_now(u->clk) + 4 * char_time_ps(u));
	else
		timer_del(u->timeout_timer);
}

static void timeout_cb(void *opaque)
{
	struct uart *u = opaque;
	if (u->fifo_enabled && u->rx_count)
		u->timeout_pending = 1;
	update_irq(u);
}

/* Returns false on overrun (byte lost). */
static bool rx_push(struct uart *u, uint8_t b)
{
	if (u->rx_count >= rx_capacity(u)) {
		u->lsr |= LSR_OE;
		if (!u->fifo_enabled)	/* the holding register is overwritten */
			u->rx[u->rx_head] = b;
		return false;
	}
	u->rx[(u->rx_head + u->rx_count) % UART_FIFO_SIZE] = b;
	u->rx_count++;
	u->lsr |= LSR_DR;
	return true;
}

static uint8_t rx_pop(struct uart *u)
{
	if (!u->rx_count)
		return u->rx[u->rx_head];
	uint8_t b = u->rx[u->rx_head];
	u->rx_head = (u->rx_head + 1) % UART_FIFO_SIZE;
	if (--u->rx_count == 0)
		u->lsr &= ~LSR_DR;
	return b;
}

static void rx_clear(struct uart *u)
{
	u->rx_head = 0;
	u->rx_count = 0;
	u->lsr &= ~LSR_DR;
	u->timeout_pending = 0;
	if (u->timeout_timer)
		timer_del(u->timeout_timer);
}

int uart_can_receive(const struct uart *u)
{
	if (u->mcr & MCR_LOOP)
		return 0;	/* the serial input is disconnected */
	return rx_capacity(u) - u->rx_count;
}

int uart_receive(struct uart *u, const uint8_t *bytes, int n)
{
	int room = uart_can_receive(u), i;
	for (i = 0; i < n && i < room; i++)
		rx_push(u, bytes[i]);
	if (i) {
		restart_timeout(u);
		update_irq(u);
	}
	return i;
}

/* MSR inputs: in loopback the modem outputs drive them (RTS->CTS,
 * DTR->DSR, OUT1->RI, OUT2->DCD); otherwise a ready modem is assumed. */
static uint8_t msr_inputs(const struct uart *u)
{
	if (!(u->mcr & MCR_LOOP))
		return MSR_CTS | MSR_DSR | MSR_DCD;
	return (u->mcr & MCR_RTS ? MSR_CTS : 0) | (u->mcr & MCR_DTR ? MSR_DSR : 0) |
		(u->mcr & MCR_OUT1 ? MSR_RI : 0) | (u->mcr & MCR_OUT2 ? MSR_DCD : 0);
}

static void set_msr_inputs(struct uart *u, uint8_t in)
{
	uint8_t old = u->msr & 0xf0, delta = 0;
	if ((old ^ in) & MSR_CTS)
		delta |= MSR_DCTS;
	if ((old ^ in) & MSR_DSR)
		delta |= MSR_DDSR;
	if ((old & MSR_RI) && !(in & MSR_RI))
		delta |= MSR_TERI;	/* trailing edge only */
	if ((old ^ in) & MSR_DCD)
		delta |= MSR_DDCD;
	u->msr = in | (u->msr & 0x0f) | delta;
}

static void transmit(struct uart *u, uint8_t b)
{
	if (u->mcr & MCR_LOOP) {
		rx_push(u, b);
		restart_timeout(u);
	} else if (u->be.write) {
		u->be.write(u->be.opaque, b);
	}
	/* The byte left at once: THR (and the shifter) are empty again. */
	u->thr_ipending = 1;
}

void uart_set_mcr_hook(struct uart *u, void (*cb)(void *opaque, uint8_t mcr), void *opaque)
{
	u->mcr_hook = cb;
	u->mcr_hook_opaque = opaque;
}

static uint32_t uart_port_read(void *opaque, uint16_t port, int size)
{
	struct uart *u = opaque;
	uint8_t v;
	(void)size;
	switch (port & 7) {
	case 0:
		if (u->lcr & LCR_DLAB)
			return u->divisor & 0xff;
		v = rx_pop(u);
		restart_timeout(u);
		update_irq(u);
		return v;
	case 1:
		if (u->lcr & LCR_DLAB)
			return u->divisor >> 8;
		return u->ier;
	case 2:
		v = compute_iir(u);
		if ((v & 0x0f) == IIR_THRE) {
			u->thr_ipending = 0;
			update_irq(u);
		}
		return v;
	case 3:
		return u->lcr;
	case 4:
		return u->mcr;
	case 5:
		v = u->lsr | LSR_THRE | LSR_TEMT;
		if (u->lsr & LSR_ERRORS) {
			u->lsr &= ~LSR_ERRORS;
			update_irq(u);
		}
		return v;
	case 6:
		v = u->msr;
		if (v & 0x0f) {
			u->msr &= 0xf0;
			update_irq(u);
		}
		return v;
	default:
		return u->scr;
	}
}

static void write_fcr(struct uart *u, uint8_t v)
{
	uint8_t en = v & FCR_ENABLE;
	if (en != u->fifo_enabled) {
		/* Switching FIFO mode empties both FIFOs. */
		rx_clear(u);
		u->fifo_enabled = en;
	}
	if (en && (v & FCR_CLR_RX))
		rx_clear(u);
	/* Clearing the TX FIFO: it is always empty already. */
	u->fcr = en ? (v & 0xc8) : 0;
	restart_timeout(u);
}

static void uart_port_write(void *opaque, uint16_t port, uint32_t val, int size)
{
	struct uart *u = opaque;
	uint8_t v = val, old;
	(void)size;
	switch (port & 7) {
	case 0:
		if (u->lcr & LCR_DLAB) {
			u->divisor = (u->divisor & 0xff00) | v;
			break;
		}
		u->thr_ipending = 0;
		transmit(u, v);
		break;
	case 1:
		if (u->lcr & LCR_DLAB) {
			u->divisor = (u->divisor & 0x00ff) | v << 8;
			break;
		}
		old = u->ier;
		u->ier = v & 0x0f;
		/* Enabling THRE interrupts with THR empty raises one at once. */
		if ((u->ier & IER_THRE) && !(old & IER_THRE))
			u->thr_ipending = 1;
		break;
	case 2:
		write_fcr(u, v);
		break;
	case 3:
		u->lcr = v;
		break;
	case 4:
		u->mcr = v & 0x1f;
		set_msr_inputs(u, msr_inputs(u));
		if (u->mcr_hook)
			u->mcr_hook(u->mcr_hook_opaque, u->mcr);
		break;
	case 5:
	case 6:
		break;		/* LSR/MSR writes: factory test only */
	default:
		u->scr = v;
		break;
	}
	update_irq(u);
}

static const struct ioport_ops uart_ops = {
	.read = uart_port_read,
	.write = uart_port_write,
	.widths = 1,
};

static void uart_reset(void *opaque)
{
	struct uart *u = opaque;
	rx_clear(u);
	u->divisor = 12;	/* 9600 baud, an arbitrary but common default */
	u->ier = 0;
	u->fcr = 0;
	u->fifo_enabled = 0;
	u->lcr = 0;
	u->mcr = 0;
	u->lsr = 0;
	u->scr = 0;
	u->thr_ipending = 0;
	u->msr = 0;
	set_msr_inputs(u, msr_inputs(u));
	u->msr &= 0xf0;
	update_irq(u);
}

void uart_set_backend(struct uart *u, const struct uart_backend *be)
{
	if (be)
		u->be = *be;
	else
		memset(&u->be, 0, sizeof(u->be));
}

struct uart *uart_new(struct ioport_bus *io, uint16_t base, struct clock *clk,
		      struct irq_line *irq, const struct uart_backend *be)
{
	struct uart *u = calloc(1, sizeof(*u));
	if (!u)
		return NULL;
	u->clk = clk;
	u->irq = irq;
	if (clk && !(u->timeout_timer = timer_new(clk, timeout_cb, u)))
		goto fail;
	if (ioport_register(io, base, 8, &uart_ops, u) < 0)
		goto fail;
	uart_set_backend(u, be);
	uart_reset(u);
	return u;
fail:
	if (u->timeout_timer)
		timer_free(u->timeout_timer);
	free(u);
	return NULL;
}

static void uart_save(void *opaque, struct snap *s)
{
	struct uart *u = opaque;
	snap_put_u8(s, u->rx_count);
	for (int i = 0; i < u->rx_count; i++)
		snap_put_u8(s, u->rx[(u->rx_head + i) % UART_FIFO_SIZE]);
	snap_put_u16(s, u->divisor);
	snap_put_u8(s, u->ier);
	snap_put_u8(s, u->fcr);
	snap_put_u8(s, u->lcr);
	snap_put_u8(s, u->mcr);
	snap_put_u8(s, u->lsr);
	snap_put_u8(s, u->msr);
	snap_put_u8(s, u->scr);
	snap_put_u8(s, u->fifo_enabled | u->thr_ipending << 1 | u->timeout_pending << 2);
	snap_put_u64(s, u->timeout_timer && timer_pending(u->timeout_timer) ?
		     timer_expires(u->timeout_timer) : CLOCK_NEVER);
}

static int uart_load(void *opaque, struct snap *s)
{
	struct uart *u = opaque;
	uint8_t n = snap_get_u8(s);
	if (n > UART_FIFO_SIZE)
		return -EINVAL;
	u->rx_head = 0;
	u->rx_count = n;
	for (int i = 0; i < n; i++)
		u->rx[i] = snap_get_u8(s);
	u->divisor = snap_get_u16(s);
	u->ier = snap_get_u8(s) & 0x0f;
	u->fcr = snap_get_u8(s);
	u->lcr = snap_get_u8(s);
	u->mcr = snap_get_u8(s) & 0x1f;
	u->lsr = snap_get_u8(s);
	u->msr = snap_get_u8(s);
	u->scr = snap_get_u8(s);
	uint8_t f = snap_get_u8(s);
	u->fifo_enabled = f & 1;
	u->thr_ipending = f >> 1 & 1;
	u->timeout_pending = f >> 2 & 1;
	uint64_t when = snap_get_u64(s);
	if (!snap_ok(s) || (!u->fifo_enabled && n > 1))
		return -EINVAL;
	if (u->timeout_timer) {
		if (when != CLOCK_NEVER)
			timer_mod(u->timeout_timer, when);
		else
			timer_del(u->timeout_timer);
	}
	update_irq(u);
	return 0;
}

static void uart_free(void *opaque)
{
	struct uart *u = opaque;
	if (u->timeout_timer)
		timer_free(u->timeout_timer);
	free(u);
}

const struct device_desc uart_desc = {
	.name = "uart16550a",
	.reset = uart_reset,
	.save = uart_save,
	.load = uart_load,
	.free = uart_free,
};
