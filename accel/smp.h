/* --smp: several CPUs on one emulating engine (accel_ops.select_cpu).
 *
 * The main loop hands smp_run the budget it would give one CPU.  A round
 * runs the boot CPU up to the next multiple of SMP_SLICE cycles, then each
 * application processor until its cycle count catches up with the boot
 * CPU's, in index order, so a run is deterministic.  Virtual time follows the boot CPU's
 * cycles (the clock reads them): an AP sees the time at the end of the boot
 * CPU's slice.  IPIs sent in one slice are seen by their target in its next
 * one at the latest.
 *
 * APs come out of power-on waiting for a start-up IPI (they never run the
 * BIOS).  INIT (from the local APIC's ICR) resets an AP into that state, a
 * start-up IPI starts a waiting one in real mode at vector * 1000h
 * (CS = vector * 100h, IP = 0); the requests arrive through the APIC bus's
 * start hook while the sender runs and take effect before the target's next
 * slice.  INIT sent to the boot CPU resets it (machine_request_reset).
 */
#ifndef TANDEM_ACCEL_SMP_H
#define TANDEM_ACCEL_SMP_H

#include <stdbool.h>
#include <stdint.h>

#include "accel/accel.h"

struct machine;
struct smp;

/* Cycles of one boot CPU slice: short, so that a CPU spinning on a lock
 * another holds wastes little. */
#define SMP_SLICE 10000
/* Under KVM (picoseconds): each entry into the guest costs microseconds. */
#define SMP_KVM_SLICE_PS 1000000000ull	/* 1 ms */

/* For m->ncpus > 1 on an engine with select_cpu; puts every AP in its reset
 * state, waiting for SIPI.  NULL on allocation failure.  It joins the
 * machine's devices as "smp" (after every other): save states carry the
 * APs' x86_state and start-up state in its record, and machine_free()
 * frees it. */
struct smp *smp_new(struct machine *m, const struct accel_ops *ops, struct vcpu *v);
/* A hand-off: from now on the CPUs run on ops/v (the APs' states stay in
 * m->ap_cpu, the boot CPU's went through accel_handoff). */
void smp_set_engine(struct smp *s, const struct accel_ops *ops, struct vcpu *v);
/* System reset (the boot CPU is reset by the caller): every AP back to
 * waiting for SIPI, as after power-on. */
void smp_reset_aps(struct smp *s);
/* The boot CPU runs to the next multiple of SMP_SLICE cycles or the end of
 * budget; only once it reached that edge do the APs catch up with it.  So
 * the interleaving depends on the guest alone, not on how budgets were
 * split (timers, --max-insns, save and load, hand-offs).  Returns what the
 * boot CPU's run returned, but HALT only when no AP can run either (every
 * started AP halted with interrupts off, none with a start-up request),
 * and STOP, ERROR or BREAK from an AP (an AP's triple fault stops the
 * machine: status 4). */
enum accel_exit smp_run(struct smp *s, uint64_t budget);
/* Cycles of a boot CPU turn on the engine now running. */
uint64_t smp_slice(const struct smp *s);
/* Whether AP cpu waits for a start-up IPI (the monitor's info cpus). */
bool smp_waiting(const struct smp *s, int cpu);
/* CPUs started so far (the boot CPU counts), for logs. */
int smp_started(const struct smp *s);

#endif
