/*
 * tools/cli_io.c - bounded input reading, error reporting and the small
 * helpers every format of `check` and `parse` uses.
 *
 * An input is opened with its first chunk read (what infers the format);
 * the format's stream then takes chunk after chunk from the same buffer
 * (ng_cli_feed), so the CLI holds one chunk of any input, whatever its
 * size. A regular file longer than --max-input is refused from its size
 * (fstat) before anything is read; a pipe or device longer than that is
 * stopped by the stream's own max_input, so /dev/zero or an endless pipe
 * costs at most the cap in time and one chunk in memory.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

#define NG__CLI_TOO_LONG (-1) /* ng_cli_input_open: over the cap */

/* Reports an input longer than max as a rejection, the way the parser
 * reports its own limits; line and column are 1:1 because the input is
 * refused as a whole, without reading it. */
static int report_too_long(const char *path, size_t max) {
  ng_error err;

  memset(&err, 0, sizeof err);
  err.code = NG_EINPUTLIMIT;
  err.offset = max;
  err.line = 1;
  err.column = 1;
  snprintf(err.msg, sizeof err.msg, "input longer than --max-input");
  ng_cli_report(path, &err);
  return NG_CLI_REJECTED;
}

/* Reads up to cap bytes of in->fd into in->p (one read(2) at a time until
 * cap or the end). Returns 0 or an errno value. */
static int read_some(ng_cli_input *in, size_t cap) {
  ssize_t got;

  in->len = 0;
  while (in->len < cap && !in->eof) {
    got = read(in->fd, in->p + in->len, cap - in->len);
    if (got == 0)
      in->eof = 1;
    else if (got < 0 && errno != EINTR)
      return errno;
    else if (got > 0)
      in->len += (size_t)got;
  }
  return 0;
}

/* "nestguard: PATH: reason" for rc (an errno value or NG__CLI_TOO_LONG),
 * closing the input; the exit status. */
static int input_failed(ng_cli_input *in, int rc) {
  int status = NG_CLI_USAGE;

  if (rc == NG__CLI_TOO_LONG)
    status = report_too_long(in->path, in->max);
  else
    fprintf(stderr, "nestguard: %s: %s\n", in->path, strerror(rc));
  ng_cli_input_close(in);
  return status;
}

int ng_cli_input_open(const char *path, size_t max, ng_cli_input *in) {
  struct stat st;
  int rc = 0;

  memset(in, 0, sizeof *in);
  in->path = path;
  in->max = max;
  in->fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY);
  if (in->fd < 0) {
    fprintf(stderr, "nestguard: %s: %s\n", path, strerror(errno));
    return NG_CLI_USAGE;
  }
  if (fstat(in->fd, &st) != 0)
    rc = errno;
  else if (S_ISDIR(st.st_mode))
    rc = EISDIR;
  else if (S_ISREG(st.st_mode) && max != 0 && (uintmax_t)st.st_size > max)
    rc = NG__CLI_TOO_LONG; /* refused from its size, before reading */
  else if ((in->p = malloc(NG_CLI_CHUNK)) == NULL)
    rc = ENOMEM;
  else
    rc = read_some(in, NG_CLI_CHUNK);
  return rc == 0 ? NG_CLI_OK : input_failed(in, rc);
}

int ng_cli_input_next(ng_cli_input *in) {
  int rc = read_some(in, NG_CLI_CHUNK);

  return rc == 0 ? NG_CLI_OK : input_failed(in, rc);
}

int ng_cli_feed(ng_cli_input *in, size_t chunk, ng_cli_feed_fn feed,
                void *stream, ng_error *err) {
  size_t off, n;
  int rc;

  for (;;) {
    for (off = 0; off < in->len; off += n) {
      n = in->len - off < chunk ? in->len - off : chunk;
      if ((rc = feed(stream, in->p + off, n, err)) != NG_OK)
        return rc;
    }
    if (in->eof)
      return NG_OK;
    if (ng_cli_input_next(in) != NG_CLI_OK)
      return -1;
  }
}

void ng_cli_input_close(ng_cli_input *in) {
  if (in->fd > STDIN_FILENO)
    close(in->fd);
  in->fd = -1;
  free(in->p);
  in->p = NULL;
}

void ng_cli_report(const char *path, const ng_error *err) {
  fprintf(stderr, "%s:%zu:%zu: error: %s (%s, byte %zu)\n", path, err->line,
          err->column, err->msg[0] ? err->msg : ng_strerror(err->code),
          ng_err_name(err->code), err->offset);
}

int ng_cli_fail(const char *path, const ng_error *err) {
  if (err->code == NG_EINVAL) {
    fprintf(stderr, "nestguard: %s: %s\n", path,
            err->msg[0] ? err->msg : ng_strerror(err->code));
    return NG_CLI_USAGE;
  }
  ng_cli_report(path, err);
  return NG_CLI_REJECTED;
}

int ng_cli_parse_size(const char *s, size_t *out) {
  unsigned long long v;
  char *end;
  unsigned shift = 0;

  if (*s < '0' || *s > '9')
    return -1;
  errno = 0;
  v = strtoull(s, &end, 10);
  if (errno != 0)
    return -1;
  if (*end == 'k' || *end == 'K')
    shift = 10;
  else if (*end == 'm' || *end == 'M')
    shift = 20;
  else if (*end == 'g' || *end == 'G')
    shift = 30;
  if (shift != 0)
    end++;
  if (*end != '\0' || v > (SIZE_MAX >> shift))
    return -1;
  *out = (size_t)v << shift;
  return 0;
}

void ng_cli_usage_engines(FILE *out, const char *(*name)(unsigned i),
                          unsigned dflt) {
  unsigned i;

  fprintf(out, "  --engine=");
  for (i = 0; name(i) != NULL; i++)
    fprintf(out, "%s%s", i > 0 ? "|" : "", name(i));
  fprintf(out, " (default %s)\n", name(dflt));
}

int ng_cli_write_stdout(void *ud, const char *data, size_t len) {
  (void)ud;
  return fwrite(data, 1, len, stdout) == len ? 0 : 1;
}

int ng_cli_end_output(int rc) {
  if (rc == NG_OK && (fputc('\n', stdout) == EOF || fflush(stdout) != 0))
    rc = NG_EIO;
  if (rc != NG_OK) {
    fprintf(stderr, "nestguard: writing output: %s\n", ng_strerror(rc));
    return NG_CLI_USAGE;
  }
  return NG_CLI_OK;
}
