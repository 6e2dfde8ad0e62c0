/*
 * fuzz/mutator/nestmut.h - a nesting-aware, format-agnostic mutator.
 *
 * Generic fuzzers find deep nesting only by luck: a havoc stage that
 * duplicates a few bytes needs thousands of lucky steps to build 10,000
 * levels. This mutator edits nesting on purpose. It knows a format only as
 * a list of open/close token pairs (JSON: "[" "]" and "{" "}"; XML: "<a>"
 * "</a>", ...), an optional quote byte whose strings hide tokens, and the
 * depth limits of the parser under test, and makes these edits:
 *
 *   repeat   a run of open tokens x10 ... x100,000, balanced or not
 *   wrap     a value (or the whole input) in N containers
 *   depth    wrap so the nesting is exactly limit-1, limit or limit+1
 *   cut      remove part of a run of closing tokens (unbalanced)
 *   dup      duplicate a run of closing tokens (over-closed)
 *   splice   put a value at the deepest point of another input
 *   swap     replace a close (or open) with another pair's (mismatch)
 *   widen    repeat a container many times next to itself (deep-then-wide)
 *   trunc    cut the input right after an open token deep inside
 *
 * The core below has no fuzzer dependency. fuzz/mutator/afl.c wraps it as
 * an AFL++ custom mutator (AFL_CUSTOM_MUTATOR_LIBRARY), and
 * fuzz/mutator/libfuzzer.c as LLVMFuzzerCustomMutator. docs/fuzzing.md
 * shows how to point it at another project's parser.
 *
 * Not thread-safe: one ng_nestmut per fuzzer instance.
 */
#ifndef NG_FUZZ_NESTMUT_H
#define NG_FUZZ_NESTMUT_H

#include <stddef.h>
#include <stdint.h>

#define NG_NESTMUT_MAX_PAIRS 16  /* open/close pairs in a configuration */
#define NG_NESTMUT_MAX_TOKEN 64  /* bytes in one token */
#define NG_NESTMUT_MAX_DEPTHS 16 /* limits to aim at */

/* A byte string; may contain any byte. */
typedef struct ng_nestmut_tok {
  unsigned char b[NG_NESTMUT_MAX_TOKEN]; /* the bytes */
  size_t n;                              /* how many; 0 = unset */
} ng_nestmut_tok;

/* One kind of container. */
typedef struct ng_nestmut_pair {
  ng_nestmut_tok open;  /* recognised in input as a container's start */
  ng_nestmut_tok close; /* recognised as its end */
  ng_nestmut_tok wrap;  /* written to open a new container around a value,
                           e.g. {"": for a JSON object; defaults to open */
} ng_nestmut_pair;

typedef struct ng_nestmut_config {
  ng_nestmut_pair pair[NG_NESTMUT_MAX_PAIRS]; /* container kinds */
  size_t npairs;                              /* at least 1 */
  ng_nestmut_tok sep; /* written between siblings by "widen"; may be empty */
  int quote;          /* byte delimiting strings that hide tokens; -1 none */
  int escape;         /* byte escaping the next one in a string; -1 none */
  size_t depth[NG_NESTMUT_MAX_DEPTHS]; /* limits of the target: the "depth"
                                          edit aims at each one -1, 0, +1 */
  size_t ndepths;                      /* entries in depth */
  size_t max_repeat;  /* largest repeat / wrap count (default 100,000) */
  size_t count;       /* edits per corpus entry the AFL++ glue asks for
                         (afl_custom_fuzz_count; default 64) */
  unsigned xml_edits; /* percent of edits made by the XML tag and entity
                         edits (xmlmut.h); XML preset 50, JSON 0 */
} ng_nestmut_config;

/* Presets. JSON: [ ] and { } (wrap {"":), sep ",", quote '"', escape '\',
 * depths 10000 (nestguard's default max_depth). XML: <a> </a>, <b> </b>,
 * no quote, no sep, depths 10000, half the edits XML tag and entity
 * edits (fuzz/mutator/xmlmut.h). */
void ng_nestmut_config_json(ng_nestmut_config *c);
void ng_nestmut_config_xml(ng_nestmut_config *c);

/*
 * Applies the NESTMUT_* environment variables on top of *c (see
 * docs/fuzzing.md): NESTMUT_FORMAT=json|xml (preset), NESTMUT_PAIRS,
 * NESTMUT_SEP, NESTMUT_QUOTE, NESTMUT_ESCAPE, NESTMUT_DEPTHS,
 * NESTMUT_MAX_REPEAT. Returns 0, or -1 with a message in err.
 */
int ng_nestmut_config_env(ng_nestmut_config *c, char *err, size_t errlen);

/*
 * Replaces c's pairs with a spec: entries separated by spaces, each
 * "open|close" or "open|close|wrap". Escapes: \s space, \| bar, \\, \n,
 * \t, \xHH. Example (JSON): "[|] {|}|{\"\":". Returns 0 or -1.
 */
int ng_nestmut_parse_pairs(ng_nestmut_config *c, const char *spec);

typedef struct ng_nestmut ng_nestmut;

/* A mutator with a copy of *c, seeded. NULL on out of memory. */
ng_nestmut *ng_nestmut_new(const ng_nestmut_config *c, uint64_t seed);

/* Frees m and its buffers. NULL is a no-op. */
void ng_nestmut_free(ng_nestmut *m);

/*
 * Makes one nesting edit of in[0..len), using add[0..addlen) (another
 * corpus entry; may be NULL) for splices. Stores the result in *out (owned
 * by m, valid until the next call) and returns its length, at most
 * max_size; returns 0 when no edit fit (out of memory or max_size).
 */
size_t ng_nestmut_mutate(ng_nestmut *m, const uint8_t *in, size_t len,
                         const uint8_t *add, size_t addlen, size_t max_size,
                         uint8_t **out);

/* Short name of the last edit, e.g. "nest-wrap-x4096". */
const char *ng_nestmut_describe(const ng_nestmut *m);

/* The configuration m runs with. */
const ng_nestmut_config *ng_nestmut_config_of(const ng_nestmut *m);

#endif /* NG_FUZZ_NESTMUT_H */
