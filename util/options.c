#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "net/net.h"
#include "util/config.h"
#include "util/options.h"

enum opt_id {
	OPT_MEMORY, OPT_MACHINE, OPT_CPU, OPT_BIOS, OPT_FDA, OPT_FDB, OPT_HDA, OPT_HDB,
	OPT_CDROM, OPT_FW_CFG, OPT_BOOT, OPT_ACCEL, OPT_HEADLESS, OPT_SERIAL, OPT_DEBUGCON,
	OPT_POST_LOG, OPT_EXIT_PORT, OPT_TIMEOUT, OPT_MAX_INSNS, OPT_SCREENSHOT, OPT_TRACE,
	OPT_TRACE_FILTER,
	OPT_RTC, OPT_SPEED, OPT_KEYS, OPT_AUDIO_CAPTURE, OPT_SOUND, OPT_SB_BASE, OPT_SB_IRQ,
	OPT_SB_DMA, OPT_SB_HDMA, OPT_MIDI_CAPTURE, OPT_MHZ, OPT_CYCLES, OPT_SMP, OPT_NIC, OPT_NET_DUMP,
	OPT_VIRTIO_BLK, OPT_VIRTIO_CONSOLE, OPT_VIRTIO_TRANSPORT,
	OPT_KERNEL, OPT_INITRD, OPT_APPEND, OPT_HANDOFF, OPT_HANDOFF_AT, OPT_HANDOFF_TO,
	OPT_MONITOR, OPT_START_PAUSED, OPT_SAVE_STATE, OPT_LOAD_STATE,
	OPT_FORCE_LOAD_STATE, OPT_SERIAL_MOUSE, OPT_FPU, OPT_JOYSTICK, OPT_CONF, OPT_PRINT_CONFIG,
	OPT_QUIET, OPT_VERBOSE, OPT_HELP, OPT_VERSION, OPT_HELP_MD,
};

struct opt_desc {
	enum opt_id id;
	const char *name;	/* long name without "--" */
	char short_name;	/* 0 for none */
	const char *arg;	/* NULL for flags */
	const char *help;
	/* INI section the option's key (its long name) lives in; NULL: command
	 * line only (actions such as --help). */
	const char *section;
	const char *def;	/* default value as text, applied first; NULL: none */
};

static const struct opt_desc opts[] = {
	{ OPT_MACHINE, "machine", 0, "xt|at", "board: xt (8088 PC/XT) or at (default)",
	  "machine", "at" },
	{ OPT_CPU, "cpu", 0, "MODEL", "8088, 8086, 80186, 80286, 80386, 80486, pentium, "
	  "pentium-mmx, pentium2, or host (KVM only); default 8088 on xt, 80286 on at",
	  "machine", NULL },
	{ OPT_FPU, "fpu", 0, "none|8087|287|387",
	  "x87 coprocessor; default none up to the 80386, built in from the 80486",
	  "machine", NULL },
	{ OPT_MEMORY, "memory", 'm', "SIZE", "RAM, e.g. 640K or 16M (default 640K xt, 16M at)",
	  "machine", NULL },
	{ OPT_BIOS, "bios", 0, "FILE", "BIOS image (64 KiB or 128 KiB; default: tandem's own)",
	  "machine", NULL },
	{ OPT_FDA, "fda", 0, "FILE", "floppy image for drive A:", "disks", NULL },
	{ OPT_FDB, "fdb", 0, "FILE", "floppy image for drive B:", "disks", NULL },
	{ OPT_HDA, "hda", 0, "FILE", "hard disk image (drive 80h)", "disks", NULL },
	{ OPT_HDB, "hdb", 0, "FILE", "second hard disk image (drive 81h)", "disks", NULL },
	{ OPT_CDROM, "cdrom", 0, "FILE.iso|FILE.cue",
	  "CD-ROM image on the secondary IDE master (at only): ISO 9660, or a CUE sheet with "
	  "BIN data and audio tracks (docs/storage.md)", "disks", NULL },
	{ OPT_FW_CFG, "fw-cfg", 0, "NAME=FILE",
	  "add FILE to fw_cfg as file NAME (repeatable; at only), e.g. "
	  "vgaroms/vgabios-stdvga.bin=/usr/share/seabios/vgabios-stdvga.bin for SeaBIOS",
	  "machine", NULL },
	{ OPT_BOOT, "boot", 0, "a|c|d",
	  "boot from floppy (a), hard disk (c) or CD-ROM (d); default a, then c",
	  "machine", NULL },
	{ OPT_ACCEL, "accel", 0, "auto|kvm|tcg-lite|interp",
	  "execution engine (default auto: kvm for --cpu host when usable, else tcg-lite, "
	  "the block engine with the interpreter's exact semantics; says why)",
	  "machine", "auto" },
	{ OPT_HEADLESS, "headless", 0, NULL, "no window: text screen to the terminal",
	  "display", NULL },
	{ OPT_SERIAL, "serial", 0, "stdio|file:PATH|none", "where COM1 goes (default none)",
	  "ports", "none" },
	{ OPT_DEBUGCON, "debugcon", 0, "stdio|file:PATH", "where port E9h output goes",
	  "ports", NULL },
	{ OPT_POST_LOG, "post-log", 0, "FILE", "log every POST code (port 80h) to FILE",
	  "ports", NULL },
	{ OPT_EXIT_PORT, "exit-port", 0, "PORT|none",
	  "exit device port (default 0xf4): a write of v exits with (v<<1)|1", "ports", "0xf4" },
	{ OPT_TIMEOUT, "timeout", 0, "SECONDS", "stop after this much wall time (exit 6)",
	  "run", NULL },
	{ OPT_MAX_INSNS, "max-insns", 0, "N", "stop after N guest instructions (exit 8)",
	  "run", NULL },
	{ OPT_SCREENSHOT, "screenshot", 0, "FILE.png", "write the screen to a PNG at exit",
	  "display", NULL },
	{ OPT_TRACE, "trace", 0, "FILE", "one line per instruction: CS:IP, bytes, registers",
	  "run", NULL },
	{ OPT_TRACE_FILTER, "trace-filter", 0, "cpl3|LO-HI",
	  "--trace only instructions run at CPL 3, or at linear addresses LO..HI (hex, "
	  "inclusive); both comma-separated (docs/tracediff.md)", "run", NULL },
	{ OPT_RTC, "rtc", 0, "now|SECONDS|YYYY-MM-DDTHH:MM:SS",
	  "RTC start time; a fixed one makes runs deterministic (default now)", "machine", "now" },
	{ OPT_SPEED, "speed", 0, "realtime|max",
	  "pace to wall time or run flat out (default: realtime in a window, max headless)",
	  "display", NULL },
	{ OPT_KEYS, "keys", 0, "TEXT",
	  "type TEXT into the keyboard in emulated time: characters, {enter} {f12} {up} "
	  "{ctrl+alt+del}..., {wait:MS} (see ui/keys.h)", "input", NULL },
	{ OPT_AUDIO_CAPTURE, "audio-capture", 0, "FILE.wav",
	  "write the mixed sound (speaker, Sound Blaster, FM, MIDI; 48 kHz stereo 16-bit) to a "
	  "WAV file, headless too; the same run gives the same bytes; after --load-state it "
	  "starts at the moment of the save", "sound", NULL },
	{ OPT_SOUND, "sound", 0, "sb1|sb2|sbpro|sbpro2|sb16|none",
	  "Sound Blaster model with its OPL at 388h and an MPU-401 at 330h "
	  "(default sb16 on at, none on xt)", "sound", NULL },
	{ OPT_SB_BASE, "sb-base", 0, "PORT", "Sound Blaster base port (default 220, hex)",
	  "sound", "220" },
	{ OPT_SB_IRQ, "sb-irq", 0, "N", "Sound Blaster IRQ (default 5)", "sound", "5" },
	{ OPT_SB_DMA, "sb-dma", 0, "N", "Sound Blaster 8-bit DMA channel (default 1)",
	  "sound", "1" },
	{ OPT_SB_HDMA, "sb-hdma", 0, "N", "SB16 16-bit DMA channel (default 5)", "sound", "5" },
	{ OPT_MIDI_CAPTURE, "midi-capture", 0, "FILE.mid",
	  "write the MIDI the guest sends to the MPU-401 as a standard MIDI file", "sound", NULL },
	{ OPT_MHZ, "mhz", 0, "N",
	  "CPU clock in MHz (e.g. 4.77): the model's cycle counts at that speed",
	  "machine", NULL },
	{ OPT_CYCLES, "cycles", 0, "N|max|auto",
	  "N instructions per emulated millisecond; max; auto (N=3000 in real mode)",
	  "machine", NULL },
	{ OPT_SMP, "smp", 0, "N",
	  "N CPUs (1-8; at with --cpu pentium or later: local APICs, MP table, MADT; "
	  "every engine; docs/apic.md)", "machine", "1" },
	{ OPT_NIC, "nic", 0, "SPEC",
	  "network card (repeatable): [model=ne2k|ne2k-pci|rtl8139|virtio,]nat|internal,name=N|"
	  "host-only[,name=N]|bridged,tap=IF|none[,mac=M][,io=P,irq=N][,hostfwd=tcp::8080-:80]"
	  " (docs/networking.md)", "network", NULL },
	{ OPT_NET_DUMP, "net-dump", 0, "FILE.pcap",
	  "write every frame the cards send or receive to a pcap file", "network", NULL },
	{ OPT_VIRTIO_BLK, "virtio-blk", 0, "FILE",
	  "virtio block device on a raw disk image (repeatable, up to 4; at only; "
	  "docs/storage.md)", "disks", NULL },
	{ OPT_VIRTIO_CONSOLE, "virtio-console", 0, "file:PATH|stdio",
	  "virtio console whose output goes there (at only)", "ports", NULL },
	{ OPT_VIRTIO_TRANSPORT, "virtio-transport", 0, "pci|mmio",
	  "how the virtio devices attach: pci (default) or mmio (default with --kernel: "
	  "pages at 0xfeb00000, virtio_mmio.device= added to the kernel command line)",
	  "machine", NULL },
	{ OPT_HANDOFF, "handoff-after-insns", 0, "N",
	  "move the running guest between KVM and the interpreter (or --handoff-to) every ~N "
	  "instructions (under KVM: N ns of run time)", "machine", NULL },
	{ OPT_HANDOFF_AT, "handoff-at", 0, "ADDR|SEG:OFF",
	  "move the guest to the other engine each time it is about to execute the "
	  "instruction at linear address ADDR (hex; SEG:OFF in real mode); free until hit "
	  "(a hardware breakpoint under KVM)", "machine", NULL },
	{ OPT_HANDOFF_TO, "handoff-to", 0, "interp|tcg-lite|kvm",
	  "the engine --handoff-after-insns and --handoff-at move the guest to and back "
	  "from (default kvm; interp when running on kvm)", "machine", NULL },
	{ OPT_MONITOR, "monitor", 0, "stdio|unix:PATH|tcp:127.0.0.1:PORT",
	  "line-command monitor: registers, stop/cont/step, hand-off, save/load state, "
	  "memory dump, keys (docs/monitor.md)", "run", NULL },
	{ OPT_START_PAUSED, "start-paused", 0, NULL,
	  "start with the guest stopped until the monitor's cont or step", "run", NULL },
	{ OPT_KERNEL, "kernel", 0, "bzImage",
	  "boot this Linux kernel directly, without the BIOS (needs a 386+ CPU: --cpu host)",
	  "machine", NULL },
	{ OPT_INITRD, "initrd", 0, "FILE", "initial ramdisk for --kernel", "machine", NULL },
	{ OPT_APPEND, "append", 0, "CMDLINE", "kernel command line for --kernel",
	  "machine", NULL },
	{ OPT_SAVE_STATE, "save-state", 0, "FILE",
	  "save the machine to FILE when it stops (exit, --max-insns, --timeout) and on "
	  "Ctrl+Alt+F5", "state", NULL },
	{ OPT_LOAD_STATE, "load-state", 0, "FILE",
	  "resume a saved machine (same machine options and disk images); Ctrl+Alt+F9 "
	  "reloads it", "state", NULL },
	{ OPT_FORCE_LOAD_STATE, "force-load-state", 0, NULL,
	  "load the state even if a disk image changed since it was saved", "state", NULL },
	{ OPT_SERIAL_MOUSE, "serial-mouse", 0, "com1|com2",
	  "Microsoft serial mouse on that COM port (the host mouse drives it)", "input", NULL },
	{ OPT_JOYSTICK, "joystick", 0, "X,Y[,X2,Y2][,bMASK]",
	  "hold the game port's sticks at these positions (-100..100) and buttons (hex "
	  "mask); otherwise SDL game controllers drive them", "input", NULL },
	{ OPT_CONF, "conf", 0, "FILE",
	  "read options from an INI file (repeatable: later files win, the command line "
	  "wins over all; ~/.config/tandem/tandem.conf is read first)", NULL, NULL },
	{ OPT_PRINT_CONFIG, "print-config", 0, NULL,
	  "print the effective configuration and where each value came from, then exit",
	  NULL, NULL },
	{ OPT_QUIET, "quiet", 'q', NULL, "no informational messages", "run", NULL },
	{ OPT_VERBOSE, "verbose", 'v', NULL, "debug messages", "run", NULL },
	{ OPT_HELP, "help", 'h', NULL, "this help", NULL, NULL },
	{ OPT_VERSION, "version", 'V', NULL, "print the version", NULL, NULL },
	{ OPT_HELP_MD, "help-markdown", 0, NULL, "this help as the README's Markdown table",
	  NULL, NULL },
};

#define NOPTS (sizeof(opts) / sizeof(opts[0]))

static bool print_config;

void options_print_help(void)
{
	printf("Usage: tandem [options]\n"
	       "A PC emulator: boots tandem's BIOS (or --bios) from --fda/--hda images.\n\n");
	for (size_t i = 0; i < NOPTS; i++) {
		char left[64];
		const struct opt_desc *d = &opts[i];
		if (d->short_name)
			snprintf(left, sizeof(left), "-%c, --%s%s%s", d->short_name, d->name,
				 d->arg ? " " : "", d->arg ? d->arg : "");
		else
			snprintf(left, sizeof(left), "    --%s%s%s", d->name, d->arg ? " " : "",
				 d->arg ? d->arg : "");
		printf("  %-36s %s\n", left, d->help);
	}
	printf("\nExit status: 0 powered off or quit; (v<<1)|1 exit device; 2 bad input;\n"
	       "4 shutdown/triple fault; 6 timeout; 8 instruction limit; 10 halted with\n"
	       "interrupts off; 12 internal error.\n");
}

static void print_markdown(void)
{
	printf("| option | config file key | argument | meaning |\n|---|---|---|---|\n");
	for (size_t i = 0; i < NOPTS; i++) {
		const struct opt_desc *d = &opts[i];
		printf("| ");
		if (d->short_name)
			printf("`-%c`, ", d->short_name);
		printf("`--%s` | ", d->name);
		if (d->section)
			printf("`[%s]` `%s%s%s`", d->section, d->name, d->def ? " = " : "",
			       d->def ? d->def : "");
		printf(" | ");
		if (d->arg) {
			/* Pipes would split the Markdown cell. */
			for (const char *p = d->arg; *p; p++)
				printf(*p == '|' ? "\\|" : "%c", *p);
		}
		printf(" | ");
		for (const char *p = d->help; *p; p++)
			printf(*p == '|' ? "\\|" : "%c", *p);
		printf(" |\n");
	}
}

int64_t options_parse_size(const char *s)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (end == s || errno || s[0] == '-')
		return -1;
	uint64_t mul = 1;
	switch (*end) {
	case 0: break;
	case 'k': case 'K': mul = 1ull << 10; end++; break;
	case 'm': case 'M': mul = 1ull << 20; end++; break;
	case 'g': case 'G': mul = 1ull << 30; end++; break;
	default: return -1;
	}
	if ((*end == 'i' || *end == 'B') && mul > 1)
		end += (*end == 'i' && end[1] == 'B') ? 2 : 1;
	if (*end || v > (1ull << 40) / mul)
		return -1;
	return (int64_t)(v * mul);
}

int options_parse_port(const char *s)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 0);
	if (end == s || *end || errno || v < 0 || v > 0xffff)
		return -1;
	return (int)v;
}

static int64_t parse_rtc(const char *s)
{
	if (strcmp(s, "now") == 0)
		return -1;
	struct tm tm = { 0 };
	const char *end = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
	if (end && *end == 0)
		return (int64_t)timegm(&tm);
	char *e;
	errno = 0;
	long long v = strtoll(s, &e, 10);
	if (e == s || *e || errno || v < 0)
		return -2;
	return v;
}

static bool valid_chardev(const char *s, bool allow_none)
{
	if (strcmp(s, "stdio") == 0)
		return true;
	if (allow_none && strcmp(s, "none") == 0)
		return true;
	return strncmp(s, "file:", 5) == 0 && s[5];
}

int options_parse_addr(const char *s, uint32_t *out)
{
	const char *colon = strchr(s, ':');
	char *end;
	unsigned long long a, b = 0;

	if (!*s || *s == '-' || *s == '+' || *s == ' ')
		return -1;
	errno = 0;
	a = strtoull(s, &end, 16);
	if (end == s || errno || (colon ? end != colon : *end != 0))
		return -1;
	if (colon) {
		const char *o = colon + 1;
		if (!*o || *o == '-' || *o == '+' || *o == ' ' || a > 0xffff)
			return -1;
		b = strtoull(o, &end, 16);
		if (end == o || *end || errno || b > 0xffff)
			return -1;
		a = (a << 4) + b;
	}
	if (a > 0xffffffffull)
		return -1;
	*out = (uint32_t)a;
	return 0;
}

/* unix:PATH, or tcp:HOST:PORT with HOST a loopback address: the monitor
 * reads guest memory and writes files, so it is not offered to a network. */
static bool valid_monitor(const char *s)
{
	if (strcmp(s, "stdio") == 0)
		return true;
	if (strncmp(s, "unix:", 5) == 0)
		return s[5] != 0 && strlen(s + 5) < 100;
	if (strncmp(s, "tcp:", 4) != 0)
		return false;
	const char *host = s + 4, *colon = strrchr(host, ':');
	if (!colon || colon == host || strncmp(host, "127.", 4) != 0)
		return false;
	for (const char *p = host; p < colon; p++)
		if (!((*p >= '0' && *p <= '9') || *p == '.'))
			return false;
	int port = options_parse_port(colon + 1);
	return port > 0;
}

static const struct opt_desc *find_long(const char *name, size_t len)
{
	for (size_t i = 0; i < NOPTS; i++)
		if (strlen(opts[i].name) == len && strncmp(opts[i].name, name, len) == 0)
			return &opts[i];
	return NULL;
}

static const struct opt_desc *find_short(char c)
{
	for (size_t i = 0; i < NOPTS; i++)
		if (opts[i].short_name == c)
			return &opts[i];
	return NULL;
}

static int apply(struct tandem_options *o, const struct opt_desc *d, const char *v,
		 char *err, size_t errlen)
{
	int64_t n;
	char *end;

	switch (d->id) {
	case OPT_MEMORY:
		n = options_parse_size(v);
		if (n <= 0) {
			snprintf(err, errlen, "--memory: '%s' is not a size like 640K or 16M", v);
			return -1;
		}
		o->ram_bytes = (uint64_t)n;
		break;
	case OPT_MACHINE:
		if (strcmp(v, "xt") && strcmp(v, "at")) {
			snprintf(err, errlen, "--machine: unknown machine '%s' (xt, at)", v);
			return -1;
		}
		o->machine = v;
		break;
	case OPT_CPU: o->cpu = v; break;
	case OPT_BIOS: o->bios = v; break;
	case OPT_FDA: o->fda = v; break;
	case OPT_FDB: o->fdb = v; break;
	case OPT_HDA: o->hda = v; break;
	case OPT_HDB: o->hdb = v; break;
	case OPT_CDROM: o->cdrom = v; break;
	case OPT_FW_CFG: {
		const char *eq = strchr(v, '=');
		if (!eq || eq == v || eq - v >= 56 || !eq[1]) {
			snprintf(err, errlen, "--fw-cfg: '%s' is not NAME=FILE (NAME < 56 chars)",
				 v);
			return -1;
		}
		if (o->nfw_cfg >= (int)(sizeof(o->fw_cfg) / sizeof(o->fw_cfg[0]))) {
			snprintf(err, errlen, "--fw-cfg: at most %zu files",
				 sizeof(o->fw_cfg) / sizeof(o->fw_cfg[0]));
			return -1;
		}
		o->fw_cfg[o->nfw_cfg++] = v;
		break;
	}
	case OPT_BOOT:
		if (strcmp(v, "a") && strcmp(v, "c") && strcmp(v, "d")) {
			snprintf(err, errlen, "--boot: '%s' is not a boot device (a, c, d)", v);
			return -1;
		}
		o->boot = v[0];
		break;
	case OPT_ACCEL: o->accel = v; break;
	case OPT_HEADLESS: o->headless = true; break;
	case OPT_SERIAL:
		if (!valid_chardev(v, true)) {
			snprintf(err, errlen, "--serial: '%s' is not stdio, file:PATH or none", v);
			return -1;
		}
		o->serial = v;
		break;
	case OPT_DEBUGCON:
		if (!valid_chardev(v, true)) {
			snprintf(err, errlen, "--debugcon: '%s' is not stdio, file:PATH or none", v);
			return -1;
		}
		o->debugcon = v;
		break;
	case OPT_POST_LOG: o->post_log = v; break;
	case OPT_EXIT_PORT:
		if (strcmp(v, "none") == 0) {
			o->exit_port = -1;
			break;
		}
		o->exit_port = options_parse_port(v);
		if (o->exit_port < 0) {
			snprintf(err, errlen, "--exit-port: '%s' is not a port number", v);
			return -1;
		}
		break;
	case OPT_TIMEOUT:
		errno = 0;
		o->timeout = strtod(v, &end);
		if (end == v || *end || errno || !(o->timeout > 0) || o->timeout > 1e9) {
			snprintf(err, errlen, "--timeout: '%s' is not a positive number of seconds", v);
			return -1;
		}
		break;
	case OPT_MAX_INSNS:
		errno = 0;
		o->max_insns = strtoull(v, &end, 10);
		if (end == v || *end || errno || v[0] == '-' || o->max_insns == 0) {
			snprintf(err, errlen, "--max-insns: '%s' is not a positive count", v);
			return -1;
		}
		break;
	case OPT_SCREENSHOT: o->screenshot = v; break;
	case OPT_TRACE: o->trace = v; break;
	case OPT_TRACE_FILTER:
		if (trace_filter_parse(v, &o->trace_filter) < 0) {
			snprintf(err, errlen, "--trace-filter: '%s' is not cpl3, LO-HI (hex linear "
				 "addresses, LO <= HI) or both separated by a comma", v);
			return -1;
		}
		break;
	case OPT_HANDOFF:
		errno = 0;
		o->handoff_insns = strtoull(v, &end, 10);
		if (end == v || *end || errno || v[0] == '-' || o->handoff_insns == 0) {
			snprintf(err, errlen, "--handoff-after-insns: '%s' is not a positive count",
				 v);
			return -1;
		}
		break;
	case OPT_HANDOFF_AT:
		if (options_parse_addr(v, &o->handoff_at) < 0) {
			snprintf(err, errlen, "--handoff-at: '%s' is not a hex linear address or "
				 "SEG:OFF", v);
			return -1;
		}
		o->handoff_at_set = true;
		break;
	case OPT_HANDOFF_TO:
		if (strcmp(v, "interp") && strcmp(v, "tcg-lite") && strcmp(v, "kvm")) {
			snprintf(err, errlen, "--handoff-to: '%s' is not interp, tcg-lite or kvm",
				 v);
			return -1;
		}
		o->handoff_to = v;
		break;
	case OPT_MONITOR:
		if (!valid_monitor(v)) {
			snprintf(err, errlen, "--monitor: '%s' is not stdio, unix:PATH or "
				 "tcp:127.0.0.1:PORT (loopback only)", v);
			return -1;
		}
		o->monitor = v;
		break;
	case OPT_START_PAUSED: o->start_paused = true; break;
	case OPT_KERNEL: o->kernel = v; break;
	case OPT_INITRD: o->initrd = v; break;
	case OPT_APPEND: o->append = v; break;
	case OPT_RTC:
		o->rtc_base = parse_rtc(v);
		if (o->rtc_base == -2) {
			snprintf(err, errlen, "--rtc: '%s' is not now, seconds since 1970 or "
				 "YYYY-MM-DDTHH:MM:SS", v);
			return -1;
		}
		break;
	case OPT_KEYS: o->keys = v; break;
	case OPT_AUDIO_CAPTURE: o->audio_capture = v; break;
	case OPT_SOUND:
		if (!(strcmp(v, "sb1") == 0 || strcmp(v, "sb2") == 0 || strcmp(v, "sbpro") == 0 ||
		      strcmp(v, "sbpro2") == 0 || strcmp(v, "sb16") == 0 ||
		      strcmp(v, "none") == 0)) {
			snprintf(err, errlen, "--sound: '%s' is not sb1, sb2, sbpro, sbpro2, sb16 "
				 "or none", v);
			return -1;
		}
		o->sound = v;
		break;
	case OPT_SB_BASE: {
		errno = 0;
		long b = strtol(v, &end, 16);
		if (end == v || *end || errno || b < 0x200 || b > 0x3f0 || (b & 0xf)) {
			snprintf(err, errlen, "--sb-base: '%s' is not a hex port 200-3F0 "
				 "(16-aligned)", v);
			return -1;
		}
		o->sb_base = (int)b;
		break;
	}
	case OPT_SB_IRQ: case OPT_SB_DMA: case OPT_SB_HDMA: {
		errno = 0;
		long k = strtol(v, &end, 10);
		bool ok = end != v && !*end && !errno;
		if (d->id == OPT_SB_IRQ)
			ok = ok && (k == 2 || k == 3 || k == 5 || k == 7 || k == 9 || k == 10);
		else if (d->id == OPT_SB_DMA)
			ok = ok && (k == 0 || k == 1 || k == 3);
		else
			ok = ok && k >= 5 && k <= 7;
		if (!ok) {
			bool irq = d->id == OPT_SB_IRQ, dma = d->id == OPT_SB_DMA;
			snprintf(err, errlen, "--%s: '%s' is not one of %s",
				 irq ? "sb-irq" : dma ? "sb-dma" : "sb-hdma", v,
				 irq ? "2 3 5 7 9 10" : dma ? "0 1 3" : "5 6 7");
			return -1;
		}
		if (d->id == OPT_SB_IRQ)
			o->sb_irq = k == 2 ? 9 : (int)k;
		else if (d->id == OPT_SB_DMA)
			o->sb_dma = (int)k;
		else
			o->sb_hdma = (int)k;
		break;
	}
	case OPT_MIDI_CAPTURE: o->midi_capture = v; break;
	case OPT_MHZ:
		errno = 0;
		o->mhz = strtod(v, &end);
		if (end == v || *end || errno || !(o->mhz >= 0.1) || o->mhz > 100000) {
			snprintf(err, errlen, "--mhz: '%s' is not a clock from 0.1 to 100000", v);
			return -1;
		}
		break;
	case OPT_SMP:
		errno = 0;
		o->smp = strtol(v, &end, 10);
		if (end == v || *end || errno || o->smp < 1 || o->smp > 8) {
			snprintf(err, errlen, "--smp: '%s' is not a CPU count from 1 to 8", v);
			return -1;
		}
		break;
	case OPT_CYCLES:
		if (strcmp(v, "max") == 0) {
			o->cycles = -1;
		} else if (strcmp(v, "auto") == 0) {
			o->cycles = -2;
		} else {
			errno = 0;
			long long n = strtoll(v, &end, 10);
			if (end == v || *end || errno || n < 1 || n > 10000000) {
				snprintf(err, errlen, "--cycles: '%s' is not max, auto or a count "
					 "from 1 to 10000000", v);
				return -1;
			}
			o->cycles = n;
		}
		break;
	case OPT_SPEED:
		if (strcmp(v, "realtime") && strcmp(v, "max")) {
			snprintf(err, errlen, "--speed: '%s' is not realtime or max", v);
			return -1;
		}
		o->speed = v;
		break;
	case OPT_NIC: {
		struct net_nic_config nc;
		if (o->nnics >= (int)(sizeof(o->nic) / sizeof(o->nic[0]))) {
			snprintf(err, errlen, "--nic: at most %zu cards",
				 sizeof(o->nic) / sizeof(o->nic[0]));
			return -1;
		}
		if (net_nic_parse(v, &nc, err, errlen) < 0)
			return -1;
		o->nic[o->nnics++] = v;
		break;
	}
	case OPT_NET_DUMP: o->net_dump = v; break;
	case OPT_VIRTIO_BLK:
		if (!v[0]) {
			snprintf(err, errlen, "--virtio-blk: needs an image file");
			return -1;
		}
		if (o->nvirtio_blk >= (int)(sizeof(o->virtio_blk) / sizeof(o->virtio_blk[0]))) {
			snprintf(err, errlen, "--virtio-blk: at most %zu devices",
				 sizeof(o->virtio_blk) / sizeof(o->virtio_blk[0]));
			return -1;
		}
		o->virtio_blk[o->nvirtio_blk++] = v;
		break;
	case OPT_VIRTIO_CONSOLE:
		if (!valid_chardev(v, false)) {
			snprintf(err, errlen, "--virtio-console: '%s' is not stdio or file:PATH", v);
			return -1;
		}
		o->virtio_console = v;
		break;
	case OPT_VIRTIO_TRANSPORT:
		if (strcmp(v, "pci") && strcmp(v, "mmio")) {
			snprintf(err, errlen, "--virtio-transport: '%s' is not pci or mmio", v);
			return -1;
		}
		o->virtio_transport = v;
		break;
	case OPT_SAVE_STATE: o->save_state = v; break;
	case OPT_LOAD_STATE: o->load_state = v; break;
	case OPT_FORCE_LOAD_STATE: o->force_load_state = true; break;
	case OPT_SERIAL_MOUSE:
		if (strcmp(v, "com1") && strcmp(v, "com2")) {
			snprintf(err, errlen, "--serial-mouse: '%s' is not com1 or com2", v);
			return -1;
		}
		o->serial_mouse = v;
		break;
	case OPT_FPU:
		if (strcmp(v, "none") && strcmp(v, "8087") && strcmp(v, "287") &&
		    strcmp(v, "387")) {
			snprintf(err, errlen, "--fpu: '%s' is not none, 8087, 287 or 387", v);
			return -1;
		}
		o->fpu = v;
		break;
	case OPT_JOYSTICK: o->joystick = v; break;
	case OPT_CONF: break;		/* read before the command line */
	case OPT_PRINT_CONFIG: print_config = true; break;
	case OPT_QUIET: o->quiet = true; break;
	case OPT_VERBOSE: o->verbose++; break;
	case OPT_HELP:
		options_print_help();
		return 1;
	case OPT_VERSION:
		printf("tandem %s\n", TANDEM_VERSION);
		return 1;
	case OPT_HELP_MD:
		print_markdown();
		return 1;
	}
	return 0;
}

/* ---- layers: defaults < user file < --conf files < command line ---------- */

#define MAX_VALS 8
/* What each option was last set to, by which layer, from where. */
static struct setting {
	const char *vals[MAX_VALS];	/* repeatable options keep each value */
	int nvals;
	const char *origins[MAX_VALS];	/* "default", "FILE:LINE", "command line" */
	int layer;
} settings[NOPTS];

static bool repeatable(const struct opt_desc *d)
{
	return d->id == OPT_NIC || d->id == OPT_FW_CFG || d->id == OPT_VIRTIO_BLK;
}

/* Flags in a file: yes/no and their usual spellings.  -1 when neither. */
static int parse_bool(const char *v)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };
	for (int i = 0; i < 4; i++) {
		if (strcasecmp(v, yes[i]) == 0)
			return 1;
		if (strcasecmp(v, no[i]) == 0)
			return 0;
	}
	return -1;
}

static void clear_flag(struct tandem_options *o, const struct opt_desc *d)
{
	switch (d->id) {
	case OPT_HEADLESS: o->headless = false; break;
	case OPT_QUIET: o->quiet = false; break;
	case OPT_VERBOSE: o->verbose = 0; break;
	case OPT_FORCE_LOAD_STATE: o->force_load_state = false; break;
	case OPT_START_PAUSED: o->start_paused = false; break;
	case OPT_PRINT_CONFIG: print_config = false; break;
	default: break;
	}
}

/* Sets one option from a layer.  v is NULL for a flag on the command line;
 * a file gives flags a yes/no value.  A repeatable option set by a new
 * layer starts its list again: the later layer replaces, as for others. */
static int set_option(struct tandem_options *o, const struct opt_desc *d, const char *v,
		      int layer, const char *origin, char *err, size_t errlen)
{
	struct setting *st = &settings[d - opts];
	if (repeatable(d) && st->layer != layer) {
		st->nvals = 0;
		if (d->id == OPT_NIC)
			o->nnics = 0;
		else if (d->id == OPT_VIRTIO_BLK)
			o->nvirtio_blk = 0;
		else
			o->nfw_cfg = 0;
	}
	int r;
	if (!d->arg && v) {
		int b = parse_bool(v);
		if (d->id == OPT_VERBOSE && b < 0 && v[0] >= '0' && v[0] <= '3' && !v[1]) {
			o->verbose = v[0] - '0';
			b = 1;
		} else if (b == 1) {
			clear_flag(o, d);
			r = apply(o, d, NULL, err, errlen);
			if (r != 0)
				return r;
		} else if (b == 0) {
			clear_flag(o, d);
		}
		if (b < 0) {
			snprintf(err, errlen, "%s: '%s' is not yes or no", d->name, v);
			return -1;
		}
	} else {
		r = apply(o, d, v, err, errlen);
		if (r != 0)
			return r;
	}
	if (!repeatable(d))
		st->nvals = 0;
	if (st->nvals < MAX_VALS) {
		st->origins[st->nvals] = origin;
		st->vals[st->nvals++] = v ? v : "yes";
	}
	st->layer = layer;
	return 0;
}

int options_set_ini(struct tandem_options *o, const char *section, const char *key,
		    const char *value, int layer, const char *origin, char *err, size_t errlen)
{
	const struct opt_desc *d = find_long(key, strlen(key));
	if (!d || !d->section) {
		snprintf(err, errlen, "unknown key '%s'", key);
		return -1;
	}
	if (strcmp(section, d->section)) {
		snprintf(err, errlen, "key '%s' belongs in section [%s], not [%s]", key,
			 d->section, section);
		return -1;
	}
	return set_option(o, d, value, layer, origin, err, errlen) < 0 ? -1 : 0;
}

const char *options_key_missing(void)
{
	for (size_t i = 0; i < NOPTS; i++) {
		enum opt_id id = opts[i].id;
		bool action = id == OPT_HELP || id == OPT_VERSION || id == OPT_HELP_MD ||
			      id == OPT_CONF || id == OPT_PRINT_CONFIG;
		if (!action && !opts[i].section)
			return opts[i].name;
	}
	return NULL;
}

/* Sections in the order the table first names them. */
void options_print_config(FILE *f)
{
	fprintf(f, "# tandem %s: the effective configuration (--print-config).\n"
		"# Layers: defaults < ~/.config/tandem/tandem.conf < --conf FILE... < command "
		"line.\n", TANDEM_VERSION);
	for (size_t i = 0; i < NOPTS; i++) {
		const char *sec = opts[i].section;
		bool first = sec != NULL;
		for (size_t j = 0; j < i && first; j++)
			if (opts[j].section && strcmp(opts[j].section, sec) == 0)
				first = false;
		if (!first)
			continue;
		fprintf(f, "\n[%s]\n", sec);
		for (size_t j = i; j < NOPTS; j++) {
			const struct opt_desc *d = &opts[j];
			const struct setting *st = &settings[j];
			if (!d->section || strcmp(d->section, sec))
				continue;
			if (st->nvals == 0 && !d->arg) {
				char line[128];
				snprintf(line, sizeof(line), "%s = no", d->name);
				fprintf(f, "%-40s ; default\n", line);
			} else if (st->nvals == 0) {
				char line[128];
				snprintf(line, sizeof(line), ";%s =", d->name);
				fprintf(f, "%-40s ; not set\n", line);
			}
			for (int k = 0; k < st->nvals; k++) {
				char line[4200];
				snprintf(line, sizeof(line), "%s = %s", d->name, st->vals[k]);
				fprintf(f, "%-40s ; %s\n", line, st->origins[k]);
			}
		}
	}
}

/* Walks argv; pass 0 reads the --conf files only, pass 1 applies the rest. */
static enum options_result parse_argv(int argc, char **argv, struct tandem_options *o,
				      int pass, int *layer, char *err, size_t errlen)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const struct opt_desc *d = NULL;
		const char *val = NULL;

		if (a[0] == '-' && a[1] == '-' && a[2]) {
			const char *eq = strchr(a + 2, '=');
			size_t len = eq ? (size_t)(eq - (a + 2)) : strlen(a + 2);
			d = find_long(a + 2, len);
			if (eq)
				val = eq + 1;
		} else if (a[0] == '-' && a[1] && !a[2]) {
			d = find_short(a[1]);
		} else {
			snprintf(err, errlen, "unexpected argument '%s' (see --help)", a);
			return OPTIONS_ERROR;
		}
		if (!d) {
			snprintf(err, errlen, "unknown option '%s' (see --help)", a);
			return OPTIONS_ERROR;
		}
		if (d->arg && !val) {
			if (i + 1 >= argc) {
				snprintf(err, errlen, "option '%s' needs an argument %s", a, d->arg);
				return OPTIONS_ERROR;
			}
			val = argv[++i];
		} else if (!d->arg && val) {
			snprintf(err, errlen, "option '--%s' takes no argument", d->name);
			return OPTIONS_ERROR;
		}
		if (pass == 0) {
			if (d->id == OPT_CONF &&
			    options_read_conf(val, o, ++*layer, true, err, errlen) < 0)
				return OPTIONS_ERROR;
			continue;
		}
		if (d->id == OPT_CONF)
			continue;
		int r = set_option(o, d, val, *layer, "command line", err, errlen);
		if (r < 0)
			return OPTIONS_ERROR;
		if (r > 0)
			return OPTIONS_EXIT;
	}
	return OPTIONS_OK;
}

enum options_result options_parse(int argc, char **argv, struct tandem_options *o,
				  char *err, size_t errlen)
{
	memset(o, 0, sizeof(*o));
	memset(settings, 0, sizeof(settings));
	print_config = false;
	int layer = 0;
	for (size_t i = 0; i < NOPTS; i++) {
		if (opts[i].def && set_option(o, &opts[i], opts[i].def, layer, "default", err,
					     errlen) != 0)
			return OPTIONS_ERROR;	/* a bad default in the table */
	}
	char user[4096];
	if (options_user_conf(user, sizeof(user)) &&
	    options_read_conf(user, o, ++layer, false, err, errlen) < 0)
		return OPTIONS_ERROR;
	enum options_result r = parse_argv(argc, argv, o, 0, &layer, err, errlen);
	if (r == OPTIONS_OK) {
		layer++;
		r = parse_argv(argc, argv, o, 1, &layer, err, errlen);
	}
	if (r == OPTIONS_OK && print_config) {
		options_print_config(stdout);
		return OPTIONS_EXIT;
	}
	return r;
}
