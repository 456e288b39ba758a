/* i440FX host bridge (PMC): configuration space and the Programmable
 * Attribute Map.  Each PAM nibble picks, for one segment of C0000h-FFFFFh,
 * whether reads and writes go to the ROM/ISA side or to shadow DRAM:
 *   0: both to ROM (whatever was mapped there at the first PAM write)
 *   1: reads DRAM, writes ROM (dropped)
 *   2: reads ROM, writes DRAM (SeaBIOS-style copy loops)
 *   3: both DRAM
 * Shadow DRAM is a separate 256 KiB buffer, kept across resets as DRAM is. */
#include <stdlib.h>
#include <string.h>

#include "hw/memory.h"
#include "hw/pci.h"
#include "hw/piix3.h"
#include "util/log.h"
#include "util/snapshot.h"

#define SHADOW_BASE 0xc0000u
#define SHADOW_LEN 0x40000u
#define NSEG 13
#define PAM0 0x59

struct i440fx {
	struct mem *mem;
	struct pci_func *f;
	uint8_t *shadow, *rom;
	uint8_t rom_page[SHADOW_LEN / MEM_PAGE_SIZE];
	bool rom_captured;
	uint8_t mode[NSEG];
	bool warned;
};

static void seg_range(int seg, uint32_t *base, uint32_t *len)
{
	if (seg == 0) {
		*base = 0xf0000;
		*len = 0x10000;
	} else {
		*base = SHADOW_BASE + (uint32_t)(seg - 1) * 0x4000;
		*len = 0x4000;
	}
}

static uint8_t seg_mode(const struct i440fx *x, int seg)
{
	const uint8_t *cfg = pci_config(x->f);
	if (seg == 0)
		return (cfg[PAM0] >> 4) & 3;
	uint8_t reg = cfg[PAM0 + 1 + (seg - 1) / 2];
	return ((seg - 1) & 1 ? reg >> 4 : reg) & 3;
}

/* Mode 2 (read ROM, write DRAM) goes through MMIO, one region per segment
 * with the segment's offset into the 256 KiB window. */
struct wronly_seg {
	struct i440fx *x;
	uint32_t off;
};

static uint32_t seg_read(void *opaque, uint32_t addr, int size)
{
	struct wronly_seg *s = opaque;
	return s->x->rom[(s->off + addr) & (SHADOW_LEN - 1)];
}

static void seg_write(void *opaque, uint32_t addr, uint32_t val, int size)
{
	struct wronly_seg *s = opaque;
	s->x->shadow[(s->off + addr) & (SHADOW_LEN - 1)] = (uint8_t)val;
}

static const struct mmio_ops seg_ops = { .read = seg_read, .write = seg_write };

struct i440fx_priv {
	struct i440fx x;
	struct wronly_seg segs[NSEG];
};

/* Records what the ROM side holds (the BIOS, option ROMs) before the first
 * remapping, so mode 0 can restore it. */
static void capture_rom(struct i440fx *x)
{
	if (x->rom_captured)
		return;
	x->rom_captured = true;
	for (uint32_t off = 0; off < SHADOW_LEN; off += MEM_PAGE_SIZE) {
		uint8_t *rd = mem_page_rd(x->mem, SHADOW_BASE + off);
		uint8_t *wr = mem_page_wr(x->mem, SHADOW_BASE + off);
		if (rd && !wr) {
			memcpy(x->rom + off, rd, MEM_PAGE_SIZE);
			x->rom_page[off / MEM_PAGE_SIZE] = 1;
		}
	}
}

static void map_seg(struct i440fx *x, int seg, uint8_t mode)
{
	uint32_t base, len;
	seg_range(seg, &base, &len);
	uint32_t off = base - SHADOW_BASE;
	int err = 0;
	mem_unmap(x->mem, base, len);
	switch (mode) {
	case 0:
		for (uint32_t p = 0; p < len && !err; p += MEM_PAGE_SIZE) {
			if (!x->rom_page[(off + p) / MEM_PAGE_SIZE])
				continue;
			/* Maps the run of ROM pages starting here in one region. */
			uint32_t run = p;
			while (run < len && x->rom_page[(off + run) / MEM_PAGE_SIZE])
				run += MEM_PAGE_SIZE;
			err = mem_map_host(x->mem, base + p, run - p, x->rom + off + p, false);
			p = run - MEM_PAGE_SIZE;
		}
		break;
	case 1:
		err = mem_map_host(x->mem, base, len, x->shadow + off, false);
		break;
	case 2: {
		struct i440fx_priv *pv = (struct i440fx_priv *)x;
		pv->segs[seg].x = x;
		pv->segs[seg].off = off;
		err = mem_map_mmio(x->mem, base, len, &seg_ops, &pv->segs[seg]);
		break;
	}
	case 3:
		err = mem_map_host(x->mem, base, len, x->shadow + off, true);
		break;
	}
	if (err && !x->warned) {
		x->warned = true;
		log_warn("i440fx: cannot remap %#x-%#x for PAM (%d)", base, base + len - 1, err);
	}
	x->mode[seg] = mode;
}

static void update_pam(struct i440fx *x)
{
	for (int seg = 0; seg < NSEG; seg++) {
		uint8_t m = seg_mode(x, seg);
		if (m == x->mode[seg])
			continue;
		capture_rom(x);
		map_seg(x, seg, m);
	}
}

static void i440fx_config_write(void *opaque, uint8_t off, uint32_t val, int size)
{
	struct i440fx *x = opaque;
	if (off + size > PAM0 && off <= PAM0 + 6)
		update_pam(x);
}

static void i440fx_func_reset(void *opaque)
{
	update_pam(opaque);
}

static const struct pci_func_ops i440fx_ops = {
	.config_write = i440fx_config_write,
	.reset = i440fx_func_reset,
};

struct i440fx *i440fx_new(struct pci_bus *bus, struct mem *mem)
{
	struct i440fx_priv *pv = calloc(1, sizeof(*pv));
	if (!pv)
		return NULL;
	struct i440fx *x = &pv->x;
	x->mem = mem;
	x->shadow = aligned_alloc(MEM_PAGE_SIZE, SHADOW_LEN);
	x->rom = aligned_alloc(MEM_PAGE_SIZE, SHADOW_LEN);
	x->f = pci_add_function(bus, PCI_DEVFN(0, 0), 0x8086, 0x1237, 0x02, 0x060000,
				&i440fx_ops, x);
	if (!x->shadow || !x->rom || !x->f) {
		free(x->shadow);
		free(x->rom);
		free(pv);
		return NULL;
	}
	memset(x->shadow, 0, SHADOW_LEN);
	memset(x->rom, 0xff, SHADOW_LEN);
	uint8_t *cfg = pci_config(x->f);
	uint8_t *wm = pci_config_wmask(x->f);
	cfg[PCI_STATUS] = 0x80;		/* fast back-to-back capable */
	cfg[PCI_STATUS + 1] = 0x02;	/* medium DEVSEL */
	/* Chipset registers 50h-FFh: writable storage; PAM bits 3,7 reserved. */
	for (int i = 0x50; i < 0x100; i++)
		wm[i] = 0xff;
	wm[PAM0] = 0x30;
	for (int i = 1; i <= 6; i++)
		wm[PAM0 + i] = 0x33;
	cfg[0x72] = 0x02;		/* SMRAM: C_BASE_SEG = A0000h */
	return x;
}

static void i440fx_reset(void *dev)
{
	/* The PCI bus reset restores the config space and calls
	 * i440fx_func_reset, which puts the ROM back. */
	(void)dev;
}

static void i440fx_save(void *dev, struct snap *s)
{
	struct i440fx *x = dev;
	snap_put_u8(s, x->rom_captured);
	snap_put_bytes(s, x->rom_page, sizeof(x->rom_page));
	snap_put_bytes(s, x->rom, SHADOW_LEN);
	snap_put_bytes(s, x->shadow, SHADOW_LEN);
}

static int i440fx_load(void *dev, struct snap *s)
{
	struct i440fx *x = dev;
	x->rom_captured = snap_get_u8(s) & 1;
	snap_get_bytes(s, x->rom_page, sizeof(x->rom_page));
	snap_get_bytes(s, x->rom, SHADOW_LEN);
	snap_get_bytes(s, x->shadow, SHADOW_LEN);
	if (!snap_ok(s))
		return -1;
	/* The bus (loaded before us) holds the PAM registers. */
	update_pam(x);
	return 0;
}

static void i440fx_free(void *dev)
{
	struct i440fx *x = dev;
	free(x->shadow);
	free(x->rom);
	free(dev);
}

const struct device_desc i440fx_desc = {
	.name = "i440fx",
	.reset = i440fx_reset,
	.save = i440fx_save,
	.load = i440fx_load,
	.free = i440fx_free,
};
