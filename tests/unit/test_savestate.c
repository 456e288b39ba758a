/* Save state container: CPU field encoding, the compressed file wrapper
 * against truncation and corruption, section parsing, and a save/apply
 * round trip on a small machine (RAM, CPU, clock, a device with a timer). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "hw/clock.h"
#include "hw/machine.h"
#include "hw/memory.h"
#include "util/savestate.h"
#include "util/snapshot.h"

static void fill_cpu(struct x86_state *c, unsigned seed)
{
	memset(c, 0, sizeof(*c));
	uint64_t x = seed * 0x9e3779b97f4a7c15ull + 1;
	uint8_t *bytes = (uint8_t *)c;
	/* Every byte distinct-ish, then the enums and flags made valid. */
	for (size_t i = 0; i < sizeof(*c); i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		bytes[i] = (uint8_t)x;
	}
	c->run_state = X86_HALTED;
	c->intr_shadow = 1;
	c->nmi_pending = 0;
	c->nmi_blocked = 1;
	c->biu.valid = 1;
	c->biu.q = 3;
	c->biu.bus_nb = 2;
}

static bool cpu_equal(const struct x86_state *a, const struct x86_state *b)
{
	/* Field by field: the struct has padding the encoding does not keep. */
	if (memcmp(a->gpr, b->gpr, sizeof(a->gpr)) || a->rip != b->rip ||
	    a->rflags != b->rflags || memcmp(a->fxsave, b->fxsave, sizeof(a->fxsave)) ||
	    a->cycles != b->cycles || a->insns != b->insns || a->run_state != b->run_state ||
	    a->intr_shadow != b->intr_shadow || a->nmi_blocked != b->nmi_blocked ||
	    a->cr0 != b->cr0 || a->cr3 != b->cr3 || a->efer != b->efer ||
	    memcmp(a->dr, b->dr, sizeof(a->dr)) || a->gdtr.base != b->gdtr.base ||
	    a->gdtr.limit != b->gdtr.limit || a->idtr.limit != b->idtr.limit ||
	    a->sysenter_eip != b->sysenter_eip || a->tsc != b->tsc ||
	    a->kvm_system_time != b->kvm_system_time || a->kvm_wall_clock != b->kvm_wall_clock ||
	    a->kvmclock_offset_ns != b->kvmclock_offset_ns)
		return false;
	for (int i = 0; i < X86_NR_SREG; i++)
		if (a->seg[i].sel != b->seg[i].sel || a->seg[i].attr != b->seg[i].attr ||
		    a->seg[i].limit != b->seg[i].limit || a->seg[i].base != b->seg[i].base)
			return false;
	return a->tr.base == b->tr.base && a->ldtr.sel == b->ldtr.sel &&
	       a->biu.q == b->biu.q && a->biu.bus_t1 == b->biu.bus_t1 &&
	       a->biu.sched == b->biu.sched && a->biu.qready == b->biu.qready;
}

START_TEST(cpu_roundtrip_and_layout)
{
	struct x86_state a, b;
	fill_cpu(&a, 7);
	struct snap s;
	snap_init(&s);
	savestate_put_cpu(&s, &a);
	ck_assert(snap_ok(&s));
	/* Fixed layout: 16 GPRs, rip, rflags, 8 segments of 16 bytes, two
	 * tables of 10, 5 CRs, 8 DRs, 6 more u64, FXSAVE, 4 bytes, 2 u64,
	 * the 8086 bus unit (7 bytes, 5 u16), kvmclock (3 u64). */
	ck_assert_uint_eq(s.len, 18 * 8 + 8 * 16 + 2 * 10 + 5 * 8 + 8 * 8 + 6 * 8 + 512 + 4 +
			  2 * 8 + 7 + 5 * 2 + 3 * 8);
	/* Little endian: the first bytes are RAX's low byte first. */
	ck_assert_uint_eq(s.data[0], (uint8_t)a.gpr[0]);
	ck_assert_uint_eq(s.data[7], (uint8_t)(a.gpr[0] >> 56));
	struct snap r;
	snap_open(&r, s.data, s.len);
	ck_assert_int_eq(savestate_get_cpu(&r, &b), 0);
	ck_assert_uint_eq(r.pos, s.len);
	ck_assert(cpu_equal(&a, &b));
	/* Every truncation fails. */
	for (size_t n = 0; n < s.len; n += 37) {
		snap_open(&r, s.data, n);
		ck_assert_int_lt(savestate_get_cpu(&r, &b), 0);
	}
	/* A run state that does not exist fails. */
	s.data[s.len - 24 - 20 - 17] = 9;
	snap_open(&r, s.data, s.len);
	ck_assert_int_lt(savestate_get_cpu(&r, &b), 0);
	snap_free(&s);
}
END_TEST

START_TEST(container_truncation_and_corruption)
{
	uint8_t payload[3000];
	for (size_t i = 0; i < sizeof(payload); i++)
		payload[i] = (uint8_t)(i * 7 + (i >> 5));
	uint8_t *file, *out;
	size_t flen, olen;
	char err[200];
	ck_assert_int_eq(savestate_pack(payload, sizeof(payload), &file, &flen), 0);
	ck_assert_int_eq(savestate_unpack(file, flen, &out, &olen, err, sizeof(err)), 0);
	ck_assert_uint_eq(olen, sizeof(payload));
	ck_assert_mem_eq(out, payload, olen);
	free(out);
	ck_assert_mem_eq(file, "TANDEMSS", 8);
	/* Every shorter prefix is refused. */
	for (size_t n = 0; n < flen; n++) {
		err[0] = 0;
		ck_assert_int_lt(savestate_unpack(file, n, &out, &olen, err, sizeof(err)), 0);
		ck_assert(err[0]);
	}
	/* Every single flipped bit is refused (magic, header, zlib, CRC), or
	 * was in the padding after deflate's last code and changed nothing. */
	int refused = 0;
	for (size_t i = 0; i < flen; i++) {
		for (int bit = 0; bit < 8; bit += 3) {
			file[i] ^= (uint8_t)(1u << bit);
			int r = savestate_unpack(file, flen, &out, &olen, err, sizeof(err));
			file[i] ^= (uint8_t)(1u << bit);
			if (r < 0) {
				refused++;
				continue;
			}
			ck_assert_msg(olen == sizeof(payload) && !memcmp(out, payload, olen),
				      "flip of byte %zu bit %d gave other data", i, bit);
			free(out);
		}
	}
	ck_assert_int_gt(refused, (int)flen * 3 - 8);
	/* Trailing garbage after the stream is refused too. */
	uint8_t *longer = malloc(flen + 4);
	memcpy(longer, file, flen);
	memset(longer + flen, 0, 4);
	ck_assert_int_lt(savestate_unpack(longer, flen + 4, &out, &olen, err, sizeof(err)), 0);
	free(longer);
	free(file);
}
END_TEST

/* A device with one register and a timer, like the PIT: load re-arms. */
struct tdev {
	struct timer *t;
	uint32_t reg;
	int fired;
};

static void tdev_fire(void *opaque)
{
	((struct tdev *)opaque)->fired++;
}

static void tdev_save(void *opaque, struct snap *s)
{
	struct tdev *d = opaque;
	snap_put_u32(s, d->reg);
	snap_put_u64(s, timer_pending(d->t) ? timer_expires(d->t) : CLOCK_NEVER);
}

static int tdev_load(void *opaque, struct snap *s)
{
	struct tdev *d = opaque;
	uint32_t reg = snap_get_u32(s);
	uint64_t when = snap_get_u64(s);
	if (!snap_ok(s) || reg == 0xdeadbeef)
		return -1;
	d->reg = reg;
	if (when == CLOCK_NEVER)
		timer_del(d->t);
	else
		timer_mod(d->t, when);
	return 0;
}

static const struct device_desc tdev_desc = {
	.name = "tdev", .save = tdev_save, .load = tdev_load,
};

struct tmachine {
	struct machine m;
	struct machine_config cfg;
	struct tdev dev;
};

static void tm_init(struct tmachine *t)
{
	memset(t, 0, sizeof(*t));
	t->cfg.machine = "at";
	t->m.cfg = &t->cfg;
	t->m.model = cpu_model_find("8088");
	ck_assert_ptr_nonnull(t->m.model);
	t->m.mem = mem_new(64 << 10);
	t->m.clock = clock_new(&t->m.cpu.cycles, 4772727, NULL, NULL);
	ck_assert_ptr_nonnull(t->m.mem);
	t->dev.t = timer_new(t->m.clock, tdev_fire, &t->dev);
	machine_add_device(&t->m, &tdev_desc, &t->dev);
}

static void tm_free(struct tmachine *t)
{
	timer_free(t->dev.t);
	free(t->m.devs);
	clock_free(t->m.clock);
	mem_free(t->m.mem);
}

static void set_cpu(void *opaque, const struct x86_state *s)
{
	((struct machine *)opaque)->cpu = *s;
}

START_TEST(machine_roundtrip)
{
	struct tmachine a, b;
	char err[256];
	tm_init(&a);
	tm_init(&b);
	/* a: some RAM, registers, 12345 cycles in, a register and a timer. */
	for (int i = 0; i < 65536; i++)
		mem_ram_ptr(a.m.mem)[i] = (uint8_t)(i ^ (i >> 8));
	a.m.cpu.gpr[X86_RAX] = 0x1234;
	a.m.cpu.cycles = 12345;
	a.dev.reg = 77;
	uint64_t now = clock_now(a.m.clock);
	timer_mod(a.dev.t, now + 1000000);
	struct snap s;
	snap_init(&s);
	ck_assert_int_eq(savestate_save_mem(&a.m, &a.m.cpu, &s, err, sizeof(err)), 0);

	struct savestate *st = savestate_parse(s.data, s.len, err, sizeof(err));
	ck_assert_msg(st != NULL, "%s", err);
	ck_assert_int_eq(savestate_check(&b.m, st, false, err, sizeof(err)), 0);
	ck_assert_int_eq(savestate_apply(&b.m, st, set_cpu, &b.m, err, sizeof(err)), 0);
	savestate_free(st);
	ck_assert_mem_eq(mem_ram_ptr(b.m.mem), mem_ram_ptr(a.m.mem), 65536);
	ck_assert_uint_eq(b.m.cpu.gpr[X86_RAX], 0x1234);
	ck_assert_uint_eq(clock_now(b.m.clock), now);
	ck_assert_uint_eq(b.dev.reg, 77);
	ck_assert_uint_eq(timer_expires(b.dev.t), now + 1000000);
	/* Time continues identically on both. */
	a.m.cpu.cycles += 999;
	b.m.cpu.cycles += 999;
	ck_assert_uint_eq(clock_now(b.m.clock), clock_now(a.m.clock));

	/* Another RAM size or CPU model is refused by check. */
	st = savestate_parse(s.data, s.len, err, sizeof(err));
	ck_assert_ptr_nonnull(st);
	b.m.model = cpu_model_find("80186");
	ck_assert_int_lt(savestate_check(&b.m, st, false, err, sizeof(err)), 0);
	ck_assert_ptr_nonnull(strstr(err, "80186"));
	b.m.model = a.m.model;
	/* A device the machine does not have is refused before anything changes. */
	machine_add_device(&b.m, &tdev_desc, &b.dev);
	ck_assert_int_lt(savestate_check(&b.m, st, false, err, sizeof(err)), 0);
	b.m.ndevs = 1;
	savestate_free(st);

	/* Every truncation of the payload fails to parse. */
	for (size_t n = 0; n < s.len; n += 101)
		ck_assert_ptr_null(savestate_parse(s.data, n, err, sizeof(err)));
	snap_free(&s);

	/* A register value the device refuses: apply fails and says which. */
	a.dev.reg = 0xdeadbeef;
	snap_init(&s);
	ck_assert_int_eq(savestate_save_mem(&a.m, &a.m.cpu, &s, err, sizeof(err)), 0);
	st = savestate_parse(s.data, s.len, err, sizeof(err));
	ck_assert_ptr_nonnull(st);
	ck_assert_int_eq(savestate_check(&b.m, st, false, err, sizeof(err)), 0);
	ck_assert_int_lt(savestate_apply(&b.m, st, set_cpu, &b.m, err, sizeof(err)), 0);
	ck_assert_ptr_nonnull(strstr(err, "tdev"));
	/* Into a running machine: the refusal puts back RAM, CPU and devices
	 * (b's tdev was loaded from the first state: reg 77, its timer). */
	b.dev.reg = 5;
	b.m.cpu.gpr[X86_RBX] = 0x4321;
	memset(mem_ram_ptr(b.m.mem), 0x5a, 65536);
	timer_mod(b.dev.t, clock_now(b.m.clock) + 777);
	uint64_t b_now = clock_now(b.m.clock);
	ck_assert_int_eq(savestate_apply_running(&b.m, st, &b.m.cpu, set_cpu, &b.m, err,
						 sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "tdev"));
	ck_assert_uint_eq(b.dev.reg, 5);
	ck_assert_uint_eq(b.m.cpu.gpr[X86_RBX], 0x4321);
	ck_assert_uint_eq(b.m.cpu.gpr[X86_RAX], 0x1234);
	ck_assert_uint_eq(mem_ram_ptr(b.m.mem)[1234], 0x5a);
	ck_assert_uint_eq(clock_now(b.m.clock), b_now);
	ck_assert_uint_eq(timer_expires(b.dev.t), b_now + 777);
	savestate_free(st);
	snap_free(&s);
	tm_free(&a);
	tm_free(&b);
}
END_TEST

Suite *savestate_suite(void)
{
	Suite *s = suite_create("savestate");
	TCase *tc = tcase_create("container");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, cpu_roundtrip_and_layout);
	tcase_add_test(tc, container_truncation_and_corruption);
	tcase_add_test(tc, machine_roundtrip);
	suite_add_tcase(s, tc);
	return s;
}
