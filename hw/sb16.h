/* Creative Sound Blaster family: SB 1.5 (DSP 1.05), SB 2.0 (2.01), SB Pro
 * (3.02, CT1345 mixer, dual OPL2), SB Pro 2 (3.02, OPL3) and SB16 (4.05,
 * CT1745 mixer, 16-bit DMA).
 *
 * Ports from base (220h): +0..3 FM (SB Pro and later), +4/+5 mixer index
 * and data, +6 DSP reset, +8/+9 FM, +Ah DSP read, +Ch DSP write (read: write
 * status), +Eh read status (reading acknowledges the 8-bit IRQ), +Fh
 * (SB16) acknowledges the 16-bit IRQ.  The board maps 388h to the FM chip.
 *
 * Playback runs in virtual time: a transfer of N frames at rate R ends
 * N/R seconds after it started; DMA bytes are read as the frames fall due
 * (every millisecond, and all of a block before its IRQ), so the 8237's
 * current address tells a polling game where playback is.  A channel
 * that is masked stalls the DSP as on the real card (no data, no IRQ).
 * Recording commands transfer silence (80h / 0000h).
 *
 * The SB16's IRQ and DMA channels are also selectable by the guest through
 * mixer registers 80h/81h; the board passes all 16 IRQ lines for that. */
#ifndef TANDEM_HW_SB16_H
#define TANDEM_HW_SB16_H

#include <stdbool.h>
#include <stdint.h>

#include "hw/device.h"

struct clock;
struct ioport_bus;
struct irq_line;
struct dma;
struct mixer;
struct opl;
struct sb16;

enum sb_model { SB_NONE = 0, SB_1, SB_2, SB_PRO, SB_PRO2, SB_16 };

struct sb_config {
	enum sb_model model;
	uint16_t base;		/* 220h */
	int irq;		/* 5 */
	int dma8;		/* 1 */
	int dma16;		/* 5 (SB16 only) */
};

/* irqs: the 16 ISA IRQ lines (irqs[n] is IRQ n).  opl may be NULL; it is
 * mapped at base+0..3 / base+8..9 by the board, and its volume follows
 * the FM mixer registers.  NULL on a bad configuration or taken ports. */
struct sb16 *sb16_new(struct ioport_bus *io, struct clock *clk, struct irq_line *irqs,
		      struct dma *dma, struct opl *opl, const struct sb_config *cfg);

/* Parses "sb1|sb2|sbpro|sbpro2|sb16|none"; -1 when unknown. */
int sb16_parse_model(const char *s);
const char *sb16_model_name(enum sb_model m);

/* Port-level access (offset 0-15 from base), also used by the tests. */
uint8_t sb16_read(struct sb16 *sb, int offset);
void sb16_write(struct sb16 *sb, int offset, uint8_t v);

/* The MPU-401's interrupt on an SB16 shares the card's IRQ and shows in
 * mixer register 82h bit 2. */
void sb16_mpu_irq(struct sb16 *sb, int level);

/* Starts rendering into mix from now on (NULL stops). */
void sb16_set_mixer(struct sb16 *sb, struct mixer *mix);

/* The CD level (SB16 36h/37h, SB Pro 28h, times master; 256 on cards
 * without a mixer): set is called with it, left and right in 1/256, now
 * and whenever it changes. */
void sb16_set_cd_gains(struct sb16 *sb, void (*set)(void *opaque, int left, int right),
		       void *opaque);

extern const struct device_desc sb16_desc;

#endif
