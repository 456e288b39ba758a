/* Direct Linux boot: the 32-bit boot protocol of
 * Documentation/arch/x86/boot.rst.  Everything comes from a file the user
 * (or a guest image builder) supplied, so every field that sizes or places
 * something is checked before it is used. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "hw/linuxboot.h"

/* boot_params offsets. */
enum {
	BP_ACPI_RSDP_ADDR = 0x070,
	BP_EXT_RAMDISK_IMAGE = 0x0c0, BP_EXT_RAMDISK_SIZE = 0x0c4, BP_EXT_CMD_LINE_PTR = 0x0c8,
	BP_E820_ENTRIES = 0x1e8, BP_HDR = 0x1f1, BP_E820_TABLE = 0x2d0,
	BP_SIZE = 0x1000, E820_MAX = 128,
};

/* Setup header offsets (from the start of the image / boot_params). */
enum {
	H_SETUP_SECTS = 0x1f1, H_BOOT_FLAG = 0x1fe, H_JUMP = 0x200, H_HEADER = 0x202,
	H_VERSION = 0x206, H_TYPE_OF_LOADER = 0x210, H_LOADFLAGS = 0x211,
	H_CODE32_START = 0x214, H_RAMDISK_IMAGE = 0x218, H_RAMDISK_SIZE = 0x21c,
	H_HEAP_END_PTR = 0x224, H_CMD_LINE_PTR = 0x228, H_INITRD_ADDR_MAX = 0x22c,
	H_RELOCATABLE = 0x234, H_CMDLINE_SIZE = 0x238, H_PREF_ADDRESS = 0x258,
	H_INIT_SIZE = 0x260,
};

#define LOADED_HIGH 0x01
#define MIN_VERSION 0x0206	/* cmdline_size exists; 2.6.22 (2007) and later */

static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t rd32(const uint8_t *p) { return rd16(p) | (uint32_t)rd16(p + 2) << 16; }
static uint64_t rd64(const uint8_t *p) { return rd32(p) | (uint64_t)rd32(p + 4) << 32; }
static void wr16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void wr32(uint8_t *p, uint32_t v)
{
	wr16(p, (uint16_t)v);
	wr16(p + 2, (uint16_t)(v >> 16));
}

static void wr64(uint8_t *p, uint64_t v)
{
	wr32(p, (uint32_t)v);
	wr32(p + 4, (uint32_t)(v >> 32));
}

__attribute__((format(printf, 3, 4)))
static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

static void e820_add(uint8_t *bp, uint64_t addr, uint64_t size, uint32_t type)
{
	uint8_t n = bp[BP_E820_ENTRIES];
	if (n >= E820_MAX || size == 0)
		return;
	uint8_t *e = bp + BP_E820_TABLE + 20 * n;
	wr64(e, addr);
	wr64(e + 8, size);
	wr32(e + 16, type);
	bp[BP_E820_ENTRIES] = (uint8_t)(n + 1);
}

/* The E820 map of our "at" board: 640K conventional (the top KiB reserved
 * as an EBDA would be), the BIOS area, extended RAM to the end. */
static void build_e820(uint8_t *bp, uint64_t ram)
{
	uint64_t low = ram < 0xa0000 ? ram : 0xa0000;
	e820_add(bp, 0, low - 0x400, 1);
	e820_add(bp, low - 0x400, 0x400, 2);
	e820_add(bp, 0xf0000, 0x10000, 2);
	if (ram > 0x100000)
		e820_add(bp, 0x100000, ram - 0x100000, 1);
}

static void entry_state(struct x86_state *s, uint32_t entry)
{
	for (int i = 0; i < X86_NR_SREG; i++)
		s->seg[i] = (struct x86_seg){ .sel = 0x18, .attr = 0xc093, .limit = 0xffffffff };
	s->seg[X86_CS] = (struct x86_seg){ .sel = 0x10, .attr = 0xc09b, .limit = 0xffffffff };
	s->ldtr = (struct x86_seg){ .attr = 0 };
	s->tr = (struct x86_seg){ .attr = 0x8b, .limit = 0x67 };
	s->gdtr = (struct x86_dtable){ .base = LINUXBOOT_GDT, .limit = 0x1f };
	s->idtr = (struct x86_dtable){ .base = 0, .limit = 0 };
	s->cr0 = 0x11;		/* PE, ET; paging off */
	s->cr2 = s->cr3 = s->cr4 = s->cr8 = 0;
	s->efer = 0;
	memset(s->gpr, 0, sizeof(s->gpr));
	s->gpr[X86_RSI] = LINUXBOOT_ZERO_PAGE;
	s->gpr[X86_RSP] = LINUXBOOT_ZERO_PAGE;	/* unused by startup_32; grows below */
	s->rip = entry;
	s->rflags = 2;		/* interrupts off */
	s->run_state = X86_RUNNING;
	s->intr_shadow = 0;
}

int linuxboot_load(struct mem *mem, const struct linuxboot_image *img, struct x86_state *s,
		   struct linuxboot_info *info, char *err, size_t errlen)
{
	const uint8_t *k = img->kernel;
	size_t klen = img->kernel_len;
	uint64_t ram = mem_ram_size(mem);

	if (klen < 0x400 || rd16(k + H_BOOT_FLAG) != 0xaa55)
		return fail(err, errlen, "not a Linux kernel image (no 0xAA55 boot flag)");
	if (memcmp(k + H_HEADER, "HdrS", 4) != 0)
		return fail(err, errlen, "not a bzImage (no \"HdrS\" setup header); "
			    "a raw vmlinux/ELF is not supported");
	uint16_t version = rd16(k + H_VERSION);
	if (version < MIN_VERSION)
		return fail(err, errlen, "boot protocol %u.%02u is too old (need 2.06, "
			    "Linux 2.6.22 or later)", version >> 8, version & 0xff);
	if (!(k[H_LOADFLAGS] & LOADED_HIGH))
		return fail(err, errlen, "not a bzImage (zImage loaded low is not supported)");
	/* The header runs from 1F1h to 202h + the jump's displacement. */
	size_t hdr_end = 0x202 + k[H_JUMP + 1];
	unsigned setup_sects = k[H_SETUP_SECTS] ? k[H_SETUP_SECTS] : 4;
	size_t setup_len = (setup_sects + 1) * 512u;
	if (hdr_end > BP_SIZE || hdr_end > klen || setup_len >= klen)
		return fail(err, errlen, "truncated kernel image (setup is %zu bytes of %zu)",
			    setup_len, klen);
	size_t pm_len = klen - setup_len;
	uint32_t init_size = version >= 0x020a ? rd32(k + H_INIT_SIZE) : 0;
	uint64_t pref = version >= 0x020a ? rd64(k + H_PREF_ADDRESS) : LINUXBOOT_KERNEL;
	if (pref < LINUXBOOT_KERNEL)
		pref = LINUXBOOT_KERNEL;
	/* The decompressor needs init_size bytes at the address it runs at,
	 * which is pref_address for a relocatable kernel. */
	uint64_t need = (k[H_RELOCATABLE] ? pref : LINUXBOOT_KERNEL) +
			(init_size > pm_len ? init_size : pm_len);
	if (LINUXBOOT_KERNEL + (uint64_t)pm_len > ram || need > ram)
		return fail(err, errlen, "the kernel needs %llu MiB of RAM; give more with -m",
			    (unsigned long long)((need + (1 << 20) - 1) >> 20));

	const char *cmd = img->cmdline ? img->cmdline : "";
	size_t cmdlen = strlen(cmd);
	uint32_t cmdmax = rd32(k + H_CMDLINE_SIZE);
	if (cmdlen > cmdmax || cmdlen > 0xffff)
		return fail(err, errlen, "--append: command line of %zu bytes is longer than "
			    "this kernel takes (%u)", cmdlen, cmdmax);

	uint32_t initrd_addr = 0;
	if (img->initrd && img->initrd_len) {
		uint64_t max = (uint64_t)rd32(k + H_INITRD_ADDR_MAX) + 1;
		uint64_t top = ram < max ? ram : max;
		if (img->initrd_len > top)
			return fail(err, errlen, "--initrd: %zu bytes do not fit below %#llx",
				    img->initrd_len, (unsigned long long)top);
		uint64_t at = (top - img->initrd_len) & ~0xfffull;
		if (at < need)
			return fail(err, errlen, "--initrd: no room for %zu bytes above the "
				    "kernel; give more RAM with -m", img->initrd_len);
		initrd_addr = (uint32_t)at;
	}

	uint8_t *bp = calloc(1, BP_SIZE);
	if (!bp)
		return fail(err, errlen, "out of memory");
	memcpy(bp + BP_HDR, k + BP_HDR, hdr_end - BP_HDR);
	bp[H_TYPE_OF_LOADER] = 0xff;	/* "undefined" boot loader */
	wr32(bp + H_CODE32_START, LINUXBOOT_KERNEL);
	wr32(bp + H_CMD_LINE_PTR, LINUXBOOT_CMDLINE);
	wr32(bp + BP_EXT_CMD_LINE_PTR, 0);
	wr32(bp + H_RAMDISK_IMAGE, initrd_addr);
	wr32(bp + H_RAMDISK_SIZE, initrd_addr ? (uint32_t)img->initrd_len : 0);
	wr32(bp + BP_EXT_RAMDISK_IMAGE, 0);
	wr32(bp + BP_EXT_RAMDISK_SIZE, 0);
	wr16(bp + H_HEAP_END_PTR, 0);
	/* Read from protocol 2.14 on; older kernels find the RSDP by scanning
	 * E0000h-FFFFFh, which is where it is. */
	wr64(bp + BP_ACPI_RSDP_ADDR, img->acpi_rsdp);
	build_e820(bp, ram);

	static const uint64_t gdt[4] = { 0, 0, 0x00cf9b000000ffffull, 0x00cf93000000ffffull };
	uint8_t gdt_bytes[sizeof(gdt)];
	for (int i = 0; i < 4; i++)
		wr64(gdt_bytes + 8 * i, gdt[i]);
	int rc = 0;
	if (mem_copy_to_guest(mem, LINUXBOOT_GDT, gdt_bytes, sizeof(gdt_bytes)) ||
	    mem_copy_to_guest(mem, LINUXBOOT_ZERO_PAGE, bp, BP_SIZE) ||
	    mem_copy_to_guest(mem, LINUXBOOT_CMDLINE, cmd, (uint32_t)cmdlen + 1) ||
	    mem_copy_to_guest(mem, LINUXBOOT_KERNEL, k + setup_len, (uint32_t)pm_len) ||
	    (initrd_addr && mem_copy_to_guest(mem, initrd_addr, img->initrd,
					      (uint32_t)img->initrd_len)))
		rc = fail(err, errlen, "guest RAM is not where the kernel must go");
	free(bp);
	if (rc)
		return rc;
	entry_state(s, LINUXBOOT_KERNEL);
	if (info)
		*info = (struct linuxboot_info){
			.version = version, .kernel_addr = LINUXBOOT_KERNEL,
			.kernel_len = (uint32_t)pm_len, .initrd_addr = initrd_addr,
			.initrd_len = initrd_addr ? (uint32_t)img->initrd_len : 0,
			.init_size = init_size,
		};
	return 0;
}

int linuxboot_read_file(const char *path, size_t max, uint8_t **out, size_t *len,
			char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return fail(err, errlen, "cannot open '%s': %s", path, strerror(errno));
	struct stat st;
	if (fstat(fileno(f), &st) < 0 || !S_ISREG(st.st_mode)) {
		fclose(f);
		return fail(err, errlen, "'%s' is not a regular file", path);
	}
	if ((uint64_t)st.st_size > max) {
		fclose(f);
		return fail(err, errlen, "'%s' is too large (%lld bytes, at most %zu)", path,
			    (long long)st.st_size, max);
	}
	size_t n = (size_t)st.st_size;
	uint8_t *buf = malloc(n ? n : 1);
	if (!buf || fread(buf, 1, n, f) != n) {
		free(buf);
		fclose(f);
		return fail(err, errlen, "cannot read '%s'", path);
	}
	fclose(f);
	*out = buf;
	*len = n;
	return 0;
}
