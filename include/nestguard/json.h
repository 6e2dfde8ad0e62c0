/*
 * nestguard/json.h - strict JSON (RFC 8259) parsing into a depth-safe DOM.
 *
 * Four engines give identical results: the same DOM, or the same error code
 * at the same byte offset. Every DOM operation here (free, copy, equal,
 * write, pointer lookup, walk) uses O(1) machine stack whatever the nesting
 * depth: a document's nodes are one array in document order, a container
 * followed by its subtree, so walks are loops over it, not recursion.
 *
 * Thread-safety: a document may be read from several threads at once;
 * parsing and freeing touch only the objects passed in.
 */
#ifndef NESTGUARD_JSON_H
#define NESTGUARD_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "alloc.h"
#include "error.h"
#include "limits.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------ the DOM */

typedef enum ng_json_type {
  NG_JSON_NULL = 1,
  NG_JSON_BOOL,   /* as.b */
  NG_JSON_INT,    /* as.i: an integer literal that fits int64_t */
  NG_JSON_UINT,   /* as.u: an integer literal > INT64_MAX that fits uint64 */
  NG_JSON_DOUBLE, /* as.d: fraction, exponent, "-0", or a big integer */
  NG_JSON_STRING, /* as.s, ng_json_len(): UTF-8, NUL-terminated, may
                     hold U+0000 */
  NG_JSON_ARRAY,  /* ng_json_first(), ng_json_len(): children in order */
  NG_JSON_OBJECT  /* likewise: members in input order, keyed */
} ng_json_type;

typedef struct ng_json_value ng_json_value;

/*
 * One node, 16 bytes. A document's nodes form one array in document order
 * (preorder): a container's children, with everything under them, are
 * the range of nodes that follows it, so a walk is a loop over the array
 * and needs no stack at any depth. Treat nodes as read-only, and go
 * through ng_json_first(), ng_json_next(), ng_json_parent(), ng_json_key()
 * and ng_json_len() rather than reading `up`, `flags` and `as.c`:
 *
 *   for (c = ng_json_first(v); c != NULL; c = ng_json_next(c))
 *     k = ng_json_key(c, &klen);
 *
 * Links are relative (counts of nodes), so the array may move while a
 * parse grows it: a node's address is stable once the parse has returned.
 * A member of an object follows its key's node (internal type 0, the
 * key's length in `up`, its bytes at as.s). A string's length sits in the
 * 4 bytes before its first byte.
 *
 * Sizes are 32-bit: a string or key of 4 GiB or more fails the parse with
 * NG_ESTRLIMIT; a document of more than 2^32 - 1 nodes (a key has a
 * node too) with NG_EMEMLIMIT.
 *
 * API change: the 24-byte nodes of earlier versions had public `len`,
 * `as.head` and `link` fields; use ng_json_len(), ng_json_first() and
 * ng_json_next() (docs/json_dom.md).
 */
struct ng_json_value {
  uint8_t type;      /* an ng_json_type (0: a key's node, internal) */
  uint8_t flags;     /* internal (NG_JSON__LAST, NG_JSON__KEY, ...) */
  uint16_t reserved; /* zero */
  uint32_t up;       /* internal: nodes back to the container (0: a root);
                        a key's node: the key's length */
  union {
    bool b;
    int64_t i;
    uint64_t u;
    double d;
    const char *s; /* STRING: UTF-8, NUL-terminated, ng_json_len() bytes;
                      a key's node: the key, likewise */
    struct {
      uint32_t len;  /* children */
      uint32_t span; /* nodes after this one in its subtree */
    } c;             /* ARRAY, OBJECT */
  } as;
};

/* flags bit: this node is the last child of its container, or a root. */
#define NG_JSON__LAST 0x1u
/* flags bit: a member of an object; its key's node is the one before. */
#define NG_JSON__KEY 0x2u

/* Nodes after v in its subtree (0 for a scalar). */
static inline size_t ng_json__span(const ng_json_value *v) {
  return v->type == NG_JSON_ARRAY || v->type == NG_JSON_OBJECT ? v->as.c.span
                                                               : 0;
}

/* STRING: its bytes (excluding the NUL); ARRAY, OBJECT: its children; 0
 * otherwise or for NULL. */
static inline size_t ng_json_len(const ng_json_value *v) {
  uint32_t n = 0;

  if (v == NULL)
    return 0;
  if (v->type == NG_JSON_STRING)
    memcpy(&n, v->as.s - sizeof n, sizeof n);
  else if (v->type == NG_JSON_ARRAY || v->type == NG_JSON_OBJECT)
    n = v->as.c.len;
  return n;
}

/* The length of object member v's key (0 when v is not a member). */
static inline size_t ng_json_key_len(const ng_json_value *v) {
  if (v == NULL || !(v->flags & NG_JSON__KEY))
    return 0;
  return v[-1].up;
}

/*
 * The key of object member v (UTF-8, NUL-terminated, may contain U+0000:
 * use the length), with its length in *len when len is not NULL; NULL (and
 * 0) when v is not a member of an object, or NULL.
 */
static inline const char *ng_json_key(const ng_json_value *v, size_t *len) {
  size_t n = ng_json_key_len(v);

  if (len != NULL)
    *len = n;
  if (v == NULL || !(v->flags & NG_JSON__KEY))
    return NULL;
  return v[-1].as.s;
}

/* The first child of an array/object; NULL when empty or not a container. */
static inline ng_json_value *ng_json_first(const ng_json_value *v) {
  if (v == NULL || ng_json__span(v) == 0)
    return NULL;
  return (ng_json_value *)(uintptr_t)(v + 1 + (v->type == NG_JSON_OBJECT));
}

/* The next sibling of v, or NULL when v is the last child, a root or NULL. */
static inline ng_json_value *ng_json_next(const ng_json_value *v) {
  if (v == NULL || (v->flags & NG_JSON__LAST))
    return NULL;
  return (ng_json_value *)(uintptr_t)(v + 1 + ng_json__span(v) +
                                      ((v->flags & NG_JSON__KEY) != 0));
}

/* The array/object containing v, or NULL for a root. O(1). */
static inline ng_json_value *ng_json_parent(const ng_json_value *v) {
  return v == NULL || v->up == 0 ? NULL
                                 : (ng_json_value *)(uintptr_t)(v - v->up);
}

/* A parsed document: an arena owning every node and string, and the root. */
typedef struct ng_json_doc ng_json_doc;

/* The root value; never NULL for a document returned by a parse. */
ng_json_value *ng_json_doc_root(const ng_json_doc *doc);

/* Bytes the document holds from its allocator. */
size_t ng_json_doc_memory(const ng_json_doc *doc);

/* Frees the document and every node in it, in O(chunks). NULL is a no-op. */
void ng_json_doc_free(ng_json_doc *doc);

/* ------------------------------------------------------------ options */

typedef enum ng_json_engine {
  NG_JSON_ITERATIVE = 0, /* explicit heap stack (default, fastest) */
  NG_JSON_RECURSIVE,     /* recursive descent on the growable stack */
  NG_JSON_TRAMPOLINE,    /* continuations run by a driver loop */
  NG_JSON_LALR           /* lemon LALR(1) tables */
} ng_json_engine;

#define NG_JSON_ENGINE_COUNT 4

/* Name of an engine ("iterative", ...), or NULL for an invalid value. */
const char *ng_json_engine_name(ng_json_engine e);

/* Engine for a name; returns NG_EINVAL for an unknown name. */
int ng_json_engine_from_name(const char *name, ng_json_engine *out);

/* What to do with an object holding the same key twice. */
typedef enum ng_json_dupkeys {
  NG_JSON_DUP_KEEP = 0, /* keep every member, in order (default) */
  NG_JSON_DUP_REJECT,   /* fail with NG_EDUPKEY at the second key */
  NG_JSON_DUP_LAST      /* keep one member: the last value wins */
} ng_json_dupkeys;

/* Flags for ng_json_options.flags. */
#define NG_JSON_BIGINT_REJECT                                                  \
  0x1u /* integer beyond uint64: NG_EBIGNUM                                    \
          instead of the nearest double */
#define NG_JSON_ALLOW_LONE_SURROGATES                                          \
  0x2u /* decode \uD800 alone as                                               \
          WTF-8 instead of failing */

typedef struct ng_json_options {
  ng_json_engine engine;   /* which engine parses */
  ng_json_dupkeys dupkeys; /* duplicate key policy */
  unsigned flags;          /* NG_JSON_* flags */
  ng_limits limits;        /* depth, stack, input, string, memory caps */
  const ng_alloc *alc;     /* NULL: libc */
} ng_json_options;

/* Fills *opt with the defaults: iterative, DUP_KEEP, ng_limits_default(). */
void ng_json_options_default(ng_json_options *opt);

/* ------------------------------------------------------------- parsing */

/*
 * Parses data[0..len) (not NUL-terminated; NUL bytes are data) into a new
 * document. opt NULL means defaults. On success returns NG_OK and stores
 * the document in *out; on failure returns the code, fills *err (may be
 * NULL) with position and message, stores NULL in *out and leaks nothing.
 * The input buffer is never written and may be freed after the call.
 */
int ng_json_parse(const char *data, size_t len, const ng_json_options *opt,
                  ng_json_doc **out, ng_error *err);

/*
 * Event (SAX) interface. Every callback may be NULL (event ignored). A
 * callback returns 0 to continue or nonzero to stop: the parse then ends
 * with NG_ECANCELED at the offset of the event's token. Strings passed to
 * callbacks are valid only during the call. `scalar` receives a transient
 * node of type NULL, BOOL, INT, UINT, DOUBLE or STRING (a root: no container,
 * no key).
 */
typedef struct ng_json_events {
  int (*start_object)(void *ud);
  int (*end_object)(void *ud);
  int (*start_array)(void *ud);
  int (*end_array)(void *ud);
  int (*key)(void *ud, const char *key, size_t len);
  int (*scalar)(void *ud, const ng_json_value *v);
  void *ud; /* passed to every callback */
} ng_json_events;

/* Parses with events instead of a DOM; same limits, errors and engines. */
int ng_json_parse_events(const char *data, size_t len,
                         const ng_json_options *opt, const ng_json_events *ev,
                         ng_error *err);

/* ------------------------------------------------------ push parsing */

/*
 * A stream: the same parse fed in chunks, as they arrive (a socket, a
 * pipe), with any engine. Results are those of ng_json_parse /
 * ng_json_parse_events over the concatenated input, whatever the chunking:
 * the same DOM or events, the same error code, offset, line, column and
 * depth. Positions count from the start of the stream. The stream keeps
 * only what it must between chunks: the engine's state and the bytes of a
 * token cut by a chunk's end (the carry: a string's raw bytes, up to
 * 6 * max_string + 14 when max_string is set; a number or literal). The
 * chunks themselves may be reused or freed as soon as a call returns.
 *
 * Differences from a one-shot parse, all about limits: max_input applies
 * to the bytes fed so far, so a feed that passes it fails with
 * NG_EINPUTLIMIT at offset max_input (depth 0) even if earlier input had
 * an error the stream would have reported at finish; a number or literal
 * cut by a chunk's end and longer than the carry's bound fails with
 * NG_EINPUTLIMIT at its start even where a later byte would have made it
 * another error. A string is no exception: past the bound it has more
 * than max_string decoded bytes, which is NG_ESTRLIMIT at its start in a
 * one-shot parse too, whatever error or end follows. The carry is not
 * counted in max_memory.
 *
 * Engines. The iterative, trampoline and LALR engines keep their state in
 * heap stacks and return from a feed at a token boundary; between feeds a
 * stream holds its struct, one byte per open container past the first 16
 * (LALR: a lemon stack entry per level, 100 at least) and the carry. The
 * recursive engine keeps its state on its machine stack, so each document
 * runs as a task on a scheduler (nestguard/stack.h: the config's, or one
 * per thread shared by the thread's streams), parked where its lexer ran
 * out of input; a feed wakes it and runs the scheduler until it parks
 * again. A parked task holds the live part of its stack (about 32 bytes
 * per open level plus the parse's frames, copied off the shared stack) on
 * top of what the others hold, and each feed costs two task switches.
 * Constraints of the recursive engine: the stream is used on the thread
 * of its scheduler and not from one of that scheduler's tasks (a feed
 * runs the scheduler, which a task cannot do); callbacks run inside the
 * task and may do what a one-shot parse's callbacks may, but must not
 * call the same stream, nor run its scheduler.
 *
 * Thread-safety: a stream is used by one thread at a time.
 */
typedef struct ng_json_stream ng_json_stream;

/* ng_json_stream_config.flags: the input is a sequence of documents
 * (NDJSON, concatenated JSON), whitespace between them. */
#define NG_JSON_STREAM_SEQ 0x1u

typedef struct ng_sched ng_sched; /* nestguard/stack.h */

typedef struct ng_json_stream_config {
  const ng_json_options *opt;   /* NULL: defaults; copied (the allocator
                                   and events must outlive the stream) */
  const ng_json_events *events; /* NULL: build a DOM; else copied */
  unsigned flags;               /* NG_JSON_STREAM_* */
  /* SEQ mode: called once per complete document, in order (index from 0),
   * when the byte after it has arrived. DOM mode: doc is handed over (the
   * callee frees it; a NULL callback frees it); events mode: doc is NULL.
   * Nonzero return stops the stream with NG_ECANCELED at the document's
   * end. Not called in single-document mode. */
  int (*on_document)(void *ud, ng_json_doc *doc, size_t index);
  void *ud;                     /* passed to on_document */
  ng_sched *sched;              /* recursive engine: the scheduler that hosts
                                   the stream's task (its struct, stack
                                   segments and saved stack come from the
                                   scheduler's allocator); NULL: one per
                                   thread, created on demand */
} ng_json_stream_config;

/*
 * Creates a stream in *out. cfg NULL: a single document into a DOM with
 * default options. Returns NG_OK, NG_EINVAL (bad options, unknown flags,
 * NULL out), NG_ENOMEM, or for the recursive engine without a scheduler
 * given, ng_sched_new's errors (NG_EBUSY: the thread has a scheduler of
 * its own; pass it). Allocates through the options' allocator.
 */
int ng_json_stream_new(const ng_json_stream_config *cfg, ng_json_stream **out);

/*
 * Feeds the next len bytes (data may be NULL when len is 0). Returns NG_OK
 * while more input is expected, else the error, recorded in *err (may be
 * NULL) with its stream position; every later feed or finish returns the
 * same error again until ng_json_stream_reset. Events (and, in SEQ mode,
 * on_document) are delivered from inside this call. NG_ESTATE after
 * ng_json_stream_finish.
 */
int ng_json_stream_feed(ng_json_stream *s, const char *data, size_t len,
                        ng_error *err);

/*
 * End of input. Single-document mode: NG_OK and the document (DOM mode) in
 * *doc, the caller's to free, or NULL in events mode; or the error (NG_EEOF
 * with its position for a document cut short, NG_EEMPTY for no document).
 * SEQ mode: *doc is NULL, NG_OK if the input ended between documents (none
 * at all included). doc may be NULL (a DOM is then freed). A second finish
 * returns NG_ESTATE.
 */
int ng_json_stream_finish(ng_json_stream *s, ng_json_doc **doc,
                          ng_error *err);

/* Back to the start state for a new input with the same configuration,
 * keeping allocations (the carry, the engine's stacks); drops a document
 * in progress. */
void ng_json_stream_reset(ng_json_stream *s);

/* Frees the stream at any point: mid-document (a recursive engine's task
 * parked or not), after an error, after finish. NULL is a no-op. */
void ng_json_stream_free(ng_json_stream *s);

/* ------------------------------------------------------ DOM operations */

/* Child count of an array/object; 0 for scalars. */
size_t ng_json_size(const ng_json_value *v);

/* The i-th child of an array/object (O(i)), or NULL. */
ng_json_value *ng_json_at(const ng_json_value *v, size_t i);

/* First member of object v with key[0..len), or NULL (O(members)). */
ng_json_value *ng_json_get(const ng_json_value *v, const char *key, size_t len);

/*
 * RFC 6901 JSON Pointer lookup: ptr[0..len) like "/a/0/b~1c". "" is the
 * root itself. Returns NG_OK and *out, NG_ENOTFOUND, or NG_EINVAL for a
 * malformed pointer (not starting with '/', bad ~ escape).
 */
int ng_json_pointer(const ng_json_value *root, const char *ptr, size_t len,
                    const ng_json_value **out);

/*
 * Structural equality: same types, values and child order (so an object's
 * member order matters). INT/UINT/DOUBLE compare by type and value; strings
 * and keys by bytes. Iterative: any depth.
 */
bool ng_json_equal(const ng_json_value *a, const ng_json_value *b);

/*
 * Deep copy of v (any depth) into a new document allocated through alc
 * (NULL: libc). Returns NG_OK, NG_ENOMEM.
 */
int ng_json_copy(const ng_json_value *v, const ng_alloc *alc,
                 ng_json_doc **out);

/* Walk callbacks: enter is called for every node in document order, leave
 * after a container's children. Return nonzero to stop (that value is
 * returned by ng_json_walk). */
typedef int (*ng_json_visit)(void *ud, const ng_json_value *v, size_t depth);
int ng_json_walk(const ng_json_value *root, ng_json_visit enter,
                 ng_json_visit leave, void *ud);

/* Writer flags. */
#define NG_JSON_WRITE_PRETTY 0x1u /* two-space indent, one member a line */

/*
 * Serializes v. Output re-parses to an equal DOM; doubles are written with
 * the shortest digits that round-trip. ng_json_write returns a malloc'd
 * (through alc) NUL-terminated buffer in *out with its length in *len; free
 * it with alc->free(ctx, out, len + 1) or free() when alc is NULL.
 * ng_json_write_cb streams to sink (nonzero from sink stops the write with
 * NG_ECANCELED).
 */
int ng_json_write(const ng_json_value *v, unsigned flags, const ng_alloc *alc,
                  char **out, size_t *len);
int ng_json_write_cb(const ng_json_value *v, unsigned flags,
                     int (*sink)(void *ud, const char *data, size_t len),
                     void *ud);

#ifdef __cplusplus
}
#endif
#endif /* NESTGUARD_JSON_H */
