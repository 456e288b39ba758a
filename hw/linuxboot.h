/* Direct Linux boot (x86 boot protocol, 32-bit entry): loads a bzImage, an
 * optional initrd and a command line into guest RAM, builds boot_params
 * ("zero page") with an E820 map, and produces the CPU state of the 32-bit
 * entry point.  No BIOS code runs. */
#ifndef TANDEM_HW_LINUXBOOT_H
#define TANDEM_HW_LINUXBOOT_H

#include <stddef.h>
#include <stdint.h>

#include "cpu/state.h"
#include "hw/memory.h"

/* Where things go in guest memory. */
#define LINUXBOOT_GDT 0x5000u
#define LINUXBOOT_ZERO_PAGE 0x7000u
#define LINUXBOOT_CMDLINE 0x20000u
#define LINUXBOOT_KERNEL 0x100000u

struct linuxboot_image {
	const uint8_t *kernel;
	size_t kernel_len;
	const uint8_t *initrd;		/* NULL: none */
	size_t initrd_len;
	const char *cmdline;		/* NULL: empty */
	uint32_t acpi_rsdp;		/* the RSDP's address for boot_params (0: none) */
};

/* What was placed where (for logs and tests). */
struct linuxboot_info {
	uint16_t version;		/* boot protocol, e.g. 0x020f */
	uint32_t kernel_addr, kernel_len;
	uint32_t initrd_addr, initrd_len;
	uint32_t init_size;
};

/* Checks the setup header, copies everything into mem and fills *s (which
 * should hold a reset state: counters and FPU are kept) with the entry
 * state.  On error returns -1 with a one-line reason in err and leaves *s
 * alone (guest RAM may be partly written). */
int linuxboot_load(struct mem *mem, const struct linuxboot_image *img, struct x86_state *s,
		   struct linuxboot_info *info, char *err, size_t errlen);

/* Reads a whole file (at most max bytes) into a malloc'd buffer; -1 with
 * err filled on failure. */
int linuxboot_read_file(const char *path, size_t max, uint8_t **out, size_t *len,
			char *err, size_t errlen);

#endif
