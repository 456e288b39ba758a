/* 82077AA floppy controller.  A command's execution phase is done in one go
 * when its last byte arrives (DMA) or sector by sector as the host moves
 * bytes (PIO); the interrupt that ends it comes a short virtual time later
 * from a timer, so a driver sees the controller busy first, as it would. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hw/clock.h"
#include "hw/disk.h"
#include "hw/dma8237.h"
#include "hw/fdc.h"
#include "hw/ioport.h"
#include "hw/irq.h"
#include "util/snapshot.h"

enum {
	DOR_SEL = 0x03, DOR_NRESET = 0x04, DOR_DMAEN = 0x08,
	MSR_RQM = 0x80, MSR_DIO = 0x40, MSR_NDMA = 0x20, MSR_CB = 0x10,
	DSR_RESET = 0x80,
	ST0_IC_ABN = 0x40, ST0_IC_INV = 0x80, ST0_IC_RDY = 0xc0, ST0_SE = 0x20,
	ST0_EC = 0x10,
	ST1_EN = 0x80, ST1_DE = 0x20, ST1_OR = 0x10, ST1_ND = 0x04, ST1_NW = 0x02,
	ST1_MA = 0x01,
	ST2_DD = 0x20, ST2_WC = 0x10, ST2_BC = 0x02,
	CMD_MT = 0x80,
};

enum phase { PH_CMD, PH_EXEC, PH_BUSY, PH_RESULT };
enum op { OP_NONE, OP_READ, OP_WRITE, OP_FORMAT };

#define SECTOR 512
#define FMT_MAX 256		/* sectors per track FORMAT accepts (SC is a byte) */
#define BUSY_PS (20ull * 1000 * 1000)	/* 20 us from execution to interrupt */

/* Data rate codes (DSR/CCR bits 1-0) and their rates in kbit/s. */
static const int rate_kbps[4] = { 500, 300, 250, 1000 };

struct fdc {
	struct clock *clk;
	struct irq_line *irq;
	struct dma *dma;
	int dma_ch;
	struct disk *drive[2];
	struct timer *timer;

	uint8_t dor, tdr, rate, dsr_precomp;
	enum phase phase;
	uint8_t cmd[16], cmd_len, cmd_pos;
	uint8_t res[16], res_len, res_pos;
	bool int_request;

	/* The command in execution. */
	enum op op;
	uint8_t drv, hds, c, h, r, n, eot, mt;
	uint8_t st0, st1, st2;
	uint8_t buf[SECTOR];
	uint16_t buf_pos;
	uint8_t fmt[FMT_MAX * 4];
	uint16_t fmt_len, fmt_pos;
	uint8_t fmt_fill;
	uint8_t pending_result;	/* result waiting for the timer (BUSY phase) */

	/* Per drive. */
	uint8_t pcn[4];
	uint8_t changed[2];
	uint8_t next_id[2];	/* READ ID: the sector arriving under the head */
	uint8_t seek_int;	/* bit n: drive n finished a seek/recalibrate */
	uint8_t seek_st0[4];
	uint8_t drive_busy;	/* MSR bits 0-3 */
	uint8_t reset_sense;	/* SENSE INTERRUPTs owed after a reset */

	/* SPECIFY, CONFIGURE, PERPENDICULAR, LOCK. */
	uint8_t srt_hut, hlt_nd;
	uint8_t eis, efifo, poll, fifothr, pretrk, lock;
	uint8_t perp, last_eot;
};

static struct disk *media(struct fdc *f, int drv)
{
	return drv < 2 ? f->drive[drv] : NULL;
}

static void update_irq(struct fdc *f)
{
	/* On the AT the interrupt and DMA request reach the bus only through
	 * the DOR's DMA gate. */
	irq_set(f->irq, f->int_request && (f->dor & DOR_DMAEN));
}

static void set_int(struct fdc *f, bool on)
{
	f->int_request = on;
	update_irq(f);
}

/* Any new interrupt cause drops the "ready changed" statuses a reset left
 * unsensed (as QEMU and Bochs do). */
static void raise_int(struct fdc *f)
{
	f->reset_sense = 0;
	set_int(f, true);
}

static bool pio_mode(const struct fdc *f)
{
	return (f->hlt_nd & 1) || !f->dma;
}

static void to_result(struct fdc *f, const uint8_t *r, int len, bool irq)
{
	memcpy(f->res, r, (size_t)len);
	f->res_len = (uint8_t)len;
	f->res_pos = 0;
	f->phase = PH_RESULT;
	f->op = OP_NONE;
	if (irq)
		raise_int(f);
}

/* Ends the execution phase: the result appears, with the interrupt, after
 * a short busy time. */
static void finish(struct fdc *f)
{
	f->phase = PH_BUSY;
	f->pending_result = 1;
	f->op = OP_NONE;
	timer_mod(f->timer, clock_now(f->clk) + BUSY_PS);
}

static void finish_rw(struct fdc *f, uint8_t st0, uint8_t st1, uint8_t st2)
{
	f->st0 = (uint8_t)(st0 | (f->hds << 2) | f->drv);
	f->st1 = st1;
	f->st2 = st2;
	f->res[0] = f->st0;
	f->res[1] = st1;
	f->res[2] = st2;
	f->res[3] = f->c;
	f->res[4] = f->h;
	f->res[5] = f->r;
	f->res[6] = f->n;
	f->res_len = 7;
	finish(f);
}

static void timer_fired(void *opaque)
{
	struct fdc *f = opaque;
	if (f->pending_result) {
		f->pending_result = 0;
		f->res_pos = 0;
		f->phase = PH_RESULT;
		raise_int(f);
	}
	if (f->drive_busy) {
		f->drive_busy = 0;
		raise_int(f);
	}
	if (f->reset_sense == 4 && f->phase == PH_CMD)
		set_int(f, true);
}

/* Whether the drive can read the current media at the programmed rate:
 * 40-track and 720K media need 250 (or, 5.25" in a 1.2M drive, 300) kbit/s,
 * 1.2M and 1.44M media 500, 2.88M 1000. */
static bool rate_ok(struct fdc *f, struct disk *d)
{
	const struct disk_geometry *g = disk_geometry(d);
	int kbps = rate_kbps[f->rate & 3];
	if (g->sectors <= 9)
		return kbps == 250 || (g->cylinders <= 40 && kbps == 300);
	if (g->sectors <= 21)
		return kbps == 500;
	return kbps == 1000;
}

/* Checks that the sector (c, h, r, n) can be found on the track under the
 * head; sets st1/st2 and returns false otherwise. */
static bool find_sector(struct fdc *f, uint8_t *st1, uint8_t *st2, uint64_t *lba)
{
	struct disk *d = media(f, f->drv);
	*st1 = 0;
	*st2 = 0;
	if (!d || !rate_ok(f, d) || !(f->cmd[0] & 0x40)) {
		*st1 = ST1_MA;	/* no ID fields readable at all */
		return false;
	}
	const struct disk_geometry *g = disk_geometry(d);
	uint32_t track = f->pcn[f->drv];
	if (track >= g->cylinders || f->hds >= g->heads) {
		*st1 = ST1_MA;
		return false;
	}
	if (f->c != track) {
		*st1 = ST1_ND;
		*st2 = f->c == 0xff ? ST2_BC : ST2_WC;
		return false;
	}
	if (f->h != f->hds || f->n != 2 || f->r < 1 || f->r > g->sectors) {
		*st1 = ST1_ND;
		return false;
	}
	*lba = ((uint64_t)track * g->heads + f->hds) * g->sectors + (f->r - 1);
	return true;
}

/* The ID after the sector just done (datasheet table "ID information at
 * result phase"); returns false at the end of the cylinder. */
static bool advance_id(struct fdc *f)
{
	if (f->r != f->eot) {
		f->r++;
		return true;
	}
	f->r = 1;
	if (f->mt) {
		f->h ^= 1;
		if (f->h & 1) {
			f->hds = 1;
			return true;
		}
	}
	f->c++;
	return false;
}

/* DRQ reaches the DMA controller only through the DOR's gate (bit 3). */
static uint32_t fdc_dma(struct fdc *f, uint8_t *buf, uint32_t len, enum dma_dir dir, bool *tc)
{
	*tc = false;
	if (!(f->dor & DOR_DMAEN))
		return 0;
	uint32_t done = dma_transfer(f->dma, f->dma_ch, buf, len, dir);
	*tc = dma_tc(f->dma, f->dma_ch);
	return done;
}

/* Runs a DMA read or write from the current sector to the end. */
static void dma_rw(struct fdc *f)
{
	bool wr = f->op == OP_WRITE;
	for (;;) {
		uint8_t st1, st2;
		uint64_t lba;
		if (!find_sector(f, &st1, &st2, &lba)) {
			finish_rw(f, ST0_IC_ABN, st1, st2);
			return;
		}
		uint32_t done;
		bool tc;
		if (wr) {
			memset(f->buf, 0, SECTOR);
			done = fdc_dma(f, f->buf, SECTOR, DMA_FROM_MEM, &tc);
			if (done < SECTOR && !tc) {
				finish_rw(f, ST0_IC_ABN, ST1_OR, 0);
				return;
			}
			/* After TC the controller pads the sector with zeros. */
			if (disk_write(media(f, f->drv), lba, 1, f->buf) < 0) {
				finish_rw(f, ST0_IC_ABN, ST1_DE, 0);
				return;
			}
		} else {
			if (disk_read(media(f, f->drv), lba, 1, f->buf) < 0) {
				finish_rw(f, ST0_IC_ABN, ST1_DE, ST2_DD);
				return;
			}
			done = fdc_dma(f, f->buf, SECTOR, DMA_TO_MEM, &tc);
			if (done < SECTOR && !tc) {
				finish_rw(f, ST0_IC_ABN, ST1_OR, 0);
				return;
			}
		}
		bool more = advance_id(f);
		if (tc) {
			finish_rw(f, 0, 0, 0);
			return;
		}
		if (!more) {
			finish_rw(f, ST0_IC_ABN, ST1_EN, 0);
			return;
		}
	}
}

/* PIO: makes the next sector available to the host (read) or ready to be
 * filled (write); ends the command on error. */
static void pio_start_sector(struct fdc *f)
{
	uint8_t st1, st2;
	uint64_t lba;
	if (!find_sector(f, &st1, &st2, &lba)) {
		finish_rw(f, ST0_IC_ABN, st1, st2);
		return;
	}
	if (f->op == OP_READ && disk_read(media(f, f->drv), lba, 1, f->buf) < 0) {
		finish_rw(f, ST0_IC_ABN, ST1_DE, ST2_DD);
		return;
	}
	f->buf_pos = 0;
	f->phase = PH_EXEC;
	raise_int(f);
}

/* PIO: the host moved the sector's last byte. */
static void pio_sector_done(struct fdc *f)
{
	if (f->op == OP_WRITE) {
		uint8_t st1, st2;
		uint64_t lba;
		if (!find_sector(f, &st1, &st2, &lba)) {
			finish_rw(f, ST0_IC_ABN, st1, st2);
			return;
		}
		if (disk_write(media(f, f->drv), lba, 1, f->buf) < 0) {
			finish_rw(f, ST0_IC_ABN, ST1_DE, 0);
			return;
		}
	}
	/* No TC in non-DMA mode: a transfer always ends at EOT. */
	if (!advance_id(f)) {
		finish_rw(f, ST0_IC_ABN, ST1_EN, 0);
		return;
	}
	pio_start_sector(f);
}

static void format_apply(struct fdc *f)
{
	struct disk *d = media(f, f->drv);
	const struct disk_geometry *g = disk_geometry(d);
	uint32_t track = f->pcn[f->drv];
	memset(f->buf, f->fmt_fill, SECTOR);
	for (unsigned i = 0; i + 4 <= f->fmt_len; i += 4) {
		uint8_t r = f->fmt[i + 2], n = f->fmt[i + 3];
		f->c = f->fmt[i];
		f->h = f->fmt[i + 1];
		f->r = r;
		f->n = n;
		/* Only IDs a raw image can hold are formatted; the data lands on
		 * the physical track whatever C and H the ID says. */
		if (n != 2 || r < 1 || r > g->sectors)
			continue;
		uint64_t lba = ((uint64_t)track * g->heads + f->hds) * g->sectors + (r - 1);
		if (disk_write(d, lba, 1, f->buf) < 0) {
			finish_rw(f, ST0_IC_ABN, ST1_DE, 0);
			return;
		}
	}
	finish_rw(f, 0, 0, 0);
}

static void start_format(struct fdc *f)
{
	struct disk *d = media(f, f->drv);
	f->n = f->cmd[2];
	f->fmt_len = (uint16_t)(f->cmd[3] * 4);
	f->fmt_fill = f->cmd[5];
	f->fmt_pos = 0;
	f->last_eot = f->cmd[3];
	f->c = f->pcn[f->drv];
	f->h = f->hds;
	f->r = 1;
	if (!d || !rate_ok(f, d) || !(f->cmd[0] & 0x40) ||
	    f->pcn[f->drv] >= disk_geometry(d)->cylinders ||
	    f->hds >= disk_geometry(d)->heads) {
		finish_rw(f, ST0_IC_ABN, ST1_MA, 0);
		return;
	}
	if (disk_readonly(d)) {
		finish_rw(f, ST0_IC_ABN, ST1_NW, 0);
		return;
	}
	f->op = OP_FORMAT;
	if (f->fmt_len == 0) {
		finish_rw(f, 0, 0, 0);
		return;
	}
	if (pio_mode(f)) {
		f->phase = PH_EXEC;
		raise_int(f);
		return;
	}
	bool tc;
	uint32_t done = fdc_dma(f, f->fmt, f->fmt_len, DMA_FROM_MEM, &tc);
	if (done < f->fmt_len && !tc) {
		finish_rw(f, ST0_IC_ABN, ST1_OR, 0);
		return;
	}
	f->fmt_len = (uint16_t)(done & ~3u);
	format_apply(f);
}

static void start_rw(struct fdc *f, enum op op)
{
	f->mt = (f->cmd[0] & CMD_MT) ? 1 : 0;
	f->c = f->cmd[2];
	f->h = f->cmd[3];
	f->r = f->cmd[4];
	f->n = f->cmd[5];
	f->eot = f->cmd[6];
	f->last_eot = f->eot;
	f->op = op;
	if (f->eis && f->drv < 4)
		f->pcn[f->drv] = f->c;	/* implied seek */
	struct disk *d = media(f, f->drv);
	if (op == OP_WRITE && d && disk_readonly(d)) {
		finish_rw(f, ST0_IC_ABN, ST1_NW, 0);
		return;
	}
	if (pio_mode(f))
		pio_start_sector(f);
	else
		dma_rw(f);
}

static void start_seek(struct fdc *f, uint8_t ncn, bool recal)
{
	uint8_t st0 = (uint8_t)(ST0_SE | (f->hds << 2) | f->drv);
	if (recal && !media(f, f->drv))
		st0 |= ST0_IC_ABN | ST0_EC;	/* track 0 never seen */
	if (f->drv < 2 && media(f, f->drv) && ncn != f->pcn[f->drv])
		f->changed[f->drv] = 0;	/* a step pulse with a disk in */
	f->pcn[f->drv] = recal ? 0 : ncn;
	f->seek_st0[f->drv] = st0;
	f->seek_int |= (uint8_t)(1u << f->drv);
	f->drive_busy |= (uint8_t)(1u << f->drv);
	f->phase = PH_CMD;
	timer_mod(f->timer, clock_now(f->clk) + BUSY_PS);
}

static void sense_interrupt(struct fdc *f)
{
	uint8_t r[2];
	if (f->reset_sense) {
		int drv = 4 - f->reset_sense;
		f->reset_sense--;
		r[0] = (uint8_t)(ST0_IC_RDY | drv);
		r[1] = f->pcn[drv];
		set_int(f, false);
	} else if (f->seek_int && !f->drive_busy) {
		int drv = __builtin_ctz(f->seek_int);
		f->seek_int &= (uint8_t)~(1u << drv);
		r[0] = f->seek_st0[drv];
		r[1] = f->pcn[drv];
		/* Another drive's finished seek keeps the interrupt up. */
		set_int(f, f->seek_int != 0);
	} else {
		r[0] = ST0_IC_INV;
		to_result(f, r, 1, false);
		return;
	}
	to_result(f, r, 2, false);
}

/* Bytes of each command (low five bits of the first byte); 0: invalid. */
static const uint8_t cmd_bytes[32] = {
	[0x03] = 3, [0x04] = 2, [0x05] = 9, [0x06] = 9, [0x07] = 2, [0x08] = 1,
	[0x0a] = 2, [0x0d] = 6, [0x0e] = 1, [0x0f] = 3, [0x10] = 1, [0x12] = 2,
	[0x13] = 4, [0x14] = 1,
};

static void execute(struct fdc *f)
{
	uint8_t c0 = f->cmd[0];
	uint8_t r[10];
	f->drv = f->cmd[1] & 3;
	f->hds = (f->cmd[1] >> 2) & 1;
	switch (c0 & 0x1f) {
	case 0x03:	/* SPECIFY */
		f->srt_hut = f->cmd[1];
		f->hlt_nd = f->cmd[2];
		f->phase = PH_CMD;
		break;
	case 0x04: {	/* SENSE DRIVE STATUS */
		struct disk *d = media(f, f->drv);
		r[0] = (uint8_t)(0x28 | (f->hds << 2) | f->drv);
		if (d && disk_readonly(d))
			r[0] |= 0x40;
		if (d && f->pcn[f->drv] == 0)
			r[0] |= 0x10;
		to_result(f, r, 1, false);
		break;
	}
	case 0x05:
		start_rw(f, OP_WRITE);
		break;
	case 0x06:
		start_rw(f, OP_READ);
		break;
	case 0x07:
		start_seek(f, 0, true);
		break;
	case 0x08:
		sense_interrupt(f);
		break;
	case 0x0a: {	/* READ ID */
		struct disk *d = media(f, f->drv);
		uint8_t st0 = 0, st1 = 0;
		f->c = f->pcn[f->drv];
		f->h = f->hds;
		f->n = 2;
		f->r = 1;
		if (!d || !rate_ok(f, d) || !(c0 & 0x40) ||
		    f->pcn[f->drv] >= disk_geometry(d)->cylinders ||
		    f->hds >= disk_geometry(d)->heads) {
			st0 = ST0_IC_ABN;
			st1 = ST1_MA;
		} else {
			uint32_t spt = disk_geometry(d)->sectors;
			uint8_t *next = &f->next_id[f->drv];
			f->r = (uint8_t)(*next % spt + 1);
			*next = (uint8_t)((*next + 1) % spt);
		}
		finish_rw(f, st0, st1, 0);
		break;
	}
	case 0x0d:
		start_format(f);
		break;
	case 0x0e:	/* DUMPREG */
		memcpy(r, f->pcn, 4);
		r[4] = f->srt_hut;
		r[5] = f->hlt_nd;
		r[6] = f->last_eot;
		r[7] = (uint8_t)(f->lock << 7 | (f->perp & 0x3f));
		r[8] = (uint8_t)(f->eis << 6 | f->efifo << 5 | f->poll << 4 | f->fifothr);
		r[9] = f->pretrk;
		to_result(f, r, 10, false);
		break;
	case 0x0f:	/* SEEK, RELATIVE SEEK (bit 7; bit 6 steps inwards) */
		if (c0 & 0x80) {
			int n = f->pcn[f->drv] + ((c0 & 0x40) ? f->cmd[2] : -f->cmd[2]);
			start_seek(f, (uint8_t)(n < 0 ? 0 : n > 255 ? 255 : n), false);
		} else {
			start_seek(f, f->cmd[2], false);
		}
		break;
	case 0x10:	/* VERSION */
		r[0] = 0x90;
		to_result(f, r, 1, false);
		break;
	case 0x12:	/* PERPENDICULAR MODE: D3-D0 only change with OW */
		if (f->cmd[1] & 0x80)
			f->perp = (uint8_t)((f->perp & 0x03) | (f->cmd[1] & 0x3c));
		f->perp = (uint8_t)((f->perp & 0x3c) | (f->cmd[1] & 0x03));
		f->phase = PH_CMD;
		break;
	case 0x13:	/* CONFIGURE */
		f->eis = (f->cmd[2] >> 6) & 1;
		f->efifo = (f->cmd[2] >> 5) & 1;
		f->poll = (f->cmd[2] >> 4) & 1;
		f->fifothr = f->cmd[2] & 0x0f;
		f->pretrk = f->cmd[3];
		f->phase = PH_CMD;
		break;
	case 0x14:	/* LOCK */
		f->lock = (c0 >> 7) & 1;
		r[0] = (uint8_t)(f->lock << 4);
		to_result(f, r, 1, false);
		break;
	}
}

/* Which upper bits (MT, MFM, SK) each command accepts; any other set bit
 * makes the byte an invalid command. */
static bool cmd_valid(uint8_t c0)
{
	uint8_t lo = c0 & 0x1f, hi = c0 & 0xe0;
	switch (lo) {
	case 0x05: return (hi & 0x20) == 0;
	case 0x06: return true;
	case 0x0a: case 0x0d: return (hi & 0xbf) == 0;
	case 0x0f: return hi == 0 || hi == 0x80 || hi == 0xc0;
	case 0x14: return (hi & 0x7f) == 0;
	default: return cmd_bytes[lo] && hi == 0;
	}
}

static void fifo_write(struct fdc *f, uint8_t v)
{
	if (f->phase == PH_CMD) {
		if (f->cmd_pos == 0) {
			if (!cmd_valid(v)) {
				uint8_t r = ST0_IC_INV;
				to_result(f, &r, 1, false);
				return;
			}
			f->cmd_len = cmd_bytes[v & 0x1f];
		}
		if (f->cmd_pos < sizeof(f->cmd))
			f->cmd[f->cmd_pos++] = v;
		if (f->cmd_pos >= f->cmd_len) {
			f->cmd_pos = 0;
			execute(f);
		}
		return;
	}
	if (f->phase != PH_EXEC)
		return;
	set_int(f, false);
	if (f->op == OP_WRITE) {
		if (f->buf_pos < SECTOR)
			f->buf[f->buf_pos++] = v;
		if (f->buf_pos >= SECTOR)
			pio_sector_done(f);
		else
			raise_int(f);
	} else if (f->op == OP_FORMAT) {
		if (f->fmt_pos < f->fmt_len && f->fmt_pos < sizeof(f->fmt))
			f->fmt[f->fmt_pos++] = v;
		if (f->fmt_pos >= f->fmt_len)
			format_apply(f);
		else
			raise_int(f);
	}
}

static uint8_t fifo_read(struct fdc *f)
{
	if (f->phase == PH_RESULT) {
		uint8_t v = f->res_pos < f->res_len ? f->res[f->res_pos] : 0;
		if (f->res_pos == 0 && !f->seek_int && !f->reset_sense)
			set_int(f, false);
		if (++f->res_pos >= f->res_len) {
			f->phase = PH_CMD;
			f->res_pos = f->res_len = 0;
		}
		return v;
	}
	if (f->phase == PH_EXEC && f->op == OP_READ) {
		set_int(f, false);
		uint8_t v = f->buf_pos < SECTOR ? f->buf[f->buf_pos] : 0;
		if (++f->buf_pos >= SECTOR)
			pio_sector_done(f);
		else
			raise_int(f);
		return v;
	}
	return 0xff;
}

static uint8_t msr(const struct fdc *f)
{
	if (!(f->dor & DOR_NRESET))
		return 0;
	uint8_t busy = f->drive_busy & 0x0f;
	switch (f->phase) {
	case PH_CMD:
		return (uint8_t)(MSR_RQM | (f->cmd_pos ? MSR_CB : 0) | busy);
	case PH_EXEC:
		return (uint8_t)(MSR_RQM | MSR_NDMA | MSR_CB | (f->op == OP_READ ? MSR_DIO : 0) |
				 busy);
	case PH_BUSY:
		return (uint8_t)(MSR_CB | busy);
	case PH_RESULT:
		return (uint8_t)(MSR_RQM | MSR_DIO | MSR_CB | busy);
	}
	return 0;
}

/* Controller reset (DOR bit 2 low, DSR bit 7, power on).  Specify values
 * and the data rate survive a software reset; CONFIGURE survives while
 * locked. */
static void soft_reset(struct fdc *f)
{
	timer_del(f->timer);
	f->phase = PH_CMD;
	f->op = OP_NONE;
	f->cmd_pos = f->cmd_len = 0;
	f->res_pos = f->res_len = 0;
	f->pending_result = 0;
	f->seek_int = 0;
	f->drive_busy = 0;
	f->reset_sense = 0;
	f->perp &= 0x3c;
	if (!f->lock) {
		f->eis = 0;
		f->efifo = 1;
		f->poll = 0;
		f->fifothr = 0;
		f->pretrk = 0;
	}
	set_int(f, false);
}

/* Leaving reset: with drive polling on, the controller reports a "ready
 * changed" interrupt owing one SENSE INTERRUPT per drive. */
static void end_reset(struct fdc *f)
{
	if (!f->poll) {
		f->reset_sense = 4;
		timer_mod(f->timer, clock_now(f->clk) + BUSY_PS);
	}
}

static uint32_t fdc_read(void *opaque, uint16_t port, int size)
{
	struct fdc *f = opaque;
	switch (port & 7) {
	case 0:	/* SRA (PS/2 mode only): interrupt pending in bit 7 */
		return f->int_request ? 0x80 : 0x00;
	case 1:	/* SRB */
		return 0xc0;
	case 2:
		return f->dor;
	case 3:
		return f->tdr;
	case 4:
		return msr(f);
	case 5:
		return fifo_read(f);
	case 7: {
		/* DIR: bit 7 disk change; bits 6-0 are not driven in AT mode. */
		int sel = f->dor & DOR_SEL;
		bool chg = sel < 2 && (!f->drive[sel] || f->changed[sel]);
		return chg ? 0x80 : 0x00;
	}
	}
	return 0xff;
}

static void fdc_write(void *opaque, uint16_t port, uint32_t val, int size)
{
	struct fdc *f = opaque;
	uint8_t v = (uint8_t)val;
	switch (port & 7) {
	case 2: {
		uint8_t old = f->dor;
		f->dor = v;
		if (!(v & DOR_NRESET))
			soft_reset(f);
		else if (!(old & DOR_NRESET))
			end_reset(f);
		update_irq(f);
		break;
	}
	case 3:
		f->tdr = v & 3;
		break;
	case 4:	/* DSR */
		f->rate = v & 3;
		f->dsr_precomp = (v >> 2) & 0x1f;
		if ((v & DSR_RESET) && (f->dor & DOR_NRESET)) {
			soft_reset(f);
			end_reset(f);
		}
		break;
	case 5:
		fifo_write(f, v);
		break;
	case 7:	/* CCR */
		f->rate = v & 3;
		break;
	}
}

static const struct ioport_ops fdc_ops = { .read = fdc_read, .write = fdc_write };

void fdc_media_changed(struct fdc *f, int drive)
{
	if (drive >= 0 && drive < 2)
		f->changed[drive] = 1;
}

static void fdc_reset(void *dev)
{
	struct fdc *f = dev;
	f->lock = 0;
	soft_reset(f);
	f->dor = 0;
	f->tdr = 0;
	f->rate = 2;	/* 250 kbit/s */
	f->dsr_precomp = 0;
	f->srt_hut = f->hlt_nd = 0;
	f->perp = 0;
	f->last_eot = 0;
	memset(f->pcn, 0, sizeof(f->pcn));
	memset(f->next_id, 0, sizeof(f->next_id));
	f->changed[0] = f->changed[1] = 1;
	update_irq(f);
}

struct fdc *fdc_new(struct ioport_bus *io, uint16_t base, struct clock *clk,
		    struct irq_line *irq, struct dma *dma, int dma_channel,
		    struct disk *const drives[2])
{
	struct fdc *f = calloc(1, sizeof(*f));
	if (!f)
		return NULL;
	f->clk = clk;
	f->irq = irq;
	f->dma = dma;
	f->dma_ch = dma_channel;
	f->drive[0] = drives ? drives[0] : NULL;
	f->drive[1] = drives ? drives[1] : NULL;
	f->timer = timer_new(clk, timer_fired, f);
	if (!f->timer || ioport_register(io, base, 6, &fdc_ops, f) < 0 ||
	    ioport_register(io, (uint16_t)(base + 7), 1, &fdc_ops, f) < 0) {
		if (f->timer)
			timer_free(f->timer);
		free(f);
		return NULL;
	}
	fdc_reset(f);
	return f;
}

static void fdc_save(void *dev, struct snap *s)
{
	struct fdc *f = dev;
	snap_put_u8(s, f->dor);
	snap_put_u8(s, f->tdr);
	snap_put_u8(s, f->rate);
	snap_put_u8(s, f->dsr_precomp);
	snap_put_u8(s, (uint8_t)f->phase);
	snap_put_bytes(s, f->cmd, sizeof(f->cmd));
	snap_put_u8(s, f->cmd_len);
	snap_put_u8(s, f->cmd_pos);
	snap_put_bytes(s, f->res, sizeof(f->res));
	snap_put_u8(s, f->res_len);
	snap_put_u8(s, f->res_pos);
	snap_put_u8(s, f->int_request);
	snap_put_u8(s, (uint8_t)f->op);
	uint8_t id[12] = { f->drv, f->hds, f->c, f->h, f->r, f->n, f->eot, f->mt,
			   f->st0, f->st1, f->st2, f->pending_result };
	snap_put_bytes(s, id, sizeof(id));
	snap_put_bytes(s, f->buf, sizeof(f->buf));
	snap_put_u16(s, f->buf_pos);
	snap_put_bytes(s, f->fmt, sizeof(f->fmt));
	snap_put_u16(s, f->fmt_len);
	snap_put_u16(s, f->fmt_pos);
	snap_put_u8(s, f->fmt_fill);
	snap_put_bytes(s, f->pcn, 4);
	snap_put_bytes(s, f->changed, 2);
	snap_put_bytes(s, f->next_id, 2);
	snap_put_u8(s, f->seek_int);
	snap_put_bytes(s, f->seek_st0, 4);
	snap_put_u8(s, f->drive_busy);
	snap_put_u8(s, f->reset_sense);
	uint8_t cfg[10] = { f->srt_hut, f->hlt_nd, f->eis, f->efifo, f->poll, f->fifothr,
			    f->pretrk, f->lock, f->perp, f->last_eot };
	snap_put_bytes(s, cfg, sizeof(cfg));
	snap_put_u64(s, timer_pending(f->timer) ? timer_expires(f->timer) : CLOCK_NEVER);
}

static int fdc_load(void *dev, struct snap *s)
{
	struct fdc *f = dev;
	f->dor = snap_get_u8(s);
	f->tdr = snap_get_u8(s);
	f->rate = snap_get_u8(s) & 3;
	f->dsr_precomp = snap_get_u8(s);
	uint8_t ph = snap_get_u8(s);
	snap_get_bytes(s, f->cmd, sizeof(f->cmd));
	f->cmd_len = snap_get_u8(s);
	f->cmd_pos = snap_get_u8(s);
	snap_get_bytes(s, f->res, sizeof(f->res));
	f->res_len = snap_get_u8(s);
	f->res_pos = snap_get_u8(s);
	f->int_request = snap_get_u8(s) & 1;
	uint8_t op = snap_get_u8(s);
	uint8_t id[12];
	snap_get_bytes(s, id, sizeof(id));
	f->drv = id[0] & 3;
	f->hds = id[1] & 1;
	f->c = id[2];
	f->h = id[3];
	f->r = id[4];
	f->n = id[5];
	f->eot = id[6];
	f->mt = id[7] & 1;
	f->st0 = id[8];
	f->st1 = id[9];
	f->st2 = id[10];
	f->pending_result = id[11] & 1;
	snap_get_bytes(s, f->buf, sizeof(f->buf));
	f->buf_pos = snap_get_u16(s);
	snap_get_bytes(s, f->fmt, sizeof(f->fmt));
	f->fmt_len = snap_get_u16(s);
	f->fmt_pos = snap_get_u16(s);
	f->fmt_fill = snap_get_u8(s);
	snap_get_bytes(s, f->pcn, 4);
	snap_get_bytes(s, f->changed, 2);
	snap_get_bytes(s, f->next_id, 2);
	f->seek_int = snap_get_u8(s) & 0x0f;
	snap_get_bytes(s, f->seek_st0, 4);
	f->drive_busy = snap_get_u8(s) & 0x0f;
	f->reset_sense = snap_get_u8(s);
	uint8_t cfg[10];
	snap_get_bytes(s, cfg, sizeof(cfg));
	f->srt_hut = cfg[0];
	f->hlt_nd = cfg[1];
	f->eis = cfg[2] & 1;
	f->efifo = cfg[3] & 1;
	f->poll = cfg[4] & 1;
	f->fifothr = cfg[5] & 0x0f;
	f->pretrk = cfg[6];
	f->lock = cfg[7] & 1;
	f->perp = cfg[8] & 0x3f;
	f->last_eot = cfg[9];
	uint64_t when = snap_get_u64(s);
	if (!snap_ok(s) || ph > PH_RESULT || op > OP_FORMAT || f->cmd_len > sizeof(f->cmd) ||
	    f->cmd_pos > sizeof(f->cmd) || f->res_len > sizeof(f->res) ||
	    f->buf_pos > SECTOR || f->fmt_len > sizeof(f->fmt) || f->fmt_pos > f->fmt_len ||
	    f->reset_sense > 4)
		return -EINVAL;
	f->phase = (enum phase)ph;
	f->op = (enum op)op;
	if (when != CLOCK_NEVER)
		timer_mod(f->timer, when);
	else
		timer_del(f->timer);
	update_irq(f);
	return 0;
}

static void fdc_free(void *dev)
{
	struct fdc *f = dev;
	timer_free(f->timer);
	free(f);
}

const struct device_desc fdc_desc = {
	.name = "i82077aa",
	.reset = fdc_reset,
	.save = fdc_save,
	.load = fdc_load,
	.free = fdc_free,
};
