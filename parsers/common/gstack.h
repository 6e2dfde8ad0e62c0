/*
 * parsers/common/gstack.h - a growable explicit stack (lempar's yyGrowStack).
 *
 * Engines that do not recurse keep their frames here. The stack starts in a
 * caller-provided inline buffer (usually on the C stack, so shallow inputs
 * allocate nothing), then moves to the heap and doubles whenever it fills.
 * It is a stack of bytes: each engine pushes and pops fixed-size frames of
 * its own type, e.g. through NG__GSTACK_PUSH(s, frame_type). Frames are
 * kept aligned only if every push has the same size (or a multiple of the
 * strictest alignment) and the inline buffer is declared as an array of the
 * frame type; heap blocks are aligned for any type.
 *
 * Failure: growing returns NULL and leaves the stack as it was (every frame
 * still there); the owner unwinds and calls ng__gstack_free(), which
 * releases the heap block, if any, whatever the stack holds.
 */
#ifndef NG_PARSERS_COMMON_GSTACK_H
#define NG_PARSERS_COMMON_GSTACK_H

#include <stddef.h>

#include "nestguard/alloc.h"
#include "internal.h"

typedef struct ng__gstack {
  unsigned char *base; /* inline buffer or heap block */
  size_t top;          /* bytes in use */
  size_t cap;          /* bytes available at base */
  unsigned char *inl;  /* the caller's inline buffer (may be NULL) */
  const ng_alloc *alc; /* heap allocator; NULL: libc */
} ng__gstack;

/* Prepares an empty stack over inl[0..inl_cap) (inl may be NULL, cap 0). */
static inline void ng__gstack_init(ng__gstack *s, const ng_alloc *alc,
                                   void *inl, size_t inl_cap) {
  s->base = (unsigned char *)inl;
  s->top = 0;
  s->cap = inl == NULL ? 0 : inl_cap;
  s->inl = (unsigned char *)inl;
  s->alc = alc;
}

/*
 * Slow path: makes room for `need` more bytes (doubling, moving off the
 * inline buffer). Returns NG_OK or NG_ENOMEM (stack unchanged).
 */
int ng__gstack_grow(ng__gstack *s, size_t need);

/* Releases the heap block, if any; the stack is empty and unusable after. */
void ng__gstack_free(ng__gstack *s);

/* Pushes n bytes; returns where to write them, or NULL on NG_ENOMEM. */
NG_INLINE void *ng__gstack_push(ng__gstack *s, size_t n) {
  void *p;
  if (NG_UNLIKELY(s->cap - s->top < n) && ng__gstack_grow(s, n) != NG_OK)
    return NULL;
  p = s->base + s->top;
  s->top += n;
  return p;
}

/* The topmost n bytes (the caller knows the stack holds them). */
NG_INLINE void *ng__gstack_peek(const ng__gstack *s, size_t n) {
  return s->base + s->top - n;
}

/* Pops n bytes and returns them; valid until the next push. */
NG_INLINE void *ng__gstack_pop(ng__gstack *s, size_t n) {
  s->top -= n;
  return s->base + s->top;
}

/* True when nothing is pushed. */
NG_INLINE int ng__gstack_empty(const ng__gstack *s) { return s->top == 0; }

/* Typed helpers: frames of type T. */
#define NG__GSTACK_PUSH(s, T) ((T *)ng__gstack_push((s), sizeof(T)))
#define NG__GSTACK_PEEK(s, T) ((T *)ng__gstack_peek((s), sizeof(T)))
#define NG__GSTACK_POP(s, T) ((T *)ng__gstack_pop((s), sizeof(T)))

#endif /* NG_PARSERS_COMMON_GSTACK_H */
