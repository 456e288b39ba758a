/* kvmclock as KVM presents it (CPUID 40000000h/40000001h, MSRs 4B564D00h and
 * 4B564D01h), for the interpreter side of a --cpu host hand-off: only models
 * with CPUF_KVMCLOCK (accel_host_model) have it.  A guest that started on
 * KVM keeps reading its time from the pvclock area after the hand-off, so
 * the interpreter must keep that area true to its own clock: TSC and the
 * machine clock both advance with the cycle counter here, so one record
 * (TSC, time, TSC-to-ns scale) stays exact until the clock rate or the TSC
 * changes, and it is rewritten then.  Under host time (the engine is KVM,
 * which keeps the area itself) nothing is written. */
#include <string.h>
#include <time.h>

#include "cpu/x86-interp/x86i_priv.h"

enum {
	MSR_KVM_WALL_CLOCK_NEW = 0x4b564d00,
	MSR_KVM_SYSTEM_TIME_NEW = 0x4b564d01,
	/* CPUID 40000001h EAX: NOP_IO_DELAY, CLOCKSOURCE2, CLOCKSOURCE_STABLE_BIT
	 * (what the KVM engine offers, accel/kvm/kvm_cpuid.c). */
	PV_FEATURES = 1u << 1 | 1u << 3 | 1u << 24,
	PVCLOCK_TSC_STABLE = 1,
};

bool x86i_kvmclock_cpuid(struct x86i_cpu *c, uint32_t leaf, uint32_t out[4])
{
	static const char sig[12] = "KVMKVMKVM\0\0\0";

	if (!(c->feat & CPUF_KVMCLOCK) || (leaf != 0x40000000 && leaf != 0x40000001))
		return false;
	memset(out, 0, 4 * sizeof(out[0]));
	if (leaf == 0x40000000) {
		out[0] = 0x40000001;
		memcpy(&out[1], sig, 4);
		memcpy(&out[2], sig + 4, 4);
		memcpy(&out[3], sig + 8, 4);
	} else {
		out[0] = PV_FEATURES;
	}
	return true;
}

/* ns = ((tsc_delta << shift) * mul) >> 32 (shift negative: >>) at hz. */
static void time_scale(uint64_t hz, uint32_t *mul, int8_t *shift)
{
	uint64_t num = 1000000000ull, den = hz ? hz : 1;
	int sh = 0;

	while (num >= den) {	/* num/den into [1/2, 1) */
		den <<= 1;
		sh++;
	}
	while (num * 2 < den) {
		num <<= 1;
		sh--;
	}
	*mul = (uint32_t)(((unsigned __int128)num << 32) / den);
	*shift = (int8_t)sh;
}

static uint64_t kvmclock_ns(const struct x86i_cpu *c)
{
	return (uint64_t)((int64_t)(clock_now(c->m->clock) / 1000) + c->s->kvmclock_offset_ns);
}

/* The version protocol: odd while the record changes, even when done. */
static uint32_t begin_update(struct x86i_cpu *c, uint32_t gpa)
{
	uint32_t ver = (mem_read32(c->mem, gpa) + 1) | 1;
	mem_write32(c->mem, gpa, ver);
	return ver + 1;
}

void x86i_kvmclock_update(struct x86i_cpu *c)
{
	struct x86_state *s = c->s;
	uint64_t gpa = s->kvm_system_time & ~1ull;

	c->kvmclock_hz = 0;
	if (!(c->feat & CPUF_KVMCLOCK) || !(s->kvm_system_time & 1) ||
	    clock_host_time(c->m->clock) || gpa > 0xffffffffull - 32)
		return;
	uint64_t hz = clock_hz(c->m->clock);
	uint32_t mul;
	int8_t shift;
	time_scale(hz, &mul, &shift);
	x86i_tsc_sync(c);
	uint64_t now = kvmclock_ns(c);

	/* struct pvclock_vcpu_time_info: version, pad, tsc_timestamp,
	 * system_time, tsc_to_system_mul, tsc_shift, flags, pad. */
	uint32_t a = (uint32_t)gpa;
	uint32_t ver = begin_update(c, a);
	mem_write32(c->mem, a + 8, (uint32_t)s->tsc);
	mem_write32(c->mem, a + 12, (uint32_t)(s->tsc >> 32));
	mem_write32(c->mem, a + 16, (uint32_t)now);
	mem_write32(c->mem, a + 20, (uint32_t)(now >> 32));
	mem_write32(c->mem, a + 24, mul);
	mem_write32(c->mem, a + 28, (uint8_t)shift | PVCLOCK_TSC_STABLE << 8);
	mem_write32(c->mem, a, ver);
	c->kvmclock_hz = hz;
}

/* struct pvclock_wall_clock (version, sec, nsec): the wall-clock time at
 * which kvmclock read 0.  The guest's wall clock is the RTC's: host time,
 * or a fixed --rtc counted on from the machine clock's start. */
static void write_wall_clock(struct x86i_cpu *c, uint64_t gpa)
{
	if (!gpa || gpa > 0xffffffffull - 12)
		return;
	int64_t rtc_base = c->m->cfg ? c->m->cfg->rtc_base : -1;
	int64_t wall;
	if (rtc_base >= 0) {
		wall = rtc_base * 1000000000 + (int64_t)(clock_now(c->m->clock) / 1000);
	} else {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		wall = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
	}
	int64_t boot = wall - (int64_t)kvmclock_ns(c);
	if (boot < 0)
		boot = 0;
	uint32_t a = (uint32_t)gpa;
	uint32_t ver = begin_update(c, a);
	mem_write32(c->mem, a + 4, (uint32_t)(boot / 1000000000));
	mem_write32(c->mem, a + 8, (uint32_t)(boot % 1000000000));
	mem_write32(c->mem, a, ver);
}

void x86i_kvmclock_check(struct x86i_cpu *c)
{
	if ((c->s->kvm_system_time & 1) && c->kvmclock_hz != clock_hz(c->m->clock))
		x86i_kvmclock_update(c);
}

int x86i_kvmclock_msr_read(struct x86i_cpu *c, uint32_t msr, uint64_t *v)
{
	if (!(c->feat & CPUF_KVMCLOCK))
		return -1;
	if (msr == MSR_KVM_WALL_CLOCK_NEW)
		*v = c->s->kvm_wall_clock;
	else if (msr == MSR_KVM_SYSTEM_TIME_NEW)
		*v = c->s->kvm_system_time;
	else
		return -1;
	return 0;
}

int x86i_kvmclock_msr_write(struct x86i_cpu *c, uint32_t msr, uint64_t v)
{
	if (!(c->feat & CPUF_KVMCLOCK))
		return -1;
	if (msr == MSR_KVM_WALL_CLOCK_NEW) {
		c->s->kvm_wall_clock = v;
		write_wall_clock(c, v);
	} else if (msr == MSR_KVM_SYSTEM_TIME_NEW) {
		c->s->kvm_system_time = v;
		x86i_kvmclock_update(c);
	} else {
		return -1;
	}
	return 0;
}
