/*
 * parsers/common/lines.h - counting line ends in a run of bytes, for
 * positions that must stay absolute over input that is gone (a stream's
 * consumed windows).
 *
 * Two kinds of lines: "\n" ends a line (JSON), or XML's (1.0 section
 * 2.11) where CR, LF and CR LF each end one. One pass over the bytes
 * counts them, 64 bytes a step with the generic vectors of vec.h where
 * the compiler has them, 256 with AVX2 where the CPU has that too (a
 * byte at a time elsewhere; the results are the same), and the last line
 * end is then found from the end.
 */
#ifndef NG_PARSERS_COMMON_LINES_H
#define NG_PARSERS_COMMON_LINES_H

#include <stddef.h>

/*
 * The line ends in s[0..n): returns how many, and sets *after to 1 + the
 * offset of the last "\n" (crlf: or CR) in s[0..n), 0 if there is none.
 * crlf 0: every "\n" ends a line. crlf 1: XML's, every CR and every LF not
 * right after a CR; cr_before: the byte before s[0] was a CR (its LF then
 * ends nothing, but it is still the last line end if no other follows).
 */
size_t ng__lines_count(const char *s, size_t n, int crlf, int cr_before,
                       size_t *after);

/* The ways ng__lines_count may take, each faster than the one before:
 * a byte at a time, vec.h's 16-byte vectors, 32-byte AVX2 vectors. */
enum { NG__LINES_BYTES, NG__LINES_VEC, NG__LINES_AVX2 };

/*
 * The fastest way this build and CPU have: the one ng__lines_count takes.
 * Chosen on the first call; thread-safe.
 */
int ng__lines_best(void);

/*
 * ng__lines_count by the given way (for the tests, which compare them);
 * one above ng__lines_best() takes that.
 */
size_t ng__lines_count_by(int path, const char *s, size_t n, int crlf,
                          int cr_before, size_t *after);

#endif /* NG_PARSERS_COMMON_LINES_H */
