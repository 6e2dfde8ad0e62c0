/*
 * fuzz/gen/wfdiff.c - well-formedness verdicts of nestguard and libxml2,
 * side by side (a triage tool, not an oracle; fuzz/run wfdiff runs it).
 *
 *   wfdiff FILE|DIR...
 *
 * Each file (directories one level deep) is parsed by nestguard with its
 * defaults plus NG_XML_NAMESPACES (libxml2 always applies the Namespaces
 * recommendation, so both judge namespace well-formedness) and by libxml2 2.9 with network access, DTD loading and entity
 * substitution off (XML_PARSE_NONET, no XML_PARSE_DTDLOAD/NOENT) and its
 * own limits (no XML_PARSE_HUGE). One line per file on which the verdicts
 * differ, tab-separated:
 *
 *   nestguard-verdict  libxml2-verdict  file  nestguard-message
 *
 * where a verdict is "ok" or an error name (nestguard's NG_E* name, or
 * libxml2's numeric xmlParserErrors code with its message's first words,
 * or "timeout" when libxml2 took over 5 s: it runs in a child process,
 * since some attacks hang libxml2 2.9):
 * sort and count the first two columns to group the disagreements by the
 * construct each side objects to. Files both accept or both reject are
 * not printed; the summary line (stderr) counts them. Differences are for
 * a person to judge against the XML 1.0 specification: limits (nestguard's
 * 1 MiB expansion cap, libxml2's own) and encodings libxml2 reads through
 * iconv differ by design.
 *
 * libxml2 is linked only into this tool, never into the library or the
 * harnesses.
 */
#define _DEFAULT_SOURCE /* kill, fork, pipe, poll */
#include <dirent.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/xmlerror.h>

#include "nestguard.h"
#include "nestguard/xml.h"

static unsigned long n_same, n_diff, n_files;

static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  char *p = NULL, *q;
  size_t cap = 0, n = 0, got;

  if (f == NULL)
    return NULL;
  do {
    if (n == cap) {
      cap = cap ? cap * 2 : 65536;
      q = realloc(p, cap);
      if (q == NULL) {
        free(p);
        fclose(f);
        return NULL;
      }
      p = q;
    }
    got = fread(p + n, 1, cap - n, f);
    n += got;
  } while (got > 0);
  fclose(f);
  *len = n;
  return p;
}

/* Swallows libxml2's messages: only the last error is wanted. */
static void quiet(void *ctx, const char *msg, ...) {
  (void)ctx;
  (void)msg;
}

/* The first error (not warning) libxml2 reports, code and message: its
 * last error alone is not enough, as a later warning replaces it. */
static int lx_code;
static char lx_msg[48];

static void lx_record(void *ctx, xmlErrorPtr e) {
  (void)ctx;
  if (lx_code != 0 || e == NULL || e->level < XML_ERR_ERROR)
    return;
  lx_code = e->code;
  snprintf(lx_msg, sizeof lx_msg, "%s", e->message ? e->message : "?");
}

/* libxml2's verdict in buf: "ok" or "<code> <first words of message>". */
static void lx_verdict(const char *data, size_t len, char *buf, size_t cap) {
  xmlDocPtr doc;
  size_t i;

  lx_code = 0;
  xmlSetStructuredErrorFunc(NULL, lx_record);
  doc =
      xmlReadMemory(data, (int)len, "in.xml", NULL,
                    XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_NOERROR);
  if (doc != NULL && lx_code == 0) {
    snprintf(buf, cap, "ok");
  } else {
    snprintf(buf, cap, "%d %.40s", lx_code ? lx_code : -1,
             lx_code ? lx_msg : "?");
    for (i = 0; buf[i] != '\0'; i++)
      if (buf[i] == '\n' || buf[i] == '\t')
        buf[i] = ' ';
  }
  xmlFreeDoc(doc);
}

/* lx_verdict in a child, killed after 5 s ("timeout"). */
static void lx_verdict_guarded(const char *data, size_t len, char *buf,
                               size_t cap) {
  struct pollfd pf;
  ssize_t got = 0;
  int fd[2], st;
  pid_t pid;

  snprintf(buf, cap, "timeout");
  if (pipe(fd) != 0)
    return;
  pid = fork();
  if (pid == 0) {
    close(fd[0]);
    lx_verdict(data, len, buf, cap);
    if (write(fd[1], buf, strlen(buf)) < 0)
      _exit(1);
    _exit(0);
  }
  close(fd[1]);
  pf.fd = fd[0];
  pf.events = POLLIN;
  if (pid > 0 && poll(&pf, 1, 5000) == 1)
    got = read(fd[0], buf, cap - 1);
  if (got > 0)
    buf[got] = '\0';
  else
    snprintf(buf, cap, "timeout");
  if (pid > 0) {
    kill(pid, SIGKILL);
    waitpid(pid, &st, 0);
  }
  close(fd[0]);
}

static void one(const char *path) {
  ng_xml_options opt;
  char lx[96];
  ng_xml_doc *doc = NULL;
  ng_error err;
  size_t len = 0;
  char *data = slurp(path, &len);
  int rc;

  if (data == NULL || len > (size_t)1 << 30) {
    fprintf(stderr, "wfdiff: cannot read %s\n", path);
    free(data);
    return;
  }
  n_files++;
  ng_xml_options_default(&opt);
  opt.flags |= NG_XML_NAMESPACES;
  rc = ng_xml_parse(data, len, &opt, &doc, &err);
  ng_xml_doc_free(doc);
  lx_verdict_guarded(data, len, lx, sizeof lx);
  if ((rc == NG_OK) == (strcmp(lx, "ok") == 0)) {
    n_same++;
  } else {
    n_diff++;
    printf("%s\t%s\t%s\t%s\n", rc == NG_OK ? "ok" : ng_err_name(rc), lx, path,
           rc == NG_OK ? "" : err.msg);
  }
  free(data);
}

static void walk(const char *path) {
  struct stat st;
  struct dirent *e;
  char sub[4096];
  DIR *d;

  if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
    one(path);
    return;
  }
  d = opendir(path);
  if (d == NULL)
    return;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.')
      continue;
    snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
    if (stat(sub, &st) == 0 && S_ISREG(st.st_mode))
      one(sub);
  }
  closedir(d);
}

int main(int argc, char **argv) {
  int i;

  if (argc < 2) {
    fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
    return 2;
  }
  LIBXML_TEST_VERSION
  xmlSetGenericErrorFunc(NULL, quiet);
  for (i = 1; i < argc; i++)
    walk(argv[i]);
  fprintf(stderr, "wfdiff: %lu files, %lu same verdict, %lu differ\n", n_files,
          n_same, n_diff);
  xmlCleanupParser();
  return 0;
}
