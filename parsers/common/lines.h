/*
 * parsers/common/lines.h - counting line ends in a run of bytes, for
 * positions that must stay absolute over input that is gone (a stream's
 * consumed windows).
 *
 * Two kinds of lines: "\n" ends a line (JSON), or XML's (1.0 section
 * 2.11) where CR, LF and CR LF each end one. One pass over the bytes
 * counts them, 64 bytes a step with the generic vectors of vec.h where
 * the compiler has them (a byte at a time elsewhere; the results are the
 * same), and the last line end is then found from the end.
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

#endif /* NG_PARSERS_COMMON_LINES_H */
