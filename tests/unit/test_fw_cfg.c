/* fw_cfg at 510h: items, file directory, DMA interface. */
#include <check.h>
#include <errno.h>
#include <string.h>

#include "hw/fw_cfg.h"
#include "hw/memory.h"
#include "tests/unit/hw_harness.h"

static struct hw_env env;
static struct mem *mem;
static struct fw_cfg *fw;

static void setup(void)
{
	hw_env_init(&env);
	mem = mem_new(1u << 20);
	ck_assert_ptr_nonnull(mem);
	fw = fw_cfg_new(env.io, 0x510, mem);
	ck_assert_ptr_nonnull(fw);
	ck_assert_int_eq(fw_cfg_add_pc_items(fw, 32u << 20, true, 'c',
					     "/pci@i0cf8/ide@1,1/drive@0/disk@0"), 0);
}

static void teardown(void)
{
	fw_cfg_desc.free(fw);
	mem_free(mem);
	hw_env_free(&env);
}

static void select_key(uint16_t key)
{
	ioport_write(env.io, 0x510, key, 2);
}

static void read_item(uint16_t key, uint8_t *buf, uint32_t n)
{
	select_key(key);
	for (uint32_t i = 0; i < n; i++)
		buf[i] = hw_in(&env, 0x511);
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Finds name in the directory: its key and size. */
static int find_file(const char *name, uint16_t *key, uint32_t *size)
{
	uint8_t hdr[4];
	read_item(FW_CFG_FILE_DIR, hdr, 4);
	uint32_t n = be32(hdr);
	for (uint32_t i = 0; i < n; i++) {
		uint8_t e[64];
		for (int j = 0; j < 64; j++)
			e[j] = hw_in(&env, 0x511);
		if (strcmp((char *)e + 8, name) == 0) {
			*size = be32(e);
			*key = (uint16_t)(e[4] << 8 | e[5]);
			return 0;
		}
	}
	return -1;
}

START_TEST(fw_cfg_signature_and_items)
{
	uint8_t b[16];
	read_item(FW_CFG_SIGNATURE, b, 5);
	ck_assert_mem_eq(b, "QEMU", 4);
	ck_assert_uint_eq(b[4], 0);	/* past the end: zeros */
	read_item(FW_CFG_ID, b, 4);
	ck_assert_uint_eq(b[0], 3);
	read_item(FW_CFG_RAM_SIZE, b, 8);
	ck_assert_uint_eq(b[3], 0x02);
	read_item(FW_CFG_BOOT_DEVICE, b, 2);
	ck_assert_uint_eq(b[0], 'c');
	read_item(FW_CFG_NB_CPUS, b, 2);
	ck_assert_uint_eq(b[0], 1);
	read_item(FW_CFG_KERNEL_SIZE, b, 4);
	ck_assert_uint_eq(be32(b), 0);
	/* Arch-local keys and unknown keys read as zeros. */
	read_item(0x8003, b, 2);
	ck_assert_uint_eq(b[0], 0);
	read_item(0x7fff, b, 2);
	ck_assert_uint_eq(b[1], 0);
	/* The DMA address register reads "QEMU CFG". */
	ck_assert_uint_eq(hw_in(&env, 0x514), 'Q');
	ck_assert_uint_eq(hw_in(&env, 0x51b), 'G');
}
END_TEST

START_TEST(fw_cfg_directory_and_files)
{
	uint16_t key;
	uint32_t size;
	ck_assert_int_eq(find_file("etc/e820", &key, &size), 0);
	ck_assert_uint_eq(size, 20);
	uint8_t e[20];
	read_item(key, e, 20);
	uint64_t len = 0;
	for (int i = 0; i < 8; i++)
		len |= (uint64_t)e[8 + i] << (8 * i);
	ck_assert_uint_eq(len, 32u << 20);
	ck_assert_uint_eq(e[16], 1);
	ck_assert_int_eq(find_file("bootorder", &key, &size), 0);
	char bo[64] = { 0 };
	read_item(key, (uint8_t *)bo, size);
	ck_assert_uint_eq(size, 34);	/* 33 characters and the NUL */
	ck_assert_str_eq(bo, "/pci@i0cf8/ide@1,1/drive@0/disk@0");
	/* Adding a kernel-style file; replacing keeps its key. */
	ck_assert_int_eq(fw_cfg_add_file(fw, "opt/test", "abc", 3), 0);
	uint16_t k2;
	ck_assert_int_eq(find_file("opt/test", &k2, &size), 0);
	ck_assert_int_eq(fw_cfg_add_file(fw, "opt/test", "abcdef", 6), 0);
	uint16_t k3;
	ck_assert_int_eq(find_file("opt/test", &k3, &size), 0);
	ck_assert_uint_eq(k2, k3);
	ck_assert_uint_eq(size, 6);
	ck_assert_int_eq(find_file("nonexistent", &k3, &size), -1);
	char longname[80];
	memset(longname, 'x', sizeof(longname));
	longname[79] = 0;
	ck_assert_int_eq(fw_cfg_add_file(fw, longname, "", 0), -EINVAL);
}
END_TEST

static void dma_desc_at(uint32_t at, uint32_t ctl, uint32_t len, uint32_t addr)
{
	uint8_t *ram = mem_ram_ptr(mem);
	uint32_t v[4] = { __builtin_bswap32(ctl), __builtin_bswap32(len), 0,
			  __builtin_bswap32(addr) };
	memcpy(ram + at, v, 16);
	ioport_write(env.io, 0x514, 0, 4);
	ioport_write(env.io, 0x518, __builtin_bswap32(at), 4);
}

START_TEST(fw_cfg_dma)
{
	uint8_t *ram = mem_ram_ptr(mem);
	memset(ram + 0x2000, 0xee, 16);
	/* SELECT signature + READ 6 bytes: 4 data, 2 zeros. */
	dma_desc_at(0x1000, (FW_CFG_SIGNATURE << 16) | 0x08 | 0x02, 6, 0x2000);
	ck_assert_uint_eq(be32(ram + 0x1000), 0);
	ck_assert_mem_eq(ram + 0x2000, "QEMU\0\0", 6);
	ck_assert_uint_eq(ram[0x2006], 0xee);
	/* SKIP then READ within the e820 file. */
	uint16_t key;
	uint32_t size;
	ck_assert_int_eq(find_file("etc/e820", &key, &size), 0);
	dma_desc_at(0x1000, ((uint32_t)key << 16) | 0x08 | 0x04, 16, 0);
	dma_desc_at(0x1000, 0x02, 4, 0x3000);
	ck_assert_uint_eq(ram[0x3000], 1);
	/* A destination outside RAM and a write: error bit. */
	dma_desc_at(0x1000, 0x08 | 0x02, 4, 0xfff00000u);
	ck_assert_uint_eq(be32(ram + 0x1000), 1);
	dma_desc_at(0x1000, 0x10, 4, 0x3000);
	ck_assert_uint_eq(be32(ram + 0x1000), 1);
}
END_TEST

Suite *fw_cfg_suite(void)
{
	Suite *s = suite_create("fw_cfg");
	TCase *tc = tcase_create("fw_cfg");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, fw_cfg_signature_and_items);
	tcase_add_test(tc, fw_cfg_directory_and_files);
	tcase_add_test(tc, fw_cfg_dma);
	suite_add_tcase(s, tc);
	return s;
}
