/*
 * parsers/json/lalr_driver.h - glue between the lemon-generated parser
 * (lalr.y -> build/gen/parsers/json/lalr.c) and its driver, lalr_driver.c.
 *
 * Internal to the LALR engine. The generated file includes this header
 * from its %include section; the driver includes it too. Names follow
 * `%name ng__lalr`: lemon emits ng__lalrInit, ng__lalr (the token
 * function), ng__lalrFinalize.
 */
#ifndef NG_PARSERS_JSON_LALR_DRIVER_H
#define NG_PARSERS_JSON_LALR_DRIVER_H

#include <stddef.h>

#include "engine.h"

/* Per-parse state shared by the driver and the grammar's callbacks
 * (lemon's %extra_context). */
typedef struct ng__lalr_ctx {
  ng__json_parser *p;  /* the parse: tokens, sink, depth, errors */
  const ng_alloc *alc; /* allocator of lemon's stack; NULL: libc */
  size_t stk_bytes;    /* bytes of lemon's heap stack block (0: none) */
  size_t stk_max;      /* largest block allowed (keeps lempar's int
                          stack size from overflowing) */
  int prev;            /* kind of the last token accepted; -1: none */
  int rc;              /* error recorded from inside lemon, or NG_OK */
  int oom;             /* a stack allocation failed */
  int accepted;        /* lemon accepted the input */
} ng__lalr_ctx;

/* Bytes reserved for lemon's parser object (checked by a static assert in
 * the generated file): with a dynamic stack it is a few pointers. */
#define NG__LALR_PARSER_BYTES 64

/* ------------------------------------------------- lemon's entry points */
void ng__lalrInit(void *parser, ng__lalr_ctx *lc);
void ng__lalr(void *parser, int kind, int minor);
void ng__lalrFinalize(void *parser);

/* ----------------------------------------- helpers in lalr.y's %code */

/* True when the STRING token just accepted is a member key. */
int ng__lalr_top_is_key(const void *parser);

/* Bytes of one lemon stack entry. */
size_t ng__lalr_stack_entry_size(void);

/* ------------------------------------- lemon's stack memory (driver) */

/*
 * lempar's malloc/realloc, redirected: resizes block q (NULL: none yet) to
 * n bytes through lc->alc, tracking its size. Returns NULL (q still valid)
 * and sets lc->oom on failure or when n exceeds lc->stk_max.
 */
void *ng__lalr_stack_resize(ng__lalr_ctx *lc, void *q, size_t n);

/* lempar's free, redirected: releases block q of lc->stk_bytes bytes. */
void ng__lalr_stack_free(ng__lalr_ctx *lc, void *q);

#endif /* NG_PARSERS_JSON_LALR_DRIVER_H */
