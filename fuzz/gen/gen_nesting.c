/*
 * fuzz/gen/gen_nesting.c - adversarial nesting generator (see the .h).
 *
 *   gen_nesting [--format=json|xml] [--seed N] KIND DEPTH [WIDTH [STRLEN]]
 *               [-o FILE]
 *   gen_nesting [--format=json|xml] --seeds DIR [--limit N]
 *   gen_nesting --list
 *
 * KIND is one of: arrays objects alternating unclosed overclosed
 * mismatched deep-wide wide-deep long-string mixed unbalanced strings.
 * Output goes to stdout unless -o is given, streamed: any depth runs in
 * constant memory. Exit 0 on success, 1 on an I/O or memory error, 2 on
 * usage. Compile with -DNG_GEN_NO_MAIN to embed the functions without
 * main(); `nestguard gen` is the same generator with the CLI's options.
 */
#include "gen_nesting.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ output */

/* One generation: the spec, the output buffer and the seeded draws. */
typedef struct gen {
  const ng_gen_spec *s; /* what to write */
  size_t w;             /* s->width, at least 1 */
  uint64_t draws;       /* string pieces drawn so far (STRINGS) */
  ng_gen_sink sink;     /* where full buffers go */
  void *ud;             /* the sink's argument */
  int rc;               /* first nonzero sink return; sticky */
  size_t n;             /* bytes in buf */
  char buf[NG_GEN_CHUNK];
} gen;

/* Hands the buffer to the sink, unless the sink already failed. */
static void flush(gen *g) {
  if (g->rc == 0 && g->n > 0)
    g->rc = g->sink(g->ud, g->buf, g->n);
  g->n = 0;
}

static void put(gen *g, const char *p, size_t n) {
  while (n > 0 && g->rc == 0) {
    size_t k = sizeof g->buf - g->n;
    if (k > n)
      k = n;
    memcpy(g->buf + g->n, p, k);
    g->n += k;
    p += k;
    n -= k;
    if (g->n == sizeof g->buf)
      flush(g);
  }
}

static void puts_(gen *g, const char *s) { put(g, s, strlen(s)); }

static void rep(gen *g, const char *s, size_t k) {
  size_t n = strlen(s);

  while (k-- > 0 && g->rc == 0)
    put(g, s, n);
}

/* ------------------------------------------------------------- kinds */

static const char *const kind_names[NG_GEN_KIND_COUNT] = {
    "arrays",      "objects",    "alternating", "unclosed",
    "overclosed",  "mismatched", "deep-wide",   "wide-deep",
    "long-string", "mixed",      "unbalanced",  "strings"};

const char *ng_gen_kind_name(ng_gen_kind k) {
  return (unsigned)k < NG_GEN_KIND_COUNT ? kind_names[k] : NULL;
}

int ng_gen_kind_from_name(const char *name, ng_gen_kind *out) {
  int k;

  for (k = 0; k < NG_GEN_KIND_COUNT; k++)
    if (strcmp(name, kind_names[k]) == 0) {
      *out = (ng_gen_kind)k;
      return 0;
    }
  return -1;
}

static int seeded(ng_gen_kind k) {
  return k == NG_GEN_MIXED || k == NG_GEN_UNBALANCED || k == NG_GEN_STRINGS;
}

int ng_gen_kind_has_format(ng_gen_kind k, ng_gen_format f) {
  if ((unsigned)k >= NG_GEN_KIND_COUNT)
    return 0;
  return f == NG_GEN_JSON || (f == NG_GEN_XML && !seeded(k));
}

/* ------------------------------------------------------------ random */

/* Streams of seeded draws, one per purpose, so that adding a draw to one
 * does not change the documents of another. */
enum { STREAM_LEVEL, STREAM_DEFECT, STREAM_STRING };

/* splitmix64's finalizer: a well-mixed 64-bit value of x. */
static uint64_t mix64(uint64_t x) {
  x = (x ^ (x >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
  x = (x ^ (x >> 27)) * UINT64_C(0x94d049bb133111eb);
  return x ^ (x >> 31);
}

/* Draw i of a stream: random access, so the closes recompute what the
 * opens chose instead of storing a bit per level. */
static uint64_t draw(const ng_gen_spec *s, unsigned stream, uint64_t i) {
  return mix64(mix64(s->seed + stream) +
               (i + 1) * UINT64_C(0x9e3779b97f4a7c15));
}

/* ------------------------------------------------------------ levels */

/* Level i (0 outermost) is a JSON object (else an array). */
static int json_object(const ng_gen_spec *s, size_t i) {
  switch (s->kind) {
  case NG_GEN_OBJECTS:
    return 1;
  case NG_GEN_ALTERNATING:
    return i % 2 == 1;
  case NG_GEN_MIXED:
  case NG_GEN_UNBALANCED:
  case NG_GEN_STRINGS:
    return (int)(draw(s, STREAM_LEVEL, i) & 1);
  default:
    return 0;
  }
}

/* Level i is the XML element <b> (else <a>). */
static int xml_b(const ng_gen_spec *s, size_t i) {
  return s->kind == NG_GEN_ALTERNATING && i % 2 == 1;
}

/* Close of level i; `wrong` gives the other kind's close. */
static const char *close_of(const ng_gen_spec *s, size_t i, int wrong) {
  int alt = s->format == NG_GEN_XML ? xml_b(s, i) : json_object(s, i);

  if (wrong)
    alt = !alt;
  if (s->format == NG_GEN_XML)
    return alt ? "</b>" : "</a>";
  return alt ? "}" : "]";
}

/* A shape whose innermost container holds something (else it is empty). */
static int has_inner(ng_gen_kind k) {
  return k == NG_GEN_DEEP_WIDE || k == NG_GEN_LONG_STRING ||
         k == NG_GEN_STRINGS;
}

/* ----------------------------------------------------------- strings */

/*
 * Banner: the pieces STRINGS draws its string contents from. Each is
 * valid inside a JSON string: plain ASCII, every short escape, \u escapes
 * (a surrogate pair too), raw 2-, 3- and 4-byte UTF-8, and the structural
 * characters a bracket-counting scanner would miscount.
 */
static const char *const pieces[] = {"a",
                                     "Z",
                                     "0",
                                     " ",
                                     "\\\"",
                                     "\\\\",
                                     "\\/",
                                     "\\n",
                                     "\\t",
                                     "\\b",
                                     "\\u00e9",
                                     "\\ud83d\\ude00",
                                     "\xc3\xa9",
                                     "\xe2\x82\xac",
                                     "\xf0\x9f\x98\x80",
                                     "{",
                                     "]",
                                     ":",
                                     ","};

#define N_PIECES (sizeof pieces / sizeof pieces[0])

static const char *next_piece(gen *g) {
  return pieces[draw(g->s, STREAM_STRING, g->draws++) % N_PIECES];
}

/* A quoted string of up to 15 seeded pieces (a level's element or key). */
static void level_string(gen *g) {
  size_t k = (size_t)(draw(g->s, STREAM_STRING, g->draws++) % 16);

  puts_(g, "\"");
  while (k-- > 0)
    puts_(g, next_piece(g));
  puts_(g, "\"");
}

/* A quoted string of exactly n content bytes of seeded pieces; "x" fills
 * where the drawn piece is longer than the bytes left. */
static void payload_string(gen *g, size_t n) {
  puts_(g, "\"");
  while (n > 0 && g->rc == 0) {
    const char *p = next_piece(g);
    size_t k = strlen(p);
    if (k > n) {
      p = "x";
      k = 1;
    }
    put(g, p, k);
    n -= k;
  }
  puts_(g, "\"");
}

/* --------------------------------------------------------- documents */

/*
 * Level i's open. JSON objects get the member key their child needs:
 * "a", or a seeded key (STRINGS); an innermost object holding nothing is
 * "{". STRINGS' arrays hold a seeded string before the child.
 */
static void open_level(gen *g, size_t i) {
  const ng_gen_spec *s = g->s;
  int strings = s->kind == NG_GEN_STRINGS;
  int bottom = i + 1 == s->depth;

  if (s->format == NG_GEN_XML) {
    puts_(g, xml_b(s, i) ? "<b>" : "<a>");
  } else if (!json_object(s, i)) {
    puts_(g, "[");
    if (strings) {
      level_string(g);
      puts_(g, ",");
    }
  } else if (strings) {
    puts_(g, "{");
    level_string(g);
    puts_(g, ":");
  } else {
    puts_(g, bottom && !has_inner(s->kind) ? "{" : "{\"a\":");
  }
}

/* The innermost content: what sits inside the deepest container. */
static void inner(gen *g) {
  const ng_gen_spec *s = g->s;
  int xml = s->format == NG_GEN_XML;
  size_t i;

  switch (s->kind) {
  case NG_GEN_DEEP_WIDE:
    for (i = 0; i < g->w && g->rc == 0; i++)
      puts_(g, xml ? "<i>1</i>" : (i + 1 < g->w ? "1," : "1"));
    break;
  case NG_GEN_LONG_STRING:
    puts_(g, xml ? "" : "\"");
    for (i = 0; i < s->strlen && g->rc == 0; i++)
      put(g, &"abcdefghijklmnopqrstuvwxyz0123\\\xc3\xa9"[i % 30], 1);
    puts_(g, xml ? "" : "\"");
    break;
  case NG_GEN_STRINGS:
    payload_string(g, s->strlen);
    break;
  default:
    if (s->depth == 0)
      puts_(g, xml ? "<a/>" : "0");
    break;
  }
}

/* UNBALANCED's defect, drawn once from the seed. */
enum { DEFECT_ENDS_INSIDE, DEFECT_WRONG_CLOSE, DEFECT_EXTRA_CLOSE };

typedef struct closing {
  size_t stop;  /* levels i >= stop are closed */
  size_t wrong; /* level whose close is the wrong kind, or SIZE_MAX */
  size_t extra; /* closes after the last level's */
} closing;

/* How the kind closes its levels. */
static closing plan_closes(const gen *g) {
  const ng_gen_spec *s = g->s;
  closing c = {0, SIZE_MAX, 0};
  uint64_t defect;
  size_t j;

  if (s->kind == NG_GEN_UNCLOSED)
    c.stop = s->depth;
  else if (s->kind == NG_GEN_OVERCLOSED)
    c.extra = g->w;
  else if (s->kind == NG_GEN_MISMATCHED && s->depth > 0)
    c.wrong = s->depth - 1;
  if (s->kind != NG_GEN_UNBALANCED)
    return c;
  defect = s->depth == 0 ? DEFECT_EXTRA_CLOSE : draw(s, STREAM_DEFECT, 0) % 3;
  j = s->depth == 0 ? 0 : (size_t)(draw(s, STREAM_DEFECT, 1) % s->depth);
  if (defect == DEFECT_ENDS_INSIDE)
    c.stop = j + 1;
  else if (defect == DEFECT_WRONG_CLOSE)
    c.wrong = j;
  else
    c.extra = 1;
  return c;
}

static void closes(gen *g) {
  const ng_gen_spec *s = g->s;
  closing c = plan_closes(g);
  size_t i;

  for (i = s->depth; i-- > c.stop && g->rc == 0;)
    puts_(g, close_of(s, i, i == c.wrong));
  rep(g, s->format == NG_GEN_XML ? "</a>" : "]", c.extra);
}

/* One nest: opens, inner content, closes (as the kind wants). */
static void nest(gen *g) {
  size_t i;

  for (i = 0; i < g->s->depth && g->rc == 0; i++)
    open_level(g, i);
  inner(g);
  closes(g);
}

/* WIDE_DEEP: width array nests of depth side by side in one container. */
static void wide_deep(gen *g) {
  const ng_gen_spec *s = g->s;
  ng_gen_spec one = *s;
  int xml = s->format == NG_GEN_XML;
  size_t i;

  one.kind = NG_GEN_ARRAYS;
  puts_(g, xml ? "<r>" : "[");
  g->s = &one;
  for (i = 0; i < g->w && g->rc == 0; i++) {
    if (i > 0 && !xml)
      puts_(g, ",");
    nest(g);
  }
  g->s = s;
  puts_(g, xml ? "</r>" : "]");
}

int ng_gen_stream(const ng_gen_spec *s, ng_gen_sink sink, void *ud) {
  gen g;

  if (s->format != NG_GEN_JSON && s->format != NG_GEN_XML)
    return -1;
  if (!ng_gen_kind_has_format(s->kind, s->format))
    return -1;
  g.s = s;
  g.w = s->width ? s->width : 1;
  g.draws = 0;
  g.sink = sink;
  g.ud = ud;
  g.rc = 0;
  g.n = 0;
  if (s->kind == NG_GEN_WIDE_DEEP)
    wide_deep(&g);
  else
    nest(&g);
  flush(&g);
  return g.rc;
}

/* ---------------------------------------------------------- in memory */

/* A growable buffer behind ng_gen_nesting's sink. */
typedef struct mem_buf {
  char *p;
  size_t n, cap;
} mem_buf;

/* Appends, doubling the buffer; ENOMEM when it cannot grow. */
static int mem_sink(void *ud, const char *data, size_t len) {
  mem_buf *b = ud;
  size_t cap = b->cap ? b->cap : 256;
  char *q;

  while (cap - b->n <= len) {
    if (cap > SIZE_MAX / 2)
      return ENOMEM;
    cap *= 2;
  }
  if (cap != b->cap) {
    if ((q = realloc(b->p, cap)) == NULL)
      return ENOMEM;
    b->p = q;
    b->cap = cap;
  }
  memcpy(b->p + b->n, data, len);
  b->n += len;
  return 0;
}

int ng_gen_nesting(const ng_gen_spec *s, char **out, size_t *len) {
  mem_buf b = {NULL, 0, 0};

  if (ng_gen_stream(s, mem_sink, &b) != 0 || mem_sink(&b, "", 1) != 0) {
    free(b.p);
    return -1;
  }
  *out = b.p;
  *len = b.n - 1;
  return 0;
}

/* ------------------------------------------------------------- files */

/* fwrite to the FILE * in ud; the errno value (EIO if none) on failure. */
static int file_sink(void *ud, const char *data, size_t len) {
  errno = 0;
  if (fwrite(data, 1, len, ud) == len)
    return 0;
  return errno ? errno : EIO;
}

/* Streams the document into path. Returns 0, or -1 with errno set. */
static int write_file(const char *path, const ng_gen_spec *s) {
  FILE *f = fopen(path, "wb");
  int rc;

  if (f == NULL)
    return -1;
  rc = ng_gen_stream(s, file_sink, f);
  if (fclose(f) != 0 && rc == 0)
    rc = errno;
  if (rc == -1)
    rc = EINVAL;
  errno = rc;
  return rc == 0 ? 0 : -1;
}

static int seed_one(const char *dir, const ng_gen_spec *s, int *count) {
  char path[4096];

  snprintf(path, sizeof path, "%s/gen_%s_d%zu_w%zu_s%zu.%s", dir,
           ng_gen_kind_name(s->kind), s->depth, s->width, s->strlen,
           s->format == NG_GEN_XML ? "xml" : "json");
  if (write_file(path, s) != 0)
    return -1;
  (*count)++;
  return 0;
}

int ng_gen_seed_set(const char *dir, ng_gen_format format, size_t limit) {
  static const size_t small[] = {1, 2, 3, 7, 64};
  size_t deep[3], i, j;
  int k, count = 0;
  ng_gen_spec s;

  deep[0] = limit > 0 ? limit - 1 : 0;
  deep[1] = limit;
  deep[2] = limit + 1;
  memset(&s, 0, sizeof s);
  s.format = format;
  for (k = 0; k < NG_GEN_KIND_COUNT; k++) {
    if (!ng_gen_kind_has_format((ng_gen_kind)k, format))
      continue;
    s.kind = (ng_gen_kind)k;
    s.width = k == NG_GEN_DEEP_WIDE || k == NG_GEN_WIDE_DEEP ? 3 : 1;
    s.strlen = k == NG_GEN_LONG_STRING || k == NG_GEN_STRINGS ? 40 : 0;
    for (i = 0; i < sizeof small / sizeof small[0]; i++) {
      s.depth = small[i];
      if (seed_one(dir, &s, &count) != 0)
        return -1;
    }
    /* Limits: only the shapes that stay small at depth ~limit. */
    if (k == NG_GEN_WIDE_DEEP || k == NG_GEN_STRINGS || limit == 0)
      continue;
    for (j = 0; j < 3; j++) {
      s.depth = deep[j];
      if (seed_one(dir, &s, &count) != 0)
        return -1;
    }
  }
  s.kind = NG_GEN_LONG_STRING; /* a long string deep down */
  s.depth = 100;
  s.width = 1;
  s.strlen = 5000;
  if (seed_one(dir, &s, &count) != 0)
    return -1;
  return count;
}

#ifndef NG_GEN_NO_MAIN
static int usage(void) {
  fprintf(stderr,
          "usage: gen_nesting [--format=json|xml] [--seed N] KIND DEPTH "
          "[WIDTH [STRLEN]] [-o FILE]\n"
          "       gen_nesting [--format=json|xml] --seeds DIR [--limit N]\n"
          "       gen_nesting --list\n");
  return 2;
}

/* Parses a count like 10000, 1e7 or 1000000. */
static int parse_count(const char *s, size_t *out) {
  char *end;
  double d = strtod(s, &end);

  if (end == s || *end != '\0' || d < 0 || d > 1e15)
    return -1;
  *out = (size_t)d;
  return 0;
}

/* Reads the options and positionals into *s; returns 0 or usage(). */
static int parse_args(int argc, char **argv, ng_gen_spec *s,
                      const char **outpath, const char **seeds, size_t *limit) {
  const char *pos[4];
  size_t npos = 0, seed = 0;
  int i;

  for (i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--format=xml") == 0)
      s->format = NG_GEN_XML;
    else if (strcmp(argv[i], "--format=json") == 0)
      s->format = NG_GEN_JSON;
    else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
      *outpath = argv[++i];
    else if (strcmp(argv[i], "--seeds") == 0 && i + 1 < argc)
      *seeds = argv[++i];
    else if (strcmp(argv[i], "--limit") == 0 && i + 1 < argc) {
      if (parse_count(argv[++i], limit) != 0)
        return usage();
    } else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) {
      if (parse_count(argv[++i], &seed) != 0)
        return usage();
      s->seed = seed;
    } else if (argv[i][0] == '-' || npos == 4)
      return usage();
    else
      pos[npos++] = argv[i];
  }
  if (*seeds != NULL)
    return 0;
  if (npos < 2 || ng_gen_kind_from_name(pos[0], &s->kind) != 0 ||
      parse_count(pos[1], &s->depth) != 0 ||
      (npos > 2 && parse_count(pos[2], &s->width) != 0) ||
      (npos > 3 && parse_count(pos[3], &s->strlen) != 0))
    return usage();
  return 0;
}

int main(int argc, char **argv) {
  const char *outpath = NULL, *seeds = NULL;
  size_t limit = 10000;
  ng_gen_spec s;
  int rc;

  if (argc == 2 && strcmp(argv[1], "--list") == 0) {
    for (rc = 0; rc < NG_GEN_KIND_COUNT; rc++)
      puts(ng_gen_kind_name((ng_gen_kind)rc));
    return 0;
  }
  memset(&s, 0, sizeof s);
  if (parse_args(argc, argv, &s, &outpath, &seeds, &limit) != 0)
    return 2;
  if (seeds != NULL) {
    rc = ng_gen_seed_set(seeds, s.format, limit);
    if (rc < 0) {
      perror("gen_nesting");
      return 1;
    }
    printf("gen_nesting: wrote %d files to %s\n", rc, seeds);
    return 0;
  }
  if (!ng_gen_kind_has_format(s.kind, s.format)) {
    fprintf(stderr, "gen_nesting: %s is JSON only\n", ng_gen_kind_name(s.kind));
    return 2;
  }
  if (outpath != NULL)
    rc = write_file(outpath, &s);
  else
    rc = ng_gen_stream(&s, file_sink, stdout) == 0 && fflush(stdout) == 0 ? 0
                                                                          : -1;
  if (rc != 0) {
    perror("gen_nesting");
    return 1;
  }
  return 0;
}
#endif /* NG_GEN_NO_MAIN */
