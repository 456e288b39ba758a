/* The sound cards of a board: --sound picks a Sound Blaster model (none
 * by default on xt, sb16 on at).  Every model brings its FM chip at 388h
 * (OPL2 on sb1/sb2/sbpro, OPL3 on sbpro2/sb16) and an MPU-401 UART at 330h
 * sharing the card's IRQ.  Devices run (timers, DMA, IRQs) whether or not
 * anyone listens; sound_set_mixer starts rendering them into a mixer. */
#ifndef TANDEM_HW_SOUND_H
#define TANDEM_HW_SOUND_H

#include "hw/device.h"

struct machine;
struct irq_line;
struct mixer;

/* Creates the cards cfg asks for; irqs are the board's 16 IRQ lines.
 * Prints an error and returns -1 on a bad configuration. */
int sound_create(struct machine *m, struct irq_line *irqs);

/* Puts the mixer in clocked mode on the machine's clock and attaches every
 * sound source but the PC speaker (the frontend attaches that one); NULL
 * detaches them (before the mixer is freed).  From then on save states
 * carry the mixer's timeline (the "audio" device every board has), and a
 * loaded state continues it: the mixer's output after a load is, frame
 * for frame, what the saving run would have produced from the moment of
 * the save on. */
void sound_set_mixer(struct machine *m, struct mixer *mix);

extern const struct device_desc sound_audio_desc;

#endif
