/* IDE/ATA channel (two devices on one cable) with ATA hard disks and ATAPI
 * CD-ROMs, plus the channel's half of the PIIX bus master (PRD-driven DMA).
 *
 * Ports: the command block at base (1F0h/170h: data, error/features,
 * sector count, LBA low/mid/high, device, status/command) and the control
 * block at ctl (3F6h/376h: alternate status / device control).  The bus
 * master registers (command, status, PRD table address) are reached
 * through ide_bm_read/ide_bm_write by the PCI function that owns BMIBA.
 * Behaviour, register values and limits: docs/storage.md.
 */
#ifndef TANDEM_HW_IDE_H
#define TANDEM_HW_IDE_H

#include <stdint.h>

#include "hw/device.h"

struct ioport_bus;
struct mem;
struct clock;
struct irq_line;
struct disk;
struct cdimage;
struct cdaudio;
struct ide_channel;

/* NULL on failure (ports taken, no memory). */
struct ide_channel *ide_new(struct ioport_bus *io, uint16_t base, uint16_t ctl,
			    struct irq_line *irq, struct mem *mem);

/* Puts the ATA disk d (not DISK_CDROM) on unit 0 (master) or 1 (slave).
 * The disk stays owned by the caller. */
int ide_attach(struct ide_channel *ch, int unit, struct disk *d);
/* Puts an ATAPI CD-ROM drive with medium cd on unit; player (may be NULL:
 * no audio play) is its CD-DA player.  Both stay owned by the caller. */
int ide_attach_cd(struct ide_channel *ch, int unit, struct cdimage *cd,
		  struct cdaudio *player);

/* Bus master registers, reg 0-7 of this channel's block (0 command,
 * 2 status, 4-7 PRD table address). */
uint32_t ide_bm_read(struct ide_channel *ch, unsigned reg, int size);
void ide_bm_write(struct ide_channel *ch, unsigned reg, uint32_t val, int size);

extern const struct device_desc ide_desc;

#endif
