/*
 * tests/support/spawn.h - run a program and capture its exit and output.
 */
#ifndef NG_TEST_SPAWN_H
#define NG_TEST_SPAWN_H

#include <stddef.h>

typedef struct ng_spawn_result {
  int exited;      /* 1 if the program exited normally */
  int status;      /* exit status, or the signal number if !exited */
  char out[8192];  /* stdout, truncated, NUL-terminated */
  char err[8192];  /* stderr, truncated, NUL-terminated */
  long max_rss_kb; /* the child's peak resident set, KiB (wait4) */
  size_t fed;      /* ng_spawn_feed: bytes that went into its stdin */
} ng_spawn_result;

/*
 * Runs argv (argv[0] is a path; NULL-terminated) with stdin from the file
 * `in` (NULL: /dev/null). Returns 0 and fills *r, or -1 if it could not run.
 */
int ng_spawn(char *const argv[], const char *in, ng_spawn_result *r);

/*
 * Like ng_spawn, but stdin is a pipe into which this process writes `feed`
 * spaces, stopping early when the child closes it (by exiting): r->fed is
 * how many went in, so at most what the child read plus the pipe's buffer
 * (64 KiB on Linux). SIGPIPE is ignored while writing.
 */
int ng_spawn_feed(char *const argv[], size_t feed, ng_spawn_result *r);

/* Path of the CLI under test: $NG_BUILD/nestguard (default build/). */
const char *ng_spawn_cli_path(void);

#endif /* NG_TEST_SPAWN_H */
