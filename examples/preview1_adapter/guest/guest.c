// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// A wasi-libc command, built as any C program is (clang --target=wasm32-wasi
// against Debian's wasi-libc), that waits the ways programs wait: poll() on
// stdin and stdout, nanosleep, clock_gettime, and poll_oneoff itself where
// poll() cannot say it (several clocks, absolute deadlines, no subscription);
// and getentropy and sched_yield, which programs call too.
// It runs through a preview1 adapter (wasi_snapshot_preview1 imports only):
//
//   guest SCENARIO [REPEAT]
//
// Each scenario prints what the program saw, one line per answer; with REPEAT
// its wait runs that many times (the timing runs) and prints once. `fuzz SEED
// COUNT` checks random subscription lists against the preview1 rules itself.
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <wasi/api.h>

// Marks the start and the end of each wait a scenario measures, for the host
// that counts the adapter's calls in between: a call no wait makes.
static void mark(void) {
  struct timespec resolution;
  clock_getres(CLOCK_REALTIME, &resolution);
}

static const char* revents_text(short revents) {
  static char text[32];
  text[0] = '\0';
  if (revents & POLLIN)
    strcat(text, "IN ");
  if (revents & POLLOUT)
    strcat(text, "OUT ");
  if (revents & POLLERR)
    strcat(text, "ERR ");
  if (revents & POLLHUP)
    strcat(text, "HUP ");
  if (revents & POLLNVAL)
    strcat(text, "NVAL ");
  if (text[0] == '\0')
    strcat(text, "- ");
  text[strlen(text) - 1] = '\0';
  return text;
}

static uint64_t now_ns(clockid_t clock) {
  struct timespec ts;
  clock_gettime(clock, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

// poll() over fds, printed as the program sees it.
static void print_poll(struct pollfd* fds, int count, int timeout_ms, long repeat) {
  const uint64_t start = now_ns(CLOCK_MONOTONIC);
  int n = 0;
  int error = 0;
  for (long r = 0; r < repeat; ++r) {
    for (int i = 0; i < count; ++i)
      fds[i].revents = 0;
    mark();
    n = poll(fds, (nfds_t)count, timeout_ms);
    mark();
    error = n < 0 ? errno : 0;
  }
  const uint64_t waited_ms = (now_ns(CLOCK_MONOTONIC) - start) / 1000000u;
  printf("poll -> %d%s%s", n, n < 0 ? " " : "", n < 0 ? strerror(error) : "");
  for (int i = 0; i < count && n >= 0; ++i)
    printf(" | fd %d: %s", fds[i].fd, revents_text(fds[i].revents));
  printf(" | after %llu ms\n", (unsigned long long)(repeat == 1 ? waited_ms : 0));
}

static __wasi_subscription_t clock_subscription(uint64_t userdata, __wasi_clockid_t clock, uint64_t ns, int absolute) {
  __wasi_subscription_t s;
  memset(&s, 0, sizeof s);
  s.userdata = userdata;
  s.u.tag = __WASI_EVENTTYPE_CLOCK;
  s.u.u.clock.id = clock;
  s.u.u.clock.timeout = ns;
  s.u.u.clock.flags = absolute ? __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME : 0;
  return s;
}

static __wasi_subscription_t fd_subscription(uint64_t userdata, __wasi_eventtype_t type, int fd) {
  __wasi_subscription_t s;
  memset(&s, 0, sizeof s);
  s.userdata = userdata;
  s.u.tag = type;
  s.u.u.fd_read.file_descriptor = (__wasi_fd_t)fd; // fd_read and fd_write share the layout
  return s;
}

// poll_oneoff itself, printed event by event (userdata, error, type, nbytes).
static void print_poll_oneoff(const __wasi_subscription_t* in, size_t count, long repeat) {
  __wasi_event_t out[8];
  __wasi_size_t n = 0;
  __wasi_errno_t error = 0;
  const uint64_t start = now_ns(CLOCK_MONOTONIC);
  for (long r = 0; r < repeat; ++r) {
    n = 0;
    mark();
    error = __wasi_poll_oneoff(in, out, (__wasi_size_t)count, &n);
    mark();
  }
  const uint64_t waited_ms = (now_ns(CLOCK_MONOTONIC) - start) / 1000000u;
  printf("poll_oneoff -> %s", error == 0 ? "ok" : strerror(error));
  for (__wasi_size_t i = 0; i < n && error == 0; ++i) {
    printf(" | userdata %llu: %s", (unsigned long long)out[i].userdata,
           out[i].error == 0 ? "ok" : strerror(out[i].error));
    if (out[i].type != __WASI_EVENTTYPE_CLOCK && out[i].error == 0) {
      printf(" %s %llu bytes", out[i].type == __WASI_EVENTTYPE_FD_READ ? "read" : "write",
             (unsigned long long)out[i].fd_readwrite.nbytes);
    }
  }
  printf(" | after %llu ms\n", (unsigned long long)(repeat == 1 ? waited_ms : 0));
}

// --- Random subscription lists, checked against the preview1 rules ---------------------
// stdout always takes a write, stdin has data exactly when the host was
// given some (argv), descriptors past 2 are bad, and clocks past or future:
// every event must be one of these, each subscription reported at most
// once, the ready-at-once ones all reported, and with none of them the
// earliest clock alone may wake the call.

static uint64_t fuzz_state;
static uint32_t fuzz_next(uint32_t bound) {
  fuzz_state = fuzz_state * 6364136223846793005u + 1442695040888963407u;
  return (uint32_t)(fuzz_state >> 33) % bound;
}

static int fuzz(uint64_t seed, long count, int stdin_has_data) {
  fuzz_state = seed;
  const struct timespec one_ms = {0, 1000000};
  nanosleep(&one_ms, NULL); // the host has had its turn: stdin's bytes, if any, have come
  long wrong = 0;
  for (long round = 0; round < count; ++round) {
    __wasi_subscription_t in[8];
    const size_t n = fuzz_next(8) + 1;
    int at_once[8] = {0};    // must be reported
    int may_report[8] = {0}; // may be reported
    __wasi_errno_t expected_error[8] = {0};
    uint64_t earliest = UINT64_MAX;
    const uint64_t mono = now_ns(CLOCK_MONOTONIC);
    const uint64_t real = now_ns(CLOCK_REALTIME);
    uint64_t offset[8] = {0};
    int any_at_once = 0;
    for (size_t i = 0; i < n; ++i) {
      switch (fuzz_next(6)) {
      case 0: // stdout: ready
        in[i] = fd_subscription(i, __WASI_EVENTTYPE_FD_WRITE, 1);
        at_once[i] = may_report[i] = 1;
        break;
      case 1: // stdin
        in[i] = fd_subscription(i, __WASI_EVENTTYPE_FD_READ, 0);
        at_once[i] = may_report[i] = stdin_has_data;
        break;
      case 2: // a bad descriptor, read or write
        in[i] = fd_subscription(i, fuzz_next(2) ? __WASI_EVENTTYPE_FD_READ : __WASI_EVENTTYPE_FD_WRITE,
                                3 + (int)fuzz_next(100));
        at_once[i] = may_report[i] = 1;
        expected_error[i] = __WASI_ERRNO_BADF;
        break;
      default: { // a clock: relative or absolute, either clock, past or future
        const __wasi_clockid_t clock = fuzz_next(2) ? __WASI_CLOCKID_MONOTONIC : __WASI_CLOCKID_REALTIME;
        const int absolute = (int)fuzz_next(2);
        const int past = fuzz_next(4) == 0;
        const uint64_t delta = (uint64_t)(fuzz_next(50) + 1) * 1000000u;
        const uint64_t base = clock == __WASI_CLOCKID_MONOTONIC ? mono : real;
        const uint64_t ns = absolute ? (past ? (base >= delta ? base - delta : 0) : base + delta) : (past ? 0 : delta);
        in[i] = clock_subscription(i, clock, ns, absolute);
        offset[i] = past ? 0 : delta;
        at_once[i] = may_report[i] = past;
        break;
      }
      }
      any_at_once = any_at_once || at_once[i];
      if (in[i].u.tag == __WASI_EVENTTYPE_CLOCK && offset[i] < earliest && !at_once[i])
        earliest = offset[i];
    }
    if (!any_at_once) {
      for (size_t i = 0; i < n; ++i) {
        may_report[i] = may_report[i] || (in[i].u.tag == __WASI_EVENTTYPE_CLOCK && offset[i] == earliest);
      }
    }
    if (!any_at_once && earliest == UINT64_MAX) {
      continue; // stdin without data alone: it would wait forever
    }
    __wasi_event_t out[8];
    __wasi_size_t got = 0;
    mark();
    const __wasi_errno_t error = __wasi_poll_oneoff(in, out, (__wasi_size_t)n, &got);
    mark();
    int seen[8] = {0};
    int ok = error == 0 && got >= 1 && got <= n;
    for (__wasi_size_t e = 0; ok && e < got; ++e) {
      const uint64_t u = out[e].userdata;
      ok = u < n && !seen[u] && may_report[u] && out[e].error == expected_error[u] && out[e].type == in[u].u.tag;
      if (ok)
        seen[u] = 1;
    }
    for (size_t i = 0; ok && i < n; ++i)
      ok = !at_once[i] || seen[i];
    if (!ok) {
      ++wrong;
      printf("fuzz: round %ld: wrong answer (errno %d, %u events)\n", round, error, (unsigned)got);
      for (size_t i = 0; i < n; ++i) {
        printf("  subscription %zu: type %d, %s%s\n", i, in[i].u.tag, at_once[i] ? "at once" : "",
               may_report[i] ? " may report" : "");
      }
      for (__wasi_size_t e = 0; e < got; ++e) {
        printf("  event: userdata %llu, error %d, type %d\n", (unsigned long long)out[e].userdata, out[e].error,
               out[e].type);
      }
    }
  }
  printf("fuzz: %ld rounds, %ld wrong\n", count, wrong);
  return wrong == 0 ? 0 : 1;
}

int main(int argc, char** argv) {
  const char* scenario = argc > 1 ? argv[1] : "";
  const long repeat = argc > 2 ? atol(argv[2]) : 1;
  // What stdio does first (is stdout a terminal?): an adapter's one-time setup
  // of its descriptors happens here, before any call a scenario measures.
  (void)isatty(1);
  if (strcmp(scenario, "stdin-data") == 0) {
    struct pollfd fds[] = {{0, POLLIN, 0}};
    print_poll(fds, 1, 1000, repeat);
    char buffer[64];
    const ssize_t got = read(0, buffer, sizeof buffer - 1);
    buffer[got > 0 ? got : 0] = '\0';
    printf("read -> %zd \"%s\"\n", got, buffer);
  } else if (strcmp(scenario, "stdin-empty") == 0) {
    struct pollfd fds[] = {{0, POLLIN, 0}};
    print_poll(fds, 1, 50, repeat);
  } else if (strcmp(scenario, "stdout") == 0) {
    struct pollfd fds[] = {{1, POLLOUT, 0}};
    print_poll(fds, 1, -1, repeat);
  } else if (strcmp(scenario, "stdin-stdout") == 0) {
    struct pollfd fds[] = {{0, POLLIN, 0}, {1, POLLOUT, 0}};
    print_poll(fds, 2, 100, repeat);
  } else if (strcmp(scenario, "closed-fd") == 0) {
    struct pollfd fds[] = {{1, POLLOUT, 0}, {7, POLLIN, 0}};
    print_poll(fds, 2, 100, repeat);
  } else if (strcmp(scenario, "nanosleep") == 0) {
    const uint64_t start = now_ns(CLOCK_MONOTONIC);
    const struct timespec twenty_ms = {0, 20 * 1000000};
    int r = 0;
    for (long i = 0; i < repeat; ++i) {
      mark();
      r = nanosleep(&twenty_ms, NULL);
      mark();
    }
    printf("nanosleep -> %d | after %llu ms\n", r,
           (unsigned long long)(repeat == 1 ? (now_ns(CLOCK_MONOTONIC) - start) / 1000000u : 0));
  } else if (strcmp(scenario, "clocks") == 0) {
    const uint64_t mono = now_ns(CLOCK_MONOTONIC);
    const __wasi_subscription_t in[] = {
        clock_subscription(1, __WASI_CLOCKID_MONOTONIC, 30 * 1000000u, 0),
        clock_subscription(2, __WASI_CLOCKID_REALTIME, 10 * 1000000u, 0),
        clock_subscription(3, __WASI_CLOCKID_MONOTONIC, mono + 20 * 1000000u, 1),
    };
    print_poll_oneoff(in, 3, repeat);
  } else if (strcmp(scenario, "past") == 0) {
    const uint64_t real = now_ns(CLOCK_REALTIME);
    const __wasi_subscription_t in[] = {
        clock_subscription(1, __WASI_CLOCKID_REALTIME, real - 5 * 1000000u, 1),
        clock_subscription(2, __WASI_CLOCKID_MONOTONIC, 40 * 1000000u, 0),
    };
    print_poll_oneoff(in, 2, repeat);
  } else if (strcmp(scenario, "past-monotonic") == 0) {
    const struct timespec one_ms = {0, 1000000};
    nanosleep(&one_ms, NULL); // the clock is past 0.5 ms now
    const __wasi_subscription_t in[] = {
        clock_subscription(1, __WASI_CLOCKID_MONOTONIC, now_ns(CLOCK_MONOTONIC) - 500000u, 1)};
    print_poll_oneoff(in, 1, repeat);
  } else if (strcmp(scenario, "bad-fd-and-clock") == 0) {
    const __wasi_subscription_t in[] = {
        fd_subscription(1, __WASI_EVENTTYPE_FD_READ, 9),
        clock_subscription(2, __WASI_CLOCKID_MONOTONIC, 10 * 1000000u, 0),
    };
    print_poll_oneoff(in, 2, repeat);
  } else if (strcmp(scenario, "stdin-bytes") == 0) {
    const struct timespec one_ms = {0, 1000000};
    nanosleep(&one_ms, NULL); // the host has had its turn: stdin's bytes have come
    const __wasi_subscription_t in[] = {
        fd_subscription(1, __WASI_EVENTTYPE_FD_READ, 0),
        fd_subscription(2, __WASI_EVENTTYPE_FD_WRITE, 1),
    };
    print_poll_oneoff(in, 2, repeat);
  } else if (strcmp(scenario, "zero") == 0) {
    print_poll_oneoff(NULL, 0, repeat);
  } else if (strcmp(scenario, "clock-read") == 0) {
    struct timespec resolution;
    clock_getres(CLOCK_MONOTONIC, &resolution);
    printf("monotonic %llu ns, realtime %llu s, resolution %ld ns\n", (unsigned long long)now_ns(CLOCK_MONOTONIC),
           (unsigned long long)(now_ns(CLOCK_REALTIME) / 1000000000u), resolution.tv_nsec);
  } else if (strcmp(scenario, "output") == 0) {
    printf("to stdout\n");
    fflush(stdout);
    fprintf(stderr, "to stderr\n");
    printf("argc %d, NYBBLE_GREETING %s\n", argc, getenv("NYBBLE_GREETING") ? getenv("NYBBLE_GREETING") : "unset");
    fflush(stdout);
    exit(3);
  } else if (strcmp(scenario, "random") == 0) {
    unsigned char bytes[8];
    const int got = getentropy(bytes, sizeof bytes);
    printf("getentropy -> %d:", got);
    for (size_t i = 0; i < sizeof bytes; ++i)
      printf(" %02x", bytes[i]);
    printf(", sched_yield -> %d\n", sched_yield());
  } else if (strcmp(scenario, "fuzz") == 0) {
    return fuzz((uint64_t)atoll(argc > 2 ? argv[2] : "1"), argc > 3 ? atol(argv[3]) : 100,
                argc > 4 && strcmp(argv[4], "stdin-has-data") == 0);
  } else {
    fprintf(stderr, "unknown scenario \"%s\"\n", scenario);
    return 2;
  }
  return 0;
}
