/* Sound Blaster: DSP command state machine, DMA playback in virtual time with
 * its interrupts, the mixer chips' register maps, and hostile input. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "hw/dma8237.h"
#include "hw/memory.h"
#include "hw/mixer.h"
#include "hw/opl.h"
#include "hw/sb16.h"
#include "tests/unit/hw_harness.h"

#define MS 1000000ull	/* ns */

static struct hw_env env;
static struct mem *mem;
static struct dma *dma;
static struct irq_line irqs[16];
static int irq_edges[16];
static struct sb16 *sb;

static void irq_set_cb(void *opaque, int n, int level)
{
	(void)opaque;
	if (level)
		irq_edges[n]++;
}

static void make(enum sb_model model)
{
	hw_env_init(&env);
	mem = mem_new(1u << 20);
	ck_assert_ptr_nonnull(mem);
	dma = dma_new(env.io, mem, true);
	ck_assert_ptr_nonnull(dma);
	hw_out(&env, 0xd6, 0xc0);	/* channel 4 cascades, as a BIOS sets it */
	hw_out(&env, 0xd4, 0x00);
	memset(irq_edges, 0, sizeof(irq_edges));
	for (int i = 0; i < 16; i++)
		irqs[i] = (struct irq_line){ .set = irq_set_cb, .n = i };
	struct sb_config c = { .model = model, .base = 0x220, .irq = 5, .dma8 = 1, .dma16 = 5 };
	sb = sb16_new(env.io, env.clk, irqs, dma, NULL, &c);
	ck_assert_ptr_nonnull(sb);
}

static void setup16(void) { make(SB_16); }

static void teardown(void)
{
	sb16_desc.free(sb);
	dma_desc.free(dma);
	mem_free(mem);
	hw_env_free(&env);
}

static void dsp(uint8_t v) { hw_out(&env, 0x22c, v); }

static int dsp_read(void)
{
	if (!(hw_in(&env, 0x22e) & 0x80))
		return -1;
	return hw_in(&env, 0x22a);
}

static void reset_dsp(void)
{
	hw_out(&env, 0x226, 1);
	hw_out(&env, 0x226, 0);
	ck_assert_int_eq(dsp_read(), 0xaa);
}

static void program8(int ch, uint8_t mode, uint8_t page, uint16_t addr, uint16_t count)
{
	static const uint16_t page_port[4] = { 0x87, 0x83, 0x81, 0x82 };
	hw_out(&env, 0x0a, (uint8_t)(4 | ch));
	hw_out(&env, 0x0c, 0);
	hw_out(&env, 0x0b, (uint8_t)(mode | ch));
	hw_out(&env, (uint16_t)(ch * 2), addr & 0xff);
	hw_out(&env, (uint16_t)(ch * 2), addr >> 8);
	hw_out(&env, (uint16_t)(ch * 2 + 1), count & 0xff);
	hw_out(&env, (uint16_t)(ch * 2 + 1), count >> 8);
	hw_out(&env, page_port[ch], page);
	hw_out(&env, 0x0a, (uint8_t)ch);
}

static void mix_w(uint8_t r, uint8_t v)
{
	hw_out(&env, 0x224, r);
	hw_out(&env, 0x225, v);
}

static uint8_t mix_r(uint8_t r)
{
	hw_out(&env, 0x224, r);
	return hw_in(&env, 0x225);
}

START_TEST(versions_per_model)
{
	static const struct { enum sb_model m; int maj, min; } v[] = {
		{ SB_1, 1, 5 }, { SB_2, 2, 1 }, { SB_PRO, 3, 2 }, { SB_PRO2, 3, 2 },
		{ SB_16, 4, 5 },
	};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		make(v[i].m);
		reset_dsp();
		dsp(0xe1);
		ck_assert_int_eq(dsp_read(), v[i].maj);
		ck_assert_int_eq(dsp_read(), v[i].min);
		ck_assert_int_eq(dsp_read(), -1);
		teardown();
	}
}
END_TEST

START_TEST(dsp_state_machine)
{
	reset_dsp();
	dsp(0xe0);			/* identification takes one argument */
	ck_assert_int_eq(dsp_read(), -1);
	dsp(0x35);
	ck_assert_int_eq(dsp_read(), 0xca);
	dsp(0xe4);			/* test register */
	dsp(0x77);
	dsp(0xe8);
	ck_assert_int_eq(dsp_read(), 0x77);
	dsp(0xd8);			/* SB16 speaker status: on after reset */
	ck_assert_int_eq(dsp_read(), 0xff);
	dsp(0xd3);
	dsp(0xd8);
	ck_assert_int_eq(dsp_read(), 0x00);
	dsp(0x40);			/* time constant, then a command */
	dsp(0xe1);			/* taken as 40h's argument, not a command */
	ck_assert_int_eq(dsp_read(), -1);
	dsp(0xe3);
	char buf[64];
	int n = 0, c;
	while ((c = dsp_read()) > 0 && n < 63)
		buf[n++] = (char)c;
	buf[n] = 0;
	ck_assert_str_eq(buf, "COPYRIGHT (C) CREATIVE TECHNOLOGY LTD, 1992.");
	ck_assert_int_eq(c, 0);
	/* A reset in the middle of a command forgets it. */
	dsp(0x14);
	dsp(0x10);
	reset_dsp();
	dsp(0xe0);
	dsp(0x00);
	ck_assert_int_eq(dsp_read(), 0xff);
}
END_TEST

START_TEST(model_specific_commands_ignored)
{
	make(SB_1);
	reset_dsp();
	dsp(0x41);		/* not an SB 1.x command: ignored, not an argument sink */
	dsp(0xe0);
	dsp(0x0f);
	ck_assert_int_eq(dsp_read(), 0xf0);
	ck_assert_uint_eq(hw_in(&env, 0x225), 0xff);	/* no mixer chip */
	teardown();
}
END_TEST

START_TEST(single_cycle_8bit_irq_at_the_right_time)
{
	uint8_t *ram = mem_ram_ptr(mem);
	for (int i = 0; i < 1000; i++)
		ram[0x20000 + i] = (uint8_t)i;
	program8(1, 0x48, 0x02, 0x0000, 999);	/* single, read (to device) */
	reset_dsp();
	dsp(0x40);
	dsp(256 - 100);			/* 10 kHz */
	dsp(0x14);
	dsp((100 - 1) & 0xff);		/* 100 bytes = 10 ms */
	dsp(0);
	hw_advance_ns(&env, 9 * MS);
	ck_assert_int_eq(irq_edges[5], 0);
	ck_assert_uint_eq(dma_remaining(dma, 1), 1000 - 90);	/* read as played */
	hw_advance_ns(&env, 2 * MS);
	ck_assert_int_eq(irq_edges[5], 1);
	ck_assert_uint_eq(dma_remaining(dma, 1), 900);
	ck_assert_uint_eq(mix_r(0x82) & 3, 1);
	hw_in(&env, 0x22e);			/* acknowledge */
	ck_assert_uint_eq(mix_r(0x82) & 3, 0);
	ck_assert_int_eq(irqs[5].level, 0);
	hw_advance_ns(&env, 20 * MS);		/* single cycle: no more */
	ck_assert_int_eq(irq_edges[5], 1);
}
END_TEST

START_TEST(auto_init_8bit_keeps_interrupting_until_exit)
{
	program8(1, 0x58, 0x02, 0x0000, 199);	/* auto-init, 200 bytes */
	reset_dsp();
	dsp(0x40);
	dsp(256 - 100);				/* 10 kHz */
	dsp(0x48);				/* block of 100 bytes */
	dsp(99);
	dsp(0);
	dsp(0x1c);
	for (int k = 1; k <= 5; k++) {
		hw_advance_ns(&env, 10 * MS);
		ck_assert_int_eq(irq_edges[5], k);
		hw_in(&env, 0x22e);
	}
	/* DMA wrapped twice through its 200 bytes and is back at the start. */
	ck_assert_uint_eq(dma_remaining(dma, 1), 100);
	dsp(0xda);				/* exit after the current block */
	hw_advance_ns(&env, 10 * MS);
	ck_assert_int_eq(irq_edges[5], 6);
	hw_in(&env, 0x22e);
	hw_advance_ns(&env, 30 * MS);
	ck_assert_int_eq(irq_edges[5], 6);
}
END_TEST

START_TEST(pause_and_continue)
{
	program8(1, 0x58, 0x02, 0x0000, 199);
	reset_dsp();
	dsp(0x40);
	dsp(256 - 100);
	dsp(0x48);
	dsp(99);
	dsp(0);
	dsp(0x1c);
	hw_advance_ns(&env, 5 * MS);
	dsp(0xd0);				/* pause half-way through */
	hw_advance_ns(&env, 50 * MS);
	ck_assert_int_eq(irq_edges[5], 0);
	dsp(0xd4);
	hw_advance_ns(&env, 4 * MS);
	ck_assert_int_eq(irq_edges[5], 0);
	hw_advance_ns(&env, 2 * MS);
	ck_assert_int_eq(irq_edges[5], 1);
}
END_TEST

START_TEST(masked_channel_stalls_the_dsp)
{
	program8(1, 0x58, 0x02, 0x0000, 199);
	hw_out(&env, 0x0a, 5);			/* mask channel 1 */
	reset_dsp();
	dsp(0x40);
	dsp(256 - 100);
	dsp(0x14);
	dsp(49);
	dsp(0);
	hw_advance_ns(&env, 20 * MS);
	ck_assert_int_eq(irq_edges[5], 0);	/* no data, no interrupt */
	hw_out(&env, 0x0a, 1);			/* unmask: playback starts now */
	hw_advance_ns(&env, 4 * MS);
	ck_assert_int_eq(irq_edges[5], 0);
	hw_advance_ns(&env, 2 * MS);
	ck_assert_int_eq(irq_edges[5], 1);
}
END_TEST

START_TEST(auto_init_16bit_and_ack_port)
{
	/* Channel 5: word address 8000h on page 2 = 30000h, 100 words. */
	hw_out(&env, 0xd4, 5);
	hw_out(&env, 0xd8, 0);
	hw_out(&env, 0xd6, 0x59);
	hw_out(&env, 0xc4, 0x00);
	hw_out(&env, 0xc4, 0x80);
	hw_out(&env, 0xc6, 99);
	hw_out(&env, 0xc6, 0);
	hw_out(&env, 0x8b, 0x02);
	hw_out(&env, 0xd4, 1);
	reset_dsp();
	dsp(0x41);
	dsp(20000 >> 8);
	dsp(20000 & 0xff);
	dsp(0xb6);				/* 16-bit auto-init */
	dsp(0x10);				/* mono signed */
	dsp(49);				/* 50 samples: 2.5 ms */
	dsp(0);
	hw_advance_ns(&env, 2600000);
	ck_assert_int_eq(irq_edges[5], 1);
	ck_assert_uint_eq(mix_r(0x82) & 3, 2);
	hw_in(&env, 0x22e);			/* the 8-bit ack leaves it */
	ck_assert_uint_eq(mix_r(0x82) & 3, 2);
	hw_in(&env, 0x22f);
	ck_assert_uint_eq(mix_r(0x82) & 3, 0);
	/* 52 of 100 words played in 2.6 ms (the next block began): bytes. */
	ck_assert_uint_eq(dma_remaining(dma, 5), 200 - 2 * 52);
	hw_advance_ns(&env, 2500000);
	ck_assert_int_eq(irq_edges[5], 2);
}
END_TEST

START_TEST(sb16_mixer_map)
{
	reset_dsp();
	ck_assert_uint_eq(mix_r(0x80) & 0x0f, 0x02);	/* IRQ 5 */
	ck_assert_uint_eq(mix_r(0x81), 0x22);		/* DMA 1 and 5 */
	ck_assert_uint_eq(mix_r(0x30), 0xc0);		/* reset level */
	mix_w(0x22, 0xd7);				/* legacy master */
	ck_assert_uint_eq(mix_r(0x30), 0xd8);
	ck_assert_uint_eq(mix_r(0x31), 0x78);
	ck_assert_uint_eq(mix_r(0x22), 0xd7);
	mix_w(0x33, 0xf8);
	ck_assert_uint_eq(mix_r(0x04) & 0x0f, 0x0f);
	mix_w(0x82, 0xff);				/* read-only */
	ck_assert_uint_eq(mix_r(0x82) & 7, 0);
	/* Moving the IRQ to 7 through register 80h. */
	mix_w(0x80, 0x04);
	dsp(0xf2);
	ck_assert_int_eq(irq_edges[7], 1);
	ck_assert_int_eq(irq_edges[5], 0);
	hw_in(&env, 0x22e);
	ck_assert_int_eq(irqs[7].level, 0);
	mix_w(0x00, 0);					/* mixer reset */
	ck_assert_uint_eq(mix_r(0x30), 0xc0);
}
END_TEST

START_TEST(mpu_interrupt_shares_the_card_irq)
{
	reset_dsp();
	sb16_mpu_irq(sb, 1);
	ck_assert_int_eq(irqs[5].level, 1);
	ck_assert_uint_eq(mix_r(0x82) & 7, 4);
	dsp(0xf2);				/* and the 8-bit one too */
	hw_in(&env, 0x22e);
	ck_assert_int_eq(irqs[5].level, 1);	/* still the MPU's */
	sb16_mpu_irq(sb, 0);
	ck_assert_int_eq(irqs[5].level, 0);
	ck_assert_uint_eq(mix_r(0x82) & 7, 0);
}
END_TEST

START_TEST(sbpro_mixer_map)
{
	make(SB_PRO);
	mix_w(0x22, 0x5a);
	ck_assert_uint_eq(mix_r(0x22), 0x5a);
	mix_w(0x0e, 0x02);		/* stereo */
	ck_assert_uint_eq(mix_r(0x0e), 0x02);
	mix_w(0x00, 0);
	ck_assert_uint_eq(mix_r(0x22), 0x99);
	teardown();
}
END_TEST

START_TEST(flood_and_dma_beyond_ram)
{
	/* Pseudo-random bytes at every port, with time passing: nothing may
	 * crash and the DSP must still answer a reset. */
	uint32_t x = 12345;
	for (int i = 0; i < 200000; i++) {
		x = x * 1103515245u + 12345u;
		uint16_t port = (uint16_t)(0x220 + ((x >> 8) & 15));
		if ((x >> 20) & 1)
			hw_out(&env, port, (uint8_t)(x >> 24));
		else
			hw_in(&env, port);
		if ((i & 1023) == 0)
			hw_advance_ns(&env, 3 * MS);
	}
	/* DMA from the top of the 16 MiB ISA space, far beyond 1 MiB of RAM. */
	program8(1, 0x58, 0xff, 0xff00, 0xffff);
	reset_dsp();
	dsp(0x40);
	dsp(0xff);
	dsp(0x48);
	dsp(0xff);
	dsp(0xff);
	dsp(0x1c);
	hw_advance_ns(&env, 100 * MS);
	reset_dsp();
}
END_TEST

/* A clocked 48 kHz mixer behind a reset DSP at unity gain (CT1745 master and
 * voice F8h) with a 48 kHz output rate: what the card plays reaches the mixer
 * unresampled and unscaled.  The caller frees it after sb16_set_mixer(sb, NULL). */
static struct mixer *mix_unity_48k(void)
{
	struct mixer *mix = mixer_new(48000);
	mixer_set_clock(mix, env.clk);
	sb16_set_mixer(sb, mix);
	reset_dsp();
	mix_w(0x30, 0xf8);
	mix_w(0x31, 0xf8);
	mix_w(0x32, 0xf8);
	mix_w(0x33, 0xf8);
	dsp(0x41);
	dsp(48000 >> 8);
	dsp(48000 & 0xff);
	return mix;
}

/* Plays 8-bit PCM at 48 kHz through a clocked mixer: the samples come out
 * unchanged (unity gain, no resampling). */
START_TEST(playback_reaches_the_mixer_bit_exact)
{
	uint8_t *ram = mem_ram_ptr(mem);
	for (int i = 0; i < 480; i++)
		ram[0x20000 + i] = (uint8_t)(i * 7);
	program8(1, 0x48, 0x02, 0x0000, 479);
	struct mixer *mix = mix_unity_48k();
	dsp(0xc0);			/* 8-bit single cycle */
	dsp(0x00);
	dsp(479 & 0xff);
	dsp(479 >> 8);
	hw_advance_ns(&env, 20 * MS);
	mixer_flush(mix);
	int16_t out[2000];
	size_t n = mixer_read(mix, out, 2000);
	ck_assert_uint_eq(n, 960);
	/* The transfer started at sample 0 of the timeline. */
	for (int i = 0; i < 480; i++)
		ck_assert_int_eq(out[i], (int16_t)(((uint8_t)(i * 7) - 128) * 256));
	for (int i = 480; i < 960; i++)
		ck_assert_int_eq(out[i], 0);
	sb16_set_mixer(sb, NULL);
	mixer_free(mix);
}
END_TEST

START_TEST(adpcm4_decodes_a_known_sequence)
{
	/* Reference 80h, then codes +7 (step doubles), +7, -0, 0.  */
	uint8_t *ram = mem_ram_ptr(mem);
	ram[0x20000] = 0x80;
	ram[0x20001] = 0x77;
	ram[0x20002] = 0x80;
	program8(1, 0x48, 0x02, 0x0000, 2);
	struct mixer *mix = mix_unity_48k();
	dsp(0x75);			/* 4-bit ADPCM with reference, 3 bytes */
	dsp(2);
	dsp(0);
	hw_advance_ns(&env, 5 * MS);
	ck_assert_int_eq(irq_edges[5], 1);	/* 1 + 2 * 2 samples: 104 us */
	mixer_flush(mix);
	int16_t out[300];
	ck_assert_uint_eq(mixer_read(mix, out, 300), 240);
	/* 80h; +7 -> 87h (level 1); +15 -> 96h (level 2); -2 -> 94h (mag 0:
	 * level 1); +1 -> 95h (level 0). */
	static const int want[5] = { 0x80, 0x87, 0x96, 0x94, 0x95 };
	for (int i = 0; i < 5; i++)
		ck_assert_int_eq(out[i], (want[i] - 128) * 256);
	sb16_set_mixer(sb, NULL);
	mixer_free(mix);
}
END_TEST

START_TEST(snapshot_round_trip)
{
	program8(1, 0x58, 0x02, 0x0000, 199);
	reset_dsp();
	dsp(0x40);
	dsp(256 - 100);
	dsp(0x48);
	dsp(99);
	dsp(0);
	dsp(0x1c);
	hw_advance_ns(&env, 5 * MS);
	struct snap s;
	snap_init(&s);
	sb16_desc.save(sb, &s);
	size_t len = s.len;
	uint8_t *copy = malloc(len);
	memcpy(copy, s.data, len);
	snap_free(&s);
	dsp(0xd0);			/* change it, then restore */
	snap_open(&s, copy, len);
	ck_assert_int_eq(sb16_desc.load(sb, &s), 0);
	hw_advance_ns(&env, 6 * MS);
	ck_assert_int_eq(irq_edges[5], 1);
	/* A truncated state is refused. */
	snap_open(&s, copy, len / 2);
	ck_assert_int_ne(sb16_desc.load(sb, &s), 0);
	free(copy);
}
END_TEST

START_TEST(sbpro_stereo_halves_the_frame_rate)
{
	make(SB_PRO);
	program8(1, 0x48, 0x02, 0x0000, 999);
	reset_dsp();
	mix_w(0x0e, 0x02);		/* stereo output */
	dsp(0x40);
	dsp(256 - 50);			/* 20 kHz: 10 kHz per channel */
	dsp(0x14);
	dsp(99);			/* 100 bytes = 50 frames = 5 ms */
	dsp(0);
	hw_advance_ns(&env, 4900000);
	ck_assert_int_eq(irq_edges[5], 0);
	hw_advance_ns(&env, 200000);
	ck_assert_int_eq(irq_edges[5], 1);
	teardown();
}
END_TEST

/* SB16 16-bit stereo at 48 kHz: left and right come out apart, bit exact,
 * and the voice volume's right half (33h) turns the right down alone. */
START_TEST(sb16_stereo_left_and_right)
{
	uint8_t *ram = mem_ram_ptr(mem);
	for (int i = 0; i < 480; i++) {
		int16_t l = (int16_t)(i * 50), r = (int16_t)(-i * 30);
		ram[0x30000 + 4 * i] = (uint8_t)l;
		ram[0x30001 + 4 * i] = (uint8_t)((uint16_t)l >> 8);
		ram[0x30002 + 4 * i] = (uint8_t)r;
		ram[0x30003 + 4 * i] = (uint8_t)((uint16_t)r >> 8);
	}
	hw_out(&env, 0xd4, 5);		/* channel 5: 30000h, 960 words, single */
	hw_out(&env, 0xd8, 0);
	hw_out(&env, 0xd6, 0x49);
	hw_out(&env, 0xc4, 0x00);
	hw_out(&env, 0xc4, 0x80);
	hw_out(&env, 0xc6, 959 & 0xff);
	hw_out(&env, 0xc6, 959 >> 8);
	hw_out(&env, 0x8b, 0x02);
	hw_out(&env, 0xd4, 1);
	struct mixer *mix = mix_unity_48k();
	dsp(0xb0);			/* 16-bit single cycle */
	dsp(0x30);			/* stereo, signed */
	dsp(959 & 0xff);		/* 960 samples: 480 frames */
	dsp(959 >> 8);
	hw_advance_ns(&env, 5 * MS);
	mix_w(0x33, 0xc0);		/* right: level 24, -14 dB */
	hw_advance_ns(&env, 15 * MS);
	mixer_flush(mix);
	static int16_t lr[2 * 960];
	ck_assert_uint_eq(mixer_read_stereo(mix, lr, 960), 960);
	int g = (int)lround(256.0 * pow(10.0, -14.0 / 20.0));
	for (int i = 0; i < 480; i++) {
		ck_assert_int_eq(lr[2 * i], i * 50);
		ck_assert_int_eq(lr[2 * i + 1], i < 240 ? -i * 30 : -i * 30 * g / 256);
	}
	sb16_set_mixer(sb, NULL);
	mixer_free(mix);
}
END_TEST

/* SB Pro stereo (mixer 0Eh bit 1): bytes alternate left, right. */
START_TEST(sbpro_stereo_keeps_left_and_right)
{
	make(SB_PRO);
	uint8_t *ram = mem_ram_ptr(mem);
	for (int i = 0; i < 1000; i++)
		ram[0x20000 + i] = i & 1 ? 0x80 : 0xc0;	/* left 40h up, right silent */
	program8(1, 0x48, 0x02, 0x0000, 999);
	struct mixer *mix = mixer_new(48000);
	mixer_set_clock(mix, env.clk);
	sb16_set_mixer(sb, mix);
	reset_dsp();
	dsp(0xd1);			/* speaker on */
	mix_w(0x22, 0xff);		/* master and voice full: unity */
	mix_w(0x04, 0xff);
	mix_w(0x0e, 0x02);
	dsp(0x40);
	dsp(256 - 50);			/* 10 kHz a channel: resampled */
	dsp(0x14);
	dsp(999 & 0xff);
	dsp(999 >> 8);			/* 500 frames: 50 ms */
	hw_advance_ns(&env, 60 * MS);
	mixer_flush(mix);
	static int16_t lr[2 * 2880];
	ck_assert_uint_eq(mixer_read_stereo(mix, lr, 2880), 2880);
	for (int i = 0; i < 2880; i++)
		ck_assert_int_eq(lr[2 * i + 1], 0);
	for (int i = 100; i < 2300; i++)	/* after the filter's rise */
		ck_assert_int_eq(lr[2 * i], 0x40 * 256);
	sb16_set_mixer(sb, NULL);
	mixer_free(mix);
	teardown();
}
END_TEST

START_TEST(sb2_high_speed_locks_until_reset)
{
	make(SB_2);
	program8(1, 0x58, 0x02, 0x0000, 999);
	reset_dsp();
	dsp(0x40);
	dsp(256 - 4);			/* 250 kHz would be silly; 4 us a byte */
	dsp(0x48);
	dsp(99);
	dsp(0);
	dsp(0x90);			/* high-speed auto-init */
	dsp(0xe0);			/* ignored while in high-speed mode */
	dsp(0x11);
	ck_assert_int_eq(dsp_read(), -1);
	hw_advance_ns(&env, 450000);	/* 400 us blocks */
	ck_assert_int_eq(irq_edges[5], 1);
	hw_in(&env, 0x22e);
	hw_advance_ns(&env, 400000);
	ck_assert_int_eq(irq_edges[5], 2);
	hw_in(&env, 0x22e);
	reset_dsp();			/* the only way out */
	dsp(0xe0);
	dsp(0x11);
	ck_assert_int_eq(dsp_read(), 0xee);
	hw_advance_ns(&env, 1 * MS);
	ck_assert_int_eq(irq_edges[5], 2);
	teardown();
}
END_TEST

Suite *sb16_suite(void)
{
	Suite *s = suite_create("sb16");
	TCase *t = tcase_create("dsp");
	tcase_add_checked_fixture(t, setup16, teardown);
	tcase_add_test(t, dsp_state_machine);
	tcase_add_test(t, single_cycle_8bit_irq_at_the_right_time);
	tcase_add_test(t, auto_init_8bit_keeps_interrupting_until_exit);
	tcase_add_test(t, pause_and_continue);
	tcase_add_test(t, masked_channel_stalls_the_dsp);
	tcase_add_test(t, auto_init_16bit_and_ack_port);
	tcase_add_test(t, sb16_mixer_map);
	tcase_add_test(t, mpu_interrupt_shares_the_card_irq);
	tcase_add_test(t, flood_and_dma_beyond_ram);
	tcase_add_test(t, playback_reaches_the_mixer_bit_exact);
	tcase_add_test(t, adpcm4_decodes_a_known_sequence);
	tcase_add_test(t, snapshot_round_trip);
	tcase_add_test(t, sb16_stereo_left_and_right);
	suite_add_tcase(s, t);
	TCase *m = tcase_create("models");
	tcase_add_test(m, versions_per_model);
	tcase_add_test(m, model_specific_commands_ignored);
	tcase_add_test(m, sbpro_mixer_map);
	tcase_add_test(m, sbpro_stereo_halves_the_frame_rate);
	tcase_add_test(m, sb2_high_speed_locks_until_reset);
	tcase_add_test(m, sbpro_stereo_keeps_left_and_right);
	suite_add_tcase(s, m);
	return s;
}
