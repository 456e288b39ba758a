/* Disk images: raw floppy and hard disk files, read and written in place
 * (pread/pwrite), flushed on close so no write is lost on a clean exit. */
#ifndef TANDEM_HW_DISK_H
#define TANDEM_HW_DISK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DISK_SECTOR 512

/* DISK_CDROM: an ISO 9660 image, always opened read-only, a whole number of
 * 2048-byte blocks (disk_sectors() still counts 512-byte sectors). */
enum disk_kind { DISK_FLOPPY, DISK_HARD, DISK_CDROM };

struct disk_geometry {
	uint32_t cylinders;
	uint32_t heads;
	uint32_t sectors;	/* per track */
	uint8_t floppy_type;	/* CMOS type: 1=360K 2=1.2M 3=720K 4=1.44M 5=2.88M */
};

struct disk;

/* Opens path as a floppy or hard disk image.  On error returns NULL and
 * writes a one-line reason into err. */
struct disk *disk_open(const char *path, enum disk_kind kind, char *err, size_t errlen);
/* Flushes and closes; returns 0 or -errno if the final flush failed. */
int disk_close(struct disk *d);

const char *disk_path(const struct disk *d);
enum disk_kind disk_kind(const struct disk *d);
uint64_t disk_sectors(const struct disk *d);
const struct disk_geometry *disk_geometry(const struct disk *d);
bool disk_readonly(const struct disk *d);

/* Sector transfers; -EINVAL beyond the end, -EROFS on a read-only image,
 * -EIO on a host error.  Bytes of a short (unpadded) image read as zero. */
int disk_read(struct disk *d, uint64_t lba, uint32_t count, void *buf);
int disk_write(struct disk *d, uint64_t lba, uint32_t count, const void *buf);
int disk_flush(struct disk *d);

/* Pure logic, exposed for tests: the geometry for an image of size bytes,
 * or -EINVAL when no sensible one exists. */
int disk_guess_geometry(enum disk_kind kind, uint64_t size, struct disk_geometry *g,
			uint64_t *sectors);

#endif
