/*
 * parsers/common/offmap.h - offsets in decoded text back to the input.
 *
 * A front end that transcodes its input to UTF-8 before lexing (XML in
 * UTF-16, Latin-1, ...) must still report errors as byte offsets into the
 * ORIGINAL input. While it transcodes, it records checkpoints: a decoded
 * offset at a character boundary and the original offset of the same
 * character. A lookup starts at the last checkpoint at or before the decoded
 * offset and walks the characters in between with the map's step function,
 * which tells from a character's first decoded byte how many original and
 * decoded bytes it takes. Encoders add a checkpoint when one is due (at most
 * one per m->every decoded bytes, NG__OFFMAP_EVERY unless a front end that
 * looks up often lowers it) and wherever their step function could not
 * tell otherwise (e.g. where iconv's bytes per character change); the
 * `unit` stored with a checkpoint is passed to the step function for the
 * characters that follow it.
 *
 * A map with no step function is the identity between checkpoints; with no
 * checkpoint either it is the identity plus a fixed shift (UTF-8 read in
 * place after a 3-byte BOM: shift 3). A NULL map is the identity.
 *
 * Lookups read the decoded text only BEFORE the offset asked about, so they
 * work when the text is available only up to the error position; a stream
 * that keeps only the text from its position on rebases the map there
 * (ng__offmap_rebase) and appends each chunk's (ng__offmap_append). They
 * cost O(log checkpoints + m->every) when the encoder adds every checkpoint
 * that falls due (parsers/xml/encoding.c does), and are thread-safe on a
 * map no one is changing. Memory: one 24-byte checkpoint per m->every
 * decoded bytes for native encoders (512 in a one-shot parse), plus one
 * per change of the original bytes per character for iconv.
 */
#ifndef NG_PARSERS_COMMON_OFFMAP_H
#define NG_PARSERS_COMMON_OFFMAP_H

#include <stddef.h>

#include "internal.h"

/* Decoded bytes between periodic checkpoints (bounds a lookup's walk). */
#define NG__OFFMAP_EVERY 512

/*
 * Measures the decoded character whose first byte is dec[0]: stores the
 * original bytes it came from in *orig_n and its decoded bytes (at least 1)
 * in *dec_n. It may read dec[0] only. unit is the value stored with the
 * checkpoint the walk started from.
 */
typedef void (*ng__offmap_step)(const unsigned char *dec, size_t unit,
                                size_t *orig_n, size_t *dec_n);

typedef struct ng__offmap_cp {
  size_t dec;  /* decoded offset of a character boundary */
  size_t orig; /* original offset of the same character */
  size_t unit; /* passed to the step function from here on */
} ng__offmap_cp;

typedef struct ng__offmap {
  ng__offmap_cp *cp;    /* checkpoints, dec increasing; NULL when none */
  size_t n;             /* checkpoints in use */
  size_t cap;           /* checkpoints allocated */
  size_t due;           /* decoded offset at which the next one is due */
  size_t every;         /* decoded bytes between periodic checkpoints:
                           NG__OFFMAP_EVERY, or less for shorter walks */
  size_t shift;         /* original offset of decoded offset 0 */
  ng__offmap_step step; /* NULL: identity between checkpoints */
  const ng_alloc *alc;  /* allocator of cp; NULL: libc */
} ng__offmap;

/*
 * Prepares an empty map (allocates nothing): decoded offset 0 is original
 * offset `shift`; step may be NULL (identity). Periodic checkpoints fall
 * every NG__OFFMAP_EVERY decoded bytes (m->every, which a front end that
 * looks up often may lower before the first is added).
 */
void ng__offmap_init(ng__offmap *m, const ng_alloc *alc, size_t shift,
                     ng__offmap_step step);

/*
 * Records that decoded offset dec (a character boundary, not below the last
 * checkpoint's) is original offset orig, with `unit` for the step function.
 * A checkpoint at the same dec as the last one replaces it. Returns NG_OK or
 * NG_ENOMEM (map unchanged).
 */
int ng__offmap_add(ng__offmap *m, size_t dec, size_t orig, size_t unit);

/* True when an encoder at decoded offset dec should add a checkpoint. */
NG_INLINE int ng__offmap_due(const ng__offmap *m, size_t dec) {
  return dec >= m->due;
}

/* Releases the checkpoints; the map is empty (and still usable) after. */
void ng__offmap_free(ng__offmap *m);

/*
 * The original offset of decoded offset off. dec is the decoded text; only
 * dec[0..off) is read. An offset inside a character's decoded bytes maps to
 * the character's first original byte. m may be NULL (identity).
 */
size_t ng__offmap_orig(const ng__offmap *m, const unsigned char *dec,
                       size_t off);

/*
 * The checkpoint an encoder would add at decoded offset off (a character
 * boundary): its original offset and the unit in effect there. Reads
 * dec[0..off) as ng__offmap_orig does.
 */
void ng__offmap_at(const ng__offmap *m, const unsigned char *dec, size_t off,
                   ng__offmap_cp *cp);

/*
 * Forgets the text before cp->dec (cp from ng__offmap_at on m): decoded
 * offsets count from there on, cp being the checkpoint at the new 0. m
 * must have a checkpoint at or before cp->dec (then nothing is allocated).
 * For a front end that keeps only the text not consumed yet (a stream).
 */
void ng__offmap_rebase(ng__offmap *m, const ng__offmap_cp *cp);

/*
 * Appends the checkpoints of src, whose text follows m's at decoded offset
 * at (src's offsets move `at` on; src's first should be at its 0). NG_OK or
 * NG_ENOMEM (m keeps what was appended before).
 */
int ng__offmap_append(ng__offmap *m, const ng__offmap *src, size_t at);

/*
 * XML position of decoded offset off (XML 1.0 section 2.11): *line is 1 +
 * the line ends in dec[0..off), where CR, LF and CR LF each end one line;
 * *col is 1 + the ORIGINAL bytes from the line's first character to off
 * (the first line starts at decoded offset 0, after any BOM). An offset at
 * the LF of a CR LF reads as column 1 of the line after the pair (its CR
 * ended the line). Reads dec[0..off) once.
 */
void ng__offmap_linecol(const ng__offmap *m, const unsigned char *dec,
                        size_t off, size_t *line, size_t *col);

/*
 * Fills *err (may be NULL) for an error found at decoded offset off:
 * original offset, XML line and column as above, depth and msg (NULL: the
 * code's text). Returns code, for `return ng__offmap_error(...)`.
 */
int ng__offmap_error(ng_error *err, int code, const ng__offmap *m,
                     const unsigned char *dec, size_t off, size_t depth,
                     const char *msg);

#endif /* NG_PARSERS_COMMON_OFFMAP_H */
