/* WAV writer for --audio-capture (see ui/wav.h). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw/mixer.h"
#include "ui/wav.h"
#include "util/le.h"

struct ui_wav {
	FILE *f;
	uint32_t frames;
	bool failed;
};

/* RIFF header of a 16-bit stereo PCM file holding n frames. */
static void header(uint8_t h[44], uint32_t n)
{
	memcpy(h, "RIFF\0\0\0\0WAVEfmt \x10\0\0\0\x01\0\x02\0", 24);
	le_put32(h + 4, 36 + n * 4);
	le_put32(h + 24, MIXER_RATE);
	le_put32(h + 28, MIXER_RATE * 4);
	memcpy(h + 32, "\x04\0\x10\0", 4);	/* block align 4, 16 bits */
	memcpy(h + 36, "data", 4);
	le_put32(h + 40, n * 4);
}

struct ui_wav *ui_wav_open(const char *path)
{
	struct ui_wav *w = calloc(1, sizeof(*w));
	if (!w)
		return NULL;
	w->f = fopen(path, "wb");
	if (!w->f) {
		free(w);
		return NULL;
	}
	uint8_t h[44];
	header(h, 0);
	w->failed = fwrite(h, 1, sizeof(h), w->f) != sizeof(h);
	return w;
}

void ui_wav_write(struct ui_wav *w, const int16_t *lr, size_t n)
{
	uint8_t le[4 * 1024];
	while (n > 0) {
		size_t k = n < sizeof(le) / 4 ? n : sizeof(le) / 4;
		if (w->frames > (UINT32_MAX - 44) / 4 - k)
			return;
		for (size_t i = 0; i < 2 * k; i++) {
			le[2 * i] = (uint8_t)lr[i];
			le[2 * i + 1] = (uint8_t)((uint16_t)lr[i] >> 8);
		}
		if (fwrite(le, 4, k, w->f) != k)
			w->failed = true;
		w->frames += (uint32_t)k;
		lr += 2 * k;
		n -= k;
	}
}

int ui_wav_close(struct ui_wav *w)
{
	uint8_t h[44];
	header(h, w->frames);
	if (fseek(w->f, 0, SEEK_SET) != 0 || fwrite(h, 1, sizeof(h), w->f) != sizeof(h))
		w->failed = true;
	if (fclose(w->f) != 0)
		w->failed = true;
	int r = w->failed ? -1 : 0;
	free(w);
	return r;
}
