/* Unit tests for the machine core: memory map, port bus, clock, snapshots,
 * disk geometry and option parsing. */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hw/clock.h"
#include "hw/disk.h"
#include "hw/ioport.h"
#include "hw/memory.h"
#include "util/options.h"
#include "util/snapshot.h"

/* --- memory ----------------------------------------------------------- */

static uint32_t mmio_last_addr, mmio_last_val;
static int mmio_last_size;

static uint32_t t_mmio_read(void *o, uint32_t addr, int size)
{
	mmio_last_addr = addr;
	mmio_last_size = size;
	return 0x40 + (addr & 0xff);
}

static void t_mmio_write(void *o, uint32_t addr, uint32_t val, int size)
{
	mmio_last_addr = addr;
	mmio_last_val = val;
	mmio_last_size = size;
}

static const struct mmio_ops t_mmio = { t_mmio_read, t_mmio_write, 1 | 2 };

START_TEST(mem_ram_rom_hole)
{
	struct mem *m = mem_new(2 << 20);
	ck_assert_ptr_nonnull(m);
	mem_write16(m, 0x1234, 0xbeef);
	ck_assert_uint_eq(mem_read8(m, 0x1234), 0xef);
	ck_assert_uint_eq(mem_read16(m, 0x1234), 0xbeef);
	/* A word straddling a page boundary. */
	mem_write32(m, 0xffe, 0x11223344);
	ck_assert_uint_eq(mem_read32(m, 0xffe), 0x11223344);

	ck_assert_int_eq(mem_reserve_hole(m, 0xa0000, 0x60000), 0);
	ck_assert_uint_eq(mem_read8(m, 0xa0000), 0xff);
	mem_write8(m, 0xa0000, 0x12);
	ck_assert_uint_eq(mem_read8(m, 0xa0000), 0xff);

	uint8_t rom[4096];
	memset(rom, 0x5a, sizeof(rom));
	ck_assert_int_eq(mem_map_rom(m, 0xf0000, rom, sizeof(rom)), 0);
	ck_assert_uint_eq(mem_read8(m, 0xf0010), 0x5a);
	mem_write8(m, 0xf0010, 0);
	ck_assert_uint_eq(mem_read8(m, 0xf0010), 0x5a);	/* ROM is read-only */
	ck_assert_ptr_null(mem_page_wr(m, 0xf0000));
	ck_assert_int_eq(mem_map_rom(m, 0xf0001, rom, 16), -EINVAL);
	mem_free(m);
}
END_TEST

START_TEST(mem_a20_and_mmio)
{
	struct mem *m = mem_new(2 << 20);
	mem_write8(m, 0x100005, 0xaa);
	mem_write8(m, 0x000005, 0xbb);
	ck_assert_uint_eq(mem_read8(m, 0x100005), 0xaa);
	uint64_t gen = mem_generation(m);
	mem_set_a20(m, false);
	ck_assert(mem_generation(m) != gen);
	ck_assert_uint_eq(mem_read8(m, 0x100005), 0xbb);	/* wraps to 0x5 */
	mem_set_a20(m, true);

	ck_assert_int_eq(mem_map_mmio(m, 0x1a0000, 4096, &t_mmio, NULL), 0);
	ck_assert_uint_eq(mem_read8(m, 0x1a0010), 0x50);
	mem_write16(m, 0x1a0020, 0x1234);
	ck_assert_uint_eq(mmio_last_size, 2);
	ck_assert_uint_eq(mmio_last_val, 0x1234);
	/* 32-bit access on a 1|2 device is split into bytes. */
	mem_write32(m, 0x1a0030, 0xa1b2c3d4);
	ck_assert_uint_eq(mmio_last_size, 1);
	ck_assert_uint_eq(mmio_last_addr, 0x33);
	ck_assert_uint_eq(mmio_last_val, 0xa1);
	mem_unmap(m, 0x1a0000, 4096);
	mem_write8(m, 0x1a0010, 0x77);
	ck_assert_uint_eq(mem_read8(m, 0x1a0010), 0x77);	/* RAM again */
	mem_free(m);
}
END_TEST

START_TEST(mem_bulk_copies_bounds)
{
	struct mem *m = mem_new(64 << 10);
	uint8_t buf[600];
	memset(buf, 0x3c, sizeof(buf));
	ck_assert_int_eq(mem_copy_to_guest(m, 0x1000, buf, sizeof(buf)), 0);
	ck_assert_uint_eq(mem_read8(m, 0x1000 + 599), 0x3c);
	/* Crossing the end of RAM copies nothing. */
	ck_assert_int_eq(mem_copy_to_guest(m, (64 << 10) - 100, buf, sizeof(buf)), -EFAULT);
	ck_assert_uint_eq(mem_read8(m, (64 << 10) - 100), 0);
	ck_assert_int_eq(mem_copy_from_guest(m, buf, 0xfffffff0u, 32), -EFAULT);
	ck_assert_ptr_null(mem_new(0));
	ck_assert_ptr_null(mem_new(1000));
	mem_free(m);
}
END_TEST

START_TEST(mem_region_slots_reused)
{
	struct mem *m = mem_new(1 << 20);
	/* A guest moving a BAR over and over: far more moves than slots. */
	for (int i = 0; i < 2000; i++) {
		uint32_t base = 0xe0000000u + (uint32_t)(i % 7) * 0x10000;
		ck_assert_int_eq(mem_map_mmio(m, base, 0x2000, &t_mmio, NULL), 0);
		ck_assert_uint_eq(mem_read8(m, base + 0x10), 0x50);
		mem_unmap(m, base, 0x2000);
		ck_assert_uint_eq(mem_read8(m, base + 0x10), 0xff);
	}
	/* Mapping over a mapping frees the old one once no page uses it. */
	uint8_t rom[4096];
	for (int i = 0; i < 1000; i++) {
		memset(rom, i & 0xff, sizeof(rom));
		ck_assert_int_eq(mem_map_rom(m, 0xfff00000u, rom, sizeof(rom)), 0);
	}
	ck_assert_uint_eq(mem_read8(m, 0xfff00000u), 999 & 0xff);
	/* A partly overwritten region keeps its other pages. */
	ck_assert_int_eq(mem_map_mmio(m, 0xd0000000u, 0x3000, &t_mmio, NULL), 0);
	ck_assert_int_eq(mem_map_rom(m, 0xd0001000u, rom, sizeof(rom)), 0);
	ck_assert_uint_eq(mem_read8(m, 0xd0000020u), 0x60);
	ck_assert_uint_eq(mem_read8(m, 0xd0001000u), 999 & 0xff);
	ck_assert_uint_eq(mem_read8(m, 0xd0002030u), 0x70);
	mem_free(m);
}
END_TEST

Suite *mem_suite(void)
{
	Suite *s = suite_create("mem");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, mem_region_slots_reused);
	tcase_add_test(tc, mem_ram_rom_hole);
	tcase_add_test(tc, mem_a20_and_mmio);
	tcase_add_test(tc, mem_bulk_copies_bounds);
	suite_add_tcase(s, tc);
	return s;
}

/* --- ports ------------------------------------------------------------ */

static uint8_t port_regs[8];

static uint32_t t_io_read(void *o, uint16_t port, int size)
{
	return port_regs[port & 7];
}

static void t_io_write(void *o, uint16_t port, uint32_t val, int size)
{
	port_regs[port & 7] = (uint8_t)val;
}

static const struct ioport_ops t_io = { t_io_read, t_io_write, 0 };

START_TEST(ioport_dispatch)
{
	struct ioport_bus *b = ioport_bus_new();
	ck_assert_int_eq(ioport_register(b, 0x100, 8, &t_io, NULL), 0);
	ck_assert_int_eq(ioport_register(b, 0x107, 2, &t_io, NULL), -EBUSY);
	ck_assert_int_eq(ioport_register(b, 0xffff, 2, &t_io, NULL), -EINVAL);
	ioport_write(b, 0x102, 0x5566, 2);	/* split into two bytes */
	ck_assert_uint_eq(port_regs[2], 0x66);
	ck_assert_uint_eq(port_regs[3], 0x55);
	ck_assert_uint_eq(ioport_read(b, 0x102, 2), 0x5566);
	ck_assert_uint_eq(ioport_read(b, 0x200, 1), 0xff);
	ck_assert_uint_eq(ioport_read(b, 0x107, 2), 0xff00 | port_regs[7]);
	ck_assert_uint_eq(ioport_read(b, 0x300, 4), 0xffffffffu);
	ioport_bus_free(b);
}
END_TEST

Suite *ioport_suite(void)
{
	Suite *s = suite_create("ioport");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, ioport_dispatch);
	suite_add_tcase(s, tc);
	return s;
}

/* --- clock ------------------------------------------------------------ */

static int fired[4];
static int kicks;
static struct timer *rearm_timer;

static void on_timer(void *o) { fired[(intptr_t)o]++; }
static void on_kick(void *o) { kicks++; }
static void on_rearm(void *o)
{
	fired[3]++;
	if (fired[3] < 3)
		timer_mod(rearm_timer, timer_expires(rearm_timer) == CLOCK_NEVER ? 0 : 0);
}

START_TEST(clock_time_and_timers)
{
	uint64_t cycles = 0;
	memset(fired, 0, sizeof(fired));
	kicks = 0;
	struct clock *c = clock_new(&cycles, 4772727, on_kick, NULL);
	ck_assert_uint_eq(clock_now(c), 0);
	cycles = 4772727;
	ck_assert_uint_eq(clock_now(c), CLOCK_PS_PER_SEC);
	/* 1.193182 MHz PIT ticks in one second of a 4.77 MHz CPU. */
	ck_assert_uint_eq(clock_ps_to_ticks(clock_now(c), 1193182), 1193182);

	struct timer *a = timer_new(c, on_timer, (void *)(intptr_t)0);
	struct timer *b = timer_new(c, on_timer, (void *)(intptr_t)1);
	timer_mod(a, 3 * CLOCK_PS_PER_SEC);
	ck_assert_int_eq(kicks, 1);
	timer_mod(b, 2 * CLOCK_PS_PER_SEC);
	ck_assert_int_eq(kicks, 2);		/* earlier deadline kicks */
	timer_mod(a, 4 * CLOCK_PS_PER_SEC);
	ck_assert_int_eq(kicks, 2);		/* later one does not */
	ck_assert_uint_eq(clock_next_deadline(c), 2 * CLOCK_PS_PER_SEC);
	cycles = 2 * 4772727;
	clock_run_timers(c);
	ck_assert_int_eq(fired[1], 1);
	ck_assert_int_eq(fired[0], 0);
	ck_assert(!timer_pending(b));
	ck_assert_uint_eq(clock_next_deadline(c), 4 * CLOCK_PS_PER_SEC);
	timer_del(a);
	ck_assert_uint_eq(clock_next_deadline(c), CLOCK_NEVER);

	/* Changing the CPU clock keeps time continuous. */
	uint64_t before = clock_now(c);
	clock_set_hz(c, 8000000);
	ck_assert_uint_eq(clock_now(c), before);
	cycles += 8000000;
	ck_assert_uint_eq(clock_now(c), before + CLOCK_PS_PER_SEC);

	/* A timer re-arming itself in the past does not loop forever. */
	rearm_timer = timer_new(c, on_rearm, NULL);
	timer_mod(rearm_timer, 0);
	clock_run_timers(c);
	ck_assert_int_eq(fired[3], 3);
	timer_free(rearm_timer);
	timer_free(a);
	timer_free(b);
	clock_free(c);
}
END_TEST

Suite *clock_suite(void)
{
	Suite *s = suite_create("clock");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, clock_time_and_timers);
	suite_add_tcase(s, tc);
	return s;
}

/* --- snapshots, disks, options ---------------------------------------- */

START_TEST(snapshot_roundtrip)
{
	struct snap w, r;
	snap_init(&w);
	snap_put_u8(&w, 0x12);
	snap_put_u16(&w, 0x3456);
	snap_put_u32(&w, 0x789abcde);
	snap_put_u64(&w, 0x0102030405060708ull);
	ck_assert_uint_eq(w.len, 15);
	ck_assert_uint_eq(w.data[1], 0x56);	/* little endian on the wire */
	snap_open(&r, w.data, w.len);
	ck_assert_uint_eq(snap_get_u8(&r), 0x12);
	ck_assert_uint_eq(snap_get_u16(&r), 0x3456);
	ck_assert_uint_eq(snap_get_u32(&r), 0x789abcde);
	ck_assert_uint_eq(snap_get_u64(&r), 0x0102030405060708ull);
	ck_assert(snap_ok(&r));
	ck_assert_uint_eq(snap_get_u8(&r), 0);
	ck_assert(!snap_ok(&r));			/* read past the end */
	snap_free(&w);
}
END_TEST

START_TEST(disk_geometry_guess)
{
	struct disk_geometry g;
	uint64_t n;
	ck_assert_int_eq(disk_guess_geometry(DISK_FLOPPY, 1474560, &g, &n), 0);
	ck_assert_uint_eq(g.cylinders, 80);
	ck_assert_uint_eq(g.heads, 2);
	ck_assert_uint_eq(g.sectors, 18);
	ck_assert_uint_eq(g.floppy_type, 4);
	ck_assert_uint_eq(n, 2880);
	ck_assert_int_eq(disk_guess_geometry(DISK_FLOPPY, 368640, &g, &n), 0);
	ck_assert_uint_eq(g.sectors, 9);
	ck_assert_uint_eq(g.cylinders, 40);
	/* A 512-byte boot sector alone is a (short) 160K floppy. */
	ck_assert_int_eq(disk_guess_geometry(DISK_FLOPPY, 512, &g, &n), 0);
	ck_assert_uint_eq(n, 320);
	ck_assert_int_eq(disk_guess_geometry(DISK_FLOPPY, 5 << 20, &g, &n), -EINVAL);
	ck_assert_int_eq(disk_guess_geometry(DISK_FLOPPY, 0, &g, &n), -EINVAL);
	ck_assert_int_eq(disk_guess_geometry(DISK_HARD, 10 << 20, &g, &n), 0);
	ck_assert_uint_eq(g.heads, 16);
	ck_assert_uint_eq(g.sectors, 63);
	ck_assert_uint_eq(g.cylinders, (10 << 20) / 512 / (16 * 63));
	ck_assert_int_eq(disk_guess_geometry(DISK_HARD, 1000, &g, &n), -EINVAL);
}
END_TEST

START_TEST(options_parsing)
{
	struct tandem_options o;
	char err[256];
	char *ok[] = { "tandem", "-m", "16M", "--machine=xt", "--fda", "a.img",
		       "--exit-port", "0x501", "--timeout", "2.5", "--headless",
		       "--max-insns", "1000", "--boot", "c", NULL };
	ck_assert_int_eq(options_parse(15, ok, &o, err, sizeof(err)), OPTIONS_OK);
	ck_assert_uint_eq(o.ram_bytes, 16 << 20);
	ck_assert_str_eq(o.machine, "xt");
	ck_assert_str_eq(o.fda, "a.img");
	ck_assert_int_eq(o.exit_port, 0x501);
	ck_assert(o.timeout == 2.5);
	ck_assert(o.headless);
	ck_assert_uint_eq(o.max_insns, 1000);
	ck_assert_int_eq(o.boot, 'c');

	char *bad1[] = { "tandem", "--frobnicate", NULL };
	ck_assert_int_eq(options_parse(2, bad1, &o, err, sizeof(err)), OPTIONS_ERROR);
	ck_assert_ptr_nonnull(strstr(err, "--frobnicate"));
	char *bad2[] = { "tandem", "--fda", NULL };
	ck_assert_int_eq(options_parse(2, bad2, &o, err, sizeof(err)), OPTIONS_ERROR);
	char *bad3[] = { "tandem", "--boot", "z", NULL };
	ck_assert_int_eq(options_parse(3, bad3, &o, err, sizeof(err)), OPTIONS_ERROR);
	char *bad4[] = { "tandem", "--timeout", "-1", NULL };
	ck_assert_int_eq(options_parse(3, bad4, &o, err, sizeof(err)), OPTIONS_ERROR);
	char *bad5[] = { "tandem", "--headless=yes", NULL };
	ck_assert_int_eq(options_parse(2, bad5, &o, err, sizeof(err)), OPTIONS_ERROR);

	ck_assert_int_eq(options_parse_size("640K"), 640 << 10);
	ck_assert_int_eq(options_parse_size("1GiB"), 1 << 30);
	ck_assert_int_eq(options_parse_size("12X"), -1);
	ck_assert_int_eq(options_parse_size("-5M"), -1);
	ck_assert_int_eq(options_parse_port("0x10000"), -1);
}
END_TEST

Suite *snapshot_suite(void)
{
	Suite *s = suite_create("core-misc");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, snapshot_roundtrip);
	tcase_add_test(tc, disk_geometry_guess);
	tcase_add_test(tc, options_parsing);
	suite_add_tcase(s, tc);
	return s;
}
