/*
 * parsers/common/lines.h - counting line ends in a run of bytes, for
 * positions that must stay absolute over input that is gone (a stream's
 * consumed windows).
 *
 * Two kinds of lines: "\n" ends a line (JSON), or XML's (1.0 section
 * 2.11) where CR, LF and CR LF each end one. Both count 64 bytes a step
 * with SSE2 where the compiler has it, a byte at a time elsewhere; the
 * results are the same.
 */
#ifndef NG_PARSERS_COMMON_LINES_H
#define NG_PARSERS_COMMON_LINES_H

#include <stddef.h>

/* The "\n" bytes in s[0..n). */
size_t ng__lines_lf(const char *s, size_t n);

/*
 * XML's line ends in s[0..n): every CR, and every LF not right after a CR.
 * cr_before: the byte before s[0] was a CR (its LF then ends nothing).
 */
size_t ng__lines_xml(const char *s, size_t n, int cr_before);

/* 1 + the offset of the last "\n" (crlf: or CR) in s[0..n); 0 if none. */
size_t ng__lines_last(const char *s, size_t n, int crlf);

#endif /* NG_PARSERS_COMMON_LINES_H */
