#!/usr/bin/env python3
"""Oracle 3: an independent exact reference in Python (rational arithmetic), written from the
IEEE 754 / RISC-V rules, used for what x86 cannot check: RMM, and unsigned conversions, min/max.
Checks vector lines "op rm a b c result fflags" for finite-operand arithmetic in all five
rounding modes, float<->int conversions and min/max; prints mismatches and counts.
  python3 test/fpu/pyref.py FILE...
"""
import sys
from fractions import Fraction
from math import isqrt

NX, UF, OF, DZ, NV = 1, 2, 4, 8, 16
FMT = {32: (24, 8), 64: (53, 11)}  # precision, exponent bits


def decode(bits, w):
    p, eb = FMT[w]
    m = p - 1
    s = bits >> (w - 1)
    e = (bits >> m) & ((1 << eb) - 1)
    f = bits & ((1 << m) - 1)
    bias = (1 << (eb - 1)) - 1
    if e == (1 << eb) - 1:
        return s, ('nan' if f else 'inf'), bool(f) and not (f >> (m - 1)) & 1
    if e == 0:
        return s, Fraction(f, 1 << (m + bias - 1)), False
    return s, Fraction(f | (1 << m), 1) * Fraction(2) ** (e - bias - m), False


def rnd(sign, q, w, rm):
    """q > 0 exact magnitude -> (bits, flags)."""
    p, eb = FMT[w]
    bias = (1 << (eb - 1)) - 1
    emin, emax = 1 - bias, bias
    e = q.numerator.bit_length() - q.denominator.bit_length()
    if Fraction(2) ** e > q:
        e -= 1

    def round_at(unit):
        n = q / unit
        fl = n.numerator // n.denominator
        frac = n - fl
        if rm == 0:
            inc = frac > Fraction(1, 2) or (frac == Fraction(1, 2) and fl & 1)
        elif rm == 1:
            inc = False
        elif rm == 2:
            inc = sign and frac > 0
        elif rm == 3:
            inc = (not sign) and frac > 0
        else:
            inc = frac >= Fraction(1, 2)
        return (fl + int(inc)) * unit, frac != 0

    unb, inexact = round_at(Fraction(2) ** (e - p + 1))
    flags = NX if inexact else 0
    if unb >= Fraction(2) ** (emax + 1):
        flags |= OF | NX
        to_inf = rm in (0, 4) or (rm == 2 and sign) or (rm == 3 and not sign)
        mag = ((1 << eb) - 1) << (p - 1) if to_inf else (((1 << eb) - 1) << (p - 1)) - 1
        return (sign << (w - 1)) | mag, flags
    if unb < Fraction(2) ** emin:
        r, inexact = round_at(Fraction(2) ** (emin - p + 1))
        if inexact:
            flags |= UF | NX
    else:
        r = unb
    # encode r
    if r == 0:
        return sign << (w - 1), flags
    er = r.numerator.bit_length() - r.denominator.bit_length()
    if Fraction(2) ** er > r:
        er -= 1
    if er < emin:
        mant = r / Fraction(2) ** (emin - p + 1)
        return (sign << (w - 1)) | int(mant), flags
    mant = r / Fraction(2) ** (er - p + 1)
    return (sign << (w - 1)) | ((er + bias) << (p - 1)) | (int(mant) - (1 << (p - 1))), flags


def signed(q):
    return (1 if q < 0 else 0), abs(q)


def arith(op, w, rm, ops):
    dec = [decode(x, w) for x in ops]
    if any(not isinstance(d[1], Fraction) for d in dec):
        return None  # NaN/inf: left to qemu + x86
    v = [(-d[1] if d[0] else d[1]) for d in dec]
    sg = [d[0] for d in dec]
    if op in ('add', 'sub'):
        b = -v[1] if op == 'sub' else v[1]
        sb = sg[1] ^ (op == 'sub')
        q = v[0] + b
        if q == 0:
            if v[0] == 0 and b == 0 and sg[0] == sb:
                return sg[0] << (w - 1), 0
            return (1 << (w - 1) if rm == 2 else 0), 0
    elif op == 'mul':
        q = v[0] * v[1]
        if q == 0:
            return (sg[0] ^ sg[1]) << (w - 1), 0
    elif op == 'div':
        if v[1] == 0:
            return None
        q = v[0] / v[1]
        if q == 0:
            return (sg[0] ^ sg[1]) << (w - 1), 0
    elif op in ('fma', 'fmsub', 'fnmsub', 'fnmadd'):
        a, b, c = v
        sa, sc = sg[0], sg[2]
        if op in ('fnmsub', 'fnmadd'):
            a, sa = -a, sa ^ 1
        if op in ('fmsub', 'fnmadd'):
            c, sc = -c, sc ^ 1
        q = a * b + c
        if q == 0:
            sp = sa ^ sg[1]
            if a * b == 0 and c == 0 and sp == sc:
                return sp << (w - 1), 0
            return (1 << (w - 1) if rm == 2 else 0), 0
    elif op == 'sqrt':
        if v[0] == 0:
            return ops[0], 0
        if v[0] < 0:
            return None
        # sqrt to 1200 fractional bits plus a sticky epsilon (roots are never ties)
        k = 1200
        n = v[0] * Fraction(2) ** (2 * k)
        N = n.numerator // n.denominator
        r = isqrt(N)
        q = Fraction(r, 1 << k)
        if r * r != n:
            q += Fraction(1, 1 << (k + 8))
    else:
        return None
    s, m = signed(q)
    return rnd(s, m, w, rm)


def to_int(w, rm, a, kind):
    s, val, snan = decode(a, w)
    lo, hi = {'i32': (-2**31, 2**31 - 1), 'u32': (0, 2**32 - 1), 'i64': (-2**63, 2**63 - 1), 'u64': (0, 2**64 - 1)}[kind]
    if val == 'nan':
        r, fl = hi, NV
    elif val == 'inf':
        r, fl = (lo if s else hi), NV
    else:
        x = -val if s else val
        fl_ = x.numerator // x.denominator
        frac = x - fl_
        if frac == 0:
            n = fl_
        elif rm == 0:
            n = fl_ + (1 if frac > Fraction(1, 2) or (frac == Fraction(1, 2) and fl_ & 1) else 0)
        elif rm == 1:
            n = fl_ if x >= 0 else fl_ + 1
        elif rm == 2:
            n = fl_
        elif rm == 3:
            n = fl_ + 1
        else:
            n = fl_ + 1 if frac >= Fraction(1, 2) else fl_
            if x < 0 and frac == Fraction(1, 2):
                n = fl_  # ties away from zero: -2.5 -> -3
        if n < lo or n > hi:
            r, fl = (lo if s else hi), NV
        else:
            r, fl = n, (NX if frac else 0)
    if kind in ('i32', 'u32'):
        r &= 0xFFFFFFFF
        if r >> 31:
            r |= 0xFFFFFFFF00000000
    return r & 0xFFFFFFFFFFFFFFFF, fl


def minmax(w, op, a, b):
    da, db = decode(a, w), decode(b, w)
    nan_a, nan_b = da[1] == 'nan', db[1] == 'nan'
    fl = NV if (da[2] or db[2]) else 0
    canon = 0x7FC00000 if w == 32 else 0x7FF8000000000000
    if nan_a and nan_b:
        return canon, fl
    if nan_a:
        return b, fl
    if nan_b:
        return a, fl

    def key(d):
        s, v, _ = d
        if v == 'inf':
            return (float('-inf') if s else float('inf'), 0)
        return (-v if s else v, -1 if s else 1)
    ka, kb = key(da), key(db)
    if op == 'min':
        return (a if ka <= kb else b), fl
    return (a if ka >= kb else b), fl


def main():
    n = bad = 0
    per = {}
    for path in sys.argv[1:]:
        for line in open(path):
            f = line.split()
            if len(f) != 7:
                continue
            op, rm = f[0], int(f[1])
            a, b, c, res, fl = (int(x, 16) for x in f[2:])
            w = 32 if op.startswith('f32') else 64
            base = op.split('_', 1)[1]
            out = None
            if base in ('add', 'sub', 'mul', 'div', 'sqrt', 'fma', 'fmsub', 'fnmsub', 'fnmadd'):
                nargs = 3 if base in ('fma', 'fmsub', 'fnmsub', 'fnmadd') else 1 if base == 'sqrt' else 2
                out = arith(base, w, rm, [a, b, c][:nargs])
            elif base.startswith('to_') and base[3] in 'iu':
                out = to_int(w, rm, a, base[3:])
            elif base in ('min', 'max'):
                out = minmax(w, base, a, b)
            elif op in ('f64_to_f32',):
                s, v, _ = decode(a, 64)
                if isinstance(v, Fraction) and v != 0:
                    out = rnd(s, v, 32, rm)
            elif op.endswith('_to_f32') or op.endswith('_to_f64'):
                src = op.split('_')[0]
                if src in ('i32', 'u32', 'i64', 'u64'):
                    bits = 32 if src[1:] == '32' else 64
                    x = a & ((1 << bits) - 1)
                    if src[0] == 'i' and x >> (bits - 1):
                        x -= 1 << bits
                    tw = 32 if op.endswith('f32') else 64
                    out = (0, 0) if x == 0 else rnd(1 if x < 0 else 0, Fraction(abs(x)), tw, rm)
            if out is None:
                continue
            n += 1
            per[op] = per.get(op, 0) + 1
            if out != (res, fl):
                bad += 1
                if bad <= 20:
                    print('DIFF', line.strip(), ' ref: %x %02x' % out)
    print('python exact reference: %d vectors checked, %d differ' % (n, bad))
    print(' '.join('%s:%d' % kv for kv in sorted(per.items())))
    sys.exit(1 if bad else 0)


if __name__ == '__main__':
    main()
