/* 82077AA driven through 3F0h-3F7h with a 1.44M image, DMA channel 2. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include "hw/disk.h"
#include "hw/dma8237.h"
#include "hw/fdc.h"
#include "hw/memory.h"
#include "tests/unit/hw_harness.h"

#define FD_SECTORS 2880

static struct hw_env env;
static struct irq_probe irq6;
static struct mem *mem;
static struct dma *dma;
static struct fdc *fdc;
static struct disk *disk;
static char path[64];

/* Byte i of sector lba in the test image. */
static uint8_t pattern(uint32_t lba, uint32_t i)
{
	return (uint8_t)(lba * 7 + i + (lba >> 8));
}

static void make_image(void)
{
	strcpy(path, "/tmp/tandem-fdc-XXXXXX");
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	uint8_t sec[512];
	for (uint32_t l = 0; l < FD_SECTORS; l++) {
		for (int i = 0; i < 512; i++)
			sec[i] = pattern(l, (uint32_t)i);
		ck_assert_int_eq(write(fd, sec, 512), 512);
	}
	close(fd);
	char err[128];
	disk = disk_open(path, DISK_FLOPPY, err, sizeof(err));
	ck_assert_ptr_nonnull(disk);
}

static void setup(void)
{
	hw_env_init(&env);
	irq_probe_init(&irq6);
	mem = mem_new(1u << 20);
	ck_assert_ptr_nonnull(mem);
	dma = dma_new(env.io, mem, true);
	ck_assert_ptr_nonnull(dma);
	make_image();
	struct disk *drives[2] = { disk, NULL };
	fdc = fdc_new(env.io, 0x3f0, env.clk, &irq6.line, dma, 2, drives);
	ck_assert_ptr_nonnull(fdc);
	hw_out(&env, 0xd6, 0xc0);	/* DMA cascade open */
	hw_out(&env, 0xd4, 0x00);
}

static void teardown(void)
{
	fdc_desc.free(fdc);
	dma_desc.free(dma);
	disk_close(disk);
	unlink(path);
	mem_free(mem);
	hw_env_free(&env);
}

static void cmd(const uint8_t *b, int n)
{
	for (int i = 0; i < n; i++) {
		ck_assert_uint_eq(hw_in(&env, 0x3f4) & 0xc0, 0x80);
		hw_out(&env, 0x3f5, b[i]);
	}
}

static int result(uint8_t *r, int max)
{
	int n = 0;
	while ((hw_in(&env, 0x3f4) & 0xc0) == 0xc0) {
		ck_assert_int_lt(n, max);
		r[n++] = hw_in(&env, 0x3f5);
	}
	return n;
}

static void wait_irq(void)
{
	int before = irq6.rises;
	hw_advance_ns(&env, 100000);
	ck_assert_int_eq(irq6.rises, before + 1);
}

static void sense_int(uint8_t st0, uint8_t pcn)
{
	uint8_t r[4];
	static const uint8_t c[1] = { 0x08 };
	cmd(c, 1);
	ck_assert_int_eq(result(r, 4), 2);
	ck_assert_uint_eq(r[0], st0);
	ck_assert_uint_eq(r[1], pcn);
}

/* Out of reset, four SENSE INTERRUPTs, 500 kbit/s, DMA mode. */
static void init_fdc(void)
{
	hw_out(&env, 0x3f2, 0x1c);
	ck_assert_uint_eq(hw_in(&env, 0x3f7) & 0x80, 0x80);	/* change line */
	wait_irq();
	for (int i = 0; i < 4; i++)
		sense_int((uint8_t)(0xc0 | i), 0);
	ck_assert_int_eq(irq6.level, 0);
	hw_out(&env, 0x3f7, 0x00);
	static const uint8_t spec[3] = { 0x03, 0xdf, 0x02 };
	cmd(spec, 3);
	ck_assert_uint_eq(hw_in(&env, 0x3f4), 0x80);
}

static void seek(uint8_t head, uint8_t cyl)
{
	uint8_t c[3] = { 0x0f, (uint8_t)(head << 2), cyl };
	cmd(c, 3);
	ck_assert_uint_eq(hw_in(&env, 0x3f4) & 0x01, 0x01);	/* drive 0 busy */
	wait_irq();
	sense_int((uint8_t)(0x20 | head << 2), cyl);
}

static void dma_setup(uint8_t mode, uint32_t addr, uint16_t bytes)
{
	hw_out(&env, 0x0a, 0x06);
	hw_out(&env, 0x0c, 0);
	hw_out(&env, 0x0b, mode);
	hw_out(&env, 0x04, addr & 0xff);
	hw_out(&env, 0x04, (addr >> 8) & 0xff);
	hw_out(&env, 0x81, (addr >> 16) & 0xff);
	hw_out(&env, 0x05, (bytes - 1) & 0xff);
	hw_out(&env, 0x05, (bytes - 1) >> 8);
	hw_out(&env, 0x0a, 0x02);
}

static uint32_t lba_of(uint32_t c, uint32_t h, uint32_t s)
{
	return (c * 2 + h) * 18 + s - 1;
}

static void check_ram(uint32_t addr, uint32_t lba)
{
	uint8_t *ram = mem_ram_ptr(mem);
	for (int i = 0; i < 512; i++)
		ck_assert_uint_eq(ram[addr + i], pattern(lba, (uint32_t)i));
}

START_TEST(fdc_dma_read_two_sectors)
{
	uint8_t r[16];
	init_fdc();
	static const uint8_t recal[2] = { 0x07, 0x00 };
	cmd(recal, 2);
	wait_irq();
	sense_int(0x20, 0);
	seek(1, 1);
	ck_assert_uint_eq(hw_in(&env, 0x3f7) & 0x80, 0);	/* stepped: cleared */
	dma_setup(0x46, 0x11000, 1024);
	static const uint8_t rd[9] = { 0xe6, 0x04, 1, 1, 5, 2, 18, 0x1b, 0xff };
	cmd(rd, 9);
	ck_assert_uint_eq(hw_in(&env, 0x3f4), 0x10);	/* busy, no RQM */
	wait_irq();
	ck_assert_uint_eq(hw_in(&env, 0x3f4), 0xd0);
	ck_assert_int_eq(result(r, 16), 7);
	ck_assert_int_eq(irq6.level, 0);
	static const uint8_t want[7] = { 0x04, 0, 0, 1, 1, 7, 2 };
	ck_assert_mem_eq(r, want, 7);
	check_ram(0x11000, lba_of(1, 1, 5));
	check_ram(0x11200, lba_of(1, 1, 6));
	ck_assert_uint_eq(hw_in(&env, 0x08) & 0x04, 0x04);	/* DMA TC ch2 */
}
END_TEST

START_TEST(fdc_end_of_track_and_multitrack)
{
	uint8_t r[16];
	init_fdc();
	seek(0, 2);
	/* No TC before EOT: abnormal termination, EN, next C. */
	dma_setup(0x46, 0x20000, 4096);
	static const uint8_t rd[9] = { 0x46, 0x00, 2, 0, 17, 2, 18, 0x1b, 0xff };
	cmd(rd, 9);
	wait_irq();
	ck_assert_int_eq(result(r, 16), 7);
	static const uint8_t want[7] = { 0x40, 0x80, 0, 3, 0, 1, 2 };
	ck_assert_mem_eq(r, want, 7);
	check_ram(0x20200, lba_of(2, 0, 18));
	/* MT: sector 18 of head 0 then sector 1 of head 1, TC there. */
	dma_setup(0x46, 0x30000, 1024);
	static const uint8_t mt[9] = { 0xc6, 0x00, 2, 0, 18, 2, 18, 0x1b, 0xff };
	cmd(mt, 9);
	wait_irq();
	ck_assert_int_eq(result(r, 16), 7);
	static const uint8_t want2[7] = { 0x04, 0, 0, 2, 1, 2, 2 };
	ck_assert_mem_eq(r, want2, 7);
	check_ram(0x30000, lba_of(2, 0, 18));
	check_ram(0x30200, lba_of(2, 1, 1));
}
END_TEST

START_TEST(fdc_errors)
{
	uint8_t r[16];
	init_fdc();
	/* Wrong data rate for 1.44M media: no address mark found. */
	hw_out(&env, 0x3f7, 0x02);
	dma_setup(0x46, 0x1000, 512);
	static const uint8_t rd[9] = { 0x46, 0x00, 0, 0, 1, 2, 18, 0x1b, 0xff };
	cmd(rd, 9);
	wait_irq();
	ck_assert_int_eq(result(r, 16), 7);
	ck_assert_uint_eq(r[0], 0x40);
	ck_assert_uint_eq(r[1], 0x01);
	hw_out(&env, 0x3f4, 0x00);	/* DSR: 500 kbit/s again */
	/* Cylinder in the command differs from the head position. */
	static const uint8_t wc[9] = { 0x46, 0x00, 5, 0, 1, 2, 18, 0x1b, 0xff };
	cmd(wc, 9);
	wait_irq();
	ck_assert_int_eq(result(r, 16), 7);
	ck_assert_uint_eq(r[0], 0x40);
	ck_assert_uint_eq(r[1], 0x04);
	ck_assert_uint_eq(r[2], 0x10);
	/* Sector 19 does not exist. */
	static const uint8_t nd[9] = { 0x46, 0x00, 0, 0, 19, 2, 19, 0x1b, 0xff };
	cmd(nd, 9);
	wait_irq();
	ck_assert_int_eq(result(r, 16), 7);
	ck_assert_uint_eq(r[1], 0x04);
	/* DMA channel masked: overrun. */
	hw_out(&env, 0x0a, 0x06);
	cmd(rd, 9);
	wait_irq();
	ck_assert_int_eq(result(r, 16), 7);
	ck_assert_uint_eq(r[1], 0x10);
	/* DOR bit 3 closed: no DMA request (and no interrupt) gets out. */
	dma_setup(0x46, 0x1000, 512);
	hw_out(&env, 0x3f2, 0x14);
	cmd(rd, 9);
	hw_advance_ns(&env, 100000);
	ck_assert_int_eq(irq6.level, 0);
	ck_assert_int_eq(result(r, 16), 7);
	ck_assert_uint_eq(r[1], 0x10);
	ck_assert_uint_eq(dma_remaining(dma, 2), 512);
	hw_out(&env, 0x3f2, 0x1c);
	/* Invalid command, SENSE INTERRUPT with nothing pending. */
	hw_out(&env, 0x3f5, 0x1f);
	ck_assert_int_eq(result(r, 16), 1);
	ck_assert_uint_eq(r[0], 0x80);
	hw_out(&env, 0x3f5, 0x08);
	ck_assert_int_eq(result(r, 16), 1);
	ck_assert_uint_eq(r[0], 0x80);
	/* Drive 1 has no image: recalibrate fails with EC. */
	static const uint8_t recal1[2] = { 0x07, 0x01 };
	cmd(recal1, 2);
	wait_irq();
	sense_int(0x71, 0);
}
END_TEST

START_TEST(fdc_pio_read_and_dma_write_format)
{
	uint8_t r[16];
	init_fdc();
	/* Non-DMA: one sector, R = EOT; 512 bytes through the FIFO. */
	static const uint8_t spec[3] = { 0x03, 0xdf, 0x03 };
	cmd(spec, 3);
	static const uint8_t rd[9] = { 0x46, 0x00, 0, 0, 3, 2, 3, 0x1b, 0xff };
	cmd(rd, 9);
	for (int i = 0; i < 512; i++) {
		ck_assert_uint_eq(hw_in(&env, 0x3f4), 0xf0);
		ck_assert_uint_eq(hw_in(&env, 0x3f5), pattern(lba_of(0, 0, 3), (uint32_t)i));
	}
	wait_irq();
	ck_assert_int_eq(result(r, 16), 7);
	static const uint8_t want[7] = { 0x40, 0x80, 0, 1, 0, 1, 2 };
	ck_assert_mem_eq(r, want, 7);
	/* Back to DMA; write one sector from RAM. */
	static const uint8_t spec2[3] = { 0x03, 0xdf, 0x02 };
	cmd(spec2, 3);
	uint8_t *ram = mem_ram_ptr(mem);
	for (int i = 0; i < 512; i++)
		ram[0x4000 + i] = (uint8_t)(i ^ 0x5a);
	dma_setup(0x4a, 0x4000, 512);
	static const uint8_t wr[9] = { 0x45, 0x00, 0, 0, 7, 2, 18, 0x1b, 0xff };
	cmd(wr, 9);
	wait_irq();
	ck_assert_int_eq(result(r, 16), 7);
	ck_assert_uint_eq(r[0], 0x00);
	ck_assert_uint_eq(r[5], 8);
	uint8_t sec[512];
	ck_assert_int_eq(disk_read(disk, 6, 1, sec), 0);
	ck_assert_mem_eq(sec, ram + 0x4000, 512);
	/* FORMAT TRACK cylinder 0 head 1 with F6h. */
	for (int s = 0; s < 18; s++) {
		ram[0x6000 + s * 4] = 0;
		ram[0x6000 + s * 4 + 1] = 1;
		ram[0x6000 + s * 4 + 2] = (uint8_t)(s + 1);
		ram[0x6000 + s * 4 + 3] = 2;
	}
	dma_setup(0x4a, 0x6000, 72);
	static const uint8_t fmt[6] = { 0x4d, 0x04, 2, 18, 0x54, 0xf6 };
	cmd(fmt, 6);
	wait_irq();
	ck_assert_int_eq(result(r, 16), 7);
	ck_assert_uint_eq(r[0], 0x04);
	ck_assert_uint_eq(r[1], 0);
	for (uint32_t s = 1; s <= 18; s++) {
		ck_assert_int_eq(disk_read(disk, lba_of(0, 1, s), 1, sec), 0);
		ck_assert_uint_eq(sec[0], 0xf6);
		ck_assert_uint_eq(sec[511], 0xf6);
	}
	ck_assert_int_eq(disk_read(disk, lba_of(0, 0, 18), 1, sec), 0);
	ck_assert_uint_eq(sec[0], pattern(lba_of(0, 0, 18), 0));
}
END_TEST

START_TEST(fdc_misc_commands)
{
	uint8_t r[16];
	init_fdc();
	static const uint8_t ver[1] = { 0x10 };
	cmd(ver, 1);
	ck_assert_int_eq(result(r, 16), 1);
	ck_assert_uint_eq(r[0], 0x90);
	static const uint8_t conf[4] = { 0x13, 0x00, 0x57, 0x00 };
	cmd(conf, 4);
	static const uint8_t lock[1] = { 0x94 };
	cmd(lock, 1);
	ck_assert_int_eq(result(r, 16), 1);
	ck_assert_uint_eq(r[0], 0x10);
	seek(0, 9);
	static const uint8_t dump[1] = { 0x0e };
	cmd(dump, 1);
	ck_assert_int_eq(result(r, 16), 10);
	static const uint8_t want[10] = { 9, 0, 0, 0, 0xdf, 0x02, 0, 0x80, 0x57, 0 };
	ck_assert_mem_eq(r, want, 10);
	static const uint8_t sds[2] = { 0x04, 0x00 };
	cmd(sds, 2);
	ck_assert_int_eq(result(r, 16), 1);
	ck_assert_uint_eq(r[0], 0x28);
	/* READ ID returns the cylinder under the head, N = 2. */
	static const uint8_t rid[2] = { 0x4a, 0x00 };
	cmd(rid, 2);
	wait_irq();
	ck_assert_int_eq(result(r, 16), 7);
	ck_assert_uint_eq(r[0], 0);
	ck_assert_uint_eq(r[3], 9);
	ck_assert_uint_eq(r[6], 2);
	/* Relative seek inwards by 3. */
	static const uint8_t rel[3] = { 0xcf, 0x00, 3 };
	cmd(rel, 3);
	wait_irq();
	sense_int(0x20, 12);
	/* Locked CONFIGURE survives a reset through the DOR. */
	hw_out(&env, 0x3f2, 0x18);
	ck_assert_uint_eq(hw_in(&env, 0x3f4), 0x00);
	hw_out(&env, 0x3f2, 0x1c);
	hw_advance_ns(&env, 100000);
	cmd(dump, 1);
	ck_assert_int_eq(result(r, 16), 10);
	ck_assert_uint_eq(r[8], 0x57);
	/* POLL bit set in CONFIGURE: no reset interrupt. */
	ck_assert_int_eq(irq6.level, 0);
}
END_TEST

START_TEST(fdc_snapshot_mid_pio)
{
	init_fdc();
	static const uint8_t spec[3] = { 0x03, 0xdf, 0x03 };
	cmd(spec, 3);
	static const uint8_t rd[9] = { 0x46, 0x00, 0, 0, 1, 2, 1, 0x1b, 0xff };
	cmd(rd, 9);
	for (int i = 0; i < 100; i++)
		hw_in(&env, 0x3f5);
	struct snap s;
	snap_init(&s);
	fdc_desc.save(fdc, &s);
	fdc_desc.reset(fdc);
	struct snap l;
	snap_open(&l, s.data, s.len);
	ck_assert_int_eq(fdc_desc.load(fdc, &l), 0);
	ck_assert_uint_eq(hw_in(&env, 0x3f5), pattern(0, 100));
	/* A corrupt stream is refused. */
	s.data[4] = 9;	/* phase */
	snap_open(&l, s.data, s.len);
	ck_assert_int_eq(fdc_desc.load(fdc, &l), -EINVAL);
	snap_free(&s);
}
END_TEST

/* Data rates per media: a 360K image reads at 250 (or 300) kbit/s only, a
 * 2.88M one at 1 Mbit/s.  Each probe is a fresh controller at its own base
 * without a DMA controller (so non-DMA mode).  Returns ST1: 80h (end of
 * cylinder) after the sector was read, 01h (no address mark), 04h (no data). */
static uint8_t st1_at(uint16_t base, struct disk *d, uint8_t rate, uint8_t r)
{
	struct disk *drives[2] = { d, NULL };
	struct fdc *f = fdc_new(env.io, base, env.clk, NULL, NULL, 2, drives);
	ck_assert_ptr_nonnull(f);
	ioport_write(env.io, (uint16_t)(base + 2), 0x1c, 1);
	hw_advance_ns(&env, 100000);
	for (int i = 0; i < 4; i++) {
		ioport_write(env.io, (uint16_t)(base + 5), 0x08, 1);
		ioport_read(env.io, (uint16_t)(base + 5), 1);
		ioport_read(env.io, (uint16_t)(base + 5), 1);
	}
	ioport_write(env.io, (uint16_t)(base + 7), rate, 1);
	const uint8_t rd[9] = { 0x46, 0x00, 0, 0, r, 2, r, 0x1b, 0xff };
	for (int i = 0; i < 9; i++)
		ioport_write(env.io, (uint16_t)(base + 5), rd[i], 1);
	bool data = (ioport_read(env.io, (uint16_t)(base + 4), 1) & 0xe0) == 0xe0;
	if (data)
		for (int i = 0; i < 512; i++)
			ioport_read(env.io, (uint16_t)(base + 5), 1);
	hw_advance_ns(&env, 100000);
	ck_assert_uint_eq(ioport_read(env.io, (uint16_t)(base + 5), 1), 0x40);
	uint8_t st1 = (uint8_t)ioport_read(env.io, (uint16_t)(base + 5), 1);
	ck_assert_int_eq(data, st1 == 0x80);
	fdc_desc.free(f);
	return st1;
}

static struct disk *image_of(const char *p, uint32_t kib)
{
	int fd = open(p, O_CREAT | O_TRUNC | O_RDWR, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ftruncate(fd, (off_t)kib * 1024), 0);
	close(fd);
	char err[128];
	struct disk *d = disk_open(p, DISK_FLOPPY, err, sizeof(err));
	ck_assert_ptr_nonnull(d);
	return d;
}

START_TEST(fdc_media_data_rates)
{
	struct disk *d360 = image_of("/tmp/tandem-fdc-360.img", 360);
	ck_assert_uint_eq(st1_at(0x300, d360, 2, 9), 0x80);	/* 250 kbit/s */
	ck_assert_uint_eq(st1_at(0x310, d360, 1, 9), 0x80);	/* 300: 1.2M drive */
	ck_assert_uint_eq(st1_at(0x320, d360, 0, 9), 0x01);	/* 500 */
	ck_assert_uint_eq(st1_at(0x330, d360, 2, 10), 0x04);	/* no sector 10 */
	disk_close(d360);
	unlink("/tmp/tandem-fdc-360.img");
	struct disk *d288 = image_of("/tmp/tandem-fdc-288.img", 2880);
	ck_assert_uint_eq(st1_at(0x340, d288, 3, 36), 0x80);	/* 1 Mbit/s */
	ck_assert_uint_eq(st1_at(0x350, d288, 0, 36), 0x01);
	disk_close(d288);
	unlink("/tmp/tandem-fdc-288.img");
}
END_TEST

/* A driver that senses only one of the four reset statuses (SeaBIOS): the
 * next interrupt (a seek) drops the rest. */
START_TEST(fdc_reset_statuses_superseded)
{
	hw_out(&env, 0x3f2, 0x1c);
	wait_irq();
	sense_int(0xc0, 0);
	seek(0, 3);
	uint8_t r[4];
	static const uint8_t c[1] = { 0x08 };
	cmd(c, 1);
	ck_assert_int_eq(result(r, 4), 1);
	ck_assert_uint_eq(r[0], 0x80);
}
END_TEST

Suite *fdc_suite(void)
{
	Suite *s = suite_create("fdc");
	TCase *tc = tcase_create("i82077aa");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, fdc_dma_read_two_sectors);
	tcase_add_test(tc, fdc_end_of_track_and_multitrack);
	tcase_add_test(tc, fdc_errors);
	tcase_add_test(tc, fdc_pio_read_and_dma_write_format);
	tcase_add_test(tc, fdc_misc_commands);
	tcase_add_test(tc, fdc_snapshot_mid_pio);
	tcase_add_test(tc, fdc_media_data_rates);
	tcase_add_test(tc, fdc_reset_statuses_superseded);
	suite_add_tcase(s, tc);
	return s;
}
