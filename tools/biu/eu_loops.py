"""The data-dependent clocks of the 8086 microcode loops, for
gen-biu-table.py; cpu/x86-interp/x86i_biu_loops.c computes the same in C
(keep the two in step).

Each function returns the clocks of the routine's data-dependent path, as
the microcode listing (Ken Shirriff's and reenigne's disassemblies of the
8086 microcode ROM) walks it: a taken microcode jump costs a clock, the
multiply loop (CORX) adds only for 1 bits of the multiplier, the divide
loop (CORD) takes one of three paths per quotient bit, the signed forms
negate operands and result on the way (NEGATE, PREIMUL, PREIDIV,
POSTIDIV), and the flags check at the end branches on the upper half.
Only differences between tests matter (the table keeps the constant part),
but the values are the routines' whole clocks so that the C side can be
checked against them.

A REP prefix sets the microcode's F1 flag, which makes MUL/IMUL/DIV/IDIV
negate their result (the 8086 quirk); its clocks are counted too.
"""


def _msb(x, n):
    return (x >> (n - 1)) & 1


def negate_tail(b, n):
    """NEGATE from its line 7: tests tmpb's sign and negates it.
    Returns (clocks, tmpb, flipped)."""
    if _msb(b, n):
        return 5, (-b) & ((1 << n) - 1), 1
    return 6, b, 0


def corx(b, c, n):
    """The multiply loop: tmpc * tmpb, n bits.  Returns (clocks, hi, lo)."""
    mask = (1 << n) - 1
    t = 2
    carry = c & 1
    c = c >> 1          # the bit rotated in at the top is never tested
    acc = 0
    for i in range(n):
        t += 1
        if carry:
            s = acc + b
            carry = s >> n
            acc = s & mask
            t += 2
        else:
            t += 1
        nc = acc & 1
        acc = (acc >> 1) | (carry << (n - 1))
        carry = nc
        nc = c & 1
        c = (c >> 1) | (carry << (n - 1))
        carry = nc
        t += 3 + (1 if i < n - 1 else 0)
    return t + 2, acc, c & mask


def mul(a, b, n, signed, rep):
    """MUL/IMUL of AL/AX (a) by the operand (b)."""
    mask = (1 << n) - 1
    t = 2
    neg = rep
    if signed:
        t += 3
        if _msb(a, n):
            a = (-a) & mask
            neg ^= 1
            t += 3
        else:
            t += 1
        dt, b, f = negate_tail(b, n)
        t += dt
        neg ^= f
    t += 2
    dt, hi, lo = corx(b, a, n)
    t += dt + 1
    if neg:
        # NEGATE from the top: the 2n-bit product, then tmpb again.
        full = (-((hi << n) | lo)) & ((1 << 2 * n) - 1)
        hi, lo = full >> n, full & mask
        dt, b, f = negate_tail(b, n)
        t += 1 + 5 + dt
    t += 1
    if signed:
        t += 4 + (4 if ((hi + _msb(lo, n)) & mask) == 0 else 3) + 2
    else:
        t += 6 + (4 if hi == 0 else 3)
    return t


def cord(a, b, c, n):
    """The divide loop: tmpa:tmpc / tmpb.  Returns (clocks, overflow,
    quotient-complement, remainder, carry-out)."""
    mask = (1 << n) - 1
    t = 3
    if a >= b:
        return t + 1, True, 0, 0, 0
    carry = 1
    for i in range(n):
        nc = c >> (n - 1)
        c = ((c << 1) | carry) & mask
        carry = nc
        nc = a >> (n - 1)
        a = ((a << 1) | carry) & mask
        carry = nc
        diff = a - b
        borrow = 1 if diff < 0 else 0
        sigma = diff & mask
        t += 4
        last = i == n - 1
        if carry:
            a = sigma
            carry = 0
            t += 3 + (2 if last else 1)
        else:
            t += 2
            carry = borrow
            if not carry:
                a = sigma
                t += 2 + (2 if last else 1)
            else:
                t += 1 + (0 if last else 1)
    nc = c >> (n - 1)
    c = ((c << 1) | carry) & mask
    carry = nc
    carry = c >> (n - 1)
    return t + 4, False, c, a, carry


def div(num, b, n, signed, rep):
    """DIV/IDIV of DX:AX / AX (num, 2n bits) by the operand (b).  Returns
    (clocks, overflow)."""
    mask = (1 << n) - 1
    a, c = num >> n, num & mask
    t = 3
    neg = rep
    if signed:
        t += 3
        if _msb(a, n):
            full = (-num) & ((1 << 2 * n) - 1)
            a, c = full >> n, full & mask
            neg ^= 1
            t += 5
        else:
            t += 1
        dt, b, f = negate_tail(b, n)
        t += dt
        neg ^= f
    t += 2
    dt, ovf, q, r, carry = cord(a, b, c, n)
    t += dt
    if ovf:
        return t, True
    t += 2
    if signed:
        t += 2
        if not carry:
            return t + 1, True
        t += 3 + 1 + 2 + 1 + 2
    return t, False


def aam(al, imm):
    """AAM: AL / imm with the divide loop (0 divides: overflow)."""
    dt, ovf, _, _, _ = cord(0, imm, al, 8)
    return dt, ovf


def aad(ah, imm):
    """AAD: AH * imm with the multiply loop (the multiplier is imm)."""
    return corx(ah, imm, 8)[0]
