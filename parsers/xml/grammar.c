/*
 * parsers/xml/grammar.c - XML's grammar table for the shared decisions
 * (parsers/common/parse.h): which tokens each expect state accepts, and
 * how an error message names them.
 *
 * The lexer knows where the root element begins and ends and reports
 * character data before it (NG_ESYNTAX) and anything but Misc after it
 * (NG_ETRAILING) itself, so the table has no want_eof state: EPILOG takes
 * comments, PIs and the end, and a lexical error there keeps its code
 * (a NUL after the root is NG_ECHAR). A document that ends before its
 * root element is NG_EEOF, not NG_EEMPTY (want_first -1).
 */
#include "lexer.h"

#define B(k) (1u << (k))
#define NG__XML_MISC (B(NG__XT_COMMENT) | B(NG__XT_PI))

const unsigned ng__xml_expect_mask[NG__XX_COUNT] = {
    NG__XML_MISC | B(NG__XT_XMLDECL) | B(NG__XT_DOCTYPE) |
        B(NG__XT_START),            /* PROLOG */
    NG__XML_MISC | B(NG__XT_START), /* DOCTYPE */
    NG__XML_MISC | B(NG__XT_START) | B(NG__XT_END) | B(NG__XT_TEXT) |
        B(NG__XT_CDATA) | B(NG__XT_SKIPPED), /* CONTENT */
    NG__XML_MISC | B(NG__XT_EOF),            /* EPILOG */
};

#undef B
#undef NG__XML_MISC

static const char *const expect_text[NG__XX_COUNT] = {
    "the root element, a DOCTYPE, a comment or a PI",
    "the root element, a comment or a PI",
    "content or an end tag",
    "a comment, a PI or the end of input",
};

const ng__grammar ng__xml_grammar = {
    ng__xml_expect_mask, expect_text,  NG__XX_COUNT, ng__xml_token_name,
    NG__XT_EOF,          NG__XT_ERROR, -1,           -1,
};
