/*
 * lib/error.c - error text, names and position reporting.
 */
#include <string.h>

#include "error.h"
#include "internal.h"

const char *ng_strerror(int code) {
  switch (code) {
#define NG__ERR_TEXT(name, value, text)                                        \
  case NG_##name:                                                              \
    return text;
    NG_ERRNO_MAP(NG__ERR_TEXT)
#undef NG__ERR_TEXT
  default:
    return "unknown error";
  }
}

const char *ng_err_name(int code) {
  switch (code) {
#define NG__ERR_NAME(name, value, text)                                        \
  case NG_##name:                                                              \
    return #name;
    NG_ERRNO_MAP(NG__ERR_NAME)
#undef NG__ERR_NAME
  default:
    return "UNKNOWN";
  }
}

void ng_error_clear(ng_error *err) { ng__error_clear(err); }

int ng__error_at(ng_error *err, int code, const char *input, size_t len,
                 size_t offset, size_t depth, const char *msg) {
  size_t line = 1, line_start = 0, n;
  const char *p, *nl;

  if (err == NULL)
    return code;
  if (offset > len)
    offset = len;
  /* memchr is the fastest portable way to count lines up to the error. */
  for (p = input; input != NULL && p < input + offset; p = nl + 1) {
    nl = memchr(p, '\n', (size_t)(input + offset - p));
    if (nl == NULL)
      break;
    line++;
    line_start = (size_t)(nl + 1 - input);
  }
  err->code = code;
  err->offset = offset;
  err->line = line;
  err->column = offset - line_start + 1;
  err->depth = depth;
  if (msg == NULL)
    msg = ng_strerror(code);
  n = strlen(msg);
  if (n >= sizeof err->msg)
    n = sizeof err->msg - 1;
  memcpy(err->msg, msg, n);
  err->msg[n] = '\0';
  return code;
}
