/*
 * parsers/common/sink.h - the event sink every engine emits into.
 *
 * Format-agnostic: an engine (JSON today, XML later) reports what it parses
 * as a stream of four events: a container starts, a container ends, a key
 * (member name) is seen, a scalar is seen. The sink turns them into a DOM
 * (parsers/json/builder.c) or forwards them to user callbacks
 * (ng_json_parse_events). Engines never build nodes themselves, so every
 * engine produces the same DOM by construction.
 *
 * Payloads are format-specific and passed as `const void *tok`: for JSON it
 * is the lexer's current `const ng__json_token *` (parsers/json/lexer.h),
 * which the sink decodes (strings) or reads (numbers, literals). The token
 * and the input it points into stay valid only during the call.
 *
 * Timing contract (this is what makes all engines report identical errors):
 *  - an event is delivered while its token is the current token, BEFORE the
 *    engine asks the lexer for the next token;
 *  - start: at the opening token, after the depth check;
 *    end: at the closing token;
 *    key: at the key's string token (before the ':' is lexed);
 *    scalar: at the scalar's token;
 *  - a sink returns NG_OK, or an error code (NG_ENOMEM, NG_EMEMLIMIT,
 *    NG_EDUPKEY, NG_ECANCELED, ...): the engine then stops, reports that
 *    code at the offset of the current token (see parsers/json/engine.h,
 *    ng__json_emit_*), and calls no further sink function.
 *  - after an error the sink is not told to clean up through events; its
 *    owner releases it (the builder frees its document).
 */
#ifndef NG_PARSERS_COMMON_SINK_H
#define NG_PARSERS_COMMON_SINK_H

#include <stddef.h>

/* Container kinds. XML maps an element to NG__SINK_OBJECT. */
enum { NG__SINK_ARRAY = 1, NG__SINK_OBJECT = 2 };

typedef struct ng__sink_ops {
  /* A container of `kind` opens at token tok. */
  int (*start)(void *self, int kind, const void *tok);
  /* The innermost open container (of `kind`) closes at token tok. */
  int (*end)(void *self, int kind, const void *tok);
  /* A member key; the next event is its value. */
  int (*key)(void *self, const void *tok);
  /* A scalar value (string, number, literal). */
  int (*scalar)(void *self, const void *tok);
} ng__sink_ops;

typedef struct ng__sink {
  const ng__sink_ops *ops; /* never NULL; every function is set */
  void *self;              /* the sink's state, passed to every call */
} ng__sink;

#endif /* NG_PARSERS_COMMON_SINK_H */
