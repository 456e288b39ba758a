#!/usr/bin/env python3
"""gen_tcg_native.py: writes the random instruction bodies of tcg_native.asm (80286) and
tcg_native32.asm (80386 real mode, 32-bit operands too).

The body is straight-line code made of the instructions tcg-lite translates to host code
(accel/tcg-lite/tl_native.c): REP MOVS/STOS (tl_string.c) of a few elements up and down,
ALU register, immediate and memory forms of every width, shifts and rotates by an
immediate and by CL (counts of 0 and past the width too), MOVZX/MOVSX and IMUL r, r/m,
TEST, MOV (registers, immediates, memory, moffs), LEA, INC/DEC (both encodings), NOT/NEG,
the seven shifts and rotates by one, PUSH/POP, CALL/RET (also RET imm), JMP and all
sixteen Jcc conditions over an instruction, with memory operands at random (so also odd
and page-crossing) offsets in DS and SS and through segment overrides.  A checkpoint
every few instructions stores FLAGS and the registers into a buffer, so the final RAM
holds the state after each stretch.  The guest's verdict is only that it ends; the check
is tests/tcg/run.sh, which compares that RAM, the registers and the cycle count with the
interpreter's.

Run: python3 gen_tcg_native.py 16 > tcg_native_body.inc
     python3 gen_tcg_native.py 32 > tcg_native32_body.inc  (deterministic: fixed seed)
"""
import random
import sys

ALU = ["add", "or", "adc", "sbb", "and", "sub", "xor", "cmp"]
SHIFTS = ["rol", "ror", "rcl", "rcr", "shl", "shr", "sar"]
CC = ["o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np", "l", "ge", "le", "g"]
R8 = ["al", "cl", "dl", "bl", "ah", "ch", "dh", "bh"]
R16 = ["ax", "cx", "dx", "bx", "bp", "si"]		# not SP, not DI (checkpoint pointer)
R32 = ["eax", "ecx", "edx", "ebx", "ebp", "esi"]
# ModRM encodings of the same registers, for the FE/FF INC/DEC form
RNUM = {"ax": 0, "cx": 1, "dx": 2, "bx": 3, "bp": 5, "si": 6}


class Gen:
    def __init__(self, wide, seed):
        self.wide = wide
        self.rnd = random.Random(seed)
        self.label = 0
        self.out = []

    def emit(self, s):
        self.out.append("\t" + s)

    def lab(self):
        self.label += 1
        return ".n%d" % self.label

    def size(self):
        sizes = [8, 16, 16, 32] if self.wide else [8, 16, 16]
        return self.rnd.choice(sizes)

    def reg(self, sz):
        return self.rnd.choice({8: R8, 16: R16, 32: R32}[sz])

    def imm(self, sz):
        r = self.rnd.random()
        if r < 0.2:
            return self.rnd.choice([0, 1, 0x7f, 0x80, 0xff, (1 << sz) - 1, 1 << (sz - 1)])
        return self.rnd.getrandbits(sz)

    def mem(self, sz, store):
        """a random 16-bit addressing memory operand with a size and maybe an override"""
        ovr = self.rnd.choice(["", "", "", "ss:", "ds:", "es:"] + ([] if store else ["cs:"]))
        kw = {8: "byte", 16: "word", 32: "dword"}[sz]
        return "%s [%s%s]" % (kw, ovr, self.ea())

    def ea(self):
        """a random 16-bit effective address"""
        base = self.rnd.choice(["bx+si", "bx+di", "bp+si", "bp+di", "si", "di", "bp", "bx",
                                ""])
        r = self.rnd.random()
        if base == "":
            disp = "0x%x" % self.rnd.getrandbits(16)
        elif r < 0.3:
            disp = None
        elif r < 0.6:
            disp = "%d" % self.rnd.randint(-128, 127)
        else:
            disp = "0x%x" % self.rnd.getrandbits(16)
        ea = base if disp is None else (disp if base == "" else "%s+%s" % (base, disp))
        if ea == "bp":
            ea = "bp+0"
        return ea

    def simple(self):
        """one instruction that does not use the stack or branch"""
        k = self.rnd.choice(list(range(20 if self.wide else 18)) + [14, 17, 17, 17])
        sz = self.size()
        if k == 0:
            self.emit("%s %s, %s" % (self.rnd.choice(ALU), self.reg(sz), self.reg(sz)))
        elif k == 1:
            op = self.rnd.choice(ALU)
            v = self.imm(sz)
            if sz > 8 and self.rnd.random() < 0.5:
                v = self.rnd.randint(-128, 127) & ((1 << sz) - 1)	# the 83h form
                self.emit("%s %s, 0x%x" % (op, self.reg(sz), v))
            else:
                self.emit("%s %s, strict %s 0x%x" % (op, self.reg(sz),
                          {8: "byte", 16: "word", 32: "dword"}[sz], v))
        elif k == 2:
            acc = {8: "al", 16: "ax", 32: "eax"}[sz]
            self.emit("%s %s, strict %s 0x%x" % (self.rnd.choice(ALU), acc,
                      {8: "byte", 16: "word", 32: "dword"}[sz], self.imm(sz)))
        elif k == 3:
            op = self.rnd.choice(ALU)
            if self.rnd.random() < 0.5:
                self.emit("%s %s, %s" % (op, self.reg(sz), self.mem(sz, False)))
            else:
                self.emit("%s %s, %s" % (op, self.mem(sz, op != "cmp"), self.reg(sz)))
        elif k == 4:
            op = self.rnd.choice(ALU)
            self.emit("%s %s, 0x%x" % (op, self.mem(sz, op != "cmp"), self.imm(sz)))
        elif k == 5:
            r = self.rnd.random()
            if r < 0.4:
                self.emit("test %s, %s" % (self.reg(sz), self.reg(sz)))
            elif r < 0.6:
                self.emit("test %s, 0x%x" % (self.reg(sz), self.imm(sz)))
            elif r < 0.8:
                acc = {8: "al", 16: "ax", 32: "eax"}[sz]
                self.emit("test %s, 0x%x" % (acc, self.imm(sz)))
            else:
                self.emit("test %s, %s" % (self.mem(sz, False), self.reg(sz)))
        elif k == 6:
            self.emit("mov %s, %s" % (self.reg(sz), self.reg(sz)))
        elif k == 7:
            self.emit("mov %s, 0x%x" % (self.reg(sz), self.imm(sz)))
        elif k == 8:
            self.emit("mov %s, %s" % (self.reg(sz), self.mem(sz, False)))
        elif k == 9:
            self.emit("mov %s, %s" % (self.mem(sz, True), self.reg(sz)))
        elif k == 10:
            r = self.rnd.random()
            acc = {8: "al", 16: "ax", 32: "eax"}[sz]
            if r < 0.4:
                self.emit("mov %s, 0x%x" % (self.mem(sz, True), self.imm(sz)))
            elif r < 0.7:
                self.emit("mov %s, [0x%x]" % (acc, self.rnd.getrandbits(16)))
            else:
                self.emit("mov [0x%x], %s" % (self.rnd.getrandbits(16), acc))
        elif k == 11:
            self.emit("%s %s" % (self.rnd.choice(["inc", "dec"]), self.reg(sz)))
        elif k == 12:
            # the FE/FF encodings of INC/DEC r (NASM picks 40h-4Fh for words)
            r16 = self.rnd.choice(R16)
            pre = "db 0x66, " if sz == 32 else "db "
            self.emit("%s0xff, 0x%x" % (pre, 0xc0 + 8 * self.rnd.randrange(2) + RNUM[r16]))
        elif k == 13:
            self.emit("%s %s" % (self.rnd.choice(["not", "neg"]), self.reg(sz)))
        elif k == 14:
            self.emit("%s %s, 1" % (self.rnd.choice(SHIFTS), self.reg(sz)))
            self.probe()
        elif k == 15:
            sz = 32 if self.wide and self.rnd.random() < 0.3 else 16
            self.emit("lea %s, [%s]" % (self.reg(sz), self.ea()))
        elif k == 16:
            if self.rnd.random() < 0.5:
                self.emit("xor %s, %s" % (self.reg(sz), self.mem(sz, True)))
            else:
                self.emit("%s %s" % (self.rnd.choice(["inc", "dec"]), self.mem(sz, True)))
        elif k == 17:
            # by an immediate (0, past the width and the 5-bit mask too) or by CL
            op = self.rnd.choice(SHIFTS)
            if self.rnd.random() < 0.5:
                n = self.rnd.choice([0, 1, 2, 3, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33])
                self.emit("%s %s, byte %d" % (op, self.reg(sz), n))
            else:
                if self.rnd.random() < 0.5:
                    self.emit("mov cl, %d" % self.rnd.choice([0, 1, 2, 4, 7, 8, 15, 16, 31, 33]))
                self.emit("%s %s, cl" % (op, self.reg(sz)))
            self.probe()
        elif k == 18:
            src = self.rnd.choice([8, 16])
            dst = self.rnd.choice([16, 32]) if src == 8 else 32
            if self.rnd.random() < 0.5:
                rm = self.reg(src)
                self.emit("mov %s, 0x%x" % (rm, self.imm(src)))
            else:
                rm = self.mem(src, False)
            self.emit("%s %s, %s" % (self.rnd.choice(["movzx", "movsx"]), self.reg(dst), rm))
        else:
            sz = self.rnd.choice([16, 32])
            rm = self.reg(sz) if self.rnd.random() < 0.6 else self.mem(sz, False)
            self.emit("imul %s, %s" % (self.reg(sz), rm))

    def string(self):
        """REP MOVS/STOS of a few elements, either direction (DI saved)"""
        sz = self.size()
        self.emit("push di")
        self.emit("mov di, 0x%x" % self.rnd.getrandbits(16))
        self.emit("mov cx, %d" % self.rnd.choice([0, 1, 2, 3, 7, 16, 33, 64]))
        if self.rnd.random() < 0.3:
            self.emit("std")
        op = self.rnd.choice(["movs", "stos"])
        if op == "movs" and self.rnd.random() < 0.3:
            self.emit("%s rep movs%s" % (self.rnd.choice(["ss", "cs", "es"]),
                                         {8: "b", 16: "w", 32: "d"}[sz]))
        else:
            self.emit("rep %s%s" % (op, {8: "b", 16: "w", 32: "d"}[sz]))
        self.emit("cld")
        self.emit("pop di")

    def indirect(self):
        """CALL/JMP through a register or a word in memory (FF /2, /4)"""
        k = self.rnd.randrange(4)
        r = self.rnd.choice([x for x in R16 if x != "si"])
        if k == 0:
            self.emit("mov %s, sub_shl" % r)
            self.emit("call %s" % r)
        elif k == 1:
            self.emit("mov word [si+0x20], sub_shl")
            self.emit("call word [si+0x20]")
        else:
            l = self.lab()
            if k == 2:
                self.emit("mov %s, %s" % (r, l))
                self.emit("jmp %s" % r)
            else:
                self.emit("mov word [si+0x22], %s" % l)
                self.emit("jmp word [si+0x22]")
            self.simple()
            self.out.append(l + ":")

    def flow(self):
        k = self.rnd.randrange(10)
        if k == 0:
            l = self.lab()
            near = "near " if self.wide and self.rnd.random() < 0.4 else ""
            self.emit("j%s %s%s" % (self.rnd.choice(CC), near, l))
            self.simple()
            self.out.append(l + ":")
        elif k == 1:
            l = self.lab()
            self.emit("jmp %s%s" % ("short " if self.rnd.random() < 0.5 else "near ", l))
            self.simple()
            self.out.append(l + ":")
        elif k == 2:
            sz = 32 if self.wide and self.rnd.random() < 0.4 else 16
            self.emit("push %s" % self.reg(sz))
            self.simple()
            self.emit("pop %s" % self.reg(sz))
        elif k == 3:
            self.emit("call sub_shl")
        elif k == 4:
            self.emit("push %s" % self.reg(16))
            self.emit("call sub_ret2")
        elif k == 5:
            self.string()
        elif k == 6:
            self.indirect()
        elif k == 7:
            self.emit("push %s" % self.mem(16, False))
            self.simple()
            self.emit("pop %s" % self.reg(16))
        else:
            self.simple()

    def probe(self):
        """FLAGS now into the checkpoint's spare word (shifts: their OF and AF)"""
        self.emit("pushf")
        self.emit("pop word [es:di+%d]" % (26 if self.wide else 14))

    def checkpoint(self):
        self.emit("pushf")
        self.emit("pop word [es:di]")
        regs = R32 if self.wide else R16
        off = 2
        for r in regs:
            self.emit("mov [es:di+%d], %s" % (off, r))
            off += 4 if self.wide else 2
        self.emit("add di, %d" % CKPT_BYTES[self.wide])


CKPT_BYTES = {False: 16, True: 32}


def main():
    wide = len(sys.argv) > 1 and sys.argv[1] == "32"
    g = Gen(wide, 6 if not wide else 32)
    n_ckpt = 0
    for _ in range(160):
        for _ in range(g.rnd.randint(1, 4)):
            if g.rnd.random() < 0.25:
                g.flow()
            else:
                g.simple()
        g.checkpoint()
        n_ckpt += 1
    print("; generated by gen_tcg_native.py %s: do not edit" % ("32" if wide else "16"))
    print("CKPT_BYTES\tequ\t%d" % CKPT_BYTES[wide])
    print("CKPT_COUNT\tequ\t%d" % n_ckpt)
    print("\n".join(g.out))


main()
