/* Yamaha OPL2 (YM3812, AdLib) and OPL3 (YMF262, Sound Blaster Pro 2 / 16).
 *
 * The chip's own logic is here: the address latch, the two timers (T1 in
 * 80 us steps, T2 in 320 us steps, register 04h start/mask/IRQ reset) and
 * the status register (bit 7 IRQ, 6 T1 expired, 5 T2 expired; an OPL2
 * reads 06h in the low bits, an OPL3 00h, which is how software tells them
 * apart).  Timers are lazy: status is computed from clock_now().  The
 * IRQ output pin is not wired on the AdLib or Sound Blaster cards, so
 * there is no IRQ line.
 *
 * Sound comes from the Nuked OPL3 core in libadplug (hw/opl_nuked.cc) at
 * the chip's native OPL_RATE, in stereo (an OPL3 channel goes left and/or
 * right by register C0h-C8h bits 4 and 5; an OPL2 plays on both),
 * rendered in virtual time (every register write first renders up to the
 * present) and resampled by the mixer.  Save states hold the synthesizer's
 * whole state, so a resumed run sounds as an uninterrupted one.
 * Without libadplug the chip is still detected by games (timers work) but
 * is silent, and opl_set_mixer says so once. */
#ifndef TANDEM_HW_OPL_H
#define TANDEM_HW_OPL_H

#include <stdbool.h>
#include <stdint.h>

#include "hw/device.h"

#define OPL_RATE 49716	/* 14.31818 MHz / 288 */

struct clock;
struct ioport_bus;
struct mixer;
struct opl;

struct opl *opl_new(struct clock *clk, bool opl3);
/* Maps the chip at base: 2 ports (address, data) or 4 for an OPL3's two
 * register banks.  May be called more than once (388h and the SB base). */
int opl_map(struct opl *o, struct ioport_bus *io, uint16_t base, int nports);

/* Register interface, as the ports see it (offset 0-3 from a base). */
uint8_t opl_read(struct opl *o, int offset);
void opl_write(struct opl *o, int offset, uint8_t v);

/* Starts rendering into mix from now on (NULL stops). */
void opl_set_mixer(struct opl *o, struct mixer *mix);
bool opl_has_synth(void);
/* Output gains in 1/256 (the card's FM volume, left and right); 256 =
 * unity. */
void opl_set_gains(struct opl *o, int left, int right);

extern const struct device_desc opl_desc;

/* The synthesizer back end (hw/opl_nuked.cc; absent without libadplug).
 * Stereo interleaved samples at OPL_RATE. */
struct opl_synth;
struct opl_synth *opl_synth_new(void);
void opl_synth_free(struct opl_synth *s);
void opl_synth_write(struct opl_synth *s, uint16_t reg, uint8_t v);
void opl_synth_generate(struct opl_synth *s, int16_t *lr, uint32_t frames);
/* The synthesizer's whole state, field by field; load returns -1 (and
 * leaves s unusable until the next opl_synth_new) on a bad record. */
struct snap;
void opl_synth_save(const struct opl_synth *s, struct snap *sn);
int opl_synth_load(struct opl_synth *s, struct snap *sn);

#endif
