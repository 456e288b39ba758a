/* NE2000 (ISA): a National DP8390 network controller with 16 KiB of buffer
 * RAM at card addresses 4000h-7FFFh and a 32-byte address PROM at 0000h,
 * both reached only through remote DMA on the data port.
 *
 * Ports from base: 00h-0Fh the DP8390's registers (three pages selected by
 * CR), 10h-17h the data port (remote DMA, byte or word as DCR.WTS says),
 * 18h-1Fh the reset port (a read resets the card).
 *
 * Frames leave through the send callback at once (transmission takes no
 * virtual time) unless TCR selects a loopback mode, in which case they come
 * straight back through the receive path, address filter included.  Frames
 * arrive through ne2000_rx().  Everything the guest controls (PSTART, PSTOP,
 * CURR, BNRY, TPSR, TBCR, RSAR, RBCR) is checked before it indexes the
 * buffer; a frame that does not fit, or a ring that makes no sense, is
 * dropped and counted.
 */
#ifndef TANDEM_HW_NE2000_H
#define TANDEM_HW_NE2000_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hw/device.h"

struct ioport_bus;
struct irq_line;
struct ne2000;

#define NE2000_IO_LEN 0x20
#define NE2000_MEM_START 0x4000
#define NE2000_MEM_END 0x8000

/* Claims base..base+1Fh.  irq may be NULL (a test). */
struct ne2000 *ne2000_new(struct ioport_bus *io, uint16_t base, struct irq_line *irq,
			  const uint8_t mac[6]);
/* The PCI variant, a Realtek RTL8029 (10EC:8029): the same registers in a
 * 32-byte I/O BAR, INTA, and the chip's ID in page 0 registers 0Ah/0Bh
 * ("PC").  What Linux's ne2k-pci and Windows' RTL8029 drivers drive. */
struct pci_bus;
struct ne2000 *ne2000_new_pci(struct pci_bus *bus, uint8_t devfn, const uint8_t mac[6]);
/* Where transmitted frames go (NULL: dropped, as with no cable). */
void ne2000_set_send(struct ne2000 *ne,
		     void (*send)(void *opaque, const uint8_t *frame, size_t len),
		     void *opaque);
/* A frame from the network (opaque is the struct ne2000): true when it was
 * stored in the receive ring, false when filtered out or dropped. */
bool ne2000_rx(void *opaque, const uint8_t *frame, size_t len);

struct ne2000_stats {
	uint32_t tx_frames, rx_frames;
	uint32_t tx_bad;	/* TBCR or TPSR out of range: aborted */
	uint32_t rx_filtered;	/* not for us (address filter, runt) */
	uint32_t rx_missed;	/* stopped, ring full or ring registers invalid */
	uint32_t rx_oversized;
};
void ne2000_get_stats(const struct ne2000 *ne, struct ne2000_stats *out);

extern const struct device_desc ne2000_desc;

#endif
