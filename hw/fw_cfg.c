/* fw_cfg: keyed blobs read byte by byte or by DMA. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hw/fw_cfg.h"
#include "hw/ioport.h"
#include "hw/memory.h"
#include "util/snapshot.h"

#define NKEYS (FW_CFG_FILE_FIRST + FW_CFG_MAX_FILES)
#define ARCH_BIT 0x8000
#define WRITE_BIT 0x4000

enum { DMA_ERROR = 1, DMA_READ = 2, DMA_SKIP = 4, DMA_SELECT = 8, DMA_WRITE = 0x10 };

struct item {
	uint8_t *data;
	uint32_t len;
};

struct fw_cfg {
	struct mem *mem;
	struct item items[NKEYS];
	char names[FW_CFG_MAX_FILES][56];
	int nfiles;
	uint16_t sel;
	uint32_t off;
	uint32_t dma_hi, dma_lo;
};

/* The item a selector names; arch-specific keys (8000h+) are absent. */
static struct item *item_of(struct fw_cfg *fw, uint16_t sel)
{
	uint16_t key = sel & ~WRITE_BIT;
	if (key & ARCH_BIT || key >= NKEYS)
		return NULL;
	return &fw->items[key];
}

static void put_be32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (24 - 8 * i));
}

static uint32_t get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

int fw_cfg_add_bytes(struct fw_cfg *fw, uint16_t key, const void *data, uint32_t len)
{
	if (key >= NKEYS)
		return -EINVAL;
	uint8_t *copy = NULL;
	if (len) {
		copy = malloc(len);
		if (!copy)
			return -ENOMEM;
		memcpy(copy, data, len);
	}
	free(fw->items[key].data);
	fw->items[key].data = copy;
	fw->items[key].len = len;
	return 0;
}

int fw_cfg_add_i16(struct fw_cfg *fw, uint16_t key, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)v, (uint8_t)(v >> 8) };
	return fw_cfg_add_bytes(fw, key, b, 2);
}

int fw_cfg_add_i32(struct fw_cfg *fw, uint16_t key, uint32_t v)
{
	uint8_t b[4];
	for (int i = 0; i < 4; i++)
		b[i] = (uint8_t)(v >> (8 * i));
	return fw_cfg_add_bytes(fw, key, b, 4);
}

int fw_cfg_add_i64(struct fw_cfg *fw, uint16_t key, uint64_t v)
{
	uint8_t b[8];
	for (int i = 0; i < 8; i++)
		b[i] = (uint8_t)(v >> (8 * i));
	return fw_cfg_add_bytes(fw, key, b, 8);
}

/* Directory: count, then per file size, key, reserved, name (big endian). */
static int rebuild_dir(struct fw_cfg *fw)
{
	uint32_t len = 4 + 64u * (uint32_t)fw->nfiles;
	uint8_t *d = calloc(1, len);
	if (!d)
		return -ENOMEM;
	put_be32(d, (uint32_t)fw->nfiles);
	for (int i = 0; i < fw->nfiles; i++) {
		uint8_t *e = d + 4 + 64 * i;
		uint16_t key = (uint16_t)(FW_CFG_FILE_FIRST + i);
		put_be32(e, fw->items[key].len);
		e[4] = (uint8_t)(key >> 8);
		e[5] = (uint8_t)key;
		memcpy(e + 8, fw->names[i], 56);
	}
	free(fw->items[FW_CFG_FILE_DIR].data);
	fw->items[FW_CFG_FILE_DIR].data = d;
	fw->items[FW_CFG_FILE_DIR].len = len;
	return 0;
}

int fw_cfg_add_file(struct fw_cfg *fw, const char *name, const void *data, uint32_t len)
{
	size_t n = strlen(name);
	if (n == 0 || n >= 56)
		return -EINVAL;
	int i;
	for (i = 0; i < fw->nfiles; i++)
		if (strcmp(fw->names[i], name) == 0)
			break;
	if (i == fw->nfiles) {
		if (fw->nfiles == FW_CFG_MAX_FILES)
			return -ENOSPC;
		memset(fw->names[i], 0, 56);
		memcpy(fw->names[i], name, n);
		fw->nfiles++;
	}
	int err = fw_cfg_add_bytes(fw, (uint16_t)(FW_CFG_FILE_FIRST + i), data, len);
	return err ? err : rebuild_dir(fw);
}

static uint8_t read_byte(struct fw_cfg *fw)
{
	struct item *it = item_of(fw, fw->sel);
	if (!it || fw->off >= it->len)
		return 0;
	return it->data[fw->off++];
}

/* Runs the DMA request whose descriptor is at addr. */
static void dma_run(struct fw_cfg *fw, uint32_t addr)
{
	uint8_t desc[16];
	if (mem_copy_from_guest(fw->mem, desc, addr, 16) < 0)
		return;
	uint32_t ctl = get_be32(desc), len = get_be32(desc + 4);
	uint64_t gaddr = (uint64_t)get_be32(desc + 8) << 32 | get_be32(desc + 12);
	if (ctl & DMA_SELECT) {
		fw->sel = (uint16_t)(ctl >> 16);
		fw->off = 0;
	}
	uint32_t status = 0;
	struct item *it = item_of(fw, fw->sel);
	if (ctl & DMA_WRITE) {
		status = DMA_ERROR;	/* no writable items */
	} else if (ctl & (DMA_READ | DMA_SKIP)) {
		uint32_t avail = it && fw->off < it->len ? it->len - fw->off : 0;
		uint32_t n = len < avail ? len : avail;
		if (ctl & DMA_READ) {
			if (gaddr + len > 0x100000000ull) {
				status = DMA_ERROR;
			} else {
				/* Past the item's end the guest gets zeros. */
				if (n && mem_copy_to_guest(fw->mem, (uint32_t)gaddr,
							   it->data + fw->off, n) < 0)
					status = DMA_ERROR;
				static const uint8_t zero[256];
				uint32_t z = n;
				while (z < len && !status) {
					uint32_t k = len - z < 256 ? len - z : 256;
					if (mem_copy_to_guest(fw->mem, (uint32_t)gaddr + z, zero,
							      k) < 0)
						status = DMA_ERROR;
					z += k;
				}
			}
		}
		if (!status)
			fw->off += n;
	}
	uint8_t st[4];
	put_be32(st, status);
	mem_copy_to_guest(fw->mem, addr, st, 4);
}

static uint32_t fw_read(void *opaque, uint16_t port, int size)
{
	struct fw_cfg *fw = opaque;
	unsigned reg = port & 0x0f;
	if (reg == 1) {
		uint32_t v = 0;
		for (int i = 0; i < size; i++)
			v |= (uint32_t)read_byte(fw) << (8 * i);
		return v;
	}
	if (reg >= 4 && reg < 12) {
		/* The DMA address register reads as "QEMU CFG". */
		static const char sig[8] = "QEMU CFG";
		uint32_t v = 0;
		for (int i = 0; i < size && reg - 4 + (unsigned)i < 8; i++)
			v |= (uint32_t)(uint8_t)sig[reg - 4 + i] << (8 * (size - 1 - i));
		return v;
	}
	return size == 4 ? 0xffffffffu : size == 2 ? 0xffff : 0xff;
}

static uint32_t bswap32(uint32_t v)
{
	return (v >> 24) | ((v >> 8) & 0xff00) | ((v << 8) & 0xff0000) | (v << 24);
}

static void fw_write(void *opaque, uint16_t port, uint32_t val, int size)
{
	struct fw_cfg *fw = opaque;
	unsigned reg = port & 0x0f;
	if (reg == 0 && size >= 2) {
		fw->sel = (uint16_t)val;
		fw->off = 0;
	} else if (reg == 4 && size == 4) {
		fw->dma_hi = bswap32(val);
	} else if (reg == 8 && size == 4) {
		fw->dma_lo = bswap32(val);
		/* Only 32-bit guest addresses exist here. */
		if (fw->dma_hi == 0)
			dma_run(fw, fw->dma_lo);
		fw->dma_hi = 0;
	}
}

static const struct ioport_ops fw_ops = { .read = fw_read, .write = fw_write,
					  .widths = 1 | 2 | 4 };

struct fw_cfg *fw_cfg_new(struct ioport_bus *io, uint16_t base, struct mem *mem)
{
	struct fw_cfg *fw = calloc(1, sizeof(*fw));
	if (!fw)
		return NULL;
	fw->mem = mem;
	if (ioport_register(io, base, 2, &fw_ops, fw) < 0 ||
	    ioport_register(io, (uint16_t)(base + 4), 8, &fw_ops, fw) < 0 ||
	    fw_cfg_add_bytes(fw, FW_CFG_SIGNATURE, "QEMU", 4) < 0 ||
	    fw_cfg_add_i32(fw, FW_CFG_ID, 3) < 0 ||	/* traditional + DMA */
	    rebuild_dir(fw) < 0) {
		fw_cfg_desc.free(fw);
		return NULL;
	}
	uint8_t uuid[16] = { 0 };
	fw_cfg_add_bytes(fw, FW_CFG_UUID, uuid, 16);
	return fw;
}

int fw_cfg_add_pc_items(struct fw_cfg *fw, uint64_t ram_bytes, bool nographic, char boot,
			const char *bootorder)
{
	uint8_t e820[20] = { 0 };
	for (int i = 0; i < 8; i++)
		e820[8 + i] = (uint8_t)(ram_bytes >> (8 * i));
	e820[16] = 1;		/* E820_RAM */
	int err = 0;
	err |= fw_cfg_add_i64(fw, FW_CFG_RAM_SIZE, ram_bytes);
	err |= fw_cfg_add_i16(fw, FW_CFG_NOGRAPHIC, nographic);
	err |= fw_cfg_add_i16(fw, FW_CFG_NB_CPUS, 1);
	err |= fw_cfg_add_i16(fw, FW_CFG_MAX_CPUS, 1);
	err |= fw_cfg_add_i16(fw, FW_CFG_BOOT_DEVICE, (uint8_t)boot);
	err |= fw_cfg_add_i16(fw, FW_CFG_BOOT_MENU, 0);
	err |= fw_cfg_add_i64(fw, FW_CFG_NUMA, 0);
	static const uint16_t zero32[] = {
		FW_CFG_KERNEL_ADDR, FW_CFG_KERNEL_SIZE, FW_CFG_KERNEL_CMDLINE,
		FW_CFG_INITRD_ADDR, FW_CFG_INITRD_SIZE, FW_CFG_KERNEL_ENTRY,
		FW_CFG_CMDLINE_ADDR, FW_CFG_CMDLINE_SIZE, FW_CFG_SETUP_ADDR, FW_CFG_SETUP_SIZE,
	};
	for (size_t i = 0; i < sizeof(zero32) / sizeof(zero32[0]); i++)
		if (!fw->items[zero32[i]].len)
			err |= fw_cfg_add_i32(fw, zero32[i], 0);
	err |= fw_cfg_add_file(fw, "etc/e820", e820, sizeof(e820));
	/* QEMU stores the boot order with its NUL. */
	if (bootorder)
		err |= fw_cfg_add_file(fw, "bootorder", bootorder,
				       (uint32_t)strlen(bootorder) + 1);
	return err ? -EINVAL : 0;
}

static void fw_cfg_reset(void *dev)
{
	struct fw_cfg *fw = dev;
	fw->sel = 0;
	fw->off = 0;
	fw->dma_hi = fw->dma_lo = 0;
}

static void fw_cfg_save(void *dev, struct snap *s)
{
	struct fw_cfg *fw = dev;
	snap_put_u16(s, fw->sel);
	snap_put_u32(s, fw->off);
	snap_put_u32(s, fw->dma_hi);
}

static int fw_cfg_load(void *dev, struct snap *s)
{
	struct fw_cfg *fw = dev;
	fw->sel = snap_get_u16(s);
	fw->off = snap_get_u32(s);
	fw->dma_hi = snap_get_u32(s);
	return snap_ok(s) ? 0 : -EINVAL;
}

static void fw_cfg_free(void *dev)
{
	struct fw_cfg *fw = dev;
	for (int i = 0; i < NKEYS; i++)
		free(fw->items[i].data);
	free(fw);
}

const struct device_desc fw_cfg_desc = {
	.name = "fw_cfg",
	.reset = fw_cfg_reset,
	.save = fw_cfg_save,
	.load = fw_cfg_load,
	.free = fw_cfg_free,
};
