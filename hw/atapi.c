/* ATAPI CD-ROM: the packet commands a BIOS, bootloader, OS driver or DOS
 * CD-ROM driver uses, on a cdimage (an ISO image or a CUE sheet with data
 * and audio tracks): data reads, the TOC, READ CD and audio play through
 * the drive's cdaudio player. */
#include <string.h>

#include "hw/cdaudio.h"
#include "hw/cdimage.h"
#include "hw/ide_internal.h"

enum {
	SK_NOT_READY = 0x02, SK_ILLEGAL = 0x05, SK_UNIT_ATTENTION = 0x06,
	ASC_INVALID_OPCODE = 0x20, ASC_LBA_RANGE = 0x21, ASC_INVALID_FIELD = 0x24,
	ASC_POWER_ON = 0x29, ASC_SEQUENCE = 0x2c, ASC_NO_MEDIUM = 0x3a,
	ASC_REMOVAL_PREVENTED = 0x53, ASC_ILLEGAL_MODE = 0x64,
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
	return cdimage_leadout(d->cd);
}

void atapi_reset(struct ide_drive *d)
{
	d->sense_key = d->asc = d->ascq = 0;
	d->byte_limit = 0;
}

/* Where READ CD's fields (flags byte 9) sit in a raw 2352-byte frame of a
 * track of mode m; returns how many bytes of each frame it sends. */
static uint32_t read_cd_fields(enum cd_track_mode m, uint8_t flags, uint16_t off[5],
			       uint16_t len[5], int *n)
{
	static const uint16_t m1_off[5] = { 0, 12, 16, 16, 2064 };
	static const uint16_t m1_len[5] = { 12, 4, 0, 2048, 288 };
	static const uint16_t m2_off[5] = { 0, 12, 16, 24, 2072 };
	static const uint16_t m2_len[5] = { 12, 4, 8, 2048, 280 };
	bool want[5] = { flags & 0x80, flags & 0x20, flags & 0x40, flags & 0x10, flags & 0x08 };
	*n = 0;
	uint32_t total = 0;
	if (m == CD_AUDIO) {
		if (flags & 0x10) {	/* CD-DA: the user data is the whole frame */
			off[0] = 0;
			len[0] = CD_RAW_BYTES;
			*n = 1;
			total = CD_RAW_BYTES;
		}
		return total;
	}
	const uint16_t *fo = m == CD_MODE2_2352 ? m2_off : m1_off;
	const uint16_t *fl = m == CD_MODE2_2352 ? m2_len : m1_len;
	for (int i = 0; i < 5; i++) {
		if (want[i] && fl[i]) {
			off[*n] = fo[i];
			len[*n] = fl[i];
			(*n)++;
			total += fl[i];
		}
	}
	return total;
}

uint32_t atapi_read_unit(struct ide_drive *d, uint64_t lba, uint8_t *buf)
{
	if (!d->media || lba >= blocks(d))
		return 0;
	const struct cd_track *t = cdimage_track_at(d->cd, (uint32_t)lba);
	if (!t)
		return 0;
	if (d->cd_flags == 0x10 && !cd_track_is_audio(t))
		return cdimage_read_data(d->cd, (uint32_t)lba, buf) == 0 ? CD_DATA_BYTES : 0;
	uint8_t raw[CD_RAW_BYTES];
	if (cdimage_read_raw(d->cd, (uint32_t)lba, raw) < 0)
		return 0;
	uint16_t off[5], len[5];
	int n;
	uint32_t total = read_cd_fields(t->mode, d->cd_flags, off, len, &n);
	uint32_t pos = 0;
	for (int i = 0; i < n; i++) {
		memcpy(buf + pos, raw + off[i], len[i]);
		pos += len[i];
	}
	return total;
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

static uint8_t track_control(const struct cd_track *t)
{
	return cd_track_is_audio(t) ? 0x10 : 0x14;	/* ADR 1; data track bit */
}

/* One TOC format 0 descriptor. */
static uint8_t *toc_entry(uint8_t *p, uint8_t control, uint8_t number, uint32_t lba, bool msf)
{
	memset(p, 0, 8);
	p[1] = control;
	p[2] = number;
	put_addr(p + 4, lba, msf);
	return p + 8;
}

/* Format 2 (raw TOC): the A0h/A1h/A2h points and one per track, MSF. */
static uint32_t raw_toc(const struct ide_drive *d, uint8_t *b)
{
	const struct cdimage *cd = d->cd;
	int n = cdimage_track_count(cd);
	const struct cd_track *first = cdimage_track(cd, 0), *last = cdimage_track(cd, n - 1);
	uint8_t *p = b + 4;
	for (int i = -3; i < n; i++) {
		const struct cd_track *t = i == -3 ? first : i < 0 ? last : cdimage_track(cd, i);
		memset(p, 0, 11);
		p[0] = 1;			/* session */
		p[1] = track_control(t);
		p[3] = i == -3 ? 0xa0 : i == -2 ? 0xa1 : i == -1 ? 0xa2 : t->number;
		if (i == -3) {
			p[8] = first->number;	/* PSEC 00h: CD-DA or CD-ROM disc */
		} else if (i == -2) {
			p[8] = last->number;
		} else {
			uint8_t msf[3];
			cd_lba_to_msf(i == -1 ? cdimage_leadout(cd) : t->start, msf);
			memcpy(p + 8, msf, 3);
		}
		p += 11;
	}
	b[2] = b[3] = 1;			/* sessions */
	return (uint32_t)(p - b);
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
	const struct cdimage *cd = d->cd;
	int n = cdimage_track_count(cd);
	const struct cd_track *first = cdimage_track(cd, 0), *last = cdimage_track(cd, n - 1);
	bool iso = n == 1 && !cd_track_is_audio(first);
	uint32_t len;
	memset(b, 0, 4);
	if (format == 0) {
		uint8_t start = c[6] ? c[6] : 1;
		if (start > last->number && start != 0xaa) {
			atapi_error(ch, d, SK_ILLEGAL, ASC_INVALID_FIELD);
			return;
		}
		b[2] = first->number;
		b[3] = last->number;
		uint8_t *p = b + 4;
		for (int i = 0; i < n && start != 0xaa; i++) {
			const struct cd_track *t = cdimage_track(cd, i);
			if (t->number >= start)
				p = toc_entry(p, track_control(t), t->number, t->start, msf);
		}
		/* Lead-out of an ISO: data, copy permitted (as QEMU, Bochs). */
		p = toc_entry(p, iso ? 0x16 : track_control(last), 0xaa, blocks(d), msf);
		len = (uint32_t)(p - b);
	} else if (format == 1) {	/* one session, starting at the first track */
		b[2] = b[3] = 1;
		len = (uint32_t)(toc_entry(b + 4, track_control(first), first->number,
					   first->start, msf) - b);
	} else if (format == 2) {
		len = raw_toc(d, b);
	} else {
		atapi_error(ch, d, SK_ILLEGAL, ASC_INVALID_FIELD);
		return;
	}
	put_be16(b, len - 2);
	reply(ch, d, len, alloc);
}

/* Mode pages: 01h read error recovery, 0Eh CD audio control, 2Ah
 * capabilities. */
static uint32_t mode_page(struct ide_drive *d, uint8_t page, uint8_t *p)
{
	if (page == 0x01) {
		memset(p, 0, 8);
		p[0] = 0x01;
		p[1] = 0x06;
		return 8;
	}
	if (page == 0x0e) {	/* Immed, ports 0/1 on channels 1/2, full volume */
		memset(p, 0, 16);
		p[0] = 0x0e;
		p[1] = 0x0e;
		p[2] = 0x04;
		p[8] = 0x01;
		p[9] = 0xff;
		p[10] = 0x02;
		p[11] = 0xff;
		return 16;
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
		len += mode_page(d, 0x0e, b + len);
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

/* What a READ CD returns of a frame depends on its kind: CD-DA, Mode 1
 * (recorded as 2048 or 2352 bytes) or Mode 2. */
static int kind(const struct cd_track *t)
{
	return t->mode == CD_AUDIO ? 0 : t->mode == CD_MODE2_2352 ? 2 : 1;
}

/* Whether frames [lba, lba + count) all lie in tracks of kind k, or in data
 * tracks of any kind when k is -1. */
static bool range_is(const struct ide_drive *d, uint32_t lba, uint32_t count, int k)
{
	while (count) {
		const struct cd_track *t = cdimage_track_at(d->cd, lba);
		if (!t || (k < 0 ? cd_track_is_audio(t) : kind(t) != k))
			return false;
		uint32_t n = t->end - lba < count ? t->end - lba : count;
		lba += n;
		count -= n;
	}
	return true;
}

/* Sends frames [lba, lba + count): their user data (READ (10)/(12): type
 * -1, flags 10h) or the READ CD fields in flags, of expected sector type
 * type (0 any, 1 CD-DA, 2 Mode 1, 4 Mode 2 form 1). */
static void read_frames(struct ide_channel *ch, struct ide_drive *d, uint32_t lba,
			uint32_t count, uint8_t flags, int type)
{
	if ((uint64_t)lba + count > blocks(d)) {
		atapi_error(ch, d, SK_ILLEGAL, ASC_LBA_RANGE);
		return;
	}
	if (d->player && cdaudio_active(d->player))
		cdaudio_stop(d->player);	/* a data read ends audio play */
	uint32_t unit = CD_DATA_BYTES;
	if (count) {
		static const int type_kind[8] = { -2, 0, 1, -3, 2, -3, -3, -3 };
		const struct cd_track *t = cdimage_track_at(d->cd, lba);
		bool ok = type < 0 ? range_is(d, lba, count, -1) :
			  (type_kind[type] == -2 || type_kind[type] == kind(t)) &&
			  range_is(d, lba, count, kind(t));
		if (!ok) {
			atapi_error(ch, d, SK_ILLEGAL, ASC_ILLEGAL_MODE);
			return;
		}
		if (type >= 0) {
			uint16_t off[5], len[5];
			int n;
			unit = read_cd_fields(t->mode, flags, off, len, &n);
		}
	}
	if (unit && count > 0xffffffffu / unit) {
		atapi_error(ch, d, SK_ILLEGAL, ASC_INVALID_FIELD);
		return;
	}
	d->sense_key = d->asc = d->ascq = 0;
	d->cd_flags = flags;
	ide_start_cd_read(ch, d, lba, count, unit);
}

/* READ CD (BEh) and READ CD MSF (B9h). */
static void read_cd(struct ide_channel *ch, struct ide_drive *d, bool msf)
{
	const uint8_t *c = d->cdb;
	int type = (c[1] >> 2) & 7;
	uint8_t flags = c[9];
	if ((flags & 0x06) || c[10] & 7) {	/* C2 error bits, sub-channel data */
		atapi_error(ch, d, SK_ILLEGAL, ASC_INVALID_FIELD);
		return;
	}
	uint32_t lba, count;
	if (msf) {
		int32_t s = cd_msf_to_lba(c[3], c[4], c[5]), e = cd_msf_to_lba(c[6], c[7], c[8]);
		if (s < 0 || e < s) {
			atapi_error(ch, d, SK_ILLEGAL, s < 0 ? ASC_LBA_RANGE : ASC_INVALID_FIELD);
			return;
		}
		lba = (uint32_t)s;
		count = (uint32_t)(e - s);
	} else {
		lba = be32(c + 2);
		count = (uint32_t)c[6] << 16 | (uint32_t)c[7] << 8 | c[8];
	}
	read_frames(ch, d, lba, count, flags, type);
}

/* --- audio play ------------------------------------------------------------ */

/* Plays [start, end): start must be an audio frame on the disc; the play
 * stops early at the first data track after it. */
static void play(struct ide_channel *ch, struct ide_drive *d, int64_t start, int64_t end)
{
	if (start == end) {	/* no play, no error (MMC) */
		atapi_done(ch, d);
		return;
	}
	if (start > end) {
		atapi_error(ch, d, SK_ILLEGAL, ASC_INVALID_FIELD);
		return;
	}
	if (start < 0 || end > blocks(d)) {
		atapi_error(ch, d, SK_ILLEGAL, ASC_LBA_RANGE);
		return;
	}
	const struct cd_track *t = cdimage_track_at(d->cd, (uint32_t)start);
	if (!d->player || !t || !cd_track_is_audio(t)) {
		atapi_error(ch, d, SK_ILLEGAL, ASC_ILLEGAL_MODE);
		return;
	}
	for (int i = t->number; i < cdimage_track_count(d->cd); i++) {
		const struct cd_track *n = cdimage_track(d->cd, i);
		if (!cd_track_is_audio(n) && n->first < end) {
			end = n->first;
			break;
		}
	}
	d->sense_key = d->asc = d->ascq = 0;
	cdaudio_play(d->player, (uint32_t)start, (uint32_t)end);
	atapi_done(ch, d);
}

/* The address a play starts at: lba, or the current position when all
 * ones (MMC). */
static int64_t play_start(struct ide_drive *d, uint32_t lba, bool all_ones)
{
	if (all_ones && d->player)
		return cdaudio_position(d->player);
	return (int32_t)lba;
}

static void put_msf_or_lba(uint8_t *p, int32_t v, bool msf, bool relative)
{
	if (!msf) {
		put_be32(p, (uint32_t)v);
		return;
	}
	/* Relative MSF counts from the track's start (down in its pregap). */
	uint32_t f = relative ? (uint32_t)(v < 0 ? -v : v) : (uint32_t)v + 150;
	p[0] = 0;
	p[1] = (uint8_t)(f / (75 * 60));
	p[2] = (uint8_t)(f / 75 % 60);
	p[3] = (uint8_t)(f % 75);
}

static void read_subchannel(struct ide_channel *ch, struct ide_drive *d)
{
	const uint8_t *c = d->cdb;
	bool msf = c[1] & 2, subq = c[2] & 0x40;
	uint8_t format = c[3];
	uint32_t alloc = be16(c + 7);
	if (subq && (format < 1 || format > 3)) {
		atapi_error(ch, d, SK_ILLEGAL, ASC_INVALID_FIELD);
		return;
	}
	uint8_t *b = d->buf;
	memset(b, 0, 24);
	b[1] = d->player ? cdaudio_take_status(d->player) : CDA_NONE;
	uint32_t len = 4;
	if (subq) {
		b[4] = format;
		len = format == 1 ? 16 : 24;
	}
	if (subq && format == 1) {
		uint32_t lba = d->player ? cdaudio_position(d->player) : 0;
		const struct cd_track *t = cdimage_track_at(d->cd, lba);
		if (!t)
			t = cdimage_track(d->cd, cdimage_track_count(d->cd) - 1);
		b[5] = track_control(t);
		b[6] = t->number;
		b[7] = lba >= t->start ? 1 : 0;	/* index */
		put_msf_or_lba(b + 8, (int32_t)lba, msf, false);
		put_msf_or_lba(b + 12, (int32_t)lba - (int32_t)t->start, msf, true);
	} else if (subq && format == 3) {
		b[5] = 0x10;
		b[6] = c[6];	/* ISRC of this track: none (TCVal 0) */
	}
	/* Formats 2 and 3: MCVal/TCVal 0, no catalogue number or ISRC. */
	put_be16(b + 2, len - 4);
	reply(ch, d, len, alloc);
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
			   op == 0x43 || op == 0x2b || op == 0x42 || op == 0x45 || op == 0x47 ||
			   op == 0x4b || op == 0x4e || op == 0xa5 || op == 0xb9 || op == 0xbe;
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
		if (!(c[4] & 1) && d->player)
			cdaudio_stop(d->player);	/* stopping the disc ends a play */
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
		put_be32(b + 4, CD_DATA_BYTES);
		reply(ch, d, 8, 8);
		break;
	case 0x28:	/* READ(10) */
		read_frames(ch, d, be32(c + 2), be16(c + 7), 0x10, -1);
		break;
	case 0xa8:	/* READ(12) */
		read_frames(ch, d, be32(c + 2), be32(c + 6), 0x10, -1);
		break;
	case 0x2b:	/* SEEK(10) */
		if (be32(c + 2) >= blocks(d)) {
			atapi_error(ch, d, SK_ILLEGAL, ASC_LBA_RANGE);
			return;
		}
		if (d->player)
			cdaudio_stop(d->player);	/* a seek ends a play (MMC) */
		atapi_done(ch, d);
		break;
	case 0xbe:
		read_cd(ch, d, false);
		break;
	case 0xb9:
		read_cd(ch, d, true);
		break;
	case 0x45: {	/* PLAY AUDIO (10) */
		int64_t start = play_start(d, be32(c + 2), be32(c + 2) == 0xffffffffu);
		play(ch, d, start, start + be16(c + 7));
		break;
	}
	case 0xa5: {	/* PLAY AUDIO (12) */
		int64_t start = play_start(d, be32(c + 2), be32(c + 2) == 0xffffffffu);
		play(ch, d, start, start + be32(c + 6));
		break;
	}
	case 0x47: {	/* PLAY AUDIO MSF */
		bool cur = c[3] == 0xff && c[4] == 0xff && c[5] == 0xff;
		int64_t start = play_start(d, (uint32_t)cd_msf_to_lba(c[3], c[4], c[5]), cur);
		play(ch, d, start, cd_msf_to_lba(c[6], c[7], c[8]));
		break;
	}
	case 0x4b:	/* PAUSE/RESUME */
		if (!d->player || cdaudio_pause(d->player, c[8] & 1) < 0) {
			atapi_error(ch, d, SK_ILLEGAL, ASC_SEQUENCE);
			return;
		}
		atapi_done(ch, d);
		break;
	case 0x4e:	/* STOP PLAY/SCAN */
		if (d->player)
			cdaudio_stop(d->player);
		atapi_done(ch, d);
		break;
	case 0x42:
		read_subchannel(ch, d);
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
	case 0x51:	/* READ DISC INFORMATION: one complete session */
		if (!d->media) {
			atapi_error(ch, d, SK_NOT_READY, ASC_NO_MEDIUM);
			return;
		}
		memset(b, 0, 34);
		put_be16(b, 32);
		b[2] = 0x0e;	/* last session and disc complete */
		b[3] = b[4] = b[5] = 1;
		b[6] = (uint8_t)cdimage_track_count(d->cd);	/* last track */
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
