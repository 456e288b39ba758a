#!/usr/bin/env python3
"""Builds cpu/x86-interp/x86i_biu_tab.c, the 8086 execution-unit schedules
the bus interface model (cpu/x86-interp/x86i_biu.c) replays.

    python3 tools/biu/gen-biu-table.py /work/shared/vectors/8086 > cpu/x86-interp/x86i_biu_tab.c

(--skip N leaves out the first N tests of every file: with N = 25 the table
is fitted without the tests of tests/vectors/8086, to measure it on them.)

Input: the SingleStepTests 8086 set (recorded on an Intel 80C86; every test
has a bus trace with the queue-status pins).  For every instruction form it
reads from the traces the order in which the execution unit (EU) takes
bytes from the queue (F first byte / prefix, S later byte), runs its own bus
cycles (R W memory, r w I/O), flushes the queue (E) and hands over to the
next instruction (N), and the shortest distance in clocks between each of
these events and the one before it over all tests of that form: the EU's
microcode time when it never waits for the bus or the queue.  What the
BIU adds on top (prefetch cycles in the way, an empty queue) is left to
the model, which is why the minimum is the right statistic.

A form is (opcode, ModRM reg for group opcodes, ModRM mod/rm with the rm of
register forms dropped, and the signature: how many F and S reads, the EU
bus cycles in order, flush or not).  Forms with data-dependent microcode
loops carry one variable term (VAR below): the per-bit loop of shifts by CL
and the sign/adjust branches, measured the same way.
"""
import collections, glob, gzip, json, os, sys

# Opcodes whose microcode loops on data: (variable, clocks per unit).  Found by fitting the traces
# (the 4 clocks per bit of a shift by CL are the datasheet's).
# The term goes to the first memory write (the shifted operand stored
# back) or else to the hand-over to the next instruction.
VAR = {'D2': ('cl', 4), 'D3': ('cl', 4), '99': ('axs', 1), 'D6': ('cf', 1),
       '37': ('aaa', -1), '3F': ('aaa', -1)}
VAR_ID = {'cl': 1, 'axs': 2, 'cf': 3, 'aaa': 4}

# Jumps: how many clocks before its flush a jump stops new prefetches (its
# SUSP), and how long after the T4 of a code fetch that was on the bus at
# that point the flush then waits.  (3, 5) unless listed; fitted per opcode
# on the traces.
SUSP = {'9A': (2, 2), 'C0': (2, 2), 'C1': (2, 2), 'C2': (2, 2), 'C3': (2, 2), 'C8': (2, 2),
        'C9': (2, 2), 'CA': (2, 2), 'CB': (2, 2), 'CC': (2, 2), 'CD': (2, 2), 'CE': (2, 2),
        'CF': (2, 2), 'E0': (2, 2), 'E1': (2, 5), 'E2': (4, 2), 'E3': (2, 2), 'E8': (4, 5),
        'E9': (4, 5), 'EA': (2, 3), 'EB': (4, 5), 'F6.6': (2, 2), 'F6.7': (2, 2),
        'F7.6': (2, 2), 'F7.7': (2, 2), 'FF.2': (4, 5), 'FF.3': (2, 2), 'FF.4': (2, 2),
        'FF.5': (2, 2)}

def var_of(kind, regs):
    cl = regs['cx'] & 0xff
    if kind == 'cl':
        return cl
    if kind == 'axs':
        return regs['ax'] >> 15
    if kind == 'cf':
        return regs['flags'] & 1
    if kind == 'aaa':
        return 1 if (regs['ax'] & 0xf) > 9 or regs['flags'] & 0x10 else 0
    return 0

MODRM = set(list(range(0x00, 0x04)) + list(range(0x08, 0x0c)) + list(range(0x10, 0x14)) +
            list(range(0x18, 0x1c)) + list(range(0x20, 0x24)) + list(range(0x28, 0x2c)) +
            list(range(0x30, 0x34)) + list(range(0x38, 0x3c)) + list(range(0x80, 0x90)) +
            [0xc4, 0xc5, 0xc6, 0xc7, 0xd0, 0xd1, 0xd2, 0xd3] + list(range(0xd8, 0xe0)) +
            [0xf6, 0xf7, 0xfe, 0xff])

def events(cycles):
    ev = []
    for i, c in enumerate(cycles):
        t, st, qop = c[8], c[7], c[9]
        if qop == 'E':
            ev.append((i, 'E'))
        if qop in ('F', 'S'):
            ev.append((i, qop))
        if t == 'T1' and st in ('MEMR', 'MEMW', 'IOR', 'IOW'):
            ev.append((i, {'MEMR': 'R', 'MEMW': 'W', 'IOR': 'r', 'IOW': 'w'}[st]))
    ev.append((len(cycles), 'N'))
    return ev

def signature(kinds):
    nf = len(kinds) - len(kinds.lstrip('F'))
    ns = kinds.count('S')
    return 'F%dS%d:R%dW%dr%dw%d%s' % (nf, ns, kinds.count('R'), kinds.count('W'),
                                        kinds.count('r'), kinds.count('w'),
                                        'E' if 'E' in kinds else '')

def main():
    args = sys.argv[1:]
    skip = 0
    if args[0] == '--skip':
        skip = int(args[1])
        args = args[2:]
    src = args[0]
    forms = collections.defaultdict(list)
    groups = set()
    for path in sorted(glob.glob(os.path.join(src, '*.json.gz'))):
        stem = os.path.basename(path)[:-8]
        op = int(stem[:2], 16)
        if '.' in stem:
            groups.add(op)
        var = VAR.get(stem[:2])
        for t in json.load(gzip.open(path))[skip:]:
            ev = events(t['cycles'])
            kinds = ''.join(k for _, k in ev)
            if len(kinds) > 40:
                continue
            nf = len(kinds) - len(kinds.lstrip('F'))
            b = t['bytes']
            mrm = 0xff
            if op in MODRM and nf < len(b):
                mrm = b[nf] & 0xc7
                if mrm >= 0xc0:
                    mrm = 0xc0
            sel = (b[nf] >> 3) & 7 if '.' in stem and nf < len(b) else 0
            v = var_of(var[0], t['initial']['regs']) * var[1] if var else 0
            forms[(op, sel, mrm, signature(kinds))].append((kinds, ev, v, var, SUSP.get(stem, (3, 5))))
    out = []
    pool = []
    for key in sorted(forms):
        lst = forms[key]
        # The most common interleaving of this signature.
        kinds = collections.Counter(x[0] for x in lst).most_common(1)[0][0]
        lst = [x for x in lst if x[0] == kinds]
        var = lst[0][3]
        vpos = (kinds.index('W') if 'W' in kinds else len(kinds) - 1) if var else -1
        d = [0]
        for k in range(1, len(kinds)):
            d.append(min(ev[k][0] - ev[k - 1][0] - (v if k == vpos else 0)
                         for _, ev, v, _, _ in lst))
        out.append((key, kinds, len(pool), VAR_ID[var[0]] if var else 0,
                    vpos, var[1] if var else 0, lst[0][4]))
        pool.extend(max(0, x) for x in d)
    print('/* Generated by tools/biu/gen-biu-table.py from the SingleStepTests 8086')
    print(' * bus traces (real 80C86): per instruction form, the EU events in order')
    print(' * and the fewest clocks seen between each and the one before.  Do not')
    print(' * edit; regenerate. */')
    print('#include "cpu/x86-interp/x86i_biu.h"')
    print()
    print('const uint8_t x86i_biu_group[256 / 8] = {')
    bits = [0] * 32
    for g in groups:
        bits[g >> 3] |= 1 << (g & 7)
    print('\t' + ', '.join('0x%02x' % x for x in bits) + ',')
    print('};')
    print()
    print('const uint16_t x86i_biu_delay[] = {')
    for i in range(0, len(pool), 16):
        print('\t' + ', '.join(str(x) for x in pool[i:i + 16]) + ',')
    print('};')
    print()
    print('const struct x86i_biu_form x86i_biu_forms[] = {')
    for (op, sel, mrm, sig), kinds, off, vid, vpos, vk, su in out:
        print('\t{ 0x%02x, %d, 0x%02x, %d, %d, %d, %d, %d, %d, "%s", "%s" },' %
              (op, sel, mrm, vid, vpos, vk, su[0], su[1], off, sig, kinds))
    print('};')
    print()
    print('const unsigned x86i_biu_nforms = %d;' % len(out))

main()
