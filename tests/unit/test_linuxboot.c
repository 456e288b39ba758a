/* Direct Linux boot loader (hw/linuxboot.c) against synthetic bzImage
 * headers, the memory range iterator KVM builds its slots from, and the
 * clock's host-time mode. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hw/clock.h"
#include "hw/linuxboot.h"
#include "hw/memory.h"

#define RAM (64u << 20)
#define SETUP_SECTS 4
#define PM_LEN 0x3000

static uint8_t *kern;
static size_t kern_len;
static struct mem *mem;
static char err[256];

static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static uint32_t get32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }

/* A minimal protocol 2.15 bzImage: setup sectors, then PM_LEN bytes of
 * "protected-mode code" filled with a pattern. */
static void setup(void)
{
	kern_len = (SETUP_SECTS + 1) * 512 + PM_LEN;
	kern = calloc(1, kern_len);
	kern[0x1f1] = SETUP_SECTS;
	kern[0x1fe] = 0x55;
	kern[0x1ff] = 0xaa;
	kern[0x200] = 0xeb;
	kern[0x201] = 0x6a;		/* header ends at 0x26c */
	memcpy(kern + 0x202, "HdrS", 4);
	kern[0x206] = 0x0f;
	kern[0x207] = 0x02;
	kern[0x211] = 0x01;		/* LOADED_HIGH */
	put32(kern + 0x22c, 0x7fffffff);	/* initrd_addr_max */
	kern[0x234] = 1;		/* relocatable */
	put32(kern + 0x238, 2047);	/* cmdline_size */
	put32(kern + 0x258, 0x1000000);	/* pref_address 16M */
	put32(kern + 0x260, 0x800000);	/* init_size 8M */
	for (size_t i = 0; i < PM_LEN; i++)
		kern[(SETUP_SECTS + 1) * 512 + i] = (uint8_t)(i * 7);
	mem = mem_new(RAM);
	mem_reserve_hole(mem, 0xa0000, 0x60000);
}

static void teardown(void)
{
	free(kern);
	mem_free(mem);
}

static int load(const char *cmdline, const uint8_t *initrd, size_t initrd_len,
		struct x86_state *s, struct linuxboot_info *info)
{
	struct linuxboot_image img = { .kernel = kern, .kernel_len = kern_len,
				       .initrd = initrd, .initrd_len = initrd_len,
				       .cmdline = cmdline };
	memset(s, 0, sizeof(*s));
	return linuxboot_load(mem, &img, s, info, err, sizeof(err));
}

START_TEST(linuxboot_places_everything)
{
	struct x86_state s;
	struct linuxboot_info info;
	uint8_t initrd[5000];
	for (size_t i = 0; i < sizeof(initrd); i++)
		initrd[i] = (uint8_t)(i ^ 0x5a);
	ck_assert_int_eq(load("console=ttyS0 quiet", initrd, sizeof(initrd), &s, &info), 0);
	uint8_t *ram = mem_ram_ptr(mem);

	/* Kernel code at 1M, byte for byte. */
	ck_assert_int_eq(memcmp(ram + LINUXBOOT_KERNEL, kern + (SETUP_SECTS + 1) * 512, PM_LEN),
			 0);
	ck_assert_uint_eq(info.version, 0x020f);
	/* boot_params: header copied, loader fields filled. */
	uint8_t *bp = ram + LINUXBOOT_ZERO_PAGE;
	ck_assert_int_eq(memcmp(bp + 0x202, "HdrS", 4), 0);
	ck_assert_uint_eq(bp[0x210], 0xff);
	ck_assert_uint_eq(get32(bp + 0x228), LINUXBOOT_CMDLINE);
	ck_assert_str_eq((char *)ram + LINUXBOOT_CMDLINE, "console=ttyS0 quiet");
	/* initrd at the top of RAM, page aligned, intact. */
	uint32_t ia = get32(bp + 0x218);
	ck_assert_uint_eq(ia, info.initrd_addr);
	ck_assert_uint_eq(get32(bp + 0x21c), sizeof(initrd));
	ck_assert_uint_eq(ia & 0xfff, 0);
	ck_assert_uint_ge(ia, 0x1000000 + 0x800000);
	ck_assert_uint_le(ia + sizeof(initrd), RAM);
	ck_assert_int_eq(memcmp(ram + ia, initrd, sizeof(initrd)), 0);
	/* E820: low RAM, reserved, BIOS, extended RAM to the end. */
	ck_assert_uint_eq(bp[0x1e8], 4);
	uint8_t *e = bp + 0x2d0;
	ck_assert_uint_eq(get32(e + 8), 0x9fc00);
	ck_assert_uint_eq(get32(e + 16), 1);
	ck_assert_uint_eq(get32(e + 60), 0x100000);
	ck_assert_uint_eq(get32(e + 68), RAM - 0x100000);
	ck_assert_uint_eq(get32(e + 76), 1);
	/* 32-bit entry: flat segments from the GDT, ESI = boot_params. */
	ck_assert_uint_eq(s.rip, LINUXBOOT_KERNEL);
	ck_assert_uint_eq(s.gpr[X86_RSI], LINUXBOOT_ZERO_PAGE);
	ck_assert_uint_eq(s.cr0 & 0x80000001, 1);
	ck_assert_uint_eq(s.seg[X86_CS].sel, 0x10);
	ck_assert_uint_eq(s.seg[X86_DS].sel, 0x18);
	ck_assert_uint_eq(s.rflags & X86_IF, 0);
	uint64_t cs_desc;
	memcpy(&cs_desc, ram + LINUXBOOT_GDT + 0x10, 8);
	ck_assert(cs_desc == 0x00cf9b000000ffffull);
}
END_TEST

START_TEST(linuxboot_rejects_bad_images)
{
	struct x86_state s;
	kern[0x1fe] = 0;
	ck_assert_int_eq(load(NULL, NULL, 0, &s, NULL), -1);
	ck_assert_ptr_nonnull(strstr(err, "boot flag"));
	kern[0x1fe] = 0x55;
	memcpy(kern + 0x202, "HdrX", 4);
	ck_assert_int_eq(load(NULL, NULL, 0, &s, NULL), -1);
	ck_assert_ptr_nonnull(strstr(err, "HdrS"));
	memcpy(kern + 0x202, "HdrS", 4);
	kern[0x206] = 0x04;		/* protocol 2.04 */
	ck_assert_int_eq(load(NULL, NULL, 0, &s, NULL), -1);
	ck_assert_ptr_nonnull(strstr(err, "too old"));
	kern[0x206] = 0x0f;
	kern[0x1f1] = 200;		/* setup longer than the file */
	ck_assert_int_eq(load(NULL, NULL, 0, &s, NULL), -1);
	ck_assert_ptr_nonnull(strstr(err, "truncated"));
	kern[0x1f1] = SETUP_SECTS;
	kern[0x211] = 0;		/* zImage */
	ck_assert_int_eq(load(NULL, NULL, 0, &s, NULL), -1);
	kern[0x211] = 1;
	put32(kern + 0x260, 0xf0000000);	/* init_size beyond RAM */
	ck_assert_int_eq(load(NULL, NULL, 0, &s, NULL), -1);
	ck_assert_ptr_nonnull(strstr(err, "MiB of RAM"));
	put32(kern + 0x260, 0x800000);
	put32(kern + 0x238, 4);		/* cmdline_size */
	ck_assert_int_eq(load("console=ttyS0", NULL, 0, &s, NULL), -1);
	ck_assert_ptr_nonnull(strstr(err, "command line"));
	put32(kern + 0x238, 2047);
	/* An initrd larger than the room above the kernel. */
	size_t big = RAM - 0x1000000;
	uint8_t *rd = calloc(1, big);
	ck_assert_int_eq(load(NULL, rd, big, &s, NULL), -1);
	ck_assert_ptr_nonnull(strstr(err, "--initrd"));
	free(rd);
	/* And the good image still loads. */
	ck_assert_int_eq(load(NULL, NULL, 0, &s, NULL), 0);
}
END_TEST

struct seen {
	struct mem_range r[16];
	int n;
};

static void collect(void *opaque, const struct mem_range *r)
{
	struct seen *s = opaque;
	if (s->n < 16)
		s->r[s->n++] = *r;
}

static uint32_t dummy_read(void *o, uint32_t a, int size) { return 0; }
static void dummy_write(void *o, uint32_t a, uint32_t v, int size) { }
static const struct mmio_ops dummy_ops = { dummy_read, dummy_write, 1 };

START_TEST(mem_ranges_for_slots)
{
	static uint8_t vram[0x8000] __attribute__((aligned(4096)));
	uint8_t rom[0x10000];
	memset(rom, 0xea, sizeof(rom));
	ck_assert_int_eq(mem_map_host(mem, 0xb0000, 0x8000, vram, true), 0);
	ck_assert_int_eq(mem_map_rom(mem, 0xf0000, rom, sizeof(rom)), 0);
	ck_assert_int_eq(mem_map_rom(mem, 0xffff0000u, rom, sizeof(rom)), 0);
	ck_assert_int_eq(mem_map_mmio(mem, 0xfec00000u, 0x1000, &dummy_ops, NULL), 0);
	struct seen s = { .n = 0 };
	mem_for_each_range(mem, collect, &s);
	ck_assert_int_eq(s.n, 6);
	ck_assert(s.r[0].kind == MEM_RANGE_RAM && s.r[0].base == 0 && s.r[0].len == 0xa0000);
	ck_assert_ptr_eq(s.r[0].host, mem_ram_ptr(mem));
	ck_assert(s.r[1].kind == MEM_RANGE_HOST && s.r[1].base == 0xb0000 && s.r[1].writable);
	ck_assert_ptr_eq(s.r[1].host, vram);
	ck_assert(s.r[2].kind == MEM_RANGE_ROM && s.r[2].base == 0xf0000 && !s.r[2].writable);
	ck_assert_uint_eq((uintptr_t)s.r[2].host & 0xfff, 0);
	ck_assert(s.r[3].kind == MEM_RANGE_RAM && s.r[3].base == 0x100000 &&
		  s.r[3].len == RAM - 0x100000);
	ck_assert_ptr_eq(s.r[3].host, mem_ram_ptr(mem) + 0x100000);
	ck_assert(s.r[4].kind == MEM_RANGE_MMIO && s.r[4].base == 0xfec00000u &&
		  s.r[4].host == NULL);
	ck_assert(s.r[5].kind == MEM_RANGE_ROM && s.r[5].base == 0xffff0000u &&
		  s.r[5].len == 0x10000);
	ck_assert_uint_eq((uintptr_t)mem_ram_ptr(mem) & 0xfff, 0);
}
END_TEST

START_TEST(clock_host_time_follows_the_host)
{
	uint64_t cycles = 1000;
	struct clock *c = clock_new(&cycles, 1000000, NULL, NULL);
	cycles += 1000;
	uint64_t t0 = clock_now(c);
	ck_assert_uint_eq(t0, 1000 * 1000000ull);	/* 1000 cycles at 1 MHz = 1 ms */
	clock_set_host_time(c, 1);
	ck_assert(clock_host_time(c));
	cycles += 1000000;	/* ignored now */
	struct timespec ts = { 0, 20 * 1000000 };
	nanosleep(&ts, NULL);
	uint64_t t1 = clock_now(c);
	ck_assert_uint_ge(t1, t0 + 20 * 1000000000ull);
	ck_assert_uint_lt(t1, t0 + 900 * 1000000000ull);
	/* Back to cycles: continues from where host time was. */
	clock_set_host_time(c, 0);
	uint64_t t2 = clock_now(c);
	ck_assert_uint_ge(t2, t1);
	cycles += 1000;
	ck_assert_uint_eq(clock_now(c), t2 + 1000 * 1000000ull);
	clock_free(c);
}
END_TEST

Suite *linuxboot_suite(void)
{
	Suite *s = suite_create("linuxboot");
	TCase *tc = tcase_create("loader");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, linuxboot_places_everything);
	tcase_add_test(tc, linuxboot_rejects_bad_images);
	tcase_add_test(tc, mem_ranges_for_slots);
	tcase_add_test(tc, clock_host_time_follows_the_host);
	suite_add_tcase(s, tc);
	return s;
}
