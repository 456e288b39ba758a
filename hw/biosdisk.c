#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hw/biosdisk.h"
#include "util/snapshot.h"

enum {
	REG_SELECT = 0x00, REG_STATUS = 0x01, REG_CYL = 0x02, REG_HEADS = 0x04,
	REG_SPT = 0x05, REG_FTYPE = 0x06, REG_TOTAL = 0x08, REG_LBA = 0x0c,
	REG_BUF = 0x10, REG_COUNT = 0x14, REG_CMD = 0x16, REG_RESULT = 0x17,
};

enum { CMD_READ = 1, CMD_WRITE = 2, CMD_VERIFY = 3 };

/* INT 13h status codes the BIOS passes through to the guest. */
enum {
	ST_OK = 0x00, ST_BAD_CMD = 0x01, ST_NOT_FOUND = 0x04, ST_WRITE_PROT = 0x03,
	ST_BAD_BUFFER = 0x09, ST_NOT_READY = 0x80,
};

struct biosdisk {
	struct mem *mem;
	struct disk *drives[4];
	bool changed[4];
	int sel;		/* index into drives, -1 for none */
	uint32_t lba, buf;
	uint16_t count;
	uint8_t result;
	uint8_t sector[DISK_SECTOR];
};

static int drive_index(uint8_t bios_drive)
{
	switch (bios_drive) {
	case 0x00: return 0;
	case 0x01: return 1;
	case 0x80: return 2;
	case 0x81: return 3;
	default: return -1;
	}
}

static struct disk *selected(struct biosdisk *b)
{
	return b->sel >= 0 ? b->drives[b->sel] : NULL;
}

/* One sector at a time so a guest can never make us buffer more than 512
 * bytes, and a bad buffer address fails cleanly midway with a status. */
static void run_command(struct biosdisk *b, uint8_t cmd)
{
	struct disk *d = selected(b);
	uint16_t done = 0;
	uint8_t st = ST_OK;

	if (!d) {
		st = ST_NOT_READY;
	} else if (cmd < CMD_READ || cmd > CMD_VERIFY) {
		st = ST_BAD_CMD;
	} else if (cmd == CMD_WRITE && disk_readonly(d)) {
		st = ST_WRITE_PROT;
	} else {
		for (; done < b->count; done++) {
			uint64_t lba = (uint64_t)b->lba + done;
			uint32_t addr = b->buf + (uint32_t)done * DISK_SECTOR;
			if (lba >= disk_sectors(d)) {
				st = ST_NOT_FOUND;
				break;
			}
			if (cmd == CMD_WRITE) {
				if (mem_copy_from_guest(b->mem, b->sector, addr, DISK_SECTOR)) {
					st = ST_BAD_BUFFER;
					break;
				}
				if (disk_write(d, lba, 1, b->sector)) {
					st = ST_NOT_READY;
					break;
				}
				continue;
			}
			if (disk_read(d, lba, 1, b->sector)) {
				st = ST_NOT_READY;
				break;
			}
			if (cmd == CMD_READ &&
			    mem_copy_to_guest(b->mem, addr, b->sector, DISK_SECTOR)) {
				st = ST_BAD_BUFFER;
				break;
			}
		}
	}
	b->count = done;
	b->result = st;
}

static uint8_t reg_read(struct biosdisk *b, unsigned reg)
{
	struct disk *d = selected(b);
	const struct disk_geometry *g = d ? disk_geometry(d) : NULL;
	uint32_t total = d ? (uint32_t)(disk_sectors(d) > 0xffffffffu ?
					0xffffffffu : disk_sectors(d)) : 0;

	switch (reg) {
	case REG_STATUS: {
		if (!d)
			return 0;
		uint8_t v = 1;
		if (disk_readonly(d))
			v |= 2;
		if (disk_kind(d) == DISK_FLOPPY)
			v |= 4;
		if (b->changed[b->sel])
			v |= 8;
		b->changed[b->sel] = false;
		return v;
	}
	case REG_CYL: return g ? g->cylinders & 0xff : 0;
	case REG_CYL + 1: return g ? (g->cylinders >> 8) & 0xff : 0;
	case REG_HEADS: return g ? g->heads : 0;
	case REG_SPT: return g ? g->sectors : 0;
	case REG_FTYPE: return g ? g->floppy_type : 0;
	case REG_TOTAL ... REG_TOTAL + 3: return total >> (8 * (reg - REG_TOTAL));
	case REG_LBA ... REG_LBA + 3: return b->lba >> (8 * (reg - REG_LBA));
	case REG_BUF ... REG_BUF + 3: return b->buf >> (8 * (reg - REG_BUF));
	case REG_COUNT ... REG_COUNT + 1: return b->count >> (8 * (reg - REG_COUNT));
	case REG_RESULT: return b->result;
	default: return 0;
	}
}

static void set_byte32(uint32_t *r, unsigned byte, uint8_t v)
{
	*r = (*r & ~(0xffu << (8 * byte))) | (uint32_t)v << (8 * byte);
}

static void reg_write(struct biosdisk *b, unsigned reg, uint8_t v)
{
	switch (reg) {
	case REG_SELECT: b->sel = drive_index(v); break;
	case REG_LBA ... REG_LBA + 3: set_byte32(&b->lba, reg - REG_LBA, v); break;
	case REG_BUF ... REG_BUF + 3: set_byte32(&b->buf, reg - REG_BUF, v); break;
	case REG_COUNT:
		b->count = (b->count & 0xff00) | v;
		break;
	case REG_COUNT + 1:
		b->count = (uint16_t)((b->count & 0xff) | v << 8);
		break;
	case REG_CMD: run_command(b, v); break;
	default: break;
	}
}

static uint32_t bd_io_read(void *opaque, uint16_t port, int size)
{
	return reg_read(opaque, port - BIOSDISK_PORT);
}

static void bd_io_write(void *opaque, uint16_t port, uint32_t val, int size)
{
	reg_write(opaque, port - BIOSDISK_PORT, (uint8_t)val);
}

static const struct ioport_ops biosdisk_ops = {
	.read = bd_io_read, .write = bd_io_write, .widths = 1,
};

struct biosdisk *biosdisk_new(struct ioport_bus *io, struct mem *mem,
			      struct disk *drives[4])
{
	struct biosdisk *b = calloc(1, sizeof(*b));
	if (!b)
		return NULL;
	b->mem = mem;
	for (int i = 0; i < 4; i++) {
		b->drives[i] = drives[i];
		b->changed[i] = drives[i] != NULL;
	}
	b->sel = -1;
	if (ioport_register(io, BIOSDISK_PORT, BIOSDISK_NPORTS, &biosdisk_ops, b)) {
		free(b);
		return NULL;
	}
	return b;
}

static void biosdisk_reset(void *dev)
{
	struct biosdisk *b = dev;
	b->sel = -1;
	b->lba = b->buf = 0;
	b->count = 0;
	b->result = 0;
}

static void biosdisk_save(void *dev, struct snap *s)
{
	struct biosdisk *b = dev;
	snap_put_u8(s, (uint8_t)(b->sel + 1));
	snap_put_u32(s, b->lba);
	snap_put_u32(s, b->buf);
	snap_put_u16(s, b->count);
	snap_put_u8(s, b->result);
	for (int i = 0; i < 4; i++)
		snap_put_u8(s, b->changed[i]);
}

static int biosdisk_load(void *dev, struct snap *s)
{
	struct biosdisk *b = dev;
	int sel = snap_get_u8(s) - 1;
	b->lba = snap_get_u32(s);
	b->buf = snap_get_u32(s);
	b->count = snap_get_u16(s);
	b->result = snap_get_u8(s);
	for (int i = 0; i < 4; i++)
		b->changed[i] = snap_get_u8(s) != 0;
	if (!snap_ok(s) || sel < -1 || sel > 3)
		return -EINVAL;
	b->sel = sel;
	return 0;
}

static void biosdisk_free(void *dev)
{
	free(dev);
}

const struct device_desc biosdisk_desc = {
	.name = "biosdisk",
	.reset = biosdisk_reset,
	.save = biosdisk_save,
	.load = biosdisk_load,
	.free = biosdisk_free,
};
