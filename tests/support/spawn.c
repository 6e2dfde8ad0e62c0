/*
 * tests/support/spawn.c - see spawn.h. Output goes through temporary files
 * rather than pipes so a chatty child can never block on a full pipe.
 */
#define _GNU_SOURCE
#include "spawn.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void slurp(FILE *f, char *buf, size_t cap) {
  size_t n;
  rewind(f);
  n = fread(buf, 1, cap - 1, f);
  buf[n] = '\0';
}

int ng_spawn(char *const argv[], const char *in, ng_spawn_result *r) {
  FILE *out = tmpfile(), *err = tmpfile();
  int fd_in, wstatus, rc = -1;
  pid_t pid;

  memset(r, 0, sizeof *r);
  if (out == NULL || err == NULL)
    goto done;
  fflush(stdout);
  pid = fork();
  if (pid < 0)
    goto done;
  if (pid == 0) {
    fd_in = open(in ? in : "/dev/null", O_RDONLY);
    if (fd_in < 0)
      _exit(127);
    dup2(fd_in, 0);
    dup2(fileno(out), 1);
    dup2(fileno(err), 2);
    execv(argv[0], argv);
    _exit(127);
  }
  if (waitpid(pid, &wstatus, 0) != pid)
    goto done;
  r->exited = WIFEXITED(wstatus);
  r->status = r->exited ? WEXITSTATUS(wstatus) : WTERMSIG(wstatus);
  slurp(out, r->out, sizeof r->out);
  slurp(err, r->err, sizeof r->err);
  rc = 0;
done:
  if (out)
    fclose(out);
  if (err)
    fclose(err);
  return rc;
}

const char *ng_spawn_cli_path(void) {
  static char path[1024];
  const char *b = getenv("NG_BUILD");
  snprintf(path, sizeof path, "%s/nestguard", b ? b : "build");
  return path;
}
