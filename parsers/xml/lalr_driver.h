/*
 * parsers/xml/lalr_driver.h - glue between the lemon-generated parser
 * (lalr.y -> build/gen/parsers/xml/lalr.c) and its driver, lalr_driver.c.
 *
 * Internal to the LALR engine; the generated file includes it from its
 * %include section. Names follow `%name ng__xml_lalr` (JSON's grammar is
 * ng__json_lalr, so both link together).
 */
#ifndef NG_PARSERS_XML_LALR_DRIVER_H
#define NG_PARSERS_XML_LALR_DRIVER_H

#include <stddef.h>

#include "../common/lemon.h"
#include "engine.h"

/* Per-parse state shared by the driver and the grammar's callbacks
 * (lemon's %extra_context). */
typedef struct ng__xml_lalr_ctx {
  ng__xml_parser *p;   /* the parse: tokens, sink, depth, names, errors */
  ng__lemon_stack stk; /* lemon's stack memory (parsers/common/lemon.h) */
  int rc;              /* error recorded from inside lemon, or NG_OK */
} ng__xml_lalr_ctx;

/* Bytes reserved for lemon's parser object (a static assert in the
 * generated file checks it). */
#define NG__XML_LALR_PARSER_BYTES 64

/* ------------------------------------------------- lemon's entry points */
/* Push parsing: lemon's parser kept between runs of a stream's parse
 * (ng__xml_parser.lalr), live from the first run until the document ends,
 * fails or is released. */
typedef struct ng__xml_lalr_state {
  union {
    max_align_t align;
    unsigned char bytes[NG__XML_LALR_PARSER_BYTES];
  } mem;               /* lemon's parser */
  ng__xml_lalr_ctx lc; /* its context */
  int live;            /* initialised, not finalised */
} ng__xml_lalr_state;

/* Finalises a live state (the stream drops its document); else nothing. */
void ng__xml_lalr_release(ng__xml_lalr_state *st);

void ng__xml_lalrInit(void *parser, ng__xml_lalr_ctx *lc);
void ng__xml_lalr(void *parser, int kind, int minor);
void ng__xml_lalrFinalize(void *parser);

/* ----------------------------------------- helpers in lalr.y's %code */

/* Bytes of one lemon stack entry. */
size_t ng__xml_lalr_stack_entry_size(void);

#endif /* NG_PARSERS_XML_LALR_DRIVER_H */
