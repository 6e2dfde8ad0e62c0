/*
 * parsers/json/lalr_driver.h - glue between the lemon-generated parser
 * (lalr.y -> build/gen/parsers/json/lalr.c) and its driver, lalr_driver.c.
 *
 * Internal to the LALR engine. The generated file includes this header
 * from its %include section; the driver includes it too. Names follow
 * `%name ng__json_lalr`: lemon emits ng__json_lalrInit, ng__json_lalr (the
 * token function), ng__json_lalrFinalize.
 */
#ifndef NG_PARSERS_JSON_LALR_DRIVER_H
#define NG_PARSERS_JSON_LALR_DRIVER_H

#include <stddef.h>

#include "../common/lemon.h"
#include "engine.h"

/* Per-parse state shared by the driver and the grammar's callbacks
 * (lemon's %extra_context). */
typedef struct ng__json_lalr_ctx {
  ng__json_parser *p;  /* the parse: tokens, sink, depth, errors */
  ng__lemon_stack stk; /* lemon's stack memory (parsers/common/lemon.h) */
  int prev;            /* kind of the last token accepted; -1: none */
  int rc;              /* error recorded from inside lemon, or NG_OK */
  int accepted;        /* lemon accepted the input */
} ng__json_lalr_ctx;

/* Bytes reserved for lemon's parser object (checked by a static assert in
 * the generated file, with its alignment): with a dynamic stack it is a
 * few pointers and ints, 40 bytes on LP64. */
#define NG__JSON_LALR_PARSER_BYTES 40

/* Everything the engine keeps between runs of a stream (engine.h): lemon's
 * parser object and the context it points to. */
typedef struct ng__json_lalr_state {
  union {
    void *align; /* pointers and ints: no wider alignment (a stream's
                    state is one of a million parked allocations) */
    unsigned char bytes[NG__JSON_LALR_PARSER_BYTES];
  } mem;                 /* lemon's parser object */
  ng__json_lalr_ctx lc;  /* its %extra_context */
  int live;              /* mem is initialized and not finalized */
} ng__json_lalr_state;

/* Finalizes a suspended parse's lemon parser (frees its stack); no-op
 * when none is live. */
void ng__json_lalr_release(ng__json_lalr_state *ls);

/* ------------------------------------------------- lemon's entry points */
void ng__json_lalrInit(void *parser, ng__json_lalr_ctx *lc);
void ng__json_lalr(void *parser, int kind, int minor);
void ng__json_lalrFinalize(void *parser);

/* ----------------------------------------- helpers in lalr.y's %code */

/* True when the STRING token just accepted is a member key. */
int ng__json_lalr_top_is_key(const void *parser);

/* ng__json_lalrInit with a stack of `first` entries instead of lempar's
 * 100: a stream parked at a shallow depth holds a small block, which
 * lempar grows as usual (to 2n + 100 entries) when a deeper document
 * needs it. */
void ng__json_lalr_init_small(void *parser, ng__json_lalr_ctx *lc,
                              int first);

/* Bytes of one lemon stack entry. */
size_t ng__json_lalr_stack_entry_size(void);

#endif /* NG_PARSERS_JSON_LALR_DRIVER_H */
