/* QEMU-compatible firmware configuration device: selector at base (510h,
 * 16-bit write), data at base+1 (511h, byte reads), and the DMA interface
 * at base+4 (514h-51Bh, big-endian address of a FWCfgDmaAccess; writing
 * the low half at 518h starts it).  Items are the QEMU keys (signature
 * "QEMU", ID, RAM size, CPU counts, boot device, kernel/initrd/cmdline) and
 * named files listed in the directory at key 19h (etc/e820, bootorder...).
 * SeaBIOS and other firmware built for QEMU read their setup from here.
 */
#ifndef TANDEM_HW_FW_CFG_H
#define TANDEM_HW_FW_CFG_H

#include <stdbool.h>
#include <stdint.h>

#include "hw/device.h"

enum {
	FW_CFG_SIGNATURE = 0x00, FW_CFG_ID = 0x01, FW_CFG_UUID = 0x02,
	FW_CFG_RAM_SIZE = 0x03, FW_CFG_NOGRAPHIC = 0x04, FW_CFG_NB_CPUS = 0x05,
	FW_CFG_KERNEL_ADDR = 0x07, FW_CFG_KERNEL_SIZE = 0x08, FW_CFG_KERNEL_CMDLINE = 0x09,
	FW_CFG_INITRD_ADDR = 0x0a, FW_CFG_INITRD_SIZE = 0x0b, FW_CFG_BOOT_DEVICE = 0x0c,
	FW_CFG_NUMA = 0x0d, FW_CFG_BOOT_MENU = 0x0e, FW_CFG_MAX_CPUS = 0x0f,
	FW_CFG_KERNEL_ENTRY = 0x10, FW_CFG_KERNEL_DATA = 0x11, FW_CFG_INITRD_DATA = 0x12,
	FW_CFG_CMDLINE_ADDR = 0x13, FW_CFG_CMDLINE_SIZE = 0x14, FW_CFG_CMDLINE_DATA = 0x15,
	FW_CFG_SETUP_ADDR = 0x16, FW_CFG_SETUP_SIZE = 0x17, FW_CFG_SETUP_DATA = 0x18,
	FW_CFG_FILE_DIR = 0x19, FW_CFG_FILE_FIRST = 0x20, FW_CFG_MAX_FILES = 64,
};

struct ioport_bus;
struct mem;
struct fw_cfg;

/* mem is where the DMA interface reads its descriptor and moves data. */
struct fw_cfg *fw_cfg_new(struct ioport_bus *io, uint16_t base, struct mem *mem);

/* Sets item key to a copy of data (replacing it).  0 or -errno. */
int fw_cfg_add_bytes(struct fw_cfg *fw, uint16_t key, const void *data, uint32_t len);
int fw_cfg_add_i16(struct fw_cfg *fw, uint16_t key, uint16_t v);	/* little endian */
int fw_cfg_add_i32(struct fw_cfg *fw, uint16_t key, uint32_t v);
int fw_cfg_add_i64(struct fw_cfg *fw, uint16_t key, uint64_t v);
/* Adds (or replaces) a named file (name < 56 bytes) and lists it in the
 * directory; -ENOSPC when the directory is full. */
int fw_cfg_add_file(struct fw_cfg *fw, const char *name, const void *data, uint32_t len);

/* What a PC board publishes: RAM size and etc/e820 (one RAM entry from 0,
 * as QEMU does), one CPU, nographic, boot device ('a', 'c' or 'd') and the
 * bootorder file (OpenFirmware paths separated by newlines, stored with its
 * terminating NUL as QEMU does; may be NULL), and
 * empty kernel/initrd/cmdline items. */
int fw_cfg_add_pc_items(struct fw_cfg *fw, uint64_t ram_bytes, bool nographic, char boot,
			const char *bootorder);

extern const struct device_desc fw_cfg_desc;

#endif
