/* The table-loader script run into one block of guest memory (acpi_place.h).
 * Command layout as hw/acpi_fw_cfg.c writes it (QEMU's
 * bios-linker-loader): 128-byte commands, a 32-bit type, then
 *   ALLOCATE:     file[56], align (u32), zone (u8)
 *   ADD_POINTER:  dest[56], src[56], offset (u32), size (u8)
 *   ADD_CHECKSUM: file[56], offset (u32), start (u32), length (u32)
 * Every offset and length is checked against its file, although the
 * script is ours: a bad one is a bug to report, not memory to scribble. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hw/acpi_fw_cfg.h"
#include "hw/acpi_place.h"

enum { CMD_ALLOCATE = 1, CMD_ADD_POINTER = 2, CMD_ADD_CHECKSUM = 3 };
#define CMD_SIZE 128
#define NAME_SIZE 56

struct file {
	const char *name;
	const uint8_t *data;
	uint32_t len;
	uint8_t *placed;	/* in area; NULL until allocated */
	uint32_t addr;		/* guest address once placed */
};

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static struct file *find(struct file *files, int n, const uint8_t *name)
{
	for (int i = 0; i < n; i++)
		if (strncmp((const char *)name, files[i].name, NAME_SIZE) == 0)
			return &files[i];
	return NULL;
}

static int run_command(const uint8_t *c, struct file *files, int nfiles, uint8_t *area,
		       uint32_t base, uint32_t len, uint32_t *used)
{
	switch (get32(c)) {
	case CMD_ALLOCATE: {
		struct file *f = find(files, nfiles, c + 4);
		uint32_t align = get32(c + 4 + NAME_SIZE);
		if (!f || f->placed || align == 0 || (align & (align - 1)) || align > 4096)
			return -EINVAL;
		uint64_t at = ((uint64_t)base + *used + align - 1) & ~(uint64_t)(align - 1);
		if (at + f->len > (uint64_t)base + len)
			return -ENOSPC;
		f->placed = area + (at - base);
		f->addr = (uint32_t)at;
		memcpy(f->placed, f->data, f->len);
		*used = (uint32_t)(at + f->len - base);
		return 0;
	}
	case CMD_ADD_POINTER: {
		struct file *dst = find(files, nfiles, c + 4);
		struct file *src = find(files, nfiles, c + 4 + NAME_SIZE);
		uint32_t off = get32(c + 4 + 2 * NAME_SIZE);
		uint8_t size = c[8 + 2 * NAME_SIZE];
		if (!dst || !src || !dst->placed || !src->placed || size != 4 ||
		    (uint64_t)off + size > dst->len)
			return -EINVAL;
		uint32_t v = get32(dst->placed + off) + src->addr;
		for (int i = 0; i < 4; i++)
			dst->placed[off + i] = (uint8_t)(v >> (8 * i));
		return 0;
	}
	case CMD_ADD_CHECKSUM: {
		struct file *f = find(files, nfiles, c + 4);
		uint32_t off = get32(c + 4 + NAME_SIZE);
		uint32_t start = get32(c + 8 + NAME_SIZE);
		uint32_t n = get32(c + 12 + NAME_SIZE);
		if (!f || !f->placed || off >= f->len || (uint64_t)start + n > f->len)
			return -EINVAL;
		uint8_t sum = 0;
		for (uint32_t i = 0; i < n; i++)
			sum = (uint8_t)(sum + f->placed[start + i]);
		f->placed[off] = (uint8_t)(f->placed[off] - sum);
		return 0;
	}
	case 0:		/* an unused slot */
		return 0;
	default:
		return -EINVAL;
	}
}

int acpi_place(uint8_t *area, uint32_t base, uint32_t len, uint16_t pm1_base, uint8_t s5_typ,
	       int apic_cpus, uint32_t *rsdp, uint32_t *used)
{
	uint8_t *r, *t, *l;
	uint32_t rl, tl, ll;
	int err = acpi_fw_cfg_build(pm1_base, s5_typ, apic_cpus, &r, &rl, &t, &tl, &l, &ll);
	if (err)
		return err;
	struct file files[2] = {
		{ .name = ACPI_FW_CFG_RSDP_FILE, .data = r, .len = rl },
		{ .name = ACPI_FW_CFG_TABLES_FILE, .data = t, .len = tl },
	};
	*used = 0;
	for (uint32_t i = 0; i + CMD_SIZE <= ll && !err; i += CMD_SIZE)
		err = run_command(l + i, files, 2, area, base, len, used);
	if (!err && !files[0].placed)
		err = -EINVAL;
	if (!err)
		*rsdp = files[0].addr;
	free(r);
	free(t);
	free(l);
	return err;
}
