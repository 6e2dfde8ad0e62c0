/*
 * nestguard/limits.h - resource limits shared by every parser and engine.
 *
 * Two layers, as in SQLite: NG_MAX_* are compile-time hard caps; ng_limits
 * holds the run-time values, which are clamped to the caps. A zero field
 * means "unlimited", i.e. the hard cap. Each breach is its own error code
 * (NG_EDEPTH, NG_ESTACK, NG_EINPUTLIMIT, NG_ESTRLIMIT, NG_EMEMLIMIT,
 * NG_EENTITYLIMIT) reported with byte offset, line and column.
 */
#ifndef NESTGUARD_LIMITS_H
#define NESTGUARD_LIMITS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Hard caps. Override at build time with -DNG_MAX_...=N if needed. */
#ifndef NG_MAX_DEPTH
#define NG_MAX_DEPTH ((size_t)1 << 31) /* nesting levels */
#endif
#ifndef NG_MAX_STACK
#define NG_MAX_STACK ((size_t)1 << 30) /* 1 GiB, Go's default ceiling */
#endif

/* Defaults, chosen to accept every reasonable document. */
#define NG_DEFAULT_MAX_DEPTH 10000 /* as Go's encoding/json */
#define NG_DEFAULT_MAX_STACK NG_MAX_STACK
#define NG_DEFAULT_MAX_ENTITY_EXPANSION ((size_t)1 << 20) /* XML output */

typedef struct ng_limits {
  size_t max_depth;  /* nesting levels; default 10,000; 0 = unlimited */
  size_t max_stack;  /* bytes of machine stack for recursive engines */
  size_t max_input;  /* input bytes; 0 = unlimited */
  size_t max_string; /* bytes of one decoded string/key; 0 = unlimited */
  size_t max_memory; /* bytes a document may hold; 0 = unlimited */
  size_t max_entity_expansion; /* XML: bytes produced by entities */
  size_t user_stack; /* stack guaranteed to event callbacks and allocator
                        hooks, in every engine at every depth; 0: the
                        default, NG_STACK_USER_BUDGET (1 MiB, at most an
                        eighth of the thread stack; see nestguard/stack.h) */
} ng_limits;

/* Fills *l with the documented defaults. */
void ng_limits_default(ng_limits *l);

/*
 * Returns the effective value of a limit field: `value`, or `cap` when value
 * is 0 or larger than cap. Engines call this once per parse.
 */
static inline size_t ng_limit_clamp(size_t value, size_t cap) {
  return (value == 0 || value > cap) ? cap : value;
}

#ifdef __cplusplus
}
#endif
#endif /* NESTGUARD_LIMITS_H */
