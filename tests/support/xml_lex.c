/*
 * tests/support/xml_lex.c - token streams of the XML lexer as text
 * (xml_lex.h).
 */
#include "xml_lex.h"

#include <stdio.h>
#include <string.h>

typedef struct out {
  char buf[8192];
  size_t n;
} out;

static void put(out *o, const char *s, size_t n) {
  size_t i;

  for (i = 0; i < n && o->n + 5 < sizeof o->buf; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c < 0x20 || c == '\\')
      o->n +=
          (size_t)snprintf(o->buf + o->n, sizeof o->buf - o->n, "\\x%02X", c);
    else
      o->buf[o->n++] = (char)c;
  }
  o->buf[o->n] = '\0';
}

static void puts0(out *o, const char *s) { put(o, s, strlen(s)); }

static void put_opt(out *o, const char *s, size_t n) {
  if (s == NULL)
    puts0(o, "-");
  else
    put(o, s, n);
}

static void put_start(out *o, const ng__xml_token *t) {
  size_t i;

  puts0(o, "S(");
  put(o, t->name, t->name_len);
  for (i = 0; i < t->nattrs; i++) {
    puts0(o, " ");
    put(o, t->attrs[i].name, t->attrs[i].name_len);
    puts0(o, "=\"");
    put(o, t->attrs[i].value, t->attrs[i].value_len);
    puts0(o, t->attrs[i].defaulted ? "\"*" : "\"");
  }
  puts0(o, t->flags & NG__XTF_EMPTY ? "/)" : ")");
}

static void put_token(out *o, const ng__xml_token *t) {
  char num[64];

  if (o->n != 0)
    puts0(o, " ");
  if (t->flags & NG__XTF_ENTITY)
    puts0(o, "~");
  switch (t->kind) {
  case NG__XT_XMLDECL:
    puts0(o, "X(");
    put(o, t->version, t->version_len);
    puts0(o, ",");
    put_opt(o, t->encoding, t->encoding_len);
    snprintf(num, sizeof num, ",%d)", t->standalone);
    puts0(o, num);
    return;
  case NG__XT_DOCTYPE:
    if (t->flags & NG__XTF_MISPLACED) {
      puts0(o, "D!");
      return;
    }
    puts0(o, "D(");
    put(o, t->name, t->name_len);
    puts0(o, ",");
    put_opt(o, t->pubid, t->pubid_len);
    puts0(o, ",");
    put_opt(o, t->sysid, t->sysid_len);
    puts0(o, ")");
    return;
  case NG__XT_START:
    put_start(o, t);
    return;
  case NG__XT_PI:
    puts0(o, "P(");
    put(o, t->name, t->name_len);
    puts0(o, ",");
    put(o, t->data, t->data_len);
    puts0(o, ")");
    return;
  case NG__XT_EOF:
    puts0(o, "$");
    return;
  case NG__XT_ERROR:
    snprintf(num, sizeof num, "!%s@%zu", ng_err_name(t->code), t->err_off);
    puts0(o, num);
    return;
  default:
    break;
  }
  puts0(o, t->kind == NG__XT_END       ? "E("
           : t->kind == NG__XT_TEXT    ? "T("
           : t->kind == NG__XT_CDATA   ? "C("
           : t->kind == NG__XT_COMMENT ? "M("
                                       : "K(");
  if (t->kind == NG__XT_END || t->kind == NG__XT_SKIPPED)
    put(o, t->name, t->name_len);
  else
    put(o, t->data, t->data_len);
  puts0(o, ")");
}

long ng_xml_lex_dump(char *buf, size_t cap, const char *doc, size_t len,
                     const ng_limits *lim, ng__xml_token *lastp) {
  ng__xml_lexer lx;
  ng__xml_token t, again;
  long n = 0, bad = 0;
  out o;

  o.n = 0;
  o.buf[0] = '\0';
  ng__xml_lexer_init(&lx, (const unsigned char *)doc, len, lim, NULL);
  do {
    bad |= ng__xml_next(&lx, &t) != t.kind;
    put_token(&o, &t);
    n++;
  } while (t.kind != NG__XT_EOF && t.kind != NG__XT_ERROR);
  bad |= ng__xml_next(&lx, &again) != t.kind || again.kind != t.kind ||
         again.off != t.off;
  ng__xml_lexer_free(&lx);
  snprintf(buf, cap, "%s", o.buf);
  if (lastp != NULL)
    *lastp = t;
  return bad ? -1 : n;
}

size_t ng_xml_lex_errors(const ng_xml_err_case *c, size_t n) {
  ng__xml_token t;
  char buf[256];
  size_t i, bad = 0;

  for (i = 0; i < n; i++) {
    ng_xml_lex_dump(buf, sizeof buf, c[i].doc, strlen(c[i].doc), NULL, &t);
    if (t.kind != NG__XT_ERROR || t.code != c[i].code ||
        t.err_off != c[i].off) {
      printf("  %s: %s@%zu (%s), want %s@%zu\n", c[i].doc,
             t.kind == NG__XT_ERROR ? ng_err_name(t.code) : "no error",
             t.err_off, t.kind == NG__XT_ERROR && t.msg ? t.msg : "",
             ng_err_name(c[i].code), c[i].off);
      bad++;
    }
  }
  return bad;
}
