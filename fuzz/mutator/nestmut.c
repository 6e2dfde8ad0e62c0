/*
 * fuzz/mutator/nestmut.c - nesting-aware mutations (see nestmut.h).
 *
 * Each call scans the input once into a token list (position, length,
 * pair, open/close, matching token, depth), picks one edit, computes how
 * many repetitions fit under max_size, and writes the result into a buffer
 * the mutator owns. Nothing here knows JSON: the configuration names the
 * tokens. Inputs are untrusted bytes; every index is bounds-checked and
 * every size computation is checked against max_size before writing.
 */
#include "nestmut.h"
#include "xmlmut.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NONE ((size_t)-1)

/* One structural token found in the input. */
typedef struct nm_tok {
  size_t pos;    /* byte offset in the input */
  size_t len;    /* token length */
  size_t match;  /* index of the matching open/close token, or NONE */
  size_t depth;  /* containers open around the token (an open's own
                    container not counted) */
  unsigned pair; /* index into cfg.pair */
  int close;     /* 1: close token, 0: open token */
} nm_tok;

struct ng_nestmut {
  ng_nestmut_config cfg;    /* copied at creation */
  uint64_t rng;             /* xorshift64* state, never 0 */
  unsigned char first[256]; /* 1 if some token starts with this byte */
  nm_tok *t;                /* tokens of the last scan */
  size_t nt, capt;          /* count and capacity of t */
  size_t maxdepth;          /* deepest nesting seen by the last scan */
  size_t *stk;              /* scan stack of token indices */
  size_t capstk;            /* its capacity */
  unsigned char *out;       /* result buffer returned to the caller */
  size_t outlen, outcap;    /* bytes used / allocated in out */
  size_t outmax;            /* max_size of the current call */
  unsigned char *tmp;       /* scratch for splices */
  size_t tmpcap;            /* its capacity */
  char desc[64];            /* name of the last edit */
  ng_xmlmut *xml;           /* XML edits when cfg.xml_edits > 0 */
};

/* ------------------------------------------------------------ config */

static void tok_set(ng_nestmut_tok *t, const char *s) {
  size_t n = strlen(s);

  if (n > NG_NESTMUT_MAX_TOKEN)
    n = NG_NESTMUT_MAX_TOKEN;
  memcpy(t->b, s, n);
  t->n = n;
}

static void config_base(ng_nestmut_config *c) {
  memset(c, 0, sizeof *c);
  c->quote = -1;
  c->escape = -1;
  c->depth[0] = 10000;
  c->ndepths = 1;
  c->max_repeat = 100000;
  c->count = 64;
}

void ng_nestmut_config_json(ng_nestmut_config *c) {
  config_base(c);
  tok_set(&c->pair[0].open, "[");
  tok_set(&c->pair[0].close, "]");
  tok_set(&c->pair[0].wrap, "[");
  tok_set(&c->pair[1].open, "{");
  tok_set(&c->pair[1].close, "}");
  tok_set(&c->pair[1].wrap, "{\"\":");
  c->npairs = 2;
  tok_set(&c->sep, ",");
  c->quote = '"';
  c->escape = '\\';
}

void ng_nestmut_config_xml(ng_nestmut_config *c) {
  config_base(c);
  tok_set(&c->pair[0].open, "<a>");
  tok_set(&c->pair[0].close, "</a>");
  tok_set(&c->pair[0].wrap, "<a>");
  tok_set(&c->pair[1].open, "<b>");
  tok_set(&c->pair[1].close, "</b>");
  tok_set(&c->pair[1].wrap, "<b>");
  c->npairs = 2;
  c->xml_edits = 50;
}

static int hexval(int ch) {
  if (ch >= '0' && ch <= '9')
    return ch - '0';
  if (ch >= 'a' && ch <= 'f')
    return ch - 'a' + 10;
  if (ch >= 'A' && ch <= 'F')
    return ch - 'A' + 10;
  return -1;
}

/*
 * Reads one escaped token from *ps up to an unescaped '|' or space or the
 * end; leaves *ps on the delimiter. Returns 0 or -1 (bad escape, too long).
 */
static int read_tok(const char **ps, ng_nestmut_tok *t) {
  const char *s = *ps;
  int ch, h, l;

  t->n = 0;
  while (*s != '\0' && *s != '|' && *s != ' ') {
    ch = (unsigned char)*s++;
    if (ch == '\\') {
      ch = (unsigned char)*s++;
      switch (ch) {
      case 's':
        ch = ' ';
        break;
      case 'n':
        ch = '\n';
        break;
      case 't':
        ch = '\t';
        break;
      case '|':
      case '\\':
        break;
      case 'x':
        h = hexval((unsigned char)s[0]);
        l = h < 0 ? -1 : hexval((unsigned char)s[1]);
        if (l < 0)
          return -1;
        ch = h * 16 + l;
        s += 2;
        break;
      default:
        return -1;
      }
    }
    if (t->n == NG_NESTMUT_MAX_TOKEN)
      return -1;
    t->b[t->n++] = (unsigned char)ch;
  }
  *ps = s;
  return 0;
}

int ng_nestmut_parse_pairs(ng_nestmut_config *c, const char *spec) {
  ng_nestmut_pair pr[NG_NESTMUT_MAX_PAIRS];
  size_t n = 0;

  while (*spec != '\0') {
    if (*spec == ' ') {
      spec++;
      continue;
    }
    if (n == NG_NESTMUT_MAX_PAIRS)
      return -1;
    memset(&pr[n], 0, sizeof pr[n]);
    if (read_tok(&spec, &pr[n].open) != 0 || *spec++ != '|' ||
        read_tok(&spec, &pr[n].close) != 0)
      return -1;
    if (*spec == '|') {
      spec++;
      if (read_tok(&spec, &pr[n].wrap) != 0)
        return -1;
    }
    if (pr[n].open.n == 0 || pr[n].close.n == 0)
      return -1;
    if (pr[n].wrap.n == 0)
      pr[n].wrap = pr[n].open;
    n++;
  }
  if (n == 0)
    return -1;
  memcpy(c->pair, pr, n * sizeof pr[0]);
  c->npairs = n;
  return 0;
}

/* Parses "10000,1024" into c->depth. */
static int parse_depths(ng_nestmut_config *c, const char *s) {
  char *end;
  unsigned long long v;

  c->ndepths = 0;
  while (*s != '\0') {
    v = strtoull(s, &end, 10);
    if (end == s || c->ndepths == NG_NESTMUT_MAX_DEPTHS)
      return -1;
    c->depth[c->ndepths++] = (size_t)v;
    s = end;
    if (*s == ',')
      s++;
  }
  return 0;
}

/* A one-byte setting: "" means none, else the (escaped) byte. */
static int parse_byte(const char *s, int *out) {
  ng_nestmut_tok t;

  if (read_tok(&s, &t) != 0 || t.n > 1)
    return -1;
  *out = t.n == 0 ? -1 : t.b[0];
  return 0;
}

#define ENV_FAIL(what)                                                         \
  do {                                                                         \
    snprintf(err, errlen, "nestmut: bad %s", what);                            \
    return -1;                                                                 \
  } while (0)

int ng_nestmut_config_env(ng_nestmut_config *c, char *err, size_t errlen) {
  const char *v;
  char *end;

  if ((v = getenv("NESTMUT_FORMAT")) != NULL) {
    if (strcmp(v, "json") == 0)
      ng_nestmut_config_json(c);
    else if (strcmp(v, "xml") == 0)
      ng_nestmut_config_xml(c);
    else
      ENV_FAIL("NESTMUT_FORMAT (json or xml)");
  }
  if ((v = getenv("NESTMUT_PAIRS")) != NULL &&
      ng_nestmut_parse_pairs(c, v) != 0)
    ENV_FAIL("NESTMUT_PAIRS (\"open|close[|wrap] ...\")");
  if ((v = getenv("NESTMUT_SEP")) != NULL &&
      (read_tok(&v, &c->sep) != 0 || *v != '\0'))
    ENV_FAIL("NESTMUT_SEP");
  if ((v = getenv("NESTMUT_QUOTE")) != NULL && parse_byte(v, &c->quote) != 0)
    ENV_FAIL("NESTMUT_QUOTE");
  if ((v = getenv("NESTMUT_ESCAPE")) != NULL && parse_byte(v, &c->escape) != 0)
    ENV_FAIL("NESTMUT_ESCAPE");
  if ((v = getenv("NESTMUT_DEPTHS")) != NULL && parse_depths(c, v) != 0)
    ENV_FAIL("NESTMUT_DEPTHS (\"10000,1024\")");
  if ((v = getenv("NESTMUT_MAX_REPEAT")) != NULL) {
    c->max_repeat = (size_t)strtoull(v, &end, 10);
    if (end == v || *end != '\0' || c->max_repeat < 2)
      ENV_FAIL("NESTMUT_MAX_REPEAT (>= 2)");
  }
  if ((v = getenv("NESTMUT_COUNT")) != NULL) {
    c->count = (size_t)strtoull(v, &end, 10);
    if (end == v || *end != '\0' || c->count == 0)
      ENV_FAIL("NESTMUT_COUNT (>= 1)");
  }
  return 0;
}

#undef ENV_FAIL

/* ------------------------------------------------------------ object */

ng_nestmut *ng_nestmut_new(const ng_nestmut_config *c, uint64_t seed) {
  ng_nestmut *m = calloc(1, sizeof *m);
  size_t i;

  if (m == NULL)
    return NULL;
  m->cfg = *c;
  if (m->cfg.npairs == 0 || m->cfg.npairs > NG_NESTMUT_MAX_PAIRS)
    ng_nestmut_config_json(&m->cfg);
  if (m->cfg.max_repeat < 2)
    m->cfg.max_repeat = 2;
  m->rng = seed * 0x9E3779B97F4A7C15ull + 0x2545F4914F6CDD1Dull;
  if (m->rng == 0)
    m->rng = 1;
  for (i = 0; i < m->cfg.npairs; i++) {
    m->first[m->cfg.pair[i].open.b[0]] = 1;
    m->first[m->cfg.pair[i].close.b[0]] = 1;
  }
  if (m->cfg.quote >= 0)
    m->first[m->cfg.quote] = 1;
  strcpy(m->desc, "nest");
  if (m->cfg.xml_edits > 0 && (m->xml = ng_xmlmut_new(seed)) == NULL) {
    ng_nestmut_free(m);
    return NULL;
  }
  return m;
}

void ng_nestmut_free(ng_nestmut *m) {
  if (m == NULL)
    return;
  free(m->t);
  free(m->stk);
  free(m->out);
  free(m->tmp);
  ng_xmlmut_free(m->xml);
  free(m);
}

const char *ng_nestmut_describe(const ng_nestmut *m) { return m->desc; }

const ng_nestmut_config *ng_nestmut_config_of(const ng_nestmut *m) {
  return &m->cfg;
}

/* --------------------------------------------------------------- rng */

static uint64_t rnd(ng_nestmut *m) {
  uint64_t x = m->rng;

  x ^= x >> 12;
  x ^= x << 25;
  x ^= x >> 27;
  m->rng = x;
  return x * 0x2545F4914F6CDD1Dull;
}

/* Uniform in [0, n); n > 0. */
static size_t below(ng_nestmut *m, size_t n) { return (size_t)(rnd(m) % n); }

/* Log-uniform in [lo, hi] (lo >= 1): each power of two equally likely. */
static size_t log_uniform(ng_nestmut *m, size_t lo, size_t hi) {
  size_t blo = 0, bhi = 0, b, k;

  if (hi <= lo)
    return lo;
  while (((size_t)2 << blo) <= lo)
    blo++;
  while (((size_t)2 << bhi) <= hi)
    bhi++;
  b = blo + below(m, bhi - blo + 1);
  k = ((size_t)1 << b) + below(m, (size_t)1 << b);
  return k < lo ? lo : k > hi ? hi : k;
}

/*
 * A repeat count in [1, cap]. Most counts are small, because every byte
 * of a fuzz input costs time on every later execution of it; a steady
 * share is large (x1024 up to max_repeat, log-uniform, so x10,000 and
 * x100,000 both occur), and some are powers of two +-1 (segment and buffer
 * boundaries).
 */
static size_t repeat_count(ng_nestmut *m, size_t cap) {
  size_t hi = m->cfg.max_repeat, k, r = below(m, 100);

  if (cap < hi)
    hi = cap;
  if (hi == 0)
    return 0;
  if (r < 45)
    k = 1 + below(m, 16);
  else if (r < 75)
    k = log_uniform(m, 16, 1024);
  else if (r < 90)
    k = log_uniform(m, 1024, m->cfg.max_repeat);
  else
    k = ((size_t)1 << (4 + below(m, 14))) + below(m, 3) - 1;
  return k > hi ? hi : k;
}

/* -------------------------------------------------------------- scan */

static int grow(void **p, size_t *cap, size_t need, size_t elem) {
  size_t n = *cap ? *cap : 64;
  void *q;

  if (need <= *cap)
    return 0;
  while (n < need) {
    if (n > ((size_t)-1 / 2) / elem)
      return -1;
    n *= 2;
  }
  q = realloc(*p, n * elem);
  if (q == NULL)
    return -1;
  *p = q;
  *cap = n;
  return 0;
}

/* Longest configured token at b[0..n): returns its length (0: none). */
static size_t match_tok(const ng_nestmut *m, const unsigned char *b, size_t n,
                        unsigned *pair, int *close) {
  size_t best = 0, i;
  const ng_nestmut_pair *p;

  for (i = 0; i < m->cfg.npairs; i++) {
    p = &m->cfg.pair[i];
    if (p->close.n > best && p->close.n <= n &&
        memcmp(b, p->close.b, p->close.n) == 0) {
      best = p->close.n;
      *pair = (unsigned)i;
      *close = 1;
    }
    if (p->open.n > best && p->open.n <= n &&
        memcmp(b, p->open.b, p->open.n) == 0) {
      best = p->open.n;
      *pair = (unsigned)i;
      *close = 0;
    }
  }
  return best;
}

/* Skips a quoted string starting at b[i] (the quote); returns its end. */
static size_t skip_string(const ng_nestmut *m, const unsigned char *b, size_t n,
                          size_t i) {
  for (i++; i < n; i++) {
    if (b[i] == m->cfg.escape)
      i++;
    else if (b[i] == m->cfg.quote)
      return i + 1;
  }
  return n;
}

/* Adds token k's open/close bookkeeping (matching through the stack). */
static int scan_push(ng_nestmut *m, size_t *sp) {
  nm_tok *t = &m->t[m->nt];

  t->match = NONE;
  if (!t->close) {
    if (grow((void **)&m->stk, &m->capstk, *sp + 1, sizeof(size_t)) != 0)
      return -1;
    t->depth = *sp;
    m->stk[(*sp)++] = m->nt;
    if (*sp > m->maxdepth)
      m->maxdepth = *sp;
  } else if (*sp > 0) {
    (*sp)--;
    t->depth = *sp;
    t->match = m->stk[*sp];
    m->t[t->match].match = m->nt;
  } else {
    t->depth = 0;
  }
  m->nt++;
  return 0;
}

/* Tokenizes b[0..n) into m->t. Returns 0 or -1 (out of memory). */
static int scan(ng_nestmut *m, const unsigned char *b, size_t n) {
  size_t i = 0, sp = 0, k;
  unsigned pair = 0;
  int close = 0;

  m->nt = 0;
  m->maxdepth = 0;
  while (i < n) {
    if (!m->first[b[i]]) {
      i++;
      continue;
    }
    if (m->cfg.quote >= 0 && b[i] == m->cfg.quote) {
      i = skip_string(m, b, n, i);
      continue;
    }
    k = match_tok(m, b + i, n - i, &pair, &close);
    if (k == 0) {
      i++;
      continue;
    }
    if (grow((void **)&m->t, &m->capt, m->nt + 1, sizeof(nm_tok)) != 0)
      return -1;
    m->t[m->nt].pos = i;
    m->t[m->nt].len = k;
    m->t[m->nt].pair = pair;
    m->t[m->nt].close = close;
    if (scan_push(m, &sp) != 0)
      return -1;
    i += k;
  }
  return 0;
}

static size_t tok_end(const ng_nestmut *m, size_t k) {
  return m->t[k].pos + m->t[k].len;
}

/* A random token index with the wanted kind (0 open, 1 close), or NONE. */
static size_t pick_tok(ng_nestmut *m, int close, int matched) {
  size_t start, k, j;

  if (m->nt == 0)
    return NONE;
  start = below(m, m->nt);
  for (j = 0; j < m->nt; j++) {
    k = (start + j) % m->nt;
    if (m->t[k].close == close && (!matched || m->t[k].match != NONE))
      return k;
  }
  return NONE;
}

/* A random open token among the deepest quarter, or NONE. */
static size_t pick_deep_open(ng_nestmut *m) {
  size_t start, k, j, floor_d = m->maxdepth - m->maxdepth / 4;

  if (m->nt == 0 || m->maxdepth == 0)
    return NONE;
  start = below(m, m->nt);
  for (j = 0; j < m->nt; j++) {
    k = (start + j) % m->nt;
    if (!m->t[k].close && m->t[k].depth + 1 >= floor_d)
      return k;
  }
  return NONE;
}

/* ------------------------------------------------------------ output */

static int out_put(ng_nestmut *m, const void *p, size_t n) {
  if (n == 0)
    return 0;
  if (n > m->outmax - m->outlen)
    return -1;
  if (grow((void **)&m->out, &m->outcap, m->outlen + n, 1) != 0)
    return -1;
  memcpy(m->out + m->outlen, p, n);
  m->outlen += n;
  return 0;
}

static int out_rep(ng_nestmut *m, const void *p, size_t n, size_t k) {
  while (k-- > 0)
    if (out_put(m, p, n) != 0)
      return -1;
  return 0;
}

/* Count that fits k * unit more bytes next to `base` bytes, capped. */
static size_t fit(const ng_nestmut *m, size_t base, size_t unit) {
  if (base >= m->outmax)
    return 0;
  if (unit == 0)
    return m->cfg.max_repeat;
  return (m->outmax - base) / unit;
}

static void describe(ng_nestmut *m, const char *op, size_t k) {
  snprintf(m->desc, sizeof m->desc, "nest-%s-x%zu", op, k);
}

/* Writes the closers of tokens lo..hi (opens) innermost first, k times. */
static int out_closers(ng_nestmut *m, size_t lo, size_t hi, size_t k) {
  size_t j, r;
  const ng_nestmut_tok *c;

  for (r = 0; r < k; r++)
    for (j = hi + 1; j-- > lo;) {
      c = &m->cfg.pair[m->t[j].pair].close;
      if (out_put(m, c->b, c->n) != 0)
        return -1;
    }
  return 0;
}

static size_t closers_len(const ng_nestmut *m, size_t lo, size_t hi) {
  size_t j, n = 0;

  for (j = lo; j <= hi; j++)
    n += m->cfg.pair[m->t[j].pair].close.n;
  return n;
}

/* ------------------------------------------------------------- edits */

/*
 * repeat: a run of r consecutive open tokens starting at token i is
 * repeated k times in front of itself. Balanced (usually): the matching
 * closers follow the original run's last close, so valid input stays valid
 * but k*r levels deeper. When the run reaches the innermost container the
 * wrap tokens are repeated instead of the literal text (for JSON this
 * keeps a key in front of every object level).
 */
static int op_repeat(ng_nestmut *m, const unsigned char *in, size_t len) {
  size_t i = pick_tok(m, 0, 0), run, r, j, ulen, clen, k, cut;
  int balanced, literal;

  if (i == NONE)
    return -1;
  for (run = 1; i + run < m->nt && !m->t[i + run].close; run++)
    ;
  r = 1 + below(m, run < 8 ? run : 8);
  literal = r < run || below(m, 3) == 0;
  balanced = m->t[i].match != NONE && below(m, 4) != 0;
  if (literal)
    ulen = (r < run ? m->t[i + r].pos : tok_end(m, i + r - 1)) - m->t[i].pos;
  else
    for (ulen = 0, j = i; j < i + r; j++)
      ulen += m->cfg.pair[m->t[j].pair].wrap.n;
  clen = balanced ? closers_len(m, i, i + r - 1) : 0;
  k = repeat_count(m, fit(m, len, ulen + clen));
  if (k == 0 || out_put(m, in, m->t[i].pos) != 0)
    return -1;
  for (j = 0; j < k; j++) {
    if (literal) {
      if (out_put(m, in + m->t[i].pos, ulen) != 0)
        return -1;
    } else {
      for (cut = i; cut < i + r; cut++)
        if (out_put(m, m->cfg.pair[m->t[cut].pair].wrap.b,
                    m->cfg.pair[m->t[cut].pair].wrap.n) != 0)
          return -1;
    }
  }
  cut = balanced ? tok_end(m, m->t[i].match) : len;
  if (out_put(m, in + m->t[i].pos, cut - m->t[i].pos) != 0 ||
      (balanced && out_closers(m, i, i + r - 1, k) != 0) ||
      out_put(m, in + cut, len - cut) != 0)
    return -1;
  describe(m, balanced ? "repeat" : "repeat-open", k * r);
  return 0;
}

/* Chooses a span to wrap: a container, the text between tokens, or all. */
static void pick_span(ng_nestmut *m, size_t len, size_t *a, size_t *b) {
  size_t i, r = below(m, 10);

  *a = 0;
  *b = len;
  if (m->nt == 0 || r < 3)
    return;
  if (r < 8) {
    i = r < 5 ? pick_tok(m, 0, 1) : pick_deep_open(m);
    if (i != NONE && m->t[i].match != NONE) {
      *a = m->t[i].pos;
      *b = tok_end(m, m->t[i].match);
    }
    return;
  }
  i = below(m, m->nt);
  *a = tok_end(m, i);
  *b = i + 1 < m->nt ? m->t[i + 1].pos : len;
}

/*
 * Wraps in[a..b) in n levels cycling through pairs seq[0..ns); levels are
 * opened outermost first and closed innermost first.
 */
static int out_wrapped(ng_nestmut *m, const unsigned char *in, size_t len,
                       size_t a, size_t b, const unsigned *seq, size_t ns,
                       size_t n) {
  size_t l;
  const ng_nestmut_tok *t;

  if (out_put(m, in, a) != 0)
    return -1;
  for (l = 0; l < n; l++) {
    t = &m->cfg.pair[seq[l % ns]].wrap;
    if (out_put(m, t->b, t->n) != 0)
      return -1;
  }
  if (out_put(m, in + a, b - a) != 0)
    return -1;
  for (l = n; l-- > 0;) {
    t = &m->cfg.pair[seq[l % ns]].close;
    if (out_put(m, t->b, t->n) != 0)
      return -1;
  }
  return out_put(m, in + b, len - b);
}

/* Picks 1-3 pair kinds to cycle; returns the bytes one cycle costs. */
static size_t pick_seq(ng_nestmut *m, unsigned *seq, size_t *ns) {
  size_t j, cost = 0;

  *ns = 1 + below(m, 3);
  for (j = 0; j < *ns; j++) {
    seq[j] = (unsigned)below(m, m->cfg.npairs);
    cost += m->cfg.pair[seq[j]].wrap.n + m->cfg.pair[seq[j]].close.n;
  }
  return cost;
}

/* wrap: a span in n containers. */
static int op_wrap(ng_nestmut *m, const unsigned char *in, size_t len) {
  unsigned seq[3];
  size_t ns, cost, a, b, n;

  pick_span(m, len, &a, &b);
  cost = pick_seq(m, seq, &ns);
  n = repeat_count(m, fit(m, len, cost) * ns);
  if (n == 0 || out_wrapped(m, in, len, a, b, seq, ns, n) != 0)
    return -1;
  describe(m, "wrap", n);
  return 0;
}

/*
 * depth: makes the nesting exactly one of the configured limits -1, +0 or
 * +1 by wrapping the whole input; when the input is already deeper, wraps
 * the text between two tokens (a scalar) from scratch instead.
 */
static int op_depth(ng_nestmut *m, const unsigned char *in, size_t len) {
  unsigned seq[3];
  size_t ns, cost, target, n, a = 0, b = len;

  target = m->cfg.ndepths ? m->cfg.depth[below(m, m->cfg.ndepths)]
                          : (size_t)1 << (4 + below(m, 14));
  target = target + below(m, 3);
  target = target > 0 ? target - 1 : 0;
  cost = pick_seq(m, seq, &ns);
  if (target > m->maxdepth) {
    n = target - m->maxdepth;
  } else {
    n = target;
    if (m->nt > 0) {
      size_t i = below(m, m->nt);
      a = tok_end(m, i);
      b = i + 1 < m->nt ? m->t[i + 1].pos : len;
    }
    in += a;
    len = b - a;
    a = 0;
    b = len;
  }
  if (n == 0 || n > fit(m, len, cost) * ns ||
      out_wrapped(m, in, len, a, b, seq, ns, n) != 0)
    return -1;
  describe(m, "depth", target);
  return 0;
}

/* The run of consecutive close tokens around close token c. */
static void close_run(const ng_nestmut *m, size_t c, size_t *lo, size_t *hi) {
  *lo = c;
  *hi = c;
  while (*lo > 0 && m->t[*lo - 1].close)
    (*lo)--;
  while (*hi + 1 < m->nt && m->t[*hi + 1].close)
    (*hi)++;
}

/* cut: deletes part of a run of closing tokens, or truncates before it. */
static int op_cut(ng_nestmut *m, const unsigned char *in, size_t len) {
  size_t c, lo, hi, x, q, j, at = 0;

  c = below(m, 3) == 0 ? m->nt - 1 : pick_tok(m, 1, 0);
  if (m->nt == 0 || c == NONE || !m->t[c].close)
    return -1;
  close_run(m, c, &lo, &hi);
  q = 1 + below(m, hi - lo + 1);
  x = lo + below(m, hi - lo + 2 - q);
  if (below(m, 5) == 0) {
    if (out_put(m, in, m->t[x].pos) != 0)
      return -1;
    describe(m, "cut-tail", len - m->t[x].pos);
    return 0;
  }
  for (j = x; j < x + q; j++) {
    if (out_put(m, in + at, m->t[j].pos - at) != 0)
      return -1;
    at = tok_end(m, j);
  }
  if (out_put(m, in + at, len - at) != 0)
    return -1;
  describe(m, "cut", q);
  return 0;
}

/* dup: repeats a run of closing tokens (over-closing). */
static int op_dup(ng_nestmut *m, const unsigned char *in, size_t len) {
  size_t c = pick_tok(m, 1, 0), lo, hi, a, b, k;

  if (c == NONE)
    return -1;
  close_run(m, c, &lo, &hi);
  if (below(m, 2) == 0)
    lo = hi = c;
  a = m->t[lo].pos;
  b = tok_end(m, hi);
  k = repeat_count(m, fit(m, len, b - a));
  if (k == 0 || out_put(m, in, b) != 0 || out_rep(m, in + a, b - a, k) != 0 ||
      out_put(m, in + b, len - b) != 0)
    return -1;
  describe(m, "dup", k);
  return 0;
}

/* swap: a token replaced by another pair's close or wrap (mismatch). */
static int op_swap(ng_nestmut *m, const unsigned char *in, size_t len) {
  size_t k, p;
  const ng_nestmut_tok *t;

  if (m->nt == 0)
    return -1;
  k = below(m, m->nt);
  p = below(m, m->cfg.npairs);
  if (m->cfg.npairs > 1 && p == m->t[k].pair)
    p = (p + 1) % m->cfg.npairs;
  t = below(m, 4) == 0
          ? (m->t[k].close ? &m->cfg.pair[p].wrap : &m->cfg.pair[p].close)
          : (m->t[k].close ? &m->cfg.pair[p].close : &m->cfg.pair[p].wrap);
  if (out_put(m, in, m->t[k].pos) != 0 || out_put(m, t->b, t->n) != 0 ||
      out_put(m, in + tok_end(m, k), len - tok_end(m, k)) != 0)
    return -1;
  describe(m, "swap", 1);
  return 0;
}

/* widen: a container (often a deep one) followed by k copies of itself. */
static int op_widen(ng_nestmut *m, const unsigned char *in, size_t len) {
  size_t i = below(m, 2) ? pick_deep_open(m) : pick_tok(m, 0, 1), a, b, k;
  const ng_nestmut_tok *s = &m->cfg.sep;

  if (i == NONE || m->t[i].match == NONE)
    return -1;
  a = m->t[i].pos;
  b = tok_end(m, m->t[i].match);
  k = repeat_count(m, fit(m, len, b - a + s->n));
  if (k == 0 || out_put(m, in, b) != 0)
    return -1;
  while (k-- > 0)
    if (out_put(m, s->b, s->n) != 0 || out_put(m, in + a, b - a) != 0)
      return -1;
  if (out_put(m, in + b, len - b) != 0)
    return -1;
  describe(m, "widen", (m->outlen - len) / (b - a + s->n));
  return 0;
}

/* trunc: the input up to (just past) an open token deep inside. */
static int op_trunc(ng_nestmut *m, const unsigned char *in, size_t len) {
  size_t k = pick_deep_open(m), end;

  (void)len;
  if (k == NONE)
    return -1;
  end = tok_end(m, k);
  if (below(m, 2) && k + 1 < m->nt)
    end = m->t[k + 1].pos;
  if (out_put(m, in, end) != 0)
    return -1;
  describe(m, "trunc", m->t[k].depth + 1);
  return 0;
}

/*
 * Remembers in m->tmp the prefix of src up to a deepest open token and the
 * closers that balance it. Returns the prefix length, or NONE.
 */
static size_t deep_prefix(ng_nestmut *m, const unsigned char *src, size_t n,
                          size_t *clen) {
  size_t p, end, j, sp = 0, need;
  const ng_nestmut_tok *c;

  if (scan(m, src, n) != 0 || (p = pick_deep_open(m)) == NONE)
    return NONE;
  end = tok_end(m, p);
  if (below(m, 2) && p + 1 < m->nt)
    end = m->t[p + 1].pos;
  /* Collect the open tokens enclosing p (and p) with a stack walk. */
  for (j = 0; j <= p; j++) {
    if (!m->t[j].close)
      m->stk[sp++] = j;
    else if (sp > 0)
      sp--;
  }
  for (need = end, j = 0; j < sp; j++)
    need += m->cfg.pair[m->t[m->stk[j]].pair].close.n;
  if (grow((void **)&m->tmp, &m->tmpcap, need, 1) != 0)
    return NONE;
  memcpy(m->tmp, src, end);
  *clen = 0;
  for (j = sp; j-- > 0;) {
    c = &m->cfg.pair[m->t[m->stk[j]].pair].close;
    memcpy(m->tmp + end + *clen, c->b, c->n);
    *clen += c->n;
  }
  return end;
}

/*
 * splice: a value of in (all of it, or a container) placed at the deepest
 * point of another input (add, or in itself), then closed; or the rest of
 * the other input kept after it.
 */
static int op_splice(ng_nestmut *m, const unsigned char *in, size_t len,
                     const unsigned char *add, size_t addlen) {
  const unsigned char *src = addlen > 0 && below(m, 4) ? add : in;
  size_t n = src == add ? addlen : len, plen, clen = 0, a, b;
  int keep_rest = below(m, 3) == 0;

  plen = deep_prefix(m, src, n, &clen);
  if (plen == NONE || scan(m, in, len) != 0)
    return -1;
  pick_span(m, len, &a, &b);
  if (out_put(m, m->tmp, plen) != 0 || out_put(m, in + a, b - a) != 0)
    return -1;
  if (keep_rest ? out_put(m, src + plen, n - plen)
                : out_put(m, m->tmp + plen, clen))
    return -1;
  describe(m, "splice", plen);
  return 0;
}

/* ---------------------------------------------------------- dispatch */

enum {
  OP_REPEAT,
  OP_WRAP,
  OP_DEPTH,
  OP_CUT,
  OP_DUP,
  OP_SPLICE,
  OP_SWAP,
  OP_WIDEN,
  OP_TRUNC,
  OP_COUNT
};

/* Relative weights: growth edits first, then breakage edits. */
static const unsigned op_weight[OP_COUNT] = {6, 5, 3, 3, 2, 3, 2, 3, 2};

static unsigned pick_op(ng_nestmut *m) {
  unsigned sum = 0, r, i;

  for (i = 0; i < OP_COUNT; i++)
    sum += op_weight[i];
  r = (unsigned)below(m, sum);
  for (i = 0; r >= op_weight[i]; i++)
    r -= op_weight[i];
  return i;
}

static int run_op(ng_nestmut *m, unsigned op, const unsigned char *in,
                  size_t len, const unsigned char *add, size_t addlen) {
  switch (op) {
  case OP_REPEAT:
    return op_repeat(m, in, len);
  case OP_WRAP:
    return op_wrap(m, in, len);
  case OP_DEPTH:
    return op_depth(m, in, len);
  case OP_CUT:
    return op_cut(m, in, len);
  case OP_DUP:
    return op_dup(m, in, len);
  case OP_SPLICE:
    return op_splice(m, in, len, add, addlen);
  case OP_SWAP:
    return op_swap(m, in, len);
  case OP_WIDEN:
    return op_widen(m, in, len);
  default:
    return op_trunc(m, in, len);
  }
}

size_t ng_nestmut_mutate(ng_nestmut *m, const uint8_t *in, size_t len,
                         const uint8_t *add, size_t addlen, size_t max_size,
                         uint8_t **out) {
  int tries;

  if (in == NULL)
    len = 0;
  if (add == NULL)
    addlen = 0;
  m->outmax = max_size;
  if (m->xml != NULL && below(m, 100) < m->cfg.xml_edits) {
    size_t n = ng_xmlmut_mutate(m->xml, in, len, max_size, m->cfg.max_repeat,
                                m->cfg.ndepths ? m->cfg.depth[0] : 0, out);
    if (n > 0) {
      snprintf(m->desc, sizeof m->desc, "%s", ng_xmlmut_describe(m->xml));
      return n;
    }
  }
  for (tries = 0; tries < 8; tries++) {
    m->outlen = 0;
    if (len > max_size || scan(m, in, len) != 0)
      break;
    if (run_op(m, pick_op(m), in, len, add, addlen) == 0 && m->outlen > 0) {
      *out = m->out;
      return m->outlen;
    }
  }
  /* Nothing fit: hand back a truncated copy so the caller has an input. */
  m->outlen = 0;
  if (len > 0 && out_put(m, in, len < max_size ? len : max_size) == 0) {
    strcpy(m->desc, "nest-copy");
    *out = m->out;
    return m->outlen;
  }
  return 0;
}
