/*
 * tests/support/membuf.h - a writer sink (ng_json_write_cb, ng_xml_write_cb)
 * that collects the text in memory and can fail on purpose.
 */
#ifndef NG_TEST_MEMBUF_H
#define NG_TEST_MEMBUF_H

#include <stddef.h>

typedef struct membuf {
  char *p;           /* the text so far (not terminated); free() it */
  size_t len, cap;
  size_t calls;      /* sink calls */
  size_t stop_after; /* nonzero: the sink fails at this call */
} membuf;

/* The sink: appends data[0..len) to the membuf `ud`. Returns 0, or 1 at
 * call number stop_after or when memory runs out. */
int mem_sink(void *ud, const char *data, size_t len);

#endif /* NG_TEST_MEMBUF_H */
