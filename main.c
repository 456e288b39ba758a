/* tandem: options -> machine -> engine -> main loop -> exit status. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "accel/accel.h"
#include "accel/smp.h"
#include "hw/bootfw.h"
#include "hw/linuxboot.h"
#include "hw/machine.h"
#include "ui/monitor.h"
#include "ui/ui.h"
#include "util/log.h"
#include "util/options.h"
#include "util/savestate.h"
#include "util/startup_trace.h"

/* Exit statuses (README "Exit status").  Odd values belong to the exit
 * device, so ours are even. */
enum {
	EXIT_POWER_OFF = 0,
	EXIT_BAD_INPUT = 2,
	EXIT_SHUTDOWN = 4,
	EXIT_TIMEOUT = 6,
	EXIT_INSN_LIMIT = 8,
	EXIT_DEAD = 10,
	EXIT_INTERNAL = 12,
};

static volatile sig_atomic_t got_signal;
static struct machine *signal_machine;

static void on_signal(int sig)
{
	got_signal = sig;
	if (signal_machine)
		signal_machine->kick = 1;
}

static double wall_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int build_config(const struct tandem_options *o, struct machine_config *cfg)
{
	bool xt = strcmp(o->machine, "xt") == 0;
	const char *cpu = o->cpu ? o->cpu : (xt ? "8088" : "80286");

	memset(cfg, 0, sizeof(*cfg));
	cfg->machine = o->machine;
	cfg->cpu = cpu_model_find(cpu);
	if (!cfg->cpu && strcmp(cpu, "host") == 0)
		cfg->cpu = &accel_host_model;	/* accel_select insists on KVM */
	if (!cfg->cpu) {
		char list[256] = "";
		for (const struct cpu_model *m = cpu_models; m->name; m++) {
			strncat(list, m->name, sizeof(list) - strlen(list) - 3);
			if (m[1].name)
				strcat(list, ", ");
		}
		log_error("--cpu: unknown CPU model '%s' (this build has: %s)", cpu, list);
		return -1;
	}
	cfg->ram_bytes = o->ram_bytes ? o->ram_bytes : (xt ? 640u << 10 : 16u << 20);
	if (xt && (cfg->ram_bytes < (64u << 10) || cfg->ram_bytes > (640u << 10))) {
		log_error("-m: the xt machine takes 64K to 640K of RAM");
		return -1;
	}
	if (!xt && (cfg->ram_bytes < (640u << 10) || cfg->ram_bytes > (3ull << 30))) {
		log_error("-m: the at machine takes 640K to 3G of RAM");
		return -1;
	}
	cfg->ram_bytes = (cfg->ram_bytes + 4095) & ~4095ull;
	cfg->bios_path = o->bios;
	cfg->fda = o->fda;
	cfg->fdb = o->fdb;
	cfg->hda = o->hda;
	cfg->hdb = o->hdb;
	cfg->cdrom = o->cdrom;
	cfg->fw_cfg_files = o->fw_cfg;
	cfg->nfw_cfg_files = o->nfw_cfg;
	cfg->boot = o->boot == 'c' ? BOOT_HDD : o->boot == 'd' ? BOOT_CDROM : BOOT_FLOPPY;
	cfg->boot_order_given = o->boot != 0;
	cfg->headless = o->headless;
	cfg->serial = o->serial;
	cfg->debugcon = o->debugcon;
	cfg->post_log = o->post_log;
	cfg->nics = o->nic;
	cfg->nnics = o->nnics;
	cfg->net_dump = o->net_dump;
	cfg->virtio_blks = o->virtio_blk;
	cfg->nvirtio_blks = o->nvirtio_blk;
	cfg->virtio_console = o->virtio_console;
	cfg->virtio_transport = o->virtio_transport;
	cfg->direct_boot = o->kernel != NULL;
	cfg->exit_port = o->exit_port;
	cfg->rtc_base = o->rtc_base;
	cfg->trace_filter = o->trace_filter;
	cfg->sound = o->sound;
	cfg->sb_base = o->sb_base;
	cfg->sb_irq = o->sb_irq;
	cfg->sb_dma = o->sb_dma;
	cfg->sb_hdma = o->sb_hdma;
	cfg->midi_capture = o->midi_capture;
	cfg->cpu_hz = (uint64_t)(o->mhz * 1e6 + 0.5);
	cfg->cycles_per_ms = o->cycles;
	cfg->joystick = o->joystick;
	cfg->serial_mouse = o->serial_mouse;
	cfg->fpu = o->fpu;
	cfg->smp = (int)o->smp;
	return 0;
}

static const char *stop_text(const struct machine *m)
{
	static char buf[96];
	switch (m->stop) {
	case STOP_EXIT_DEVICE:
		snprintf(buf, sizeof(buf), "guest wrote %#x to the exit port (status %d)",
			 (m->stop_status >> 1) & 0xff, m->stop_status & 0xff);
		return buf;
	case STOP_POWER_OFF: return "guest powered off";
	case STOP_SHUTDOWN: return "CPU shutdown (triple fault)";
	case STOP_DEAD: return "guest halted with nothing left to wake it";
	case STOP_TIMEOUT: return "timeout";
	case STOP_INSN_LIMIT: return "instruction limit reached";
	case STOP_QUIT: return "quit";
	case STOP_ERROR: return "internal error";
	default: return "stopped";
	}
}

static int exit_status(const struct machine *m)
{
	switch (m->stop) {
	case STOP_EXIT_DEVICE: return m->stop_status & 0xff;
	case STOP_POWER_OFF: case STOP_QUIT: case STOP_NONE: return EXIT_POWER_OFF;
	case STOP_SHUTDOWN: return EXIT_SHUTDOWN;
	case STOP_DEAD: return EXIT_DEAD;
	case STOP_TIMEOUT: return EXIT_TIMEOUT;
	case STOP_INSN_LIMIT: return EXIT_INSN_LIMIT;
	case STOP_ERROR: return EXIT_INTERNAL;
	}
	return EXIT_INTERNAL;
}

struct loop {
	struct machine *m;
	const struct accel_ops *ops;
	struct vcpu *v;
	struct ui *ui;
	const struct tandem_options *o;
	bool realtime;
	bool headless;		/* no window, asked for or not */
	/* --handoff-after-insns and --handoff-at: the other engine (the one the
	 * guest last came from), and when to switch to it (instructions for
	 * the interpreter, virtual time under KVM). */
	const struct accel_ops *alt_ops;
	struct vcpu *alt_v;
	uint64_t handoff_insns, handoff_ps;
	unsigned handoffs;
	/* Engines the monitor's handoff started that are neither of those. */
	const struct accel_ops *spare_ops[3];
	struct vcpu *spare_v[3];
	struct monitor *mon;	/* --monitor */
	bool time_jumped;	/* a state was loaded: pace from here */
	struct smp *smp;	/* --smp N > 1 (accel/smp.h) */
};

/* Sets the next hand-off point for the engine now running. */
static void arm_handoff(struct loop *l)
{
	uint64_t n = l->o->handoff_insns;
	l->handoff_insns = l->m->cpu.insns + n;
	l->handoff_ps = clock_now(l->m->clock) + n * 1000;	/* n ns */
}

static bool handoff_due(const struct loop *l)
{
	if (strcmp(l->ops->name, "kvm") == 0)
		return clock_now(l->m->clock) >= l->handoff_ps;
	return l->m->cpu.insns >= l->handoff_insns;
}

static void do_handoff(struct loop *l)
{
	accel_handoff(l->m, l->ops, l->v, l->alt_ops, l->alt_v);
	const struct accel_ops *ops = l->ops;
	struct vcpu *v = l->v;
	l->ops = l->alt_ops;
	l->v = l->alt_v;
	l->alt_ops = ops;
	l->alt_v = v;
	if (l->smp)
		smp_set_engine(l->smp, l->ops, l->v);
	l->handoffs++;
	log_debug("handoff %u: %s -> %s at %04x:%08llx", l->handoffs, ops->name, l->ops->name,
		  l->m->cpu.seg[X86_CS].sel, (unsigned long long)l->m->cpu.rip);
	arm_handoff(l);
}

/* A new engine for the guest, with the --handoff-at breakpoint.  Directly
 * for the interpreters: accel_select keeps --cpu host off them, but a
 * hand-off partner runs whatever model KVM ran. */
static struct vcpu *engine_start(struct loop *l, const char *name,
				 const struct accel_ops **ops, const char **why)
{
	struct vcpu *v = NULL;
	if (strcmp(name, "kvm") == 0) {
		*ops = accel_select("kvm", l->m, &v, why);
	} else {
		*ops = strcmp(name, "interp") == 0 ? &accel_interp_ops :
		       strcmp(name, "tcg-lite") == 0 ? &accel_tcg_lite_ops : NULL;
		if (*ops)
			v = (*ops)->init(l->m, why);
		else
			*why = "not an engine (interp, tcg-lite, kvm)";
	}
	if (v && l->m->ncpus > 1 && !(*ops)->select_cpu) {
		*why = "runs one CPU, not --smp's several";
		(*ops)->destroy(v);
		v = NULL;
	}
	if (v && l->o->handoff_at_set &&
	    (!(*ops)->set_breakpoint || (*ops)->set_breakpoint(v, true, l->o->handoff_at) < 0)) {
		*why = "cannot stop at the --handoff-at address";
		(*ops)->destroy(v);
		v = NULL;
	}
	if (!v)
		*ops = NULL;
	return v;
}

/* --handoff-after-insns, --handoff-at: the second engine is --handoff-to,
 * else the interpreter on KVM and KVM on the others. */
static int setup_handoff(struct loop *l)
{
	const char *why = NULL;
	const char *opt = l->o->handoff_insns ? "--handoff-after-insns" : "--handoff-at";
	const char *to = l->o->handoff_to;

	if (l->o->handoff_at_set && !l->ops->set_breakpoint) {
		log_error("--handoff-at: the %s engine cannot stop at an address", l->ops->name);
		return -1;
	}
	if (to && strcmp(to, l->ops->name) == 0) {
		log_error("--handoff-to: the guest already runs on %s; name the other engine",
			  to);
		return -1;
	}
	if (!to)
		to = strcmp(l->ops->name, "kvm") == 0 ? "interp" : "kvm";
	l->alt_v = engine_start(l, to, &l->alt_ops, &why);
	if (!l->alt_v) {
		log_error("%s: %s", opt, why ? why : "no second engine");
		return -1;
	}
	if (l->o->handoff_at_set && l->ops->set_breakpoint(l->v, true, l->o->handoff_at) < 0) {
		log_error("--handoff-at: the %s engine cannot stop at an address", l->ops->name);
		return -1;
	}
	arm_handoff(l);
	return 0;
}

static void put_spare(struct loop *l, const struct accel_ops *ops, struct vcpu *v)
{
	for (int k = 0; k < 3; k++) {
		if (!l->spare_ops[k]) {
			l->spare_ops[k] = ops;
			l->spare_v[k] = v;
			return;
		}
	}
	ops->destroy(v);	/* cannot happen: three engines in all */
}

/* The monitor's handoff: to the hand-off partner as the automatic hand-offs
 * do, else to an engine started now (or earlier).  The engine left becomes
 * the partner of the automatic hand-offs. */
static int switch_engine(struct loop *l, const char *name, char *err, size_t errlen)
{
	const struct accel_ops *ops = NULL;
	struct vcpu *v = NULL;
	const char *why = NULL;

	if (strcmp(name, l->ops->name) == 0) {
		snprintf(err, errlen, "the guest already runs on %s", name);
		return -1;
	}
	if (l->alt_ops && strcmp(name, l->alt_ops->name) == 0) {
		do_handoff(l);
		return 0;
	}
	for (int k = 0; k < 3 && !v; k++) {
		if (l->spare_ops[k] && strcmp(l->spare_ops[k]->name, name) == 0) {
			ops = l->spare_ops[k];
			v = l->spare_v[k];
			l->spare_ops[k] = NULL;
			l->spare_v[k] = NULL;
		}
	}
	if (!v)
		v = engine_start(l, name, &ops, &why);
	if (!v) {
		snprintf(err, errlen, "%s: %s", name, why ? why : "cannot start");
		return -1;
	}
	accel_handoff(l->m, l->ops, l->v, ops, v);
	if (l->alt_ops) {
		put_spare(l, l->alt_ops, l->alt_v);
		l->alt_ops = l->ops;
		l->alt_v = l->v;
	} else {
		put_spare(l, l->ops, l->v);
	}
	l->ops = ops;
	l->v = v;
	if (l->smp)
		smp_set_engine(l->smp, ops, v);
	l->handoffs++;
	if (l->alt_ops)
		arm_handoff(l);
	return 0;
}

static void set_cpu_state(void *opaque, const struct x86_state *s)
{
	struct loop *l = opaque;
	l->ops->set_state(l->v, s);
}

static int save_state(struct loop *l, const char *path)
{
	struct x86_state s;
	char err[512];
	l->ops->get_state(l->v, &s);
	if (savestate_save(l->m, &s, path, err, sizeof(err)) < 0) {
		log_error("--save-state: %s", err);
		return -1;
	}
	log_info("state saved to %s after %llu instructions", path,
		 (unsigned long long)s.insns);
	return 0;
}

/* Nothing of the machine changes unless the whole file is valid and fits;
 * while running (hot key, monitor), a device that still refuses its record
 * puts the machine back as it was.  0; -1 with err when the file was
 * refused before anything changed; -2 when a device refused its record and
 * (running) the machine is back as it was; -3 when it could not be put
 * back (running: it is stopped). */
static int load_state_file(struct loop *l, const char *path, bool running, char *err,
			   size_t errlen)
{
	struct savestate *st = savestate_read(path, err, errlen);
	if (!st || savestate_check(l->m, st, l->o->force_load_state, err, errlen) < 0) {
		savestate_free(st);
		return -1;
	}
	struct x86_state cur;
	l->ops->get_state(l->v, &cur);
	int r = running ? savestate_apply_running(l->m, st, &cur, set_cpu_state, l, err, errlen) :
		savestate_apply(l->m, st, set_cpu_state, l, err, errlen);
	savestate_free(st);
	if (r == 0)
		return 0;
	if (r == -1 && running)
		return -2;
	if (running)
		machine_request_stop(l->m, STOP_ERROR, 0);
	return -3;
}

static int load_state(struct loop *l, const char *path, bool running)
{
	char err[512];
	int r = load_state_file(l, path, running, err, sizeof(err));
	if (r == 0) {
		log_info("state loaded from %s", path);
		return 0;
	}
	if (r == -1) {
		log_error("--load-state: %s", err);
		return -1;
	}
	log_error("--load-state: %s: %s", path, err);
	if (r == -2)
		log_info("the machine continues as it was");
	return -1;
}

/* The monitor's view of the run loop (ui/monitor.h). */
static const char *mon_engine(void *opaque)
{
	struct loop *l = opaque;
	return l->ops->name;
}

static void mon_engine_info(void *opaque, char *buf, size_t len)
{
	struct loop *l = opaque;
	snprintf(buf, len, "engine %s%s%s; %u hand-offs", l->ops->name,
		 l->alt_ops ? ", hand-off partner " : "", l->alt_ops ? l->alt_ops->name : "",
		 l->handoffs);
}

/* Between runs the boot CPU is selected and m->ap_cpu holds the APs'
 * states (accel/smp.h). */
static void mon_get_state(void *opaque, int cpu, struct x86_state *out)
{
	struct loop *l = opaque;
	if (cpu > 0 && cpu < l->m->ncpus)
		*out = l->m->ap_cpu[cpu - 1];
	else
		l->ops->get_state(l->v, out);
}

static bool mon_cpu_waiting(void *opaque, int cpu)
{
	struct loop *l = opaque;
	return l->smp && smp_waiting(l->smp, cpu);
}

static int mon_handoff(void *opaque, const char *engine, char *err, size_t len)
{
	return switch_engine(opaque, engine, err, len);
}

static int mon_save_state(void *opaque, const char *path, char *err, size_t len)
{
	struct loop *l = opaque;
	struct x86_state s;
	l->ops->get_state(l->v, &s);
	return savestate_save(l->m, &s, path, err, len) < 0 ? -1 : 0;
}

static int mon_load_state(void *opaque, const char *path, char *err, size_t len)
{
	struct loop *l = opaque;
	char why[400];
	int r = load_state_file(l, path, true, why, sizeof(why));
	if (r == 0) {
		l->time_jumped = true;
		if (l->alt_ops)
			arm_handoff(l);
		return 0;
	}
	snprintf(err, len, "%s%s", why, r == -2 ? " (the machine continues as it was)" :
		 r == -3 ? " (the machine is stopped)" : "");
	return -1;
}

/* Ctrl+Alt+F5 / F9 in the window; true when a state was loaded. */
static bool state_hot_keys(struct loop *l)
{
	int req = ui_take_request(l->ui);
	const char *file = l->o->save_state ? l->o->save_state :
			   l->o->load_state ? l->o->load_state : "tandem.state";
	if (req == UI_REQ_SAVE_STATE)
		save_state(l, file);
	else if (req == UI_REQ_LOAD_STATE)
		return load_state(l, file, true) == 0;
	return false;
}

/* Virtual time handed to the engine per slice at most, so the UI, the
 * wall-clock timeout and pacing are looked at often enough. */
#define SLICE_PS (2 * 1000000000ull)	/* 2 ms */

/* --kernel: puts the kernel, initrd and command line in RAM and the CPU at
 * the kernel's 32-bit entry point, in place of the BIOS reset vector. */
static int load_kernel(struct loop *l)
{
	const struct tandem_options *o = l->o;
	struct machine *m = l->m;
	char err[256];
	struct linuxboot_image img = { .cmdline = o->append };
	uint8_t *kbuf = NULL, *ibuf = NULL;
	char *cmdline = NULL;
	int rc = -1;

	/* The board's own parameters (virtio_mmio.device=...) go after the
	 * user's: Linux takes every one of a repeated module parameter. */
	if (m->kernel_cmdline_extra[0]) {
		size_t n = (o->append ? strlen(o->append) : 0) + strlen(m->kernel_cmdline_extra) + 2;
		cmdline = malloc(n);
		if (!cmdline)
			return -1;
		snprintf(cmdline, n, "%s%s%s", o->append ? o->append : "", o->append ? " " : "",
			 m->kernel_cmdline_extra);
		img.cmdline = cmdline;
		log_info("kernel command line: %s", cmdline);
	}
	if (m->model->family < CPU_80386) {
		log_error("--kernel: Linux needs a 32-bit CPU; --cpu %s is not one (use --cpu "
			  "host under KVM)", m->model->name);
		return -1;
	}
	if (linuxboot_read_file(o->kernel, 256u << 20, &kbuf, &img.kernel_len, err,
				sizeof(err)) < 0) {
		log_error("--kernel: %s", err);
		return -1;
	}
	img.kernel = kbuf;
	if (o->initrd) {
		if (linuxboot_read_file(o->initrd, 2048u << 20, &ibuf, &img.initrd_len, err,
					sizeof(err)) < 0) {
			log_error("--initrd: %s", err);
			goto out;
		}
		img.initrd = ibuf;
	}
	/* What the BIOS would have done: PCI set up, $PIR and ACPI tables. */
	if (bootfw_setup(m, &img.acpi_rsdp) < 0)
		goto out;
	struct x86_state s;
	struct linuxboot_info info;
	l->ops->get_state(l->v, &s);
	if (linuxboot_load(m->mem, &img, &s, &info, err, sizeof(err)) < 0) {
		log_error("--kernel %s: %s", o->kernel, err);
		goto out;
	}
	l->ops->set_state(l->v, &s);
	/* The kernel sits above 1 MiB: open A20 the way a boot loader does,
	 * through system control port A (fast A20). */
	ioport_write(m->io, 0x92, (ioport_read(m->io, 0x92, 1) | 2) & ~1u, 1);
	log_debug("linux: protocol %u.%02u, %u bytes at %#x, initrd %u bytes at %#x",
		  info.version >> 8, info.version & 0xff, info.kernel_len, info.kernel_addr,
		  info.initrd_len, info.initrd_addr);
	rc = 0;
out:
	free(kbuf);
	free(ibuf);
	free(cmdline);
	return rc;
}

static void run_loop(struct loop *l)
{
	struct machine *m = l->m;
	double start = wall_seconds();
	double next_ui = start;
	uint64_t vt_start = clock_now(m->clock);
	bool first_run = true;

	while (m->stop == STOP_NONE) {
		if (got_signal) {
			machine_request_stop(m, STOP_QUIT, 0);
			break;
		}
		if (l->mon && monitor_paused(l->mon)) {
			/* Stopped by the monitor: wait for it, keep the window alive. */
			monitor_poll(l->mon, 10);
			double wall = wall_seconds();
			if (l->o->timeout > 0 && wall - start >= l->o->timeout)
				machine_request_stop(m, STOP_TIMEOUT, 0);
			if (l->ui && ui_poll(l->ui))
				machine_request_stop(m, STOP_QUIT, 0);
			if (l->ui) {
				state_hot_keys(l);
				ui_refresh(l->ui);
			}
			l->time_jumped = true;
			continue;
		}
		if (l->time_jumped) {
			/* Virtual time jumped or stood still: pace from here. */
			l->time_jumped = false;
			vt_start = clock_now(m->clock) - (uint64_t)((wall_seconds() - start) * 1e12);
		}
		if (m->reset_requested && l->o->kernel) {
			/* Direct boot has no BIOS to reset into: a reboot ends the
			 * run like a power-off (README "Direct Linux boot"). */
			machine_request_stop(m, STOP_POWER_OFF, 0);
			break;
		}
		if (m->reset_requested) {
			/* The keyboard controller pulse and port 92h reset only the
			 * CPU on an AT: the BIOS's shutdown-code resume paths rely
			 * on the PICs and the RTC keeping their state. */
			m->reset_requested = false;
			l->ops->reset(l->v);
			if (l->smp)
				smp_reset_aps(l->smp);
		}

		uint64_t now = clock_now(m->clock);
		uint64_t until = now + SLICE_PS;
		uint64_t deadline = clock_next_deadline(m->clock);
		if (deadline < until)
			until = deadline > now ? deadline : now;
		uint64_t budget = clock_ps_to_cycles(m->clock, until - now);
		if (budget == 0)
			budget = 1;
		if (l->alt_ops && l->o->handoff_insns) {
			if (strcmp(l->ops->name, "kvm") == 0) {
				uint64_t left = l->handoff_ps > now ? l->handoff_ps - now : 1;
				uint64_t cap = clock_ps_to_cycles(m->clock, left);
				if (budget > cap)
					budget = cap ? cap : 1;
			} else if (budget > l->handoff_insns - m->cpu.insns) {
				budget = l->handoff_insns - m->cpu.insns;
			}
			if (budget == 0)
				budget = 1;
		}
		if (l->o->max_insns) {
			/* Every instruction takes at least one cycle.  A loaded
			 * state may start past the limit. */
			uint64_t left = l->o->max_insns > m->cpu.insns ?
					l->o->max_insns - m->cpu.insns : 0;
			if (left == 0) {
				machine_request_stop(m, STOP_INSN_LIMIT, 0);
				break;
			}
			if (budget > left)
				budget = left;
		}
		if (l->mon && monitor_step_target(l->mon)) {
			/* step N: as --max-insns, exactly. */
			uint64_t t = monitor_step_target(l->mon);
			uint64_t left = t > m->cpu.insns ? t - m->cpu.insns : 1;
			if (budget > left)
				budget = left;
		}

		if (first_run) {
			startup_trace_mark("first-insn");
			first_run = false;
		}
		enum accel_exit r = l->smp ? smp_run(l->smp, budget) : l->ops->run(l->v, budget);
		clock_run_timers(m->clock);

		if (r == ACCEL_EXIT_SHUTDOWN && machine_shutdown_resets(m)) {
			log_debug("CPU shutdown with a CMOS shutdown code: resetting the CPU");
			l->ops->reset(l->v);
		} else if (r == ACCEL_EXIT_SHUTDOWN) {
			machine_request_stop(m, STOP_SHUTDOWN, 0);
		}
		else if (r == ACCEL_EXIT_ERROR)
			machine_request_stop(m, STOP_ERROR, 0);
		else if (r == ACCEL_EXIT_HALT && m->cpu.run_state == X86_HALTED &&
			 !m->cpu.nmi_pending) {
			/* Nothing can wake a CPU that halted with IF clear (no NMI
			 * source on these boards), nor a headless one that has no
			 * timer armed and no input coming. */
			if (!(m->cpu.rflags & X86_IF) ||
			    (l->headless && clock_next_deadline(m->clock) == CLOCK_NEVER &&
			     !m->intr.level))
				machine_request_stop(m, STOP_DEAD, 0);
		}
		if (r == ACCEL_EXIT_BREAK && l->alt_ops && m->stop == STOP_NONE)
			do_handoff(l);	/* --handoff-at */
		else if (l->alt_ops && l->o->handoff_insns && m->stop == STOP_NONE &&
			 handoff_due(l))
			do_handoff(l);
		if (l->mon)
			monitor_ran(l->mon);
		if (l->o->max_insns && m->cpu.insns >= l->o->max_insns)
			machine_request_stop(m, STOP_INSN_LIMIT, 0);

		double wall = wall_seconds();
		if (l->o->timeout > 0 && wall - start >= l->o->timeout)
			machine_request_stop(m, STOP_TIMEOUT, 0);
		if (wall >= next_ui) {
			next_ui = wall + 0.01;
			machine_poll_host_input(m);
			if (l->mon)
				monitor_poll(l->mon, 0);
			if (l->ui && ui_poll(l->ui))
				machine_request_stop(m, STOP_QUIT, 0);
			if (l->ui && state_hot_keys(l)) {
				/* Virtual time jumped: pace from here (modulo 2^64,
				 * so a jump backwards works too). */
				vt_start = clock_now(m->clock) - (uint64_t)((wall - start) * 1e12);
				if (l->alt_ops)
					arm_handoff(l);
			}
			if (l->ui)
				ui_refresh(l->ui);
		}
		if (l->realtime && !m->unthrottled && !m->turbo) {
			double ahead = (double)(clock_now(m->clock) - vt_start) / 1e12 -
				       (wall - start);
			if (ahead > 0.002)
				usleep((useconds_t)(ahead > 0.01 ? 10000 : ahead * 1e6));
		} else if (m->unthrottled || m->turbo) {
			/* Pacing resumes from here, not from the start. */
			uint64_t behind = (uint64_t)((wall - start) * 1e12);
			uint64_t now_vt = clock_now(m->clock);
			vt_start = now_vt > behind ? now_vt - behind : 0;
		}
	}
}

int main(int argc, char **argv)
{
	int status_early = 0;	/* set when a --kernel load fails after setup */
	struct tandem_options o;
	char err[512];

	startup_trace_mark("main");
	switch (options_parse(argc, argv, &o, err, sizeof(err))) {
	case OPTIONS_EXIT:
		return 0;
	case OPTIONS_ERROR:
		log_error("%s", err);
		return EXIT_BAD_INPUT;
	case OPTIONS_OK:
		break;
	}
	log_set_quiet(o.quiet);
	log_set_verbose(o.verbose);

	struct machine_config cfg;
	if (build_config(&o, &cfg) < 0)
		return EXIT_BAD_INPUT;

	struct machine *m = machine_new(&cfg);
	if (!m)
		return EXIT_BAD_INPUT;
	startup_trace_mark("machine");

	struct loop l = { .m = m, .o = &o };
	const char *why = NULL;
	l.ops = accel_select(o.accel, m, &l.v, &why);
	if (!l.ops) {
		log_error("--accel %s: %s", o.accel, why ? why : "no engine");
		machine_free(m);
		return EXIT_BAD_INPUT;
	}
	log_info("%s", why);
	startup_trace_mark("engine");
	if (m->ncpus > 1 && !l.ops->select_cpu) {
		log_error("--smp %d: the %s engine runs one CPU (--accel interp or tcg-lite run "
			  "several)", m->ncpus, l.ops->name);
		l.ops->destroy(l.v);
		machine_free(m);
		return EXIT_BAD_INPUT;
	}
	if (m->ncpus > 1) {
		l.smp = smp_new(m, l.ops, l.v);
		if (!l.smp) {
			log_error("out of memory");
			l.ops->destroy(l.v);
			machine_free(m);
			return EXIT_BAD_INPUT;
		}
		log_info("smp: %d CPUs, round-robin in slices of %llu cycles", m->ncpus,
			 (unsigned long long)smp_slice(l.smp));
	}

	FILE *trace = NULL;
	if (!o.trace && (o.trace_filter.cpl3 || o.trace_filter.range)) {
		log_error("--trace-filter goes with --trace");
		l.ops->destroy(l.v);
		machine_free(m);
		return EXIT_BAD_INPUT;
	}
	if (o.trace) {
		if (!l.ops->set_trace) {
			log_error("--trace: the %s engine cannot trace", l.ops->name);
			l.ops->destroy(l.v);
			machine_free(m);
			return EXIT_BAD_INPUT;
		}
		trace = fopen(o.trace, "w");
		if (!trace) {
			log_error("--trace: cannot write '%s': %s", o.trace, strerror(errno));
			l.ops->destroy(l.v);
			machine_free(m);
			return EXIT_BAD_INPUT;
		}
		l.ops->set_trace(l.v, trace);
	}

	struct ui_config ucfg = { .headless = o.headless, .keys = o.keys,
				  .audio_capture = o.audio_capture };
	const char *ui_why = NULL;
	l.ui = ui_new(m, &ucfg, &ui_why);
	if (ui_why)
		log_info("%s", ui_why);
	startup_trace_mark("ui");
	bool windowed = l.ui && ui_has_window(l.ui);
	/* Without a window we are headless whatever was asked: guests that
	 * ask (the demo disk reads CMOS 7Eh) power off instead of waiting. */
	l.headless = !windowed;
	machine_set_headless(m, l.headless);
	/* --mhz and --cycles N ask for a speed: pace to wall time. */
	l.realtime = o.speed ? strcmp(o.speed, "realtime") == 0 :
		     windowed || o.mhz > 0 || o.cycles > 0 || o.cycles == -2;
	if (l.ui && ui_error(l.ui)) {
		log_error("%s", ui_error(l.ui));
		status_early = EXIT_BAD_INPUT;
	}

	signal_machine = m;
	struct sigaction sa = { .sa_handler = on_signal };
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	l.ops->reset(l.v);
	if ((o.initrd || o.append) && !o.kernel) {
		log_error("--initrd and --append go with --kernel");
		status_early = EXIT_BAD_INPUT;
	} else if (o.kernel && load_kernel(&l) < 0) {
		status_early = EXIT_BAD_INPUT;
	}
	if (!status_early && o.load_state && load_state(&l, o.load_state, false) < 0)
		status_early = EXIT_BAD_INPUT;
	if (!status_early && o.handoff_to && !o.handoff_insns && !o.handoff_at_set) {
		log_error("--handoff-to goes with --handoff-after-insns or --handoff-at");
		status_early = EXIT_BAD_INPUT;
	}
	if (!status_early && (o.handoff_insns || o.handoff_at_set) && setup_handoff(&l) < 0)
		status_early = EXIT_BAD_INPUT;
	if (!status_early && o.start_paused && !o.monitor) {
		log_error("--start-paused needs --monitor (its cont starts the guest)");
		status_early = EXIT_BAD_INPUT;
	}
	if (!status_early && o.monitor && strcmp(o.monitor, "stdio") == 0 && o.serial &&
	    strcmp(o.serial, "stdio") == 0) {
		log_error("--monitor stdio: --serial stdio reads stdin already (put the monitor "
			  "on unix:PATH)");
		status_early = EXIT_BAD_INPUT;
	}
	if (!status_early && o.monitor) {
		const struct monitor_host host = {
			.opaque = &l, .engine = mon_engine, .engine_info = mon_engine_info,
			.get_state = mon_get_state, .cpu_waiting = mon_cpu_waiting,
			.handoff = mon_handoff,
			.save_state = mon_save_state, .load_state = mon_load_state,
		};
		l.mon = monitor_new(o.monitor, m, &host, o.start_paused, err, sizeof(err));
		if (!l.mon) {
			log_error("%s", err);
			status_early = EXIT_BAD_INPUT;
		}
	}
	if (!status_early)
		run_loop(&l);

	int status = status_early ? status_early : exit_status(m);
	/* At the stop, before anything is torn down: --max-insns N with
	 * --save-state saves after exactly N instructions. */
	if (!status_early && o.save_state && m->stop != STOP_ERROR &&
	    save_state(&l, o.save_state) < 0 && (status & 1) == 0)
		status = EXIT_BAD_INPUT;
	if (o.screenshot && ui_screenshot_png(m, o.screenshot) < 0 && status == 0)
		status = EXIT_BAD_INPUT;
	monitor_free(l.mon, stop_text(m));
	if (l.ui) {
		ui_final(l.ui);
		ui_free(l.ui);
	}
	log_info("%s after %llu instructions", stop_text(m), (unsigned long long)m->cpu.insns);
	if (trace) {
		l.ops->set_trace(l.v, NULL);
		fclose(trace);
	}
	if (l.handoffs)
		log_info("handed the guest between engines %u times", l.handoffs);
	if (l.smp)
		log_info("smp: %d of %d CPUs started", smp_started(l.smp), m->ncpus);
	if (l.alt_ops)
		l.alt_ops->destroy(l.alt_v);
	for (int k = 0; k < 3; k++)
		if (l.spare_ops[k])
			l.spare_ops[k]->destroy(l.spare_v[k]);
	l.ops->destroy(l.v);
	if (machine_free(m) < 0 && status == 0)
		status = EXIT_INTERNAL;
	return status;
}
