/* Board glue for the sound cards (hw/sound.h). */
#include <stdlib.h>
#include <string.h>

#include "hw/cdaudio.h"
#include "hw/dma8237.h"
#include "hw/irq.h"
#include "hw/machine.h"
#include "hw/mixer.h"
#include "hw/mpu401.h"
#include "hw/opl.h"
#include "hw/sb16.h"
#include "hw/sound.h"
#include "util/log.h"
#include "util/snapshot.h"

#define ADLIB_BASE 0x388
#define MPU_BASE 0x330

/* The MPU-401's interrupt goes through the card (mixer register 82h). */
static void mpu_irq_set(void *opaque, int n, int level)
{
	(void)n;
	sb16_mpu_irq(opaque, level);
}

static struct irq_line mpu_line_proto = { .set = mpu_irq_set };

static struct dma *find_dma(struct machine *m)
{
	for (int i = 0; i < m->ndevs; i++)
		if (m->devs[i].desc == &dma_desc)
			return m->devs[i].dev;
	return NULL;
}

/* The mixer's timeline as a device of every board, so that save states
 * carry it (hw/mixer.h); the mixer itself belongs to the frontend and is
 * there only while someone listens. */
struct sound_audio {
	struct mixer *mix;
};

static void audio_save(void *opaque, struct snap *s)
{
	struct sound_audio *a = opaque;
	snap_put_u8(s, a->mix != NULL);
	if (a->mix)
		mixer_save(a->mix, s);
}

static int audio_load(void *opaque, struct snap *s)
{
	struct sound_audio *a = opaque;
	bool had = snap_get_u8(s) != 0;
	if (!snap_ok(s))
		return -1;
	if (!a->mix) {
		s->pos = s->len;	/* nobody listens in this run */
		return 0;
	}
	if (!had)
		mixer_restart(a->mix);
	else if (mixer_load(a->mix, s) < 0)
		return -1;
	/* Where the sound of this run starts on the timeline, for a capture
	 * to be put after the saving run's (docs/savestate.md). */
	log_info("audio: this run's sound starts at frame %llu (%s)",
		 (unsigned long long)mixer_first_frame(a->mix),
		 had ? "the moment of the save, continuing its sound" :
		 "the moment of the save; the state has no sound to continue");
	return 0;
}

static void audio_free(void *opaque)
{
	free(opaque);
}

const struct device_desc sound_audio_desc = {
	.name = "audio",
	.save = audio_save,
	.load = audio_load,
	.free = audio_free,
};

static struct sound_audio *find_audio(struct machine *m)
{
	for (int i = 0; i < m->ndevs; i++)
		if (m->devs[i].desc == &sound_audio_desc)
			return m->devs[i].dev;
	return NULL;
}

int sound_create(struct machine *m, struct irq_line *irqs)
{
	const struct machine_config *c = m->cfg;
	struct sound_audio *audio = calloc(1, sizeof(*audio));
	if (!audio)
		return -1;
	machine_add_device(m, &sound_audio_desc, audio);
	bool xt = strcmp(c->machine, "xt") == 0;
	const char *name = c->sound ? c->sound : xt ? "none" : "sb16";
	int model = sb16_parse_model(name);
	if (model < 0) {
		log_error("--sound: '%s' is not sb1, sb2, sbpro, sbpro2, sb16 or none", name);
		return -1;
	}
	if (model == SB_NONE)
		return 0;
	struct sb_config sc = { .model = model, .base = 0x220, .irq = 5, .dma8 = 1, .dma16 = 5 };
	if (c->sb_base) {
		sc.base = (uint16_t)c->sb_base;
		sc.irq = c->sb_irq;
		sc.dma8 = c->sb_dma;
		sc.dma16 = c->sb_hdma;
	}
	if (xt && (sc.irq > 7 || model == SB_16)) {
		log_error("--sound %s: the xt board has IRQs 0-7 and 8-bit DMA only%s", name,
			  model == SB_16 ? " (use sb1, sb2, sbpro or sbpro2)" : "");
		return -1;
	}
	struct dma *dma = find_dma(m);
	if (!dma) {
		log_error("--sound: this board has no DMA controller");
		return -1;
	}
	m->opl = opl_new(m->clock, model >= SB_PRO2);
	if (!m->opl)
		return -1;
	machine_add_device(m, &opl_desc, m->opl);
	if (opl_map(m->opl, m->io, ADLIB_BASE, model >= SB_PRO2 ? 4 : 2) < 0) {
		log_error("--sound: ports %#x-%#x are taken", ADLIB_BASE, ADLIB_BASE + 3);
		return -1;
	}
	m->sb = sb16_new(m->io, m->clock, irqs, dma, m->opl, &sc);
	if (!m->sb) {
		log_error("--sound %s: bad resources (base %#x: 16-byte aligned and free; "
			  "irq 2-15; dma 0-3; hdma 5-7)", name, sc.base);
		return -1;
	}
	machine_add_device(m, &sb16_desc, m->sb);
	if (m->cdaudio)
		sb16_set_cd_gains(m->sb, cdaudio_set_gains, m->cdaudio);
	/* Owned by the card for its lifetime; one card per machine. */
	struct irq_line *mpu_line = &m->sb_mpu_irq;
	*mpu_line = mpu_line_proto;
	mpu_line->opaque = m->sb;
	m->mpu = mpu401_new(m->io, MPU_BASE, m->clock, mpu_line);
	if (!m->mpu) {
		log_error("--sound: MPU-401 ports %#x-%#x are taken", MPU_BASE, MPU_BASE + 1);
		return -1;
	}
	machine_add_device(m, &mpu401_desc, m->mpu);
	if (c->midi_capture && mpu401_capture(m->mpu, c->midi_capture) < 0) {
		log_error("--midi-capture: cannot write '%s'", c->midi_capture);
		return -1;
	}
	log_info("sound: %s at %#x irq %d dma %d%s, %s at %#x, MPU-401 at %#x", name, sc.base,
		 sc.irq, sc.dma8, model == SB_16 ? (sc.dma16 == 5 ? " hdma 5" :
		 sc.dma16 == 6 ? " hdma 6" : " hdma 7") : "",
		 model >= SB_PRO2 ? "OPL3" : "OPL2", ADLIB_BASE, MPU_BASE);
	return 0;
}

void sound_set_mixer(struct machine *m, struct mixer *mix)
{
	struct sound_audio *a = find_audio(m);
	if (a)
		a->mix = mix;
	if (m->sb)
		sb16_set_mixer(m->sb, mix);
	if (m->opl)
		opl_set_mixer(m->opl, mix);
	if (m->mpu)
		mpu401_set_mixer(m->mpu, mix);
	if (m->cdaudio)
		cdaudio_set_mixer(m->cdaudio, mix);
	if (mix)
		mixer_set_clock(mix, m->clock);
}
