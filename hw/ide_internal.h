/* Shared between hw/ide.c (ATA, channel, bus master) and hw/atapi.c. */
#ifndef TANDEM_HW_IDE_INTERNAL_H
#define TANDEM_HW_IDE_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "hw/ide.h"

enum {
	ST_ERR = 0x01, ST_DRQ = 0x08, ST_DSC = 0x10, ST_DF = 0x20, ST_DRDY = 0x40,
	ST_BSY = 0x80,
	ER_AMNF = 0x01, ER_ABRT = 0x04, ER_IDNF = 0x10, ER_UNC = 0x40,
	CTL_NIEN = 0x02, CTL_SRST = 0x04, CTL_HOB = 0x80,
	/* ATAPI interrupt reason (sector count register). */
	IR_COD = 0x01, IR_IO = 0x02,
};

#define IDE_MAX_MULT 16
#define CD_UNIT_MAX 2352	/* a raw frame (READ CD) */
#define IDE_BUF (IDE_MAX_MULT * 512 > CD_UNIT_MAX ? IDE_MAX_MULT * 512 : CD_UNIT_MAX)

/* What the data port or the bus master is moving. */
enum xfer {
	X_NONE,
	X_ATA_READ,	/* sectors from the disk, unit 512 */
	X_ATA_WRITE,	/* sectors to the disk, unit 512 */
	X_REPLY,	/* a prepared buffer (IDENTIFY, ATAPI replies) */
	X_CD_READ,	/* CD frames: 2048 bytes, or the fields READ CD asks for */
	X_PACKET,	/* the 12-byte ATAPI command packet */
};

struct ide_drive {
	struct disk *disk;	/* ATA */
	struct cdimage *cd;	/* ATAPI: the medium */
	struct cdaudio *player;	/* ATAPI: its audio player (may be NULL) */
	bool present, atapi;
	/* ATA geometry: default (IDENTIFY words 1/3/6) and current (91h). */
	uint32_t cyls, heads, spt;
	uint32_t cur_cyls, cur_heads, cur_spt;
	uint64_t sectors;
	uint8_t mult;		/* sectors per DRQ block for READ/WRITE MULTIPLE; 0 off */
	uint8_t status, error;
	uint8_t pio_mode, dma_mode;	/* SET FEATURES 03h: mode byte as given */
	bool wcache;
	bool irq_pending;	/* INTRQ, seen on the pin while selected and nIEN=0 */

	/* Transfer in progress. */
	enum xfer xfer;
	bool dma;		/* through the bus master, not the data port */
	uint64_t lba;		/* next unit to load/store */
	uint32_t bytes_left;	/* bytes the command still moves */
	uint32_t drq_left;	/* bytes left in the current DRQ block (PIO) */
	uint32_t drq_size;	/* ATA: sectors per DRQ block */
	uint32_t buf_pos, buf_len;
	uint8_t buf[IDE_BUF];
	bool lba48;

	/* ATAPI. */
	uint8_t cdb[12];
	uint8_t sense_key, asc, ascq;
	uint16_t byte_limit;
	bool media, locked, media_event;
	bool unit_attention;
	uint8_t cd_flags;	/* X_CD_READ: READ CD flags byte (10h: user data) */
};

struct ide_channel {
	struct mem *mem;
	struct irq_line *irq;
	uint16_t base, ctl_port;
	struct ide_drive d[2];
	int sel;
	/* Task file: written to both devices, as on the cable. */
	uint8_t feature, nsector, sector, lcyl, hcyl, select;
	uint8_t hob_feature, hob_nsector, hob_sector, hob_lcyl, hob_hcyl;
	uint8_t ctl;

	/* Bus master. */
	uint8_t bm_cmd, bm_status;
	uint32_t bm_prd;
	uint32_t prd_index;	/* next entry */
	uint32_t prd_addr, prd_left;	/* current entry */
	bool prd_eot;		/* the current entry is the last */
};

/* ide.c services used by atapi.c. */
void ide_raise(struct ide_channel *ch, struct ide_drive *d);
void ide_start_reply(struct ide_channel *ch, struct ide_drive *d, uint32_t len);
/* Sends blocks frames from lba, unit bytes each (atapi_read_unit's). */
void ide_start_cd_read(struct ide_channel *ch, struct ide_drive *d, uint64_t lba,
		       uint32_t blocks, uint32_t unit);
void ide_dma_run(struct ide_channel *ch);
void ide_put_string(uint16_t *w, int first, int words, const char *s);
void ide_checksum(uint16_t *w);

/* atapi.c */
void atapi_reset(struct ide_drive *d);
void atapi_identify(struct ide_drive *d);
void atapi_packet(struct ide_channel *ch, struct ide_drive *d);
void atapi_done(struct ide_channel *ch, struct ide_drive *d);
void atapi_error(struct ide_channel *ch, struct ide_drive *d, uint8_t key, uint8_t asc);
/* Puts what the current read sends of frame lba (d->cd_flags) into buf;
 * returns its length, 0 when out of range or on an I/O error. */
uint32_t atapi_read_unit(struct ide_drive *d, uint64_t lba, uint8_t *buf);

#endif
