/*
 * fuzz/gen/gen_nesting.h - adversarial nesting documents on demand.
 *
 * Deep and unbalanced nesting is the input class that crashes parsers;
 * big instances are too large to commit, so tests, benchmarks and fuzz
 * seeds generate them at run time from a (kind, depth, width, string
 * length, seed) spec. This file is the one generator behind:
 *   - `nestguard gen` (tools/cli_gen.c; tools/gen_nesting.c compiles this
 *     source into the CLI);
 *   - the fuzz tool build/fuzz/tools/gen_nesting (usage in gen_nesting.c);
 *   - C callers: #define NG_GEN_NO_MAIN and #include "fuzz/gen/gen_nesting.c"
 *     (tests do this; no library to link), or compile the .c with
 *     -DNG_GEN_NO_MAIN into your program.
 * "depth" always counts containers: "[[]]" has depth 2, "<a><a/></a>"
 * too, so a document of depth N sits exactly at a max_depth of N. The
 * generator streams: ng_gen_stream() holds one small buffer whatever the
 * depth, width or string length, so a 1e8-deep document costs 200 MB of
 * output and a few KiB of memory.
 */
#ifndef NG_FUZZ_GEN_NESTING_H
#define NG_FUZZ_GEN_NESTING_H

#include <stddef.h>
#include <stdint.h>

typedef enum ng_gen_kind {
  NG_GEN_ARRAYS,      /* [[[ ... ]]] (XML: <a><a>...</a></a>) */
  NG_GEN_OBJECTS,     /* {"a":{"a": ... {} ... }} */
  NG_GEN_ALTERNATING, /* [{"a":[{"a": ... }]}] (XML: <a><b><a>...) */
  NG_GEN_UNCLOSED,    /* depth opens, no closes: end of input at depth */
  NG_GEN_OVERCLOSED,  /* depth opens, depth + width closes */
  NG_GEN_MISMATCHED,  /* arrays whose innermost close is the wrong kind */
  NG_GEN_DEEP_WIDE,   /* depth levels, then width scalars at the bottom */
  NG_GEN_WIDE_DEEP,   /* width siblings, each depth levels deep */
  NG_GEN_LONG_STRING, /* a string of strlen bytes at the bottom */
  /* Seeded kinds, JSON only (XML: ng_gen_stream refuses them). */
  NG_GEN_MIXED,      /* each level an array or an object, chosen by seed */
  NG_GEN_UNBALANCED, /* mixed levels, then one defect chosen by seed: the
                        input ends inside a level, one close is the wrong
                        kind (the close count still balances), or one
                        close too many; depth is reached either way */
  NG_GEN_STRINGS,    /* mixed levels each holding a seeded string (escapes,
                        \u, UTF-8, brackets) as an element or a key; a
                        seeded string of strlen bytes at the bottom */
  NG_GEN_KIND_COUNT
} ng_gen_kind;

typedef enum ng_gen_format { NG_GEN_JSON, NG_GEN_XML } ng_gen_format;

typedef struct ng_gen_spec {
  ng_gen_kind kind;     /* shape */
  ng_gen_format format; /* JSON or XML */
  size_t depth;         /* containers; 0 yields a bare scalar */
  size_t width;         /* siblings (DEEP_WIDE, WIDE_DEEP), extra closes
                           (OVERCLOSED); 0 means 1 */
  size_t strlen;        /* LONG_STRING, STRINGS: bytes in the innermost
                           string (between its quotes) */
  uint64_t seed;        /* seeded kinds: which document of the shape;
                           ignored by the others, which have one */
} ng_gen_spec;

/* "arrays", "objects", ... or NULL for an invalid kind. */
const char *ng_gen_kind_name(ng_gen_kind k);

/* Kind for a name; returns 0, or -1 for an unknown name. */
int ng_gen_kind_from_name(const char *name, ng_gen_kind *out);

/* 1 if the kind can be written in the format, else 0. */
int ng_gen_kind_has_format(ng_gen_kind k, ng_gen_format f);

/*
 * Receives the document in order, in pieces of at most NG_GEN_CHUNK
 * bytes. Returns 0 to go on; a nonzero value (use a positive one, such as
 * an errno value) stops the generation, and ng_gen_stream returns it.
 */
typedef int (*ng_gen_sink)(void *ud, const char *data, size_t len);

#define NG_GEN_CHUNK 16384 /* ng_gen_stream's buffer, on its stack */

/*
 * Streams the document of spec s to sink. Memory use is the one buffer,
 * whatever the sizes in s; the output is a function of s alone (the same
 * spec always yields the same bytes). Returns 0, -1 for an invalid spec
 * (unknown kind or format, a seeded kind in XML), or the sink's nonzero
 * value. Thread-safe: no state outside the call.
 */
int ng_gen_stream(const ng_gen_spec *s, ng_gen_sink sink, void *ud);

/*
 * Builds the document in a malloc'd buffer *out (NUL-terminated for
 * convenience; *len excludes the NUL). Free with free(). Returns 0, or -1
 * for an invalid spec, out of memory or a size that would overflow.
 */
int ng_gen_nesting(const ng_gen_spec *s, char **out, size_t *len);

/*
 * Writes the standard adversarial seed set into directory dir (which must
 * exist): every kind the format has at depths 1..64 and at limit-1, limit,
 * limit+1 for the given limit (e.g. 10000), long strings at depth. Returns
 * the number of files written, or -1 (errno set) on an I/O or memory error.
 */
int ng_gen_seed_set(const char *dir, ng_gen_format format, size_t limit);

#endif /* NG_FUZZ_GEN_NESTING_H */
