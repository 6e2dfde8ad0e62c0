/*
 * tests/support/spawn.c - see spawn.h. Output goes through temporary files
 * rather than pipes so a chatty child can never block on a full pipe.
 */
#define _GNU_SOURCE
#include "spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static void slurp(FILE *f, char *buf, size_t cap) {
  size_t n;
  rewind(f);
  n = fread(buf, 1, cap - 1, f);
  buf[n] = '\0';
}

/*
 * Forks and runs argv with stdin from fd_in and stdout/stderr into the
 * temporary files. fd_in (and a pipe's other end) is close-on-exec, so the
 * program holds the input only as its stdin: when it exits, a pipe's
 * writer sees EPIPE. Returns the pid or -1.
 */
static pid_t start(char *const argv[], int fd_in, FILE *out, FILE *err) {
  pid_t pid;

  fflush(stdout);
  pid = fork();
  if (pid != 0)
    return pid;
  if (dup2(fd_in, 0) < 0 || fcntl(0, F_SETFD, 0) != 0)
    _exit(127);
  dup2(fileno(out), 1);
  dup2(fileno(err), 2);
  execv(argv[0], argv);
  _exit(127);
}

/* Waits for pid and fills *r from its status, rusage and output. */
static int finish(pid_t pid, FILE *out, FILE *err, ng_spawn_result *r) {
  struct rusage ru;
  int wstatus;
  pid_t got;

  while ((got = wait4(pid, &wstatus, 0, &ru)) < 0 && errno == EINTR)
    ;
  if (got != pid)
    return -1;
  r->exited = WIFEXITED(wstatus);
  r->status = r->exited ? WEXITSTATUS(wstatus) : WTERMSIG(wstatus);
  r->max_rss_kb = ru.ru_maxrss;
  slurp(out, r->out, sizeof r->out);
  slurp(err, r->err, sizeof r->err);
  return 0;
}

/* Writes n spaces to fd, or fewer if the reader goes away. Returns how
 * many went in. */
static size_t feed_spaces(int fd, size_t n) {
  static char buf[1 << 16];
  struct sigaction ign, old;
  size_t done = 0, want;
  ssize_t w;

  memset(buf, ' ', sizeof buf);
  memset(&ign, 0, sizeof ign);
  ign.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &ign, &old);
  while (done < n) {
    want = n - done < sizeof buf ? n - done : sizeof buf;
    w = write(fd, buf, want);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0)
      break; /* EPIPE: the child is gone */
    done += (size_t)w;
  }
  sigaction(SIGPIPE, &old, NULL);
  return done;
}

/*
 * Runs argv with stdin from fd_in and, when feed_fd >= 0 (the pipe's other
 * end), writes `feed` spaces into it meanwhile. Takes both descriptors.
 */
static int run(char *const argv[], int fd_in, int feed_fd, size_t feed,
               ng_spawn_result *r) {
  FILE *out = tmpfile(), *err = tmpfile();
  pid_t pid = -1;
  int rc = -1;

  memset(r, 0, sizeof *r);
  if (out != NULL && err != NULL)
    pid = start(argv, fd_in, out, err);
  close(fd_in); /* the child has its copy; EPIPE needs ours closed */
  if (pid >= 0 && feed_fd >= 0)
    r->fed = feed_spaces(feed_fd, feed);
  if (feed_fd >= 0)
    close(feed_fd); /* end of input for the child */
  if (pid >= 0)
    rc = finish(pid, out, err, r);
  if (out)
    fclose(out);
  if (err)
    fclose(err);
  return rc;
}

int ng_spawn(char *const argv[], const char *in, ng_spawn_result *r) {
  int fd = open(in ? in : "/dev/null", O_RDONLY | O_CLOEXEC);

  if (fd < 0) {
    memset(r, 0, sizeof *r);
    return -1;
  }
  return run(argv, fd, -1, 0, r);
}

int ng_spawn_feed(char *const argv[], size_t feed, ng_spawn_result *r) {
  int fds[2];

  if (pipe2(fds, O_CLOEXEC) != 0) {
    memset(r, 0, sizeof *r);
    return -1;
  }
  return run(argv, fds[0], fds[1], feed, r);
}

const char *ng_spawn_cli_path(void) {
  static char path[1024];
  const char *b = getenv("NG_BUILD");
  snprintf(path, sizeof path, "%s/nestguard", b ? b : "build");
  return path;
}
