/* The interpreter as an accel engine.  It works on machine->cpu directly,
 * so get_state/set_state are plain copies.  init does not reset the CPU;
 * the main loop calls reset for the power-on state. */
#include <stdlib.h>

#include "accel/accel.h"
#include "cpu/x86-interp/interp.h"
#include "cpu/x86-interp/x86i_priv.h"
#include "hw/machine.h"

struct vcpu {
	struct machine *m;
	struct x86i_cpu *cpu;
};

static struct vcpu *interp_init(struct machine *m, const char **why)
{
	struct vcpu *v = calloc(1, sizeof(*v));

	if (v)
		v->cpu = x86i_new(m);
	if (!v || !v->cpu) {
		free(v);
		*why = "out of memory";
		return NULL;
	}
	v->m = m;
	*why = "the interpreter runs everywhere";
	return v;
}

static enum accel_exit interp_run(struct vcpu *v, uint64_t budget)
{
	return x86i_run(v->cpu, budget);
}

static void interp_get_state(struct vcpu *v, struct x86_state *out)
{
	*out = v->m->cpu;
}

static void interp_set_state(struct vcpu *v, const struct x86_state *in)
{
	v->m->cpu = *in;
	x86i_state_loaded(v->cpu);
}

static void interp_memory_changed(struct vcpu *v, uint32_t base, uint32_t len)
{
	(void)base;
	(void)len;
	x86i_pcache_flush(v->cpu);
}

static void interp_reset(struct vcpu *v)
{
	x86i_reset(v->cpu);
}

static void interp_set_trace(struct vcpu *v, FILE *f)
{
	x86i_set_trace(v->cpu, f);
}

static int interp_set_breakpoint(struct vcpu *v, bool on, uint32_t lin)
{
	x86i_set_breakpoint(v->cpu, on, lin);
	return 0;
}

static void interp_select_cpu(struct vcpu *v, int idx)
{
	x86i_select_cpu(v->cpu, idx);
}

static void interp_destroy(struct vcpu *v)
{
	if (!v)
		return;
	x86i_free(v->cpu);
	free(v);
}

const struct accel_ops accel_interp_ops = {
	.name = "interp",
	.init = interp_init,
	.run = interp_run,
	.get_state = interp_get_state,
	.set_state = interp_set_state,
	.memory_changed = interp_memory_changed,
	.destroy = interp_destroy,
	.reset = interp_reset,
	.set_trace = interp_set_trace,
	.set_breakpoint = interp_set_breakpoint,
	.select_cpu = interp_select_cpu,
};
