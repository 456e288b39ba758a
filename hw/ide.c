/* IDE channel: task file, ATA command set, PIO and bus-master DMA data
 * movement.  Commands complete at once (no seek or rotation time): the
 * device is never seen busy except while SRST is held. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hw/cdimage.h"
#include "hw/disk.h"
#include "hw/ide_internal.h"
#include "hw/ioport.h"
#include "hw/irq.h"
#include "hw/memory.h"
#include "util/snapshot.h"

enum { BM_START = 0x01, BM_TO_MEM = 0x08, BMS_ACTIVE = 0x01, BMS_ERR = 0x02,
       BMS_IRQ = 0x04 };

static struct ide_drive *cur(struct ide_channel *ch)
{
	return &ch->d[ch->sel];
}

static void update_irq(struct ide_channel *ch)
{
	irq_set(ch->irq, cur(ch)->irq_pending && !(ch->ctl & CTL_NIEN));
}

void ide_raise(struct ide_channel *ch, struct ide_drive *d)
{
	d->irq_pending = true;
	/* The bus master latches the INTRQ wire, which nIEN keeps quiet. */
	if (!(ch->ctl & CTL_NIEN))
		ch->bm_status |= BMS_IRQ;
	update_irq(ch);
}

/* ---- Bus master ---- */

/* Moves up to len bytes along the PRD table; returns the bytes moved.
 * Stops early when the table ends (active bit cleared) or an entry or
 * buffer is not in RAM (error bit). */
static uint32_t bm_xfer(struct ide_channel *ch, uint8_t *p, uint32_t len, bool to_mem)
{
	uint32_t done = 0;
	while (done < len) {
		if (ch->prd_left == 0) {
			if (ch->prd_eot) {
				ch->bm_status &= (uint8_t)~BMS_ACTIVE;
				break;
			}
			/* The table lives in one 64 KiB page. */
			uint32_t at = (ch->bm_prd & 0xffff0000u) |
				      ((ch->bm_prd + ch->prd_index * 8) & 0xffff);
			uint8_t e[8];
			if (mem_copy_from_guest(ch->mem, e, at, 8) < 0) {
				ch->bm_status = (uint8_t)((ch->bm_status | BMS_ERR) & ~BMS_ACTIVE);
				break;
			}
			ch->prd_index++;
			ch->prd_addr = ((uint32_t)e[0] | e[1] << 8 | e[2] << 16 |
					(uint32_t)e[3] << 24) & ~1u;
			uint32_t cnt = ((uint32_t)e[4] | e[5] << 8) & 0xfffe;
			ch->prd_left = cnt ? cnt : 0x10000;
			ch->prd_eot = e[7] & 0x80;
		}
		uint32_t n = len - done < ch->prd_left ? len - done : ch->prd_left;
		int err = to_mem ? mem_copy_to_guest(ch->mem, ch->prd_addr, p + done, n)
				 : mem_copy_from_guest(ch->mem, p + done, ch->prd_addr, n);
		if (err < 0) {
			ch->bm_status = (uint8_t)((ch->bm_status | BMS_ERR) & ~BMS_ACTIVE);
			break;
		}
		ch->prd_addr += n;
		ch->prd_left -= n;
		done += n;
	}
	return done;
}

uint32_t ide_bm_read(struct ide_channel *ch, unsigned reg, int size)
{
	uint32_t v = 0;
	for (int i = 0; i < size; i++) {
		unsigned r = (reg + (unsigned)i) & 7;
		uint8_t b = 0;
		switch (r) {
		case 0: b = ch->bm_cmd & (BM_START | BM_TO_MEM); break;
		case 2: b = ch->bm_status; break;
		case 4: case 5: case 6: case 7: b = (uint8_t)(ch->bm_prd >> (8 * (r - 4))); break;
		}
		v |= (uint32_t)b << (8 * i);
	}
	return v;
}

void ide_bm_write(struct ide_channel *ch, unsigned reg, uint32_t val, int size)
{
	for (int i = 0; i < size; i++) {
		unsigned r = (reg + (unsigned)i) & 7;
		uint8_t b = (uint8_t)(val >> (8 * i));
		switch (r) {
		case 0: {
			bool start = (b & BM_START) && !(ch->bm_cmd & BM_START);
			/* The direction bit can change only while stopped. */
			if (ch->bm_cmd & BM_START)
				b = (uint8_t)((b & BM_START) | (ch->bm_cmd & BM_TO_MEM));
			ch->bm_cmd = b & (BM_START | BM_TO_MEM);
			if (!(b & BM_START)) {
				ch->bm_status &= (uint8_t)~BMS_ACTIVE;
			} else if (start) {
				ch->prd_index = 0;
				ch->prd_left = 0;
				ch->prd_eot = false;
				ch->bm_status |= BMS_ACTIVE;
				ide_dma_run(ch);
			}
			break;
		}
		case 2: {
			/* Error and interrupt: write one to clear; 5-6 plain bits. */
			uint8_t keep = ch->bm_status & (uint8_t)~(b & (BMS_ERR | BMS_IRQ));
			ch->bm_status = (uint8_t)((keep & ~0x60) | (b & 0x60));
			break;
		}
		case 4: case 5: case 6: case 7: {
			int sh = 8 * (int)(r - 4);
			ch->bm_prd = (ch->bm_prd & ~(0xffu << sh)) | (uint32_t)b << sh;
			ch->bm_prd &= ~3u;
			break;
		}
		}
	}
}

/* ---- Transfers ---- */

static bool is_read(const struct ide_drive *d)
{
	return d->xfer == X_ATA_READ || d->xfer == X_REPLY || d->xfer == X_CD_READ;
}

static void xfer_end(struct ide_drive *d)
{
	d->xfer = X_NONE;
	d->dma = false;
	d->bytes_left = d->drq_left = 0;
	d->buf_pos = d->buf_len = 0;
}

static void ata_abort(struct ide_channel *ch, struct ide_drive *d, uint8_t err)
{
	xfer_end(d);
	d->error = err;
	d->status = ST_DRDY | ST_DSC | ST_ERR;
	ide_raise(ch, d);
}

static void set_task_lba(struct ide_channel *ch, struct ide_drive *d, uint64_t lba)
{
	if (d->lba48) {
		ch->hob_sector = (uint8_t)(lba >> 24);
		ch->hob_lcyl = (uint8_t)(lba >> 32);
		ch->hob_hcyl = (uint8_t)(lba >> 40);
	} else if (ch->select & 0x40) {
		ch->select = (uint8_t)((ch->select & 0xf0) | ((lba >> 24) & 0x0f));
	} else if (d->cur_heads && d->cur_spt) {
		uint32_t cyl = (uint32_t)(lba / (d->cur_heads * d->cur_spt));
		uint32_t r = (uint32_t)(lba % (d->cur_heads * d->cur_spt));
		ch->select = (uint8_t)((ch->select & 0xf0) | (r / d->cur_spt));
		ch->sector = (uint8_t)(r % d->cur_spt + 1);
		ch->lcyl = (uint8_t)cyl;
		ch->hcyl = (uint8_t)(cyl >> 8);
		return;
	}
	ch->sector = (uint8_t)lba;
	ch->lcyl = (uint8_t)(lba >> 8);
	ch->hcyl = (uint8_t)(lba >> 16);
}

/* Makes the next unit available in buf (reads); false after an error,
 * which has already ended the command. */
static bool load_unit(struct ide_channel *ch, struct ide_drive *d)
{
	if (d->xfer == X_ATA_READ) {
		if (disk_read(d->disk, d->lba, 1, d->buf) < 0) {
			set_task_lba(ch, d, d->lba);
			ata_abort(ch, d, ER_UNC);
			return false;
		}
		d->buf_len = 512;
	} else if (d->xfer == X_CD_READ) {
		d->buf_len = atapi_read_unit(d, d->lba, d->buf);
		if (!d->buf_len) {
			xfer_end(d);
			atapi_error(ch, d, 0x03, 0x11);	/* medium error, unrecovered read */
			return false;
		}
	}
	d->lba++;
	d->buf_pos = 0;
	return true;
}

/* Writes the filled sector; false after an error. */
static bool store_unit(struct ide_channel *ch, struct ide_drive *d)
{
	if (disk_write(d->disk, d->lba, 1, d->buf) < 0) {
		set_task_lba(ch, d, d->lba);
		ata_abort(ch, d, disk_readonly(d->disk) ? ER_ABRT : ER_UNC);
		return false;
	}
	d->lba++;
	d->buf_pos = 0;
	return true;
}

/* The command moved its last byte. */
static void xfer_complete(struct ide_channel *ch, struct ide_drive *d)
{
	enum xfer x = d->xfer;
	bool dma = d->dma;
	xfer_end(d);
	if (d->atapi) {
		atapi_done(ch, d);
		return;
	}
	d->status = ST_DRDY | ST_DSC;
	/* PIO data-in commands end without an interrupt after the last block. */
	if (dma || x == X_ATA_WRITE)
		ide_raise(ch, d);
}

/* Opens the next DRQ block of a PIO transfer. */
static void start_drq(struct ide_channel *ch, struct ide_drive *d, bool irq)
{
	uint32_t chunk;
	if (d->atapi && d->xfer != X_PACKET) {
		uint32_t limit = d->byte_limit ? d->byte_limit : 0xfffe;
		if (limit > 0xfffe)
			limit = 0xfffe;
		chunk = d->bytes_left < limit ? d->bytes_left : (limit & ~1u);
		ch->lcyl = (uint8_t)chunk;
		ch->hcyl = (uint8_t)(chunk >> 8);
		ch->nsector = IR_IO;
	} else {
		chunk = d->drq_size * 512;
		if (d->xfer == X_REPLY || d->xfer == X_PACKET || chunk > d->bytes_left)
			chunk = d->bytes_left;
	}
	d->drq_left = chunk;
	d->status = ST_DRDY | ST_DSC | ST_DRQ;
	if (irq)
		ide_raise(ch, d);
}

static void drq_block_end(struct ide_channel *ch, struct ide_drive *d)
{
	if (d->bytes_left == 0) {
		xfer_complete(ch, d);
		return;
	}
	start_drq(ch, d, true);
}

static uint8_t data_in_byte(struct ide_channel *ch, struct ide_drive *d)
{
	if (!(d->status & ST_DRQ) || !is_read(d) || d->drq_left == 0)
		return 0xff;
	if (d->buf_pos >= d->buf_len && !load_unit(ch, d))
		return 0xff;
	uint8_t v = d->buf[d->buf_pos++];
	d->bytes_left--;
	if (--d->drq_left == 0)
		drq_block_end(ch, d);
	return v;
}

static void data_out_byte(struct ide_channel *ch, struct ide_drive *d, uint8_t v)
{
	if (!(d->status & ST_DRQ) || d->drq_left == 0)
		return;
	if (d->xfer == X_PACKET) {
		if (d->buf_pos < sizeof(d->cdb))
			d->cdb[d->buf_pos++] = v;
		if (--d->drq_left == 0) {
			bool dma = d->dma;
			xfer_end(d);
			d->dma = dma;	/* the packet's data phase uses it */
			atapi_packet(ch, d);
		}
		return;
	}
	if (d->xfer != X_ATA_WRITE)
		return;
	if (d->buf_pos < 512)
		d->buf[d->buf_pos++] = v;
	d->bytes_left--;
	if (d->buf_pos >= 512 && !store_unit(ch, d))
		return;
	if (--d->drq_left == 0)
		drq_block_end(ch, d);
}

void ide_dma_run(struct ide_channel *ch)
{
	struct ide_drive *d = NULL;
	for (int i = 0; i < 2; i++)
		if (ch->d[i].dma && ch->d[i].xfer != X_NONE)
			d = &ch->d[i];
	if (!d || !(ch->bm_cmd & BM_START) || !(ch->bm_status & BMS_ACTIVE))
		return;
	bool to_mem = is_read(d);
	if (to_mem != !!(ch->bm_cmd & BM_TO_MEM)) {
		/* Direction programmed against the command: the bus master
		 * stops with an error and the device gives up. */
		ch->bm_status = (uint8_t)((ch->bm_status | BMS_ERR) & ~BMS_ACTIVE);
		if (d->atapi) {
			xfer_end(d);
			atapi_error(ch, d, 0x0b, 0x00);
		} else {
			ata_abort(ch, d, ER_ABRT);
		}
		return;
	}
	while (d->bytes_left) {
		if (to_mem && d->buf_pos >= d->buf_len && !load_unit(ch, d))
			return;
		uint32_t room = (to_mem ? d->buf_len : 512) - d->buf_pos;
		uint32_t want = room < d->bytes_left ? room : d->bytes_left;
		uint32_t n = bm_xfer(ch, d->buf + d->buf_pos, want, to_mem);
		d->buf_pos += n;
		d->bytes_left -= n;
		if (!to_mem && d->buf_pos >= 512 && !store_unit(ch, d))
			return;
		if (n < want) {
			if (ch->bm_status & BMS_ERR) {
				if (d->atapi) {
					xfer_end(d);
					atapi_error(ch, d, 0x0b, 0x00);
				} else {
					ata_abort(ch, d, ER_ABRT);
				}
			}
			return;	/* table exhausted: the device waits for more */
		}
	}
	/* A table longer than the transfer leaves the engine active. */
	if (ch->prd_left == 0 && ch->prd_eot)
		ch->bm_status &= (uint8_t)~BMS_ACTIVE;
	xfer_complete(ch, d);
}

/* Starts moving a command's data, by PIO or the bus master. */
static void start_xfer(struct ide_channel *ch, struct ide_drive *d, enum xfer x,
		       uint64_t lba, uint32_t bytes, bool dma)
{
	d->xfer = x;
	d->lba = lba;
	d->bytes_left = bytes;
	d->buf_pos = 0;
	d->buf_len = x == X_REPLY ? d->buf_len : 0;
	d->dma = dma;
	if (bytes == 0) {
		xfer_complete(ch, d);
		return;
	}
	if (dma) {
		d->status = ST_DRDY | ST_DSC | ST_DRQ;
		ide_dma_run(ch);
		return;
	}
	/* PIO writes wait for the first block without an interrupt. */
	start_drq(ch, d, x != X_ATA_WRITE && x != X_PACKET);
}

void ide_start_reply(struct ide_channel *ch, struct ide_drive *d, uint32_t len)
{
	if (len > sizeof(d->buf))
		len = sizeof(d->buf);
	d->buf_len = len;
	start_xfer(ch, d, X_REPLY, 0, len, d->dma);
}

void ide_start_cd_read(struct ide_channel *ch, struct ide_drive *d, uint64_t lba,
		       uint32_t blocks, uint32_t unit)
{
	start_xfer(ch, d, X_CD_READ, lba, blocks * unit, d->dma);
}

/* ---- ATA commands ---- */

void ide_put_string(uint16_t *w, int first, int words, const char *s)
{
	size_t n = strlen(s);
	for (int i = 0; i < words * 2; i++) {
		uint8_t c = (size_t)i < n ? (uint8_t)s[i] : ' ';
		if (i & 1)
			w[first + i / 2] |= c;
		else
			w[first + i / 2] = (uint16_t)(c << 8);
	}
}

void ide_checksum(uint16_t *w)
{
	uint8_t sum = 0xa5;
	w[255] = 0x00a5;
	for (int i = 0; i < 255; i++)
		sum = (uint8_t)(sum + (w[i] & 0xff) + (w[i] >> 8));
	w[255] = (uint16_t)((uint8_t)-sum << 8 | 0xa5);
}

static void put_words(uint8_t *buf, const uint16_t *w)
{
	for (int i = 0; i < 256; i++) {
		buf[2 * i] = w[i] & 0xff;
		buf[2 * i + 1] = w[i] >> 8;
	}
}

static void ata_identify(struct ide_drive *d)
{
	uint16_t w[256];
	memset(w, 0, sizeof(w));
	w[0] = 0x0040;			/* fixed disk */
	w[1] = (uint16_t)d->cyls;
	w[3] = (uint16_t)d->heads;
	w[6] = (uint16_t)d->spt;
	ide_put_string(w, 10, 10, "TANDEM00000000000001");
	w[20] = 3;
	w[21] = 512;
	ide_put_string(w, 23, 4, "0.1.0");
	ide_put_string(w, 27, 20, "tandem HARDDISK");
	w[47] = 0x8000 | IDE_MAX_MULT;
	w[49] = 0x0300;			/* LBA, DMA */
	w[50] = 0x4000;
	w[51] = 0x0200;
	w[52] = 0x0200;
	w[53] = 0x0007;			/* words 54-58, 64-70, 88 valid */
	w[54] = (uint16_t)d->cur_cyls;
	w[55] = (uint16_t)d->cur_heads;
	w[56] = (uint16_t)d->cur_spt;
	uint32_t chs = d->cur_cyls * d->cur_heads * d->cur_spt;
	w[57] = (uint16_t)chs;
	w[58] = (uint16_t)(chs >> 16);
	w[59] = d->mult ? (uint16_t)(0x0100 | d->mult) : 0;
	uint64_t lba28 = d->sectors > 0x0fffffff ? 0x0fffffff : d->sectors;
	w[60] = (uint16_t)lba28;
	w[61] = (uint16_t)(lba28 >> 16);
	w[63] = 0x0007;			/* multiword DMA 0-2 */
	if ((d->dma_mode & 0xf8) == 0x20)
		w[63] |= (uint16_t)(0x100 << (d->dma_mode & 7));
	w[64] = 0x0003;			/* PIO 3, 4 */
	w[65] = w[66] = w[67] = w[68] = 120;
	w[80] = 0x007e;			/* ATA-1 .. ATA-6 */
	w[82] = 0x0020;			/* write cache */
	w[83] = 0x7400;			/* 48-bit, FLUSH CACHE (EXT) */
	w[84] = 0x4000;
	w[85] = d->wcache ? 0x0020 : 0;
	w[86] = 0x3400;
	w[87] = 0x4000;
	w[88] = 0x003f;			/* UDMA 0-5 */
	if ((d->dma_mode & 0xf8) == 0x40)
		w[88] |= (uint16_t)(0x100 << (d->dma_mode & 7));
	w[93] = 0x4000 | 0x0001;
	for (int i = 0; i < 4; i++)
		w[100 + i] = (uint16_t)(d->sectors >> (16 * i));
	ide_checksum(w);
	put_words(d->buf, w);
}

static void set_signature(struct ide_channel *ch, struct ide_drive *d)
{
	ch->nsector = 1;
	ch->sector = 1;
	ch->lcyl = d->atapi ? 0x14 : 0;
	ch->hcyl = d->atapi ? 0xeb : 0;
	ch->select &= 0xb0;
}

/* The addressed range of a read/write/verify; false (device aborted with
 * IDNF) when it does not exist. */
static bool ata_range(struct ide_channel *ch, struct ide_drive *d, bool lba48,
		      uint64_t *lba, uint32_t *count)
{
	d->lba48 = lba48;
	if (lba48) {
		*lba = (uint64_t)ch->hob_hcyl << 40 | (uint64_t)ch->hob_lcyl << 32 |
		       (uint64_t)ch->hob_sector << 24 | (uint64_t)ch->hcyl << 16 |
		       (uint64_t)ch->lcyl << 8 | ch->sector;
		*count = (uint32_t)ch->hob_nsector << 8 | ch->nsector;
		if (*count == 0)
			*count = 65536;
	} else {
		*count = ch->nsector ? ch->nsector : 256;
		if (ch->select & 0x40) {
			*lba = (uint64_t)(ch->select & 0x0f) << 24 | (uint64_t)ch->hcyl << 16 |
			       (uint64_t)ch->lcyl << 8 | ch->sector;
		} else {
			uint32_t cyl = (uint32_t)ch->hcyl << 8 | ch->lcyl;
			uint32_t head = ch->select & 0x0f, s = ch->sector;
			if (s == 0 || s > d->cur_spt || head >= d->cur_heads ||
			    cyl >= d->cur_cyls) {
				ata_abort(ch, d, ER_IDNF);
				return false;
			}
			*lba = ((uint64_t)cyl * d->cur_heads + head) * d->cur_spt + s - 1;
		}
	}
	if (*lba >= d->sectors || *count > d->sectors - *lba) {
		ata_abort(ch, d, ER_IDNF);
		return false;
	}
	return true;
}

static void ata_rw(struct ide_channel *ch, struct ide_drive *d, bool lba48, bool write,
		   uint32_t block, bool dma)
{
	uint64_t lba;
	uint32_t count;
	if (!ata_range(ch, d, lba48, &lba, &count))
		return;
	if (write && disk_readonly(d->disk)) {
		ata_abort(ch, d, ER_ABRT);
		return;
	}
	d->drq_size = block;
	start_xfer(ch, d, write ? X_ATA_WRITE : X_ATA_READ, lba, count * 512, dma);
}

static bool set_features(struct ide_channel *ch, struct ide_drive *d)
{
	switch (ch->feature) {
	case 0x03: {
		uint8_t m = ch->nsector;
		if (m <= 1 || (m >= 0x08 && m <= 0x0c))
			d->pio_mode = m;
		else if ((m >= 0x20 && m <= 0x22) || (m >= 0x40 && m <= 0x45))
			d->dma_mode = m;
		else
			return false;
		return true;
	}
	case 0x02: d->wcache = true; return true;
	case 0x82: d->wcache = false; return true;
	case 0x55: case 0xaa: case 0x66: case 0xcc: return true;
	}
	return false;
}

static void exec_diag(struct ide_channel *ch)
{
	for (int i = 0; i < 2; i++) {
		struct ide_drive *d = &ch->d[i];
		xfer_end(d);
		d->error = 0x01;
		d->status = d->atapi ? 0 : ST_DRDY | ST_DSC;
		d->irq_pending = false;
	}
	ch->sel = 0;
	set_signature(ch, &ch->d[0]);
}

static void ata_command(struct ide_channel *ch, uint8_t cmd)
{
	struct ide_drive *d = cur(ch);
	if (!d->present)
		return;
	if (cmd == 0x90) {
		exec_diag(ch);
		ide_raise(ch, &ch->d[0]);
		return;
	}
	xfer_end(d);
	d->error = 0;
	d->irq_pending = false;
	d->status = (d->atapi ? 0 : ST_DRDY) | ST_DSC;
	if (d->atapi) {
		switch (cmd) {
		case 0xa0:	/* PACKET */
			d->dma = ch->feature & 1;
			d->byte_limit = (uint16_t)(ch->hcyl << 8 | ch->lcyl);
			d->xfer = X_PACKET;
			d->bytes_left = 12;
			d->buf_pos = 0;
			ch->nsector = IR_COD;
			d->drq_left = 12;
			d->status = ST_DRDY | ST_DSC | ST_DRQ;
			return;
		case 0xa1:	/* IDENTIFY PACKET DEVICE */
			d->status = ST_DRDY | ST_DSC;
			atapi_identify(d);
			d->buf_len = 512;
			d->dma = false;
			start_xfer(ch, d, X_REPLY, 0, 512, false);
			return;
		case 0x08:	/* DEVICE RESET */
			atapi_reset(d);
			set_signature(ch, d);
			d->status = 0;
			d->error = 0x01;
			return;
		case 0xef:
			d->status = ST_DRDY | ST_DSC;
			if (!set_features(ch, d))
				ata_abort(ch, d, ER_ABRT);
			else
				ide_raise(ch, d);
			return;
		case 0xe5:
			ch->nsector = 0xff;
			/* fall through */
		case 0xe0: case 0xe1: case 0xe7:
			d->status = ST_DRDY | ST_DSC;
			ide_raise(ch, d);
			return;
		case 0xec:
			set_signature(ch, d);
			/* fall through */
		default:
			ata_abort(ch, d, ER_ABRT);
			return;
		}
	}
	uint64_t lba;
	uint32_t count;
	switch (cmd) {
	case 0x20: case 0x21: ata_rw(ch, d, false, false, 1, false); break;
	case 0x24: ata_rw(ch, d, true, false, 1, false); break;
	case 0x30: case 0x31: ata_rw(ch, d, false, true, 1, false); break;
	case 0x34: ata_rw(ch, d, true, true, 1, false); break;
	case 0xc4: case 0x29: case 0xc5: case 0x39:
		if (!d->mult) {
			ata_abort(ch, d, ER_ABRT);
			break;
		}
		ata_rw(ch, d, cmd == 0x29 || cmd == 0x39, cmd == 0xc5 || cmd == 0x39, d->mult,
		       false);
		break;
	case 0xc8: case 0xc9: ata_rw(ch, d, false, false, 1, true); break;
	case 0x25: ata_rw(ch, d, true, false, 1, true); break;
	case 0xca: case 0xcb: ata_rw(ch, d, false, true, 1, true); break;
	case 0x35: ata_rw(ch, d, true, true, 1, true); break;
	case 0x40: case 0x41: case 0x42:
		if (ata_range(ch, d, cmd == 0x42, &lba, &count))
			ide_raise(ch, d);
		break;
	case 0x70: case 0x71: case 0x72: case 0x73: case 0x74: case 0x75: case 0x76:
	case 0x77: case 0x78: case 0x79: case 0x7a: case 0x7b: case 0x7c: case 0x7d:
	case 0x7e: case 0x7f: {
		uint8_t keep = ch->nsector;
		ch->nsector = 1;
		bool ok = ata_range(ch, d, false, &lba, &count);
		ch->nsector = keep;
		if (ok)
			ide_raise(ch, d);
		break;
	}
	case 0xc6:	/* SET MULTIPLE MODE */
		if (ch->nsector > IDE_MAX_MULT || (ch->nsector & (ch->nsector - 1))) {
			ata_abort(ch, d, ER_ABRT);
			break;
		}
		d->mult = ch->nsector;
		ide_raise(ch, d);
		break;
	case 0x91: {	/* INITIALIZE DEVICE PARAMETERS */
		uint32_t h = (ch->select & 0x0f) + 1u, s = ch->nsector;
		if (s == 0) {
			ata_abort(ch, d, ER_ABRT);
			break;
		}
		uint64_t c = d->sectors / (h * s);
		d->cur_heads = h;
		d->cur_spt = s;
		d->cur_cyls = c > 65535 ? 65535 : (uint32_t)c;
		ide_raise(ch, d);
		break;
	}
	case 0xec:	/* IDENTIFY DEVICE */
		ata_identify(d);
		d->buf_len = 512;
		start_xfer(ch, d, X_REPLY, 0, 512, false);
		break;
	case 0xef:
		if (set_features(ch, d))
			ide_raise(ch, d);
		else
			ata_abort(ch, d, ER_ABRT);
		break;
	case 0xe7: case 0xea:	/* FLUSH CACHE (EXT) */
		if (disk_flush(d->disk) < 0)
			ata_abort(ch, d, ER_ABRT);
		else
			ide_raise(ch, d);
		break;
	case 0xf8: case 0x27: {	/* READ NATIVE MAX ADDRESS (EXT) */
		d->lba48 = cmd == 0x27;
		uint64_t max = d->sectors - 1;
		if (!d->lba48 && max > 0x0fffffff)
			max = 0x0fffffff;
		ch->select |= 0x40;
		set_task_lba(ch, d, max);
		ide_raise(ch, d);
		break;
	}
	case 0xe5:
		ch->nsector = 0xff;
		ide_raise(ch, d);
		break;
	case 0xe0: case 0xe1: case 0xe2: case 0xe3: case 0xe6:
		ide_raise(ch, d);
		break;
	default:
		if ((cmd & 0xf0) == 0x10) {	/* RECALIBRATE */
			ide_raise(ch, d);
			break;
		}
		ata_abort(ch, d, ER_ABRT);
		break;
	}
}

/* ---- Ports ---- */

static uint8_t read_status(struct ide_channel *ch)
{
	struct ide_drive *d = cur(ch);
	if (!d->present)
		return 0;
	return d->status;
}

static uint32_t cmd_read(void *opaque, uint16_t port, int size)
{
	struct ide_channel *ch = opaque;
	struct ide_drive *d = cur(ch);
	unsigned reg = port - ch->base;
	bool any = ch->d[0].present || ch->d[1].present;
	if (reg == 0) {
		uint32_t v = 0;
		for (int i = 0; i < size; i++)
			v |= (uint32_t)data_in_byte(ch, d) << (8 * i);
		return v;
	}
	if (!any)
		return 0;
	bool hob = ch->ctl & CTL_HOB;
	switch (reg) {
	case 1: return d->present ? (hob ? ch->hob_feature : d->error) : 0;
	case 2: return hob ? ch->hob_nsector : ch->nsector;
	case 3: return hob ? ch->hob_sector : ch->sector;
	case 4: return hob ? ch->hob_lcyl : ch->lcyl;
	case 5: return hob ? ch->hob_hcyl : ch->hcyl;
	case 6: return ch->select | 0xa0;
	case 7: {
		uint8_t s = read_status(ch);
		if (d->irq_pending) {
			d->irq_pending = false;
			update_irq(ch);
		}
		return s;
	}
	}
	return 0xff;
}

static void cmd_write(void *opaque, uint16_t port, uint32_t val, int size)
{
	struct ide_channel *ch = opaque;
	unsigned reg = port - ch->base;
	uint8_t v = (uint8_t)val;
	if (reg == 0) {
		for (int i = 0; i < size; i++)
			data_out_byte(ch, cur(ch), (uint8_t)(val >> (8 * i)));
		return;
	}
	if (reg >= 1 && reg <= 5)
		ch->ctl &= (uint8_t)~CTL_HOB;
	switch (reg) {
	case 1: ch->hob_feature = ch->feature; ch->feature = v; break;
	case 2: ch->hob_nsector = ch->nsector; ch->nsector = v; break;
	case 3: ch->hob_sector = ch->sector; ch->sector = v; break;
	case 4: ch->hob_lcyl = ch->lcyl; ch->lcyl = v; break;
	case 5: ch->hob_hcyl = ch->hcyl; ch->hcyl = v; break;
	case 6:
		ch->select = v & 0x5f;
		ch->sel = (v >> 4) & 1;
		update_irq(ch);
		break;
	case 7:
		if (!(ch->ctl & CTL_SRST))
			ata_command(ch, v);
		break;
	}
}

static void soft_reset(struct ide_channel *ch)
{
	for (int i = 0; i < 2; i++) {
		struct ide_drive *d = &ch->d[i];
		xfer_end(d);
		d->irq_pending = false;
		d->error = 0x01;
		d->status = d->atapi ? 0 : ST_DRDY | ST_DSC;
		if (d->atapi)
			atapi_reset(d);
	}
	ch->feature = 0;
	ch->sel = 0;
	ch->select = 0;
	set_signature(ch, &ch->d[0]);
	ch->hob_feature = ch->hob_nsector = ch->hob_sector = ch->hob_lcyl = ch->hob_hcyl = 0;
}

static uint32_t ctl_read(void *opaque, uint16_t port, int size)
{
	struct ide_channel *ch = opaque;
	if (!ch->d[0].present && !ch->d[1].present)
		return 0;
	return read_status(ch);
}

static void ctl_write(void *opaque, uint16_t port, uint32_t val, int size)
{
	struct ide_channel *ch = opaque;
	uint8_t v = (uint8_t)val;
	bool was = ch->ctl & CTL_SRST;
	ch->ctl = v & (CTL_NIEN | CTL_SRST | CTL_HOB);
	if ((v & CTL_SRST) && !was) {
		for (int i = 0; i < 2; i++) {
			xfer_end(&ch->d[i]);
			ch->d[i].status = ST_BSY;
			ch->d[i].irq_pending = false;
		}
	} else if (!(v & CTL_SRST) && was) {
		soft_reset(ch);
	}
	update_irq(ch);
}

static const struct ioport_ops cmd_ops = { .read = cmd_read, .write = cmd_write,
					   .widths = 1 | 2 | 4 };
static const struct ioport_ops ctl_ops = { .read = ctl_read, .write = ctl_write };

struct ide_channel *ide_new(struct ioport_bus *io, uint16_t base, uint16_t ctl,
			    struct irq_line *irq, struct mem *mem)
{
	struct ide_channel *ch = calloc(1, sizeof(*ch));
	if (!ch)
		return NULL;
	ch->mem = mem;
	ch->irq = irq;
	ch->base = base;
	ch->ctl_port = ctl;
	if (ioport_register(io, base, 8, &cmd_ops, ch) < 0 ||
	    ioport_register(io, ctl, 1, &ctl_ops, ch) < 0) {
		free(ch);
		return NULL;
	}
	soft_reset(ch);
	return ch;
}

int ide_attach(struct ide_channel *ch, int unit, struct disk *disk)
{
	if (unit < 0 || unit > 1 || !disk || disk_kind(disk) == DISK_CDROM)
		return -EINVAL;
	struct ide_drive *d = &ch->d[unit];
	memset(d, 0, sizeof(*d));
	d->disk = disk;
	d->present = true;
	d->sectors = disk_sectors(disk);
	/* IDENTIFY's default geometry: 16 heads, 63 sectors, at most
	 * 16383 cylinders (the ATA convention for big disks). */
	uint64_t c = d->sectors / (16 * 63);
	d->heads = 16;
	d->spt = 63;
	if (d->sectors < 16 * 63) {
		const struct disk_geometry *g = disk_geometry(disk);
		d->heads = g->heads ? g->heads : 1;
		d->spt = g->sectors ? g->sectors : 1;
		c = d->sectors / (d->heads * d->spt);
	}
	d->cyls = c > 16383 ? 16383 : c ? (uint32_t)c : 1;
	d->cur_cyls = d->cyls;
	d->cur_heads = d->heads;
	d->cur_spt = d->spt;
	d->wcache = true;
	soft_reset(ch);
	return 0;
}

int ide_attach_cd(struct ide_channel *ch, int unit, struct cdimage *cd,
		  struct cdaudio *player)
{
	if (unit < 0 || unit > 1 || !cd)
		return -EINVAL;
	struct ide_drive *d = &ch->d[unit];
	memset(d, 0, sizeof(*d));
	d->cd = cd;
	d->player = player;
	d->present = true;
	d->atapi = true;
	d->sectors = (uint64_t)cdimage_leadout(cd) * 4;
	d->media = true;
	d->media_event = true;
	d->unit_attention = true;
	d->cd_flags = 0x10;
	soft_reset(ch);
	return 0;
}

static void ide_reset(void *dev)
{
	struct ide_channel *ch = dev;
	ch->ctl = 0;
	ch->bm_cmd = 0;
	ch->bm_status &= 0x60;
	ch->bm_prd = 0;
	ch->prd_index = ch->prd_left = ch->prd_addr = 0;
	ch->prd_eot = false;
	for (int i = 0; i < 2; i++) {
		struct ide_drive *d = &ch->d[i];
		d->mult = 0;
		d->cur_cyls = d->cyls;
		d->cur_heads = d->heads;
		d->cur_spt = d->spt;
		d->wcache = !d->atapi;
		d->pio_mode = d->dma_mode = 0;
		d->locked = false;
		/* A CD drive reports its power-on reset once. */
		d->unit_attention = d->atapi && d->present;
	}
	soft_reset(ch);
	update_irq(ch);
}

static void save_drive(struct ide_drive *d, struct snap *s)
{
	snap_put_u32(s, d->cur_cyls);
	snap_put_u32(s, d->cur_heads);
	snap_put_u32(s, d->cur_spt);
	uint8_t b[12] = { d->mult, d->status, d->error, d->pio_mode, d->dma_mode, d->wcache,
			  d->irq_pending, (uint8_t)d->xfer, d->dma, d->lba48, d->locked,
			  d->unit_attention };
	snap_put_bytes(s, b, sizeof(b));
	snap_put_u64(s, d->lba);
	snap_put_u32(s, d->bytes_left);
	snap_put_u32(s, d->drq_left);
	snap_put_u32(s, d->drq_size);
	snap_put_u32(s, d->buf_pos);
	snap_put_u32(s, d->buf_len);
	snap_put_bytes(s, d->buf, sizeof(d->buf));
	snap_put_bytes(s, d->cdb, sizeof(d->cdb));
	uint8_t a[6] = { d->sense_key, d->asc, d->ascq, d->media, d->media_event, d->cd_flags };
	snap_put_bytes(s, a, sizeof(a));
	snap_put_u16(s, d->byte_limit);
}

static int load_drive(struct ide_drive *d, struct snap *s)
{
	d->cur_cyls = snap_get_u32(s);
	d->cur_heads = snap_get_u32(s);
	d->cur_spt = snap_get_u32(s);
	uint8_t b[12];
	snap_get_bytes(s, b, sizeof(b));
	d->mult = b[0];
	d->status = b[1];
	d->error = b[2];
	d->pio_mode = b[3];
	d->dma_mode = b[4];
	d->wcache = b[5] & 1;
	d->irq_pending = b[6] & 1;
	d->dma = b[8] & 1;
	d->lba48 = b[9] & 1;
	d->locked = b[10] & 1;
	d->unit_attention = b[11] & 1;
	d->lba = snap_get_u64(s);
	d->bytes_left = snap_get_u32(s);
	d->drq_left = snap_get_u32(s);
	d->drq_size = snap_get_u32(s);
	d->buf_pos = snap_get_u32(s);
	d->buf_len = snap_get_u32(s);
	snap_get_bytes(s, d->buf, sizeof(d->buf));
	snap_get_bytes(s, d->cdb, sizeof(d->cdb));
	uint8_t a[6];
	snap_get_bytes(s, a, sizeof(a));
	d->sense_key = a[0];
	d->asc = a[1];
	d->ascq = a[2];
	d->media = a[3] & 1;
	d->media_event = a[4] & 1;
	d->cd_flags = a[5] ? a[5] : 0x10;	/* 0: a state saved before READ CD */
	d->byte_limit = snap_get_u16(s);
	if (!snap_ok(s) || b[7] > X_PACKET || d->buf_pos > sizeof(d->buf) ||
	    d->buf_len > sizeof(d->buf) || d->mult > IDE_MAX_MULT ||
	    d->drq_size > IDE_MAX_MULT || d->cur_heads > 16 || d->cur_spt > 255)
		return -EINVAL;
	d->xfer = (enum xfer)b[7];
	if (!d->present)
		d->xfer = X_NONE;
	return 0;
}

static void ide_save(void *dev, struct snap *s)
{
	struct ide_channel *ch = dev;
	uint8_t r[16] = { (uint8_t)ch->sel, ch->feature, ch->nsector, ch->sector, ch->lcyl,
			  ch->hcyl, ch->select, ch->hob_feature, ch->hob_nsector, ch->hob_sector,
			  ch->hob_lcyl, ch->hob_hcyl, ch->ctl, ch->bm_cmd, ch->bm_status,
			  ch->prd_eot };
	snap_put_bytes(s, r, sizeof(r));
	snap_put_u32(s, ch->bm_prd);
	snap_put_u32(s, ch->prd_index);
	snap_put_u32(s, ch->prd_addr);
	snap_put_u32(s, ch->prd_left);
	save_drive(&ch->d[0], s);
	save_drive(&ch->d[1], s);
}

static int ide_load(void *dev, struct snap *s)
{
	struct ide_channel *ch = dev;
	uint8_t r[16];
	snap_get_bytes(s, r, sizeof(r));
	ch->sel = r[0] & 1;
	ch->feature = r[1];
	ch->nsector = r[2];
	ch->sector = r[3];
	ch->lcyl = r[4];
	ch->hcyl = r[5];
	ch->select = r[6];
	ch->hob_feature = r[7];
	ch->hob_nsector = r[8];
	ch->hob_sector = r[9];
	ch->hob_lcyl = r[10];
	ch->hob_hcyl = r[11];
	ch->ctl = r[12];
	ch->bm_cmd = r[13];
	ch->bm_status = r[14];
	ch->prd_eot = r[15] & 1;
	ch->bm_prd = snap_get_u32(s) & ~3u;
	ch->prd_index = snap_get_u32(s);
	ch->prd_addr = snap_get_u32(s);
	ch->prd_left = snap_get_u32(s);
	if (load_drive(&ch->d[0], s) < 0 || load_drive(&ch->d[1], s) < 0)
		return -EINVAL;
	if (ch->prd_left > 0x10000)
		return -EINVAL;
	update_irq(ch);
	return 0;
}

static void ide_free(void *dev)
{
	free(dev);
}

const struct device_desc ide_desc = {
	.name = "ide",
	.reset = ide_reset,
	.save = ide_save,
	.load = ide_load,
	.free = ide_free,
};
