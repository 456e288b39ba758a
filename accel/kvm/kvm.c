/* The KVM engine: the guest runs on the host CPU through /dev/kvm against
 * the same machine (RAM mapping, port bus, MMIO callbacks, userspace 8259A
 * pair) as the interpreter.  The run loop is one switch over exit reasons.
 *
 * Time: under KVM the machine's clock follows the host's monotonic clock
 * (clock_set_host_time); a run slice's cycle budget is read as time, and a
 * POSIX timer signal ends KVM_RUN at the deadline (immediate_exit closes the
 * race of a signal arriving between our checks and the ioctl).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "accel/accel.h"
#include "accel/kvm/kvm_priv.h"
#include "cpu/x86-interp/interp.h"
#include "hw/lapic.h"
#include "hw/machine.h"
#include "util/log.h"

_Static_assert(KVM_VCPUS_MAX >= MACHINE_MAX_CPUS, "a vCPU slot per CPU");

#ifndef sigev_notify_thread_id
#define sigev_notify_thread_id _sigev_un._tid
#endif

#define KVM_SIG (SIGRTMIN + 3)

/* Address space tandem never maps (just below the BIOS alias at the top of
 * 4 GiB) for the real-mode TSS and identity page table that KVM needs on
 * hosts without unrestricted guest support. */
#define KVM_TSS_ADDR 0xfffbd000ul
#define KVM_IDMAP_ADDR 0xfffbc000ull

/* The kvm_run of the vCPU this thread runs; the deadline signal sets its
 * immediate_exit so a KVM_RUN entered after the signal returns at once. */
static _Thread_local struct kvm_run *volatile sig_run;

static void on_kvm_signal(int sig)
{
	(void)sig;
	struct kvm_run *r = sig_run;
	if (r)
		r->immediate_exit = 1;
}

void kvm_timer_set_run(struct kvm_run *run)
{
	sig_run = run;
}

int kvm_timer_create(timer_t *t)
{
	static bool handler_set;
	if (!handler_set) {
		struct sigaction sa = { .sa_handler = on_kvm_signal };
		sigemptyset(&sa.sa_mask);
		if (sigaction(KVM_SIG, &sa, NULL) < 0)
			return -errno;
		handler_set = true;
	}
	struct sigevent sev;
	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = SIGEV_THREAD_ID;
	sev.sigev_signo = KVM_SIG;
	sev.sigev_notify_thread_id = (pid_t)syscall(SYS_gettid);
	if (timer_create(CLOCK_MONOTONIC, &sev, t) < 0)
		return -errno;
	return 0;
}

void kvm_timer_arm(timer_t t, uint64_t ns)
{
	if (ns == 0)
		ns = 1;
	struct itimerspec its = {
		.it_value = { .tv_sec = (time_t)(ns / 1000000000ull),
			      .tv_nsec = (long)(ns % 1000000000ull) },
	};
	timer_settime(t, 0, &its, NULL);
}

static bool model_runs_on_kvm(const struct cpu_model *model)
{
	return model && model->family >= CPU_80386;
}

static void kvm_destroy(struct vcpu *v)
{
	if (!v)
		return;
	if (v->timer_ok) {
		kvm_timer_set_run(NULL);
		timer_delete(v->timer);
	}
	if (v->fd >= 0 && v->run) {
		struct x86_state st;
		memset(&st, 0, sizeof(st));
		kvm_state_get(v, &st);
		log_debug("kvm: %llu exits, %llu instructions stepped by the interpreter; "
			  "stopped at %04x:%08llx", (unsigned long long)v->exits,
			  (unsigned long long)v->interp_steps, st.seg[X86_CS].sel,
			  (unsigned long long)st.rip);
	}
	if (v->interp)
		x86i_free(v->interp);
	if (v->run)
		munmap(v->run, v->run_size);
	if (v->fd >= 0)
		close(v->fd);
	for (int i = 0; i < v->ncpus; i++) {
		if (i == v->cur)
			continue;
		if (v->slot[i].run)
			munmap(v->slot[i].run, v->run_size);
		if (v->slot[i].fd >= 0)
			close(v->slot[i].fd);
	}
	if (v->vm_fd >= 0)
		close(v->vm_fd);
	if (v->sys_fd >= 0)
		close(v->sys_fd);
	if (v->m && clock_host_time(v->m->clock))
		clock_set_host_time(v->m->clock, 0);
	free(v);
}

static int open_kvm(const char **why)
{
	int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		*why = errno == ENOENT ? "/dev/kvm does not exist" :
		       errno == EACCES ? "no permission to open /dev/kvm" :
					 "cannot open /dev/kvm";
		return -1;
	}
	if (ioctl(fd, KVM_GET_API_VERSION, 0) != KVM_API_VERSION) {
		*why = "/dev/kvm has an unexpected API version";
		close(fd);
		return -1;
	}
	static const struct { int cap; const char *name; } need[] = {
		{ KVM_CAP_USER_MEMORY, "KVM_CAP_USER_MEMORY" },
		{ KVM_CAP_IMMEDIATE_EXIT, "KVM_CAP_IMMEDIATE_EXIT" },
		{ KVM_CAP_EXT_CPUID, "KVM_CAP_EXT_CPUID" },
		{ KVM_CAP_SET_TSS_ADDR, "KVM_CAP_SET_TSS_ADDR" },
	};
	for (size_t i = 0; i < sizeof(need) / sizeof(need[0]); i++) {
		if (ioctl(fd, KVM_CHECK_EXTENSION, need[i].cap) <= 0) {
			static char buf[96];
			snprintf(buf, sizeof(buf), "KVM lacks the capability %s", need[i].name);
			*why = buf;
			close(fd);
			return -1;
		}
	}
	return fd;
}

/* --smp: the selected vCPU's fields in struct vcpu go back to its slot,
 * and vCPU idx's come out of its (no ioctl: see kvm_select_cpu for the
 * state). */
static void swap_vcpu(struct vcpu *v, int idx)
{
	struct kvm_vcpu_slot *o = &v->slot[v->cur];
	o->fd = v->fd;
	o->run = v->run;
	o->halted = v->halted;
	o->io_pending = v->io_pending;
	o->step_over = v->step_over;
	const struct kvm_vcpu_slot *n = &v->slot[idx];
	v->fd = n->fd;
	v->run = n->run;
	v->halted = n->halted;
	v->io_pending = n->io_pending;
	v->step_over = n->step_over;
	v->cur = idx;
	v->s = idx ? &v->m->ap_cpu[idx - 1] : &v->m->cpu;
	v->intr = idx ? &v->m->ap_intr[idx - 1] : &v->m->intr;
}

/* vCPU v->cur: created, its kvm_run mapped, its CPUID set. */
static int create_vcpu(struct vcpu *v, const char **why)
{
	*why = "KVM_CREATE_VCPU failed";
	v->fd = ioctl(v->vm_fd, KVM_CREATE_VCPU, v->cur);
	if (v->fd < 0)
		return -1;
	v->run = mmap(NULL, v->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, v->fd, 0);
	if (v->run == MAP_FAILED) {
		v->run = NULL;
		*why = "cannot map the vCPU's kvm_run";
		return -1;
	}
	return kvm_cpuid_setup(v, why) < 0 ? -1 : 0;
}

static struct vcpu *kvm_init(struct machine *m, const char **why)
{
	if (!model_runs_on_kvm(m->model)) {
		static char buf[160];
		snprintf(buf, sizeof(buf), "--cpu %s: KVM runs the host's modern CPU, which "
			 "cannot pass for a CPU without 32-bit instructions",
			 m->model ? m->model->name : "?");
		*why = buf;
		return NULL;
	}
	struct vcpu *v = calloc(1, sizeof(*v));
	if (!v) {
		*why = "out of memory";
		return NULL;
	}
	v->m = m;
	v->vm_fd = v->fd = -1;
	v->ncpus = m->ncpus > 1 ? m->ncpus : 1;
	for (int i = 0; i < KVM_VCPUS_MAX; i++)
		v->slot[i].fd = -1;
	v->s = &m->cpu;
	v->intr = &m->intr;
	v->sys_fd = open_kvm(why);
	if (v->sys_fd < 0)
		goto fail;
	const char *probe_why = NULL;
	int level = kvm_probe(v->sys_fd, &probe_why);
	if (level != KVM_PROBE_FULL) {
		/* A developer's escape hatch for KVMs that only run real mode:
		 * our BIOS and the real-mode test guests still run there. */
		const char *env = getenv("TANDEM_KVM_PROBE");
		static char buf[224];
		if (level == KVM_PROBE_REAL_ONLY && env && strcmp(env, "real") == 0) {
			log_warn("kvm: start-up probe: %s; TANDEM_KVM_PROBE=real: using KVM "
				 "anyway (real-mode guests only)", probe_why);
		} else {
			snprintf(buf, sizeof(buf), "the start-up probe failed: %s%s", probe_why,
				 level == KVM_PROBE_REAL_ONLY ? " (real mode works; a guest "
				 "that enables paging would not run)" : "");
			*why = buf;
			goto fail;
		}
	}
	v->readonly_mem = ioctl(v->sys_fd, KVM_CHECK_EXTENSION, KVM_CAP_READONLY_MEM) > 0;
	*why = "KVM_CREATE_VM failed";
	v->vm_fd = ioctl(v->sys_fd, KVM_CREATE_VM, 0);
	if (v->vm_fd < 0)
		goto fail;
	*why = "KVM_SET_TSS_ADDR failed";
	if (ioctl(v->vm_fd, KVM_SET_TSS_ADDR, KVM_TSS_ADDR) < 0)
		goto fail;
	uint64_t idmap = KVM_IDMAP_ADDR;
	if (ioctl(v->sys_fd, KVM_CHECK_EXTENSION, KVM_CAP_SET_IDENTITY_MAP_ADDR) > 0)
		ioctl(v->vm_fd, KVM_SET_IDENTITY_MAP_ADDR, &idmap);
	*why = "cannot register guest memory with KVM";
	if (kvm_mem_sync(v) < 0)
		goto fail;
	*why = "KVM_GET_VCPU_MMAP_SIZE failed";
	long sz = ioctl(v->sys_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (sz < (long)sizeof(struct kvm_run))
		goto fail;
	v->run_size = (size_t)sz;
	/* --smp: a vCPU per CPU, the APs' first; smp_new (accel/smp.h) puts
	 * them in their INIT state through select_cpu and reset. */
	for (int i = v->ncpus - 1; i >= 0; i--) {
		swap_vcpu(v, i);
		if (create_vcpu(v, why) < 0)
			goto fail;
	}
	/* kvmclock starts as the machine clock (plus the offset a state
	 * handed over carries), at the first KVM_RUN. */
	v->clock_pending = true;
	*why = "cannot create a POSIX timer";
	if (kvm_timer_create(&v->timer) < 0)
		goto fail;
	v->timer_ok = true;
	kvm_timer_set_run(v->run);
	*why = level == KVM_PROBE_FULL ? "/dev/kvm works (probe guest with paging passed)" :
	       "TANDEM_KVM_PROBE=real: /dev/kvm passed only the real-mode part of the probe";
	return v;
fail:
	kvm_destroy(v);
	return NULL;
}

/* Port I/O exit; string I/O arrives as count items in the shared page. */
static int handle_io(struct vcpu *v)
{
	struct kvm_run *run = v->run;
	unsigned size = run->io.size;
	uint64_t count = run->io.count;

	if ((size != 1 && size != 2 && size != 4) || count == 0 ||
	    run->io.data_offset > v->run_size ||
	    count * size > v->run_size - run->io.data_offset) {
		log_error("kvm: malformed I/O exit (port %#x size %u count %llu)",
			  run->io.port, size, (unsigned long long)count);
		return -1;
	}
	uint8_t *p = (uint8_t *)run + run->io.data_offset;
	for (uint64_t i = 0; i < count; i++, p += size) {
		uint32_t val = 0;
		if (run->io.direction == KVM_EXIT_IO_OUT) {
			memcpy(&val, p, size);
			ioport_write(v->m->io, run->io.port, val, (int)size);
		} else {
			val = ioport_read(v->m->io, run->io.port, (int)size);
			memcpy(p, &val, size);
		}
	}
	return 0;
}

/* An MMIO exit: a device region, a ROM write (dropped by mem_write*), or a
 * host-mapped buffer that could not be a slot. */
static void mmio_access(struct mem *mem, uint32_t addr, uint8_t *data, unsigned len,
			bool write)
{
	uint32_t val = 0;
	if (len == 4 || len == 2 || len == 1)
		memcpy(&val, data, len);
	if (write) {
		if (len == 4)
			mem_write32(mem, addr, val);
		else if (len == 2)
			mem_write16(mem, addr, (uint16_t)val);
		else
			mem_write8(mem, addr, (uint8_t)val);
		return;
	}
	val = len == 4 ? mem_read32(mem, addr) : len == 2 ? mem_read16(mem, addr) :
	      mem_read8(mem, addr);
	memcpy(data, &val, len);
}

static void handle_mmio(struct vcpu *v)
{
	struct kvm_run *run = v->run;
	uint64_t addr = run->mmio.phys_addr;
	unsigned len = run->mmio.len;
	uint8_t *data = run->mmio.data;

	if (len > sizeof(run->mmio.data))
		len = sizeof(run->mmio.data);
	if (addr >= (1ull << 32) || addr + len > (1ull << 32)) {
		/* Nothing lives above 4 GiB on our boards. */
		if (!run->mmio.is_write)
			memset(data, 0xff, len);
		return;
	}
	/* 8-byte accesses (SSE, CMPXCHG8B) as two dwords; odd sizes bytewise. */
	unsigned step = len == 8 ? 4 : (len == 4 || len == 2 || len == 1) ? len : 1;
	for (unsigned off = 0; off < len; off += step)
		mmio_access(v->m->mem, (uint32_t)(addr + off), data + off, step,
			    run->mmio.is_write);
}

/* Delivers the PIC's INTR when the guest can take it, else asks KVM for an
 * exit as soon as it can. */
static void inject_interrupt(struct vcpu *v)
{
	struct kvm_run *run = v->run;
	struct cpu_intr *intr = v->intr;	/* the 8259A's or the local APIC's */

	if (!intr->level) {
		run->request_interrupt_window = 0;
		return;
	}
	if (run->ready_for_interrupt_injection && run->if_flag) {
		struct kvm_interrupt irq = { .irq = intr->ack(intr->opaque) };
		if (ioctl(v->fd, KVM_INTERRUPT, &irq) < 0)
			log_error("kvm: KVM_INTERRUPT failed: %s", strerror(errno));
		v->halted = false;
		run->request_interrupt_window = 0;
	} else {
		run->request_interrupt_window = 1;
	}
}

/* KVM_SET_GUEST_DEBUG from what is asked: single-stepping for --trace (and
 * flush_injected), the host's breakpoint in DR0 (set_breakpoint).  The
 * guest's own debug registers are KVM's to keep apart from these. */
static int apply_guest_debug(struct vcpu *v, bool single_step)
{
	struct kvm_guest_debug dbg;
	memset(&dbg, 0, sizeof(dbg));
	if (single_step || v->trace || v->step_over)
		dbg.control |= KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_SINGLESTEP;
	if (v->brk_on && !v->step_over) {
		dbg.control |= KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_USE_HW_BP;
		dbg.arch.debugreg[0] = v->brk_lin;
		/* G0, execute (R/W0 = 00), length 1 (LEN0 = 00); GE and the
		 * reserved bit 10 as debuggers set them. */
		dbg.arch.debugreg[7] = 0x0602;
	}
	return ioctl(v->fd, KVM_SET_GUEST_DEBUG, &dbg);
}

/* A debug exit at the host's breakpoint: set RF so that the next run, here
 * or on another engine, executes the instruction (accel.h). */
static bool at_breakpoint(struct vcpu *v)
{
	struct kvm_run *run = v->run;
	struct kvm_regs r;

	if (!v->brk_on || v->step_over || run->debug.arch.exception != 1 ||
	    !(run->debug.arch.dr6 & 1) || (uint32_t)run->debug.arch.pc != v->brk_lin)
		return false;
	if (ioctl(v->fd, KVM_GET_REGS, &r) < 0)
		return false;
	r.rflags |= X86_RF;
	if (ioctl(v->fd, KVM_SET_REGS, &r) < 0)
		return false;
	v->step_over = true;
	apply_guest_debug(v, false);
	return true;
}

/* The single step past the breakpoint is done: arm it again. */
static void stepped_over(struct vcpu *v)
{
	if (v->step_over && (v->run->debug.arch.dr6 & 0x4000)) {
		v->step_over = false;
		apply_guest_debug(v, false);
	}
}

static void sleep_until(struct clock *c, uint64_t end_ps)
{
	uint64_t now = clock_now(c);
	if (now >= end_ps)
		return;
	uint64_t ns = (end_ps - now) / 1000;
	struct timespec ts = { .tv_sec = (time_t)(ns / 1000000000ull),
			       .tv_nsec = (long)(ns % 1000000000ull) };
	nanosleep(&ts, NULL);	/* a signal (SIGINT, deadline) cuts it short */
}

static void sync_summary(struct vcpu *v)
{
	struct x86_state *s = v->s;
	s->run_state = v->halted ? X86_HALTED : X86_RUNNING;
	if (v->run->if_flag)
		s->rflags |= X86_IF;
	else
		s->rflags &= ~(uint64_t)X86_IF;
}

static void trace_line(struct vcpu *v)
{
	struct kvm_regs r;
	struct kvm_sregs sr;
	if (ioctl(v->fd, KVM_GET_REGS, &r) < 0 || ioctl(v->fd, KVM_GET_SREGS, &sr) < 0)
		return;
	/* CPL: SS.DPL in protected mode (3 in virtual-8086 mode), 0 in real mode. */
	int cpl = !(sr.cr0 & 1) ? 0 : (r.rflags & X86_VM) ? 3 : sr.ss.dpl;
	if (v->m->cfg && !trace_filter_pass(&v->m->cfg->trace_filter, cpl,
					    (uint32_t)(sr.cs.base + r.rip)))
		return;
	fprintf(v->trace, "%04X:%08llX EAX=%08llX EBX=%08llX ECX=%08llX EDX=%08llX "
		"ESP=%08llX EBP=%08llX ESI=%08llX EDI=%08llX FL=%08llX CR0=%08llX\n",
		sr.cs.selector, (unsigned long long)r.rip, (unsigned long long)r.rax,
		(unsigned long long)r.rbx, (unsigned long long)r.rcx, (unsigned long long)r.rdx,
		(unsigned long long)r.rsp, (unsigned long long)r.rbp, (unsigned long long)r.rsi,
		(unsigned long long)r.rdi, (unsigned long long)r.rflags,
		(unsigned long long)sr.cr0);
}

static void log_exit_failure(struct vcpu *v)
{
	struct kvm_run *run = v->run;
	struct x86_state s;
	memset(&s, 0, sizeof(s));
	kvm_state_get(v, &s);
	if (run->exit_reason == KVM_EXIT_FAIL_ENTRY)
		log_error("kvm: VM entry failed (hardware reason %#llx) at %04x:%08llx",
			  (unsigned long long)run->fail_entry.hardware_entry_failure_reason,
			  s.seg[X86_CS].sel, (unsigned long long)s.rip);
	else if (run->exit_reason == KVM_EXIT_INTERNAL_ERROR)
		log_error("kvm: internal error (suberror %u) at %04x:%08llx",
			  run->internal.suberror, s.seg[X86_CS].sel, (unsigned long long)s.rip);
	else
		log_error("kvm: unexpected exit reason %u at %04x:%08llx", run->exit_reason,
			  s.seg[X86_CS].sel, (unsigned long long)s.rip);
}

/* KVM without unrestricted guest support (and software KVMs) runs real mode
 * (and, on some, protected mode) through its instruction emulator, which
 * lacks some instructions (DAA, for one).  The interpreter executes that one
 * instruction against the same machine and KVM continues.  Long mode is not
 * the interpreter's. */
static int step_in_interpreter(struct vcpu *v)
{
	struct machine *m = v->m;
	struct x86_state s = *v->s;

	if (kvm_state_get(v, &s) < 0 || (s.efer & (1u << 10)))
		return -1;
	if (!v->interp) {
		v->interp = x86i_new(m);
		if (!v->interp)
			return -1;
	}
	*v->s = s;
	x86i_select_cpu(v->interp, v->cur);	/* --smp: the same CPU */
	x86i_state_loaded(v->interp);
	x86i_step(v->interp, 0);
	v->interp_steps++;
	return kvm_state_set(v, v->s);
}

static void put_state(struct vcpu *v, const struct x86_state *in);

static enum accel_exit kvm_run_slice(struct vcpu *v, uint64_t budget)
{
	struct machine *m = v->m;
	struct kvm_run *run = v->run;
	uint64_t now = clock_now(m->clock);
	uint64_t end = now + clock_cycles_to_ps(m->clock, budget);
	enum accel_exit ret = ACCEL_EXIT_BUDGET;
	bool entered = false;

	if (!clock_host_time(m->clock)) {
		/* First run, or back from an emulating engine (accel_handoff). */
		clock_set_host_time(m->clock, 1);
		if (v->clock_pending)
			kvm_state_set_clock(v, &m->cpu);	/* the VM's: the boot CPU's */
		v->clock_pending = false;
		now = clock_now(m->clock);
		end = now + clock_cycles_to_ps(m->clock, budget);
	}
	m->kick = 0;
	if (v->mem_gen != mem_generation(m->mem) && kvm_mem_sync(v) < 0)
		return ACCEL_EXIT_ERROR;
	if (v->push_pending) {
		v->push_pending = false;
		put_state(v, v->s);
	}
	kvm_timer_set_run(run);
	run->immediate_exit = 0;
	kvm_timer_arm(v->timer, (end - now + 999) / 1000);
	for (;;) {
		if (m->kick || m->stop != STOP_NONE)
			break;
		/* At least one KVM_RUN per call, so even a 1-cycle budget moves
		 * the guest (and the instruction estimate) forward. */
		if (entered && clock_now(m->clock) >= end)
			break;
		if (v->mem_gen != mem_generation(m->mem) && kvm_mem_sync(v) < 0) {
			ret = ACCEL_EXIT_ERROR;
			break;
		}
		inject_interrupt(v);
		if (v->halted) {
			/* Timers run in the main loop: sleep to the deadline.
			 * An AP's turn (--smp) ends at once: what could wake it
			 * comes from the others' turns or the main loop's. */
			if (v->cur == 0)
				sleep_until(m->clock, end);
			ret = ACCEL_EXIT_HALT;
			break;
		}
		uint64_t t0 = clock_now(m->clock);
		int r = ioctl(v->fd, KVM_RUN, 0);
		entered = true;
		v->io_pending = false;
		/* KVM cannot count instructions: estimate one per ns of run time
		 * (a modern CPU's order of magnitude), so --max-insns and the
		 * statistics mean something; the interpreter counts exactly. */
		v->s->insns += (clock_now(m->clock) - t0) / 1000 + 1;
		if (r < 0) {
			if (errno == EINTR || errno == EAGAIN) {
				run->immediate_exit = 0;
				continue;
			}
			log_error("kvm: KVM_RUN failed: %s", strerror(errno));
			ret = ACCEL_EXIT_ERROR;
			break;
		}
		v->exits++;
		switch (run->exit_reason) {
		case KVM_EXIT_IO:
			if (handle_io(v) < 0) {
				ret = ACCEL_EXIT_ERROR;
				goto out;
			}
			v->io_pending = true;
			break;
		case KVM_EXIT_MMIO:
			handle_mmio(v);
			v->io_pending = true;
			break;
		case KVM_EXIT_HLT:
			v->halted = true;
			break;
		case KVM_EXIT_DEBUG:
			if (v->trace)
				trace_line(v);
			stepped_over(v);
			if (at_breakpoint(v)) {
				ret = ACCEL_EXIT_BREAK;
				goto out;
			}
			break;
		case KVM_EXIT_IRQ_WINDOW_OPEN:
		case KVM_EXIT_INTR:
			break;
		case KVM_EXIT_SHUTDOWN: {
			struct x86_state st = *v->s;
			if (kvm_state_get(v, &st) == 0)
				*v->s = st;
			log_debug("kvm: shutdown at %04x:%08llx cr0=%#llx cr4=%#llx efer=%#llx",
				  st.seg[X86_CS].sel, (unsigned long long)st.rip,
				  (unsigned long long)st.cr0, (unsigned long long)st.cr4,
				  (unsigned long long)st.efer);
			v->s->run_state = X86_SHUTDOWN;
			v->s->cycles += budget;
			return ACCEL_EXIT_SHUTDOWN;
		}
		case KVM_EXIT_INTERNAL_ERROR:
			if (run->internal.suberror == KVM_INTERNAL_ERROR_EMULATION &&
			    step_in_interpreter(v) == 0)
				break;
			/* fall through */
		default:
			log_exit_failure(v);
			ret = ACCEL_EXIT_ERROR;
			goto out;
		}
	}
out:
	sync_summary(v);
	/* Cycles under KVM: the budget spent, as time (--smp's turns count
	 * them; the clock follows host time meanwhile). */
	uint64_t spent = clock_ps_to_cycles(m->clock, clock_now(m->clock) - now);
	v->s->cycles += ret == ACCEL_EXIT_HALT || spent > budget ? budget : spent;
	return ret;
}

/* An exit that returned data to the guest (IN, MMIO read) completes on the
 * next KVM_RUN; finish it without running guest code before reading or
 * replacing the state. */
static void complete_pending(struct vcpu *v)
{
	if (!v->io_pending)
		return;
	v->run->immediate_exit = 1;
	ioctl(v->fd, KVM_RUN, 0);
	v->run->immediate_exit = 0;
	v->io_pending = false;
}

/* An interrupt queued with KVM_INTERRUPT whose KVM_RUN never entered the
 * guest (the deadline signal came first) lives only inside KVM, and the PIC
 * or local APIC has already been acknowledged.  struct x86_state has no
 * place for it, so let the guest take it: enter the guest again for a few
 * microseconds (its exits handled as in a run), which delivers it.  Not by
 * single-stepping: a software KVM (kvm_pvm) that delivers the interrupt in
 * its emulator pushes the trap flag it steps with into the guest's
 * interrupt frame, and the guest's IRET then takes a debug trap. */
#define FLUSH_NS 20000

static void flush_injected(struct vcpu *v)
{
	for (int i = 0; i < 8; i++) {
		struct kvm_vcpu_events ev;
		if (ioctl(v->fd, KVM_GET_VCPU_EVENTS, &ev) < 0 ||
		    !(ev.interrupt.injected || ev.exception.injected))
			break;
		complete_pending(v);
		v->run->immediate_exit = 0;
		kvm_timer_set_run(v->run);
		kvm_timer_arm(v->timer, FLUSH_NS);
		int r = ioctl(v->fd, KVM_RUN, 0);
		v->run->immediate_exit = 0;
		v->io_pending = false;
		if (r < 0)
			continue;
		v->exits++;
		if (v->run->exit_reason == KVM_EXIT_IO && handle_io(v) == 0)
			v->io_pending = true;
		else if (v->run->exit_reason == KVM_EXIT_MMIO) {
			handle_mmio(v);
			v->io_pending = true;
		} else if (v->run->exit_reason == KVM_EXIT_HLT) {
			v->halted = true;
		}
	}
	complete_pending(v);
}

/* --smp: an AP's vCPU counts its TSC on inside KVM, between its turns too
 * and from a base KVM chose (host time), while m->ap_cpu holds what the end
 * of its last turn read out, or for an AP that never ran (waiting for its
 * start-up IPI) what accel/smp.c counted from the boot CPU's power-on.  So
 * the state that leaves KVM (a hand-off, a save state) takes every AP's TSC
 * as of now, less the cycles the AP is behind the boot CPU: it counts those
 * again on its way to where the boot CPU is.  Else an AP handed to the
 * interpreter reads a TSC up to hours behind the boot CPU's. */
static void get_ap_tscs(struct vcpu *v, const struct x86_state *bsp)
{
	for (int i = 1; i < v->ncpus; i++) {
		struct {
			struct kvm_msrs hdr;
			struct kvm_msr_entry e;
		} msr = { .hdr.nmsrs = 1, .e.index = 0x10 };	/* IA32_TIME_STAMP_COUNTER */
		struct x86_state *a = &v->m->ap_cpu[i - 1];
		if (i == v->cur || v->slot[i].fd < 0 ||
		    ioctl(v->slot[i].fd, KVM_GET_MSRS, &msr) != 1)
			continue;
		a->tsc = msr.e.data - (bsp->cycles > a->cycles ? bsp->cycles - a->cycles : 0);
	}
}

static void kvm_get_state(struct vcpu *v, struct x86_state *out)
{
	complete_pending(v);
	flush_injected(v);
	struct x86_state s = v->m->cpu;
	if (kvm_state_get(v, &s) == 0) {
		kvm_state_get_clock(v, &s);
		v->m->cpu = s;
		get_ap_tscs(v, &s);
	}
	*out = v->m->cpu;
}

/* The selected vCPU's registers from in (which is, or goes to, v->s). */
static void put_state(struct vcpu *v, const struct x86_state *in)
{
	if (kvm_state_set(v, in) < 0)
		log_error("kvm: the CPU state was not accepted; the guest may misbehave");
	bool over = v->brk_on && (in->rflags & X86_RF) &&
		    (uint32_t)(in->seg[X86_CS].base + in->rip) == v->brk_lin;
	if (over != v->step_over) {
		v->step_over = over;
		apply_guest_debug(v, false);
	}
}

static void kvm_set_state(struct vcpu *v, const struct x86_state *in)
{
	complete_pending(v);
	if (&v->m->cpu != in)
		v->m->cpu = *in;
	/* Before the MSRs: KVM computes the kvmclock areas from it.  A clock
	 * that counts cycles stands still until the first KVM_RUN, and so
	 * must kvmclock (it is set again there). */
	kvm_state_set_clock(v, in);
	v->clock_pending = !clock_host_time(v->m->clock);
	put_state(v, in);
}

/* --smp, between runs (accel.h): an AP's registers live in m->ap_cpu while
 * it is not selected, where smp.c starts it (SIPI), save states and the
 * monitor read it and a hand-off finds it.  So deselecting an AP reads its
 * vCPU out, and its next run writes its vCPU from there first; the boot
 * CPU's stay in KVM (get_state/set_state).  A few ioctls per AP turn. */
static void kvm_select_cpu(struct vcpu *v, int idx)
{
	if (idx == v->cur || idx < 0 || idx >= v->ncpus)
		return;
	if (v->cur && !v->push_pending) {
		complete_pending(v);
		flush_injected(v);
		struct x86_state s = *v->s;
		if (kvm_state_get(v, &s) == 0)
			*v->s = s;
	}
	swap_vcpu(v, idx);
	apic_bus_set_current(v->m->apic, idx);
	kvm_timer_set_run(v->run);
	/* Written at the run: a reset (INIT) right after replaces it. */
	v->push_pending = idx != 0;
}

static void kvm_reset(struct vcpu *v)
{
	struct x86_state s = *v->s;
	kvm_state_reset(&s, v->cpuid_sig);
	/* The on-chip APIC resets with its CPU (INIT of an AP, too), and its
	 * base MSR has the BSP flag on CPU 0 only. */
	if (v->m->apic) {
		struct lapic *l = apic_bus_cpu(v->m->apic, v->cur);
		lapic_cpu_reset(l);
		s.apic_base = lapic_base_msr(l);
	}
	/* Let KVM finish the exit the reset came from (the OUT to 64h/92h/CF9h)
	 * before the registers are replaced, or it would finish it after. */
	complete_pending(v);
	*v->s = s;
	v->push_pending = false;
	if (kvm_state_set(v, &s) < 0)
		log_error("kvm: cannot put the vCPU in its reset state");
	v->halted = false;
}

/* --trace under KVM: the vCPU single-steps (KVM_GUESTDBG_SINGLESTEP) and
 * every debug exit prints where it is.  Slow, as tracing is. */
/* KVM_SET_GUEST_DEBUG on every vCPU (--smp); the selected one's result. */
static int apply_guest_debug_all(struct vcpu *v)
{
	int cur = v->cur, r = 0;
	for (int i = 0; i < v->ncpus; i++) {
		swap_vcpu(v, i);
		if (apply_guest_debug(v, false) < 0 && i == cur)
			r = -1;
	}
	swap_vcpu(v, cur);
	return r;
}

static void kvm_set_trace(struct vcpu *v, FILE *f)
{
	FILE *old = v->trace;
	v->trace = f;
	if (apply_guest_debug_all(v) < 0) {
		log_error("kvm: KVM_SET_GUEST_DEBUG failed: %s", strerror(errno));
		v->trace = old;
	}
}

/* The host's breakpoint as a hardware one: free until the guest gets there. */
static int kvm_set_breakpoint(struct vcpu *v, bool on, uint32_t lin)
{
	bool was = v->brk_on;
	uint32_t old = v->brk_lin;
	v->brk_on = on;
	v->brk_lin = lin;
	v->step_over = false;
	for (int i = 0; i < v->ncpus; i++)
		v->slot[i].step_over = false;
	if (apply_guest_debug_all(v) < 0) {
		log_error("kvm: KVM_SET_GUEST_DEBUG (breakpoint) failed: %s", strerror(errno));
		v->brk_on = was;
		v->brk_lin = old;
		return -1;
	}
	return 0;
}

static void kvm_memory_changed(struct vcpu *v, uint32_t base, uint32_t len)
{
	(void)base;
	(void)len;
	if (kvm_mem_sync(v) < 0)
		log_error("kvm: cannot update the memory slots");
}

const struct accel_ops accel_kvm_ops = {
	.name = "kvm",
	.init = kvm_init,
	.run = kvm_run_slice,
	.get_state = kvm_get_state,
	.set_state = kvm_set_state,
	.memory_changed = kvm_memory_changed,
	.destroy = kvm_destroy,
	.reset = kvm_reset,
	.set_trace = kvm_set_trace,
	.set_breakpoint = kvm_set_breakpoint,
	.select_cpu = kvm_select_cpu,
};
