/*
 * parsers/common/sink.h - the event sink every engine emits into: one
 * pattern, instantiated per format.
 *
 * An engine reports what it parses as a stream of events; a sink turns
 * them into a DOM (the format's builder) or forwards them to user
 * callbacks (ng_<format>_parse_events). Engines never build nodes
 * themselves, so every engine produces the same DOM by construction. Each
 * format has its own vocabulary (JSON: container start/end, key, scalar;
 * XML: element start and attributes, end, text, comment, PI, doctype...),
 * declared as a struct of functions and a sink type made by NG__SINK_TYPE.
 * Payloads are the format's: typically its lexer's current token, which
 * stays valid only during the call.
 *
 * Timing contract (this is what makes all engines report identical errors):
 *  - an event is delivered while its token is the current token, BEFORE the
 *    engine asks the lexer for the next token;
 *  - a container's start is delivered at its opening token after the depth
 *    check (parse.h's ng__parse_enter), its end at the closing token;
 *  - a sink returns NG_OK, or an error code (NG_ENOMEM, NG_EMEMLIMIT,
 *    NG_EDUPKEY, NG_ECANCELED, ...): the engine then stops, reports that
 *    code at the offset of the current token, and calls no further sink
 *    function;
 *  - after an error the sink is not told to clean up through events; its
 *    owner releases it (a builder frees its document).
 */
#ifndef NG_PARSERS_COMMON_SINK_H
#define NG_PARSERS_COMMON_SINK_H

/* Declares sink type `name`: the format's `ops_type` (never NULL, every
 * function set) and the sink's state, passed to every call. */
#define NG__SINK_TYPE(name, ops_type)                                          \
  typedef struct name {                                                        \
    const ops_type *ops;                                                       \
    void *self;                                                                \
  } name

#endif /* NG_PARSERS_COMMON_SINK_H */
