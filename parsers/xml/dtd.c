/*
 * parsers/xml/dtd.c - the document type declaration: the internal subset
 * parsed into entity and attribute-list tables (dtd.h), entity sizes, and
 * attribute-value normalisation shared with the lexer.
 *
 * Hand-written recursive descent over one declaration at a time (no
 * nesting: content models are parsed with an explicit stack, parameter
 * entities through a stack of input frames), on the character layer of
 * lexer.h. Nothing is ever loaded from outside the document.
 *
 * Input frames. The subset is read from frame 0, the document; a
 * parameter-entity reference between declarations pushes a frame with the
 * entity's replacement text. A declaration must end in the frame it
 * started in (WFC: PE Between Declarations): the end of a frame inside
 * one is NG_EENTITY, where the end of the document is NG_EEOF. Line ends
 * are normalised (2.11) only in frame 0; replacement text is taken as it
 * is. Errors in a parameter entity's text are reported at the outermost
 * reference.
 *
 * Sizes and flags of entities: see dtd.h. measure() runs at declaration,
 * resolve() at the end of the subset, both over the references of an
 * entity's text as next_ref() finds them.
 */
#include "dtd.h"

#include <stdint.h>
#include <string.h>

#include "lexer.h"

/* ------------------------------------------------------------ buffers */

void ng__xml_buf_init(ng__xml_buf *b, const ng_alloc *alc) {
  b->p = NULL;
  b->len = 0;
  b->cap = 0;
  b->alc = alc;
}

int ng__xml_buf_grow(ng__xml_buf *b, size_t extra) {
  size_t need, cap;
  unsigned char *p;

  if (ng__size_add(b->len, extra, &need) != NG_OK)
    return NG_ENOMEM;
  if (need <= b->cap)
    return NG_OK;
  cap = b->cap < 64 ? 64 : b->cap;
  while (cap < need)
    cap = cap > SIZE_MAX / 2 ? need : cap * 2;
  p = ng__realloc(b->alc, b->p, b->cap, cap);
  if (p == NULL)
    return NG_ENOMEM;
  b->p = p;
  b->cap = cap;
  return NG_OK;
}

void ng__xml_buf_free(ng__xml_buf *b) {
  ng__free(b->alc, b->p, b->cap);
  b->p = NULL;
  b->len = 0;
  b->cap = 0;
}

/* Appends the UTF-8 form of Char cp. */
static int buf_putc(ng__xml_buf *b, uint32_t cp) {
  if (NG_UNLIKELY(b->cap - b->len < 4) && ng__xml_buf_grow(b, 4) != NG_OK)
    return NG_ENOMEM;
  b->len = (size_t)(ng__xml_put_utf8(b->p + b->len, cp) - b->p);
  return NG_OK;
}

/* ------------------------------------------------------------- budget */

static uint64_t sat_add(uint64_t a, uint64_t b) {
  return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

void ng__xml_budget_init(ng__xml_budget *b, size_t max_entity_expansion) {
  b->used = 0;
  b->extra = 0;
  b->max =
      max_entity_expansion != 0 ? (uint64_t)max_entity_expansion : UINT64_MAX;
  b->ratio = NG__XML_AMP_RATIO;
  b->threshold = NG__XML_AMP_THRESHOLD;
  b->max_depth = NG__XML_ENTITY_DEPTH;
  b->base = 0;
}

/* True when `indirect` bytes produced against `direct` read pass the
 * amplification ratio (once the total reaches the threshold). */
static int amplified(const ng__xml_budget *b, uint64_t indirect,
                     uint64_t direct) {
  uint64_t total;

  direct = sat_add(direct, b->base);
  total = sat_add(direct, indirect);
  if (b->ratio == 0 || total < b->threshold)
    return 0;
  return direct == 0 || (total - 1) / direct >= b->ratio; /* total >
                                                             ratio*direct */
}

int ng__xml_budget_charge(ng__xml_budget *b, uint64_t n, uint64_t direct) {
  uint64_t used = sat_add(b->used, n);

  if (used > b->max || amplified(b, sat_add(used, b->extra), direct))
    return NG_EENTITYLIMIT;
  b->used = used;
  return NG_OK;
}

int ng__xml_budget_extra(ng__xml_budget *b, uint64_t n, uint64_t direct) {
  uint64_t extra = sat_add(b->extra, n);

  if (amplified(b, sat_add(b->used, extra), direct))
    return NG_EENTITYLIMIT;
  b->extra = extra;
  return NG_OK;
}

/* ------------------------------------------------------------- tables */

/*
 * Open addressing over record pointers, load at most 1/2. Keys are one or
 * two byte strings and a small int; each table knows how to read the key
 * of its records. Hashes are seeded per table (from addresses that
 * vary with the heap, the thread and randomisation), so that colliding names
 * cannot be prepared in advance against a fixed function; this is no
 * cryptographic guarantee.
 */
typedef struct key {
  const unsigned char *a; /* first string */
  size_t alen;
  const unsigned char *b; /* second string, or NULL */
  size_t blen;
  int kind; /* small discriminator (parameter entity) */
} key;

typedef struct tab {
  void **slot;                             /* cap entries, NULL: empty */
  size_t cap;                              /* power of two, or 0 */
  size_t n;                                /* records */
  void (*key_of)(const void *rec, key *k); /* the key of a record */
} tab;

/* An attribute list: the declared attributes of one element type. */
typedef struct alist {
  const char *elem;      /* element type name */
  size_t len;            /* its bytes */
  ng__xml_attdef *first; /* in declaration order */
  ng__xml_attdef *last;
  ng__xml_attdef *dfirst; /* those with a default value, in order */
  ng__xml_attdef *dlast;
} alist;

/* An input frame: the document, or a parameter entity's text. */
typedef struct frame {
  const unsigned char *p;   /* where the frame resumes (saved) */
  const unsigned char *lim; /* its end */
  ng__xml_entity *ent;      /* NULL for the document */
  int covered;              /* references in it are paid for */
} frame;

struct ng__xml_dtd {
  ng_arena arena;         /* records and strings */
  const ng_alloc *alc;    /* tables, buffers */
  ng__xml_budget *budget; /* charged at every expansion */
  uint64_t seed;          /* of the hash function */
  int standalone;         /* standalone="yes" */
  int has_pe_ref;         /* a parameter-entity reference occurred */
  int unread_external;    /* an external subset or PE was not read */
  int skip_decls;         /* after an unread PE: declarations are
                             checked, not processed (5.1) */
  tab ents;               /* entities by (name, parameter) */
  tab lists;              /* alists by element */
  tab defs;               /* attdefs by (element, attribute) */
  ng__xml_entity *efirst; /* declared entities in order */
  ng__xml_entity **elast; /* where the next one links */
  ng__xml_notation *nfirst;  /* declared notations in order */
  ng__xml_notation **nlast;  /* where the next one links */
  /* parsing */
  const unsigned char *doc; /* the document text */
  size_t doc_len;
  const unsigned char *p;   /* cursor in the top frame */
  const unsigned char *lim; /* end of the top frame */
  ng__xml_buf frames;       /* frame[], [0] the document */
  size_t nfr;               /* frames in use */
  size_t ref_off;           /* outermost reference while nfr > 1 */
  ng__xml_buf tmp;          /* a literal being built */
  const unsigned char *lit; /* or, an entity value with nothing to
                               replace: its bytes in the frame (NULL:
                               the value is in tmp) */
  size_t lit_len;
  ng__xml_buf stk;          /* content models, the resolution pass */
  ng__xml_buf vstk;         /* attribute-value entity frames */
  ng__xml_derr *err;        /* where errors go */
};

uint64_t ng__xml_hash(uint64_t h, const void *s, size_t n) {
  const unsigned char *b = s;
  size_t i;

  for (i = 0; i < n; i++)
    h = (h ^ b[i]) * 0x100000001B3u;
  h ^= h >> 31;
  h *= 0xD6E8FEB86659FD93u;
  return h ^ (h >> 32);
}

static uint64_t hash_key(uint64_t seed, const key *k) {
  uint64_t h = ng__xml_hash(seed ^ ((uint64_t)k->kind * 0x9E3779B97F4A7C15u),
                            k->a, k->alen);
  return k->b == NULL ? h : ng__xml_hash(h, k->b, k->blen);
}

static int key_eq(const key *x, const key *y) {
  return x->kind == y->kind && x->alen == y->alen && x->blen == y->blen &&
         memcmp(x->a, y->a, x->alen) == 0 &&
         (x->blen == 0 || memcmp(x->b, y->b, x->blen) == 0);
}

/* The slot holding the record with key k, or the empty slot for it. The
 * table must have a slot (cap > 0). */
static void **tab_slot(const tab *t, uint64_t seed, const key *k) {
  size_t mask = t->cap - 1, i = (size_t)hash_key(seed, k) & mask;
  key rk;

  for (; t->slot[i] != NULL; i = (i + 1) & mask) {
    t->key_of(t->slot[i], &rk);
    if (key_eq(&rk, k))
      break;
  }
  return &t->slot[i];
}

static void *tab_get(const tab *t, uint64_t seed, const key *k) {
  return t->cap == 0 ? NULL : *tab_slot(t, seed, k);
}

/* Room for one more record. NG_OK or NG_ENOMEM. */
static int tab_reserve(tab *t, uint64_t seed, const ng_alloc *alc) {
  size_t cap = t->cap == 0 ? 16 : t->cap * 2, i;
  tab nt = *t;
  key k;

  if ((t->n + 1) * 2 <= t->cap)
    return NG_OK;
  if (cap > SIZE_MAX / sizeof(void *) / 2)
    return NG_ENOMEM;
  nt.slot = ng__malloc(alc, cap * sizeof(void *));
  if (nt.slot == NULL)
    return NG_ENOMEM;
  memset(nt.slot, 0, cap * sizeof(void *));
  nt.cap = cap;
  for (i = 0; i < t->cap; i++) {
    if (t->slot[i] == NULL)
      continue;
    t->key_of(t->slot[i], &k);
    *tab_slot(&nt, seed, &k) = t->slot[i];
  }
  ng__free(alc, t->slot, t->cap * sizeof(void *));
  *t = nt;
  return NG_OK;
}

/* Inserts rec (whose key is not in t; room reserved). */
static void tab_put(tab *t, uint64_t seed, void *rec) {
  key k;

  t->key_of(rec, &k);
  *tab_slot(t, seed, &k) = rec;
  t->n++;
}

static void tab_free(tab *t, const ng_alloc *alc) {
  ng__free(alc, t->slot, t->cap * sizeof(void *));
  t->slot = NULL;
  t->cap = t->n = 0;
}

static void ent_key(const void *rec, key *k) {
  const ng__xml_entity *e = rec;
  k->a = (const unsigned char *)e->name;
  k->alen = e->name_len;
  k->b = NULL;
  k->blen = 0;
  k->kind = e->parameter;
}

static void list_key(const void *rec, key *k) {
  const alist *l = rec;
  k->a = (const unsigned char *)l->elem;
  k->alen = l->len;
  k->b = NULL;
  k->blen = 0;
  k->kind = 0;
}

static void def_key(const void *rec, key *k) {
  const ng__xml_attdef *a = rec;
  k->a = (const unsigned char *)a->elem;
  k->alen = a->elem_len;
  k->b = (const unsigned char *)a->name;
  k->blen = a->name_len;
  k->kind = 0;
}

static key key1(const void *s, size_t n, int kind) {
  key k = {s, n, NULL, 0, kind};
  return k;
}

/* ------------------------------------------------------ construction */

int ng__xml_dtd_new(ng__xml_dtd **out, const ng_alloc *alc, size_t max_memory,
                    ng__xml_budget *budget, int standalone) {
  ng__xml_dtd *d = ng__malloc(alc, sizeof *d);

  *out = NULL;
  if (d == NULL)
    return NG_ENOMEM;
  memset(d, 0, sizeof *d);
  ng_arena_init(&d->arena, alc, max_memory);
  d->alc = alc;
  d->budget = budget;
  d->standalone = standalone;
  /* The table's and this frame's addresses: they vary with the heap,
   * the thread and address-space randomisation. */
  d->seed = ((uint64_t)(uintptr_t)d ^ (uint64_t)(uintptr_t)&out << 17) *
            0x9E3779B97F4A7C15u;
  d->ents.key_of = ent_key;
  d->lists.key_of = list_key;
  d->defs.key_of = def_key;
  d->elast = &d->efirst;
  d->nlast = &d->nfirst;
  ng__xml_buf_init(&d->frames, alc);
  ng__xml_buf_init(&d->tmp, alc);
  ng__xml_buf_init(&d->stk, alc);
  ng__xml_buf_init(&d->vstk, alc);
  *out = d;
  return NG_OK;
}

void ng__xml_dtd_free(ng__xml_dtd *d) {
  if (d == NULL)
    return;
  tab_free(&d->ents, d->alc);
  tab_free(&d->lists, d->alc);
  tab_free(&d->defs, d->alc);
  ng__xml_buf_free(&d->frames);
  ng__xml_buf_free(&d->tmp);
  ng__xml_buf_free(&d->stk);
  ng__xml_buf_free(&d->vstk);
  ng_arena_free(&d->arena);
  ng__free(d->alc, d, sizeof *d);
}

/* A NUL-terminated copy of s[0..n) in the arena; NULL on failure. */
static char *arena_str(ng__xml_dtd *d, const void *s, size_t n) {
  char *c;

  if (n == SIZE_MAX)
    return NULL;
  c = ng_arena_alloc(&d->arena, n + 1, 1);
  if (c == NULL)
    return NULL;
  if (n != 0)
    memcpy(c, s, n);
  c[n] = '\0';
  return c;
}

/* ----------------------------------------------------------- lookups */

static const ng__xml_entity predef[5] = {
    {.name = "lt",
     .name_len = 2,
     .kind = NG__XML_ENT_INTERNAL,
     .predefined = 1,
     .text = "<",
     .text_len = 1,
     .expanded = 1},
    {.name = "gt",
     .name_len = 2,
     .kind = NG__XML_ENT_INTERNAL,
     .predefined = 1,
     .text = ">",
     .text_len = 1,
     .expanded = 1},
    {.name = "amp",
     .name_len = 3,
     .kind = NG__XML_ENT_INTERNAL,
     .predefined = 1,
     .text = "&",
     .text_len = 1,
     .expanded = 1},
    {.name = "apos",
     .name_len = 4,
     .kind = NG__XML_ENT_INTERNAL,
     .predefined = 1,
     .text = "'",
     .text_len = 1,
     .expanded = 1},
    {.name = "quot",
     .name_len = 4,
     .kind = NG__XML_ENT_INTERNAL,
     .predefined = 1,
     .text = "\"",
     .text_len = 1,
     .expanded = 1},
};

/* The index in predef of name[0..len), or -1: told apart by length and
 * first byte, then checked whole (a reference in an entity-heavy
 * document costs this on every use). */
static int predef_index(const char *name, size_t len) {
  int i;

  switch (len) {
  case 2:
    i = name[0] == 'l' ? 0 : name[0] == 'g' ? 1 : -1;
    break;
  case 3:
    i = 2;
    break;
  case 4:
    i = name[0] == 'a' ? 3 : name[0] == 'q' ? 4 : -1;
    break;
  default:
    return -1;
  }
  return i >= 0 && memcmp(predef[i].name, name, len) == 0 ? i : -1;
}

int ng__xml_predefined(const char *name, size_t len) {
  int i = predef_index(name, len);
  return i < 0 ? 0 : (unsigned char)predef[i].text[0];
}

ng__xml_entity *ng__xml_dtd_find(ng__xml_dtd *d, const char *name, size_t len,
                                 int parameter) {
  key k = key1(name, len, parameter);
  return d == NULL ? NULL : tab_get(&d->ents, d->seed, &k);
}

const ng__xml_entity *ng__xml_dtd_entity(const ng__xml_dtd *d, const char *name,
                                         size_t len, int parameter) {
  key k = key1(name, len, parameter);
  int i = parameter ? -1 : predef_index(name, len);

  if (i >= 0)
    return &predef[i];
  return d == NULL ? NULL : tab_get(&d->ents, d->seed, &k);
}

const ng__xml_entity *ng__xml_dtd_entities(const ng__xml_dtd *d) {
  return d != NULL ? d->efirst : NULL;
}

const ng__xml_notation *ng__xml_dtd_notations(const ng__xml_dtd *d) {
  return d != NULL ? d->nfirst : NULL;
}

const ng__xml_attdef *ng__xml_dtd_attlist(const ng__xml_dtd *d,
                                          const char *name, size_t len) {
  key k = key1(name, len, 0);
  const alist *l = d == NULL ? NULL : tab_get(&d->lists, d->seed, &k);
  return l == NULL ? NULL : l->first;
}

const ng__xml_attdef *ng__xml_dtd_defaults(const ng__xml_dtd *d,
                                           const char *name, size_t len) {
  key k = key1(name, len, 0);
  const alist *l = d == NULL ? NULL : tab_get(&d->lists, d->seed, &k);
  return l == NULL ? NULL : l->dfirst;
}

const ng__xml_attdef *ng__xml_dtd_attdef(const ng__xml_dtd *d, const char *elem,
                                         size_t elen, const char *att,
                                         size_t alen) {
  key k = {(const unsigned char *)elem, elen, (const unsigned char *)att, alen,
           0};
  return d == NULL ? NULL : tab_get(&d->defs, d->seed, &k);
}

int ng__xml_dtd_has_attlists(const ng__xml_dtd *d) {
  return d != NULL && d->lists.n != 0;
}

int ng__xml_dtd_lenient(const ng__xml_dtd *d) {
  return d != NULL && (d->has_pe_ref || d->unread_external) && !d->standalone;
}

int ng__xml_dtd_unread_external(const ng__xml_dtd *d) {
  return d != NULL && d->unread_external;
}

/* -------------------------------------------------- cursor and errors */

static frame *frames(const ng__xml_dtd *d) {
  return (frame *)(void *)d->frames.p;
}

static int in_doc(const ng__xml_dtd *d) { return d->nfr == 1; }

/* Offset for an error at `at` in the current frame. */
static size_t where(const ng__xml_dtd *d, const unsigned char *at) {
  return in_doc(d) ? (size_t)(at - d->doc) : d->ref_off;
}

/*
 * Records the error `code` about the byte at `at` of the current frame and
 * returns it. NG_EEOF (cut by the frame's end) stays itself in the
 * document and becomes NG_EENTITY in a parameter entity.
 */
static int fail(ng__xml_dtd *d, int code, const unsigned char *at,
                const char *msg) {
  if (code == NG_EEOF && !in_doc(d)) {
    code = NG_EENTITY;
    msg = "markup declaration not complete within the parameter entity";
  }
  if (code == NG_EUTF8)
    msg = "invalid UTF-8";
  d->err->code = code;
  d->err->off = where(d, at);
  d->err->msg = code == NG_EEOF ? NULL : msg;
  return code;
}

/* Out of memory (NG_ENOMEM, or the arena's NG_EMEMLIMIT). */
static int no_mem(ng__xml_dtd *d, int code) {
  return fail(d, code, d->p, NULL);
}

static int arena_fail(ng__xml_dtd *d) { return no_mem(d, d->arena.err); }

/* The grammar wanted something else at the cursor. */
static int bad(ng__xml_dtd *d, int code, const char *msg) {
  if (d->p < d->lim && *d->p == '%')
    return fail(d, NG_ESYNTAX, d->p,
                "parameter-entity reference inside a markup declaration "
                "(internal subset)");
  return fail(d, ng__xml_char_code(d->p, d->lim, code), d->p, msg);
}

/* Skips white space in the current frame; returns the bytes skipped. */
static size_t skip_s(ng__xml_dtd *d) {
  const unsigned char *s = d->p, *p = s;

  while (p < d->lim && ng__xml_is_space(*p))
    p++;
  d->p = p;
  return (size_t)(p - s);
}

static int need_s(ng__xml_dtd *d, const char *msg) {
  const unsigned char *p = d->p;

  skip_s(d);
  return d->p != p ? NG_OK : bad(d, NG_ESYNTAX, msg);
}

static int at_byte(const ng__xml_dtd *d, unsigned char c) {
  return d->p < d->lim && *d->p == c;
}

static int expect(ng__xml_dtd *d, unsigned char c, const char *msg) {
  if (!at_byte(d, c))
    return bad(d, NG_ESYNTAX, msg);
  d->p++;
  return NG_OK;
}

/* A Name at the cursor into [*s, *s + *n). */
static int read_name(ng__xml_dtd *d, const unsigned char **s, size_t *n,
                     const char *msg) {
  const unsigned char *e = ng__xml_name_end(d->p, d->lim);

  if (e == d->p) {
    if (at_byte(d, '%'))
      return bad(d, NG_ESYNTAX, msg);
    return fail(d, ng__xml_name_code(d->p, d->lim), d->p, msg);
  }
  *s = d->p;
  *n = (size_t)(e - d->p);
  d->p = e;
  return NG_OK;
}

/* An Nmtoken at the cursor. */
static int read_nmtoken(ng__xml_dtd *d, const char *msg) {
  const unsigned char *e = ng__xml_nmtoken_end(d->p, d->lim);

  if (e == d->p)
    return bad(d, NG_ESYNTAX, msg);
  d->p = e;
  return NG_OK;
}

static int is_word(const unsigned char *s, size_t n, const char *w) {
  return n == strlen(w) && memcmp(s, w, n) == 0;
}

/* A keyword (a Name token) at the cursor into [*s, *s + *n). */
static int read_word(ng__xml_dtd *d, const unsigned char **s, size_t *n,
                     const char *msg) {
  const unsigned char *e = ng__xml_name_end(d->p, d->lim);

  if (e == d->p)
    return bad(d, NG_ESYNTAX, msg);
  if (e == d->lim)
    return fail(d, NG_EEOF, e, NULL);
  *s = d->p;
  *n = (size_t)(e - d->p);
  d->p = e;
  return NG_OK;
}

/* Has s[0..n) of the current frame line ends to normalise? (Only the
 * document's.) */
static int has_cr(const ng__xml_dtd *d, const unsigned char *s, size_t n) {
  return in_doc(d) && memchr(s, '\r', n) != NULL;
}

/*
 * Appends s[0..n) of the current frame to b: in the document with line
 * ends normalised, elsewhere as it is.
 */
static int put_text(ng__xml_dtd *d, ng__xml_buf *b, const unsigned char *s,
                    size_t n) {
  if (!has_cr(d, s, n))
    return ng__xml_buf_put(b, s, n);
  if (ng__xml_buf_grow(b, n) != NG_OK)
    return NG_ENOMEM;
  b->len += ng__xml_copy_lines(b->p + b->len, s, n);
  return NG_OK;
}

/* -------------------------------------------------------- literals */

/* [13] PubidChar, ASCII only. */
static int is_pubid_char(unsigned c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == 0x20 || c == 0xD || c == 0xA ||
         (c != '"' && c != '&' && c != '<' && c != '>' && c != '[' &&
          c != ']' && c != '\\' && c != '^' && c != '`' && c != '{' &&
          c != '|' && c != '}' && c != '~' && c > 0x20 && c < 0x7F);
}

/*
 * A quoted SystemLiteral ([11]) or, with pubid, PubidLiteral ([12]) at
 * the cursor; its content, line ends normalised, as an arena string in
 * *out (length *n).
 */
static int read_literal(ng__xml_dtd *d, int pubid, const char **out,
                        size_t *n) {
  const unsigned char *p, *s;
  unsigned char q;
  uint32_t cp;
  int k;

  if (!at_byte(d, '"') && !at_byte(d, '\''))
    return bad(d, NG_ESYNTAX,
               pubid ? "expected a quoted public id"
                     : "expected a quoted system id");
  q = *d->p;
  for (s = p = d->p + 1; p < d->lim && *p != q; p += k) {
    k = ng__xml_char(p, d->lim, &cp);
    if (k < 0)
      return fail(d, -k, p, "character not allowed in a literal");
    if (pubid && !is_pubid_char(cp > 0x7F ? 0 : cp))
      return fail(d, NG_ESYNTAX, p, "character not allowed in a public id");
  }
  if (p == d->lim)
    return fail(d, NG_EEOF, p, NULL);
  d->tmp.len = 0;
  if (put_text(d, &d->tmp, s, (size_t)(p - s)) != NG_OK)
    return no_mem(d, NG_ENOMEM);
  d->p = p + 1;
  *n = d->tmp.len;
  *out = arena_str(d, d->tmp.p, d->tmp.len);
  return *out == NULL ? arena_fail(d) : NG_OK;
}

/* External identifiers of ENTITY, DOCTYPE and NOTATION declarations. */
typedef struct extid {
  const char *pub; /* public id or NULL */
  size_t plen;
  const char *sys; /* system id or NULL */
  size_t slen;
} extid;

/*
 * [75] ExternalID at the cursor, its keyword read already into [kw,
 * kw+kn): SYSTEM S SystemLiteral | PUBLIC S PubidLiteral S SystemLiteral.
 * With `notation`, [83] PublicID too: the system literal may be left out.
 */
static int read_extid(ng__xml_dtd *d, const unsigned char *kw, size_t kn,
                      int notation, extid *x) {
  const unsigned char *p;
  int rc;

  x->pub = x->sys = NULL;
  x->plen = x->slen = 0;
  if (is_word(kw, kn, "SYSTEM")) {
    if ((rc = need_s(d, "expected white space after SYSTEM")) != NG_OK)
      return rc;
    return read_literal(d, 0, &x->sys, &x->slen);
  }
  if (!is_word(kw, kn, "PUBLIC")) {
    d->p = kw;
    return fail(d, NG_ESYNTAX, kw, "expected SYSTEM or PUBLIC");
  }
  if ((rc = need_s(d, "expected white space after PUBLIC")) != NG_OK ||
      (rc = read_literal(d, 1, &x->pub, &x->plen)) != NG_OK)
    return rc;
  p = d->p;
  if (notation) { /* [83] PublicID: no system literal is fine */
    skip_s(d);
    if (!at_byte(d, '"') && !at_byte(d, '\''))
      return NG_OK;
    d->p = p;
  }
  if ((rc = need_s(d, "expected white space before the system id")) != NG_OK)
    return rc;
  return read_literal(d, 0, &x->sys, &x->slen);
}

/* Reads "S? '>'", the end of a declaration. */
static int decl_end(ng__xml_dtd *d) {
  skip_s(d);
  return expect(d, '>', "expected '>' at the end of the declaration");
}

/* 1 when p starts with w, -1 when the frame ends inside a prefix of w
 * (the construct is cut), 0 otherwise. */
static int match(const unsigned char *p, const unsigned char *lim,
                 const char *w) {
  size_t n = strlen(w), have = (size_t)(lim - p);

  if (have >= n)
    return memcmp(p, w, n) == 0;
  return memcmp(p, w, have) == 0 ? -1 : 0;
}

/* ------------------------------------------------ element declarations */

static void quantifier(ng__xml_dtd *d) {
  if (at_byte(d, '?') || at_byte(d, '*') || at_byte(d, '+'))
    d->p++;
}

/* [51] Mixed, the cursor at "#PCDATA". */
static int mixed(ng__xml_dtd *d) {
  const unsigned char *s;
  size_t n, names = 0;
  int rc;

  d->p += 7;
  for (;;) {
    skip_s(d);
    if (at_byte(d, ')')) {
      d->p++;
      if (names == 0) {
        if (at_byte(d, '*')) /* '?' or '+' then fails at decl_end */
          d->p++;
        return NG_OK;
      }
      return expect(d, '*', "expected ')*' after mixed content with names");
    }
    if ((rc = expect(d, '|', "expected '|' or ')' in mixed content")) != NG_OK)
      return rc;
    skip_s(d);
    if ((rc = read_name(d, &s, &n, "expected an element type name")) != NG_OK)
      return rc;
    names++;
  }
}

/* After a content particle: ')' closes groups, ',' or '|' (one kind per
 * group) asks for the next particle. Returns NG_OK with *done set when the
 * outermost group closed. */
static int after_cp(ng__xml_dtd *d, int *done) {
  unsigned char *sep;

  for (;;) {
    skip_s(d);
    if (at_byte(d, ')')) {
      d->p++;
      quantifier(d);
      if (--d->stk.len == 0) {
        *done = 1;
        return NG_OK;
      }
      continue;
    }
    if (!at_byte(d, ',') && !at_byte(d, '|'))
      return bad(d, NG_ESYNTAX, "expected ',', '|' or ')' in a content model");
    sep = &d->stk.p[d->stk.len - 1];
    if (*sep != 0 && *sep != *d->p)
      return fail(d, NG_ESYNTAX, d->p, "',' and '|' mixed in one group");
    *sep = *d->p++;
    return NG_OK;
  }
}

/* [47] children, after the first '('. Groups nest on d->stk, one byte
 * per open group: its separator, 0 until one is seen. */
static int children(ng__xml_dtd *d) {
  const unsigned char *s;
  size_t n;
  int rc, done = 0;

  d->stk.len = 0;
  if (ng__xml_buf_put(&d->stk, "", 1) != NG_OK)
    return no_mem(d, NG_ENOMEM);
  while (!done) {
    skip_s(d);
    if (at_byte(d, '(')) {
      d->p++;
      if (ng__xml_buf_put(&d->stk, "", 1) != NG_OK)
        return no_mem(d, NG_ENOMEM);
      continue;
    }
    if ((rc = read_name(d, &s, &n,
                        "expected a name or '(' in a content "
                        "model")) != NG_OK)
      return rc;
    quantifier(d);
    if ((rc = after_cp(d, &done)) != NG_OK)
      return rc;
  }
  return NG_OK;
}

/* [45] elementdecl, after "<!ELEMENT". Nothing is recorded: validity
 * is not checked. */
static int decl_element(ng__xml_dtd *d) {
  const unsigned char *s;
  size_t n;
  int rc, m;

  if ((rc = need_s(d, "expected white space after <!ELEMENT")) != NG_OK ||
      (rc = read_name(d, &s, &n, "expected an element type name")) != NG_OK ||
      (rc = need_s(d, "expected white space before the content model")) !=
          NG_OK)
    return rc;
  if (at_byte(d, '(')) {
    d->p++;
    skip_s(d);
    m = match(d->p, d->lim, "#PCDATA");
    if (m < 0)
      return fail(d, NG_EEOF, d->lim, NULL);
    rc = m > 0 ? mixed(d) : children(d);
  } else if ((rc = read_word(d, &s, &n, "expected EMPTY, ANY or '('")) ==
                 NG_OK &&
             !is_word(s, n, "EMPTY") && !is_word(s, n, "ANY")) {
    rc = fail(d, NG_ESYNTAX, s, "expected EMPTY, ANY or '('");
  }
  return rc != NG_OK ? rc : decl_end(d);
}

/* ------------------------------------------ attribute-list declarations */

/* [58] NotationType's or [59] Enumeration's group at '(': Names when
 * `names`, else Nmtokens, separated by '|'. */
static int enum_group(ng__xml_dtd *d, int names) {
  const unsigned char *s;
  size_t n;
  int rc;

  d->p++;
  for (;;) {
    skip_s(d);
    rc = names ? read_name(d, &s, &n, "expected a notation name")
               : read_nmtoken(d, "expected a name token");
    if (rc != NG_OK)
      return rc;
    skip_s(d);
    if (at_byte(d, ')')) {
      d->p++;
      return NG_OK;
    }
    if ((rc = expect(d, '|', "expected '|' or ')'")) != NG_OK)
      return rc;
  }
}

/* [54] AttType into *type. */
static int att_type(ng__xml_dtd *d, int *type) {
  static const char *const tokenized[] = {
      "ID", "IDREF", "IDREFS", "ENTITY", "ENTITIES", "NMTOKEN", "NMTOKENS"};
  const unsigned char *s;
  size_t n, i;
  int rc;

  *type = NG__XML_ATT_ENUMERATED;
  if (at_byte(d, '('))
    return enum_group(d, 0);
  if ((rc = read_word(d, &s, &n, "expected an attribute type")) != NG_OK)
    return rc;
  *type = NG__XML_ATT_TOKENIZED;
  for (i = 0; i < sizeof tokenized / sizeof tokenized[0]; i++)
    if (is_word(s, n, tokenized[i]))
      return NG_OK;
  if (is_word(s, n, "CDATA")) {
    *type = NG__XML_ATT_CDATA;
    return NG_OK;
  }
  if (!is_word(s, n, "NOTATION"))
    return fail(d, NG_ESYNTAX, s, "unknown attribute type");
  *type = NG__XML_ATT_ENUMERATED;
  if ((rc = need_s(d, "expected white space after NOTATION")) != NG_OK)
    return rc;
  if (!at_byte(d, '('))
    return bad(d, NG_ESYNTAX, "expected '(' after NOTATION");
  return enum_group(d, 1);
}

/* The default value at the cursor (a quote), normalised into d->tmp. */
static int att_value(ng__xml_dtd *d, int type) {
  ng__xml_src src;

  src.doc = d->doc;
  src.doc_len = d->doc_len;
  src.in_doc = in_doc(d);
  src.ref_off = d->ref_off;
  src.depth = d->nfr - 1;
  src.covered = 0; /* a parameter entity's size leaves these out */
  d->tmp.len = 0;
  d->p++;
  return ng__xml_attval(d, &src, &d->p, d->lim, d->p[-1],
                        type != NG__XML_ATT_CDATA, &d->tmp, d->err);
}

/* [60] DefaultDecl into *def (a value into d->tmp). */
static int att_default(ng__xml_dtd *d, int type, int *def) {
  const unsigned char *s;
  size_t n;
  int rc;

  *def = NG__XML_DEF_DEFAULT;
  if (at_byte(d, '#')) {
    d->p++;
    if ((rc = read_word(d, &s, &n, "expected REQUIRED, IMPLIED or FIXED")) !=
        NG_OK)
      return rc;
    *def = is_word(s, n, "REQUIRED")  ? NG__XML_DEF_REQUIRED
           : is_word(s, n, "IMPLIED") ? NG__XML_DEF_IMPLIED
           : is_word(s, n, "FIXED")   ? NG__XML_DEF_FIXED
                                      : 0;
    if (*def == 0)
      return fail(d, NG_ESYNTAX, s, "expected REQUIRED, IMPLIED or FIXED");
    if (*def != NG__XML_DEF_FIXED)
      return NG_OK;
    if ((rc = need_s(d, "expected white space after #FIXED")) != NG_OK)
      return rc;
  }
  if (!at_byte(d, '"') && !at_byte(d, '\''))
    return bad(d, NG_ESYNTAX,
               "expected #REQUIRED, #IMPLIED, #FIXED or a quoted value");
  return att_value(d, type);
}

/* The list of element type el, created when missing; NULL on failure. */
static alist *get_list(ng__xml_dtd *d, const unsigned char *el, size_t n) {
  key k = key1(el, n, 0);
  alist *l = tab_get(&d->lists, d->seed, &k);

  if (l != NULL)
    return l;
  if (tab_reserve(&d->lists, d->seed, d->alc) != NG_OK)
    return NULL;
  l = ng_arena_alloc(&d->arena, sizeof *l, _Alignof(alist));
  if (l == NULL || (l->elem = arena_str(d, el, n)) == NULL)
    return NULL;
  l->len = n;
  l->first = l->last = NULL;
  l->dfirst = l->dlast = NULL;
  tab_put(&d->lists, d->seed, l);
  return l;
}

/* Records attribute at[0..an) of el[0..en) unless already declared (the
 * first declaration binds); its default value is in d->tmp. */
static int add_attdef(ng__xml_dtd *d, const unsigned char *el, size_t en,
                      const unsigned char *at, size_t an, int type, int def) {
  key k = {el, en, at, an, 0};
  ng__xml_attdef *a;
  alist *l;

  if (tab_get(&d->defs, d->seed, &k) != NULL)
    return NG_OK;
  if ((l = get_list(d, el, en)) == NULL ||
      tab_reserve(&d->defs, d->seed, d->alc) != NG_OK)
    return no_mem(d, d->arena.err != NG_OK ? d->arena.err : NG_ENOMEM);
  a = ng_arena_alloc(&d->arena, sizeof *a, _Alignof(ng__xml_attdef));
  if (a == NULL || (a->name = arena_str(d, at, an)) == NULL)
    return arena_fail(d);
  a->value = NULL;
  a->value_len = 0;
  if (def == NG__XML_DEF_FIXED || def == NG__XML_DEF_DEFAULT) {
    if ((a->value = arena_str(d, d->tmp.p, d->tmp.len)) == NULL)
      return arena_fail(d);
    a->value_len = d->tmp.len;
  }
  a->name_len = an;
  a->type = type;
  a->def = def;
  a->elem = l->elem;
  a->elem_len = en;
  a->next = NULL;
  a->next_default = NULL;
  *(l->last != NULL ? &l->last->next : &l->first) = a;
  l->last = a;
  if (a->value != NULL) {
    *(l->dlast != NULL ? &l->dlast->next_default : &l->dfirst) = a;
    l->dlast = a;
  }
  tab_put(&d->defs, d->seed, a);
  return NG_OK;
}

/* [53] AttDef after its white space, for element el[0..en). */
static int attdef(ng__xml_dtd *d, const unsigned char *el, size_t en) {
  const unsigned char *s;
  size_t n;
  int rc, type, def;

  if ((rc = read_name(d, &s, &n, "expected an attribute name")) != NG_OK ||
      (rc = need_s(d, "expected white space after the attribute name")) !=
          NG_OK ||
      (rc = att_type(d, &type)) != NG_OK ||
      (rc = need_s(d, "expected white space before the default")) != NG_OK ||
      (rc = att_default(d, type, &def)) != NG_OK)
    return rc;
  return d->skip_decls ? NG_OK : add_attdef(d, el, en, s, n, type, def);
}

/* [52] AttlistDecl, after "<!ATTLIST". */
static int decl_attlist(ng__xml_dtd *d) {
  const unsigned char *el;
  size_t en;
  int rc;

  if ((rc = need_s(d, "expected white space after <!ATTLIST")) != NG_OK ||
      (rc = read_name(d, &el, &en, "expected an element type name")) != NG_OK)
    return rc;
  for (;;) {
    if (skip_s(d) == 0 || at_byte(d, '>'))
      return expect(d, '>', "expected white space or '>'");
    if ((rc = attdef(d, el, en)) != NG_OK)
      return rc;
  }
}

/* ---------------------------------------------- entity declarations */

/* [9] EntityValue at the cursor (a quote) into d->tmp: character
 * references replaced, entity references kept as written. A parameter-
 * entity reference inside is an error in the internal subset (WFC: PEs in
 * Internal Subset), and so is a bare '%' or '&'. */
static int entity_value(ng__xml_dtd *d) {
  unsigned char q = *d->p;
  const unsigned char *p = d->p + 1, *seg = p;
  ng__xml_ref r;
  uint32_t cp;
  int n;

  d->tmp.len = 0;
  d->lit = NULL;
  for (;;) {
    if (p == d->lim)
      return fail(d, NG_EEOF, p, NULL);
    if (*p == q && seg == d->p + 1 && !has_cr(d, seg, (size_t)(p - seg))) {
      d->lit = seg; /* no reference, no line end to normalise: no copy */
      d->lit_len = (size_t)(p - seg);
      break;
    }
    if (*p == q || *p == '&' || *p == '%') {
      if (put_text(d, &d->tmp, seg, (size_t)(p - seg)) != NG_OK)
        return no_mem(d, NG_ENOMEM);
      if (*p == q)
        break;
      if (*p == '%')
        return fail(d, NG_ESYNTAX, p,
                    ng__xml_name_end(p + 1, d->lim) > p + 1
                        ? "parameter-entity reference in an entity value "
                          "(WFC: PEs in Internal Subset)"
                        : "'%' in an entity value must start a reference");
      if (!ng__xml_scan_ref(p, d->lim, &r))
        return fail(d, r.code, r.at, r.msg);
      if ((r.kind == NG__XML_REF_CHAR
               ? buf_putc(&d->tmp, r.cp)
               : ng__xml_buf_put(&d->tmp, p, (size_t)(r.end - p))) != NG_OK)
        return no_mem(d, NG_ENOMEM);
      p = seg = r.end;
      continue;
    }
    if ((n = ng__xml_char(p, d->lim, &cp)) < 0)
      return fail(d, -n, p, "character not allowed in an entity value");
    p += n;
  }
  d->p = p + 1;
  return NG_OK;
}

static const unsigned char *text_end(const ng__xml_entity *e) {
  return (const unsigned char *)e->text + e->text_len;
}

/* The first occurrence of w in [p, lim), or lim. */
static const unsigned char *find(const unsigned char *p,
                                 const unsigned char *lim, const char *w) {
  size_t n = strlen(w);

  while ((p = memchr(p, w[0], (size_t)(lim - p))) != NULL) {
    if ((size_t)(lim - p) < n)
      break;
    if (memcmp(p, w, n) == 0)
      return p;
    p++;
  }
  return lim;
}

/* Past the markup at '<' that hides references from next_ref: comments,
 * PIs, CDATA sections, and in a parameter entity whole declarations
 * (quoted literals in them included). */
static const unsigned char *
skip_markup(const unsigned char *p, const unsigned char *lim, int parameter) {
  const char *close = match(p, lim, "<!--") > 0        ? "-->"
                      : match(p, lim, "<?") > 0        ? "?>"
                      : match(p, lim, "<![CDATA[") > 0 ? "]]>"
                                                       : NULL;
  unsigned char q;

  if (close != NULL) {
    p = find(p + 2, lim, close);
    return p == lim ? lim : p + strlen(close);
  }
  if (!parameter)
    return p + 1; /* a tag: references in its attribute values count */
  for (p++; p < lim && *p != '>'; p++) {
    if (*p != '"' && *p != '\'')
      continue;
    q = *p;
    while (++p < lim && *p != q)
      ;
    if (p == lim)
      break;
  }
  return p == lim ? lim : p + 1;
}

/*
 * The next reference in e's text from *pos: for a general entity, entity
 * references (not the predefined ones) outside comments, PIs and CDATA
 * sections; for a parameter entity, parameter-entity references between
 * declarations. Stores the name and moves *pos past it; 0 at the end.
 */
static int next_ref(const ng__xml_entity *e, const unsigned char **pos,
                    const unsigned char **name, size_t *len) {
  const unsigned char *p = *pos, *lim = text_end(e), *n;
  unsigned char amp = e->parameter ? '%' : '&';
  ng__xml_ref r;

  while (p < lim) {
    if (*p == '<') {
      p = skip_markup(p, lim, e->parameter);
    } else if (*p != amp) {
      p++;
    } else if (e->parameter) {
      n = ng__xml_name_end(p + 1, lim);
      if (n > p + 1 && n < lim && *n == ';') {
        *name = p + 1;
        *len = (size_t)(n - p - 1);
        *pos = n + 1;
        return 1;
      }
      p++;
    } else if (ng__xml_scan_ref(p, lim, &r) != NG__XML_REF_NAME) {
      p = r.kind != 0 ? r.end : p + 1;
    } else if (ng__xml_predefined((const char *)r.name, r.name_len)) {
      p = r.end;
    } else {
      *name = r.name;
      *len = r.name_len;
      *pos = r.end;
      return 1;
    }
  }
  *pos = lim;
  return 0;
}

/* Adds what a reference to x brings to e. */
static void absorb(ng__xml_entity *e, const ng__xml_entity *x) {
  if (x->kind == NG__XML_ENT_EXTERNAL) {
    e->flags |= NG__XML_EF_EXTERNAL;
  } else if (x->kind == NG__XML_ENT_UNPARSED) {
    e->flags |= NG__XML_EF_UNPARSED;
  } else {
    e->expanded = sat_add(e->expanded, x->expanded);
    e->flags |= x->flags;
  }
}

/* e's own text: its size, and '<' in it (general entities). */
static void measure_own(ng__xml_entity *e) {
  e->expanded = e->text_len;
  e->flags = !e->parameter && memchr(e->text, '<', e->text_len) != NULL
                 ? NG__XML_EF_LT
                 : 0;
}

/* Sizes and flags of internal entity e at its declaration, from the
 * entities declared so far; a reference to a name not declared yet (or to
 * a pending entity) leaves e pending. */
static void measure(ng__xml_dtd *d, ng__xml_entity *e) {
  const unsigned char *pos = (const unsigned char *)e->text, *name;
  const ng__xml_entity *x;
  size_t n;

  measure_own(e);
  while (next_ref(e, &pos, &name, &n)) {
    x = ng__xml_dtd_find(d, (const char *)name, n, e->parameter);
    if (x == NULL)
      e->flags |= NG__XML_EF_PENDING;
    else
      absorb(e, x);
  }
}

/* A frame of the resolution pass: an entity and where its scan is. */
typedef struct rframe {
  ng__xml_entity *e;
  const unsigned char *pos;
} rframe;

static int rpush(ng__xml_dtd *d, size_t *n, ng__xml_entity *e) {
  rframe *f;

  d->stk.len = *n * sizeof *f;
  if (ng__xml_buf_grow(&d->stk, sizeof *f) != NG_OK)
    return NG_ENOMEM;
  f = (rframe *)(void *)d->stk.p + (*n)++;
  f->e = e;
  f->pos = (const unsigned char *)e->text;
  e->mark = 1;
  measure_own(e);
  return NG_OK;
}

/*
 * Final sizes and flags for the pending general entity root and every
 * pending one it reaches: depth first with an explicit stack, each entity
 * scanned once. A reference back to an entity on the stack is a cycle:
 * the referrer, and everything that reaches it, is RECURSIVE.
 */
static int resolve(ng__xml_dtd *d, ng__xml_entity *root) {
  const unsigned char *name;
  ng__xml_entity *e, *x;
  rframe *f;
  size_t n = 0, len;

  if (rpush(d, &n, root) != NG_OK)
    return NG_ENOMEM;
  while (n > 0) {
    f = (rframe *)(void *)d->stk.p + n - 1;
    e = f->e;
    if (!next_ref(e, &f->pos, &name, &len)) {
      e->mark = 2;
      if (--n > 0)
        absorb(((rframe *)(void *)d->stk.p)[n - 1].e, e);
      continue;
    }
    x = ng__xml_dtd_find(d, (const char *)name, len, 0);
    if (x == NULL) {
      e->flags |= NG__XML_EF_UNDECLARED;
    } else if (x->mark == 1) {
      e->flags |= NG__XML_EF_RECURSIVE; /* x is on the stack: a cycle */
    } else if ((x->flags & NG__XML_EF_PENDING) && x->mark == 0) {
      if (rpush(d, &n, x) != NG_OK)
        return NG_ENOMEM;
    } else {
      absorb(e, x);
    }
  }
  return NG_OK;
}

/* The end of the internal subset: every general entity becomes final. */
static int resolve_all(ng__xml_dtd *d) {
  ng__xml_entity *e;

  for (e = d->efirst; e != NULL; e = e->next)
    if (!e->parameter && e->kind == NG__XML_ENT_INTERNAL &&
        (e->flags & NG__XML_EF_PENDING) && resolve(d, e) != NG_OK)
      return no_mem(d, NG_ENOMEM);
  return NG_OK;
}

/* What an entity declaration read, for record_entity. */
typedef struct edecl {
  const unsigned char *at;   /* its "<!ENTITY" */
  const unsigned char *name; /* the entity name */
  size_t len;
  int parameter;
  int kind;                   /* NG__XML_ENT_*; INTERNAL: the text in d->lit
                                 or d->tmp */
  extid id;                   /* EXTERNAL, UNPARSED */
  const unsigned char *ndata; /* UNPARSED: notation name */
  size_t nlen;
} edecl;

/* Records a declared entity unless it is not to be (after an unread
 * parameter entity, a predefined name, a second declaration). */
static int record_entity(ng__xml_dtd *d, const edecl *x) {
  key k = key1(x->name, x->len, x->parameter);
  ng__xml_entity *e;

  if (d->skip_decls || tab_get(&d->ents, d->seed, &k) != NULL ||
      (!x->parameter && predef_index((const char *)x->name, x->len) >= 0))
    return NG_OK;
  if (tab_reserve(&d->ents, d->seed, d->alc) != NG_OK)
    return no_mem(d, NG_ENOMEM);
  e = ng_arena_alloc(&d->arena, sizeof *e, _Alignof(ng__xml_entity));
  if (e == NULL)
    return arena_fail(d);
  memset(e, 0, sizeof *e);
  e->name = arena_str(d, x->name, x->len);
  if (x->kind == NG__XML_ENT_INTERNAL && d->lit == NULL) {
    d->lit = d->tmp.p;
    d->lit_len = d->tmp.len;
  }
  e->text = x->kind == NG__XML_ENT_INTERNAL ? arena_str(d, d->lit, d->lit_len)
                                            : "";
  e->notation = x->ndata != NULL ? arena_str(d, x->ndata, x->nlen) : NULL;
  if (e->name == NULL || e->text == NULL ||
      (x->ndata != NULL && e->notation == NULL))
    return arena_fail(d);
  e->name_len = x->len;
  e->kind = x->kind;
  e->parameter = x->parameter;
  e->text_len = x->kind == NG__XML_ENT_INTERNAL ? d->lit_len : 0;
  e->pubid = x->id.pub;
  e->sysid = x->id.sys;
  e->decl_off = where(d, x->at);
  if (e->kind == NG__XML_ENT_INTERNAL)
    measure(d, e);
  tab_put(&d->ents, d->seed, e);
  *d->elast = e;
  d->elast = &e->next;
  return NG_OK;
}

/* After an external id of a general entity: S NDATA S Name? */
static int ndata(ng__xml_dtd *d, edecl *x) {
  const unsigned char *p = d->p, *s;
  size_t n;
  int rc;

  if (skip_s(d) == 0 || at_byte(d, '>')) {
    d->p = p;
    return NG_OK;
  }
  if ((rc = read_word(d, &s, &n, "expected NDATA or '>'")) != NG_OK)
    return rc;
  if (!is_word(s, n, "NDATA"))
    return fail(d, NG_ESYNTAX, s, "expected NDATA or '>'");
  if ((rc = need_s(d, "expected white space after NDATA")) != NG_OK ||
      (rc = read_name(d, &x->ndata, &x->nlen, "expected a notation name")) !=
          NG_OK)
    return rc;
  x->kind = NG__XML_ENT_UNPARSED;
  return NG_OK;
}

/* [70] EntityDecl, after "<!ENTITY" at `at`. */
static int decl_entity(ng__xml_dtd *d, const unsigned char *at) {
  const unsigned char *kw;
  size_t kn;
  edecl x;
  int rc;

  memset(&x, 0, sizeof x);
  x.at = at;
  x.kind = NG__XML_ENT_INTERNAL;
  if ((rc = need_s(d, "expected white space after <!ENTITY")) != NG_OK)
    return rc;
  if (at_byte(d, '%')) {
    d->p++;
    x.parameter = 1;
    if ((rc = need_s(d, "expected white space after '%'")) != NG_OK)
      return rc;
  }
  if ((rc = read_name(d, &x.name, &x.len, "expected an entity name")) !=
          NG_OK ||
      (rc = need_s(d, "expected white space after the entity name")) != NG_OK)
    return rc;
  if (at_byte(d, '"') || at_byte(d, '\'')) {
    rc = entity_value(d);
  } else if ((rc = read_word(d, &kw, &kn,
                             "expected a quoted value, SYSTEM "
                             "or PUBLIC")) == NG_OK &&
             (rc = read_extid(d, kw, kn, 0, &x.id)) == NG_OK) {
    x.kind = NG__XML_ENT_EXTERNAL;
    if (!x.parameter)
      rc = ndata(d, &x);
  }
  if (rc != NG_OK || (rc = decl_end(d)) != NG_OK)
    return rc;
  return record_entity(d, &x);
}

/* Records the notation name[0..n) declared at `at` (its "<!NOTATION"),
 * unless declarations are skipped (5.1). */
static int record_notation(ng__xml_dtd *d, const unsigned char *at,
                           const unsigned char *name, size_t n) {
  ng__xml_notation *no;

  if (d->skip_decls)
    return NG_OK;
  no = ng_arena_alloc(&d->arena, sizeof *no, _Alignof(ng__xml_notation));
  if (no == NULL || (no->name = arena_str(d, name, n)) == NULL)
    return arena_fail(d);
  no->name_len = n;
  no->decl_off = where(d, at);
  no->next = NULL;
  *d->nlast = no;
  d->nlast = &no->next;
  return NG_OK;
}

/* [82] NotationDecl, after "<!NOTATION" at `at`: only its name is kept. */
static int decl_notation(ng__xml_dtd *d, const unsigned char *at) {
  const unsigned char *s, *name;
  size_t n, nlen;
  extid x;
  int rc;

  if ((rc = need_s(d, "expected white space after <!NOTATION")) != NG_OK ||
      (rc = read_name(d, &name, &nlen, "expected a notation name")) !=
          NG_OK ||
      (rc = need_s(d, "expected white space after the notation name")) !=
          NG_OK ||
      (rc = read_word(d, &s, &n, "expected SYSTEM or PUBLIC")) != NG_OK ||
      (rc = read_extid(d, s, n, 1, &x)) != NG_OK ||
      (rc = decl_end(d)) != NG_OK)
    return rc;
  return record_notation(d, at, name, nlen);
}

/* --------------------------------------------------- the internal subset */

/* The result of a markup scanner of lexer.h. */
static int span_done(ng__xml_dtd *d, int rc, const ng__xml_span *s) {
  if (rc != NG_OK)
    return fail(d, s->code, s->at, s->msg);
  d->p = s->end;
  return NG_OK;
}

/* [29] markupdecl, or a comment or PI, at '<'. */
static int markup(ng__xml_dtd *d) {
  const unsigned char *p = d->p, *e;
  ng__xml_span sp;
  int m;
  size_t n;

  if ((m = match(p, d->lim, "<!--")) > 0)
    return span_done(d, ng__xml_scan_comment(p, d->lim, &sp), &sp);
  if (m == 0 && (m = match(p, d->lim, "<?")) > 0)
    return span_done(d, ng__xml_scan_pi(p, d->lim, &sp), &sp);
  if (m == 0 && (m = match(p, d->lim, "<!")) == 0)
    return fail(d, NG_ESYNTAX, p, "expected a markup declaration");
  if (m < 0 || (e = ng__xml_name_end(p + 2, d->lim)) == d->lim)
    return fail(d, NG_EEOF, d->lim, NULL);
  d->p = e;
  n = (size_t)(e - p - 2);
  if (is_word(p + 2, n, "ELEMENT"))
    return decl_element(d);
  if (is_word(p + 2, n, "ATTLIST"))
    return decl_attlist(d);
  if (is_word(p + 2, n, "ENTITY"))
    return decl_entity(d, p);
  if (is_word(p + 2, n, "NOTATION"))
    return decl_notation(d, p);
  return fail(d, NG_ESYNTAX, p,
              p[2] == '[' ? "conditional sections are only allowed in the "
                            "external subset"
                          : "unknown markup declaration");
}

/* Opens parameter entity x, referenced at `ref`, as a new frame. */
static int pe_push(ng__xml_dtd *d, ng__xml_entity *x,
                   const unsigned char *ref) {
  int covered = frames(d)[d->nfr - 1].covered;
  uint64_t cost;
  frame *f;

  if (x->open || (x->flags & NG__XML_EF_RECURSIVE))
    return fail(d, NG_EENTITY, ref,
                "recursive parameter-entity reference (WFC: No Recursion)");
  if (d->nfr > d->budget->max_depth)
    return fail(d, NG_EENTITYLIMIT, ref, "entity references nested too deep");
  if (!covered) {
    cost = x->flags & NG__XML_EF_PENDING ? x->text_len : x->expanded;
    if (ng__xml_budget_charge(d->budget, cost, where(d, d->p)) != NG_OK)
      return fail(d, NG_EENTITYLIMIT, ref,
                  "parameter-entity expansion exceeds the limit");
  }
  d->frames.len = d->nfr * sizeof *f;
  if (ng__xml_buf_grow(&d->frames, sizeof *f) != NG_OK)
    return no_mem(d, NG_ENOMEM);
  if (in_doc(d))
    d->ref_off = (size_t)(ref - d->doc);
  frames(d)[d->nfr - 1].p = d->p;
  f = &frames(d)[d->nfr++];
  f->ent = x;
  f->lim = text_end(x);
  f->covered = covered || !(x->flags & NG__XML_EF_PENDING);
  d->p = (const unsigned char *)x->text;
  d->lim = f->lim;
  x->open = 1;
  return NG_OK;
}

static void pe_pop(ng__xml_dtd *d) {
  frame *f = &frames(d)[--d->nfr];

  f->ent->open = 0;
  d->p = f[-1].p;
  d->lim = f[-1].lim;
}

/* An entity that is not read: an external subset or parameter entity, or
 * an undeclared parameter entity. Later entity and attribute-list
 * declarations are not processed unless the document is standalone (5.1):
 * what was not read might have declared them first. */
static void unread(ng__xml_dtd *d) {
  d->unread_external = 1;
  if (!d->standalone)
    d->skip_decls = 1;
}

/* [69] PEReference between declarations ([28a] DeclSep), at '%'. */
static int pe_ref(ng__xml_dtd *d) {
  const unsigned char *ref = d->p, *s;
  ng__xml_entity *x;
  size_t n;
  int rc;

  d->p++;
  if ((rc = read_name(d, &s, &n, "expected a name after '%'")) != NG_OK)
    return rc;
  if (!at_byte(d, ';'))
    return bad(d, NG_ESYNTAX, "expected ';' after a parameter-entity name");
  d->p++;
  d->has_pe_ref = 1;
  x = ng__xml_dtd_find(d, (const char *)s, n, 1);
  if (x == NULL && d->standalone)
    return fail(d, NG_EENTITY, ref,
                "undeclared parameter entity (WFC: Entity Declared)");
  if (x == NULL || x->kind != NG__XML_ENT_INTERNAL) {
    unread(d);
    return NG_OK;
  }
  return pe_push(d, x, ref);
}

/* Character data where declarations belong. */
static int stray(ng__xml_dtd *d) {
  uint32_t cp;
  int n = ng__xml_char(d->p, d->lim, &cp);

  return fail(d, n < 0 ? -n : NG_ESYNTAX, d->p,
              "expected a markup declaration, a parameter-entity reference "
              "or ']'");
}

/* [28b] intSubset up to its ']' (the cursor is left there). */
static int subset(ng__xml_dtd *d) {
  int rc;

  for (;;) {
    skip_s(d);
    if (d->p == d->lim) {
      if (in_doc(d))
        return fail(d, NG_EEOF, d->p, NULL);
      pe_pop(d);
      continue;
    }
    if (*d->p == ']' && in_doc(d))
      return NG_OK;
    if (*d->p == '%')
      rc = pe_ref(d);
    else if (*d->p == '<')
      rc = markup(d);
    else
      rc = stray(d);
    if (rc != NG_OK)
      return rc;
  }
}

/* [28] doctypedecl after "<!DOCTYPE". */
static int doctype_body(ng__xml_dtd *d, ng__xml_doctype_decl *dt) {
  const unsigned char *s;
  size_t n;
  extid x;
  int rc;

  if ((rc = need_s(d, "expected white space after <!DOCTYPE")) != NG_OK ||
      (rc = read_name(d, &s, &n, "expected the root element type")) != NG_OK)
    return rc;
  dt->name = (const char *)s;
  dt->name_len = n;
  if (skip_s(d) > 0 && !at_byte(d, '[') && !at_byte(d, '>')) {
    if ((rc = read_word(d, &s, &n, "expected SYSTEM, PUBLIC, '[' or '>'")) !=
            NG_OK ||
        (rc = read_extid(d, s, n, 0, &x)) != NG_OK)
      return rc;
    dt->pubid = x.pub;
    dt->pubid_len = x.plen;
    dt->sysid = x.sys;
    dt->sysid_len = x.slen;
    d->unread_external = 1; /* the external subset is never read */
    skip_s(d);
  }
  if (at_byte(d, '[')) {
    d->p++;
    dt->has_subset = 1;
    if ((rc = subset(d)) != NG_OK || (rc = resolve_all(d)) != NG_OK)
      return rc;
    d->p++;
    skip_s(d);
  }
  return expect(d, '>', "expected '>' at the end of the DOCTYPE");
}

int ng__xml_dtd_doctype(ng__xml_dtd *d, const unsigned char *text, size_t len,
                        size_t pos, ng__xml_doctype_decl *dt, ng__xml_derr *err) {
  int rc;

  memset(dt, 0, sizeof *dt);
  err->code = NG_OK;
  err->off = 0;
  err->msg = NULL;
  d->err = err;
  d->doc = text;
  d->doc_len = len;
  d->p = text + pos + 9; /* after "<!DOCTYPE" */
  d->lim = text + len;
  d->nfr = 1;
  d->frames.len = 0;
  if (ng__xml_buf_grow(&d->frames, sizeof(frame)) != NG_OK)
    return no_mem(d, NG_ENOMEM);
  frames(d)[0].lim = d->lim;
  frames(d)[0].ent = NULL;
  frames(d)[0].covered = 0;
  rc = doctype_body(d, dt);
  while (d->nfr > 1) /* after an error inside a parameter entity */
    pe_pop(d);
  if (rc == NG_OK)
    dt->end = (size_t)(d->p - text);
  return rc;
}

/* -------------------------------------------------- attribute values */

/* The state of one ng__xml_attval: the literal's frame, then entity
 * frames on d->vstk (vframe[]) as references open. */
typedef struct vframe {
  const unsigned char *p;   /* where the frame below resumes */
  const unsigned char *lim; /* the frame below's end */
  int covered;              /* the frame below's */
  ng__xml_entity *ent;      /* the entity this frame reads */
} vframe;

typedef struct aval {
  ng__xml_dtd *d;           /* may be NULL: no DTD */
  const ng__xml_src *src;   /* where the literal is */
  ng__xml_buf *out;         /* the value */
  ng__xml_derr *err;        /* where errors go */
  const unsigned char *p;   /* cursor in the top frame */
  const unsigned char *lim; /* its end */
  size_t nv;                /* entity frames open */
  size_t outer;             /* nv > 0 and in the document: offset of the
                               outermost reference */
  int covered;              /* references in the top frame are paid for */
} aval;

static size_t av_off(const aval *a, const unsigned char *at) {
  if (!a->src->in_doc)
    return a->src->ref_off;
  return a->nv == 0 ? (size_t)(at - a->src->doc) : a->outer;
}

static int av_fail(aval *a, int code, const unsigned char *at,
                   const char *msg) {
  if (code == NG_EEOF && !a->src->in_doc) {
    code = NG_EENTITY;
    msg = "attribute value not complete within the entity";
  }
  if (code == NG_EUTF8)
    msg = "invalid UTF-8";
  a->err->code = code;
  a->err->off = av_off(a, at);
  a->err->msg = code == NG_EEOF ? NULL : msg;
  return code;
}

static vframe *vframes(const aval *a) { return (vframe *)(void *)a->d->vstk.p; }

static void av_pop(aval *a) {
  vframe *f = &vframes(a)[--a->nv];

  f->ent->open = 0;
  a->p = f->p;
  a->lim = f->lim;
  a->covered = f->covered;
}

/* Opens entity x (its reference at the cursor, ending at end). */
static int av_push(aval *a, ng__xml_entity *x, const unsigned char *end) {
  ng__xml_dtd *d = a->d;
  vframe *f;
  uint64_t cost;

  if (a->src->depth + a->nv >= d->budget->max_depth)
    return av_fail(a, NG_EENTITYLIMIT, a->p,
                   "entity references nested too deep");
  if (!a->covered) {
    cost = x->flags & NG__XML_EF_PENDING ? x->text_len : x->expanded;
    if (ng__xml_budget_charge(d->budget, cost, av_off(a, end)) != NG_OK)
      return av_fail(a, NG_EENTITYLIMIT, a->p,
                     "entity expansion exceeds the limit");
  }
  d->vstk.len = a->nv * sizeof *f;
  if (ng__xml_buf_grow(&d->vstk, sizeof *f) != NG_OK)
    return av_fail(a, NG_ENOMEM, a->p, NULL);
  if (a->nv == 0 && a->src->in_doc)
    a->outer = (size_t)(a->p - a->src->doc);
  f = &vframes(a)[a->nv++];
  f->p = end;
  f->lim = a->lim;
  f->covered = a->covered;
  f->ent = x;
  a->covered = a->covered || !(x->flags & NG__XML_EF_PENDING);
  a->p = (const unsigned char *)x->text;
  a->lim = text_end(x);
  x->open = 1;
  return NG_OK;
}

/* A reference to a declared or undeclared general entity at the cursor.
 * Final flags refuse what the expansion would meet before opening it. */
static int av_entity(aval *a, const ng__xml_ref *r) {
  ng__xml_entity *x =
      ng__xml_dtd_find(a->d, (const char *)r->name, r->name_len, 0);
  unsigned f;

  if (x == NULL) {
    if (!ng__xml_dtd_lenient(a->d))
      return av_fail(a, NG_EENTITY, a->p,
                     "undeclared entity (WFC: Entity Declared)");
    a->p = r->end; /* skipped: it may be declared where we do not read */
    return NG_OK;
  }
  f = x->flags & NG__XML_EF_PENDING ? 0 : x->flags;
  if (x->kind != NG__XML_ENT_INTERNAL ||
      (f & (NG__XML_EF_EXTERNAL | NG__XML_EF_UNPARSED)))
    return av_fail(a, NG_EENTITY, a->p,
                   "external or unparsed entity in an attribute value (WFC: "
                   "No External Entity References)");
  if (x->open || (f & NG__XML_EF_RECURSIVE))
    return av_fail(a, NG_EENTITY, a->p,
                   "recursive entity reference (WFC: No Recursion)");
  if (f & NG__XML_EF_LT)
    return av_fail(a, NG_EENTITY, a->p,
                   "'<' in an attribute value through an entity (WFC: No < "
                   "in Attribute Values)");
  if ((f & NG__XML_EF_UNDECLARED) && !ng__xml_dtd_lenient(a->d))
    return av_fail(a, NG_EENTITY, a->p,
                   "undeclared entity (WFC: Entity Declared)");
  return av_push(a, x, r->end);
}

/* A reference at the cursor ('&'). */
static int av_ref(aval *a) {
  ng__xml_ref r;
  int c;

  if (!ng__xml_scan_ref(a->p, a->lim, &r))
    return av_fail(a, r.code, r.at, r.msg);
  if (r.kind == NG__XML_REF_CHAR) {
    if (buf_putc(a->out, r.cp) != NG_OK)
      return av_fail(a, NG_ENOMEM, a->p, NULL);
  } else if ((c = ng__xml_predefined((const char *)r.name, r.name_len)) != 0) {
    if (buf_putc(a->out, (uint32_t)c) != NG_OK)
      return av_fail(a, NG_ENOMEM, a->p, NULL);
  } else {
    return av_entity(a, &r);
  }
  a->p = r.end;
  return NG_OK;
}

/* A run of characters at the cursor up to '&', '<', the closing quote
 * (in the literal's own frame) or the frame's end; white space becomes
 * spaces (a CR LF of the document one space). */
static int av_chars(aval *a, unsigned char quote) {
  const unsigned char *p = a->p, *s = p;
  uint32_t cp;
  int n, quoted = a->nv == 0, doc = quoted && a->src->in_doc;

  while ((p = ng__xml_skip_attr(p, a->lim, quoted ? quote : 0)) < a->lim) {
    if (*p == '&' || *p == '<' || (*p == quote && quoted)) {
      break;
    } else if (ng__xml_is_space(*p)) {
      if (ng__xml_buf_put(a->out, s, (size_t)(p - s)) != NG_OK ||
          ng__xml_buf_put(a->out, " ", 1) != NG_OK)
        return av_fail(a, NG_ENOMEM, p, NULL);
      p += doc && *p == '\r' && p + 1 < a->lim && p[1] == '\n' ? 2 : 1;
      s = p;
    } else if ((n = ng__xml_char(p, a->lim, &cp)) > 0) {
      p += n;
    } else {
      return av_fail(a, -n, p, "character not allowed in an attribute value");
    }
  }
  if (ng__xml_buf_put(a->out, s, (size_t)(p - s)) != NG_OK)
    return av_fail(a, NG_ENOMEM, p, NULL);
  a->p = p;
  return NG_OK;
}

int ng__xml_attval(ng__xml_dtd *d, const ng__xml_src *src,
                   const unsigned char **pp, const unsigned char *lim,
                   unsigned char quote, int collapse, ng__xml_buf *out,
                   ng__xml_derr *err) {
  aval a = {d, src, out, err, *pp, lim, 0, 0, src->covered};
  size_t from = out->len;
  int rc = NG_OK;

  for (;;) {
    if (a.p == a.lim) {
      if (a.nv == 0) {
        rc = av_fail(&a, NG_EEOF, a.lim, NULL);
        break;
      }
      av_pop(&a);
      continue;
    }
    if (*a.p == quote && a.nv == 0)
      break;
    if (*a.p == '&')
      rc = av_ref(&a);
    else if (*a.p == '<')
      rc = a.nv == 0 ? av_fail(&a, NG_EATTR, a.p, "'<' in an attribute value")
                     : av_fail(&a, NG_EENTITY, a.p,
                               "'<' in an attribute value through an entity "
                               "(WFC: No < in Attribute Values)");
    else
      rc = av_chars(&a, quote);
    if (rc != NG_OK)
      break;
  }
  while (a.nv > 0) /* after an error inside an entity */
    av_pop(&a);
  if (rc != NG_OK)
    return rc;
  *pp = a.p + 1;
  if (collapse)
    ng__xml_collapse(out, from);
  return NG_OK;
}

void ng__xml_collapse(ng__xml_buf *b, size_t from) {
  unsigned char *s, *e, *w;
  int space = 1; /* drops leading spaces */

  if (b->p == NULL) /* nothing was ever written: nothing to collapse */
    return;
  s = w = b->p + from;
  e = b->p + b->len;
  for (; s < e; s++) {
    if (*s != ' ')
      *w++ = *s;
    else if (!space)
      *w++ = ' ';
    space = *s == ' ';
  }
  if (w > b->p + from && w[-1] == ' ')
    w--;
  b->len = (size_t)(w - b->p);
}
