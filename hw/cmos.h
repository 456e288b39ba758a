/* MC146818 real-time clock with 128 bytes of CMOS RAM.
 *
 * The clock runs on virtual time from a base chosen at creation: the host's
 * local time, or a fixed number of seconds since the epoch so that runs are
 * deterministic.  Update, alarm and periodic interrupts go to one IRQ line
 * (IRQ8); reading register C clears the flags and lowers it.  Bit 7 of the
 * index port masks NMI; the board asks cmos_nmi_masked().
 */
#ifndef TANDEM_HW_CMOS_H
#define TANDEM_HW_CMOS_H

#include <stdbool.h>
#include <stdint.h>

#include "hw/device.h"

struct ioport_bus;
struct clock;
struct irq_line;
struct cmos;

/* Registers of interest to the board. */
enum {
	CMOS_REG_A = 0x0a,
	CMOS_REG_B = 0x0b,
	CMOS_REG_C = 0x0c,
	CMOS_REG_D = 0x0d,
	CMOS_CENTURY = 0x32,
	CMOS_CHECKSUM_HI = 0x2e,	/* sum of 10h-2Dh, big endian in 2Eh-2Fh */
	CMOS_CHECKSUM_LO = 0x2f,
};

/* Claims base and base+1 (normally 70h).  rtc_base < 0 starts the clock at
 * the host's local time, otherwise at that many seconds since 1970-01-01
 * (read as local time by the guest).  irq (may be NULL) is IRQ8. */
struct cmos *cmos_new(struct ioport_bus *io, uint16_t base, struct clock *clk,
		      struct irq_line *irq, int64_t rtc_base);

/* Raw CMOS RAM access for the board (index 0-127; others ignored / FFh).
 * Clock registers are not special-cased: use this for the NVRAM bytes. */
void cmos_set_byte(struct cmos *c, int index, uint8_t v);
uint8_t cmos_get_byte(struct cmos *c, int index);
/* Recomputes the standard checksum at 2Eh-2Fh. */
void cmos_update_checksum(struct cmos *c);

bool cmos_nmi_masked(const struct cmos *c);

extern const struct device_desc cmos_desc;

#endif
