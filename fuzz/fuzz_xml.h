/*
 * fuzz/fuzz_xml.h - what the XML harnesses (fuzz/xml_*.c) share.
 *
 * The format-free machinery (entry points, ng_fuzz_fail, the outcome
 * contract, allocation checks, header bytes) is fuzz/fuzz.h; this adds
 * what only XML has: its line counting, DOM statistics, a checking event
 * sink, the expansion bound and the format hooks (ng_fuzz_xml) the shared
 * oracles run XML through.
 */
#ifndef NG_FUZZ_FUZZ_XML_H
#define NG_FUZZ_FUZZ_XML_H

#include "fuzz.h"
#include "nestguard/xml.h"

/*
 * Line and column as the XML parsers report them (CR, LF and CR LF each
 * end a line; columns count bytes of the original input from the line's
 * first byte), recomputed for inputs in UTF-8 (BOM or not), UTF-16 and
 * UTF-32 told by their first bytes. Returns -1 (not checked) for inputs
 * that declare some other encoding.
 */
int ng_fuzz_xml_linecol(const uint8_t *data, size_t size, size_t off,
                        size_t *line, size_t *col);

/* The outcome contract of an XML parse (ng_fuzz_check_outcome with a
 * DOCUMENT node standing for the document). Returns 0 or -1. */
int ng_fuzz_xml_check_result(const char *who, const uint8_t *data, size_t size,
                             int rc, const ng_xml_doc *doc,
                             const ng_error *err);
/* The same without recomputing line and column: for a parse whose error
 * is compared with one ng_fuzz_xml_check_result has checked (the
 * differential's other engines), where the comparison covers them. */
int ng_fuzz_xml_check_contract(const char *who, const uint8_t *data,
                               size_t size, int rc, const ng_xml_doc *doc,
                               const ng_error *err);

/* Statistics of an XML subtree gathered in one walk. */
typedef struct ng_fuzz_xmlstat {
  size_t nodes;      /* every node, the DOCUMENT node included */
  size_t elements;   /* ELEMENT nodes */
  size_t attrs;      /* attributes of all elements */
  size_t text_bytes; /* bytes of TEXT and CDATA data */
  size_t attr_bytes; /* bytes of attribute values */
  size_t comments;   /* COMMENT nodes */
  size_t pis;        /* PI nodes */
  size_t doctypes;   /* DOCTYPE nodes */
  size_t depth;      /* deepest element nesting (the root is 1) */
  size_t max_string; /* longest name, value, text or comment, bytes */
} ng_fuzz_xmlstat;

void ng_fuzz_xml_stat(const ng_xml_node *n, ng_fuzz_xmlstat *st);

/*
 * Event callbacks that check the stream (end tags name their start tag,
 * no event after the root closes but comments and PIs, strings non-NULL)
 * and count it as ng_fuzz_xml_stat counts a DOM. stop_at > 0 makes the
 * stop_at-th event return nonzero (the parse then ends in NG_ECANCELED).
 */
typedef struct ng_fuzz_xmlev {
  ng_fuzz_sink sink;           /* count, stop, malformation */
  ng_fuzz_xmlstat st;          /* counts, as for a DOM (nodes unused) */
  size_t sp;                   /* open elements */
  size_t *open;                /* per open element: its name's offset */
  size_t open_cap;             /* entries of open */
  char *names;                 /* open element names, end to end */
  size_t names_len, names_cap; /* bytes used / allocated */
  int roots;                   /* root elements closed */
} ng_fuzz_xmlev;

void ng_fuzz_xml_events_init(ng_fuzz_xmlev *ev, ng_xml_events *cb,
                             size_t stop_at);
void ng_fuzz_xml_events_free(ng_fuzz_xmlev *ev);

/*
 * The expansion oracle, over what a parse delivered (events or DOM),
 * beyond what the input itself spells (3 bytes of UTF-8 per input byte,
 * for Latin-1 and UTF-16 inputs): text at most the entity expansion limit
 * (0: the default 1 MiB) more, text and attribute values together at
 * most the amplification limit more (8 MiB, or 100 times the input; it
 * also bounds attribute defaults). Returns 0 or -1 (reported).
 */
int ng_fuzz_xml_check_expansion(const char *who, size_t size,
                                const ng_fuzz_xmlstat *st,
                                size_t max_entity_expansion);

/* XML for the format-free oracles: ng_fuzz_engine (a target is
 * NG_FUZZ_ENGINE(xml, <name>, NG_XML_<ENGINE>): the result contract,
 * depth limit, event API against the DOM, no leak, unlimited re-parse
 * after EDEPTH, the recursive engine in a task, plus the expansion bound
 * on the DOM and on the events) and ng_fuzz_run_options. */
extern const ng_fuzz_format ng_fuzz_xml;

/* Every existing engine through ng_fuzz_engine (the regression replay
 * uses it, so new engines are replayed without a new entry). */
int ng_fuzz_xml_engines(const uint8_t *data, size_t size);

#endif /* NG_FUZZ_FUZZ_XML_H */
