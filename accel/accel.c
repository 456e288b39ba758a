/* Engine selection.  Engines are tried best first; "auto" says out loud
 * which one runs and why the better ones did not. */
#include <stdio.h>
#include <stdbool.h>
#include <string.h>

#include "accel/accel.h"
#include "hw/machine.h"

const struct cpu_model accel_host_model = {
	.name = "host", .desc = "the host CPU (KVM only)",
	/* The interpreter's most capable model, for the interpreter side of a
	 * hand-off (and the instructions KVM's emulator cannot run). */
	.family = CPU_PENTIUM2,
	.features = CPUF_186_OPS | CPUF_SHIFT_MASK | CPUF_PUSH_SP_NEW | CPUF_UD_EXC |
		    CPUF_SALC | CPUF_PROT | CPUF_386 | CPUF_FPU | CPUF_MMX | CPUF_APIC |
		    CPUF_KVMCLOCK,	/* as the kvm engine offers it */
	.bus_bytes = 8, .queue_bytes = 32, .addr_bits = 32,
	.default_hz = 1000000000,	/* only converts budgets; time is host time */
};

static const struct accel_ops *const engines[] = {
#if HAVE_KVM_H
	&accel_kvm_ops,
#endif
	&accel_tcg_lite_ops,
	&accel_interp_ops,
};

#define NENGINES (sizeof(engines) / sizeof(engines[0]))

static void list_engines(char *buf, size_t len)
{
	buf[0] = 0;
	for (size_t i = 0; i < NENGINES; i++)
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%s", i ? ", " : "",
			 engines[i]->name);
}

const struct accel_ops *accel_select(const char *name, struct machine *m,
				     struct vcpu **out, const char **why)
{
	static char reason[512];
	/* Why the better engines were passed over, for the auto message. */
	char skipped[384] = "";
	bool want_auto = !name || strcmp(name, "auto") == 0;

	*out = NULL;
#if !HAVE_KVM_H
	if (want_auto)
		snprintf(skipped, sizeof(skipped), "kvm: not in this build (configured without "
			 "<linux/kvm.h> or with --disable-kvm)");
	else if (strcmp(name, "kvm") == 0) {
		*why = "the kvm engine is not in this build (configured without <linux/kvm.h> "
		       "or with --disable-kvm)";
		return NULL;
	}
#endif
	for (size_t i = 0; i < NENGINES; i++) {
		const struct accel_ops *ops = engines[i];
		if (!want_auto && strcmp(name, ops->name) != 0)
			continue;
		const char *detail = NULL;
		if (m->model == &accel_host_model && strcmp(ops->name, "kvm") != 0) {
			snprintf(reason, sizeof(reason), "--cpu host runs only on the kvm engine "
				 "(%s)", skipped[0] ? skipped : "not selected");
			*why = reason;
			return NULL;
		}
		/* KVM cannot hide the host's instructions, so under auto it runs
		 * only --cpu host; a named model is the interpreter's to be
		 * faithful to (--accel kvm --cpu MODEL still asks for KVM). */
		bool is_kvm = strcmp(ops->name, "kvm") == 0;
		if (want_auto && is_kvm && m->model != &accel_host_model) {
			size_t n = strlen(skipped);
			snprintf(skipped + n, sizeof(skipped) - n, "%skvm not used: --cpu %s is a "
				 "model KVM cannot present exactly (--cpu host runs on KVM)",
				 n ? "; " : "", m->model->name);
			continue;
		}
		struct vcpu *v = ops->init(m, &detail);
		if (v) {
			*out = v;
			if (want_auto)
				snprintf(reason, sizeof(reason), "accel auto: running the %s "
					 "engine (%s)", ops->name, skipped[0] ? skipped :
					 detail ? detail : "usable");
			else
				snprintf(reason, sizeof(reason), "accel: running the %s engine",
					 ops->name);
			*why = reason;
			return ops;
		}
		if (!want_auto) {
			snprintf(reason, sizeof(reason), "the %s engine is not usable: %s",
				 ops->name, detail ? detail : "unknown reason");
			*why = reason;
			return NULL;
		}
		snprintf(skipped + strlen(skipped), sizeof(skipped) - strlen(skipped),
			 "%s%s not usable: %s", skipped[0] ? "; " : "", ops->name,
			 detail ? detail : "unknown reason");
	}
	if (want_auto) {
		snprintf(reason, sizeof(reason), "no engine is usable (%s)", skipped);
	} else {
		char list[128];
		list_engines(list, sizeof(list));
		snprintf(reason, sizeof(reason), "unknown engine '%s' (this build has: %s)", name,
			 list);
	}
	*why = reason;
	return NULL;
}

void accel_handoff(struct machine *m, const struct accel_ops *from, struct vcpu *fv,
		   const struct accel_ops *to, struct vcpu *tv)
{
	struct x86_state s;
	from->get_state(fv, &s);
	/* Emulating engines count time in cycles; KVM switches the clock to
	 * host time itself when it runs. */
	if (strcmp(to->name, "kvm") != 0)
		clock_set_host_time(m->clock, 0);
	to->set_state(tv, &s);
}
