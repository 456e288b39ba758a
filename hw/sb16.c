/* Sound Blaster DSP, mixer chip and DMA playback (see hw/sb16.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "hw/clock.h"
#include "hw/dma8237.h"
#include "hw/ioport.h"
#include "hw/irq.h"
#include "hw/mixer.h"
#include "hw/opl.h"
#include "hw/sb16.h"
#include "util/snapshot.h"

#define MS_PS (1000ull * 1000 * 1000)
#define OUTQ 64
#define CHUNK 1024

struct sb16 {
	struct clock *clk;
	struct ioport_bus *io;
	struct irq_line *irqs;
	struct dma *dma;
	struct opl *opl;
	struct sb_config cfg;	/* irq, dma8, dma16 follow mixer 80h/81h */
	struct timer *timer;

	/* DSP */
	uint8_t reset_latch;
	uint8_t outq[OUTQ];
	int out_head, out_len;
	uint8_t cmd;
	int nargs, nhave;	/* nargs < 0: no command pending */
	uint8_t args[4];
	uint8_t test_reg;
	bool speaker;
	uint8_t tc;
	uint32_t rate;		/* frames per second for the next transfer */
	uint16_t block;		/* 48h: bytes - 1 */
	bool highspeed;		/* SB2/Pro high-speed: commands ignored */
	bool irq8, irq16, irqmpu;

	/* the one DMA transfer */
	bool active, paused, autoinit, bits16, stereo, sign, input, exit_pending;
	int adpcm;		/* 0, or bits per code: 2, 3 (2.6-bit), 4 */
	bool adpcm_ref;		/* the next byte is a reference sample */
	uint8_t adpcm_val;
	int adpcm_level;
	int16_t pend[4];	/* decoded ADPCM samples not yet played */
	int npend, pend_pos;
	uint32_t play_rate;
	uint32_t block_bytes;
	uint64_t t0;		/* time of frame 0 */
	uint64_t frames_done, block_end;
	uint32_t left;		/* bytes of the current block not yet read */

	/* direct DAC (command 10h) */
	uint8_t dac;
	uint64_t dac_done;	/* MIXER_RATE samples rendered */

	/* mixer chip */
	uint8_t mix_idx;
	uint8_t mixreg[256];

	struct mixer_source *src_dma, *src_dac;
	/* The CD-ROM drive's audio comes in through the CD level. */
	void (*cd_gains)(void *opaque, int left, int right);
	void *cd_opaque;
	uint8_t buf[CHUNK];
	int16_t sbuf[CHUNK];
};

static const char *const model_names[] = { "none", "sb1", "sb2", "sbpro", "sbpro2", "sb16" };

int sb16_parse_model(const char *s)
{
	for (int i = 0; i < 6; i++)
		if (strcmp(s, model_names[i]) == 0)
			return i;
	return -1;
}

const char *sb16_model_name(enum sb_model m)
{
	return (unsigned)m < 6 ? model_names[m] : "?";
}

static bool is16(const struct sb16 *sb) { return sb->cfg.model == SB_16; }
static bool has_mixer(const struct sb16 *sb) { return sb->cfg.model >= SB_PRO; }

/* --- interrupts ----------------------------------------------------------- */

static void update_irq(struct sb16 *sb)
{
	int n = sb->cfg.irq;
	if (n >= 0 && n < 16)
		irq_set(&sb->irqs[n], sb->irq8 || sb->irq16 || sb->irqmpu);
}

static void set_irq_number(struct sb16 *sb, int n)
{
	if (n == sb->cfg.irq)
		return;
	if (sb->cfg.irq >= 0 && sb->cfg.irq < 16)
		irq_lower(&sb->irqs[sb->cfg.irq]);
	sb->cfg.irq = n;
	update_irq(sb);
}

void sb16_mpu_irq(struct sb16 *sb, int level)
{
	sb->irqmpu = level != 0;
	update_irq(sb);
}

/* --- output queue ----------------------------------------------------------- */

static void out_put(struct sb16 *sb, uint8_t v)
{
	if (sb->out_len == OUTQ)
		return;		/* a flood of queries: the card drops them too */
	sb->outq[(sb->out_head + sb->out_len) % OUTQ] = v;
	sb->out_len++;
}

static uint8_t out_get(struct sb16 *sb)
{
	if (!sb->out_len)
		return sb->out_head ? sb->outq[(sb->out_head + OUTQ - 1) % OUTQ] : 0xff;
	uint8_t v = sb->outq[sb->out_head];
	sb->out_head = (sb->out_head + 1) % OUTQ;
	sb->out_len--;
	return v;
}

/* --- mixer chip --------------------------------------------------------------- */

/* Gain (1/256) of an SB16 5-bit level: 2 dB a step below 31; 0 is off. */
static int level_gain(int lvl)
{
	if (lvl <= 0)
		return 0;
	return (int)lround(256.0 * pow(10.0, (lvl - 31) * 2.0 / 20.0));
}

/* Left (ch 0) or right (ch 1) gain of a stereo pair of SB16 levels in
 * registers l and l + 1 (value >> 3). */
static int pair_gain(const struct sb16 *sb, int l, int ch)
{
	return level_gain(sb->mixreg[l + ch] >> 3);
}

/* Left (ch 0: high nibble) or right (ch 1: low nibble) gain of an SB Pro
 * register, as a level: n -> 2n+1 as the SB16 maps its legacy registers. */
static int nib_gain(uint8_t v, int ch)
{
	int n = ch ? v & 15 : v >> 4;
	return level_gain(n ? 2 * n + 1 : 0);
}

static void advance(struct sb16 *sb);
static void dac_update(void *opaque);

/* Hands the mixer chip's volumes, left and right apart (the card's
 * balance), to the sources. */
static void set_gains(struct sb16 *sb)
{
	int voice[2] = { 256, 256 }, fm[2] = { 256, 256 }, cd[2] = { 256, 256 };
	for (int ch = 0; ch < 2; ch++) {
		if (is16(sb)) {
			int master = pair_gain(sb, 0x30, ch);
			voice[ch] = master * pair_gain(sb, 0x32, ch) / 256;
			fm[ch] = master * pair_gain(sb, 0x34, ch) / 256;
			cd[ch] = master * pair_gain(sb, 0x36, ch) / 256;
		} else if (has_mixer(sb)) {
			int master = nib_gain(sb->mixreg[0x22], ch);
			voice[ch] = master * nib_gain(sb->mixreg[0x04], ch) / 256;
			fm[ch] = master * nib_gain(sb->mixreg[0x26], ch) / 256;
			cd[ch] = master * nib_gain(sb->mixreg[0x28], ch) / 256;
		}
	}
	if (sb->cd_gains)
		sb->cd_gains(sb->cd_opaque, cd[0], cd[1]);
	if (sb->src_dma)
		mixer_source_set_gains(sb->src_dma, voice[0], voice[1]);
	if (sb->src_dac)
		mixer_source_set_gains(sb->src_dac, voice[0], voice[1]);
	if (sb->opl)
		opl_set_gains(sb->opl, fm[0], fm[1]);
}

/* Volumes apply from now on: what was played before keeps its level. */
static void apply_gains(struct sb16 *sb)
{
	advance(sb);
	dac_update(sb);
	set_gains(sb);
}

static uint8_t irq_select_bits(int irq)
{
	switch (irq) {
	case 2: case 9: return 1;
	case 5: return 2;
	case 7: return 4;
	case 10: return 8;
	}
	return 0;
}

static void mixer_defaults(struct sb16 *sb)
{
	memset(sb->mixreg, 0, sizeof(sb->mixreg));
	if (is16(sb)) {
		/* CD at the level of the others (the CT1745 resets it to 0,
		 * but DOS games rarely set it: DOSBox does the same). */
		for (int r = 0x30; r <= 0x37; r++)
			sb->mixreg[r] = 0xc0;
		sb->mixreg[0x3c] = 0x1f;
		sb->mixreg[0x3d] = 0x15;
		sb->mixreg[0x3e] = 0x0b;
		for (int r = 0x44; r <= 0x47; r++)
			sb->mixreg[r] = 0x80;
		sb->mixreg[0x80] = irq_select_bits(sb->cfg.irq);
		sb->mixreg[0x81] = (uint8_t)((1 << sb->cfg.dma8) | (1 << sb->cfg.dma16));
	} else {
		sb->mixreg[0x04] = sb->mixreg[0x22] = sb->mixreg[0x26] = sb->mixreg[0x28] = 0x99;
	}
	apply_gains(sb);
}

/* SB16 legacy registers and the 5-bit pairs they mirror. */
static int legacy_pair(uint8_t idx)
{
	switch (idx) {
	case 0x04: return 0x32;
	case 0x22: return 0x30;
	case 0x26: return 0x34;
	case 0x28: return 0x36;
	case 0x2e: return 0x38;
	}
	return 0;
}

static uint8_t mix_read(struct sb16 *sb)
{
	uint8_t i = sb->mix_idx;
	if (is16(sb)) {
		int p = legacy_pair(i);
		if (p)
			return (uint8_t)((sb->mixreg[p] & 0xf0) | (sb->mixreg[p + 1] >> 4));
		if (i == 0x0a)
			return sb->mixreg[0x3a] >> 5;
		if (i == 0x82)
			return (uint8_t)(sb->irq8 | sb->irq16 << 1 | sb->irqmpu << 2);
		if (i == 0x80)
			return sb->mixreg[0x80] | 0xf0;
	}
	return sb->mixreg[i];
}

static void mixer_write_reg(struct sb16 *sb, uint8_t v)
{
	uint8_t i = sb->mix_idx;
	if (i == 0x00) {
		mixer_defaults(sb);
		return;
	}
	if (is16(sb)) {
		int p = legacy_pair(i);
		if (p) {
			sb->mixreg[p] = (uint8_t)((v & 0xf0) | 0x08);
			sb->mixreg[p + 1] = (uint8_t)((v << 4) | 0x08);
		} else if (i == 0x0a) {
			sb->mixreg[0x3a] = (uint8_t)((v & 7) << 5);
		} else if (i == 0x80) {
			static const int irq_of[4] = { 9, 5, 7, 10 };
			v &= 0x0f;
			for (int b = 0; b < 4; b++) {
				if (v & (1 << b)) {
					set_irq_number(sb, irq_of[b]);
					break;
				}
			}
			sb->mixreg[0x80] = v;
		} else if (i == 0x81) {
			v &= 0xeb;	/* channels 0, 1, 3, 5, 6, 7 */
			for (int b = 0; b < 4; b++)
				if (v & (1 << b)) {
					sb->cfg.dma8 = b;
					break;
				}
			for (int b = 5; b < 8; b++)
				if (v & (1 << b)) {
					sb->cfg.dma16 = b;
					break;
				}
			sb->mixreg[0x81] = v;
		} else if (i == 0x82) {
			return;		/* read-only */
		} else {
			sb->mixreg[i] = v;
		}
	} else {
		sb->mixreg[i] = v;
	}
	apply_gains(sb);
}

/* --- DMA playback ------------------------------------------------------------ */

static int bytes_per_frame(const struct sb16 *sb)
{
	return (sb->bits16 ? 2 : 1) * (sb->stereo ? 2 : 1);
}

static int codes_per_byte(int adpcm)
{
	return adpcm == 4 ? 2 : adpcm == 3 ? 3 : 4;
}

static uint64_t frames_in_block(const struct sb16 *sb, uint32_t bytes, bool ref)
{
	if (sb->adpcm) {
		uint32_t r = ref ? 1 : 0;
		return r + (uint64_t)(bytes - r) * codes_per_byte(sb->adpcm);
	}
	uint64_t f = bytes / bytes_per_frame(sb);
	return f ? f : 1;
}

static int dma_channel(const struct sb16 *sb)
{
	return sb->bits16 && is16(sb) ? sb->cfg.dma16 : sb->cfg.dma8;
}

/* Moves up to n bytes of the current block; fewer when the channel is not
 * serviced (masked, controller off, beyond the 8237's reach). */
static uint32_t dma_io(struct sb16 *sb, uint8_t *p, uint32_t n)
{
	int ch = dma_channel(sb);
	uint32_t done = 0;
	if (sb->input)
		memset(p, sb->bits16 ? 0 : 0x80, n);
	/* An auto-init channel ends at terminal count and reloads, so a
	 * transfer may take more than one call; two in a row moving nothing
	 * means the channel is not being serviced. */
	for (int tries = 0; done < n && tries < 4; tries++) {
		uint32_t got = dma_transfer(sb->dma, ch, p + done, n - done,
					    sb->input ? DMA_TO_MEM : DMA_FROM_MEM);
		done += got;
		if (!got)
			break;
	}
	return done;
}

/* Creative ADPCM: a sign bit and a magnitude per code; the step doubles
 * after a large code and halves after a zero one. */
static void adpcm_decode(struct sb16 *sb, uint8_t byte)
{
	int bits = sb->adpcm == 3 ? 3 : sb->adpcm;	/* 2.6-bit: 3+3+2 */
	int maxlvl = sb->adpcm == 4 ? 3 : sb->adpcm == 3 ? 4 : 5;
	int ncodes = codes_per_byte(sb->adpcm);
	int shift = 8;
	sb->npend = 0;
	sb->pend_pos = 0;
	for (int k = 0; k < ncodes; k++) {
		int w = (sb->adpcm == 3 && k == 2) ? 2 : bits;
		shift -= w;
		int code = (byte >> shift) & ((1 << w) - 1);
		if (w < bits)
			code <<= 1;	/* the last 2.6-bit code lacks its low bit */
		int magbits = bits - 1;
		int mag = code & ((1 << magbits) - 1);
		int neg = code >> magbits;
		int lvl = sb->adpcm_level;
		int delta = lvl == 0 ? mag : (2 * mag + 1) << (lvl - 1);
		int v = sb->adpcm_val + (neg ? -delta : delta);
		sb->adpcm_val = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
		if (mag == (1 << magbits) - 1 && lvl < maxlvl)
			sb->adpcm_level++;
		else if (mag == 0 && lvl > 0)
			sb->adpcm_level--;
		sb->pend[sb->npend++] = (int16_t)((sb->adpcm_val - 128) * 256);
	}
}

/* One frame as a left/right pair (a mono frame on both sides). */
static void pcm_frame(const struct sb16 *sb, const uint8_t *p, int16_t *lr)
{
	int32_t l, r;
	if (sb->bits16) {
		l = (int16_t)(p[0] | p[1] << 8);
		r = sb->stereo ? (int16_t)(p[2] | p[3] << 8) : l;
		if (!sb->sign) {
			l = (int16_t)(l ^ 0x8000);
			r = (int16_t)(r ^ 0x8000);
		}
	} else {
		l = sb->sign ? (int8_t)p[0] * 256 : (p[0] - 128) * 256;
		uint8_t b = sb->stereo ? p[1] : p[0];
		r = sb->sign ? (int8_t)b * 256 : (b - 128) * 256;
	}
	lr[0] = (int16_t)l;
	lr[1] = (int16_t)r;
}

/* n frames of left/right pairs. */
static void emit(struct sb16 *sb, const int16_t *lr, size_t n)
{
	if (!sb->src_dma || sb->input)
		return;
	if (!sb->speaker && !is16(sb)) {
		static const int16_t zero[CHUNK];
		mixer_source_push_stereo(sb->src_dma, zero, n);
		return;
	}
	mixer_source_push_stereo(sb->src_dma, lr, n);
}

/* Restarts frame counting at now (after a stall, pause or rate change). */
static void rebase(struct sb16 *sb)
{
	sb->block_end -= sb->frames_done;
	sb->frames_done = 0;
	sb->t0 = clock_now(sb->clk);
	if (sb->src_dma)
		mixer_source_start(sb->src_dma);	/* the pause was silence */
}

/* ADPCM: the next decoded sample, reading a byte when needed; false when
 * the block's bytes are used up or the channel stalls. */
static bool adpcm_next(struct sb16 *sb, int16_t *out)
{
	if (sb->pend_pos == sb->npend) {
		uint8_t b;
		if (!sb->left || dma_io(sb, &b, 1) != 1)
			return false;
		sb->left--;
		if (sb->adpcm_ref) {
			sb->adpcm_ref = false;
			sb->adpcm_val = b;
			sb->adpcm_level = 0;
			sb->pend[0] = (int16_t)((b - 128) * 256);
			sb->npend = 1;
			sb->pend_pos = 0;
		} else {
			adpcm_decode(sb, b);
		}
	}
	*out = sb->pend[sb->pend_pos++];
	return true;
}

/* Plays frames up to `due`; false if the DMA channel stalled. */
static bool play_frames(struct sb16 *sb, uint64_t due)
{
	while (sb->frames_done < due) {
		uint64_t want = due - sb->frames_done;
		if (want > CHUNK / 4)
			want = CHUNK / 4;
		size_t n = 0;
		bool stalled = false;
		if (sb->adpcm) {
			while (n < want && !stalled) {
				if (adpcm_next(sb, &sb->sbuf[2 * n])) {
					sb->sbuf[2 * n + 1] = sb->sbuf[2 * n];
					n++;
				} else if (sb->left) {
					stalled = true;
				} else {
					break;
				}
			}
		} else {
			int bpf = bytes_per_frame(sb);
			uint32_t bytes = (uint32_t)want * bpf;
			if (bytes > sb->left)
				bytes = sb->left - sb->left % bpf;
			uint32_t got = bytes ? dma_io(sb, sb->buf, bytes) : 0;
			sb->left -= got;
			n = got / bpf;
			for (size_t i = 0; i < n; i++)
				pcm_frame(sb, sb->buf + i * bpf, sb->sbuf + 2 * i);
			/* A frame cut by a stall loses its first bytes. */
			stalled = bytes && got < bytes;
		}
		emit(sb, sb->sbuf, n);
		sb->frames_done += n;
		if (stalled)
			return false;
		if (n < want) {
			/* The block's bytes ran out before its frame count (an odd
			 * byte count in 16-bit or stereo mode): it ends here. */
			sb->left = 0;
			sb->frames_done = sb->block_end;
			return true;
		}
	}
	return true;
}

static void schedule(struct sb16 *sb);

static void block_done(struct sb16 *sb)
{
	if (sb->bits16)
		sb->irq16 = true;
	else
		sb->irq8 = true;
	update_irq(sb);
	if (sb->autoinit && !sb->exit_pending) {
		sb->left = sb->block_bytes;
		sb->block_end += frames_in_block(sb, sb->block_bytes, false);
	} else {
		sb->active = false;
		sb->highspeed = false;
	}
}

/* Brings the transfer up to the present. */
static void advance(struct sb16 *sb)
{
	for (int guard = 0; sb->active && !sb->paused && guard < 64; guard++) {
		uint64_t now = clock_now(sb->clk);
		uint64_t due = clock_ps_to_ticks(now - sb->t0, sb->play_rate);
		if (due > sb->block_end)
			due = sb->block_end;
		if (!play_frames(sb, due)) {
			rebase(sb);	/* stalled: the DSP waits for DMA */
			return;
		}
		if (sb->frames_done < sb->block_end)
			return;
		block_done(sb);
	}
}

static void schedule(struct sb16 *sb)
{
	if (!sb->active || sb->paused) {
		timer_del(sb->timer);
		return;
	}
	uint64_t now = clock_now(sb->clk);
	uint64_t end = sb->t0 + clock_ticks_to_ps(sb->block_end, sb->play_rate);
	uint64_t next = now + MS_PS;
	timer_mod(sb->timer, end > now && end < next ? end : next);
}

static void sb_timer(void *opaque)
{
	struct sb16 *sb = opaque;
	advance(sb);
	schedule(sb);
}

static void dma_update(void *opaque)
{
	advance(opaque);
}

static void dac_update(void *opaque)
{
	struct sb16 *sb = opaque;
	uint64_t now = clock_ps_to_ticks(clock_now(sb->clk), MIXER_RATE);
	if (!sb->src_dac) {
		sb->dac_done = now;
		return;
	}
	if (now - sb->dac_done > MIXER_RATE)
		sb->dac_done = now - MIXER_RATE;
	int16_t v = (sb->speaker || is16(sb)) ? (int16_t)((sb->dac - 128) * 256) : 0;
	while (sb->dac_done < now) {
		size_t n = now - sb->dac_done < CHUNK ? (size_t)(now - sb->dac_done) : CHUNK;
		for (size_t i = 0; i < n; i++)
			sb->sbuf[i] = v;
		mixer_source_push(sb->src_dac, sb->sbuf, n);
		sb->dac_done += n;
	}
}

static void start_transfer(struct sb16 *sb, bool bits16, bool autoinit, uint32_t bytes,
			   bool stereo, bool sign, bool input, int adpcm, bool ref)
{
	advance(sb);
	sb->active = true;
	sb->paused = false;
	sb->exit_pending = false;
	sb->bits16 = bits16;
	sb->autoinit = autoinit;
	sb->stereo = stereo;
	sb->sign = sign;
	sb->input = input;
	sb->adpcm = adpcm;
	sb->adpcm_ref = ref;
	sb->npend = sb->pend_pos = 0;
	sb->block_bytes = bytes;
	sb->left = bytes;
	sb->frames_done = 0;
	sb->block_end = frames_in_block(sb, bytes, ref);
	uint32_t rate = sb->rate;
	/* SB Pro stereo: the time constant counts both channels. */
	if (stereo && !bits16 && !is16(sb))
		rate /= 2;
	sb->play_rate = rate ? rate : 1;
	sb->t0 = clock_now(sb->clk);
	if (sb->src_dma) {
		mixer_source_set_rate(sb->src_dma, sb->play_rate);
		mixer_source_start(sb->src_dma);
	}
	schedule(sb);
}

/* --- DSP commands ------------------------------------------------------------ */

static int dsp_args(const struct sb16 *sb, uint8_t c)
{
	enum sb_model m = sb->cfg.model;
	if (c >= 0xb0 && c <= 0xcf)
		return m == SB_16 ? 3 : -1;
	switch (c) {
	case 0x10: case 0x38: case 0x40: case 0xe0: case 0xe4: case 0xe2:
		return 1;
	case 0x14: case 0x16: case 0x17: case 0x74: case 0x75: case 0x76: case 0x77:
	case 0x24: case 0x80:
		return 2;
	case 0x48:
		return m >= SB_2 ? 2 : -1;
	case 0x1c: case 0x1f: case 0x7d: case 0x7f: case 0x2c:
		return m >= SB_2 ? 0 : -1;
	case 0x90: case 0x91: case 0x98: case 0x99:
		return m >= SB_2 ? 0 : -1;
	case 0x41: case 0x42:
		return m == SB_16 ? 2 : -1;
	case 0xd5: case 0xd6: case 0xd9: case 0xf3:
		return m == SB_16 ? 0 : -1;
	case 0xe3:
		return m == SB_16 ? 0 : -1;
	case 0xa0: case 0xa8:
		return m == SB_PRO || m == SB_PRO2 ? 0 : -1;
	case 0x20: case 0xd0: case 0xd1: case 0xd3: case 0xd4: case 0xd8: case 0xda:
	case 0xe1: case 0xe8: case 0xf2: case 0xf8: case 0x30: case 0x31: case 0x34:
	case 0x35: case 0x36: case 0x37:
		return 0;
	}
	return -1;	/* not a command on this model: ignored */
}

static const uint8_t versions[6][2] = {
	{ 0, 0 }, { 1, 5 }, { 2, 1 }, { 3, 2 }, { 3, 2 }, { 4, 5 },
};

static void set_rate_tc(struct sb16 *sb, uint8_t tc)
{
	sb->tc = tc;
	sb->rate = 1000000u / (256u - tc);
}

static void dsp_exec(struct sb16 *sb)
{
	uint8_t c = sb->cmd, *a = sb->args;
	uint32_t len16 = (uint32_t)(a[0] | a[1] << 8) + 1;
	uint32_t blk = (uint32_t)sb->block + 1;
	bool pro_stereo = has_mixer(sb) && !is16(sb) && (sb->mixreg[0x0e] & 2);

	if (c >= 0xb0 && c <= 0xcf) {
		/* Bx: 16-bit, Cx: 8-bit; bit 3 input, bit 2 auto-init; mode
		 * bit 4 signed, bit 5 stereo; length in samples. */
		bool b16 = c < 0xc0;
		uint32_t n = (uint32_t)(a[1] | a[2] << 8) + 1;
		start_transfer(sb, b16, c & 4, b16 ? n * 2 : n, a[0] & 0x20, a[0] & 0x10,
			       c & 8, 0, false);
		return;
	}
	switch (c) {
	case 0x10:
		dac_update(sb);
		sb->dac = a[0];
		break;
	case 0x14: case 0x24:
		start_transfer(sb, false, false, len16, pro_stereo, false, c == 0x24, 0, false);
		break;
	case 0x1c: case 0x2c:
		start_transfer(sb, false, true, blk, pro_stereo, false, c == 0x2c, 0, false);
		break;
	case 0x90: case 0x91: case 0x98: case 0x99:
		start_transfer(sb, false, !(c & 1), blk, pro_stereo, false, c >= 0x98, 0, false);
		if (!is16(sb))
			sb->highspeed = true;
		break;
	case 0x16: case 0x17:
		start_transfer(sb, false, false, len16, false, false, false, 2, c & 1);
		break;
	case 0x74: case 0x75:
		start_transfer(sb, false, false, len16, false, false, false, 4, c & 1);
		break;
	case 0x76: case 0x77:
		start_transfer(sb, false, false, len16, false, false, false, 3, c & 1);
		break;
	case 0x1f: case 0x7d: case 0x7f:
		start_transfer(sb, false, true, blk, false, false, false,
			       c == 0x7d ? 4 : c == 0x7f ? 3 : 2, true);
		break;
	case 0x80:
		/* Silence: a transfer that reads nothing but interrupts. */
		start_transfer(sb, false, false, len16, false, false, true, 0, false);
		sb->input = false;
		break;
	case 0x40:
		set_rate_tc(sb, a[0]);
		break;
	case 0x41: case 0x42:
		sb->rate = (uint32_t)(a[0] << 8 | a[1]);
		if (sb->rate < 1000)
			sb->rate = 1000;
		if (sb->rate > 48000)
			sb->rate = 48000;
		break;
	case 0x48:
		sb->block = (uint16_t)(a[0] | a[1] << 8);
		break;
	case 0xd0: case 0xd5:
		advance(sb);
		sb->paused = sb->active;
		schedule(sb);
		break;
	case 0xd4: case 0xd6:
		if (sb->paused) {
			sb->paused = false;
			rebase(sb);
			schedule(sb);
		}
		break;
	case 0xd9: case 0xda:
		sb->exit_pending = true;
		break;
	case 0xd1: sb->speaker = true; break;
	case 0xd3: sb->speaker = false; break;
	case 0xd8: out_put(sb, sb->speaker ? 0xff : 0x00); break;
	case 0x20: out_put(sb, 0x80); break;
	case 0xe0: out_put(sb, (uint8_t)~a[0]); break;
	case 0xe1:
		out_put(sb, versions[sb->cfg.model][0]);
		out_put(sb, versions[sb->cfg.model][1]);
		break;
	case 0xe3: {
		static const char c_str[] = "COPYRIGHT (C) CREATIVE TECHNOLOGY LTD, 1992.";
		for (size_t i = 0; i < sizeof(c_str); i++)
			out_put(sb, (uint8_t)c_str[i]);
		break;
	}
	case 0xe4: sb->test_reg = a[0]; break;
	case 0xe8: out_put(sb, sb->test_reg); break;
	case 0xf2: sb->irq8 = true; update_irq(sb); break;
	case 0xf3: sb->irq16 = true; update_irq(sb); break;
	case 0xf8: out_put(sb, 0); break;
	default:
		break;	/* MIDI, input mode, DMA identification: accepted, no effect */
	}
}

static void dsp_reset(struct sb16 *sb)
{
	advance(sb);
	sb->active = sb->paused = sb->highspeed = false;
	timer_del(sb->timer);
	sb->nargs = -1;
	sb->out_len = sb->out_head = 0;
	sb->speaker = is16(sb);
	sb->irq8 = sb->irq16 = false;
	update_irq(sb);
	set_rate_tc(sb, 0xa5);	/* about 11 kHz */
	sb->block = 0x7ff;
	sb->dac = 0x80;
}

static void dsp_write(struct sb16 *sb, uint8_t v)
{
	if (sb->highspeed) {
		advance(sb);
		if (sb->highspeed)
			return;	/* only a reset ends high-speed mode */
	}
	if (sb->nargs < 0) {
		int n = dsp_args(sb, v);
		if (n < 0)
			return;
		sb->cmd = v;
		sb->nargs = n;
		sb->nhave = 0;
	} else {
		sb->args[sb->nhave++] = v;
	}
	if (sb->nhave == sb->nargs) {
		sb->nargs = -1;
		dsp_exec(sb);
	}
}

/* --- ports ------------------------------------------------------------------ */

uint8_t sb16_read(struct sb16 *sb, int offset)
{
	switch (offset & 15) {
	case 0: case 1: case 2: case 3:
		if (sb->opl && has_mixer(sb))
			return opl_read(sb->opl, offset & 3);
		return 0xff;
	case 8: case 9:
		return sb->opl ? opl_read(sb->opl, offset & 1) : 0xff;
	case 5:
		return has_mixer(sb) ? mix_read(sb) : 0xff;
	case 4:
		return has_mixer(sb) ? sb->mix_idx : 0xff;
	case 0xa:
		return out_get(sb);
	case 0xc:
		advance(sb);
		return 0x7f;	/* always ready for a command */
	case 0xe:
		advance(sb);
		sb->irq8 = false;
		update_irq(sb);
		return sb->out_len ? 0xff : 0x7f;
	case 0xf:
		if (!is16(sb))
			return 0xff;
		advance(sb);
		sb->irq16 = false;
		update_irq(sb);
		return 0xff;
	}
	return 0xff;
}

void sb16_write(struct sb16 *sb, int offset, uint8_t v)
{
	switch (offset & 15) {
	case 0: case 1: case 2: case 3:
		if (sb->opl && has_mixer(sb))
			opl_write(sb->opl, offset & 3, v);
		break;
	case 8: case 9:
		if (sb->opl)
			opl_write(sb->opl, offset & 1, v);
		break;
	case 4:
		sb->mix_idx = v;
		break;
	case 5:
		if (has_mixer(sb))
			mixer_write_reg(sb, v);
		break;
	case 6:
		if ((v & 1) && !sb->reset_latch) {
			dsp_reset(sb);
		} else if (!(v & 1) && sb->reset_latch) {
			out_put(sb, 0xaa);
		}
		sb->reset_latch = v & 1;
		break;
	case 0xc:
		dsp_write(sb, v);
		break;
	}
}

static uint32_t port_read(void *opaque, uint16_t port, int size)
{
	struct sb16 *sb = opaque;
	(void)size;
	return sb16_read(sb, port - sb->cfg.base);
}

static void port_write(void *opaque, uint16_t port, uint32_t val, int size)
{
	struct sb16 *sb = opaque;
	(void)size;
	sb16_write(sb, port - sb->cfg.base, (uint8_t)val);
}

static const struct ioport_ops sb_ops = { .read = port_read, .write = port_write };

struct sb16 *sb16_new(struct ioport_bus *io, struct clock *clk, struct irq_line *irqs,
		      struct dma *dma, struct opl *opl, const struct sb_config *cfg)
{
	if (cfg->model <= SB_NONE || cfg->model > SB_16 || cfg->irq < 0 || cfg->irq > 15 ||
	    cfg->dma8 < 0 || cfg->dma8 > 3 || (cfg->model == SB_16 &&
	    (cfg->dma16 < 5 || cfg->dma16 > 7)) || (cfg->base & 0xf))
		return NULL;
	struct sb16 *sb = calloc(1, sizeof(*sb));
	if (!sb)
		return NULL;
	sb->clk = clk;
	sb->io = io;
	sb->irqs = irqs;
	sb->dma = dma;
	sb->opl = opl;
	sb->cfg = *cfg;
	sb->timer = timer_new(clk, sb_timer, sb);
	if (!sb->timer || ioport_register(io, cfg->base, 16, &sb_ops, sb) < 0) {
		timer_free(sb->timer);
		free(sb);
		return NULL;
	}
	dsp_reset(sb);
	sb->nargs = -1;
	mixer_defaults(sb);
	return sb;
}

void sb16_set_cd_gains(struct sb16 *sb, void (*set)(void *opaque, int left, int right),
		       void *opaque)
{
	sb->cd_gains = set;
	sb->cd_opaque = opaque;
	set_gains(sb);
}

void sb16_set_mixer(struct sb16 *sb, struct mixer *mix)
{
	advance(sb);
	mixer_source_free(sb->src_dma);
	mixer_source_free(sb->src_dac);
	sb->src_dma = sb->src_dac = NULL;
	if (!mix)
		return;
	sb->src_dma = mixer_source_new(mix, "sb-dma", sb->active ? sb->play_rate : sb->rate,
				       dma_update, sb);
	sb->src_dac = mixer_source_new(mix, "sb-dac", MIXER_RATE, dac_update, sb);
	sb->dac_done = clock_ps_to_ticks(clock_now(sb->clk), MIXER_RATE);
	apply_gains(sb);
}

static void sb_reset(void *opaque)
{
	struct sb16 *sb = opaque;
	dsp_reset(sb);
	mixer_defaults(sb);
}

static void sb_save(void *opaque, struct snap *s)
{
	struct sb16 *sb = opaque;
	snap_put_u8(s, (uint8_t)sb->cfg.irq);
	snap_put_u8(s, (uint8_t)sb->cfg.dma8);
	snap_put_u8(s, (uint8_t)sb->cfg.dma16);
	snap_put_u8(s, sb->reset_latch);
	snap_put_bytes(s, sb->outq, OUTQ);
	snap_put_u8(s, (uint8_t)sb->out_head);
	snap_put_u8(s, (uint8_t)sb->out_len);
	snap_put_u8(s, sb->cmd);
	snap_put_u8(s, (uint8_t)(sb->nargs + 1));
	snap_put_u8(s, (uint8_t)sb->nhave);
	snap_put_bytes(s, sb->args, sizeof(sb->args));
	snap_put_u8(s, sb->test_reg);
	snap_put_u8(s, sb->tc);
	snap_put_u32(s, sb->rate);
	snap_put_u16(s, sb->block);
	uint16_t fl = (uint16_t)(sb->speaker | sb->highspeed << 1 | sb->irq8 << 2 |
				 sb->irq16 << 3 | sb->active << 4 | sb->paused << 5 |
				 sb->autoinit << 6 | sb->bits16 << 7 | sb->stereo << 8 |
				 sb->sign << 9 | sb->input << 10 | sb->exit_pending << 11 |
				 sb->adpcm_ref << 12);
	snap_put_u16(s, fl);
	snap_put_u8(s, (uint8_t)sb->adpcm);
	snap_put_u8(s, sb->adpcm_val);
	snap_put_u8(s, (uint8_t)sb->adpcm_level);
	snap_put_u32(s, sb->play_rate);
	snap_put_u32(s, sb->block_bytes);
	snap_put_u64(s, sb->t0);
	snap_put_u64(s, sb->frames_done);
	snap_put_u64(s, sb->block_end);
	snap_put_u32(s, sb->left);
	snap_put_u8(s, sb->dac);
	snap_put_u8(s, sb->mix_idx);
	snap_put_bytes(s, sb->mixreg, sizeof(sb->mixreg));
	/* Where the sound stands: the DAC's rendered samples (when a mixer
	 * listens) and the next DMA catch-up, so that a resumed run reads
	 * the DMA buffer at the same instants as an uninterrupted one. */
	snap_put_u8(s, sb->src_dac != NULL);
	snap_put_u64(s, sb->dac_done);
	snap_put_u64(s, timer_pending(sb->timer) ? timer_expires(sb->timer) : CLOCK_NEVER);
	/* ADPCM codes of the last byte not yet played. */
	snap_put_u8(s, (uint8_t)sb->npend);
	snap_put_u8(s, (uint8_t)sb->pend_pos);
	for (int i = 0; i < 4; i++)
		snap_put_u16(s, (uint16_t)sb->pend[i]);
}

static int sb_load(void *opaque, struct snap *s)
{
	struct sb16 *sb = opaque;
	int irq = snap_get_u8(s), d8 = snap_get_u8(s), d16 = snap_get_u8(s);
	sb->reset_latch = snap_get_u8(s) & 1;
	snap_get_bytes(s, sb->outq, OUTQ);
	sb->out_head = snap_get_u8(s) % OUTQ;
	sb->out_len = snap_get_u8(s);
	sb->cmd = snap_get_u8(s);
	sb->nargs = snap_get_u8(s) - 1;
	sb->nhave = snap_get_u8(s);
	snap_get_bytes(s, sb->args, sizeof(sb->args));
	sb->test_reg = snap_get_u8(s);
	sb->tc = snap_get_u8(s);
	sb->rate = snap_get_u32(s);
	sb->block = snap_get_u16(s);
	uint16_t fl = snap_get_u16(s);
	sb->adpcm = snap_get_u8(s);
	sb->adpcm_val = snap_get_u8(s);
	sb->adpcm_level = snap_get_u8(s);
	sb->play_rate = snap_get_u32(s);
	sb->block_bytes = snap_get_u32(s);
	sb->t0 = snap_get_u64(s);
	sb->frames_done = snap_get_u64(s);
	sb->block_end = snap_get_u64(s);
	sb->left = snap_get_u32(s);
	sb->dac = snap_get_u8(s);
	sb->mix_idx = snap_get_u8(s);
	snap_get_bytes(s, sb->mixreg, sizeof(sb->mixreg));
	bool had_mix = snap_get_u8(s) != 0;
	uint64_t dac_done = snap_get_u64(s);
	uint64_t when = snap_get_u64(s);
	int npend = snap_get_u8(s), pend_pos = snap_get_u8(s);
	int16_t pend[4];
	for (int i = 0; i < 4; i++)
		pend[i] = (int16_t)snap_get_u16(s);
	uint64_t now_dac = clock_ps_to_ticks(clock_now(sb->clk), MIXER_RATE);
	if (!snap_ok(s) || irq > 15 || d8 > 3 || (d16 < 5 && is16(sb)) || d16 > 7 ||
	    sb->out_len > OUTQ || sb->nargs > 3 || sb->nhave > 3 ||
	    (sb->adpcm != 0 && (sb->adpcm < 2 || sb->adpcm > 4)) || sb->adpcm_level > 5 ||
	    (sb->play_rate == 0 && (fl & 16)) || sb->frames_done > sb->block_end ||
	    dac_done > now_dac || npend > 4 || pend_pos > npend)
		return -1;
	if (sb->nargs >= 0 && sb->nhave > sb->nargs)
		return -1;
	sb->cfg.dma8 = d8;
	sb->cfg.dma16 = d16;
	set_irq_number(sb, irq);
	sb->speaker = fl & 1;
	sb->highspeed = fl & 2;
	sb->irq8 = fl & 4;
	sb->irq16 = fl & 8;
	sb->active = fl & 16;
	sb->paused = fl & 32;
	sb->autoinit = fl & 64;
	sb->bits16 = fl & 128;
	sb->stereo = fl & 256;
	sb->sign = fl & 512;
	sb->input = fl & 1024;
	sb->exit_pending = fl & 2048;
	sb->adpcm_ref = fl & 4096;
	sb->npend = npend;
	sb->pend_pos = pend_pos;
	memcpy(sb->pend, pend, sizeof(pend));
	sb->dac_done = had_mix && sb->src_dac ? dac_done : now_dac;
	update_irq(sb);
	/* Nothing is played here: the sound resumes when it would have. */
	set_gains(sb);
	if (sb->active && !sb->paused && when != CLOCK_NEVER)
		timer_mod(sb->timer, when);
	else
		schedule(sb);
	return 0;
}

static void sb_free(void *opaque)
{
	struct sb16 *sb = opaque;
	mixer_source_free(sb->src_dma);
	mixer_source_free(sb->src_dac);
	timer_free(sb->timer);
	free(sb);
}

const struct device_desc sb16_desc = {
	.name = "sb16",
	.reset = sb_reset,
	.save = sb_save,
	.load = sb_load,
	.free = sb_free,
};
