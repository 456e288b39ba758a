/* An execution engine ("accelerator") is a table of functions.
 *
 * The main loop owns time: it asks the engine to run for a cycle budget that
 * ends at the next timer deadline, fires timers, polls the frontend, and
 * repeats.  Every engine executes against the same struct machine (RAM, port
 * bus, interrupt controller) and can hand its state over to another engine
 * through struct x86_state.
 */
#ifndef TANDEM_ACCEL_ACCEL_H
#define TANDEM_ACCEL_ACCEL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "cpu/models.h"
#include "cpu/state.h"

struct machine;
struct vcpu;

enum accel_exit {
	ACCEL_EXIT_BUDGET,	/* budget spent or kicked: call run again */
	ACCEL_EXIT_HALT,	/* CPU halted, nothing to do until an interrupt */
	ACCEL_EXIT_SHUTDOWN,	/* triple fault: CPU is in X86_SHUTDOWN */
	ACCEL_EXIT_STOP,	/* machine->stop was set */
	ACCEL_EXIT_ERROR,	/* engine failure (logged) */
	ACCEL_EXIT_BREAK,	/* about to execute the set_breakpoint address */
};

struct accel_ops {
	const char *name;
	/* Returns NULL and fills why (a short reason) when not usable here. */
	struct vcpu *(*init)(struct machine *m, const char **why);
	/* Runs until at least budget cycles were executed, the CPU halts, or
	 * machine->kick is set (the engine clears kick on entry). */
	enum accel_exit (*run)(struct vcpu *v, uint64_t budget);
	void (*get_state)(struct vcpu *v, struct x86_state *out);
	void (*set_state)(struct vcpu *v, const struct x86_state *in);
	/* Guest memory layout changed (ROM/MMIO map, A20): drop caches. */
	void (*memory_changed)(struct vcpu *v, uint32_t base, uint32_t len);
	void (*destroy)(struct vcpu *v);
	/* Puts the CPU in the model's power-on/reset state.  */
	void (*reset)(struct vcpu *v);
	/* Optional (NULL when the engine cannot): one line per instruction to
	 * f, or stop tracing when f is NULL. */
	void (*set_trace)(struct vcpu *v, FILE *f);
	/* Optional: stop with ACCEL_EXIT_BREAK before executing the instruction
	 * at linear address lin (on false: no breakpoint).  It costs nothing
	 * until hit.  The engine stops with RFLAGS.RF set, as a debugger
	 * resumes past a breakpoint, so the next run on any engine executes
	 * that instruction rather than stopping again.  0, or -1 (logged). */
	int (*set_breakpoint)(struct vcpu *v, bool on, uint32_t lin);
	/* Optional (NULL: the engine runs one CPU): --smp, between runs, makes
	 * the engine run CPU idx of the machine (0 the boot CPU, m->cpu; i
	 * m->ap_cpu[i - 1]) with its INTR and local APIC until called again;
	 * run, reset and set_trace then act on that CPU.  get_state and
	 * set_state stay the boot CPU's (accel/smp.h keeps it selected
	 * outside its round). */
	void (*select_cpu)(struct vcpu *v, int idx);
};

/* "auto" picks the best usable engine and fills *why with a sentence that
 * says which and why; a named engine that is unusable returns NULL with the
 * reason in *why.  The engine is initialised against m. */
const struct accel_ops *accel_select(const char *name, struct machine *m,
				     struct vcpu **out, const char **why);

/* Moves the running guest from one engine to another: the CPU state goes
 * through struct x86_state (devices and RAM are shared already), and the
 * clock is put in the mode the receiving engine keeps time in. */
void accel_handoff(struct machine *m, const struct accel_ops *from, struct vcpu *fv,
		   const struct accel_ops *to, struct vcpu *tv);

extern const struct accel_ops accel_interp_ops;
extern const struct accel_ops accel_tcg_lite_ops;	/* accel/tcg-lite/ */
/* --cpu host: the host CPU as KVM presents it; only the kvm engine runs it. */
extern const struct cpu_model accel_host_model;
#if HAVE_KVM_H
extern const struct accel_ops accel_kvm_ops;	/* accel/kvm/ */
#endif

#endif
