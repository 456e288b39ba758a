#!/usr/bin/env python3
"""Builds cpu/x86-interp/x86i_biu_tab.c, the 8086 execution-unit schedules
the bus interface model (cpu/x86-interp/x86i_biu.c) replays.

    python3 tools/biu/gen-biu-table.py /work/shared/vectors/8086 > cpu/x86-interp/x86i_biu_tab.c

(--skip N leaves out the first N tests of every file: with N = 25 the table
is fitted without the tests of tests/vectors/8086, to measure it on them;
tools/biu/heldout.sh does that.)

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
carry one variable term (VAR below) whose clocks the model computes the
same way (cpu/x86-interp/x86i_biu_loops.c, tools/biu/eu_loops.py): the
per-bit loop of shifts by CL, the sign/adjust branches, and the multiply
and divide loops of MUL/IMUL/DIV/IDIV/AAM/AAD.

A REP string instruction is one form per iteration pattern: its prefixes
and opcode, the bus cycles of one iteration (twice: the first iteration
and every later one have their own clocks) and the hand-over, which comes
a clock earlier when REPE/REPNE stop on ZF than when CX runs out (sig 'Z').
The model repeats the later iteration as often as CX says.

Last, the table drops every form the model's search for a similar form
(similar() below, find_similar in x86i_biu.c: another prefix count, another
memory operand of the same length) finds exactly as it is, so the model
replays the same for every form of the set, from a table half the size.
"""
import collections, glob, gzip, json, os, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import eu_loops  # noqa: E402

# Data terms, by file stem or opcode: the term goes to the first memory
# write (the shifted operand stored back) or else to the hand-over to the
# next instruction; for the multiply/divide family to the first bus cycle
# after the operand read (the divide error's vector read) or the hand-over.
VAR = {'D2': 'cl', 'D3': 'cl', '99': 'axs', 'D6': 'cf', '37': 'aaa', '3F': 'aaa',
       'F6.4': 'md', 'F6.5': 'md', 'F6.6': 'md', 'F6.7': 'md',
       'F7.4': 'md', 'F7.5': 'md', 'F7.6': 'md', 'F7.7': 'md', 'D4': 'aam', 'D5': 'aad'}
VAR_ID = {'cl': 1, 'axs': 2, 'cf': 3, 'aaa': 4, 'md': 5, 'aam': 6, 'aad': 7}
STRING = {0xa4, 0xa5, 0xa6, 0xa7, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf}
PREFIX = {0x26, 0x2e, 0x36, 0x3e, 0xf0, 0xf2, 0xf3}
R16 = ['ax', 'cx', 'dx', 'bx', 'sp', 'bp', 'si', 'di']

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

def operand(t, at, wide):
    """The r/m operand of the instruction whose ModRM byte is bytes[at]."""
    b, regs = t['bytes'], t['initial']['regs']
    mod, rm = b[at] >> 6, b[at] & 7
    if mod == 3:
        if wide:
            return regs[R16[rm]]
        return (regs[['ax', 'cx', 'dx', 'bx'][rm & 3]] >> (8 if rm >= 4 else 0)) & 255
    base = {0: regs['bx'] + regs['si'], 1: regs['bx'] + regs['di'],
            2: regs['bp'] + regs['si'], 3: regs['bp'] + regs['di'], 4: regs['si'],
            5: regs['di'], 6: regs['bp'], 7: regs['bx']}[rm]
    seg = 'ss' if rm in (2, 3) or (rm == 6 and mod != 0) else 'ds'
    if mod == 0 and rm == 6:
        base = b[at + 1] | b[at + 2] << 8
    elif mod == 1:
        base += b[at + 1] - 256 if b[at + 1] > 127 else b[at + 1]
    elif mod == 2:
        base += b[at + 1] | b[at + 2] << 8
    for p in b[:at]:
        if p in (0x26, 0x2e, 0x36, 0x3e):
            seg = {0x26: 'es', 0x2e: 'cs', 0x36: 'ss', 0x3e: 'ds'}[p]
    ram = dict((a, v) for a, v in t['initial']['ram'])
    off = base & 0xffff
    val = ram[((regs[seg] << 4) + off) & 0xfffff]
    if wide:
        val |= ram[((regs[seg] << 4) + ((off + 1) & 0xffff)) & 0xfffff] << 8
    return val

def var_clocks(kind, t, nf):
    """The data term's clocks in test t (nf: bytes before the opcode)."""
    regs, b = t['initial']['regs'], t['bytes']
    rep = int(any(p in (0xf2, 0xf3) for p in b[:nf]))
    if kind == 'cl':
        return 4 * (regs['cx'] & 0xff)
    if kind == 'axs':
        return regs['ax'] >> 15
    if kind == 'cf':
        return regs['flags'] & 1
    if kind == 'aaa':
        return -1 if (regs['ax'] & 0xf) > 9 or regs['flags'] & 0x10 else 0
    if kind == 'aam':
        return eu_loops.aam(regs['ax'] & 0xff, b[nf + 1])[0]
    if kind == 'aad':
        return eu_loops.aad(regs['ax'] >> 8, b[nf + 1])
    wide = b[nf] == 0xf7
    sel = (b[nf + 1] >> 3) & 7
    n = 16 if wide else 8
    o = operand(t, nf + 1, wide)
    if sel in (4, 5):
        return eu_loops.mul(regs['ax'] & ((1 << n) - 1), o, n, sel == 5, rep)
    num = (regs['dx'] << 16 | regs['ax']) if wide else regs['ax']
    return eu_loops.div(num, o, n, sel == 7, rep)[0]

def var_position(kind, kinds):
    if kind in ('md', 'aam') and 'W' in kinds:
        # The divide error: after the operand, two vector reads.
        reads = [i for i, k in enumerate(kinds) if k == 'R']
        return reads[len(reads) - 2]
    return kinds.index('W') if 'W' in kinds else len(kinds) - 1

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

def signature(kinds, rep=''):
    nf = len(kinds) - len(kinds.lstrip('F'))
    ns = kinds.count('S')
    return 'F%dS%d:R%dW%dr%dw%d%s%s' % (nf, ns, kinds.count('R'), kinds.count('W'),
                                          kinds.count('r'), kinds.count('w'),
                                          'E' if 'E' in kinds else '', rep)

def rep_iterations(t, ev, op, nf):
    """A REP string test that ran its loop: (head, body, iterations,
    'P' or 'PZ'), else None.  The delays of ev are then remapped to
    head + first body + later body + N."""
    b = t['bytes']
    if op not in STRING or not any(p in (0xf2, 0xf3) for p in b[:nf]):
        return None
    regs, fin = t['initial']['regs'], t['final']['regs']
    cx1 = fin.get('cx', regs['cx'])
    it = (regs['cx'] - cx1) & 0xffff
    kinds = ''.join(k for _, k in ev)
    mid = kinds[nf + 1:-1]
    if it == 0 or kinds[:nf + 1] != 'F' * (nf + 1) or len(mid) % it:
        return None
    bl = len(mid) // it
    body = mid[:bl]
    if body * it != mid or any(k not in 'RWrw' for k in body):
        return None
    return kinds[:nf + 1], body, it, 'P' + ('Z' if cx1 else '')

def rep_delays(ev, head, body, it):
    """Per event of head + body + body + N: the clocks from the event
    before, None where this test has none (one iteration only) and for the
    later body the fewest over its iterations."""
    gaps = [0] + [ev[k][0] - ev[k - 1][0] for k in range(1, len(ev))]
    h, bl = len(head), len(body)
    d = gaps[:h + bl]
    for j in range(bl):
        later = [gaps[h + i * bl + j] for i in range(1, it)]
        d.append(min(later) if later else None)
    d.append(gaps[-1])
    return d

# MOVS is not in the set (its file is missing): its forms are built from
# LODS's (the read, the prefixes) and STOS's (the write, the hand-over)
# with the datasheet's clocks between: 18 for MOVS (read after 5 as LODS,
# hand-over 6 after the write as STOS, so the write 7 after the read) and
# 17 per REP iteration (LODS's first read at 12 and STOS's hand-over 7
# after the last write give the 9 + 17n of the datasheet with the write 7
# after the read and the next read 10 after the write).  The second half
# of a word split into two bus cycles comes 4 clocks after the first.
MOVS_READ_WRITE, MOVS_WRITE_READ, MOVS_HANDOVER, MOVS_REP_HANDOVER, SPLIT = 7, 10, 6, 7, 4

def synth_movs(out, pool):
    for key, kinds, off, vid, vpos, body, susp in list(out):
        op, sel, mrm, sig = key
        if op not in (0xac, 0xad) or 'W0r0w0' not in sig:
            continue
        d = pool[off:off + len(kinds)]
        nf = len(kinds) - len(kinds.lstrip('F'))
        reads = kinds.count('R') // (2 if body else 1)
        for wsplit in ((0, 1) if op == 0xad else (0,)):
            if reads == 0:
                if wsplit:
                    continue
                new_kinds, new_d, new_body = kinds, list(d), body
            elif not body:
                w = 'W' * (1 + wsplit)
                new_kinds = kinds[:-1] + w + 'N'
                new_d = d[:-1] + [MOVS_READ_WRITE] + [SPLIT] * wsplit + [MOVS_HANDOVER]
                new_body = 0
            else:
                r = 'R' * reads
                w = 'W' * (1 + wsplit)
                first = d[nf:nf + reads] + [MOVS_READ_WRITE] + [SPLIT] * wsplit
                later = [MOVS_WRITE_READ] + [SPLIT] * (reads - 1) + [MOVS_READ_WRITE] + \
                    [SPLIT] * wsplit
                new_kinds = kinds[:nf] + r + w + r + w + 'N'
                new_d = d[:nf] + first + later + [MOVS_REP_HANDOVER]
                new_body = reads + 1 + wsplit
            new_sig = sig.replace('W0', 'W%d' % (new_kinds.count('W') // (2 if new_body else 1)))
            out.append(((op - 8, sel, mrm, new_sig), new_kinds, len(pool), 0, -1, new_body, susp))
            pool.extend(new_d)

# The model's search for a similar form (find_similar in x86i_biu.c): the
# same instruction with another number of prefixes, nearest first, then
# another memory operand of the same length (same class first), whose
# address calculation differs by EA0 clocks (mod 0) at the first bus event.
EA0 = [0, 1, 1, 0, -1, -2, 0, -2]
RM_ORDER = [[0, 3, 1, 2, 4, 5, 7, 6], [1, 2, 0, 3, 4, 5, 7, 6], [2, 1, 3, 0, 4, 5, 7, 6],
            [3, 0, 2, 1, 4, 5, 7, 6], [4, 5, 7, 0, 3, 1, 2, 6], [5, 7, 4, 0, 3, 1, 2, 6],
            [6, 4, 5, 7, 0, 3, 1, 2], [7, 5, 4, 0, 3, 1, 2, 6]]

def with_nf(sig, nf):
    return 'F%d%s' % (nf, sig[sig.index('S'):])

def similar(table, key):
    """What the model replays for key: (kinds, delays, var, var_pos,
    body, susp) of the form it finds, adjusted, or None."""
    op, sel, mrm, sig = key
    nf = int(sig[1:sig.index('S')])
    mrms = [mrm]
    if mrm < 0xc0:
        mrms = [(mrm & 0xc0) | rm for rm in RM_ORDER[mrm & 7]
                if mrm >> 6 or ((rm == 6) == ((mrm & 7) == 6))]
    for m2 in mrms:
        for dd in range(63):
            n2 = nf + ((dd + 1) // 2 if dd & 1 else -(dd // 2))
            if n2 < 1 or n2 > 31:
                continue
            s2 = with_nf(sig, n2)
            cands = [s2] if 'E' in s2 or 'P' in s2 else [s2, s2.replace(':', ':', 1) + 'E']
            for c in cands:
                f = table.get((op, sel, m2, c))
                if f is None:
                    continue
                kinds, d, var, vpos, body, susp = f
                pre = nf - n2
                if pre >= 0:
                    kinds = 'F' * pre + kinds
                    d = [0] + [2] * pre + list(d[1:])
                else:
                    kinds = kinds[-pre:]
                    d = [0] + list(d[1 - pre:])
                vpos = vpos + pre if vpos >= 0 else vpos
                if m2 != mrm and mrm >> 6 == 0:
                    at = next(i for i, k in enumerate(kinds) if k not in 'FS')
                    d = list(d)
                    d[at] += EA0[mrm & 7] - EA0[m2 & 7]
                return kinds, tuple(d), var, vpos, body, susp
    return None

def same_replay(a, b):
    return a is not None and b is not None and a[0] == b[0] and a[1][1:] == b[1][1:] and \
        a[2:] == b[2:]

def prune(out, pool):
    """Drops the forms the model finds as well through find_similar."""
    table = {}
    for key, kinds, off, vid, vpos, body, susp in out:
        table[key] = (kinds, tuple(pool[off:off + len(kinds)]), vid, vpos, body, susp)
    full = dict(table)
    dropped = set()
    for key in sorted(table, key=lambda k: (-int(k[3][1:k[3].index('S')]), k)):
        f = table.pop(key)
        if same_replay(similar(table, key), f):
            dropped.add(key)
        else:
            table[key] = f
    # Dropping a later form can change what an earlier one finds.
    changed = True
    while changed:
        changed = False
        for key in sorted(dropped):
            if not same_replay(similar(table, key), full[key]):
                table[key] = full[key]
                dropped.discard(key)
                changed = True
    new_out, new_pool = [], []
    for key in sorted(table):
        kinds, d, vid, vpos, body, susp = table[key]
        new_out.append((key, kinds, len(new_pool), vid, vpos, body, susp))
        new_pool.extend(d)
    return new_out, new_pool

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
        var = VAR.get(stem, VAR.get(stem[:2]))
        susp = SUSP.get(stem, (3, 5))
        for t in json.load(gzip.open(path))[skip:]:
            ev = events(t['cycles'])
            kinds = ''.join(k for _, k in ev)
            nf = len(kinds) - len(kinds.lstrip('F'))
            b = t['bytes']
            npfx = 0
            while npfx < len(b) and b[npfx] in PREFIX:
                npfx += 1
            rep = rep_iterations(t, ev, op, npfx)
            if rep:
                head, body, it, flag = rep
                kinds = head + body + body + 'N'
                d = rep_delays(ev, head, body, it)
                forms[(op, 0, 0xff, signature(head + body, flag))].append(
                    (kinds, d, None, susp, len(body)))
                continue
            if len(kinds) > 40:
                continue
            mrm = 0xff
            if op in MODRM and nf < len(b):
                mrm = b[nf] & 0xc7
                if mrm >= 0xc0:
                    mrm = 0xc0
            sel = (b[nf] >> 3) & 7 if '.' in stem and nf < len(b) else 0
            d = [0] + [ev[k][0] - ev[k - 1][0] for k in range(1, len(ev))]
            if var:
                vpos = var_position(var, kinds)
                d[vpos] -= var_clocks(var, t, npfx)
            forms[(op, sel, mrm, signature(kinds))].append((kinds, d, var, susp, 0))
    out = []
    pool = []
    for key in sorted(forms):
        lst = forms[key]
        # The most common interleaving of this signature.
        kinds = collections.Counter(x[0] for x in lst).most_common(1)[0][0]
        lst = [x for x in lst if x[0] == kinds]
        var = lst[0][2]
        vpos = var_position(var, kinds) if var else -1
        body = lst[0][4]
        d = [0]
        for k in range(1, len(kinds)):
            seen = [x[1][k] for x in lst if x[1][k] is not None]
            if not seen:	# one-iteration REP tests only: later = first
                seen = [x[1][k - body] for x in lst]
            d.append(min(seen))
        out.append((key, kinds, len(pool), VAR_ID[var] if var else 0, vpos, body, lst[0][3]))
        pool.extend(d)
    if not any(key[0] in (0xa4, 0xa5) for key, *_ in out):
        synth_movs(out, pool)
    out, pool = prune(out, pool)
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
    print('const int16_t x86i_biu_delay[] = {')
    for i in range(0, len(pool), 16):
        print('\t' + ', '.join(str(x) for x in pool[i:i + 16]) + ',')
    print('};')
    print()
    print('const struct x86i_biu_form x86i_biu_forms[] = {')
    for (op, sel, mrm, sig), kinds, off, vid, vpos, body, su in out:
        print('\t{ 0x%02x, %d, 0x%02x, %d, %d, %d, %d, %d, %d, "%s", "%s" },' %
              (op, sel, mrm, vid, vpos, body, su[0], su[1], off, sig, kinds))
    print('};')
    print()
    print('const unsigned x86i_biu_nforms = %d;' % len(out))

main()
