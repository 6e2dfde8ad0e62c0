/*
 * tests/support/xml_lex.h - token streams of the XML lexer as text, for
 * the lexer's tests (test_xml_lexer*.c).
 *
 * The notation, one token after the other separated by spaces:
 *   X(version,encoding,standalone)  D(name,pubid,sysid)  D!  (misplaced)
 *   S(name a="v" d="w"* /)  (* defaulted, / empty)   E(name)
 *   T(text)  C(cdata)  M(comment)  P(target,data)  K(skipped)  $ (EOF)
 *   !CODE@offset (ERROR)   a leading ~ marks a token from an entity.
 * Bytes below 0x20 and '\' are shown as \xNN. Names, ids and data with a
 * NULL pointer are "-".
 */
#ifndef NG_TEST_XML_LEX_H
#define NG_TEST_XML_LEX_H

#include <stddef.h>

#include "../../parsers/xml/lexer.h"

/*
 * Lexes doc[0..len) under lim (NULL: defaults) to EOF or the first ERROR,
 * writing the stream to buf (NUL-terminated, cut at cap). Returns the
 * token count, or -1 when the lexer broke its contract (a return value
 * other than the token's kind, or a last token not repeated by the next
 * call); *lastp (may be NULL) gets the last token.
 */
long ng_xml_lex_dump(char *buf, size_t cap, const char *doc, size_t len,
                     const ng_limits *lim, ng__xml_token *lastp);

/* A document and the error it must end with. */
typedef struct ng_xml_err_case {
  const char *doc; /* C string */
  int code;        /* NG_E* */
  size_t off;      /* err_off */
} ng_xml_err_case;

/* Runs each case; prints and counts those that end otherwise. */
size_t ng_xml_lex_errors(const ng_xml_err_case *c, size_t n);

#endif /* NG_TEST_XML_LEX_H */
