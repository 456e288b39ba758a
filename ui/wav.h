/* WAV files of the sound (--audio-capture): 16-bit stereo PCM at
 * MIXER_RATE, the sizes in the header filled in at close. */
#ifndef TANDEM_UI_WAV_H
#define TANDEM_UI_WAV_H

#include <stddef.h>
#include <stdint.h>

struct ui_wav;

/* Creates path; NULL with errno set on failure. */
struct ui_wav *ui_wav_open(const char *path);
/* Appends n frames of interleaved left/right samples (silently stops at
 * the format's 4 GiB limit). */
void ui_wav_write(struct ui_wav *w, const int16_t *lr, size_t n);
/* Finishes the header and closes; 0, or -1 when a write failed. */
int ui_wav_close(struct ui_wav *w);

#endif
