/*
 * parsers/json/grammar.c - JSON's grammar table for the shared decisions
 * (parsers/common/parse.h): which tokens each expect state accepts, and
 * how an error message names them.
 */
#include "engine.h"

#define B(k) (1u << (k))
#define NG__VALUE_MASK                                                         \
  (NG__JSON_SCALAR_MASK | B(NG__JT_LBRACE) | B(NG__JT_LBRACKET))

const unsigned ng__json_expect_mask[NG__JX_COUNT] = {
    NG__VALUE_MASK,                       /* VALUE */
    NG__VALUE_MASK | B(NG__JT_RBRACKET),  /* VALUE_OR_END */
    B(NG__JT_COMMA) | B(NG__JT_RBRACKET), /* ARRAY_NEXT */
    B(NG__JT_STRING) | B(NG__JT_RBRACE),  /* KEY_OR_END */
    B(NG__JT_STRING),                     /* KEY */
    B(NG__JT_COLON),                      /* COLON */
    B(NG__JT_COMMA) | B(NG__JT_RBRACE),   /* OBJECT_NEXT */
    B(NG__JT_EOF),                        /* EOF */
};

#undef B
#undef NG__VALUE_MASK

static const char *const expect_text[NG__JX_COUNT] = {
    "a value",
    "a value or ']'",
    "',' or ']' after an array element",
    "a string key or '}'",
    "a string key after ','",
    "':' after an object key",
    "',' or '}' after an object member",
    "end of input",
};

const ng__grammar ng__json_grammar = {
    ng__json_expect_mask, expect_text,  NG__JX_COUNT, ng__json_token_name,
    NG__JT_EOF,           NG__JT_ERROR, NG__JX_EOF,   NG__JX_VALUE,
};
