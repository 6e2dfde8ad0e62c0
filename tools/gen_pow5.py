#!/usr/bin/env python3
"""tools/gen_pow5.py - writes parsers/json/pow5.h, the 128-bit powers of five
used by the JSON number parser's fast double path (Eisel-Lemire).

For each q in [-342, 308], 5^q = m * 2^k with m in [2^127, 2^128). The table
holds m truncated (q >= 0, exact up to q = 55; and q < -27) or rounded up
(-27 <= q < 0), as the Eisel-Lemire error analysis assumes, split
in two 64-bit halves, and floor(log2(10^q)) + 63 for the binary exponent.
Run: python3 tools/gen_pow5.py > parsers/json/pow5.h
"""

QMIN, QMAX = -342, 308


def entry(q):
    if q >= 0:
        v = 5 ** q
        k = v.bit_length() - 128
        m = v >> k if k >= 0 else v << -k
        return m
    d = 5 ** -q
    # Choose b so that 2^b / d lies in [2^127, 2^128).
    b = 127 + d.bit_length()
    m = (1 << b) // d
    while m >= (1 << 128):
        b -= 1
        m = (1 << b) // d
    while m < (1 << 127):
        b += 1
        m = (1 << b) // d
    if q >= -27:
        m += 1  # round up (5^q is never dyadic, so this is the ceiling)
    assert m < (1 << 128)
    return m


def floor_log2_pow10(q):
    # floor(log2(10^q)) computed exactly with integers.
    if q >= 0:
        return (10 ** q).bit_length() - 1
    d = 10 ** -q
    # largest e with 2^e <= 1/d, i.e. -(smallest f with 2^f >= d)
    f = (d - 1).bit_length()
    return -f


def main():
    out = []
    out.append("/*")
    out.append(" * parsers/json/pow5.h - 128-bit powers of five, q in [%d, %d]."
               % (QMIN, QMAX))
    out.append(" *")
    out.append(" * Written by tools/gen_pow5.py; edit that script, not this file.")
    out.append(" * ng__pow5[q - NG__POW5_MIN] = {high, low} 64-bit halves of m, where")
    out.append(" * 5^q = m * 2^k, m in [2^127, 2^128), rounded up for -27 <= q < 0,")
    out.append(" * truncated otherwise. ng__pow10_exp2[q - NG__POW5_MIN] is")
    out.append(" * floor(log2(10^q)) + 63.")
    out.append(" */")
    out.append("#ifndef NG_PARSERS_JSON_POW5_H")
    out.append("#define NG_PARSERS_JSON_POW5_H")
    out.append("")
    out.append("#include <stdint.h>")
    out.append("")
    out.append("#define NG__POW5_MIN (%d)" % QMIN)
    out.append("#define NG__POW5_MAX %d" % QMAX)
    out.append("")
    out.append("/* clang-format off */")
    out.append("static const uint64_t ng__pow5[%d][2] = {" % (QMAX - QMIN + 1))
    for q in range(QMIN, QMAX + 1):
        m = entry(q)
        out.append("    {0x%016xu, 0x%016xu}, /* %d */"
                   % (m >> 64, m & ((1 << 64) - 1), q))
    out.append("};")
    out.append("")
    out.append("static const int16_t ng__pow10_exp2[%d] = {" % (QMAX - QMIN + 1))
    row = []
    for q in range(QMIN, QMAX + 1):
        row.append("%d," % (floor_log2_pow10(q) + 63))
        if len(row) == 10:
            out.append("    " + " ".join(row))
            row = []
    if row:
        out.append("    " + " ".join(row))
    out.append("};")
    out.append("/* clang-format on */")
    out.append("")
    out.append("#endif /* NG_PARSERS_JSON_POW5_H */")
    print("\n".join(out))


if __name__ == "__main__":
    main()
