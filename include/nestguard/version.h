/*
 * nestguard/version.h - compile-time and run-time version.
 *
 * Compare NG_VERSION_HEX at compile time and ng_version() at run time to
 * detect a header/library mismatch.
 */
#ifndef NESTGUARD_VERSION_H
#define NESTGUARD_VERSION_H

#ifdef __cplusplus
extern "C" {
#endif

#define NG_VERSION_MAJOR 0
#define NG_VERSION_MINOR 1
#define NG_VERSION_PATCH 0
#define NG_VERSION_STRING "0.1.0"
#define NG_VERSION_HEX                                                         \
  ((NG_VERSION_MAJOR << 16) | (NG_VERSION_MINOR << 8) | NG_VERSION_PATCH)

/* The library's NG_VERSION_HEX, as compiled. */
unsigned ng_version(void);

/* The library's NG_VERSION_STRING, as compiled. */
const char *ng_version_string(void);

#ifdef __cplusplus
}
#endif
#endif /* NESTGUARD_VERSION_H */
