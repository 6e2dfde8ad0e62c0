/*
 * fuzz/mutator/xmlmut.c - XML tag and entity edits (see xmlmut.h).
 *
 * An edit is a few insertions into the input: declarations into the DTD's
 * internal subset (created when missing), a reference or a run of tags
 * after the root's start tag, attributes after the root's name, closing
 * tags before the root's end tag. The input is located loosely (first
 * "<!DOCTYPE", first start tag, last "</"), so broken inputs get edits
 * too; what comes out is for the parser to judge.
 */
#include "xmlmut.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ng_xmlmut {
  uint64_t rng;       /* xorshift64 state, never 0 */
  unsigned char *out; /* the result */
  size_t n, cap, max; /* bytes used / allocated / allowed */
  int full;           /* 1 after a write did not fit */
  char desc[48];      /* last edit */
};

/* Where edits go in one input. */
typedef struct xm_doc {
  size_t dtd_at;   /* where declarations are inserted */
  int dtd_kind;    /* 0: no DOCTYPE, 1: one without a subset, 2: subset */
  size_t name_end; /* after the root's name (attributes), 0: no root */
  size_t content;  /* after the root's start tag '>', 0: none/empty */
  size_t deep;     /* after the last start tag before the first end tag
                      (the deepest point of the first branch), else
                      content */
  size_t end_tag;  /* the last "</" after content, else len */
  size_t nent;     /* "<!ENTITY" occurrences: names for new entities */
} xm_doc;

/* One insertion: s[0..n) repeated reps times at position at. */
typedef struct xm_ins {
  size_t at;
  const char *s;
  size_t n, reps;
} xm_ins;

#define XM_MAX_INS 4
#define XM_TEXT 4096 /* bytes of one edit's generated text, per part */

ng_xmlmut *ng_xmlmut_new(uint64_t seed) {
  ng_xmlmut *x = calloc(1, sizeof *x);

  if (x == NULL)
    return NULL;
  x->rng = seed * 0x9E3779B97F4A7C15ull + 0x632BE59BD9B4E019ull;
  if (x->rng == 0)
    x->rng = 1;
  strcpy(x->desc, "xml");
  return x;
}

void ng_xmlmut_free(ng_xmlmut *x) {
  if (x == NULL)
    return;
  free(x->out);
  free(x);
}

const char *ng_xmlmut_describe(const ng_xmlmut *x) { return x->desc; }

/* ------------------------------------------------------------ helpers */

static uint64_t rnd(ng_xmlmut *x) {
  x->rng ^= x->rng << 13;
  x->rng ^= x->rng >> 7;
  x->rng ^= x->rng << 17;
  return x->rng;
}

static size_t below(ng_xmlmut *x, size_t n) {
  return n == 0 ? 0 : (size_t)(rnd(x) % n);
}

/* lo..hi, every power of ten about as likely as the next. */
static size_t log_uniform(ng_xmlmut *x, size_t lo, size_t hi) {
  size_t top = lo, v;

  while (top < hi && below(x, 3) != 0)
    top = top > hi / 10 ? hi : top * 10;
  v = lo + below(x, top - lo + 1);
  return v > hi ? hi : v;
}

static void put(ng_xmlmut *x, const void *p, size_t n) {
  size_t cap = x->cap ? x->cap : 4096;
  unsigned char *q;

  if (x->full || n > x->max - x->n) {
    x->full = 1;
    return;
  }
  if (n > x->cap - x->n) {
    while (cap - x->n < n)
      cap *= 2;
    q = realloc(x->out, cap);
    if (q == NULL) {
      x->full = 1;
      return;
    }
    x->out = q;
    x->cap = cap;
  }
  memcpy(x->out + x->n, p, n);
  x->n += n;
}

/* Appends a formatted piece to a text part; quietly cut at its end. */
#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 3, 4)))
#endif
static void
add(char *buf, size_t cap, const char *fmt, ...) {
  size_t used = strlen(buf);
  va_list ap;

  va_start(ap, fmt);
  (void)vsnprintf(buf + used, cap - used, fmt, ap);
  va_end(ap);
}

static size_t find(const uint8_t *in, size_t len, size_t from, const char *s) {
  size_t n = strlen(s), i;

  for (i = from; i + n <= len; i++)
    if (memcmp(in + i, s, n) == 0)
      return i;
  return len;
}

static int name_start(uint8_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         c == ':' || c >= 0x80;
}

static int name_char(uint8_t c) {
  return name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

/* ------------------------------------------------------------ locate */

static size_t count_entities(const uint8_t *in, size_t len) {
  size_t i = 0, k = 0;

  while ((i = find(in, len, i, "<!ENTITY")) < len) {
    k++;
    i += 8;
  }
  return k;
}

static void locate_dtd(const uint8_t *in, size_t len, xm_doc *d,
                       size_t *after) {
  size_t p = 0, dt, gt, br;

  if (len >= 5 && memcmp(in, "<?xml", 5) == 0)
    p = find(in, len, 0, "?>") < len ? find(in, len, 0, "?>") + 2 : len;
  d->dtd_at = p;
  d->dtd_kind = 0;
  *after = p;
  dt = find(in, len, 0, "<!DOCTYPE");
  if (dt == len)
    return;
  gt = find(in, len, dt, ">");
  br = find(in, len, dt, "[");
  if (br < gt) {
    d->dtd_kind = 2;
    d->dtd_at = br + 1;
    gt = find(in, len, br, "]>");
  } else {
    d->dtd_kind = 1;
    d->dtd_at = gt;
  }
  *after = gt < len ? gt + 1 : len;
}

static size_t locate_deep(const uint8_t *in, size_t len, size_t content) {
  size_t end = find(in, len, content, "</"), i, gt;

  for (i = end; i-- > content;)
    if (in[i] == '<' && i + 1 < len && name_start(in[i + 1])) {
      gt = find(in, len, i, ">");
      if (gt < end && in[gt - 1] != '/')
        return gt + 1;
    }
  return content;
}

static void locate(const uint8_t *in, size_t len, xm_doc *d) {
  size_t i, after;

  memset(d, 0, sizeof *d);
  locate_dtd(in, len, d, &after);
  d->nent = count_entities(in, len);
  d->end_tag = len;
  for (i = after; i + 1 < len; i++)
    if (in[i] == '<' && name_start(in[i + 1]))
      break;
  if (i + 1 >= len)
    return;
  for (i++; i < len && name_char(in[i]); i++)
    ;
  d->name_end = i;
  i = find(in, len, i, ">");
  if (i == len || in[i - 1] == '/')
    return;
  d->content = i + 1;
  d->deep = locate_deep(in, len, d->content);
  for (i = len; i-- > d->content;)
    if (in[i] == '<' && i + 1 < len && in[i + 1] == '/') {
      d->end_tag = i;
      break;
    }
}

/* ------------------------------------------------------------ output */

static int by_pos(const void *a, const void *b) {
  const xm_ins *p = a, *q = b;

  return p->at < q->at ? -1 : p->at > q->at;
}

/* The input with the insertions; 0 or -1 (did not fit). */
static int emit(ng_xmlmut *x, const uint8_t *in, size_t len, xm_ins *ins,
                size_t k) {
  size_t i, r, from = 0;

  qsort(ins, k, sizeof *ins, by_pos);
  x->n = 0;
  x->full = 0;
  for (i = 0; i < k; i++) {
    put(x, in + from, ins[i].at - from);
    for (r = 0; r < ins[i].reps && !x->full; r++)
      put(x, ins[i].s, ins[i].n);
    from = ins[i].at;
  }
  put(x, in + from, len - from);
  return x->full ? -1 : 0;
}

/* Declarations decl as the document's subset: wrapped as needed. */
static void dtd_text(const xm_doc *d, const char *decl, char *buf, size_t cap) {
  buf[0] = '\0';
  if (d->dtd_kind == 0)
    add(buf, cap, "<!DOCTYPE r [%s]>", decl);
  else if (d->dtd_kind == 1)
    add(buf, cap, " [%s]", decl);
  else
    add(buf, cap, "%s", decl);
}

/* A reference (or any text) where the document can take it: in the
 * root's content, else as an attribute value of the root. */
static size_t ref_ins(ng_xmlmut *x, const xm_doc *d, const char *ref,
                      int in_attr, char *buf, size_t cap, xm_ins *ins) {
  buf[0] = '\0';
  if (d->name_end == 0)
    return 0;
  if (in_attr || d->content == 0) {
    add(buf, cap, " q%zu=\"%s\"", (size_t)below(x, 1000), ref);
    ins->at = d->name_end;
  } else {
    add(buf, cap, "%s", ref);
    ins->at = below(x, 4) == 0 ? d->content : d->deep;
  }
  ins->s = buf;
  ins->n = strlen(buf);
  ins->reps = 1;
  return 1;
}

/* ----------------------------------------------------------- entities */

enum { ENT_FANOUT, ENT_CHAIN, ENT_ATTR, ENT_CYCLE, ENT_MARKUP, ENT_KIND };

/* Declarations for one entity edit into decl; *last the entity the
 * reference names. */
static void ent_decls(ng_xmlmut *x, int kind, size_t base, char *decl,
                      size_t cap, size_t *last) {
  static const char *const markup[] = {"<b>",
                                       "</b>",
                                       "<b>&amp;",
                                       "<c x='1'>t</c>",
                                       "]]>",
                                       "<!--",
                                       "<?p ",
                                       "<![CDATA[",
                                       "<b a=\"",
                                       "&#60;b>",
                                       "<b>&#38;#60;</b>"};
  size_t i, j, k, f;

  decl[0] = '\0';
  *last = base;
  switch (kind) {
  case ENT_FANOUT:
  case ENT_ATTR:
    f = log_uniform(x, 2, 64);
    add(decl, cap, "<!ENTITY e%zu \"", base);
    for (i = 0; i < f; i++)
      if (base == 0)
        add(decl, cap, "lol");
      else
        add(decl, cap, "&e%zu;", base - 1);
    add(decl, cap, "\">");
    snprintf(x->desc, sizeof x->desc, "xml-ent-fanout-%zu", f);
    return;
  case ENT_CHAIN:
  case ENT_CYCLE:
    k = 2 + below(x, 30);
    f = 1 + below(x, 10);
    if (kind == ENT_CYCLE) /* the first refers to the last */
      add(decl, cap, "<!ENTITY e%zu \"&e%zu;\">", base, base + k - 1);
    else
      add(decl, cap, "<!ENTITY e%zu \"xy\">", base);
    for (i = 1; i < k; i++) {
      add(decl, cap, "<!ENTITY e%zu \"", base + i);
      for (j = 0; j < f; j++)
        add(decl, cap, "&e%zu;", base + i - 1);
      add(decl, cap, "\">");
    }
    *last = base + k - 1;
    snprintf(x->desc, sizeof x->desc, "xml-ent-%s-k%zu-f%zu",
             kind == ENT_CYCLE ? "cycle" : "chain", k, f);
    return;
  case ENT_MARKUP:
    add(decl, cap, "<!ENTITY e%zu \"%s\">", base,
        markup[below(x, sizeof markup / sizeof markup[0])]);
    strcpy(x->desc, "xml-ent-markup");
    return;
  default:
    switch (below(x, 4)) {
    case 0:
      add(decl, cap, "<!ENTITY e%zu SYSTEM \"file:///dev/zero\">", base);
      break;
    case 1:
      add(decl, cap,
          "<!NOTATION n SYSTEM \"n\"><!ENTITY e%zu SYSTEM \"u\" NDATA n>",
          base);
      break;
    case 2:
      add(decl, cap, "<!ENTITY %% p%zu \"<!ENTITY e%zu 'pe'>\">%%p%zu;", base,
          base, base);
      break;
    default:
      add(decl, cap, "<!ENTITY %% p%zu SYSTEM \"x.dtd\">%%p%zu;", base, base);
    }
    strcpy(x->desc, "xml-ent-kind");
  }
}

static int op_entity(ng_xmlmut *x, const uint8_t *in, size_t len,
                     const xm_doc *d) {
  char decl[XM_TEXT], dtd[XM_TEXT + 32], ref[64], rbuf[96];
  int kind = (int)below(x, ENT_KIND + 1);
  xm_ins ins[2];
  size_t last, base, k = 1;

  /* New names follow the entities already there, so a fan-out refers to
   * the newest (made by an earlier edit); other shapes sometimes start
   * further on, leaving those alone. */
  base = d->nent;
  if (kind != ENT_FANOUT && kind != ENT_ATTR)
    base += 100 * below(x, 3);
  ent_decls(x, kind, base, decl, sizeof decl, &last);
  dtd_text(d, decl, dtd, sizeof dtd);
  ins[0].at = d->dtd_at;
  ins[0].s = dtd;
  ins[0].n = strlen(dtd);
  ins[0].reps = 1;
  snprintf(ref, sizeof ref, "&e%zu;", last);
  k += ref_ins(x, d, ref, kind == ENT_ATTR || below(x, 4) == 0, rbuf,
               sizeof rbuf, &ins[1]);
  return emit(x, in, len, ins, k);
}

/* --------------------------------------------------------------- tags */

/* One element's start tag (into o) and end tag (into c). */
static void tag_pair(size_t i, char *o, size_t oc, char *c, size_t cc) {
  static const char *const names[] = {"a",         "b:c", "n",
                                      "\xC3\xA9l", "p:q", "x-1.y"};
  const char *nm = names[i % (sizeof names / sizeof names[0])];
  char name[80];

  snprintf(name, sizeof name, "%s%s", nm,
           i % 7 == 3 ? "_long_element_name_long_element_name" : "");
  o[0] = c[0] = '\0';
  add(o, oc, "<%s", name);
  if (i % 3 == 1)
    add(o, oc, " i=\"%zu\"", i);
  if (i % 5 == 2)
    add(o, oc, " xmlns:b=\"urn:b\" xmlns:p=\"urn:p\"");
  add(o, oc, ">");
  add(c, cc, "</%s>", name);
}

/* Wraps the root's content in n elements of a cycle of m names. */
static int op_nest(ng_xmlmut *x, const uint8_t *in, size_t len, const xm_doc *d,
                   size_t max_repeat, size_t limit) {
  char opens[XM_TEXT], closes[XM_TEXT], o[160], c[96];
  size_t m = 1 + below(x, 4), n, i, shift = below(x, 64);
  xm_ins ins[2];

  if (d->content == 0)
    return -1;
  opens[0] = closes[0] = '\0';
  for (i = 0; i < m; i++) {
    tag_pair(i + shift, o, sizeof o, c, sizeof c);
    add(opens, sizeof opens, "%s", o);
    /* The closes run in reverse: prepend. */
    memmove(closes + strlen(c), closes, strlen(closes) + 1);
    memcpy(closes, c, strlen(c));
  }
  n = log_uniform(x, 10, max_repeat < 10 ? 10 : max_repeat) / m + 1;
  if (limit > 2 && below(x, 3) == 0) { /* the root and n: limit-1..limit+1 */
    tag_pair(shift, opens, sizeof opens, closes, sizeof closes);
    m = 1;
    n = limit - 2 + below(x, 3);
  }
  ins[0] = (xm_ins){d->content, opens, strlen(opens), n};
  ins[1] = (xm_ins){d->end_tag, closes, strlen(closes), n};
  if (below(x, 8) == 0)
    ins[1].reps = below(x, n + 1); /* unbalanced on purpose */
  snprintf(x->desc, sizeof x->desc, "xml-tag-nest-x%zu", n * m);
  return emit(x, in, len, ins, 2);
}

/* Adds attributes after the root's name. */
static int op_attrs(ng_xmlmut *x, const uint8_t *in, size_t len,
                    const xm_doc *d) {
  static const char *const forms[] = {" a%zu=\"v\"",
                                      " a0=\"dup\"",
                                      " p:a%zu=\"1\" xmlns:p=\"urn:p\"",
                                      " xmlns=\"urn:%zu\"",
                                      " x%zu=\"&lt;&#60;&amp;\"",
                                      " p:a0=\"%zu\"",
                                      " xmlns:p=\"\"",
                                      " y%zu='&e0;'",
                                      " xml:lang=\"en%zu\""};
  char text[XM_TEXT];
  size_t n = log_uniform(x, 1, 200), i;
  xm_ins ins;

  if (d->name_end == 0)
    return -1;
  text[0] = '\0';
  for (i = 0; i < n && strlen(text) < sizeof text - 64; i++) {
    const char *f = forms[below(x, sizeof forms / sizeof forms[0])];
#if defined(__GNUC__) || defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#endif
    add(text, sizeof text, f, i);
#if defined(__GNUC__) || defined(__clang__)
#pragma GCC diagnostic pop
#endif
  }
  ins = (xm_ins){d->name_end, text, strlen(text), 1};
  snprintf(x->desc, sizeof x->desc, "xml-tag-attrs-%zu", i);
  return emit(x, in, len, &ins, 1);
}

size_t ng_xmlmut_mutate(ng_xmlmut *x, const uint8_t *in, size_t len,
                        size_t max_size, size_t max_repeat, size_t limit,
                        uint8_t **out) {
  xm_doc d;
  int tries, rc;

  if (in == NULL)
    len = 0;
  x->max = max_size;
  locate(in, len, &d);
  for (tries = 0; tries < 4; tries++) {
    switch (below(x, 4)) {
    case 0:
      rc = op_nest(x, in, len, &d, max_repeat, limit);
      break;
    case 1:
      rc = op_attrs(x, in, len, &d);
      break;
    default:
      rc = op_entity(x, in, len, &d);
    }
    if (rc == 0 && x->n > 0) {
      *out = x->out;
      return x->n;
    }
  }
  return 0;
}
