/*
 * fuzz/replay_lib.c - fuzz/replay.c without its main(), linked into the
 * AFL++ binaries so that `<target> FILE...` replays files (afl_main.c).
 */
#define NG_FUZZ_REPLAY_NO_MAIN
#include "replay.c"
