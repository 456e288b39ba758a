/* kvmclock on the interpreter (cpu/x86-interp/x86i_kvmclock.c): only a
 * CPUF_KVMCLOCK model (--cpu host) has the leaves and MSRs; the pvclock
 * record it writes gives, with the TSC, exactly the machine clock (plus the
 * offset a hand-off carries), also after the clock rate changed; a state
 * loaded with kvmclock on gets the record rewritten; the wall-clock record
 * follows a fixed --rtc. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "accel/accel.h"
#include "cpu/x86-interp/interp.h"
#include "cpu/x86-interp/x86i_priv.h"
#include "hw/clock.h"
#include "hw/machine.h"

#define PV 0x5000
#define WALL 0x6000

struct rig {
	struct machine m;
	struct machine_config cfg;
	struct x86i_cpu *c;
};

static struct rig *rig_new(const struct cpu_model *model)
{
	struct rig *r = calloc(1, sizeof(*r));
	ck_assert_ptr_nonnull(r);
	r->m.model = model;
	r->cfg.rtc_base = -1;
	r->m.cfg = &r->cfg;
	r->m.mem = mem_new(1 << 20);
	r->m.io = ioport_bus_new();
	r->m.clock = clock_new(&r->m.cpu.cycles, 1000000000, NULL, NULL);
	ck_assert_ptr_nonnull(r->m.clock);
	r->c = x86i_new(&r->m);
	ck_assert_ptr_nonnull(r->c);
	x86i_reset(r->c);
	return r;
}

static void rig_free(struct rig *r)
{
	x86i_free(r->c);
	clock_free(r->m.clock);
	ioport_bus_free(r->m.io);
	mem_free(r->m.mem);
	free(r);
}

static uint64_t rd64(struct rig *r, uint32_t a)
{
	return mem_read32(r->m.mem, a) | (uint64_t)mem_read32(r->m.mem, a + 4) << 32;
}

/* What a guest computes (Linux's pvclock_clocksource_read) at the current TSC. */
static uint64_t guest_ns(struct rig *r)
{
	x86i_tsc_sync(r->c);
	uint64_t delta = r->m.cpu.tsc - rd64(r, PV + 8);
	int8_t shift = (int8_t)mem_read8(r->m.mem, PV + 28);
	uint32_t mul = mem_read32(r->m.mem, PV + 24);
	delta = shift >= 0 ? delta << shift : delta >> -shift;
	return rd64(r, PV + 16) + (uint64_t)(((unsigned __int128)delta * mul) >> 32);
}

static int64_t clock_ns(struct rig *r)
{
	return (int64_t)(clock_now(r->m.clock) / 1000);
}

START_TEST(named_models_do_not_have_it)
{
	struct rig *r = rig_new(cpu_model_find("pentium2"));
	uint32_t out[4];
	uint64_t v;
	x86i_cpuid(r->c, 0x40000000, out);
	ck_assert_uint_ne(out[1], 0x4b4d564b);	/* "KVMK" */
	ck_assert_int_lt(x86i_msr_write(r->c, 0x4b564d01, PV | 1), 0);
	ck_assert_int_lt(x86i_msr_read(r->c, 0x4b564d01, &v), 0);
	ck_assert_uint_eq(mem_read32(r->m.mem, PV + 24), 0);
	rig_free(r);
}
END_TEST

START_TEST(host_model_leaves)
{
	struct rig *r = rig_new(&accel_host_model);
	uint32_t out[4];
	x86i_cpuid(r->c, 0x40000000, out);
	ck_assert_uint_eq(out[0], 0x40000001);
	ck_assert_uint_eq(out[1], 0x4b4d564b);
	ck_assert_uint_eq(out[2], 0x564b4d56);
	ck_assert_uint_eq(out[3], 0x0000004d);
	x86i_cpuid(r->c, 0x40000001, out);
	ck_assert_uint_eq(out[0] & (1u << 3), 1u << 3);	/* CLOCKSOURCE2 */
	ck_assert_uint_eq(out[0] & (1u << 0), 0);	/* not the old MSRs */
	rig_free(r);
}
END_TEST

START_TEST(record_follows_the_clock)
{
	struct rig *r = rig_new(&accel_host_model);
	uint64_t v;
	r->m.cpu.cycles = 123456789;	/* time does not start at 0 */
	r->m.cpu.tsc = 5555;
	x86i_state_loaded(r->c);
	r->m.cpu.kvmclock_offset_ns = 1000000;
	ck_assert_int_eq(x86i_msr_write(r->c, 0x4b564d01, PV | 1), 0);
	ck_assert_int_eq(x86i_msr_read(r->c, 0x4b564d01, &v), 0);
	ck_assert_uint_eq(v, PV | 1);
	uint32_t ver = mem_read32(r->m.mem, PV);
	ck_assert_uint_eq(ver & 1, 0);
	ck_assert_uint_ne(ver, 0);
	ck_assert_uint_eq(mem_read32(r->m.mem, PV + 24), 0x80000000);	/* 1 GHz */
	ck_assert_int_eq((int8_t)mem_read8(r->m.mem, PV + 28), 1);
	ck_assert_uint_eq(mem_read8(r->m.mem, PV + 29), 1);	/* TSC stable */
	ck_assert_int_eq((int64_t)guest_ns(r), clock_ns(r) + 1000000);
	r->m.cpu.cycles += 987654321;
	ck_assert_int_eq((int64_t)guest_ns(r), clock_ns(r) + 1000000);

	/* A new clock rate: rewritten at the next run, time continuous. */
	clock_set_hz(r->m.clock, 733000000);
	x86i_kvmclock_check(r->c);
	ck_assert_uint_gt(mem_read32(r->m.mem, PV), ver);
	ck_assert_uint_eq(mem_read32(r->m.mem, PV) & 1, 0);
	for (int i = 0; i < 5; i++) {
		r->m.cpu.cycles += 1000003;
		int64_t d = (int64_t)guest_ns(r) - (clock_ns(r) + 1000000);
		ck_assert_int_le(d < 0 ? -d : d, 1);
	}

	/* A state handed over with kvmclock on (from KVM, with its record). */
	mem_write32(r->m.mem, PV + 24, 0x12345678);
	r->m.cpu.tsc = 1ull << 40;
	r->m.cpu.kvmclock_offset_ns = -5000;
	x86i_state_loaded(r->c);
	ck_assert_int_eq((int64_t)guest_ns(r), clock_ns(r) - 5000);

	/* A TSC write keeps the time. */
	ck_assert_int_eq(x86i_msr_write(r->c, 0x10, 77), 0);
	ck_assert_int_eq((int64_t)guest_ns(r), clock_ns(r) - 5000);

	/* Off: the record is left alone. */
	ck_assert_int_eq(x86i_msr_write(r->c, 0x4b564d01, PV), 0);
	ver = mem_read32(r->m.mem, PV);
	r->m.cpu.cycles += 1000;
	x86i_state_loaded(r->c);
	ck_assert_uint_eq(mem_read32(r->m.mem, PV), ver);
	rig_free(r);
}
END_TEST

START_TEST(wall_clock_follows_rtc_base)
{
	struct rig *r = rig_new(&accel_host_model);
	r->cfg.rtc_base = 1700000000;
	r->m.cpu.cycles = 2500000000ull;	/* 2.5 s into the run */
	r->m.cpu.kvmclock_offset_ns = 500000000;	/* kvmclock reads 3 s */
	x86i_state_loaded(r->c);
	ck_assert_int_eq(x86i_msr_write(r->c, 0x4b564d00, WALL), 0);
	ck_assert_uint_eq(mem_read32(r->m.mem, WALL) & 1, 0);
	/* Wall time now is rtc_base + 2.5 s; kvmclock 0 was 3 s ago. */
	ck_assert_uint_eq(mem_read32(r->m.mem, WALL + 4), 1700000000 - 1);
	ck_assert_uint_eq(mem_read32(r->m.mem, WALL + 8), 500000000);
	rig_free(r);
}
END_TEST

Suite *x86i_kvmclock_suite(void)
{
	Suite *s = suite_create("x86i_kvmclock");
	TCase *t = tcase_create("kvmclock");
	tcase_add_test(t, named_models_do_not_have_it);
	tcase_add_test(t, host_model_leaves);
	tcase_add_test(t, record_follows_the_clock);
	tcase_add_test(t, wall_clock_follows_rtc_base);
	suite_add_tcase(s, t);
	return s;
}
