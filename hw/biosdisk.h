/* tandem's paravirtual BIOS disk interface (ports 520h-53Fh, documented in
 * docs/ports.md): lets our BIOS serve INT 13h from disk images until real
 * floppy and IDE controllers exist.  Transfers are bounds-checked against
 * both the image and guest RAM. */
#ifndef TANDEM_HW_BIOSDISK_H
#define TANDEM_HW_BIOSDISK_H

#include "hw/device.h"
#include "hw/disk.h"
#include "hw/ioport.h"
#include "hw/memory.h"

#define BIOSDISK_PORT 0x520
#define BIOSDISK_NPORTS 0x20

struct biosdisk;

/* drives: [0] = floppy 00h, [1] = floppy 01h, [2] = disk 80h, [3] = disk 81h;
 * NULL where absent.  The disks stay owned by the caller. */
struct biosdisk *biosdisk_new(struct ioport_bus *io, struct mem *mem,
			      struct disk *drives[4]);
extern const struct device_desc biosdisk_desc;

#endif
