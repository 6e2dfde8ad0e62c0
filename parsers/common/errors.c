/*
 * parsers/common/errors.c - the first-error record of one parse.
 */
#include "errors.h"

#include "internal.h"

void ng__perr_init(ng__perr *pe, ng_error *err, const char *input, size_t len) {
  pe->err = err;
  pe->input = input;
  pe->len = len;
  pe->code = NG_OK;
  pe->base = NULL;
  ng_error_clear(err);
}

int ng__perr_at(ng__perr *pe, int code, size_t offset, size_t depth,
                const char *msg) {
  if (pe->code != NG_OK)
    return pe->code;
  pe->code = code;
  ng__error_at(pe->err, code, pe->input, pe->len, offset, depth, msg);
  if (pe->err != NULL && pe->base != NULL) { /* to stream coordinates */
    if (pe->err->line == 1)
      pe->err->column += pe->base->col - 1;
    pe->err->line += pe->base->line - 1;
    pe->err->offset += pe->base->off;
  }
  return code;
}
