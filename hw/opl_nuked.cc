// The OPL synthesizer back end for hw/opl.h: libadplug's Nuked OPL3 core,
// whose symbols are C++ (this is the only C++ file in tandem).
#include <cstdlib>
#include <new>

extern "C" {
#include <adplug/nukedopl.h>
}

extern "C" {
#include "hw/opl.h"
}

struct opl_synth {
	opl3_chip chip;
};

extern "C" struct opl_synth *opl_synth_new(void)
{
	opl_synth *s = new (std::nothrow) opl_synth;
	if (s)
		OPL3_Reset(&s->chip, OPL_RATE);
	return s;
}

extern "C" void opl_synth_free(struct opl_synth *s)
{
	delete s;
}

extern "C" void opl_synth_write(struct opl_synth *s, uint16_t reg, uint8_t v)
{
	OPL3_WriteReg(&s->chip, reg, v);
}

extern "C" void opl_synth_generate(struct opl_synth *s, int16_t *lr, uint32_t frames)
{
	// OPL3_Generate runs the chip for one sample at its native rate.
	for (uint32_t i = 0; i < frames; i++)
		OPL3_Generate(&s->chip, lr + 2 * i);
}

// --- save states ---------------------------------------------------------------
// The chip's pointers all point into the chip itself (a slot's channel and
// modulator input, a channel's slots, pair and outputs), so they are saved
// as indices into it and rebuilt on load; every other field is saved as is.

extern "C" {
#include "util/snapshot.h"
}

enum { P16_NULL, P16_ZEROMOD, P16_OUT, P16_FBMOD = P16_OUT + 36, P16_PROUT = P16_FBMOD + 36,
       P16_END = P16_PROUT + 36 };

static uint16_t p16_index(const opl3_chip *c, const Bit16s *p)
{
	if (!p)
		return P16_NULL;
	if (p == &c->zeromod)
		return P16_ZEROMOD;
	for (int i = 0; i < 36; i++) {
		if (p == &c->slot[i].out)
			return (uint16_t)(P16_OUT + i);
		if (p == &c->slot[i].fbmod)
			return (uint16_t)(P16_FBMOD + i);
		if (p == &c->slot[i].prout)
			return (uint16_t)(P16_PROUT + i);
	}
	return 0xffff;
}

static bool p16_pointer(opl3_chip *c, uint16_t v, Bit16s **out)
{
	if (v == P16_NULL)
		*out = nullptr;
	else if (v == P16_ZEROMOD)
		*out = &c->zeromod;
	else if (v < P16_FBMOD)
		*out = &c->slot[v - P16_OUT].out;
	else if (v < P16_PROUT)
		*out = &c->slot[v - P16_FBMOD].fbmod;
	else if (v < P16_END)
		*out = &c->slot[v - P16_PROUT].prout;
	else
		return false;
	return true;
}

static uint8_t chan_index(const opl3_chip *c, const opl3_channel *p)
{
	if (!p)
		return 0xff;
	for (int i = 0; i < 18; i++)
		if (p == &c->channel[i])
			return (uint8_t)i;
	return 0xfe;
}

static void put_slot(struct snap *sn, const opl3_chip *c, const opl3_slot *s, bool *bad)
{
	uint8_t ch = chan_index(c, s->channel);
	uint16_t mod = p16_index(c, s->mod);
	uint8_t trem = s->trem == &c->tremolo ? 1 : s->trem == (const Bit8u *)&c->zeromod ? 2 :
		       s->trem ? 0xff : 0;
	*bad |= ch == 0xfe || mod == 0xffff || trem == 0xff || (s->chip && s->chip != c);
	snap_put_u8(sn, ch);
	snap_put_u16(sn, mod);
	snap_put_u8(sn, trem);
	snap_put_u16(sn, (uint16_t)s->out);
	snap_put_u16(sn, (uint16_t)s->fbmod);
	snap_put_u16(sn, (uint16_t)s->prout);
	snap_put_u16(sn, (uint16_t)s->eg_rout);
	snap_put_u16(sn, (uint16_t)s->eg_out);
	const Bit8u b[] = { s->eg_inc, s->eg_gen, s->eg_rate, s->eg_ksl, s->reg_vib,
			    s->reg_type, s->reg_ksr, s->reg_mult, s->reg_ksl, s->reg_tl,
			    s->reg_ar, s->reg_dr, s->reg_sl, s->reg_rr, s->reg_wf, s->key };
	snap_put_bytes(sn, b, sizeof(b));
	snap_put_u32(sn, s->pg_phase);
	snap_put_u32(sn, s->timer);
}

static bool get_slot(struct snap *sn, opl3_chip *c, opl3_slot *s)
{
	uint8_t ch = snap_get_u8(sn);
	uint16_t mod = snap_get_u16(sn);
	uint8_t trem = snap_get_u8(sn);
	// Generating a sample follows every one of these pointers.
	if (ch >= 18)
		return false;
	s->channel = &c->channel[ch];
	s->chip = c;
	if (!p16_pointer(c, mod, &s->mod) || !s->mod || trem == 0 || trem > 2)
		return false;
	s->trem = trem == 1 ? &c->tremolo : trem == 2 ? (Bit8u *)&c->zeromod : nullptr;
	s->out = (Bit16s)snap_get_u16(sn);
	s->fbmod = (Bit16s)snap_get_u16(sn);
	s->prout = (Bit16s)snap_get_u16(sn);
	s->eg_rout = (Bit16s)snap_get_u16(sn);
	s->eg_out = (Bit16s)snap_get_u16(sn);
	Bit8u b[16];
	snap_get_bytes(sn, b, sizeof(b));
	s->eg_inc = b[0]; s->eg_gen = b[1]; s->eg_rate = b[2]; s->eg_ksl = b[3];
	s->reg_vib = b[4]; s->reg_type = b[5]; s->reg_ksr = b[6]; s->reg_mult = b[7];
	s->reg_ksl = b[8]; s->reg_tl = b[9]; s->reg_ar = b[10]; s->reg_dr = b[11];
	s->reg_sl = b[12]; s->reg_rr = b[13]; s->reg_wf = b[14]; s->key = b[15];
	s->pg_phase = snap_get_u32(sn);
	s->timer = snap_get_u32(sn);
	// Indices into the chip's tables: a bad record must not reach past them.
	return s->reg_wf < 8 && s->eg_gen < 5 && s->eg_rate < 64 && s->reg_mult < 16 &&
	       s->reg_ksl < 4 && s->eg_rout <= 0x1ff && s->eg_rout >= 0;
}

static void put_channel(struct snap *sn, const opl3_chip *c, const opl3_channel *ch, bool *bad)
{
	for (int k = 0; k < 2; k++) {
		int i = ch->slots[k] ? (int)(ch->slots[k] - c->slot) : 0xff;
		*bad |= ch->slots[k] && (i < 0 || i >= 36);
		snap_put_u8(sn, (uint8_t)i);
	}
	uint8_t pair = chan_index(c, ch->pair);
	*bad |= pair == 0xfe || (ch->chip && ch->chip != c);
	snap_put_u8(sn, pair);
	for (int k = 0; k < 4; k++) {
		uint16_t o = p16_index(c, ch->out[k]);
		*bad |= o == 0xffff;
		snap_put_u16(sn, o);
	}
	const Bit8u b[] = { ch->chtype, ch->block, ch->fb, ch->con, ch->alg, ch->ksv };
	snap_put_bytes(sn, b, sizeof(b));
	snap_put_u16(sn, ch->f_num);
	snap_put_u16(sn, ch->cha);
	snap_put_u16(sn, ch->chb);
}

static bool get_channel(struct snap *sn, opl3_chip *c, opl3_channel *ch)
{
	for (int k = 0; k < 2; k++) {
		uint8_t i = snap_get_u8(sn);
		if (i != 0xff && i >= 36)
			return false;
		ch->slots[k] = i == 0xff ? nullptr : &c->slot[i];
	}
	uint8_t pair = snap_get_u8(sn);
	if (pair != 0xff && pair >= 18)
		return false;
	ch->pair = pair == 0xff ? nullptr : &c->channel[pair];
	ch->chip = c;
	for (int k = 0; k < 4; k++)
		if (!p16_pointer(c, snap_get_u16(sn), &ch->out[k]) || !ch->out[k])
			return false;
	Bit8u b[6];
	snap_get_bytes(sn, b, sizeof(b));
	ch->chtype = b[0]; ch->block = b[1]; ch->fb = b[2]; ch->con = b[3]; ch->alg = b[4];
	ch->ksv = b[5];
	ch->f_num = snap_get_u16(sn);
	ch->cha = snap_get_u16(sn);
	ch->chb = snap_get_u16(sn);
	// Every channel plays through its two slots.
	return ch->slots[0] && ch->slots[1] && ch->f_num < 0x400 && ch->block < 8 &&
	       ch->fb < 8 && ch->chtype < 4;
}

extern "C" void opl_synth_save(const struct opl_synth *s, struct snap *sn)
{
	const opl3_chip *c = &s->chip;
	bool bad = false;
	for (int i = 0; i < 18; i++)
		put_channel(sn, c, &c->channel[i], &bad);
	for (int i = 0; i < 36; i++)
		put_slot(sn, c, &c->slot[i], &bad);
	snap_put_u16(sn, c->timer);
	const Bit8u b[] = { c->newm, c->nts, c->rhy, c->vibpos, c->vibshift, c->tremolo,
			    c->tremolopos, c->tremoloshift };
	snap_put_bytes(sn, b, sizeof(b));
	snap_put_u32(sn, c->noise);
	snap_put_u16(sn, (uint16_t)c->zeromod);
	snap_put_u32(sn, (uint32_t)c->mixbuff[0]);
	snap_put_u32(sn, (uint32_t)c->mixbuff[1]);
	snap_put_u32(sn, (uint32_t)c->rateratio);
	snap_put_u32(sn, (uint32_t)c->samplecnt);
	for (int k = 0; k < 2; k++) {
		snap_put_u16(sn, (uint16_t)c->oldsamples[k]);
		snap_put_u16(sn, (uint16_t)c->samples[k]);
	}
	snap_put_u64(sn, c->writebuf_samplecnt);
	snap_put_u32(sn, c->writebuf_cur);
	snap_put_u32(sn, c->writebuf_last);
	snap_put_u64(sn, c->writebuf_lasttime);
	for (int i = 0; i < OPL_WRITEBUF_SIZE; i++) {
		snap_put_u64(sn, c->writebuf[i].time);
		snap_put_u16(sn, c->writebuf[i].reg);
		snap_put_u8(sn, c->writebuf[i].data);
	}
	if (bad)
		sn->error = true;	// a chip this code does not know how to save
}

extern "C" int opl_synth_load(struct opl_synth *s, struct snap *sn)
{
	opl3_chip *c = &s->chip;
	for (int i = 0; i < 18; i++)
		if (!get_channel(sn, c, &c->channel[i]))
			return -1;
	for (int i = 0; i < 36; i++)
		if (!get_slot(sn, c, &c->slot[i]))
			return -1;
	c->timer = snap_get_u16(sn);
	Bit8u b[8];
	snap_get_bytes(sn, b, sizeof(b));
	c->newm = b[0]; c->nts = b[1]; c->rhy = b[2]; c->vibpos = b[3]; c->vibshift = b[4];
	c->tremolo = b[5]; c->tremolopos = b[6]; c->tremoloshift = b[7];
	c->noise = snap_get_u32(sn);
	c->zeromod = (Bit16s)snap_get_u16(sn);
	c->mixbuff[0] = (Bit32s)snap_get_u32(sn);
	c->mixbuff[1] = (Bit32s)snap_get_u32(sn);
	c->rateratio = (Bit32s)snap_get_u32(sn);
	c->samplecnt = (Bit32s)snap_get_u32(sn);
	for (int k = 0; k < 2; k++) {
		c->oldsamples[k] = (Bit16s)snap_get_u16(sn);
		c->samples[k] = (Bit16s)snap_get_u16(sn);
	}
	c->writebuf_samplecnt = snap_get_u64(sn);
	c->writebuf_cur = snap_get_u32(sn);
	c->writebuf_last = snap_get_u32(sn);
	c->writebuf_lasttime = snap_get_u64(sn);
	for (int i = 0; i < OPL_WRITEBUF_SIZE; i++) {
		c->writebuf[i].time = snap_get_u64(sn);
		c->writebuf[i].reg = snap_get_u16(sn);
		c->writebuf[i].data = snap_get_u8(sn);
	}
	bool ok = snap_ok(sn) && c->writebuf_cur < OPL_WRITEBUF_SIZE &&
		  c->writebuf_last < OPL_WRITEBUF_SIZE && c->vibpos < 8 && c->tremolopos < 210;
	return ok ? 0 : -1;
}
