/* CD-ROM images: an ISO 9660 file (one data track of 2048-byte blocks) or
 * a CUE sheet with its BIN files (data tracks MODE1/2048, MODE1/2352,
 * MODE2/2352; AUDIO tracks of 2352-byte frames, 44.1 kHz stereo 16-bit
 * little endian).  tandem parses CUE sheets itself (docs/storage.md says
 * why not libcdio).  Addresses are LBAs: 75 frames a second, LBA 0 at
 * MSF 00:02:00.  Read-only. */
#ifndef TANDEM_HW_CDIMAGE_H
#define TANDEM_HW_CDIMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CD_DATA_BYTES 2048
#define CD_RAW_BYTES 2352
#define CD_FRAMES_PER_SEC 75
#define CD_MAX_TRACKS 99

enum cd_track_mode { CD_MODE1_2048, CD_MODE1_2352, CD_MODE2_2352, CD_AUDIO };

struct cd_track {
	uint8_t number;		/* 1..99 */
	enum cd_track_mode mode;
	uint32_t first;		/* LBA where its area starts (pregap included) */
	uint32_t start;		/* LBA of INDEX 01: what the TOC lists */
	uint32_t end;		/* first LBA after it */
	uint32_t silent;	/* frames from first that no file holds (PREGAP) */
	int file;		/* index into the image's files */
	uint64_t offset;	/* byte offset in the file of LBA first + silent */
};

struct cdimage;

/* Opens an image: a path ending in .cue (any case) is a CUE sheet, anything
 * else an ISO image.  On error returns NULL with a one-line reason in err
 * (naming the CUE line where there is one). */
struct cdimage *cdimage_open(const char *path, char *err, size_t errlen);
void cdimage_close(struct cdimage *c);

const char *cdimage_path(const struct cdimage *c);
int cdimage_track_count(const struct cdimage *c);
/* Track i (0-based, in disc order). */
const struct cd_track *cdimage_track(const struct cdimage *c, int i);
/* The lead-out LBA: the disc's length in frames. */
uint32_t cdimage_leadout(const struct cdimage *c);
/* The track holding lba (its pregap included), or NULL past the end. */
const struct cd_track *cdimage_track_at(const struct cdimage *c, uint32_t lba);
static inline bool cd_track_is_audio(const struct cd_track *t)
{
	return t->mode == CD_AUDIO;
}

/* The 2048 user bytes of a data frame; -EINVAL for an audio frame or past
 * the end, -EIO on a host error. */
int cdimage_read_data(struct cdimage *c, uint32_t lba, uint8_t *buf);
/* The whole 2352-byte frame: audio samples, or a data frame as recorded
 * (for MODE1/2048 tracks: sync and header made up, EDC/ECC zero).
 * Pregap frames read as zeros.  -EINVAL past the end, -EIO on error. */
int cdimage_read_raw(struct cdimage *c, uint32_t lba, uint8_t *buf);

/* LBA <-> MSF (minutes, seconds, frames, with the 150-frame offset; an
 * MSF in the lead-in gives a negative LBA). */
void cd_lba_to_msf(uint32_t lba, uint8_t msf[3]);
int32_t cd_msf_to_lba(uint8_t m, uint8_t s, uint8_t f);

#endif
