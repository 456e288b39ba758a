/* Roland MPU-401 in UART mode, as on the Sound Blaster 16 and most MIDI
 * cards: data port at base (330h), status/command at base+1.
 *
 * Status bit 6 clear: ready for a byte; bit 7 clear: a byte to read.
 * Commands: FFh reset (answered with ACK FEh, leaves UART mode), 3Fh enter
 * UART mode (ACK), ACh/ADh version/revision queries; other intelligent-mode
 * commands are acknowledged and ignored.  In UART mode data bytes are MIDI
 * output: they go to FluidSynth (when built with libfluidsynth and a
 * General MIDI SoundFont is installed) and to --midi-capture.  The
 * interrupt is raised while a byte waits to be read (ACKs; there is no
 * MIDI input). */
#ifndef TANDEM_HW_MPU401_H
#define TANDEM_HW_MPU401_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "hw/device.h"

struct clock;
struct ioport_bus;
struct irq_line;
struct mixer;
struct mpu401;

/* irq may be NULL.  NULL when the ports are taken. */
struct mpu401 *mpu401_new(struct ioport_bus *io, uint16_t base, struct clock *clk,
			  struct irq_line *irq);

uint8_t mpu401_read(struct mpu401 *p, int offset);
void mpu401_write(struct mpu401 *p, int offset, uint8_t v);

/* Writes every MIDI message the guest sends to path as a standard MIDI
 * file (format 0, 1 ms per tick in virtual time, starting at the first
 * message) when the device is freed.  Returns 0 or -errno (the file is created at once). */
int mpu401_capture(struct mpu401 *p, const char *path);

/* Starts synthesis into mix (NULL stops).  Without FluidSynth or a
 * SoundFont it logs why once and stays silent. */
void mpu401_set_mixer(struct mpu401 *p, struct mixer *mix);

/* The standard MIDI file writer, on its own for the tests: appends the
 * message (status byte first; a SysEx starts with F0h) at time ms. */
struct smf;
struct smf *smf_new(void);
void smf_free(struct smf *f);
int smf_add(struct smf *f, uint64_t ms, const uint8_t *msg, size_t len);
/* The whole file; returns its length, or -errno. */
int smf_write(const struct smf *f, FILE *out);

extern const struct device_desc mpu401_desc;

#endif
