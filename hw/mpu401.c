/* MPU-401 UART mode, MIDI capture and FluidSynth output (hw/mpu401.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#ifdef HAVE_FLUIDSYNTH
#include "hw/fluid_dl.h"
#endif

#include "hw/clock.h"
#include "hw/ioport.h"
#include "hw/irq.h"
#include "hw/mixer.h"
#include "hw/mpu401.h"
#include "util/log.h"
#include "util/snapshot.h"

#define INQ 16
#define SYSEX_MAX 1024
#define SMF_MAX (64u << 20)	/* bytes of track data kept at most */

struct smf {
	uint8_t *buf;
	size_t len, cap;
	uint64_t last_ms;
	bool started, full;
};

struct mpu401 {
	struct clock *clk;
	struct irq_line *irq;
	uint16_t base;
	bool uart;
	uint8_t inq[INQ];
	int in_head, in_len;
	/* MIDI parser */
	uint8_t msg[SYSEX_MAX];
	size_t msg_len, msg_need;	/* msg_need 0: SysEx, until F7h */
	uint8_t running;
	bool in_sysex;
	/* outputs */
	struct smf *smf;
	char *smf_path;
	bool smf_started;
	uint64_t smf_t0;
	struct mixer_source *src;
	uint64_t rendered;
	bool synth_failed;
#ifdef HAVE_FLUIDSYNTH
	const struct fluid_dl *fl;	/* the library, once synthesis starts */
	fluid_settings_t *settings;
	fluid_synth_t *synth;
#endif
};

/* --- standard MIDI file ------------------------------------------------------ */

struct smf *smf_new(void)
{
	return calloc(1, sizeof(struct smf));
}

void smf_free(struct smf *f)
{
	if (!f)
		return;
	free(f->buf);
	free(f);
}

static int smf_put(struct smf *f, const uint8_t *p, size_t n)
{
	if (f->len + n > f->cap) {
		size_t ncap = f->cap ? f->cap : 4096;
		while (ncap < f->len + n)
			ncap *= 2;
		uint8_t *nb = realloc(f->buf, ncap);
		if (!nb)
			return -ENOMEM;
		f->buf = nb;
		f->cap = ncap;
	}
	memcpy(f->buf + f->len, p, n);
	f->len += n;
	return 0;
}

static int smf_vlq(struct smf *f, uint32_t v)
{
	uint8_t b[5];
	int n = 0;
	b[4] = v & 0x7f;
	for (v >>= 7; v; v >>= 7)
		b[4 - ++n] = (uint8_t)(0x80 | (v & 0x7f));
	return smf_put(f, b + 4 - n, (size_t)n + 1);
}

int smf_add(struct smf *f, uint64_t ms, const uint8_t *msg, size_t len)
{
	if (!len || f->full)
		return f->full ? -ENOSPC : 0;
	if (f->len + len + 16 > SMF_MAX) {
		f->full = true;
		return -ENOSPC;
	}
	/* The file starts with the first message, not at power-on. */
	if (!f->started) {
		f->started = true;
		f->last_ms = ms;
	}
	if (ms < f->last_ms)
		ms = f->last_ms;
	uint64_t d = ms - f->last_ms;
	f->last_ms = ms;
	/* Deltas beyond 28 bits (74 hours) are split by no-op waits. */
	int r = smf_vlq(f, d > 0x0fffffff ? 0x0fffffff : (uint32_t)d);
	if (r)
		return r;
	if (msg[0] == 0xf0) {
		r = smf_put(f, msg, 1);
		if (!r)
			r = smf_vlq(f, (uint32_t)(len - 1));
		return r ? r : smf_put(f, msg + 1, len - 1);
	}
	return smf_put(f, msg, len);
}

static void be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

int smf_write(const struct smf *f, FILE *out)
{
	/* Format 0, one track, 1000 ticks per quarter note at a tempo of
	 * one quarter per second: one tick is one millisecond. */
	static const uint8_t tempo[] = { 0x00, 0xff, 0x51, 0x03, 0x0f, 0x42, 0x40 };
	static const uint8_t eot[] = { 0x00, 0xff, 0x2f, 0x00 };
	uint8_t h[22] = { 'M', 'T', 'h', 'd', 0, 0, 0, 6, 0, 0, 0, 1, 0x03, 0xe8,
			  'M', 'T', 'r', 'k' };
	uint32_t tlen = (uint32_t)(sizeof(tempo) + f->len + sizeof(eot));
	be32(h + 18, tlen);
	if (fwrite(h, 1, sizeof(h), out) != sizeof(h) ||
	    fwrite(tempo, 1, sizeof(tempo), out) != sizeof(tempo) ||
	    (f->len && fwrite(f->buf, 1, f->len, out) != f->len) ||
	    fwrite(eot, 1, sizeof(eot), out) != sizeof(eot))
		return -EIO;
	return (int)(sizeof(h) + tlen);
}

/* --- synthesis ------------------------------------------------------------------ */

#ifdef HAVE_FLUIDSYNTH
static const char *const soundfonts[] = {
	"/usr/share/sounds/sf2/default-GM.sf2",
	"/usr/share/sounds/sf2/FluidR3_GM.sf2",
	"/usr/share/sounds/sf3/default-GM.sf3",
};
#endif

static void render(void *opaque)
{
	struct mpu401 *p = opaque;
	uint64_t now = clock_ps_to_ticks(clock_now(p->clk), MIXER_RATE);
#ifdef HAVE_FLUIDSYNTH
	if (p->src && p->synth) {
		if (now - p->rendered > MIXER_RATE)
			p->rendered = now - MIXER_RATE;
		int16_t lr[2 * 512];
		while (p->rendered < now) {
			int n = now - p->rendered < 512 ? (int)(now - p->rendered) : 512;
			p->fl->fluid_synth_write_s16(p->synth, n, lr, 0, 2, lr, 1, 2);
			mixer_source_push_stereo(p->src, lr, (size_t)n);
			p->rendered += (uint64_t)n;
		}
	}
#endif
	p->rendered = now;
}

static bool synth_start(struct mpu401 *p)
{
#ifdef HAVE_FLUIDSYNTH
	if (p->synth)
		return true;
	if (p->synth_failed)
		return false;
	p->synth_failed = true;
	const char *sf = NULL;
	for (size_t i = 0; i < sizeof(soundfonts) / sizeof(soundfonts[0]); i++) {
		FILE *f = fopen(soundfonts[i], "rb");
		if (f) {
			fclose(f);
			sf = soundfonts[i];
			break;
		}
	}
	if (!sf) {
		log_warn("MIDI (MPU-401) is silent: no General MIDI SoundFont "
			 "(apt-get install fluid-soundfont-gm)");
		return false;
	}
	char why[256];
	p->fl = fluid_dl_get(why, sizeof(why));
	if (!p->fl) {
		log_warn("MIDI (MPU-401) is silent: cannot load libfluidsynth: %s", why);
		return false;
	}
	p->fl->fluid_set_log_function(FLUID_WARN, NULL, NULL);
	p->fl->fluid_set_log_function(FLUID_INFO, NULL, NULL);
	p->fl->fluid_set_log_function(FLUID_DBG, NULL, NULL);
	p->settings = p->fl->new_fluid_settings();
	if (!p->settings)
		return false;
	p->fl->fluid_settings_setnum(p->settings, "synth.sample-rate", MIXER_RATE);
	p->fl->fluid_settings_setint(p->settings, "synth.cpu-cores", 1);
	p->synth = p->fl->new_fluid_synth(p->settings);
	if (!p->synth || p->fl->fluid_synth_sfload(p->synth, sf, 1) < 0) {
		log_warn("MIDI (MPU-401) is silent: FluidSynth could not load %s", sf);
		if (p->synth)
			p->fl->delete_fluid_synth(p->synth);
		p->synth = NULL;
		return false;
	}
	p->synth_failed = false;
	p->rendered = clock_ps_to_ticks(clock_now(p->clk), MIXER_RATE);
	mixer_source_start(p->src);	/* sound begins with this message */
	return true;
#else
	if (!p->synth_failed)
		log_warn("MIDI (MPU-401) is silent: tandem was built without libfluidsynth "
			 "(apt-get install libfluidsynth-dev, then ./configure)");
	p->synth_failed = true;
	return false;
#endif
}

static void synth_send(struct mpu401 *p, const uint8_t *m, size_t n)
{
#ifdef HAVE_FLUIDSYNTH
	if (!p->src || !synth_start(p))
		return;
	render(p);
	int ch = m[0] & 15, a = n > 1 ? m[1] : 0, b = n > 2 ? m[2] : 0;
	switch (m[0] & 0xf0) {
	case 0x80: p->fl->fluid_synth_noteoff(p->synth, ch, a); break;
	case 0x90:
		if (b)
			p->fl->fluid_synth_noteon(p->synth, ch, a, b);
		else
			p->fl->fluid_synth_noteoff(p->synth, ch, a);
		break;
	case 0xa0: p->fl->fluid_synth_key_pressure(p->synth, ch, a, b); break;
	case 0xb0: p->fl->fluid_synth_cc(p->synth, ch, a, b); break;
	case 0xc0: p->fl->fluid_synth_program_change(p->synth, ch, a); break;
	case 0xd0: p->fl->fluid_synth_channel_pressure(p->synth, ch, a); break;
	case 0xe0: p->fl->fluid_synth_pitch_bend(p->synth, ch, a | b << 7); break;
	case 0xf0:
		if (m[0] == 0xf0 && n >= 2)
			p->fl->fluid_synth_sysex(p->synth, (const char *)m + 1,
						 (int)(n - (m[n - 1] == 0xf7 ? 2 : 1)),
						 NULL, NULL, NULL, 0);
		else if (m[0] == 0xff)
			p->fl->fluid_synth_system_reset(p->synth);
		break;
	}
#else
	(void)m; (void)n;
	if (p->src)
		synth_start(p);
#endif
}

/* --- MIDI byte stream ------------------------------------------------------------ */

static int data_bytes(uint8_t status)
{
	switch (status & 0xf0) {
	case 0xc0: case 0xd0: return 1;
	case 0xf0:
		switch (status) {
		case 0xf1: case 0xf3: return 1;
		case 0xf2: return 2;
		default: return 0;
		}
	}
	return 2;
}

static void message(struct mpu401 *p, const uint8_t *m, size_t n)
{
	if (p->smf) {
		/* Milliseconds from the first message, so the file does not
		 * depend on how long the machine took to get there. */
		uint64_t now = clock_now(p->clk);
		if (!p->smf_started) {
			p->smf_started = true;
			p->smf_t0 = now;
		}
		smf_add(p->smf, (now - p->smf_t0) / 1000000000ull, m, n);
	}
	synth_send(p, m, n);
}

static void midi_byte(struct mpu401 *p, uint8_t b)
{
	if (b >= 0xf8) {
		message(p, &b, 1);	/* real time: may interleave anything */
		return;
	}
	if (p->in_sysex) {
		if (!(b & 0x80)) {
			if (p->msg_len < SYSEX_MAX)
				p->msg[p->msg_len++] = b;
			return;
		}
		/* F7h ends it; any other status ends it unterminated. */
		if (b == 0xf7 && p->msg_len < SYSEX_MAX)
			p->msg[p->msg_len++] = b;
		p->in_sysex = false;
		message(p, p->msg, p->msg_len);
		p->msg_len = 0;
		if (b == 0xf7)
			return;
	}
	if (b & 0x80) {
		p->msg[0] = b;
		p->msg_len = 1;
		if (b == 0xf0) {
			p->in_sysex = true;
			p->running = 0;
			return;
		}
		p->running = b < 0xf0 ? b : 0;
		p->msg_need = (size_t)data_bytes(b) + 1;
	} else {
		if (p->msg_len == 0) {
			if (!p->running)
				return;	/* data without a status: dropped */
			p->msg[0] = p->running;
			p->msg_len = 1;
			p->msg_need = (size_t)data_bytes(p->running) + 1;
		}
		p->msg[p->msg_len++] = b;
	}
	if (p->msg_len == p->msg_need) {
		message(p, p->msg, p->msg_len);
		p->msg_len = 0;
	}
}

/* --- ports ------------------------------------------------------------------------ */

static void update_irq(struct mpu401 *p)
{
	if (p->irq)
		irq_set(p->irq, p->in_len > 0);
}

static void in_put(struct mpu401 *p, uint8_t v)
{
	if (p->in_len < INQ) {
		p->inq[(p->in_head + p->in_len) % INQ] = v;
		p->in_len++;
	}
	update_irq(p);
}

uint8_t mpu401_read(struct mpu401 *p, int offset)
{
	if (offset & 1)
		return (uint8_t)(0x3f | (p->in_len ? 0 : 0x80));	/* output always ready */
	if (!p->in_len)
		return 0xff;
	uint8_t v = p->inq[p->in_head];
	p->in_head = (p->in_head + 1) % INQ;
	p->in_len--;
	update_irq(p);
	return v;
}

void mpu401_write(struct mpu401 *p, int offset, uint8_t v)
{
	if (!(offset & 1)) {
		if (p->uart)
			midi_byte(p, v);
		return;
	}
	switch (v) {
	case 0xff:
		p->uart = false;
		p->in_len = 0;
		p->msg_len = 0;
		p->running = 0;
		p->in_sysex = false;
		in_put(p, 0xfe);
		break;
	case 0x3f:
		if (!p->uart) {
			p->uart = true;
			in_put(p, 0xfe);
		}
		break;
	case 0xac:	/* version */
		if (!p->uart) {
			in_put(p, 0xfe);
			in_put(p, 0x15);
		}
		break;
	case 0xad:	/* revision */
		if (!p->uart) {
			in_put(p, 0xfe);
			in_put(p, 0x01);
		}
		break;
	default:
		if (!p->uart)
			in_put(p, 0xfe);
		break;
	}
}

static uint32_t port_read(void *opaque, uint16_t port, int size)
{
	struct mpu401 *p = opaque;
	(void)size;
	return mpu401_read(p, port - p->base);
}

static void port_write(void *opaque, uint16_t port, uint32_t val, int size)
{
	struct mpu401 *p = opaque;
	(void)size;
	mpu401_write(p, port - p->base, (uint8_t)val);
}

static const struct ioport_ops mpu_ops = { .read = port_read, .write = port_write };

struct mpu401 *mpu401_new(struct ioport_bus *io, uint16_t base, struct clock *clk,
			  struct irq_line *irq)
{
	struct mpu401 *p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->clk = clk;
	p->irq = irq;
	p->base = base;
	if (ioport_register(io, base, 2, &mpu_ops, p) < 0) {
		free(p);
		return NULL;
	}
	return p;
}

int mpu401_capture(struct mpu401 *p, const char *path)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return -errno;
	fclose(f);
	p->smf = smf_new();
	p->smf_path = strdup(path);
	if (!p->smf || !p->smf_path)
		return -ENOMEM;
	return 0;
}

void mpu401_set_mixer(struct mpu401 *p, struct mixer *mix)
{
	mixer_source_free(p->src);
	p->src = NULL;
	if (!mix)
		return;
	p->rendered = clock_ps_to_ticks(clock_now(p->clk), MIXER_RATE);
	p->src = mixer_source_new(mix, "mpu401", MIXER_RATE, render, p);
}

static void mpu_reset(void *opaque)
{
	struct mpu401 *p = opaque;
	p->uart = false;
	p->in_len = p->in_head = 0;
	p->msg_len = 0;
	p->running = 0;
	p->in_sysex = false;
	update_irq(p);
}

static void mpu_save(void *opaque, struct snap *s)
{
	struct mpu401 *p = opaque;
	snap_put_u8(s, p->uart);
	snap_put_bytes(s, p->inq, INQ);
	snap_put_u8(s, (uint8_t)p->in_head);
	snap_put_u8(s, (uint8_t)p->in_len);
	snap_put_u8(s, p->running);
}

static int mpu_load(void *opaque, struct snap *s)
{
	struct mpu401 *p = opaque;
	p->uart = snap_get_u8(s) != 0;
	snap_get_bytes(s, p->inq, INQ);
	p->in_head = snap_get_u8(s) % INQ;
	p->in_len = snap_get_u8(s);
	p->running = snap_get_u8(s);
	if (!snap_ok(s) || p->in_len > INQ || (p->running && p->running < 0x80))
		return -1;
	p->msg_len = 0;
	p->in_sysex = false;
	update_irq(p);
	return 0;
}

static void mpu_free(void *opaque)
{
	struct mpu401 *p = opaque;
	if (p->smf) {
		FILE *f = fopen(p->smf_path, "wb");
		if (!f || smf_write(p->smf, f) < 0 || fclose(f) != 0)
			log_error("--midi-capture: writing %s failed", p->smf_path);
		smf_free(p->smf);
	}
	free(p->smf_path);
	mixer_source_free(p->src);
#ifdef HAVE_FLUIDSYNTH
	if (p->synth)
		p->fl->delete_fluid_synth(p->synth);
	if (p->settings)
		p->fl->delete_fluid_settings(p->settings);
#endif
	free(p);
}

const struct device_desc mpu401_desc = {
	.name = "mpu401",
	.reset = mpu_reset,
	.save = mpu_save,
	.load = mpu_load,
	.free = mpu_free,
};
