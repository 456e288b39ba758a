#!/usr/bin/env python3
"""tracediff.py: the first place two instruction traces disagree.

Reads two traces, each either a tandem --trace file (interpreter/tcg-lite lines
"CCCC:EEEEEEEE  BYTES EAX=... EFL=..." or their 16-bit form, or the KVM engine's
"CCCC:RRRRRRRRRRRRRRRR EAX=... FL=...") or a QEMU "-d cpu" log (one register block per
translation block; with -singlestep, one per instruction).  Each becomes a list of records
(CS, EIP, the eight general registers, EFLAGS) with the state *before* the instruction,
as both tools log it.  Then:

  - records outside --cpl3 / --range LO-HI are dropped (QEMU's -dfilter works on
    translation blocks and knows no CPL, so the filter is applied here to both);
  - consecutive records at the same CS:EIP collapse into the first: QEMU logs each
    iteration of a REP string instruction and tandem the whole instruction once, and a
    faulting instruction is logged again when it restarts;
  - the lists are compared record by record: CS:EIP, the registers (16-bit traces: the
    low halves) and EFLAGS under --flags-mask.

Prints the first divergence with the records before it from both traces (file line
numbers, the instruction bytes where the trace has them) and exits 1; exits 0 when they
agree over the common length (a note says when one trace runs longer; --strict-length
makes that a divergence too); 2 on bad input.
"""
import argparse
import collections
import re
import sys

REGS = ("EAX", "EBX", "ECX", "EDX", "ESI", "EDI", "EBP", "ESP")
# CF PF AF ZF SF IF DF OF: what the guest can see and a bug would change.
DEFAULT_FLAGS_MASK = 0x0ED5

TANDEM_HEAD = re.compile(r"^([0-9A-Fa-f]{4}):([0-9A-Fa-f]{4,16})\s+(\S*)")
KV = re.compile(r"\b([A-Z]{2,3})\s?=\s?([0-9A-Fa-f]+)\b")


class Record:
    __slots__ = ("cs", "eip", "regs", "efl", "wide", "cpl", "lin", "line", "text", "bytes")

    def __init__(self):
        self.cs = 0
        self.eip = 0
        self.regs = {}
        self.efl = 0
        self.wide = True
        self.cpl = None
        self.lin = None
        self.line = 0
        self.text = ""
        self.bytes = ""


def parse_tandem_line(line, lineno):
    m = TANDEM_HEAD.match(line)
    if not m:
        return None
    r = Record()
    r.cs = int(m.group(1), 16)
    r.eip = int(m.group(2), 16) & 0xFFFFFFFF
    if "=" not in m.group(3):
        r.bytes = m.group(3)
    fields = dict(KV.findall(line))
    if "EAX" in fields:
        r.regs = {k: int(fields[k], 16) & 0xFFFFFFFF for k in REGS if k in fields}
        r.efl = int(fields.get("EFL", fields.get("FL", "0")), 16)
    elif "AX" in fields:
        r.wide = False
        r.regs = {"E" + k: int(fields[k], 16) for k in
                  ("AX", "BX", "CX", "DX", "SI", "DI", "BP", "SP") if k in fields}
        r.efl = int(fields.get("FL", "0"), 16)
    else:
        return None
    if len(r.regs) != 8:
        return None
    r.line = lineno
    r.text = line.rstrip("\n")
    return r


def read_tandem(f, name):
    for n, line in enumerate(f, 1):
        r = parse_tandem_line(line, n)
        if r is not None:
            yield r
        elif line.strip():
            raise ValueError("%s:%d: not a tandem trace line: %s" % (name, n, line.strip()[:80]))


def read_qemu(f, name):
    """QEMU's x86_cpu_dump_state blocks: EAX.. / ESI.. / EIP= EFL= CPL= / ES = / CS = ..."""
    cur = None
    for n, line in enumerate(f, 1):
        if line.startswith("EAX="):
            cur = Record()
            cur.line = n
            cur.regs = {}
        if cur is None:
            continue
        if line.startswith(("EAX=", "ESI=")):
            for k, v in KV.findall(line):
                if k in REGS:
                    cur.regs[k] = int(v, 16)
        elif line.startswith("EIP="):
            m = re.search(r"EIP=([0-9a-fA-F]+)\s+EFL=([0-9a-fA-F]+).*CPL=(\d)", line)
            if not m:
                raise ValueError("%s:%d: unreadable EIP line" % (name, n))
            cur.eip = int(m.group(1), 16)
            cur.efl = int(m.group(2), 16)
            cur.cpl = int(m.group(3))
        elif line.startswith("CS ="):
            parts = line[4:].split()
            cur.cs = int(parts[0], 16)
            cur.lin = (int(parts[1], 16) + cur.eip) & 0xFFFFFFFF
            if len(cur.regs) != 8:
                raise ValueError("%s:%d: register block without the 8 registers" % (name, n))
            cur.text = "%04X:%08X  %s EFL=%08X CPL=%d" % (
                cur.cs, cur.eip, " ".join("%s=%08X" % (k, cur.regs[k]) for k in REGS),
                cur.efl, cur.cpl if cur.cpl is not None else -1)
            yield cur
            cur = None


def open_trace(path):
    """(kind, record iterator, file).  A tandem trace starts with a CS:IP line; anything
    else is read as a QEMU log (which may hold other -d output around its blocks).
    Records are read as they are compared: a Linux trace is gigabytes."""
    try:
        f = open(path, "r", errors="replace")
    except OSError as e:
        raise ValueError("cannot read %s: %s" % (path, e.strerror))
    first = ""
    for line in f:
        if line.strip():
            first = line
            break
    f.seek(0)
    if TANDEM_HEAD.match(first):
        return "tandem", read_tandem(f, path), f
    return "qemu", read_qemu(f, path), f


def keep(records, cpl3, rng):
    """The filter (QEMU records only know CPL and their linear address) and the collapse."""
    last = None
    for r in records:
        if cpl3 and r.cpl is not None and r.cpl != 3:
            continue
        if rng and r.lin is not None and not (rng[0] <= r.lin <= rng[1]):
            continue
        if last is not None and last.cs == r.cs and last.eip == r.eip:
            continue
        last = r
        yield r


def differences(a, b, mask):
    diffs = []
    if a.cs != b.cs or a.eip != b.eip:
        diffs.append(("CS:EIP", "%04X:%08X" % (a.cs, a.eip), "%04X:%08X" % (b.cs, b.eip)))
        return diffs
    width = 0xFFFFFFFF if (a.wide and b.wide) else 0xFFFF
    for k in REGS:
        if (a.regs[k] ^ b.regs[k]) & width:
            diffs.append((k, "%08X" % a.regs[k], "%08X" % b.regs[k]))
    if (a.efl ^ b.efl) & mask:
        diffs.append(("EFLAGS", "%08X" % a.efl, "%08X" % b.efl))
    return diffs


def show(tag, r):
    extra = (" [%s]" % r.bytes) if r.bytes else ""
    return "  %s line %d: %04X:%08X%s" % (tag, r.line, r.cs, r.eip, extra)


def parse_range(s):
    m = re.match(r"^(?:0x)?([0-9A-Fa-f]+)-(?:0x)?([0-9A-Fa-f]+)$", s)
    if not m or int(m.group(1), 16) > int(m.group(2), 16):
        raise argparse.ArgumentTypeError("'%s' is not LO-HI (hex, LO <= HI)" % s)
    return (int(m.group(1), 16), int(m.group(2), 16))


def main():
    ap = argparse.ArgumentParser(description="first divergence of two instruction traces")
    ap.add_argument("a", help="first trace (tandem --trace or QEMU -d cpu log)")
    ap.add_argument("b", help="second trace")
    ap.add_argument("--cpl3", action="store_true", help="only records at CPL 3")
    ap.add_argument("--range", type=parse_range, help="only linear addresses LO-HI (hex)")
    ap.add_argument("--flags-mask", type=lambda s: int(s, 16), default=DEFAULT_FLAGS_MASK,
                    help="EFLAGS bits compared (hex, default %04X)" % DEFAULT_FLAGS_MASK)
    ap.add_argument("--context", type=int, default=5, help="records shown before it")
    ap.add_argument("--strict-length", action="store_true",
                    help="a trace that runs longer than the other is a divergence")
    o = ap.parse_args()
    if o.context < 0:
        ap.error("--context must be 0 or more")
    try:
        ka, ra, fa = open_trace(o.a)
        kb, rb, fb = open_trace(o.b)
        return compare(o, ka, keep(ra, o.cpl3, o.range), kb, keep(rb, o.cpl3, o.range))
    except ValueError as e:
        print("tracediff: %s" % e, file=sys.stderr)
        return 2


def compare(o, ka, ra, kb, rb):
    name_a = "%s trace %s" % (ka, o.a)
    name_b = "%s trace %s" % (kb, o.b)
    recent = collections.deque(maxlen=o.context + 1)
    i = 0
    while True:
        a = next(ra, None)
        b = next(rb, None)
        if a is None or b is None:
            break
        i += 1
        recent.append((a, b))
        d = differences(a, b, o.flags_mask)
        if not d:
            continue
        print("tracediff: first divergence at record %d (A line %d, B line %d)"
              % (i, a.line, b.line))
        print("A = %s\nB = %s" % (name_a, name_b))
        print("%-8s %-18s %-18s" % ("", "A", "B"))
        for field, va, vb in d:
            print("%-8s %-18s %-18s" % (field, va, vb))
        if len(recent) > 1:
            pa, pb = recent[-2]
            if d[0][0] != "CS:EIP":
                code = pa.bytes or pb.bytes
                print("the instruction before it, at %04X:%08X%s, left different results"
                      % (pa.cs, pa.eip, (" (bytes %s)" % code) if code else ""))
            else:
                print("control flow split after %04X:%08X" % (pa.cs, pa.eip))
        print("context (records %d..%d):" % (i - len(recent) + 1, i))
        for ca, cb in recent:
            print(show("A", ca))
            print("    " + ca.text)
            print(show("B", cb))
            print("    " + cb.text)
        return 1
    n = i
    extra_a = (1 + sum(1 for _ in ra)) if a is not None else 0
    extra_b = (1 + sum(1 for _ in rb)) if b is not None else 0
    if n == 0:
        print("tracediff: no records to compare (check the filter)", file=sys.stderr)
        return 2
    if extra_a or extra_b:
        longer, extra = ("A", extra_a) if extra_a else ("B", extra_b)
        print("tracediff: the traces agree over %d records; %s has %d more" % (n, longer, extra))
        return 1 if o.strict_length else 0
    print("tracediff: the traces agree over %d records" % n)
    return 0


if __name__ == "__main__":
    sys.exit(main())
