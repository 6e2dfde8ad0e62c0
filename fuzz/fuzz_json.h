/*
 * fuzz/fuzz_json.h - what the JSON harnesses (fuzz/json_*.c) share.
 *
 * The format-free machinery (entry points, ng_fuzz_fail, the outcome
 * contract, allocation checks, header bytes, the per-engine and options
 * oracles) is fuzz/fuzz.h; this adds what only JSON has: its result
 * contract, document statistics and pointer checks, a checking event
 * sink and the format hooks (ng_fuzz_json) the shared oracles run JSON
 * through.
 */
#ifndef NG_FUZZ_FUZZ_JSON_H
#define NG_FUZZ_FUZZ_JSON_H

#include "fuzz.h"
#include "nestguard/json.h"

/*
 * Checks the parse contract of one result: on NG_OK a document with a
 * root; on failure no document, err->code == rc, offset <= size, line and
 * column matching the offset, a known code. Returns 0 or -1 (reported).
 */
int ng_fuzz_check_result(const char *who, const uint8_t *data, size_t size,
                         int rc, const ng_json_doc *doc, const ng_error *err);

/* Statistics of a document gathered in one walk. */
typedef struct ng_fuzz_docstat {
  size_t nodes;      /* values, containers included */
  size_t depth;      /* deepest container nesting ("[[]]" is 2) */
  size_t max_string; /* longest string or key, bytes */
  size_t containers; /* arrays + objects */
  size_t members;    /* object members (nodes with a key) */
} ng_fuzz_docstat;

void ng_fuzz_doc_stat(const ng_json_value *root, ng_fuzz_docstat *st);

/*
 * Checks ng_json_pointer against the tree for up to `max` nodes: builds
 * each node's RFC 6901 path and looks it up. Returns 0 or -1 (reported).
 */
int ng_fuzz_check_pointers(const ng_json_value *root, size_t max);

/*
 * Event callbacks that check the stream is well formed (containers close
 * with their own kind; in an object every value follows a key) and count
 * it. stop_at > 0 makes the stop_at-th event return nonzero (the parse
 * must then end with NG_ECANCELED).
 */
typedef struct ng_fuzz_events {
  ng_fuzz_sink sink;                  /* count, stop, malformation */
  size_t starts, ends, keys, scalars; /* counts */
  unsigned char *stk;                 /* per level: kind | key pending */
  size_t sp, cap;                     /* stack size / capacity */
} ng_fuzz_events;

/* Sets up ev (zeroed, stop_at) and fills *cb to call into it. */
void ng_fuzz_events_init(ng_fuzz_events *ev, ng_json_events *cb,
                         size_t stop_at);
void ng_fuzz_events_free(ng_fuzz_events *ev);

/* JSON's hooks for the format-free oracles (ng_fuzz_engine,
 * ng_fuzz_feed, NG_FUZZ_ENGINE(json, ...)). */
extern const ng_fuzz_format ng_fuzz_json;

#endif
