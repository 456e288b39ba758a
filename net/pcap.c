/* libpcap file format: a 24-byte header, then per frame a 16-byte record
 * header (seconds, microseconds, captured length, original length) and the
 * bytes.  Written in host byte order, which the magic number announces. */
#include <errno.h>
#include <stdlib.h>

#include "net/pcap.h"

struct pcap_writer {
	FILE *f;
	int error;
};

static int put32(FILE *f, uint32_t v)
{
	return fwrite(&v, 4, 1, f) == 1 ? 0 : -EIO;
}

static int put16(FILE *f, uint16_t v)
{
	return fwrite(&v, 2, 1, f) == 1 ? 0 : -EIO;
}

struct pcap_writer *pcap_open(const char *path)
{
	struct pcap_writer *w = calloc(1, sizeof(*w));
	if (!w)
		return NULL;
	w->f = fopen(path, "wb");
	if (!w->f) {
		int e = errno;
		free(w);
		errno = e;
		return NULL;
	}
	int err = put32(w->f, PCAP_MAGIC) | put16(w->f, 2) | put16(w->f, 4) |
		  put32(w->f, 0) | put32(w->f, 0) | put32(w->f, PCAP_SNAPLEN) |
		  put32(w->f, PCAP_LINKTYPE_ETHERNET);
	if (err || fflush(w->f)) {
		fclose(w->f);
		free(w);
		errno = EIO;
		return NULL;
	}
	return w;
}

int pcap_write(struct pcap_writer *w, uint64_t ts_ps, const uint8_t *frame, size_t len)
{
	if (!w || w->error)
		return w ? w->error : -EINVAL;
	uint64_t us = ts_ps / 1000000u;
	uint32_t caplen = len > PCAP_SNAPLEN ? PCAP_SNAPLEN : (uint32_t)len;
	int err = put32(w->f, (uint32_t)(us / 1000000u)) |
		  put32(w->f, (uint32_t)(us % 1000000u)) | put32(w->f, caplen) |
		  put32(w->f, (uint32_t)len);
	if (!err && fwrite(frame, 1, caplen, w->f) != caplen)
		err = -EIO;
	/* A capture is read while the emulator runs (and after a crash). */
	if (!err && fflush(w->f))
		err = -EIO;
	if (err)
		w->error = -EIO;
	return err ? -EIO : 0;
}

int pcap_close(struct pcap_writer *w)
{
	if (!w)
		return 0;
	int err = w->error;
	if (fclose(w->f) && !err)
		err = -EIO;
	free(w);
	return err;
}
