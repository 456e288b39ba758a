/* Round-robin CPUs on one engine (accel/smp.h). */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "accel/smp.h"
#include "hw/device.h"
#include "hw/lapic.h"
#include "hw/machine.h"
#include "util/log.h"
#include "util/savestate.h"
#include "util/snapshot.h"

struct smp {
	struct machine *m;
	const struct accel_ops *ops;
	struct vcpu *v;
	uint64_t slice;		/* cycles of a boot CPU turn */
	bool wait_sipi[MACHINE_MAX_CPUS];
	bool init_pending[MACHINE_MAX_CPUS];
	int sipi_vector[MACHINE_MAX_CPUS];	/* -1: none pending */
	bool started[MACHINE_MAX_CPUS];
	/* A round an AP's breakpoint cut short: the next call goes on with
	 * AP round_next (0: none) up to round_now before the boot CPU runs. */
	int round_next;
	uint64_t round_now;
};

/* The APIC bus's start hook: only record (the sender is executing). */
static void start_request(void *opaque, int cpu, bool sipi, uint8_t vector)
{
	struct smp *s = opaque;
	if (cpu == 0) {
		if (!sipi)
			machine_request_reset(s->m);
		return;
	}
	if (!sipi) {
		s->init_pending[cpu] = true;
		s->sipi_vector[cpu] = -1;
	} else if ((s->wait_sipi[cpu] || s->init_pending[cpu]) && s->sipi_vector[cpu] < 0) {
		s->sipi_vector[cpu] = vector;
	}
}

static struct x86_state *ap_state(struct smp *s, int i)
{
	return &s->m->ap_cpu[i - 1];
}

/* INIT: the model's reset state, waiting for SIPI (the boot CPU is selected
 * again afterwards).  INIT leaves the time-stamp counter running. */
static void ap_init(struct smp *s, int i)
{
	uint64_t tsc = ap_state(s, i)->tsc;
	s->ops->select_cpu(s->v, i);
	s->ops->reset(s->v);
	s->ops->select_cpu(s->v, 0);
	ap_state(s, i)->tsc = tsc;
	s->wait_sipi[i] = true;
}

static void ap_startup(struct smp *s, int i, uint8_t vector)
{
	struct x86_state *a = ap_state(s, i);
	struct x86_seg *cs = &a->seg[X86_CS];
	cs->sel = (uint16_t)(vector << 8);
	cs->base = (uint32_t)vector << 12;
	cs->limit = 0xffff;
	a->rip = 0;
	a->run_state = X86_RUNNING;
	s->wait_sipi[i] = false;
	if (!s->started[i])
		log_debug("smp: CPU %d started at %05x", i, (unsigned)vector << 12);
	s->started[i] = true;
}

static void apply_requests(struct smp *s, int i)
{
	if (s->init_pending[i]) {
		s->init_pending[i] = false;
		ap_init(s, i);
	}
	if (s->sipi_vector[i] >= 0) {
		uint8_t vec = (uint8_t)s->sipi_vector[i];
		s->sipi_vector[i] = -1;
		if (s->wait_sipi[i])
			ap_startup(s, i, vec);
	}
}

/* The record of the "smp" device: the CPU count, the highest TSC read, then
 * the round an AP's breakpoint cut short (AP index u8, 0: none; its end in
 * cycles u64), then per AP its x86_state (u32 length, savestate_put_cpu),
 * its start-up flags (bit 0 waiting for SIPI, 1 INIT pending, 2 started
 * once) and the pending SIPI vector (FFFFh: none).  Saved between rounds, where the boot CPU is
 * selected and m->ap_cpu holds every AP's state. */
static void smp_save(void *opaque, struct snap *sn)
{
	struct smp *s = opaque;
	snap_put_u8(sn, (uint8_t)s->m->ncpus);
	snap_put_u64(sn, s->m->tsc_seen);
	snap_put_u8(sn, (uint8_t)s->round_next);
	snap_put_u64(sn, s->round_now);
	for (int i = 1; i < s->m->ncpus; i++) {
		struct snap one;
		snap_init(&one);
		savestate_put_cpu(&one, ap_state(s, i));
		snap_put_u32(sn, (uint32_t)one.len);
		snap_put_bytes(sn, one.data, one.len);
		if (one.error)
			sn->error = true;
		snap_free(&one);
		snap_put_u8(sn, (uint8_t)(s->wait_sipi[i] | s->init_pending[i] << 1 |
					  s->started[i] << 2));
		snap_put_u16(sn, s->sipi_vector[i] < 0 ? 0xffff : (uint16_t)s->sipi_vector[i]);
	}
}

static int smp_load(void *opaque, struct snap *sn)
{
	struct smp *s = opaque;
	struct x86_state ap[MACHINE_MAX_CPUS - 1];
	uint8_t flags[MACHINE_MAX_CPUS];
	uint16_t vec[MACHINE_MAX_CPUS];

	if (snap_get_u8(sn) != s->m->ncpus)
		return -EINVAL;
	uint64_t tsc_seen = snap_get_u64(sn);
	uint8_t round_next = snap_get_u8(sn);
	uint64_t round_now = snap_get_u64(sn);
	if (round_next >= s->m->ncpus)
		return -EINVAL;
	for (int i = 1; i < s->m->ncpus; i++) {
		uint32_t n = snap_get_u32(sn);
		if (!snap_ok(sn) || n > sn->len - sn->pos)
			return -EINVAL;
		struct snap one;
		snap_open(&one, sn->data + sn->pos, n);
		sn->pos += n;
		if (savestate_get_cpu(&one, &ap[i - 1]) < 0 || one.pos != one.len)
			return -EINVAL;
		flags[i] = snap_get_u8(sn);
		vec[i] = snap_get_u16(sn);
		if (flags[i] > 7 || (vec[i] > 0xff && vec[i] != 0xffff))
			return -EINVAL;
	}
	if (!snap_ok(sn) || sn->pos != sn->len)
		return -EINVAL;
	s->m->tsc_seen = tsc_seen;
	s->round_next = round_next;
	s->round_now = round_now;
	for (int i = 1; i < s->m->ncpus; i++) {
		*ap_state(s, i) = ap[i - 1];
		s->wait_sipi[i] = flags[i] & 1;
		s->init_pending[i] = flags[i] & 2;
		s->started[i] = flags[i] & 4;
		s->sipi_vector[i] = vec[i] == 0xffff ? -1 : vec[i];
	}
	return 0;
}

static void smp_device_free(void *opaque)
{
	struct smp *s = opaque;
	apic_bus_set_start_hook(s->m->apic, NULL, NULL);
	free(s);
}

static const struct device_desc smp_desc = {
	.name = "smp",
	.save = smp_save,
	.load = smp_load,
	.free = smp_device_free,
};

/* An emulating engine's turns are SMP_SLICE cycles; KVM's SMP_KVM_SLICE_PS
 * of time (its cycles are time there), since entering the guest costs. */
void smp_set_engine(struct smp *s, const struct accel_ops *ops, struct vcpu *v)
{
	s->ops = ops;
	s->v = v;
	s->slice = SMP_SLICE;
	if (strcmp(ops->name, "kvm") == 0)
		s->slice = clock_ps_to_cycles(s->m->clock, SMP_KVM_SLICE_PS);
}

struct smp *smp_new(struct machine *m, const struct accel_ops *ops, struct vcpu *v)
{
	struct smp *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->m = m;
	smp_set_engine(s, ops, v);
	s->started[0] = true;
	for (int i = 0; i < MACHINE_MAX_CPUS; i++)
		s->sipi_vector[i] = -1;
	for (int i = 1; i < m->ncpus; i++)
		ap_init(s, i);
	apic_bus_set_start_hook(m->apic, start_request, s);
	machine_add_device(m, &smp_desc, s);
	return s;
}

void smp_reset_aps(struct smp *s)
{
	s->round_next = 0;
	for (int i = 1; i < s->m->ncpus; i++) {
		s->init_pending[i] = false;
		s->sipi_vector[i] = -1;
		ap_init(s, i);
	}
}

uint64_t smp_slice(const struct smp *s)
{
	return s->slice;
}

bool smp_waiting(const struct smp *s, int cpu)
{
	return cpu > 0 && cpu < s->m->ncpus && s->wait_sipi[cpu];
}

int smp_started(const struct smp *s)
{
	int n = 0;
	for (int i = 0; i < s->m->ncpus; i++)
		n += s->started[i];
	return n;
}

/* The main loop judges a halted machine by the boot CPU: it hears HALT
 * only when no AP could still wake up by itself either. */
static bool aps_can_run(const struct smp *s)
{
	for (int i = 1; i < s->m->ncpus; i++) {
		const struct x86_state *a = &s->m->ap_cpu[i - 1];
		if (s->init_pending[i] || s->sipi_vector[i] >= 0)
			return true;
		if (!s->wait_sipi[i] && (a->run_state != X86_HALTED || (a->rflags & X86_IF)))
			return true;
	}
	return false;
}

/* The APs' part of a round: from AP first on, each until its cycle count
 * reaches now.  r is what the boot CPU's run returned. */
static enum accel_exit run_aps(struct smp *s, int first, uint64_t now, enum accel_exit r)
{
	struct machine *m = s->m;
	/* A kick asks the main loop to look (timers, stop): keep it for the
	 * main loop across the APs' runs, which clear it on entry. */
	int kicked = m->kick;

	s->round_next = 0;
	for (int i = first; i < m->ncpus; i++) {
		struct x86_state *a = ap_state(s, i);
		apply_requests(s, i);
		if (s->wait_sipi[i] || a->cycles >= now) {
			/* A waiting AP's clock runs with everyone's: its TSC
			 * counts from the same power-on as the boot CPU's. */
			if (s->wait_sipi[i] && a->cycles < now) {
				a->tsc += now - a->cycles;
				a->cycles = now;
			}
			continue;
		}
		s->ops->select_cpu(s->v, i);
		enum accel_exit ra = s->ops->run(s->v, now - a->cycles);
		s->ops->select_cpu(s->v, 0);
		kicked |= m->kick;
		if (ra == ACCEL_EXIT_SHUTDOWN) {
			log_error("smp: CPU %d shut down (triple fault)", i);
			machine_request_stop(m, STOP_SHUTDOWN, 0);
			return ACCEL_EXIT_STOP;
		}
		if (ra == ACCEL_EXIT_STOP || ra == ACCEL_EXIT_ERROR)
			return ra;
		if (ra == ACCEL_EXIT_BREAK) {
			/* --handoff-at hit by an AP: this AP and the ones
			 * after it finish the round on the next call. */
			s->round_next = i;
			s->round_now = now;
			m->kick = kicked;
			return ra;
		}
	}
	m->kick = kicked;
	return r == ACCEL_EXIT_HALT && !aps_can_run(s) ? ACCEL_EXIT_HALT : ACCEL_EXIT_BUDGET;
}

enum accel_exit smp_run(struct smp *s, uint64_t budget)
{
	struct machine *m = s->m;
	if (s->round_next)
		return run_aps(s, s->round_next, s->round_now, ACCEL_EXIT_BUDGET);
	/* The APs' turn comes when the boot CPU reaches the next multiple of
	 * SMP_SLICE cycles, whatever budgets the main loop handed out on the
	 * way (timers, --max-insns, hand-offs, a save): so a resumed or
	 * handed-off run keeps the schedule of an uninterrupted one. */
	uint64_t edge = (m->cpu.cycles / s->slice + 1) * s->slice;
	uint64_t left = edge - m->cpu.cycles;
	enum accel_exit r = s->ops->run(s->v, budget < left ? budget : left);
	if (r != ACCEL_EXIT_BUDGET && r != ACCEL_EXIT_HALT)
		return r;
	if (m->cpu.cycles < edge)
		return r == ACCEL_EXIT_HALT && !aps_can_run(s) ? ACCEL_EXIT_HALT :
		       ACCEL_EXIT_BUDGET;
	return run_aps(s, 1, m->cpu.cycles, r);
}
