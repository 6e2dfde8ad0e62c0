/*
 * fuzz/gen/gen_nesting.c - adversarial nesting generator (see the .h).
 *
 *   gen_nesting [--format=json|xml] KIND DEPTH [WIDTH [STRLEN]] [-o FILE]
 *   gen_nesting [--format=json|xml] --seeds DIR [--limit N]
 *   gen_nesting --list
 *
 * KIND is one of: arrays objects alternating unclosed overclosed
 * mismatched deep-wide wide-deep long-string. Output goes to stdout unless
 * -o is given. Exit 0 on success, 1 on an I/O or memory error, 2 on usage.
 * Compile with -DNG_GEN_NO_MAIN to embed the functions without main().
 */
#include "gen_nesting.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A growable output buffer; fails sticky on out of memory. */
typedef struct gen_buf {
  char *p;
  size_t n, cap;
  int failed;
} gen_buf;

static void put(gen_buf *b, const char *s, size_t n) {
  size_t cap;
  char *q;

  if (b->failed || n == 0)
    return;
  if (n > b->cap - b->n || b->cap == 0) {
    cap = b->cap ? b->cap : 256;
    while (cap - b->n <= n) {
      if (cap > (size_t)-1 / 2) {
        b->failed = 1;
        return;
      }
      cap *= 2;
    }
    q = realloc(b->p, cap);
    if (q == NULL) {
      b->failed = 1;
      return;
    }
    b->p = q;
    b->cap = cap;
  }
  memcpy(b->p + b->n, s, n);
  b->n += n;
}

static void puts_(gen_buf *b, const char *s) { put(b, s, strlen(s)); }

static void rep(gen_buf *b, const char *s, size_t k) {
  size_t n = strlen(s);

  while (k-- > 0 && !b->failed)
    put(b, s, n);
}

static const char *const kind_names[NG_GEN_KIND_COUNT] = {
    "arrays",     "objects",   "alternating", "unclosed",   "overclosed",
    "mismatched", "deep-wide", "wide-deep",   "long-string"};

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

/* Open/close of level i (0 outermost) for the kind, JSON syntax. */
static const char *json_open(ng_gen_kind k, size_t i) {
  if (k == NG_GEN_OBJECTS || (k == NG_GEN_ALTERNATING && i % 2 == 1))
    return "{\"a\":";
  return "[";
}

static const char *json_close(ng_gen_kind k, size_t i) {
  if (k == NG_GEN_OBJECTS || (k == NG_GEN_ALTERNATING && i % 2 == 1))
    return "}";
  return "]";
}

static const char *xml_open(ng_gen_kind k, size_t i) {
  return (k == NG_GEN_ALTERNATING && i % 2 == 1) ? "<b>" : "<a>";
}

static const char *xml_close(ng_gen_kind k, size_t i) {
  return (k == NG_GEN_ALTERNATING && i % 2 == 1) ? "</b>" : "</a>";
}

/* The innermost content: what sits inside the deepest container. */
static void inner(gen_buf *b, const ng_gen_spec *s, size_t w) {
  int xml = s->format == NG_GEN_XML;
  size_t i, n = s->strlen;

  switch (s->kind) {
  case NG_GEN_DEEP_WIDE:
    for (i = 0; i < w; i++)
      puts_(b, xml ? "<i>1</i>" : (i + 1 < w ? "1," : "1"));
    break;
  case NG_GEN_LONG_STRING:
    puts_(b, xml ? "" : "\"");
    for (i = 0; i < n; i++)
      put(b, &"abcdefghijklmnopqrstuvwxyz0123\\\xc3\xa9"[i % 30], 1);
    puts_(b, xml ? "" : "\"");
    break;
  default:
    break;
  }
}

/*
 * Level i's open, with the member key the innermost object still needs in
 * JSON: an object level holding nothing gets "{}" instead of {"a":.
 */
static void open_level(gen_buf *b, const ng_gen_spec *s, size_t i) {
  int xml = s->format == NG_GEN_XML;
  const char *o = xml ? xml_open(s->kind, i) : json_open(s->kind, i);
  int bottom = i + 1 == s->depth;
  int empty = s->kind != NG_GEN_DEEP_WIDE && s->kind != NG_GEN_LONG_STRING;

  if (!xml && bottom && empty && o[0] == '{')
    o = "{";
  puts_(b, o);
}

static void closes(gen_buf *b, const ng_gen_spec *s) {
  int xml = s->format == NG_GEN_XML;
  size_t i;

  for (i = s->depth; i-- > 0;) {
    const char *c = xml ? xml_close(s->kind, i) : json_close(s->kind, i);
    if (s->kind == NG_GEN_MISMATCHED && i + 1 == s->depth)
      c = xml ? "</b>" : "}";
    puts_(b, c);
  }
}

/* One nest: opens, inner content, closes (as the kind wants). */
static void nest(gen_buf *b, const ng_gen_spec *s, size_t w) {
  size_t i;

  for (i = 0; i < s->depth; i++)
    open_level(b, s, i);
  if (s->depth == 0 && s->kind != NG_GEN_LONG_STRING &&
      s->kind != NG_GEN_DEEP_WIDE)
    puts_(b, s->format == NG_GEN_XML ? "<a/>" : "0");
  inner(b, s, w);
  if (s->kind == NG_GEN_UNCLOSED)
    return;
  closes(b, s);
  if (s->kind == NG_GEN_OVERCLOSED)
    rep(b, s->format == NG_GEN_XML ? "</a>" : "]", w);
}

int ng_gen_nesting(const ng_gen_spec *s, char **out, size_t *len) {
  gen_buf b = {NULL, 0, 0, 0};
  size_t w = s->width ? s->width : 1, i;

  if ((unsigned)s->kind >= NG_GEN_KIND_COUNT)
    return -1;
  if (s->kind == NG_GEN_WIDE_DEEP) {
    ng_gen_spec one = *s;
    one.kind = NG_GEN_ARRAYS;
    puts_(&b, s->format == NG_GEN_XML ? "<r>" : "[");
    for (i = 0; i < w; i++) {
      if (i > 0 && s->format == NG_GEN_JSON)
        puts_(&b, ",");
      nest(&b, &one, 1);
    }
    puts_(&b, s->format == NG_GEN_XML ? "</r>" : "]");
  } else {
    nest(&b, s, w);
  }
  put(&b, "", 1); /* the NUL */
  if (b.failed) {
    free(b.p);
    return -1;
  }
  *out = b.p;
  *len = b.n - 1;
  return 0;
}

static int write_file(const char *path, const char *p, size_t n) {
  FILE *f = fopen(path, "wb");
  int ok;

  if (f == NULL)
    return -1;
  ok = fwrite(p, 1, n, f) == n;
  ok = (fclose(f) == 0) && ok;
  return ok ? 0 : -1;
}

static int seed_one(const char *dir, const ng_gen_spec *s, int *count) {
  char path[4096], *doc;
  size_t len;
  int rc;

  snprintf(path, sizeof path, "%s/gen_%s_d%zu_w%zu_s%zu.%s", dir,
           ng_gen_kind_name(s->kind), s->depth, s->width, s->strlen,
           s->format == NG_GEN_XML ? "xml" : "json");
  if (ng_gen_nesting(s, &doc, &len) != 0) {
    errno = ENOMEM;
    return -1;
  }
  rc = write_file(path, doc, len);
  free(doc);
  if (rc == 0)
    (*count)++;
  return rc;
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
    s.kind = (ng_gen_kind)k;
    s.width = k == NG_GEN_DEEP_WIDE || k == NG_GEN_WIDE_DEEP ? 3 : 1;
    s.strlen = k == NG_GEN_LONG_STRING ? 40 : 0;
    for (i = 0; i < sizeof small / sizeof small[0]; i++) {
      s.depth = small[i];
      if (seed_one(dir, &s, &count) != 0)
        return -1;
    }
    /* Limits: only the shapes that stay small at depth ~limit. */
    if (k == NG_GEN_WIDE_DEEP || limit == 0)
      continue;
    for (j = 0; j < 3; j++) {
      s.depth = deep[j];
      if (seed_one(dir, &s, &count) != 0)
        return -1;
    }
  }
  s.kind = NG_GEN_LONG_STRING; /* a long string deep down */
  s.depth = 100;
  s.strlen = 5000;
  if (seed_one(dir, &s, &count) != 0)
    return -1;
  return count;
}

#ifndef NG_GEN_NO_MAIN
static int usage(void) {
  fprintf(stderr,
          "usage: gen_nesting [--format=json|xml] KIND DEPTH [WIDTH "
          "[STRLEN]] [-o FILE]\n"
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

int main(int argc, char **argv) {
  ng_gen_spec s;
  const char *outpath = NULL, *seeds = NULL, *pos[4];
  size_t npos = 0, limit = 10000, len;
  char *doc;
  int i, rc;

  memset(&s, 0, sizeof s);
  for (i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--format=xml") == 0)
      s.format = NG_GEN_XML;
    else if (strcmp(argv[i], "--format=json") == 0)
      s.format = NG_GEN_JSON;
    else if (strcmp(argv[i], "--list") == 0) {
      for (rc = 0; rc < NG_GEN_KIND_COUNT; rc++)
        puts(ng_gen_kind_name((ng_gen_kind)rc));
      return 0;
    } else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
      outpath = argv[++i];
    else if (strcmp(argv[i], "--seeds") == 0 && i + 1 < argc)
      seeds = argv[++i];
    else if (strcmp(argv[i], "--limit") == 0 && i + 1 < argc) {
      if (parse_count(argv[++i], &limit) != 0)
        return usage();
    } else if (argv[i][0] == '-' || npos == 4)
      return usage();
    else
      pos[npos++] = argv[i];
  }
  if (seeds != NULL) {
    rc = ng_gen_seed_set(seeds, s.format, limit);
    if (rc < 0) {
      perror("gen_nesting");
      return 1;
    }
    printf("gen_nesting: wrote %d files to %s\n", rc, seeds);
    return 0;
  }
  if (npos < 2 || ng_gen_kind_from_name(pos[0], &s.kind) != 0 ||
      parse_count(pos[1], &s.depth) != 0 ||
      (npos > 2 && parse_count(pos[2], &s.width) != 0) ||
      (npos > 3 && parse_count(pos[3], &s.strlen) != 0))
    return usage();
  if (ng_gen_nesting(&s, &doc, &len) != 0) {
    fprintf(stderr, "gen_nesting: out of memory\n");
    return 1;
  }
  if (outpath != NULL)
    rc = write_file(outpath, doc, len);
  else
    rc = fwrite(doc, 1, len, stdout) == len && fflush(stdout) == 0 ? 0 : -1;
  free(doc);
  if (rc != 0) {
    perror("gen_nesting");
    return 1;
  }
  return 0;
}
#endif /* NG_GEN_NO_MAIN */
