/*
 * tests/support/tmpdir.h - a scratch directory for a test binary's files
 * (the CLI tests write their inputs there and run the CLI on them).
 */
#ifndef NG_TEST_TMPDIR_H
#define NG_TEST_TMPDIR_H

#include <stddef.h>

/* cmocka group setup and teardown: a fresh /tmp/ng_test_XXXXXX, then its
 * removal with everything in it. Return 0, or -1 on failure. */
int ng_tmpdir_setup(void **state);
int ng_tmpdir_teardown(void **state);

/* The directory's path (valid between setup and teardown). */
const char *ng_tmpdir(void);

/*
 * Writes data[0..n) to the file `name` in the directory and returns its
 * path, in one of 16 static buffers used in turn (so 16 paths stay valid
 * at once), or NULL if the file could not be written.
 */
const char *ng_tmpdir_write(const char *name, const void *data, size_t n);

#endif /* NG_TEST_TMPDIR_H */
