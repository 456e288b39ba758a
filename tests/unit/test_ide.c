/* IDE channel at 1F0h/3F6h with a sparse 140 GiB disk (so LBA48 matters)
 * and a second channel at 170h/376h with an ATAPI CD; bus master at C000h. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hw/cdimage.h"
#include "hw/disk.h"
#include "hw/ide.h"
#include "hw/memory.h"
#include "tests/unit/hw_harness.h"

#define HD_BYTES (140ull << 30)
#define CD_BLOCKS 300

static struct hw_env env;
static struct mem *mem;
static struct ide_channel *pri, *sec;
static struct disk *hd;
static struct cdimage *cd;
static struct irq_probe irq14, irq15;
static char hd_path[64], cd_path[64];

static uint8_t cd_byte(uint32_t blk, uint32_t i)
{
	return (uint8_t)(blk ^ (i * 13) ^ (i >> 8));
}

static void setup(void)
{
	hw_env_init(&env);
	irq_probe_init(&irq14);
	irq_probe_init(&irq15);
	mem = mem_new(4u << 20);
	ck_assert_ptr_nonnull(mem);
	char err[128];
	strcpy(hd_path, "/tmp/tandem-hd-XXXXXX");
	int fd = mkstemp(hd_path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ftruncate(fd, (off_t)HD_BYTES), 0);
	close(fd);
	hd = disk_open(hd_path, DISK_HARD, err, sizeof(err));
	ck_assert_ptr_nonnull(hd);
	strcpy(cd_path, "/tmp/tandem-cd-XXXXXX");
	fd = mkstemp(cd_path);
	ck_assert_int_ge(fd, 0);
	uint8_t blk[2048];
	for (uint32_t b = 0; b < CD_BLOCKS; b++) {
		for (uint32_t i = 0; i < 2048; i++)
			blk[i] = cd_byte(b, i);
		ck_assert_int_eq(write(fd, blk, 2048), 2048);
	}
	close(fd);
	cd = cdimage_open(cd_path, err, sizeof(err));
	ck_assert_ptr_nonnull(cd);
	pri = ide_new(env.io, 0x1f0, 0x3f6, &irq14.line, mem);
	sec = ide_new(env.io, 0x170, 0x376, &irq15.line, mem);
	ck_assert_ptr_nonnull(pri);
	ck_assert_ptr_nonnull(sec);
	ck_assert_int_eq(ide_attach(pri, 0, hd), 0);
	ck_assert_int_eq(ide_attach_cd(sec, 0, cd, NULL), 0);
	ide_desc.reset(pri);
	ide_desc.reset(sec);
}

static void teardown(void)
{
	ide_desc.free(pri);
	ide_desc.free(sec);
	disk_close(hd);
	cdimage_close(cd);
	unlink(hd_path);
	unlink(cd_path);
	mem_free(mem);
	hw_env_free(&env);
}

static uint16_t inw(uint16_t port)
{
	return (uint16_t)ioport_read(env.io, port, 2);
}

static void outw(uint16_t port, uint16_t v)
{
	ioport_write(env.io, port, v, 2);
}

static void read_words(uint16_t base, uint16_t *w, int n)
{
	for (int i = 0; i < n; i++)
		w[i] = inw(base);
}

static void lba48(uint16_t base, uint64_t lba, uint16_t count, uint8_t cmd)
{
	hw_out(&env, base + 6, 0x40);
	hw_out(&env, base + 2, count >> 8);
	hw_out(&env, base + 3, (uint8_t)(lba >> 24));
	hw_out(&env, base + 4, (uint8_t)(lba >> 32));
	hw_out(&env, base + 5, (uint8_t)(lba >> 40));
	hw_out(&env, base + 2, count & 0xff);
	hw_out(&env, base + 3, (uint8_t)lba);
	hw_out(&env, base + 4, (uint8_t)(lba >> 8));
	hw_out(&env, base + 5, (uint8_t)(lba >> 16));
	hw_out(&env, base + 7, cmd);
}

START_TEST(ide_identify)
{
	/* Signature after reset: a disk. */
	ck_assert_uint_eq(hw_in(&env, 0x1f2), 1);
	ck_assert_uint_eq(hw_in(&env, 0x1f4), 0);
	ck_assert_uint_eq(hw_in(&env, 0x1f7), 0x50);
	hw_out(&env, 0x1f6, 0xa0);
	hw_out(&env, 0x1f7, 0xec);
	ck_assert_int_eq(irq14.level, 1);
	ck_assert_uint_eq(hw_in(&env, 0x3f6), 0x58);	/* alt status keeps IRQ */
	ck_assert_int_eq(irq14.level, 1);
	ck_assert_uint_eq(hw_in(&env, 0x1f7), 0x58);
	ck_assert_int_eq(irq14.level, 0);
	uint16_t w[256];
	read_words(0x1f0, w, 256);
	ck_assert_uint_eq(hw_in(&env, 0x1f7), 0x50);
	char model[41];
	for (int i = 0; i < 20; i++) {
		model[2 * i] = (char)(w[27 + i] >> 8);
		model[2 * i + 1] = (char)(w[27 + i] & 0xff);
	}
	model[40] = 0;
	ck_assert_str_eq(model, "tandem HARDDISK                         ");
	uint64_t sectors = HD_BYTES / 512;
	ck_assert_uint_eq(w[0], 0x0040);
	ck_assert_uint_eq(w[1], 16383);
	ck_assert_uint_eq(w[3], 16);
	ck_assert_uint_eq(w[6], 63);
	ck_assert_uint_eq(w[49] & 0x0200, 0x0200);
	ck_assert_uint_eq((uint32_t)w[60] | (uint32_t)w[61] << 16, 0x0fffffff);
	ck_assert_uint_eq(w[83] & 0x0400, 0x0400);
	uint64_t s48 = 0;
	for (int i = 0; i < 4; i++)
		s48 |= (uint64_t)w[100 + i] << (16 * i);
	ck_assert_uint_eq(s48, sectors);
	uint8_t sum = 0;
	for (int i = 0; i < 256; i++)
		sum = (uint8_t)(sum + (w[i] & 0xff) + (w[i] >> 8));
	ck_assert_uint_eq(sum, 0);
	ck_assert_uint_eq(w[255] & 0xff, 0xa5);
	/* No device 1: status reads 0; its commands are ignored. */
	hw_out(&env, 0x1f6, 0xb0);
	ck_assert_uint_eq(hw_in(&env, 0x1f7), 0);
	hw_out(&env, 0x1f7, 0xec);
	ck_assert_uint_eq(hw_in(&env, 0x1f7), 0);
}
END_TEST

START_TEST(ide_lba48_round_trip_and_multiple)
{
	uint64_t lba = 0x10000010ull;	/* above LBA28's reach */
	lba48(0x1f0, lba, 2, 0x34);	/* WRITE SECTORS EXT */
	ck_assert_uint_eq(hw_in(&env, 0x1f7), 0x58);
	ck_assert_int_eq(irq14.rises, 0);	/* no IRQ before the first block */
	for (int i = 0; i < 256; i++)
		outw(0x1f0, (uint16_t)(i * 7 + 1));
	/* First block taken: interrupt, DRQ for the second. */
	ck_assert_int_eq(irq14.rises, 1);
	ck_assert_uint_eq(hw_in(&env, 0x1f7), 0x58);
	ck_assert_int_eq(irq14.level, 0);
	for (int i = 256; i < 512; i++)
		outw(0x1f0, (uint16_t)(i * 7 + 1));
	ck_assert_int_eq(irq14.rises, 2);
	ck_assert_uint_eq(hw_in(&env, 0x1f7), 0x50);
	uint8_t sec[1024];
	ck_assert_int_eq(disk_read(hd, lba, 2, sec), 0);
	ck_assert_uint_eq(sec[2], 8);
	ck_assert_uint_eq(sec[1023], (uint8_t)((511 * 7 + 1) >> 8));
	/* HOB readback of the high LBA bytes. */
	hw_out(&env, 0x3f6, 0x80);
	ck_assert_uint_eq(hw_in(&env, 0x1f3), 0x10);
	hw_out(&env, 0x3f6, 0x00);
	/* READ MULTIPLE without SET MULTIPLE aborts. */
	hw_out(&env, 0x1f2, 2);
	hw_out(&env, 0x1f7, 0xc4);
	ck_assert_uint_eq(hw_in(&env, 0x1f7), 0x51);
	ck_assert_uint_eq(hw_in(&env, 0x1f1), 0x04);
	hw_out(&env, 0x1f2, 3);
	hw_out(&env, 0x1f7, 0xc6);	/* not a power of two */
	ck_assert_uint_eq(hw_in(&env, 0x1f7) & 1, 1);
	hw_out(&env, 0x1f2, 2);
	hw_out(&env, 0x1f7, 0xc6);
	ck_assert_uint_eq(hw_in(&env, 0x1f7), 0x50);
	irq14.rises = 0;
	lba48(0x1f0, lba, 2, 0x29);	/* READ MULTIPLE EXT: one DRQ block */
	ck_assert_int_eq(irq14.rises, 1);
	uint32_t dw[256];
	for (int i = 0; i < 256; i++)
		dw[i] = ioport_read(env.io, 0x1f0, 4);	/* 32-bit PIO */
	ck_assert_uint_eq(hw_in(&env, 0x1f7), 0x50);
	ck_assert_int_eq(irq14.rises, 1);
	ck_assert_mem_eq(dw, sec, 1024);
	/* Past the end: IDNF. */
	lba48(0x1f0, HD_BYTES / 512 - 1, 2, 0x24);
	ck_assert_uint_eq(hw_in(&env, 0x1f7), 0x51);
	ck_assert_uint_eq(hw_in(&env, 0x1f1), 0x10);
}
END_TEST

START_TEST(ide_chs_and_device_parameters)
{
	uint8_t buf[512];
	memset(buf, 0xab, sizeof(buf));
	/* C/H/S 2/3/4 with the default 16x63 translation. */
	uint64_t lba = (2 * 16 + 3) * 63 + 3;
	ck_assert_int_eq(disk_write(hd, lba, 1, buf), 0);
	hw_out(&env, 0x1f6, 0xa3);
	hw_out(&env, 0x1f2, 1);
	hw_out(&env, 0x1f3, 4);
	hw_out(&env, 0x1f4, 2);
	hw_out(&env, 0x1f5, 0);
	hw_out(&env, 0x1f7, 0x20);
	ck_assert_uint_eq(hw_in(&env, 0x1f7), 0x58);
	ck_assert_uint_eq(inw(0x1f0), 0xabab);
	/* 91h: 4 heads, 17 sectors. */
	hw_out(&env, 0x1f6, 0xa3);
	hw_out(&env, 0x1f2, 17);
	hw_out(&env, 0x1f7, 0x91);
	ck_assert_uint_eq(hw_in(&env, 0x1f7), 0x50);
	hw_out(&env, 0x1f6, 0xa0);
	hw_out(&env, 0x1f7, 0xec);
	uint16_t w[256];
	read_words(0x1f0, w, 256);
	ck_assert_uint_eq(w[55], 4);
	ck_assert_uint_eq(w[56], 17);
	/* Sector 18 no longer exists. */
	hw_out(&env, 0x1f6, 0xa0);
	hw_out(&env, 0x1f2, 1);
	hw_out(&env, 0x1f3, 18);
	hw_out(&env, 0x1f4, 0);
	hw_out(&env, 0x1f7, 0x20);
	ck_assert_uint_eq(hw_in(&env, 0x1f7), 0x51);
	ck_assert_uint_eq(hw_in(&env, 0x1f1), 0x10);
	/* SRST: BSY while held, then the signature and diagnostic code. */
	hw_out(&env, 0x3f6, 0x04);
	ck_assert_uint_eq(hw_in(&env, 0x3f6), 0x80);
	hw_out(&env, 0x3f6, 0x00);
	ck_assert_uint_eq(hw_in(&env, 0x1f7), 0x50);
	ck_assert_uint_eq(hw_in(&env, 0x1f1), 0x01);
	/* nIEN masks the pin, not the pending interrupt. */
	hw_out(&env, 0x3f6, 0x02);
	hw_out(&env, 0x1f7, 0xe7);	/* FLUSH CACHE */
	ck_assert_int_eq(irq14.level, 0);
	hw_out(&env, 0x3f6, 0x00);
	ck_assert_int_eq(irq14.level, 1);
}
END_TEST

/* Writes a PRD table at 0x8000 and points ch's bus master at it. */
static void bm_setup(struct ide_channel *ch, const uint32_t *addr, const uint16_t *len,
		     int n, bool to_mem)
{
	uint8_t *ram = mem_ram_ptr(mem);
	for (int i = 0; i < n; i++) {
		uint8_t *e = ram + 0x8000 + 8 * i;
		memcpy(e, &addr[i], 4);
		e[4] = len[i] & 0xff;
		e[5] = len[i] >> 8;
		e[6] = 0;
		e[7] = i == n - 1 ? 0x80 : 0;
	}
	ide_bm_write(ch, 0, to_mem ? 0x08 : 0x00, 1);
	ide_bm_write(ch, 2, 0x06, 1);	/* clear IRQ, error */
	ide_bm_write(ch, 4, 0x8000, 4);
}

START_TEST(ide_bus_master_dma)
{
	uint8_t *ram = mem_ram_ptr(mem);
	uint8_t data[1536];
	for (int i = 0; i < 1536; i++)
		data[i] = (uint8_t)(i * 5 + 3);
	ck_assert_int_eq(disk_write(hd, 1000, 3, data), 0);
	/* Three sectors into two buffers (1 KiB + 512). */
	uint32_t a[2] = { 0x20000, 0x31000 };
	uint16_t l[2] = { 1024, 512 };
	bm_setup(pri, a, l, 2, true);
	hw_out(&env, 0x1f6, 0xe0);
	hw_out(&env, 0x1f2, 3);
	hw_out(&env, 0x1f3, 1000 & 0xff);
	hw_out(&env, 0x1f4, 1000 >> 8);
	hw_out(&env, 0x1f5, 0);
	hw_out(&env, 0x1f7, 0xc8);	/* READ DMA: waits for the engine */
	ck_assert_int_eq(irq14.level, 0);
	ck_assert_uint_eq(ide_bm_read(pri, 2, 1) & 1, 0);
	ide_bm_write(pri, 0, 0x09, 1);	/* start, to memory */
	ck_assert_int_eq(irq14.level, 1);
	/* Table used exactly: active clear, interrupt set. */
	ck_assert_uint_eq(ide_bm_read(pri, 2, 1) & 7, 0x04);
	ck_assert_mem_eq(ram + 0x20000, data, 1024);
	ck_assert_mem_eq(ram + 0x31000, data + 1024, 512);
	ck_assert_uint_eq(hw_in(&env, 0x1f7), 0x50);
	ide_bm_write(pri, 0, 0x08, 1);
	/* WRITE DMA EXT from one 64 KiB-sized (count 0) entry: the table is
	 * larger than the transfer, so the engine stays active. */
	for (int i = 0; i < 512; i++)
		ram[0x40000 + i] = (uint8_t)(0xff - i);
	uint32_t a2[1] = { 0x40000 };
	uint16_t l2[1] = { 0 };
	bm_setup(pri, a2, l2, 1, false);
	ide_bm_write(pri, 4, 0x8000, 4);
	lba48(0x1f0, 5, 1, 0x35);
	ide_bm_write(pri, 0, 0x01, 1);
	ck_assert_uint_eq(ide_bm_read(pri, 2, 1) & 7, 0x05);
	uint8_t sec[512];
	ck_assert_int_eq(disk_read(hd, 5, 1, sec), 0);
	ck_assert_mem_eq(sec, ram + 0x40000, 512);
	ide_bm_write(pri, 0, 0x00, 1);
	/* A PRD pointing outside RAM: error bit, the command aborts. */
	uint32_t a3[1] = { 0xf0000000u };
	uint16_t l3[1] = { 512 };
	bm_setup(pri, a3, l3, 1, true);
	ide_bm_write(pri, 4, 0x8000, 4);
	hw_out(&env, 0x1f6, 0xe0);
	hw_out(&env, 0x1f2, 1);
	hw_out(&env, 0x1f7, 0xc8);
	ide_bm_write(pri, 0, 0x09, 1);
	ck_assert_uint_eq(ide_bm_read(pri, 2, 1) & 3, 0x02);
	ck_assert_uint_eq(hw_in(&env, 0x1f7) & 1, 1);
}
END_TEST

static void packet(const uint8_t *cdb, uint16_t limit, bool dma)
{
	hw_out(&env, 0x176, 0xa0);
	hw_out(&env, 0x171, dma ? 1 : 0);
	hw_out(&env, 0x174, limit & 0xff);
	hw_out(&env, 0x175, limit >> 8);
	hw_out(&env, 0x177, 0xa0);
	ck_assert_uint_eq(hw_in(&env, 0x376) & 0x88, 0x08);
	ck_assert_uint_eq(hw_in(&env, 0x172), 0x01);	/* CoD: send the packet */
	for (int i = 0; i < 6; i++)
		outw(0x170, (uint16_t)(cdb[2 * i] | cdb[2 * i + 1] << 8));
}

/* Reads the data phase into out (up to max bytes); returns bytes read. */
static uint32_t data_in(uint8_t *out, uint32_t max)
{
	uint32_t got = 0;
	while ((hw_in(&env, 0x177) & 0x88) == 0x08) {
		ck_assert_uint_eq(hw_in(&env, 0x172), 0x02);
		uint32_t n = hw_in(&env, 0x174) | hw_in(&env, 0x175) << 8;
		for (uint32_t i = 0; i < n; i += 2) {
			uint16_t w = inw(0x170);
			ck_assert_uint_lt(got + 1, max);
			out[got++] = w & 0xff;
			out[got++] = w >> 8;
		}
	}
	ck_assert_uint_eq(hw_in(&env, 0x172), 0x03);
	return got;
}

START_TEST(atapi_signature_sense_and_read)
{
	/* ATAPI signature; IDENTIFY DEVICE aborts and leaves it. */
	ck_assert_uint_eq(hw_in(&env, 0x174), 0x14);
	ck_assert_uint_eq(hw_in(&env, 0x175), 0xeb);
	hw_out(&env, 0x177, 0xec);
	ck_assert_uint_eq(hw_in(&env, 0x177) & 1, 1);
	ck_assert_uint_eq(hw_in(&env, 0x175), 0xeb);
	hw_out(&env, 0x177, 0xa1);
	uint16_t w[256];
	read_words(0x170, w, 256);
	ck_assert_uint_eq(w[0], 0x85c0);
	/* First command after power-on: UNIT ATTENTION, then sense says so. */
	static const uint8_t tur[12] = { 0x00 };
	uint8_t buf[8192];
	packet(tur, 0, false);
	ck_assert_uint_eq(hw_in(&env, 0x177), 0x41);
	ck_assert_uint_eq(hw_in(&env, 0x171), 0x60);
	static const uint8_t rs[12] = { 0x03, 0, 0, 0, 18 };
	packet(rs, 18, false);
	ck_assert_uint_eq(data_in(buf, sizeof(buf)), 18);
	ck_assert_uint_eq(buf[2], 0x06);
	ck_assert_uint_eq(buf[12], 0x29);
	packet(tur, 0, false);
	ck_assert_uint_eq(hw_in(&env, 0x177), 0x50);
	/* READ CAPACITY */
	static const uint8_t cap[12] = { 0x25 };
	packet(cap, 8, false);
	ck_assert_uint_eq(data_in(buf, sizeof(buf)), 8);
	ck_assert_uint_eq(buf[2] << 8 | buf[3], CD_BLOCKS - 1);
	ck_assert_uint_eq(buf[6], 0x08);
	/* READ(10) two blocks from 17 with a 2048-byte limit: two DRQ phases. */
	static const uint8_t rd[12] = { 0x28, 0, 0, 0, 0, 17, 0, 0, 2 };
	irq15.rises = 0;
	packet(rd, 2048, false);
	ck_assert_uint_eq(data_in(buf, sizeof(buf)), 4096);
	ck_assert_int_eq(irq15.rises, 3);
	for (uint32_t i = 0; i < 4096; i++)
		ck_assert_uint_eq(buf[i], cd_byte(17 + i / 2048, i % 2048));
	/* Beyond the end: ILLEGAL REQUEST, LBA out of range. */
	static const uint8_t bad[12] = { 0x28, 0, 0, 0, 0x01, 0x2b, 0, 0, 2 };
	packet(bad, 2048, false);
	ck_assert_uint_eq(hw_in(&env, 0x177) & 1, 1);
	ck_assert_uint_eq(hw_in(&env, 0x171), 0x50);
	/* Unknown opcode. */
	static const uint8_t unk[12] = { 0xff };
	packet(unk, 0, false);
	ck_assert_uint_eq(hw_in(&env, 0x171), 0x50);
}
END_TEST

START_TEST(atapi_toc_events_and_dma)
{
	uint8_t buf[4096];
	static const uint8_t tur[12] = { 0x00 };
	packet(tur, 0, false);	/* eat the unit attention */
	/* TOC format 0, LBA: track 1 at 0, lead-out at the block count. */
	static const uint8_t toc[12] = { 0x43, 0, 0, 0, 0, 0, 0, 0, 100 };
	packet(toc, 100, false);
	ck_assert_uint_eq(data_in(buf, sizeof(buf)), 20);
	static const uint8_t want[20] = { 0, 18, 1, 1, 0, 0x14, 1, 0, 0, 0, 0, 0,
					  0, 0x16, 0xaa, 0, 0, 0, CD_BLOCKS >> 8,
					  CD_BLOCKS & 0xff };
	ck_assert_mem_eq(buf, want, 20);
	/* MSF: lead-out at block 300 + 150 = 0:06:00. */
	static const uint8_t tocm[12] = { 0x43, 2, 0, 0, 0, 0, 0, 0, 100 };
	packet(tocm, 100, false);
	ck_assert_uint_eq(data_in(buf, sizeof(buf)), 20);
	ck_assert_uint_eq(buf[9], 0);
	ck_assert_uint_eq(buf[10], 2);
	ck_assert_uint_eq(buf[17], 0);
	ck_assert_uint_eq(buf[18], 6);
	ck_assert_uint_eq(buf[19], 0);
	/* Format 1 (session info). */
	static const uint8_t ses[12] = { 0x43, 0, 1, 0, 0, 0, 0, 0, 12 };
	packet(ses, 12, false);
	ck_assert_uint_eq(data_in(buf, sizeof(buf)), 12);
	ck_assert_uint_eq(buf[1], 10);
	ck_assert_uint_eq(buf[6], 1);
	/* GET EVENT STATUS: new media once, then no change. */
	static const uint8_t gesn[12] = { 0x4a, 1, 0, 0, 0x10, 0, 0, 0, 8 };
	packet(gesn, 8, false);
	ck_assert_uint_eq(data_in(buf, sizeof(buf)), 8);
	ck_assert_uint_eq(buf[4], 2);
	ck_assert_uint_eq(buf[5], 2);
	packet(gesn, 8, false);
	ck_assert_uint_eq(data_in(buf, sizeof(buf)), 8);
	ck_assert_uint_eq(buf[4], 0);
	/* INQUIRY cut to its allocation length. */
	static const uint8_t inq[12] = { 0x12, 0, 0, 0, 8 };
	packet(inq, 100, false);
	ck_assert_uint_eq(data_in(buf, sizeof(buf)), 8);
	ck_assert_uint_eq(buf[0], 0x05);
	/* MODE SENSE(10) capabilities page. */
	static const uint8_t ms[12] = { 0x5a, 0, 0x2a, 0, 0, 0, 0, 0, 64 };
	packet(ms, 64, false);
	ck_assert_uint_eq(data_in(buf, sizeof(buf)), 28);
	ck_assert_uint_eq(buf[8], 0x2a);
	/* GET CONFIGURATION: current profile CD-ROM, profile list and core. */
	static const uint8_t gc[12] = { 0x46, 0, 0, 0, 0, 0, 0, 0, 64 };
	packet(gc, 64, false);
	ck_assert_uint_eq(data_in(buf, sizeof(buf)), 28);
	ck_assert_uint_eq(buf[3], 24);
	ck_assert_uint_eq(buf[7], 0x08);
	ck_assert_uint_eq(buf[13], 0x08);
	ck_assert_uint_eq(buf[17], 0x01);
	ck_assert_uint_eq(buf[23], 2);
	/* PREVENT, then eject refused; ALLOW, eject, TEST UNIT READY: no medium. */
	static const uint8_t prevent[12] = { 0x1e, 0, 0, 0, 1 };
	static const uint8_t eject[12] = { 0x1b, 0, 0, 0, 2 };
	static const uint8_t allow[12] = { 0x1e };
	packet(prevent, 0, false);
	packet(eject, 0, false);
	ck_assert_uint_eq(hw_in(&env, 0x171), 0x50);
	packet(allow, 0, false);
	packet(eject, 0, false);
	ck_assert_uint_eq(hw_in(&env, 0x177), 0x50);
	packet(tur, 0, false);
	ck_assert_uint_eq(hw_in(&env, 0x171), 0x20);
	static const uint8_t load[12] = { 0x1b, 0, 0, 0, 3 };
	packet(load, 0, false);
	/* READ(12) by DMA through the secondary bus master registers. */
	uint8_t *ram = mem_ram_ptr(mem);
	uint8_t *e = ram + 0x9000;
	uint32_t addr = 0x50000;
	memcpy(e, &addr, 4);
	e[4] = 0x00;
	e[5] = 0x10;	/* 4096 bytes */
	e[6] = 0;
	e[7] = 0x80;
	ide_bm_write(sec, 4, 0x9000, 4);
	ide_bm_write(sec, 0, 0x08, 1);
	static const uint8_t rd12[12] = { 0xa8, 0, 0, 0, 0, 100, 0, 0, 0, 2 };
	packet(rd12, 0, true);
	ck_assert_uint_eq(hw_in(&env, 0x177) & 0x08, 0x08);	/* waiting for DMA */
	ide_bm_write(sec, 0, 0x09, 1);
	ck_assert_uint_eq(ide_bm_read(sec, 2, 1) & 7, 0x04);
	ck_assert_uint_eq(hw_in(&env, 0x177), 0x50);
	ck_assert_uint_eq(hw_in(&env, 0x172), 0x03);
	for (uint32_t i = 0; i < 4096; i++)
		ck_assert_uint_eq(ram[0x50000 + i], cd_byte(100 + i / 2048, i % 2048));
}
END_TEST

START_TEST(ide_snapshot_mid_transfer)
{
	hw_out(&env, 0x1f6, 0xe0);
	hw_out(&env, 0x1f2, 2);
	hw_out(&env, 0x1f3, 0);
	hw_out(&env, 0x1f4, 0);
	hw_out(&env, 0x1f5, 0);
	hw_out(&env, 0x1f7, 0x30);
	for (int i = 0; i < 300; i++)
		outw(0x1f0, 0x1234);
	struct snap s;
	snap_init(&s);
	ide_desc.save(pri, &s);
	ide_desc.reset(pri);
	struct snap l;
	snap_open(&l, s.data, s.len);
	ck_assert_int_eq(ide_desc.load(pri, &l), 0);
	for (int i = 300; i < 512; i++)
		outw(0x1f0, 0x1234);
	ck_assert_uint_eq(hw_in(&env, 0x1f7), 0x50);
	uint8_t sec[1024];
	ck_assert_int_eq(disk_read(hd, 0, 2, sec), 0);
	ck_assert_uint_eq(sec[1022], 0x34);
	snap_free(&s);
}
END_TEST

START_TEST(ide_write_multiple_and_features)
{
	/* SET FEATURES: UDMA mode 2 shows in IDENTIFY word 88; bad mode aborts. */
	hw_out(&env, 0x1f6, 0xe0);
	hw_out(&env, 0x1f1, 0x03);
	hw_out(&env, 0x1f2, 0x42);
	hw_out(&env, 0x1f7, 0xef);
	ck_assert_uint_eq(hw_in(&env, 0x1f7), 0x50);
	hw_out(&env, 0x1f2, 0x77);
	hw_out(&env, 0x1f7, 0xef);
	ck_assert_uint_eq(hw_in(&env, 0x1f7), 0x51);
	hw_out(&env, 0x1f7, 0xec);
	uint16_t w[256];
	read_words(0x1f0, w, 256);
	ck_assert_uint_eq(w[88], 0x043f);
	/* WRITE MULTIPLE of 5 sectors with blocks of 4: two DRQ blocks. */
	hw_out(&env, 0x1f2, 4);
	hw_out(&env, 0x1f7, 0xc6);
	ck_assert_uint_eq(hw_in(&env, 0x1f7), 0x50);
	hw_out(&env, 0x1f6, 0xe0);
	hw_out(&env, 0x1f2, 5);
	hw_out(&env, 0x1f3, 40);
	hw_out(&env, 0x1f4, 0);
	hw_out(&env, 0x1f5, 0);
	irq14.rises = 0;
	hw_out(&env, 0x1f7, 0xc5);
	ck_assert_int_eq(irq14.rises, 0);
	for (int i = 0; i < 4 * 256; i++)
		outw(0x1f0, (uint16_t)i);
	ck_assert_int_eq(irq14.rises, 1);
	ck_assert_uint_eq(hw_in(&env, 0x1f7), 0x58);
	for (int i = 4 * 256; i < 5 * 256; i++)
		outw(0x1f0, (uint16_t)i);
	ck_assert_int_eq(irq14.rises, 2);
	ck_assert_uint_eq(hw_in(&env, 0x1f7), 0x50);
	uint8_t sec[512];
	ck_assert_int_eq(disk_read(hd, 44, 1, sec), 0);
	ck_assert_uint_eq(sec[0], 0x00);
	ck_assert_uint_eq(sec[1], 0x04);	/* word 1024 */
	/* READ NATIVE MAX ADDRESS EXT: the last LBA. */
	hw_out(&env, 0x1f7, 0x27);
	hw_out(&env, 0x3f6, 0x80);
	ck_assert_uint_eq(hw_in(&env, 0x1f3), (HD_BYTES / 512 - 1) >> 24 & 0xff);
	hw_out(&env, 0x3f6, 0x00);
	ck_assert_uint_eq(hw_in(&env, 0x1f3), (HD_BYTES / 512 - 1) & 0xff);
	/* EXECUTE DEVICE DIAGNOSTIC: signature, error 01h, interrupt. */
	hw_in(&env, 0x1f7);	/* acknowledge the last interrupt */
	irq14.rises = 0;
	hw_out(&env, 0x1f7, 0x90);
	ck_assert_int_eq(irq14.rises, 1);
	ck_assert_uint_eq(hw_in(&env, 0x1f1), 0x01);
	ck_assert_uint_eq(hw_in(&env, 0x1f2), 0x01);
}
END_TEST

Suite *ide_suite(void)
{
	Suite *s = suite_create("ide");
	TCase *tc = tcase_create("ata_atapi");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, ide_identify);
	tcase_add_test(tc, ide_lba48_round_trip_and_multiple);
	tcase_add_test(tc, ide_chs_and_device_parameters);
	tcase_add_test(tc, ide_bus_master_dma);
	tcase_add_test(tc, atapi_signature_sense_and_read);
	tcase_add_test(tc, atapi_toc_events_and_dma);
	tcase_add_test(tc, ide_snapshot_mid_transfer);
	tcase_add_test(tc, ide_write_multiple_and_features);
	suite_add_tcase(s, tc);
	return s;
}
