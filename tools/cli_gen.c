/*
 * tools/cli_gen.c - `nestguard gen`: adversarial nesting documents for
 * benchmarking and fuzzing one's own parsers.
 *
 *   nestguard gen [--shape=SHAPE] [--depth=N] [--size=BYTES] [--width=N]
 *                 [--seed=N] [--format=json|xml] [-o FILE | --output=FILE]
 *
 * The document streams out of fuzz/gen/gen_nesting.c (the generator the
 * fuzz seeds come from) through one 16 KiB buffer and stdio: memory stays
 * constant at any depth, so `gen --depth=1e8` writes 200 MB holding a few
 * KiB. Exit status: 0 written, 2 usage or I/O error (a reader closing the
 * pipe early ends the command by SIGPIPE, as with any filter).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../fuzz/gen/gen_nesting.h"
#include "cli.h"

#define DEFAULT_DEPTH 1000

typedef struct gen_opts {
  ng_gen_spec spec; /* what to write */
  const char *out;  /* -o / --output; NULL: stdout */
  int size_set;     /* --size given */
  int width_set;    /* --width given */
  int help;         /* --help or -h */
} gen_opts;

static void usage(FILE *out) {
  fprintf(
      out,
      "usage: nestguard gen [--shape=SHAPE] [--depth=N] [--size=BYTES] "
      "[--width=N]\n"
      "                     [--seed=N] [--format=json|xml] [-o FILE | "
      "--output=FILE]\n"
      "  write a document nested N containers deep (default 1000) to FILE\n"
      "  or stdout, streamed: constant memory at any depth (1e8 is fine)\n"
      "shapes:\n"
      "  arrays      [[[...]]] (default)\n"
      "  objects     {\"a\":{\"a\":...{}}}\n"
      "  mixed       each level an array or an object, chosen by --seed\n"
      "  unbalanced  mixed levels, then one defect chosen by --seed: input\n"
      "              ends inside a level, a wrong-kind close, or an extra "
      "close\n"
      "  deep-wide   N levels, then --width scalars (or --size bytes of "
      "them)\n"
      "  strings     mixed levels each holding a string with escapes and "
      "UTF-8\n"
      "              (--seed); --size bytes of string at the bottom\n"
      "  also: alternating unclosed overclosed mismatched long-string, and\n"
      "  wide-deep (--width nests of depth N in one array: depth N+1)\n"
      "--depth and --width take 100000000 or 1e8; --size takes a k, m or g\n"
      "suffix; --seed (default 0) is ignored by shapes without randomness;\n"
      "the same options always write the same bytes.\n"
      "--format=xml writes elements (<a><a>...</a></a>; alternating: <a><b>;\n"
      "deep-wide: <i>1</i> leaves, one level deeper; wide-deep: under <r>)\n"
      "for every shape but the seeded mixed, unbalanced and strings.\n");
}

static int usage_error(const char *what, const char *arg) {
  fprintf(stderr, "nestguard gen: %s%s%s\n", what, arg ? ": " : "",
          arg ? arg : "");
  usage(stderr);
  return NG_CLI_USAGE;
}

/*
 * Parses digits with an optional decimal exponent ("1e8") and, if
 * `suffixes`, a k, m or g suffix (powers of 1024). Returns 0 and *out, or
 * -1 for anything else or a value above UINT64_MAX.
 */
static int parse_number(const char *s, int suffixes, uint64_t *out) {
  uint64_t v = 0, e = 0;
  unsigned shift = 0;

  if (*s < '0' || *s > '9')
    return -1;
  for (; *s >= '0' && *s <= '9'; s++) {
    if (v > (UINT64_MAX - (uint64_t)(*s - '0')) / 10)
      return -1;
    v = v * 10 + (uint64_t)(*s - '0');
  }
  if ((*s == 'e' || *s == 'E') && s[1] >= '0' && s[1] <= '9')
    for (s++; *s >= '0' && *s <= '9'; s++)
      if ((e = e * 10 + (uint64_t)(*s - '0')) > 19)
        return -1;
  for (; e > 0; e--) {
    if (v > UINT64_MAX / 10)
      return -1;
    v *= 10;
  }
  if (suffixes && *s != '\0' && strchr("kKmMgG", *s) != NULL)
    shift = *s == 'k' || *s == 'K' ? 10 : *s == 'm' || *s == 'M' ? 20 : 30;
  if (shift != 0)
    s++;
  if (*s != '\0' || v > (UINT64_MAX >> shift))
    return -1;
  *out = v << shift;
  return 0;
}

/* A count or size option's value into *out (a size_t). */
static int size_opt(const char *arg, const char *v, int suffixes, size_t *out) {
  uint64_t n;

  if (parse_number(v, suffixes, &n) != 0 || n > SIZE_MAX)
    return usage_error("invalid number", arg);
  *out = (size_t)n;
  return 0;
}

/* One option into *g. Returns 0 or NG_CLI_USAGE (message printed). */
static int parse_opt(int argc, char **argv, int *i, gen_opts *g) {
  const char *a = argv[*i], *v;
  uint64_t seed;

  if ((v = ng_cli_opt_value(a, "--shape")) != NULL) {
    if (ng_gen_kind_from_name(v, &g->spec.kind) != 0)
      return usage_error("unknown shape", v);
  } else if ((v = ng_cli_opt_value(a, "--depth")) != NULL) {
    return size_opt(a, v, 0, &g->spec.depth);
  } else if ((v = ng_cli_opt_value(a, "--width")) != NULL) {
    g->width_set = 1;
    return size_opt(a, v, 0, &g->spec.width);
  } else if ((v = ng_cli_opt_value(a, "--size")) != NULL) {
    g->size_set = 1;
    return size_opt(a, v, 1, &g->spec.strlen);
  } else if ((v = ng_cli_opt_value(a, "--seed")) != NULL) {
    if (parse_number(v, 0, &seed) != 0)
      return usage_error("invalid seed", a);
    g->spec.seed = seed;
  } else if ((v = ng_cli_opt_value(a, "--format")) != NULL) {
    if (strcmp(v, "json") == 0)
      g->spec.format = NG_GEN_JSON;
    else if (strcmp(v, "xml") == 0)
      g->spec.format = NG_GEN_XML;
    else
      return usage_error("unsupported format", v);
  } else if ((v = ng_cli_opt_value(a, "--output")) != NULL) {
    g->out = v;
  } else if (strcmp(a, "-o") == 0) {
    if (*i + 1 == argc)
      return usage_error("-o needs a file name", NULL);
    g->out = argv[++*i];
  } else {
    return usage_error("unknown option", a);
  }
  return 0;
}

/* The size and width options mean something for the chosen shape. */
static int check_shape(gen_opts *g) {
  ng_gen_kind k = g->spec.kind;
  int sized =
      k == NG_GEN_DEEP_WIDE || k == NG_GEN_STRINGS || k == NG_GEN_LONG_STRING;
  int wide =
      k == NG_GEN_DEEP_WIDE || k == NG_GEN_WIDE_DEEP || k == NG_GEN_OVERCLOSED;

  if (g->size_set && !sized)
    return usage_error("--size applies to deep-wide, strings and long-string",
                       NULL);
  if (g->width_set && !wide)
    return usage_error("--width applies to deep-wide, wide-deep and "
                       "overclosed",
                       NULL);
  if (g->size_set && g->width_set)
    return usage_error("give --size or --width, not both", NULL);
  if (!ng_gen_kind_has_format(k, g->spec.format))
    return usage_error("this shape is JSON only", ng_gen_kind_name(k));
  /* deep-wide's scalars are "1," or "<i>1</i>": --size picks the count. */
  if (k == NG_GEN_DEEP_WIDE && g->size_set) {
    size_t each = g->spec.format == NG_GEN_XML ? 8 : 2;
    g->spec.width = g->spec.strlen / each ? g->spec.strlen / each : 1;
    g->spec.strlen = 0;
  }
  return 0;
}

/* Reads argv into *g. Returns 0 or NG_CLI_USAGE (message printed). */
static int parse_args(int argc, char **argv, gen_opts *g) {
  int i, rc;

  memset(g, 0, sizeof *g);
  g->spec.kind = NG_GEN_ARRAYS;
  g->spec.format = NG_GEN_JSON;
  g->spec.depth = DEFAULT_DEPTH;
  if (ng_cli_wants_help(argc, argv)) {
    g->help = 1;
    return 0;
  }
  for (i = 1; i < argc; i++) {
    if (argv[i][0] != '-' || strcmp(argv[i], "-") == 0)
      return usage_error("no input is read; unexpected argument", argv[i]);
    if ((rc = parse_opt(argc, argv, &i, g)) != 0)
      return rc;
  }
  return check_shape(g);
}

/* fwrite to the FILE * in ud; the errno value (EIO if none) on failure. */
static int file_sink(void *ud, const char *data, size_t len) {
  errno = 0;
  if (fwrite(data, 1, len, ud) == len)
    return 0;
  return errno ? errno : EIO;
}

/* Streams the document to g->out or stdout. Returns the exit status. */
static int write_doc(const gen_opts *g) {
  const char *name = g->out ? g->out : "standard output";
  FILE *f = g->out ? fopen(g->out, "wb") : stdout;
  int rc, closed;

  if (f == NULL) {
    fprintf(stderr, "nestguard: %s: %s\n", name, strerror(errno));
    return NG_CLI_USAGE;
  }
  rc = ng_gen_stream(&g->spec, file_sink, f);
  errno = 0;
  if (g->out != NULL)
    closed = fclose(f);
  else
    closed = fflush(f);
  if (closed != 0 && rc == 0)
    rc = errno ? errno : EIO;
  if (rc != 0) {
    fprintf(stderr, "nestguard: %s: %s\n", name,
            rc > 0 ? strerror(rc) : "cannot generate this shape");
    return NG_CLI_USAGE;
  }
  return NG_CLI_OK;
}

int ng_cli_gen(int argc, char **argv) {
  gen_opts g;
  int rc = parse_args(argc, argv, &g);

  if (rc != 0)
    return rc;
  if (g.help) {
    usage(stdout);
    return fflush(stdout) == 0 ? NG_CLI_OK : NG_CLI_USAGE;
  }
  return write_doc(&g);
}
