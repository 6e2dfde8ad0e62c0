/*
 * nestguard/error.h - the one list of error codes, and the error record.
 *
 * Every function that can fail returns an int code from NG_ERRNO_MAP: NG_OK
 * (zero) on success, a positive NG_E* value otherwise. Functions that parse
 * input also fill an optional ng_error the caller may pass as NULL.
 *
 * Codes are append-only: a code keeps its value across releases.
 */
#ifndef NESTGUARD_ERROR_H
#define NESTGUARD_ERROR_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * XX(name, value, text). Grouped by kind; values are stable. The text is the
 * message ng_strerror() returns: lower case, no trailing period.
 */
#define NG_ERRNO_MAP(XX)                                                       \
  XX(OK, 0, "success")                                                         \
  /* resources and usage */                                                    \
  XX(ENOMEM, 1, "out of memory")                                               \
  XX(EINVAL, 2, "invalid argument")                                            \
  XX(EIO, 3, "input/output error")                                             \
  XX(ECANCELED, 4, "stopped by callback")                                      \
  XX(EBUSY, 5, "resource budget exhausted")                                    \
  XX(ESTATE, 6, "operation not valid in this state")                           \
  XX(ENOTSUP, 7, "not supported on this platform")                             \
  /* limits: each breach has its own code */                                   \
  XX(ESTACK, 20, "stack limit exceeded")                                       \
  XX(EDEPTH, 21, "nesting depth limit exceeded")                               \
  XX(EINPUTLIMIT, 22, "input size limit exceeded")                             \
  XX(ESTRLIMIT, 23, "string length limit exceeded")                            \
  XX(EMEMLIMIT, 24, "memory limit exceeded")                                   \
  XX(EENTITYLIMIT, 25, "entity expansion limit exceeded")                      \
  /* syntax, shared by all formats */                                          \
  XX(ESYNTAX, 40, "syntax error")                                              \
  XX(EEOF, 41, "unexpected end of input")                                      \
  XX(ETRAILING, 42, "unexpected data after the document")                      \
  XX(EUTF8, 43, "invalid UTF-8")                                               \
  XX(ECTRL, 44, "control character in string")                                 \
  XX(EESCAPE, 45, "invalid escape sequence")                                   \
  XX(ESURROGATE, 46, "invalid or unpaired surrogate")                          \
  XX(ENUMBER, 47, "invalid number")                                            \
  XX(EBIGNUM, 48, "number out of range")                                       \
  XX(EDUPKEY, 49, "duplicate object key")                                      \
  XX(EEMPTY, 50, "empty input")                                                \
  /* XML-specific syntax */                                                    \
  XX(ETAGMISMATCH, 60, "end tag does not match start tag")                     \
  XX(EENTITY, 61, "undefined or invalid entity")                               \
  XX(EATTR, 62, "invalid or duplicate attribute")                              \
  XX(EENCODING, 63, "unsupported or contradictory encoding")                   \
  XX(ECHAR, 64, "character not allowed here")                                  \
  XX(ENS, 65, "namespace constraint violated")                                 \
  /* lookups */                                                                \
  XX(ENOTFOUND, 80, "not found")                                               \
  XX(ETYPE, 81, "wrong value type")

/* Error codes: NG_OK, NG_ENOMEM, ... */
typedef enum ng_errno {
#define NG__ERR_ENUM(name, value, text) NG_##name = value,
  NG_ERRNO_MAP(NG__ERR_ENUM)
#undef NG__ERR_ENUM
} ng_errno;

/*
 * Where and why an operation failed. Positions describe the byte at which the
 * error was detected: offset counts bytes from the start of input (0-based);
 * line and column are 1-based, column counting bytes. depth is the nesting
 * depth at the error (0 at top level). Every field is zero on success.
 */
typedef struct ng_error {
  int code;      /* NG_OK or an NG_E* code */
  size_t offset; /* byte offset of the error in the input */
  size_t line;   /* 1-based line of offset ("\n" ends a line) */
  size_t column; /* 1-based byte column of offset */
  size_t depth;  /* nesting depth when the error was found */
  char msg[96];  /* NUL-terminated detail, e.g. "expected ':'" */
} ng_error;

/* Static English text for a code; "unknown error" for an unknown code. */
const char *ng_strerror(int code);

/* The code's name without prefix, e.g. "EDEPTH"; "UNKNOWN" if unknown. */
const char *ng_err_name(int code);

/*
 * Clears *err to the success state. NULL is allowed and does nothing.
 */
void ng_error_clear(ng_error *err);

#ifdef __cplusplus
}
#endif
#endif /* NESTGUARD_ERROR_H */
