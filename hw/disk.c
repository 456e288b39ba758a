#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hw/disk.h"

struct disk {
	char *path;
	int fd;
	enum disk_kind kind;
	bool readonly;
	uint64_t file_size;
	uint64_t sectors;
	struct disk_geometry geo;
};

/* Standard PC floppy formats, smallest first. */
static const struct floppy_format {
	uint32_t kib;
	uint8_t cyl, heads, spt, type;
} floppy_formats[] = {
	{ 160, 40, 1, 8, 1 },
	{ 180, 40, 1, 9, 1 },
	{ 320, 40, 2, 8, 1 },
	{ 360, 40, 2, 9, 1 },
	{ 720, 80, 2, 9, 3 },
	{ 1200, 80, 2, 15, 2 },
	{ 1440, 80, 2, 18, 4 },
	{ 1680, 80, 2, 21, 4 },	/* DMF-style 1.68M on a 1.44M drive */
	{ 2880, 80, 2, 36, 5 },
};

#define HDD_MAX_BYTES (2ull << 40)

int disk_guess_geometry(enum disk_kind kind, uint64_t size, struct disk_geometry *g,
			uint64_t *sectors)
{
	memset(g, 0, sizeof(*g));
	if (size == 0)
		return -EINVAL;
	if (kind == DISK_FLOPPY) {
		/* Short images are common (trailing empty sectors cut off):
		 * take the smallest standard format that holds them. */
		for (size_t i = 0; i < sizeof(floppy_formats) / sizeof(floppy_formats[0]); i++) {
			const struct floppy_format *f = &floppy_formats[i];
			if (size <= (uint64_t)f->kib * 1024) {
				g->cylinders = f->cyl;
				g->heads = f->heads;
				g->sectors = f->spt;
				g->floppy_type = f->type;
				*sectors = (uint64_t)f->cyl * f->heads * f->spt;
				return 0;
			}
		}
		return -EINVAL;
	}
	if (kind == DISK_CDROM) {
		if (size % 2048 || size > HDD_MAX_BYTES)
			return -EINVAL;
		*sectors = size / DISK_SECTOR;
		return 0;
	}
	if (size % DISK_SECTOR || size > HDD_MAX_BYTES)
		return -EINVAL;
	uint64_t total = size / DISK_SECTOR;
	/* Small disks get the classic 16 heads x 63 sectors translation; the
	 * BIOS clips cylinders to what INT 13h can address. */
	g->heads = 16;
	g->sectors = 63;
	if (total < 16 * 63) {
		g->heads = 1;
		g->sectors = total < 63 ? (uint32_t)total : 63;
	}
	g->cylinders = (uint32_t)(total / (g->heads * g->sectors));
	if (g->cylinders == 0)
		g->cylinders = 1;
	*sectors = total;
	return 0;
}

struct disk *disk_open(const char *path, enum disk_kind kind, char *err, size_t errlen)
{
	const char *what = kind == DISK_FLOPPY ? "floppy image" :
			   kind == DISK_CDROM ? "CD-ROM image" : "disk image";
	bool readonly = kind == DISK_CDROM;
	int fd = open(path, (readonly ? O_RDONLY : O_RDWR) | O_CLOEXEC);
	if (fd < 0 && (errno == EACCES || errno == EROFS || errno == EPERM)) {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		readonly = true;
	}
	if (fd < 0) {
		snprintf(err, errlen, "cannot open %s '%s': %s", what, path, strerror(errno));
		return NULL;
	}
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s '%s' is not a regular file", what, path);
		close(fd);
		return NULL;
	}
	struct disk_geometry g;
	uint64_t sectors;
	if (st.st_size == 0) {
		snprintf(err, errlen, "%s '%s' is empty", what, path);
		close(fd);
		return NULL;
	}
	if (disk_guess_geometry(kind, (uint64_t)st.st_size, &g, &sectors) < 0) {
		if (kind == DISK_FLOPPY)
			snprintf(err, errlen, "floppy image '%s' has %lld bytes; the largest "
				 "floppy format is 2.88 MB (2949120 bytes)", path,
				 (long long)st.st_size);
		else if (kind == DISK_CDROM)
			snprintf(err, errlen, "CD-ROM image '%s' has %lld bytes; an ISO image is "
				 "a whole number of 2048-byte blocks", path,
				 (long long)st.st_size);
		else
			snprintf(err, errlen, "disk image '%s' has %lld bytes; a raw disk image "
				 "is a whole number of 512-byte sectors, at most 2 TiB", path,
				 (long long)st.st_size);
		close(fd);
		return NULL;
	}
	struct disk *d = calloc(1, sizeof(*d));
	if (!d || !(d->path = strdup(path))) {
		snprintf(err, errlen, "out of memory");
		free(d);
		close(fd);
		return NULL;
	}
	d->fd = fd;
	d->kind = kind;
	d->readonly = readonly;
	d->file_size = (uint64_t)st.st_size;
	d->sectors = sectors;
	d->geo = g;
	return d;
}

int disk_close(struct disk *d)
{
	if (!d)
		return 0;
	int err = disk_flush(d);
	close(d->fd);
	free(d->path);
	free(d);
	return err;
}

const char *disk_path(const struct disk *d) { return d->path; }
enum disk_kind disk_kind(const struct disk *d) { return d->kind; }
uint64_t disk_sectors(const struct disk *d) { return d->sectors; }
const struct disk_geometry *disk_geometry(const struct disk *d) { return &d->geo; }
bool disk_readonly(const struct disk *d) { return d->readonly; }

static int check_span(const struct disk *d, uint64_t lba, uint32_t count)
{
	if (lba > d->sectors || count > d->sectors - lba)
		return -EINVAL;
	return 0;
}

int disk_read(struct disk *d, uint64_t lba, uint32_t count, void *buf)
{
	int err = check_span(d, lba, count);
	if (err)
		return err;
	uint64_t off = lba * DISK_SECTOR;
	size_t len = (size_t)count * DISK_SECTOR;
	uint8_t *p = buf;
	while (len) {
		ssize_t n = pread(d->fd, p, len, (off_t)off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -EIO;
		}
		if (n == 0) {
			/* Past the end of a short floppy image: zeros. */
			memset(p, 0, len);
			break;
		}
		p += n;
		off += (uint64_t)n;
		len -= (size_t)n;
	}
	return 0;
}

int disk_write(struct disk *d, uint64_t lba, uint32_t count, const void *buf)
{
	int err = check_span(d, lba, count);
	if (err)
		return err;
	if (d->readonly)
		return -EROFS;
	uint64_t off = lba * DISK_SECTOR;
	size_t len = (size_t)count * DISK_SECTOR;
	const uint8_t *p = buf;
	while (len) {
		ssize_t n = pwrite(d->fd, p, len, (off_t)off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -EIO;
		}
		p += n;
		off += (uint64_t)n;
		len -= (size_t)n;
	}
	return 0;
}

int disk_flush(struct disk *d)
{
	if (d->readonly)
		return 0;
	return fsync(d->fd) < 0 ? -errno : 0;
}
