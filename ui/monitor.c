/* The monitor: transport (stdin/stdout, a unix socket, loopback TCP) and the
 * line commands.  See ui/monitor.h for how the run loop drives it and
 * docs/monitor.md for the commands. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "cpu/state.h"
#include "hw/machine.h"
#include "ui/keys.h"
#include "ui/monitor.h"
#include "ui/ui.h"
#include "util/log.h"
#include "util/options.h"

#define MON_LINE_MAX 1024
#define MON_DUMP_MAX 4096	/* bytes one x command shows */
#define MON_STEP_MAX 1000000000ull
#define MON_KEYS_MAX 8		/* sendkey scripts typing at once */
#define MON_PROMPT "(tandem) "

struct monitor {
	struct machine *m;
	struct monitor_host host;
	int listen_fd;		/* unix/tcp: the listening socket, else -1 */
	int in_fd, out_fd;	/* the client (stdio: 0 and 1), -1 when none */
	bool stdio;
	int stdin_flags;	/* stdio: stdin's file flags, restored at exit */
	char sock_path[108];	/* unix: removed at exit */
	char line[MON_LINE_MAX];
	size_t nline;
	bool overlong;		/* dropping the rest of a too long line */
	bool paused;
	uint64_t step_target;	/* insns a running step stops at; 0: none */
	uint64_t step_from;
	int cpu;		/* the CPU info registers shows (cpu N) */
	struct ui_keys *keys[MON_KEYS_MAX];
};

static void drop_client(struct monitor *mon);

/* Writes everything or drops the client: a client that stops reading must
 * not stop the machine (at most a second's wait). */
static void put(struct monitor *mon, const char *s, size_t len)
{
	while (len && mon->out_fd >= 0) {
		ssize_t n = write(mon->out_fd, s, len);
		if (n > 0) {
			s += n;
			len -= (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		struct pollfd p = { .fd = mon->out_fd, .events = POLLOUT };
		if (n < 0 && errno == EAGAIN && poll(&p, 1, 1000) == 1)
			continue;
		log_warn("monitor: the client does not take its replies; disconnecting it");
		drop_client(mon);
		mon->out_fd = -1;	/* stdio too */
		return;
	}
}

__attribute__((format(printf, 2, 3)))
static void reply(struct monitor *mon, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof(buf) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n > sizeof(buf) - 2)
		n = (int)sizeof(buf) - 2;
	buf[n++] = '\n';
	put(mon, buf, (size_t)n);
}

static void prompt(struct monitor *mon)
{
	put(mon, MON_PROMPT, strlen(MON_PROMPT));
}

static int set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);
	return fl < 0 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

static int listen_unix(struct monitor *mon, const char *path, char *err, size_t errlen)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	struct stat st;

	if (strlen(path) >= sizeof(a.sun_path)) {
		snprintf(err, errlen, "--monitor: socket path '%s' is too long", path);
		return -1;
	}
	/* A socket left by an earlier run goes; anything else stays. */
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			snprintf(err, errlen, "--monitor: '%s' exists and is not a socket", path);
			return -1;
		}
		unlink(path);
	}
	strcpy(a.sun_path, path);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(fd, 1) < 0) {
		snprintf(err, errlen, "--monitor: cannot listen on '%s': %s", path,
			 strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	snprintf(mon->sock_path, sizeof(mon->sock_path), "%s", path);
	return fd;
}

static int listen_tcp(const char *hostport, char *err, size_t errlen)
{
	char host[64];
	const char *colon = strrchr(hostport, ':');
	struct sockaddr_in a = { .sin_family = AF_INET };
	int port = colon ? options_parse_port(colon + 1) : -1;

	if (!colon || port <= 0 || (size_t)(colon - hostport) >= sizeof(host)) {
		snprintf(err, errlen, "--monitor: '%s' is not HOST:PORT", hostport);
		return -1;
	}
	memcpy(host, hostport, (size_t)(colon - hostport));
	host[colon - hostport] = 0;
	if (inet_pton(AF_INET, host, &a.sin_addr) != 1 ||
	    (ntohl(a.sin_addr.s_addr) >> 24) != 127) {
		snprintf(err, errlen, "--monitor: '%s' is not a loopback address", host);
		return -1;
	}
	a.sin_port = htons((uint16_t)port);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;
	if (fd >= 0)
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(fd, 1) < 0) {
		snprintf(err, errlen, "--monitor: cannot listen on %s: %s", hostport,
			 strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

struct monitor *monitor_new(const char *spec, struct machine *m,
			    const struct monitor_host *host, bool paused, char *err,
			    size_t errlen)
{
	struct monitor *mon = calloc(1, sizeof(*mon));
	if (!mon) {
		snprintf(err, errlen, "--monitor: out of memory");
		return NULL;
	}
	mon->m = m;
	mon->host = *host;
	mon->paused = paused;
	mon->listen_fd = mon->in_fd = mon->out_fd = -1;
	if (strcmp(spec, "stdio") == 0) {
		mon->stdio = true;
		mon->in_fd = 0;
		mon->out_fd = 1;
		mon->stdin_flags = fcntl(0, F_GETFL);
		set_nonblock(0);
		fflush(stdout);
	} else if (strncmp(spec, "unix:", 5) == 0) {
		mon->listen_fd = listen_unix(mon, spec + 5, err, errlen);
	} else if (strncmp(spec, "tcp:", 4) == 0) {
		mon->listen_fd = listen_tcp(spec + 4, err, errlen);
	} else {
		snprintf(err, errlen, "--monitor: '%s' is not stdio, unix:PATH or tcp:HOST:PORT",
			 spec);
	}
	if (!mon->stdio && mon->listen_fd < 0) {
		free(mon);
		return NULL;
	}
	if (mon->listen_fd >= 0)
		set_nonblock(mon->listen_fd);
	if (mon->stdio) {
		reply(mon, "tandem monitor (help lists the commands)%s",
		      paused ? "; the guest is stopped" : "");
		prompt(mon);
	}
	return mon;
}

static void drop_client(struct monitor *mon)
{
	if (mon->stdio) {
		/* stdin is gone: nobody can say cont any more (a step still
		 * running finishes and is answered, without stopping). */
		if (mon->paused)
			log_info("monitor: stdin closed; the guest continues");
		mon->paused = false;
		mon->in_fd = -1;	/* replies still go to stdout */
	} else {
		if (mon->in_fd >= 0)
			close(mon->in_fd);
		mon->in_fd = mon->out_fd = -1;
	}
	mon->nline = 0;
	mon->overlong = false;
}

/* ---- commands ---- */

static void flags_text(uint64_t f, char *out)
{
	static const struct { uint32_t bit; char c; } fl[] = {
		{ X86_OF, 'O' }, { X86_DF, 'D' }, { X86_IF, 'I' }, { X86_TF, 'T' },
		{ X86_SF, 'S' }, { X86_ZF, 'Z' }, { X86_AF, 'A' }, { X86_PF, 'P' },
		{ X86_CF, 'C' },
	};
	for (size_t i = 0; i < sizeof(fl) / sizeof(fl[0]); i++)
		out[i] = (f & fl[i].bit) ? fl[i].c : '-';
	out[sizeof(fl) / sizeof(fl[0])] = 0;
}

static void seg_line(struct monitor *mon, const char *name, const struct x86_seg *s)
{
	reply(mon, "%-3s=%04x base=%08llx limit=%08x attr=%04x", name, s->sel,
	      (unsigned long long)s->base, s->limit, s->attr);
}

static int parse_num(const char *s, bool hex_default, uint64_t *out);

static int ncpus(const struct monitor *mon)
{
	return mon->m->ncpus > 1 ? mon->m->ncpus : 1;
}

static bool cpu_waiting(struct monitor *mon, int cpu)
{
	return cpu && mon->host.cpu_waiting && mon->host.cpu_waiting(mon->host.opaque, cpu);
}

/* QEMU's cpu N: the CPU info registers shows from now on. */
static void cmd_cpu(struct monitor *mon, const char *arg)
{
	uint64_t n;
	if (parse_num(arg, false, &n) < 0 || n >= (uint64_t)ncpus(mon)) {
		reply(mon, "error: cpu: N must be 0 to %d (this machine has %d CPU%s)",
		      ncpus(mon) - 1, ncpus(mon), ncpus(mon) > 1 ? "s" : "");
		return;
	}
	mon->cpu = (int)n;
	reply(mon, "CPU #%d selected", mon->cpu);
}

/* One line per CPU, the selected one marked with '*' (as QEMU's). */
static void cmd_info_cpus(struct monitor *mon)
{
	static const char *const run[] = { "running", "halted", "shutdown" };
	for (int i = 0; i < ncpus(mon); i++) {
		struct x86_state s;
		mon->host.get_state(mon->host.opaque, i, &s);
		reply(mon, "%c CPU #%d: CS:EIP=%04x:%08llx %s insns=%llu", i == mon->cpu ? '*' : ' ',
		      i, s.seg[X86_CS].sel, (unsigned long long)s.rip,
		      cpu_waiting(mon, i) ? "waiting for a start-up IPI" :
		      s.run_state <= X86_SHUTDOWN ? run[s.run_state] : "?",
		      (unsigned long long)s.insns);
	}
}

static void cmd_info_registers(struct monitor *mon)
{
	static const char *const seg_names[] = { "ES", "CS", "SS", "DS", "FS", "GS" };
	static const char *const run[] = { "running", "halted", "shutdown" };
	struct x86_state s;
	char fl[16];
	unsigned cpl;

	mon->host.get_state(mon->host.opaque, mon->cpu, &s);
	if (ncpus(mon) > 1)
		reply(mon, "CPU #%d%s", mon->cpu, cpu_waiting(mon, mon->cpu) ?
		      " (waiting for a start-up IPI)" : "");
	flags_text(s.rflags, fl);
	if (s.rflags & X86_VM)
		cpl = 3;
	else if (s.cr0 & 1)
		cpl = (s.seg[X86_SS].attr >> 5) & 3;
	else
		cpl = 0;
	reply(mon, "EAX=%08llx EBX=%08llx ECX=%08llx EDX=%08llx",
	      (unsigned long long)(uint32_t)s.gpr[X86_RAX],
	      (unsigned long long)(uint32_t)s.gpr[X86_RBX],
	      (unsigned long long)(uint32_t)s.gpr[X86_RCX],
	      (unsigned long long)(uint32_t)s.gpr[X86_RDX]);
	reply(mon, "ESI=%08llx EDI=%08llx EBP=%08llx ESP=%08llx",
	      (unsigned long long)(uint32_t)s.gpr[X86_RSI],
	      (unsigned long long)(uint32_t)s.gpr[X86_RDI],
	      (unsigned long long)(uint32_t)s.gpr[X86_RBP],
	      (unsigned long long)(uint32_t)s.gpr[X86_RSP]);
	reply(mon, "EIP=%08llx EFL=%08llx [%s] CPL=%u %s", (unsigned long long)s.rip,
	      (unsigned long long)s.rflags, fl, cpl,
	      s.run_state <= X86_SHUTDOWN ? run[s.run_state] : "?");
	for (int i = 0; i < X86_NR_SREG; i++)
		seg_line(mon, seg_names[i], &s.seg[i]);
	seg_line(mon, "LDT", &s.ldtr);
	seg_line(mon, "TR", &s.tr);
	reply(mon, "GDT=%08llx,%04x IDT=%08llx,%04x", (unsigned long long)s.gdtr.base,
	      s.gdtr.limit, (unsigned long long)s.idtr.base, s.idtr.limit);
	reply(mon, "CR0=%08llx CR2=%08llx CR3=%08llx CR4=%08llx EFER=%llx",
	      (unsigned long long)s.cr0, (unsigned long long)s.cr2, (unsigned long long)s.cr3,
	      (unsigned long long)s.cr4, (unsigned long long)s.efer);
	reply(mon, "DR0=%08llx DR1=%08llx DR2=%08llx DR3=%08llx DR6=%08llx DR7=%08llx",
	      (unsigned long long)s.dr[0], (unsigned long long)s.dr[1],
	      (unsigned long long)s.dr[2], (unsigned long long)s.dr[3],
	      (unsigned long long)s.dr[6], (unsigned long long)s.dr[7]);
	reply(mon, "insns=%llu cycles=%llu engine=%s", (unsigned long long)s.insns,
	      (unsigned long long)s.cycles, mon->host.engine(mon->host.opaque));
}

static void where(struct monitor *mon, char *buf, size_t len)
{
	struct x86_state s;
	mon->host.get_state(mon->host.opaque, 0, &s);
	snprintf(buf, len, "%04x:%08llx after %llu instructions", s.seg[X86_CS].sel,
		 (unsigned long long)s.rip, (unsigned long long)s.insns);
}

/* Parses a number: hex with 0x, else decimal (hex_default: hex always). */
static int parse_num(const char *s, bool hex_default, uint64_t *out)
{
	char *end;
	if (!s || !*s || *s == '-' || *s == '+' || isspace((unsigned char)*s))
		return -1;
	errno = 0;
	unsigned long long v = strtoull(s, &end, hex_default ? 16 : 0);
	if (end == s || *end || errno)
		return -1;
	*out = v;
	return 0;
}

static void cmd_x(struct monitor *mon, const char *a, const char *l)
{
	uint32_t addr;
	uint64_t len;
	uint8_t buf[MON_DUMP_MAX];

	if (!a || !l || options_parse_addr(a, &addr) < 0 || parse_num(l, false, &len) < 0) {
		reply(mon, "error: usage: x ADDR LEN (ADDR hex or SEG:OFF, LEN 1-%d)",
		      MON_DUMP_MAX);
		return;
	}
	if (len == 0 || len > MON_DUMP_MAX) {
		reply(mon, "error: x: LEN must be 1 to %d bytes", MON_DUMP_MAX);
		return;
	}
	/* RAM and ROM only: reading a device's MMIO could change it. */
	if ((uint64_t)addr + len > (1ull << 32) ||
	    mem_copy_from_guest(mon->m->mem, buf, addr, (uint32_t)len) < 0) {
		reply(mon, "error: x: %#x..%#llx is not all RAM or ROM (RAM is %#llx bytes)",
		      addr, (unsigned long long)(addr + len - 1),
		      (unsigned long long)mem_ram_size(mon->m->mem));
		return;
	}
	for (uint64_t off = 0; off < len; off += 16) {
		char line[128];
		int n = snprintf(line, sizeof(line), "%08llx:", (unsigned long long)(addr + off));
		for (uint64_t k = off; k < off + 16; k++)
			n += snprintf(line + n, sizeof(line) - (size_t)n, k < len ? " %02x" : "   ",
				      k < len ? buf[k] : 0);
		n += snprintf(line + n, sizeof(line) - (size_t)n, "  ");
		for (uint64_t k = off; k < off + 16 && k < len; k++)
			line[n++] = buf[k] >= 0x20 && buf[k] < 0x7f ? (char)buf[k] : '.';
		line[n] = 0;
		reply(mon, "%s", line);
	}
}

static void reap_keys(struct monitor *mon)
{
	for (int i = 0; i < MON_KEYS_MAX; i++) {
		if (mon->keys[i] && ui_keys_done(mon->keys[i])) {
			ui_keys_free(mon->keys[i]);
			mon->keys[i] = NULL;
		}
	}
}

static void cmd_sendkey(struct monitor *mon, const char *script)
{
	char err[256];
	int slot = -1;

	if (!script || !*script) {
		reply(mon, "error: usage: sendkey KEYS (as --keys: text, {enter}, {ctrl+alt+del}, "
		      "{wait:MS}...)");
		return;
	}
	if (!mon->m->kbd) {
		reply(mon, "error: sendkey: this machine has no keyboard");
		return;
	}
	reap_keys(mon);
	for (int i = 0; i < MON_KEYS_MAX && slot < 0; i++)
		if (!mon->keys[i])
			slot = i;
	if (slot < 0) {
		reply(mon, "error: sendkey: %d scripts are still typing; try again later",
		      MON_KEYS_MAX);
		return;
	}
	mon->keys[slot] = ui_keys_new(mon->m->clock, mon->m->kbd, script, err, sizeof(err));
	if (!mon->keys[slot]) {
		/* ui_keys names itself --keys; here it is sendkey. */
		const char *why = strncmp(err, "--keys: ", 8) == 0 ? err + 8 : err;
		reply(mon, "error: sendkey: %s", why);
		return;
	}
	reply(mon, "typing (in emulated time; the guest must run to take the keys)");
}

static void cmd_step(struct monitor *mon, const char *arg)
{
	uint64_t n = 1;
	const char *eng = mon->host.engine(mon->host.opaque);

	if (arg && (parse_num(arg, false, &n) < 0 || n == 0 || n > MON_STEP_MAX)) {
		reply(mon, "error: step: N must be 1 to %llu", (unsigned long long)MON_STEP_MAX);
		return;
	}
	if (strcmp(eng, "kvm") == 0) {
		reply(mon, "error: step: KVM cannot count instructions; handoff interp first");
		return;
	}
	struct x86_state s;
	mon->host.get_state(mon->host.opaque, 0, &s);
	mon->step_from = s.insns;
	mon->step_target = s.insns + n;
	mon->paused = false;
	/* The reply (and the prompt) come from monitor_ran when it is done. */
}

static const char help_text[] =
	"help                    this list\n"
	"info registers          the selected CPU's state\n"
	"info cpus               every CPU, where it is and whether it runs\n"
	"cpu N                   select CPU N (0: the boot CPU) for info registers\n"
	"info engine             the engine running the guest, hand-offs\n"
	"stop                    stop the guest\n"
	"cont                    let it run\n"
	"step [N]                run N instructions (default 1) and stop (interp, tcg-lite;\n"
	"                        the boot CPU's: the others take their turns meanwhile)\n"
	"handoff ENGINE          move the guest to interp, tcg-lite or kvm\n"
	"savestate FILE          save the machine (as --save-state)\n"
	"loadstate FILE          load a saved machine (as --load-state)\n"
	"screenshot FILE         write the screen to a PNG\n"
	"x ADDR LEN              hex dump of guest physical memory (ADDR hex or SEG:OFF)\n"
	"sendkey KEYS            type KEYS (--keys syntax)\n"
	"quit                    end tandem\n";

/* Runs one command line; returns false when the prompt must wait (a step). */
static bool run_command(struct monitor *mon, char *line)
{
	char *save = NULL;
	char err[512], buf[160];
	char *cmd = strtok_r(line, " \t\r", &save);
	if (!cmd)
		return true;
	if (strcmp(cmd, "sendkey") == 0) {
		/* The rest of the line is the script, blanks and all. */
		char *script = save;
		size_t n = script ? strlen(script) : 0;
		while (n && (script[0] == ' ' || script[0] == '\t')) {
			script++;
			n--;
		}
		while (n && (script[n - 1] == '\r' || script[n - 1] == ' '))
			script[--n] = 0;
		cmd_sendkey(mon, script);
		return true;
	}
	char *a1 = strtok_r(NULL, " \t\r", &save);
	char *a2 = strtok_r(NULL, " \t\r", &save);
	char *a3 = strtok_r(NULL, " \t\r", &save);

	if (strcmp(cmd, "help") == 0 && !a1) {
		put(mon, help_text, sizeof(help_text) - 1);
	} else if (strcmp(cmd, "info") == 0 && a1 && !a2 && strcmp(a1, "registers") == 0) {
		cmd_info_registers(mon);
	} else if (strcmp(cmd, "info") == 0 && a1 && !a2 && strcmp(a1, "cpus") == 0) {
		cmd_info_cpus(mon);
	} else if (strcmp(cmd, "cpu") == 0 && a1 && !a2) {
		cmd_cpu(mon, a1);
	} else if (strcmp(cmd, "info") == 0 && a1 && !a2 && strcmp(a1, "engine") == 0) {
		mon->host.engine_info(mon->host.opaque, buf, sizeof(buf));
		reply(mon, "%s; guest %s", buf, mon->paused ? "stopped" : "running");
	} else if (strcmp(cmd, "stop") == 0 && !a1) {
		mon->paused = true;
		where(mon, buf, sizeof(buf));
		reply(mon, "stopped at %s", buf);
	} else if (strcmp(cmd, "cont") == 0 && !a1) {
		mon->paused = false;
		reply(mon, "running");
	} else if (strcmp(cmd, "step") == 0 && !a2) {
		cmd_step(mon, a1);
		return mon->step_target == 0;
	} else if (strcmp(cmd, "handoff") == 0 && a1 && !a2) {
		const char *from = mon->host.engine(mon->host.opaque);
		if (mon->host.handoff(mon->host.opaque, a1, err, sizeof(err)) < 0) {
			reply(mon, "error: handoff: %s", err);
		} else {
			where(mon, buf, sizeof(buf));
			reply(mon, "handed off %s -> %s at %s", from,
			      mon->host.engine(mon->host.opaque), buf);
		}
	} else if (strcmp(cmd, "savestate") == 0 && a1 && !a2) {
		if (mon->host.save_state(mon->host.opaque, a1, err, sizeof(err)) < 0)
			reply(mon, "error: savestate: %s", err);
		else
			reply(mon, "saved to %s", a1);
	} else if (strcmp(cmd, "loadstate") == 0 && a1 && !a2) {
		if (mon->host.load_state(mon->host.opaque, a1, err, sizeof(err)) < 0) {
			reply(mon, "error: loadstate: %s", err);
		} else {
			where(mon, buf, sizeof(buf));
			reply(mon, "loaded %s: at %s", a1, buf);
		}
	} else if (strcmp(cmd, "screenshot") == 0 && a1 && !a2) {
		int r = mon->m->vga ? ui_screenshot_png(mon->m, a1) : -ENODEV;
		if (r < 0)
			reply(mon, "error: screenshot: cannot write %s: %s", a1,
			      r == -ENODEV ? "this machine has no display" : strerror(-r));
		else
			reply(mon, "screenshot written to %s", a1);
	} else if (strcmp(cmd, "x") == 0 && !a3) {
		cmd_x(mon, a1, a2);
	} else if (strcmp(cmd, "quit") == 0 && !a1) {
		reply(mon, "bye");
		machine_request_stop(mon->m, STOP_QUIT, 0);
	} else if (strcmp(cmd, "help") == 0 || strcmp(cmd, "info") == 0 ||
		   strcmp(cmd, "stop") == 0 || strcmp(cmd, "cont") == 0 ||
		   strcmp(cmd, "step") == 0 || strcmp(cmd, "handoff") == 0 ||
		   strcmp(cmd, "savestate") == 0 || strcmp(cmd, "loadstate") == 0 ||
		   strcmp(cmd, "screenshot") == 0 || strcmp(cmd, "x") == 0 ||
		   strcmp(cmd, "quit") == 0 || strcmp(cmd, "cpu") == 0) {
		reply(mon, "error: wrong arguments for '%s' (see help)", cmd);
	} else {
		reply(mon, "error: unknown command '%.40s' (see help)", cmd);
	}
	return true;
}

/* Runs the complete lines in the buffer; stops early while a step runs
 * (the rest waits for it, so a script of commands keeps its order). */
static void run_lines(struct monitor *mon)
{
	while (mon->in_fd >= 0 && !mon->step_target && mon->m->stop == STOP_NONE) {
		char *nl = memchr(mon->line, '\n', mon->nline);
		if (!nl)
			return;
		size_t len = (size_t)(nl - mon->line);
		char cmd[MON_LINE_MAX];
		memcpy(cmd, mon->line, len);
		cmd[len] = 0;
		memmove(mon->line, nl + 1, mon->nline - len - 1);
		mon->nline -= len + 1;
		if (run_command(mon, cmd))
			prompt(mon);
	}
}

static void read_client(struct monitor *mon)
{
	for (;;) {
		char tmp[512];
		ssize_t n = read(mon->in_fd, tmp, sizeof(tmp));
		if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN &&
			       errno != EWOULDBLOCK)) {
			/* Lines before the end still count. */
			run_lines(mon);
			drop_client(mon);
			return;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return;
		for (ssize_t i = 0; i < n; i++) {
			char c = tmp[i];
			if (mon->overlong) {
				mon->overlong = c != '\n';
				continue;
			}
			if (mon->nline == sizeof(mon->line) - 1 && c != '\n') {
				reply(mon, "error: line longer than %d characters", MON_LINE_MAX - 2);
				prompt(mon);
				/* Keep the complete lines before it. */
				char *nl = memrchr(mon->line, '\n', mon->nline);
				mon->nline = nl ? (size_t)(nl - mon->line) + 1 : 0;
				mon->overlong = true;
				continue;
			}
			mon->line[mon->nline++] = c;
		}
		if (n < (ssize_t)sizeof(tmp))
			return;
	}
}

static void accept_client(struct monitor *mon)
{
	int fd = accept4(mon->listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (fd < 0)
		return;
	if (mon->in_fd >= 0) {
		static const char busy[] = "error: another client has the monitor\n";
		if (write(fd, busy, sizeof(busy) - 1) < 0) {
			/* closing anyway */
		}
		close(fd);
		return;
	}
	mon->in_fd = mon->out_fd = fd;
	mon->nline = 0;
	mon->overlong = false;
	reply(mon, "tandem monitor (help lists the commands)%s",
	      mon->paused ? "; the guest is stopped" : "");
	prompt(mon);
}

void monitor_poll(struct monitor *mon, int timeout_ms)
{
	struct pollfd p[2];
	int n = 0;

	reap_keys(mon);
	run_lines(mon);
	if (mon->step_target)
		timeout_ms = 0;
	if (mon->listen_fd >= 0) {
		p[n].fd = mon->listen_fd;
		p[n++].events = POLLIN;
	}
	if (mon->in_fd >= 0) {
		p[n].fd = mon->in_fd;
		p[n++].events = POLLIN;
	}
	if (n == 0) {
		if (timeout_ms > 0)
			usleep((useconds_t)timeout_ms * 1000);
		return;
	}
	if (poll(p, (nfds_t)n, timeout_ms) <= 0)
		return;
	for (int i = 0; i < n; i++) {
		if (!p[i].revents)
			continue;
		if (p[i].fd == mon->listen_fd)
			accept_client(mon);
		else if (p[i].fd == mon->in_fd)
			read_client(mon);
	}
	run_lines(mon);
}

bool monitor_paused(const struct monitor *mon)
{
	return mon->paused;
}

uint64_t monitor_step_target(const struct monitor *mon)
{
	return mon->step_target;
}

void monitor_ran(struct monitor *mon)
{
	if (!mon->step_target || mon->m->cpu.insns < mon->step_target)
		return;
	char buf[160];
	uint64_t done = mon->m->cpu.insns - mon->step_from;
	mon->step_target = 0;
	mon->paused = !(mon->stdio && mon->in_fd < 0);
	where(mon, buf, sizeof(buf));
	reply(mon, "stepped %llu instruction%s; at %s", (unsigned long long)done,
	      done == 1 ? "" : "s", buf);
	prompt(mon);
}

void monitor_free(struct monitor *mon, const char *why)
{
	if (!mon)
		return;
	if (mon->out_fd >= 0) {
		if (mon->step_target)
			reply(mon, "error: step: the machine stopped first");
		reply(mon, "machine stopped: %s", why ? why : "quit");
	}
	if (!mon->stdio && mon->in_fd >= 0)
		close(mon->in_fd);
	if (mon->stdio && mon->stdin_flags >= 0)
		fcntl(0, F_SETFL, mon->stdin_flags);	/* a shell shares it */
	if (mon->listen_fd >= 0)
		close(mon->listen_fd);
	if (mon->sock_path[0])
		unlink(mon->sock_path);
	for (int i = 0; i < MON_KEYS_MAX; i++)
		ui_keys_free(mon->keys[i]);
	free(mon);
}
