/* 8237 pair programmed through its ports; transfers driven by dma_transfer. */
#include <check.h>
#include <string.h>

#include "hw/dma8237.h"
#include "hw/memory.h"
#include "tests/unit/hw_harness.h"

static struct hw_env env;
static struct mem *mem;
static struct dma *dma;

static void setup(void)
{
	hw_env_init(&env);
	mem = mem_new(1u << 20);
	ck_assert_ptr_nonnull(mem);
	dma = dma_new(env.io, mem, true);
	ck_assert_ptr_nonnull(dma);
	/* As a BIOS does: channel 4 cascades controller 1, unmasked. */
	hw_out(&env, 0xd6, 0xc0);
	hw_out(&env, 0xd4, 0x00);
}

static void teardown(void)
{
	dma_desc.free(dma);
	mem_free(mem);
	hw_env_free(&env);
}

/* Programs 8-bit channel ch (0-3) the way a BIOS does. */
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

START_TEST(dma_write_wraps_in_page_and_sets_tc)
{
	uint8_t *ram = mem_ram_ptr(mem);
	uint8_t data[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	program8(1, 0x44, 0x02, 0xfffe, 3);	/* single, write, increment */
	ck_assert(dma_ready(dma, 1));
	ck_assert_uint_eq(dma_transfer(dma, 1, data, 8, DMA_TO_MEM), 4);
	ck_assert(dma_tc(dma, 1));
	ck_assert_uint_eq(ram[0x2fffe], 1);
	ck_assert_uint_eq(ram[0x2ffff], 2);
	/* The address counter wraps inside the 64 KiB page: no carry into
	 * the page register. */
	ck_assert_uint_eq(ram[0x20000], 3);
	ck_assert_uint_eq(ram[0x20001], 4);
	ck_assert_uint_eq(ram[0x30000], 0);
	/* TC bit 1 in status, cleared by the read; the channel masked itself. */
	ck_assert_uint_eq(hw_in(&env, 0x08) & 0x0f, 0x02);
	ck_assert_uint_eq(hw_in(&env, 0x08) & 0x0f, 0);
	ck_assert(!dma_ready(dma, 1));
	ck_assert_uint_eq(dma_transfer(dma, 1, data, 8, DMA_TO_MEM), 0);
	ck_assert_uint_eq(hw_in(&env, 0x0f) & 0x0f, 0x0f);
	/* Current address and count read back through the flip-flop. */
	hw_out(&env, 0x0c, 0);
	ck_assert_uint_eq(hw_in(&env, 0x02), 0x02);
	ck_assert_uint_eq(hw_in(&env, 0x02), 0x00);
	ck_assert_uint_eq(hw_in(&env, 0x03), 0xff);
	ck_assert_uint_eq(hw_in(&env, 0x03), 0xff);
}
END_TEST

START_TEST(dma_partial_read_then_autoinit)
{
	uint8_t *ram = mem_ram_ptr(mem);
	for (int i = 0; i < 16; i++)
		ram[0x5000 + i] = (uint8_t)(0xa0 + i);
	program8(2, 0x58, 0x00, 0x5000, 9);	/* single, read, auto-init */
	uint8_t out[16];
	memset(out, 0, sizeof(out));
	ck_assert_uint_eq(dma_transfer(dma, 2, out, 4, DMA_FROM_MEM), 4);
	ck_assert(!dma_tc(dma, 2));
	ck_assert_uint_eq(dma_remaining(dma, 2), 6);
	ck_assert_uint_eq(out[3], 0xa3);
	ck_assert_uint_eq(dma_transfer(dma, 2, out, 16, DMA_FROM_MEM), 6);
	ck_assert(dma_tc(dma, 2));
	ck_assert_uint_eq(out[0], 0xa4);
	ck_assert_uint_eq(out[5], 0xa9);
	/* Auto-init reloaded the base registers and left the channel open. */
	ck_assert(dma_ready(dma, 2));
	ck_assert_uint_eq(dma_remaining(dma, 2), 10);
	ck_assert_uint_eq(dma_transfer(dma, 2, out, 1, DMA_FROM_MEM), 1);
	ck_assert_uint_eq(out[0], 0xa0);
}
END_TEST

START_TEST(dma_decrement_verify_and_mismatch)
{
	uint8_t *ram = mem_ram_ptr(mem);
	uint8_t data[3] = { 0x11, 0x22, 0x33 };
	program8(3, 0x64, 0x00, 0x0001, 2);	/* write, decrement */
	ck_assert_uint_eq(dma_transfer(dma, 3, data, 3, DMA_TO_MEM), 3);
	ck_assert_uint_eq(ram[0x0001], 0x11);
	ck_assert_uint_eq(ram[0x0000], 0x22);
	ck_assert_uint_eq(ram[0xffff], 0x33);	/* wrapped down inside page 0 */
	ck_assert_uint_eq(ram[0x10000 - 1 + 0x10000], 0);
	/* Verify: counts, touches nothing. */
	program8(0, 0x40, 0x00, 0x0100, 1);
	ck_assert_uint_eq(dma_transfer(dma, 0, data, 2, DMA_TO_MEM), 2);
	ck_assert_uint_eq(ram[0x100], 0);
	ck_assert(dma_tc(dma, 0));
	/* A read transfer when the device writes: counted, memory untouched. */
	program8(0, 0x48, 0x00, 0x0200, 0);
	ck_assert_uint_eq(dma_transfer(dma, 0, data, 1, DMA_TO_MEM), 1);
	ck_assert_uint_eq(ram[0x200], 0);
}
END_TEST

START_TEST(dma_16bit_channel_and_disable)
{
	uint8_t *ram = mem_ram_ptr(mem);
	uint8_t data[6] = { 1, 2, 3, 4, 5, 6 };
	/* Channel 5: word address 8000h in page 3 -> 20000h + 10000h. */
	hw_out(&env, 0xd4, 0x05);
	hw_out(&env, 0xd8, 0);
	hw_out(&env, 0xd6, 0x45);
	hw_out(&env, 0xc4, 0x00);
	hw_out(&env, 0xc4, 0x80);
	hw_out(&env, 0xc6, 0x01);	/* two words */
	hw_out(&env, 0xc6, 0x00);
	hw_out(&env, 0x8b, 0x03);
	hw_out(&env, 0xd4, 0x01);
	ck_assert_uint_eq(dma_transfer(dma, 5, data, 6, DMA_TO_MEM), 4);
	ck_assert_uint_eq(ram[0x30000], 1);
	ck_assert_uint_eq(ram[0x30003], 4);
	ck_assert_uint_eq(ram[0x30004], 0);
	ck_assert_uint_eq(hw_in(&env, 0xd0) & 0x0f, 0x02);
	/* Channels 0-3 need channel 4 (cascade) open on controller 2. */
	program8(1, 0x44, 0x00, 0x0000, 0);
	ck_assert(dma_ready(dma, 1));
	hw_out(&env, 0xd4, 0x04);
	ck_assert(!dma_ready(dma, 1));
	hw_out(&env, 0xd4, 0x00);
	/* Command bit 2 disables a controller. */
	hw_out(&env, 0x08, 0x04);
	ck_assert_uint_eq(dma_transfer(dma, 1, data, 1, DMA_TO_MEM), 0);
	/* Master clear masks everything. */
	hw_out(&env, 0x0d, 0);
	ck_assert_uint_eq(hw_in(&env, 0x0f) & 0x0f, 0x0f);
	/* Page registers are plain latches, 80h is not ours. */
	hw_out(&env, 0x84, 0x5a);
	ck_assert_uint_eq(hw_in(&env, 0x84), 0x5a);
}
END_TEST

START_TEST(dma_outside_ram_is_harmless)
{
	uint8_t data[4] = { 9, 9, 9, 9 };
	program8(1, 0x44, 0xff, 0xfffe, 3);	/* FFFFFEh: far beyond 1 MiB */
	ck_assert_uint_eq(dma_transfer(dma, 1, data, 4, DMA_TO_MEM), 4);
	program8(1, 0x48, 0xff, 0x0000, 3);
	ck_assert_uint_eq(dma_transfer(dma, 1, data, 4, DMA_FROM_MEM), 4);
	ck_assert_uint_eq(data[0], 0xff);
}
END_TEST

START_TEST(dma_snapshot_round_trip)
{
	program8(2, 0x46 & 0xfc, 0x07, 0x1234, 0x0fff);
	struct snap s;
	snap_init(&s);
	dma_desc.save(dma, &s);
	dma_desc.reset(dma);
	ck_assert(!dma_ready(dma, 2));
	struct snap r;
	snap_open(&r, s.data, s.len);
	ck_assert_int_eq(dma_desc.load(dma, &r), 0);
	ck_assert(dma_ready(dma, 2));
	ck_assert_uint_eq(dma_remaining(dma, 2), 0x1000);
	ck_assert_uint_eq(hw_in(&env, 0x81), 0x07);
	snap_free(&s);
}
END_TEST

Suite *dma_suite(void)
{
	Suite *s = suite_create("dma");
	TCase *tc = tcase_create("i8237");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, dma_write_wraps_in_page_and_sets_tc);
	tcase_add_test(tc, dma_partial_read_then_autoinit);
	tcase_add_test(tc, dma_decrement_verify_and_mismatch);
	tcase_add_test(tc, dma_16bit_channel_and_disable);
	tcase_add_test(tc, dma_outside_ram_is_harmless);
	tcase_add_test(tc, dma_snapshot_round_trip);
	suite_add_tcase(s, tc);
	return s;
}
