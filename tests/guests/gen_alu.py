#!/usr/bin/env python3
"""gen_alu.py: writes cpu_alu_table.inc, the operand/result table of cpu_alu.asm.

Expected values come from this model of the 8086 as the Intel manuals define it; the
table is then checked on QEMU and Bochs (tests/guests/oracle.sh cpu_alu). Each case
compares only the flags the manuals define for that instruction: undefined flags are
masked out, flags an instruction must leave alone are compared with their input.
Operands avoid the few places where the 8086 and later CPUs define different results
(shift counts >= 32, AAA/AAS carries out of AL, IDIV quotient -128/-32768).

Run: python3 gen_alu.py > cpu_alu_table.inc  (deterministic: fixed seed).
"""
import random

CF, PF, AF, ZF, SF, OF = 0x001, 0x004, 0x010, 0x040, 0x080, 0x800
ALL = CF | PF | AF | ZF | SF | OF

# op id -> (name, width, instruction text for the guest); the guest builds one small
# routine per op, so this list is also the dispatch table.
OPS = []


def op(name, width, text, model, operands):
    OPS.append((name, width, text, model, operands))


def parity(v):
    return PF if bin(v & 0xff).count('1') % 2 == 0 else 0


def szp(r, w):
    f = parity(r)
    if r == 0:
        f |= ZF
    if r >> (w - 1) & 1:
        f |= SF
    return f


def sext(v, w):
    return v - (1 << w) if v >> (w - 1) & 1 else v


def set_ax(ax, w, r):
    return r & 0xffff if w == 16 else (ax & 0xff00) | (r & 0xff)


def arith(kind):
    def model(fl, ax, dx, b, w):
        m = (1 << w) - 1
        a = ax & m
        b &= m
        cin = fl & CF if kind in ('adc', 'sbb') else 0
        if kind in ('add', 'adc'):
            res = a + b + cin
            r = res & m
            c = res >> w & 1
            o = ((a ^ r) & (b ^ r)) >> (w - 1) & 1
        else:
            res = a - b - cin
            r = res & m
            c = 1 if res < 0 else 0
            o = ((a ^ b) & (a ^ r)) >> (w - 1) & 1
        f = szp(r, w) | (a ^ b ^ r) & AF | (CF if c else 0) | (OF if o else 0)
        out = ax if kind == 'cmp' else set_ax(ax, w, r)
        return out, dx, f, ALL
    return model


def logic(kind):
    def model(fl, ax, dx, b, w):
        m = (1 << w) - 1
        a = ax & m
        r = {'and': a & b, 'or': a | b, 'xor': a ^ b, 'test': a & b}[kind] & m
        out = ax if kind == 'test' else set_ax(ax, w, r)
        return out, dx, szp(r, w), ALL & ~AF
    return model


def incdec(d):
    def model(fl, ax, dx, b, w):
        m = (1 << w) - 1
        a = ax & m
        r = (a + d) & m
        bb = 1
        if d > 0:
            o = ((a ^ r) & (bb ^ r)) >> (w - 1) & 1
        else:
            o = ((a ^ bb) & (a ^ r)) >> (w - 1) & 1
        f = szp(r, w) | (a ^ bb ^ r) & AF | (OF if o else 0) | (fl & CF)
        return set_ax(ax, w, r), dx, f, ALL
    return model


def neg(fl, ax, dx, b, w):
    m = (1 << w) - 1
    a = ax & m
    r = -a & m
    f = szp(r, w) | (a ^ r) & AF | (CF if a else 0) | (OF if a == 1 << (w - 1) else 0)
    return set_ax(ax, w, r), dx, f, ALL


def not_(fl, ax, dx, b, w):
    return set_ax(ax, w, ~ax), dx, fl & ALL, ALL


def shift(kind, by_one):
    def model(fl, ax, dx, b, w):
        m = (1 << w) - 1
        msb = 1 << (w - 1)
        a = ax & m
        c = 1 if by_one else b & 0xff
        if c == 0:
            return ax, dx, fl & ALL, ALL
        cf = fl & CF
        mask = ALL
        f = fl & ALL
        if kind in ('shl', 'shr', 'sar'):
            if kind == 'shl':
                r = (a << c) & m
                cf = (a << c) >> w & 1
                of = (r & msb != 0) != (cf != 0)
            elif kind == 'shr':
                r = a >> c
                cf = a >> (c - 1) & 1
                of = a & msb != 0
            else:
                sa = sext(a, w)
                r = (sa >> c) & m
                cf = (sa >> (c - 1)) & 1
                of = False
            f = szp(r, w) | (CF if cf else 0) | (OF if of else 0)
            mask = ALL & ~AF
            if c != 1:
                mask &= ~OF
            if c >= w and kind != 'sar':
                mask &= ~CF
        else:
            if kind in ('rol', 'ror'):
                e = c % w
                if kind == 'rol':
                    r = ((a << e) | (a >> (w - e))) & m
                    cf = r & 1
                    of = (r & msb != 0) != (cf != 0)
                else:
                    r = ((a >> e) | (a << (w - e))) & m
                    cf = 1 if r & msb else 0
                    of = (r >> (w - 1) & 1) != (r >> (w - 2) & 1)
            else:
                e = c % (w + 1)
                v = (cf << w) | a
                if kind == 'rcl':
                    v = ((v << e) | (v >> (w + 1 - e))) & ((m << 1) | 1)
                    r = v & m
                    cf = v >> w & 1
                    of = (r & msb != 0) != (cf != 0)
                else:
                    v = ((v >> e) | (v << (w + 1 - e))) & ((m << 1) | 1)
                    r = v & m
                    cf = v >> w & 1
                    of = (r >> (w - 1) & 1) != (r >> (w - 2) & 1)
            f = (fl & (ALL & ~(CF | OF))) | (CF if cf else 0) | (OF if of else 0)
            if c != 1:
                mask &= ~OF
        return set_ax(ax, w, r), dx, f, mask
    return model


def mul(signed):
    def model(fl, ax, dx, b, w):
        m = (1 << w) - 1
        a, bb = ax & m, b & m
        if signed:
            p = sext(a, w) * sext(bb, w)
            big = p != sext(p & m, w)
        else:
            p = a * bb
            big = p >> w != 0
        p &= (1 << 2 * w) - 1
        f = (CF | OF) if big else 0
        if w == 8:
            return p, dx, f, CF | OF
        return p & 0xffff, p >> 16, f, CF | OF
    return model


def div(signed):
    def model(fl, ax, dx, b, w):
        m = (1 << w) - 1
        n = ax if w == 8 else (dx << 16) | ax
        d = b & m
        if signed:
            sn, sd = sext(n, 2 * w), sext(d, w)
            q = abs(sn) // abs(sd)
            if (sn < 0) != (sd < 0):
                q = -q
            r = sn - q * sd
            assert -(1 << (w - 1)) < q < (1 << (w - 1)), (n, d)
        else:
            q, r = divmod(n, d)
            assert q <= m
        q &= m
        r &= m
        if w == 8:
            return (r << 8) | q, dx, 0, 0
        return q, r, 0, 0
    return model


def bcd_add(sub):
    def model(fl, ax, dx, b, w):
        a = ax & 0xff
        if sub:
            res = a - b
            r = res & 0xff
            c = res < 0
        else:
            res = a + b
            r = res & 0xff
            c = res > 0xff
        af = (a ^ b ^ r) & AF
        old, oldc = r, c
        c = False
        if (r & 0xf) > 9 or af:
            r2 = r - 6 if sub else r + 6
            c = oldc or r2 < 0 or r2 > 0xff
            r = r2 & 0xff
            af = AF
        else:
            af = 0
        if old > 0x99 or oldc:
            r = (r - 0x60 if sub else r + 0x60) & 0xff
            c = True
        else:
            c = False
        f = szp(r, 8) | af | (CF if c else 0)
        return set_ax(ax, 8, r), dx, f, ALL & ~OF
    return model


def ascii_adj(sub):
    def model(fl, ax, dx, b, w):
        a = ax & 0xff
        r = (a - b if sub else a + b) & 0xff
        af = (a ^ b ^ r) & AF
        ah = ax >> 8
        if (r & 0xf) > 9 or af:
            r = (r - 6 if sub else r + 6) & 0xff
            ah = (ah - 1 if sub else ah + 1) & 0xff
            f = AF | CF
        else:
            f = 0
        return (ah << 8) | (r & 0xf), dx, f, AF | CF
    return model


def aam(base):
    def model(fl, ax, dx, b, w):
        a = ax & 0xff
        r = a % base
        return ((a // base) << 8) | r, dx, szp(r, 8), SF | ZF | PF
    return model


def aad(base):
    def model(fl, ax, dx, b, w):
        r = (ax + (ax >> 8) * base) & 0xff
        return r, dx, szp(r, 8), SF | ZF | PF
    return model


def cbw(fl, ax, dx, b, w):
    return sext(ax & 0xff, 8) & 0xffff, dx, fl & ALL, ALL


def cwd(fl, ax, dx, b, w):
    return ax, 0xffff if ax & 0x8000 else 0, fl & ALL, ALL


rnd = random.Random(8086)
EDGE8 = [0, 1, 0x7f, 0x80, 0xff, 0x0f, 0x10]
EDGE16 = [0, 1, 0x7fff, 0x8000, 0xffff, 0x00ff, 0x0100]


def binops(w, n=8):
    edges = EDGE8 if w == 8 else EDGE16
    cases = []
    for i in range(n):
        a = rnd.choice(edges) if i % 2 == 0 else rnd.getrandbits(w)
        b = rnd.choice(edges) if i % 3 == 0 else rnd.getrandbits(w)
        cases.append((a, b))
    return cases


def with_ah(a):
    return (rnd.getrandbits(8) << 8) | a


R8 = {'a': 'al', 'b': 'bl'}
R16 = {'a': 'ax', 'b': 'bx'}

for w, R in ((8, R8), (16, R16)):
    for k in ('add', 'adc', 'sub', 'sbb', 'cmp'):
        cs = binops(w)
        op(k + str(w), w, '%s %s, %s' % (k, R['a'], R['b']), arith(k),
           [(with_ah(a) if w == 8 else a, 0, b) for a, b in cs])
    for k in ('and', 'or', 'xor', 'test'):
        cs = binops(w, 5)
        op(k + str(w), w, '%s %s, %s' % (k, R['a'], R['b']), logic(k),
           [(with_ah(a) if w == 8 else a, 0, b) for a, b in cs])
    edges = EDGE8 if w == 8 else EDGE16
    for k, mdl in (('inc', incdec(1)), ('dec', incdec(-1)), ('neg', neg), ('not', not_)):
        op(k + str(w), w, '%s %s' % (k, R['a']), mdl,
           [(with_ah(a) if w == 8 else a, 0, 0) for a in edges])
    for k in ('shl', 'shr', 'sar', 'rol', 'ror', 'rcl', 'rcr'):
        counts = [0, 1, 2, 3, w - 1, w, w + 1, w + 3, 31]
        if k in ('rol', 'ror'):
            counts = [c for c in counts if c == 0 or c % w]
        if k in ('rcl', 'rcr'):
            counts = [c for c in counts if c == 0 or c % (w + 1)]
        cs = []
        for c in counts:
            a = rnd.getrandbits(w) if c % 2 else rnd.choice(edges)
            cs.append((with_ah(a) if w == 8 else a, 0, c))
        op(k + str(w) + 'cl', w, '%s %s, cl' % (k, R['a']), shift(k, False), cs)
        cs = [(with_ah(a) if w == 8 else a, 0, 0)
              for a in edges[:4] + [rnd.getrandbits(w) for _ in range(3)]]
        op(k + str(w) + '1', w, '%s %s, 1' % (k, R['a']), shift(k, True), cs)
    cs = binops(w, 8)
    op('mul' + str(w), w, 'mul ' + R['b'], mul(False), [(a, 0, b) for a, b in cs])
    op('imul' + str(w), w, 'imul ' + R['b'], mul(True), [(a, 0, b) for a, b in cs])
    cs = []
    scs = []
    m = (1 << w) - 1
    while len(cs) < 8:
        d = rnd.getrandbits(w) or 1
        q = rnd.getrandbits(w) % (m + 1)
        r = rnd.randrange(d)
        n = q * d + r
        if n >> (2 * w):
            continue
        cs.append((n & 0xffff, n >> 16 if w == 16 else 0, d))
    while len(scs) < 8:
        # truncating division: the remainder takes the dividend's sign
        d = sext(rnd.getrandbits(w), w) or 1
        lim = (1 << (w - 1)) - 1
        q = rnd.randint(-lim, lim)
        r = rnd.randrange(abs(d))
        n = q * d + (r if q * d >= 0 else -r)
        n &= (1 << 2 * w) - 1
        scs.append((n & 0xffff, n >> 16 if w == 16 else 0, d & m))
    op('div' + str(w), w, 'div ' + R['b'], div(False), cs)
    op('idiv' + str(w), w, 'idiv ' + R['b'], div(True), scs)


def bcd(v):
    return (v // 10) << 4 | v % 10


cs = [(with_ah(bcd(rnd.randrange(100))), 0, bcd(rnd.randrange(100))) for _ in range(10)]
cs += [(bcd(99), 0, bcd(1)), (bcd(9), 0, bcd(9)), (bcd(0), 0, bcd(0)), (bcd(50), 0, bcd(50))]
op('daa', 8, 'add al, bl\n\tdaa', bcd_add(False), cs)
op('das', 8, 'sub al, bl\n\tdas', bcd_add(True), cs)
cs = [(with_ah(rnd.randrange(10)), 0, rnd.randrange(10)) for _ in range(10)]
cs += [((0x12 << 8) | 9, 0, 9), (0, 0, 0), ((0xfe << 8) | 5, 0, 5)]
op('aaa', 8, 'add al, bl\n\taaa', ascii_adj(False), cs)
op('aas', 8, 'sub al, bl\n\taas', ascii_adj(True), cs)
cs = [(rnd.getrandbits(16), 0, 0) for _ in range(6)] + [(0, 0, 0), (0x00ff, 0, 0), (0x0063, 0, 0)]
op('aam', 8, 'aam', aam(10), cs)
op('aam16', 8, 'aam 16', aam(16), cs)
cs = [(rnd.randrange(10) << 8 | rnd.randrange(10), 0, 0) for _ in range(6)]
cs += [(0x0909, 0, 0), (0, 0, 0), (0xffff, 0, 0), (0x1234, 0, 0)]
op('aad', 8, 'aad', aad(10), cs)
op('aad7', 8, 'aad 7', aad(7), cs)
cs = [(v, rnd.getrandbits(16), 0) for v in (0, 0x7f, 0x80, 0xff, 0x1280, 0xab7f)]
op('cbw', 16, 'cbw', cbw, cs)
cs = [(v, rnd.getrandbits(16), 0) for v in (0, 0x7fff, 0x8000, 0xffff, 0x1234, 0xfedc)]
op('cwd', 16, 'cwd', cwd, cs)

# Other encodings of the same operations: immediates (80/81/83 with sign-extended imm8,
# the short AL/AX forms), memory operands in either direction, other registers. The
# routine ignores BX where the operand is an immediate; the row carries its value.
def pairs(cs):
    return [(a, 0, b) for a, b in cs]


def rnd_cases(w, b, n=6, extra=()):
    edges = EDGE8 if w == 8 else EDGE16
    out = [(with_ah(a) if w == 8 else a, 0, b) for a in list(extra) + edges[:3]]
    out += [(with_ah(rnd.getrandbits(8)) if w == 8 else rnd.getrandbits(16), 0, b)
            for _ in range(n)]
    return out


M = 'mov [alu_mem], ax\n\t'
R = '\n\tmov ax, [alu_mem]'
op('add_ax_imm16', 16, 'add ax, word 0x7fff', arith('add'), rnd_cases(16, 0x7fff))
op('sub_ax_imm8s', 16, 'sub ax, byte -2', arith('sub'), rnd_cases(16, 0xfffe))
op('sbb_ax_imm8s', 16, 'sbb ax, byte 1', arith('sbb'), rnd_cases(16, 1))
op('cmp_al_imm', 8, 'cmp al, 0x80', arith('cmp'), rnd_cases(8, 0x80))
op('adc_al_imm_grp', 8, 'adc al, byte 0x99', arith('adc'), rnd_cases(8, 0x99))
op('and_ax_imm', 16, 'and ax, 0x0ff0', logic('and'), rnd_cases(16, 0x0ff0))
op('xor_al_imm', 8, 'xor al, 0x5a', logic('xor'), rnd_cases(8, 0x5a))
op('test_ax_imm', 16, 'test ax, 0x8001', logic('test'), rnd_cases(16, 0x8001))
op('or_m16_imm8s', 16, M + 'or word [alu_mem], byte -128' + R, logic('or'),
   rnd_cases(16, 0xff80))
op('add_m16_r', 16, M + 'add [alu_mem], bx' + R, arith('add'), pairs(binops(16, 6)))
op('sub_m8_r', 8, M + 'sub [alu_mem], bl' + R, arith('sub'),
   [(with_ah(a), 0, b) for a, b in binops(8, 6)])
op('sbb_r_m16', 16, 'mov [alu_mem], bx\n\tsbb ax, [alu_mem]', arith('sbb'), pairs(binops(16, 6)))
op('cmp_m8_imm', 8, M + 'cmp byte [alu_mem], 0x10' + R, arith('cmp'), rnd_cases(8, 0x10))
op('rcl_m16_cl', 16, M + 'rcl word [alu_mem], cl' + R, shift('rcl', False),
   [(rnd.getrandbits(16), 0, c) for c in (1, 5, 15, 16, 18)])
op('sar_m8_1', 8, M + 'sar byte [alu_mem], 1' + R, shift('sar', True),
   [(with_ah(a), 0, 0) for a in EDGE8])
op('neg_m8', 8, M + 'neg byte [alu_mem]' + R, neg, [(with_ah(a), 0, 0) for a in EDGE8])
op('inc_m16', 16, M + 'inc word [alu_mem]' + R, incdec(1), [(a, 0, 0) for a in EDGE16])
op('dec_m8', 8, M + 'dec byte [alu_mem]' + R, incdec(-1),
   [(with_ah(a), 0, 0) for a in EDGE8])
op('imul_m16', 16, 'mov [alu_mem], bx\n\timul word [alu_mem]', mul(True), pairs(binops(16, 6)))
op('mul_m8', 8, 'mov [alu_mem], bx\n\tmul byte [alu_mem]', mul(False), pairs(binops(8, 6)))
op('div_m8', 8, 'mov [alu_mem], bx\n\tdiv byte [alu_mem]', div(False),
   [(0x1234, 0, 0x80), (0x00ff, 0, 1), (0xfeff, 0, 0xff), (1000, 0, 7)])
op('idiv_m16', 16, 'mov [alu_mem], bx\n\tidiv word [alu_mem]', div(True),
   [(0xfffe, 0xffff, 0x0002), (1, 0, 0xffff), (0x8000, 0xffff, 0x0100), (12345, 0, 0xff9c)])
op('xor_bp', 16, 'mov bp, ax\n\txor bp, bx\n\tmov ax, bp', logic('xor'), pairs(binops(16, 5)))
op('adc_ch', 8, 'mov ch, al\n\tadc ch, bl\n\tmov al, ch', arith('adc'),
   [(with_ah(a), 0, b) for a, b in binops(8, 6)])
op('sub_si_di', 16, 'mov si, ax\n\tmov di, bx\n\tsub si, di\n\tmov ax, si', arith('sub'),
   pairs(binops(16, 5)))
op('shr_dl_cl', 8, 'mov dl, al\n\tshr dl, cl\n\tmov al, dl\n\tmov dl, 0', shift('shr', False),
   [(with_ah(rnd.getrandbits(8)), 0, c) for c in (1, 3, 7)])

# Conditional jumps and the LOOP family: the routine returns AX = 1 when the branch is
# taken; LOOPs also return the decremented CX in DX.
JCC = {'o': lambda f: f & OF, 'no': lambda f: not f & OF, 'c': lambda f: f & CF,
       'nc': lambda f: not f & CF, 'z': lambda f: f & ZF, 'nz': lambda f: not f & ZF,
       'be': lambda f: f & (CF | ZF), 'a': lambda f: not f & (CF | ZF),
       's': lambda f: f & SF, 'ns': lambda f: not f & SF, 'pe': lambda f: f & PF,
       'po': lambda f: not f & PF,
       'l': lambda f: bool(f & SF) != bool(f & OF), 'ge': lambda f: bool(f & SF) == bool(f & OF),
       'le': lambda f: f & ZF or bool(f & SF) != bool(f & OF),
       'g': lambda f: not f & ZF and bool(f & SF) == bool(f & OF)}


def jcc_model(cond):
    def model(fl, ax, dx, b, w):
        return (1 if cond(fl) else 0), dx, fl & ALL, ALL
    return model


JCC_FLAGS = [0, CF, ZF, SF, OF, PF, SF | OF, ZF | SF, CF | ZF, ALL, OF | ZF, SF | PF | CF]
for cc, cond in JCC.items():
    op('j' + cc, 16, 'mov ax, 1\n\tj%s .t\n\tmov ax, 0\n.t:' % cc, jcc_model(cond),
       [(0x5555, 0, 0, f) for f in JCC_FLAGS])


def loop_model(kind):
    def model(fl, ax, dx, b, w):
        c = (b - 1) & 0xffff if kind != 'jcxz' else b
        if kind == 'loop':
            t = c != 0
        elif kind == 'loope':
            t = c != 0 and fl & ZF
        elif kind == 'loopne':
            t = c != 0 and not fl & ZF
        else:
            t = b == 0
        return (1 if t else 0), c, fl & ALL, ALL
    return model


for k in ('loop', 'loope', 'loopne', 'jcxz'):
    cs = []
    for c in (0, 1, 2, 0xffff):
        for f in (0, ZF):
            cs.append((0, 0, c, f))
    op(k, 16, 'mov ax, 1\n\t%s .t\n\tmov ax, 0\n.t:\tmov dx, cx' % k, loop_model(k), cs)

print('; cpu_alu_table.inc: generated by gen_alu.py (do not edit; rerun it).')
print('; One routine per operation, then one row per case:')
print(';   dw op, flags_in, ax_in, dx_in, bx_in (BX and CX), ax_out, dx_out, flags_out, mask')
print()
print('alu_ops:')
for i, (name, w, text, mdl, cases) in enumerate(OPS):
    print('\tdw\talu_op_%d' % i)
for i, (name, w, text, mdl, cases) in enumerate(OPS):
    print('alu_op_%d:\t\t\t; %s' % (i, name))
    print('\t' + text)
    print('\tret')
print()
print('alu_names:')
for i, (name, w, text, mdl, cases) in enumerate(OPS):
    print('\tdw\talu_name_%d' % i)
for i, (name, w, text, mdl, cases) in enumerate(OPS):
    print('alu_name_%d\tdb\t"%s", 0' % (i, name))
print()
print('alu_table:')
total = 0
for i, (name, w, text, mdl, cases) in enumerate(OPS):
    for case in cases:
        ax, dx, b = case[:3]
        fl = case[3] if len(case) > 3 else rnd.getrandbits(12) & ALL
        oax, odx, ofl, mask = mdl(fl, ax, dx, b, w)
        oax &= 0xffff
        print('\tdw\t%d, 0x%04x, 0x%04x, 0x%04x, 0x%04x, 0x%04x, 0x%04x, 0x%04x, 0x%04x'
              % (i, fl, ax, dx, b, oax, odx, ofl & mask, mask))
        total += 1
print('alu_table_end:')
print('ALU_CASES\tequ\t%d' % total)
