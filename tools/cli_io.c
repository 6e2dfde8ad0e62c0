/*
 * tools/cli_io.c - file reading and error reporting for the CLI.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static int read_stream(FILE *f, char **data, size_t *len) {
  size_t cap = 1 << 16, n = 0, got;
  char *buf = malloc(cap), *nb;

  if (buf == NULL)
    return ENOMEM;
  while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
    n += got;
    if (n == cap) {
      if (cap > ((size_t)-1) / 2) {
        free(buf);
        return EFBIG;
      }
      nb = realloc(buf, cap * 2);
      if (nb == NULL) {
        free(buf);
        return ENOMEM;
      }
      buf = nb;
      cap *= 2;
    }
  }
  if (ferror(f)) {
    free(buf);
    return EIO;
  }
  *data = buf;
  *len = n;
  return 0;
}

int ng_cli_read_file(const char *path, char **data, size_t *len) {
  FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
  int rc;

  if (f == NULL) {
    fprintf(stderr, "nestguard: %s: %s\n", path, strerror(errno));
    return NG_CLI_USAGE;
  }
  rc = read_stream(f, data, len);
  if (f != stdin)
    fclose(f);
  if (rc != 0) {
    fprintf(stderr, "nestguard: %s: %s\n", path, strerror(rc));
    return NG_CLI_USAGE;
  }
  return NG_CLI_OK;
}

void ng_cli_report(const char *path, const ng_error *err) {
  fprintf(stderr, "%s:%zu:%zu: error: %s (%s, byte %zu)\n", path, err->line,
          err->column, err->msg[0] ? err->msg : ng_strerror(err->code),
          ng_err_name(err->code), err->offset);
}
