/* Realtek RTL8139C (PCI 10EC:8139): the 100 Mbit/s card of Linux's 8139too and
 * the Windows 9x/2000 drivers.
 *
 * BAR0 is its 256 bytes of registers in I/O space, BAR1 the same registers in
 * memory space (4 KiB, the smallest memory BAR the bus takes).  Transmission
 * uses four descriptors (TSAD0-3 address, TSD0-3 size and status): writing a
 * TSD sends the frame at once.  Reception writes each frame into the ring at
 * RBSTART (8, 16, 32 or 64 KiB by RCR), as a 4-byte header (status, length
 * with CRC), the frame, its CRC, rounded to 4 bytes, at CBR; the driver
 * frees space by moving CAPR (which lags the read point by 16 bytes).  The
 * MAC comes from a 93C46 EEPROM the driver reads by bit-banging 9346CR.
 *
 * Bus-master DMA goes through mem_copy_*_guest: a descriptor or ring that
 * points outside RAM, or DMA with the command register's master bit off,
 * drops the frame (counted), as do frames that do not fit.  Not modelled:
 * the EEPROM's write and erase commands (it is read-only), the PHY beyond
 * link-up/100 Mbit/full duplex, power management, the C+ mode descriptors.
 */
#ifndef TANDEM_HW_RTL8139_H
#define TANDEM_HW_RTL8139_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hw/device.h"

struct pci_bus;
struct mem;
struct clock;
struct rtl8139;

/* Adds the function at devfn.  NULL if the slot is taken. */
struct rtl8139 *rtl8139_new(struct pci_bus *bus, uint8_t devfn, struct mem *mem,
			    struct clock *clk, const uint8_t mac[6]);
void rtl8139_set_send(struct rtl8139 *r,
		      void (*send)(void *opaque, const uint8_t *frame, size_t len),
		      void *opaque);
/* A frame from the network (opaque is the struct rtl8139). */
bool rtl8139_rx(void *opaque, const uint8_t *frame, size_t len);

struct rtl8139_stats {
	uint32_t tx_frames, rx_frames;
	uint32_t tx_bad;	/* size out of range, or DMA outside RAM / not master */
	uint32_t rx_filtered;
	uint32_t rx_missed;	/* receiver off, ring full, ring outside RAM */
	uint32_t rx_oversized;
};
void rtl8139_get_stats(const struct rtl8139 *r, struct rtl8139_stats *out);

extern const struct device_desc rtl8139_desc;

#endif
