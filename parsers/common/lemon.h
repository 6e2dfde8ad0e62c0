/*
 * parsers/common/lemon.h - what every format's lemon (LALR) engine shares:
 * lempar's parser stack on the parse's allocator, and its bound.
 *
 * lempar.c (YYSTACKDEPTH 0) grows its stack with malloc/realloc and frees
 * it with free. Each grammar's %include section redirects those three
 * calls to ng__lemon_stack_resize/free on a ng__lemon_stack in its
 * %extra_context, so the stack comes from the parse's ng_alloc, its size
 * is known for the old_size argument, and growth stops before lempar's
 * int-sized entry count could overflow. A failed growth sets `oom`; the
 * grammar's %stack_overflow then reports NG_ENOMEM at the current token.
 * Token positions and errors stay with the format (parse.h's
 * ng__grammar_state_of turns a state's acceptable tokens into an expect
 * state).
 */
#ifndef NG_PARSERS_COMMON_LEMON_H
#define NG_PARSERS_COMMON_LEMON_H

#include <stddef.h>

#include "nestguard/alloc.h"

typedef struct ng__lemon_stack {
  const ng_alloc *alc; /* NULL: libc */
  size_t bytes;        /* size of the block held (0: none) */
  size_t max;          /* largest block allowed */
  size_t first;        /* nonzero: the size of a first block, whatever
                          lempar asks; the grammar then sets lempar's
                          count of entries to match, before any shift */
  int oom;             /* a growth failed or passed max */
} ng__lemon_stack;

/* An empty stack whose entries are entry_size bytes (first 0). */
void ng__lemon_stack_init(ng__lemon_stack *s, const ng_alloc *alc,
                          size_t entry_size);

/* lempar's malloc (q NULL) and realloc: the block as n bytes, or NULL
 * (q still valid, oom set). */
void *ng__lemon_stack_resize(ng__lemon_stack *s, void *q, size_t n);

/* lempar's free. */
void ng__lemon_stack_free(ng__lemon_stack *s, void *q);

#endif /* NG_PARSERS_COMMON_LEMON_H */
