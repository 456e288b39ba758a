/* ATAPI CD-ROM: the packet commands a BIOS, bootloader or OS driver uses,
 * on a read-only ISO 9660 image of 2048-byte blocks (one data track). */
#include <string.h>

#include "hw/disk.h"
#include "hw/ide_internal.h"

enum {
	SK_NOT_READY = 0x02, SK_ILLEGAL = 0x05, SK_UNIT_ATTENTION = 0x06,
	ASC_INVALID_OPCODE = 0x20, ASC_LBA_RANGE = 0x21, ASC_INVALID_FIELD = 0x24,
	ASC_POWER_ON = 0x29, ASC_NO_MEDIUM = 0x3a, ASC_REMOVAL_PREVENTED = 0x53,
};

static uint32_t be16(const uint8_t *p)
{
	return (uint32_t)p[0] << 8 | p[1];
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put_be16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint32_t blocks(const struct ide_drive *d)
{
	return (uint32_t)(d->sectors / 4 > 0xffffffffu ? 0xffffffffu : d->sectors / 4);
}

void atapi_reset(struct ide_drive *d)
{
	d->sense_key = d->asc = d->ascq = 0;
	d->byte_limit = 0;
}

bool atapi_read_block(struct ide_drive *d, uint64_t lba, uint8_t *buf)
{
	if (!d->media || lba >= blocks(d))
		return false;
	return disk_read(d->disk, lba * 4, 4, buf) == 0;
}

void atapi_identify(struct ide_drive *d)
{
	uint16_t w[256];
	memset(w, 0, sizeof(w));
	w[0] = 0x85c0;		/* ATAPI, CD-ROM, removable, 50 us DRQ, 12-byte packets */
	ide_put_string(w, 10, 10, "TANDEM00000000000002");
	ide_put_string(w, 23, 4, "0.1.0");
	ide_put_string(w, 27, 20, "tandem CD-ROM");
	w[49] = 0x0300;		/* LBA, DMA */
	w[53] = 0x0006;		/* words 64-70, 88 valid */
	w[63] = 0x0007;
	w[64] = 0x0003;
	w[65] = w[66] = w[67] = w[68] = 120;
	w[71] = 30;
	w[72] = 30;
	w[80] = 0x007e;
	w[82] = 0x4014;		/* NOP, PACKET, removable media */
	w[83] = 0x4000;
	w[84] = 0x4000;
	w[85] = 0x4014;
	w[87] = 0x4000;
	w[88] = 0x003f;
	ide_checksum(w);
	for (int i = 0; i < 256; i++) {
		d->buf[2 * i] = w[i] & 0xff;
		d->buf[2 * i + 1] = w[i] >> 8;
	}
}

void atapi_done(struct ide_channel *ch, struct ide_drive *d)
{
	d->status = ST_DRDY | ST_DSC;
	d->error = 0;
	ch->nsector = IR_IO | IR_COD;
	ide_raise(ch, d);
}

static void error_q(struct ide_channel *ch, struct ide_drive *d, uint8_t key, uint8_t asc,
		    uint8_t ascq)
{
	d->sense_key = key;
	d->asc = asc;
	d->ascq = ascq;
	d->error = (uint8_t)(key << 4);
	d->status = ST_DRDY | ST_ERR;
	ch->nsector = IR_IO | IR_COD;
	ide_raise(ch, d);
}

void atapi_error(struct ide_channel *ch, struct ide_drive *d, uint8_t key, uint8_t asc)
{
	error_q(ch, d, key, asc, 0);
}

/* Sends the first len bytes of buf, cut to the allocation length. */
static void reply(struct ide_channel *ch, struct ide_drive *d, uint32_t len, uint32_t alloc)
{
	d->sense_key = d->asc = d->ascq = 0;
	ide_start_reply(ch, d, len < alloc ? len : alloc);
}

static void lba_to_msf(uint8_t *p, uint32_t lba)
{
	lba += 150;
	p[0] = 0;
	p[1] = (uint8_t)(lba / (75 * 60));
	p[2] = (uint8_t)(lba / 75 % 60);
	p[3] = (uint8_t)(lba % 75);
}

static void put_addr(uint8_t *p, uint32_t lba, bool msf)
{
	if (msf)
		lba_to_msf(p, lba);
	else
		put_be32(p, lba);
}

static void read_toc(struct ide_channel *ch, struct ide_drive *d)
{
	const uint8_t *c = d->cdb;
	bool msf = c[1] & 2;
	int format = c[2] & 0x0f;
	if (!format)
		format = c[9] >> 6;	/* SFF-8020 placed it in the control byte */
	uint32_t alloc = be16(c + 7);
	uint8_t *b = d->buf;
	memset(b, 0, 64);
	if (format == 0) {
		uint8_t start = c[6];
		if (start > 1 && start != 0xaa) {
			atapi_error(ch, d, SK_ILLEGAL, ASC_INVALID_FIELD);
			return;
		}
		b[2] = 1;
		b[3] = 1;
		uint8_t *p = b + 4;
		if (start <= 1) {
			p[1] = 0x14;	/* ADR 1, data track */
			p[2] = 1;
			put_addr(p + 4, 0, msf);
			p += 8;
		}
		p[1] = 0x16;		/* lead-out: data, copy permitted (as QEMU, Bochs) */
		p[2] = 0xaa;
		put_addr(p + 4, blocks(d), msf);
		p += 8;
		uint32_t len = (uint32_t)(p - b);
		put_be16(b, len - 2);
		reply(ch, d, len, alloc);
	} else if (format == 1) {
		put_be16(b, 10);
		b[2] = 1;
		b[3] = 1;
		b[5] = 0x14;
		b[6] = 1;
		put_addr(b + 8, 0, msf);
		reply(ch, d, 12, alloc);
	} else {
		atapi_error(ch, d, SK_ILLEGAL, ASC_INVALID_FIELD);
	}
}

/* Mode pages: 01h read error recovery, 2Ah capabilities. */
static uint32_t mode_page(struct ide_drive *d, uint8_t page, uint8_t *p)
{
	if (page == 0x01) {
		memset(p, 0, 8);
		p[0] = 0x01;
		p[1] = 0x06;
		return 8;
	}
	if (page == 0x2a) {
		memset(p, 0, 20);
		p[0] = 0x2a;
		p[1] = 0x12;
		p[2] = 0x00;		/* reads CD-ROM media only */
		p[4] = 0x71;	/* audio play, composite, digital ports, multisession */
		p[5] = 0x00;
		p[6] = (uint8_t)(0x29 | (d->locked ? 0x02 : 0));	/* tray, eject, lock */
		put_be16(p + 8, 706);	/* max speed 4x in kB/s */
		put_be16(p + 10, 2);
		put_be16(p + 12, 512);
		put_be16(p + 14, 706);
		return 20;
	}
	return 0;
}

static void mode_sense(struct ide_channel *ch, struct ide_drive *d, bool ten)
{
	const uint8_t *c = d->cdb;
	uint8_t page = c[2] & 0x3f;
	uint32_t alloc = ten ? be16(c + 7) : c[4];
	uint8_t *b = d->buf;
	uint32_t hdr = ten ? 8 : 4;
	memset(b, 0, hdr);
	uint32_t len = hdr;
	if ((c[2] >> 6) == 3) {	/* saved values: not supported */
		error_q(ch, d, SK_ILLEGAL, 0x39, 0);
		return;
	}
	if (page == 0x3f) {
		len += mode_page(d, 0x01, b + len);
		len += mode_page(d, 0x2a, b + len);
	} else {
		uint32_t n = mode_page(d, page, b + len);
		if (!n) {
			atapi_error(ch, d, SK_ILLEGAL, ASC_INVALID_FIELD);
			return;
		}
		len += n;
	}
	if (ten) {
		put_be16(b, len - 2);
		b[2] = d->media ? 0x01 : 0x70;	/* 120 mm data disc / no disc */
	} else {
		b[0] = (uint8_t)(len - 1);
		b[1] = d->media ? 0x01 : 0x70;
	}
	reply(ch, d, len, alloc);
}

static void event_status(struct ide_channel *ch, struct ide_drive *d)
{
	const uint8_t *c = d->cdb;
	if (!(c[1] & 1)) {	/* only polled operation */
		atapi_error(ch, d, SK_ILLEGAL, ASC_INVALID_FIELD);
		return;
	}
	uint32_t alloc = be16(c + 7);
	uint8_t *b = d->buf;
	memset(b, 0, 8);
	b[3] = 0x10;		/* supported: media class */
	if (c[4] & 0x10) {
		put_be16(b, 6);
		b[2] = 0x04;
		if (d->media_event) {
			b[4] = 0x02;	/* new media */
			d->media_event = false;
		}
		b[5] = d->media ? 0x02 : 0x00;
		reply(ch, d, 8, alloc);
	} else {
		put_be16(b, 2);
		b[2] = 0x80;	/* no event available */
		reply(ch, d, 4, alloc);
	}
}

/* GET CONFIGURATION (MMC): the Profile List (CD-ROM, 0008h) and Core
 * (ATAPI interface) features. */
static void get_configuration(struct ide_channel *ch, struct ide_drive *d)
{
	const uint8_t *c = d->cdb;
	uint8_t rt = c[1] & 3;
	uint32_t start = be16(c + 2), alloc = be16(c + 7);
	uint8_t *b = d->buf;
	memset(b, 0, 32);
	put_be16(b + 6, d->media ? 0x0008 : 0);
	uint32_t len = 8;
	if (start == 0) {
		b[len + 2] = 0x03;	/* persistent, current */
		b[len + 3] = 4;
		put_be16(b + len + 4, 0x0008);
		b[len + 6] = d->media;
		len += 8;
	}
	if ((rt == 2 && start == 1) || (rt != 2 && start <= 1)) {
		put_be16(b + len, 0x0001);
		b[len + 2] = 0x07;	/* version 1, persistent, current */
		b[len + 3] = 8;
		put_be32(b + len + 4, 2);	/* ATAPI */
		len += 12;
	}
	put_be32(b, len - 4);
	reply(ch, d, len, alloc);
}

static void read_blocks(struct ide_channel *ch, struct ide_drive *d, uint32_t lba,
			uint32_t count)
{
	if (count > 0xffffffffu / CD_BLOCK) {
		atapi_error(ch, d, SK_ILLEGAL, ASC_INVALID_FIELD);
		return;
	}
	if ((uint64_t)lba + count > blocks(d)) {
		atapi_error(ch, d, SK_ILLEGAL, ASC_LBA_RANGE);
		return;
	}
	d->sense_key = d->asc = d->ascq = 0;
	ide_start_cd_read(ch, d, lba, count);
}

void atapi_packet(struct ide_channel *ch, struct ide_drive *d)
{
	const uint8_t *c = d->cdb;
	uint8_t op = c[0];
	uint8_t *b = d->buf;

	if (d->unit_attention && op != 0x12 && op != 0x03 && op != 0x4a) {
		d->unit_attention = false;
		atapi_error(ch, d, SK_UNIT_ATTENTION, ASC_POWER_ON);
		return;
	}
	bool needs_media = op == 0x00 || op == 0x25 || op == 0x28 || op == 0xa8 ||
			   op == 0x43 || op == 0x2b;
	if (needs_media && !d->media) {
		atapi_error(ch, d, SK_NOT_READY, ASC_NO_MEDIUM);
		return;
	}
	switch (op) {
	case 0x00:	/* TEST UNIT READY */
		d->sense_key = d->asc = d->ascq = 0;
		atapi_done(ch, d);
		break;
	case 0x03: {	/* REQUEST SENSE */
		memset(b, 0, 18);
		b[0] = 0x70;
		b[2] = d->sense_key;
		b[7] = 10;
		b[12] = d->asc;
		b[13] = d->ascq;
		uint32_t alloc = c[4];
		d->sense_key = d->asc = d->ascq = 0;
		ide_start_reply(ch, d, alloc < 18 ? alloc : 18);
		break;
	}
	case 0x12:	/* INQUIRY */
		memset(b, 0, 36);
		b[0] = 0x05;	/* CD/DVD device */
		b[1] = 0x80;	/* removable */
		b[3] = 0x21;	/* ATAPI, response format 1 */
		b[4] = 31;
		memcpy(b + 8, "TANDEM  ", 8);
		memcpy(b + 16, "CD-ROM          ", 16);
		memcpy(b + 32, "0.1 ", 4);
		reply(ch, d, 36, c[4]);
		break;
	case 0x1a:
		mode_sense(ch, d, false);
		break;
	case 0x5a:
		mode_sense(ch, d, true);
		break;
	case 0x1b:	/* START STOP UNIT */
		if ((c[4] & 3) == 2) {	/* eject */
			if (d->locked) {
				error_q(ch, d, SK_ILLEGAL, ASC_REMOVAL_PREVENTED, 0x02);
				return;
			}
			d->media = false;
		} else if ((c[4] & 3) == 3 && !d->media) {	/* load */
			d->media = true;
			d->media_event = true;
		}
		atapi_done(ch, d);
		break;
	case 0x1e:	/* PREVENT ALLOW MEDIUM REMOVAL */
		d->locked = c[4] & 1;
		atapi_done(ch, d);
		break;
	case 0x25:	/* READ CAPACITY */
		put_be32(b, blocks(d) - 1);
		put_be32(b + 4, CD_BLOCK);
		reply(ch, d, 8, 8);
		break;
	case 0x28:	/* READ(10) */
		read_blocks(ch, d, be32(c + 2), be16(c + 7));
		break;
	case 0xa8:	/* READ(12) */
		read_blocks(ch, d, be32(c + 2), be32(c + 6));
		break;
	case 0x2b:	/* SEEK(10) */
		if (be32(c + 2) >= blocks(d)) {
			atapi_error(ch, d, SK_ILLEGAL, ASC_LBA_RANGE);
			return;
		}
		atapi_done(ch, d);
		break;
	case 0x43:
		read_toc(ch, d);
		break;
	case 0x4a:
		event_status(ch, d);
		break;
	case 0x46:
		get_configuration(ch, d);
		break;
	case 0x51:	/* READ DISC INFORMATION: one complete session, one track */
		if (!d->media) {
			atapi_error(ch, d, SK_NOT_READY, ASC_NO_MEDIUM);
			return;
		}
		memset(b, 0, 34);
		put_be16(b, 32);
		b[2] = 0x0e;	/* last session and disc complete */
		b[3] = b[4] = b[5] = b[6] = 1;
		reply(ch, d, 34, be16(c + 7));
		break;
	case 0xbd:	/* MECHANISM STATUS: no changer, no slots */
		memset(b, 0, 8);
		reply(ch, d, 8, be16(c + 8));
		break;
	default:
		atapi_error(ch, d, SK_ILLEGAL, ASC_INVALID_OPCODE);
		break;
	}
}
