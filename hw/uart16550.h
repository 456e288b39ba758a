/* 16550A UART (COM1-COM4).
 *
 * Transmission takes no virtual time: a byte written to THR goes straight to
 * the backend (or, in loopback, into the receive FIFO) and THR is empty
 * again, with the THRE interrupt raised as the chip would once the byte
 * left.  Received bytes come from the frontend through uart_receive().  The
 * IRQ output is gated by MCR OUT2, as the PC wires it.
 */
#ifndef TANDEM_HW_UART16550_H
#define TANDEM_HW_UART16550_H

#include <stdint.h>

#include "hw/device.h"

struct ioport_bus;
struct clock;
struct irq_line;
struct uart;

/* Where transmitted bytes go (stdio, a file...); write may be NULL. */
struct uart_backend {
	void (*write)(void *opaque, uint8_t byte);
	void *opaque;
};

#define UART_FIFO_SIZE 16

/* Claims base..base+7.  irq may be NULL; be is copied (NULL: bytes are
 * dropped).  clk times the receive FIFO's character timeout. */
struct uart *uart_new(struct ioport_bus *io, uint16_t base, struct clock *clk,
		      struct irq_line *irq, const struct uart_backend *be);
void uart_set_backend(struct uart *u, const struct uart_backend *be);

/* Calls cb with the new MCR (DTR bit 0, RTS bit 1) after each write to
 * it: a device on the line (a serial mouse) sees its power and reset
 * lines.  Not saved: the board sets it up again on the same options. */
void uart_set_mcr_hook(struct uart *u, void (*cb)(void *opaque, uint8_t mcr), void *opaque);

/* Queues up to n received bytes into the receive FIFO (or holding register)
 * and returns how many it took; the caller keeps the rest and retries
 * later, which is the flow control a real line would need. */
int uart_receive(struct uart *u, const uint8_t *bytes, int n);
/* How many bytes uart_receive would take now. */
int uart_can_receive(const struct uart *u);

extern const struct device_desc uart_desc;

#endif
