#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""Runs every nybble measurement against its baseline, in one run, and prints a
Markdown table of ratios (nybble / baseline: 1.00 means the abstraction costs
nothing, below 1 means it is cheaper).

Usage: bench/report.py BUILD_DIR [--quick]

  time         Google Benchmark, nybble beside the hand-written code, same binary
  instructions valgrind --tool=callgrind, instructions counted inside one function
  allocations  operator new counted around one call
  compile time a TU with nybble.hpp against one with <cstdint> only (median of runs)
  code size    one lower_select instantiation for wasm32-wasi at -Oz and -O2, beside a hand-written one
"""
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
INCLUDE = os.path.join(ROOT, "include")


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)


def callgrind_instructions(exe, function, args):
    """Instructions executed inside `function` (inclusive) for one run."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "callgrind.out")
        run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
             f"--toggle-collect={function}", exe, function] + [str(a) for a in args])
        with open(out) as f:
            text = f.read()
    match = re.search(r"^summary:\s+(\d+)", text, re.M) or re.search(r"^totals:\s+(\d+)", text, re.M)
    return int(match.group(1))


def per_word_instructions(exe, function, n):
    # The difference of two sizes cancels the fixed cost of the call.
    return (callgrind_instructions(exe, function, [2 * n]) - callgrind_instructions(exe, function, [n])) / n


def google_benchmark(exe, quick):
    min_time = "0.01" if quick else "0.2"
    # Repetitions interleaved at random: the baseline and nybble see the same drift of a
    # shared machine, instead of one running entirely before the other.
    result = run([exe, "--benchmark_format=json", f"--benchmark_min_time={min_time}",
                  "--benchmark_repetitions=1" if quick else "--benchmark_repetitions=7",
                  "--benchmark_enable_random_interleaving=true",
                  "--benchmark_report_aggregates_only=true" if not quick else "--benchmark_report_aggregates_only=false"])
    data = json.loads(result.stdout)
    times, allocs = {}, {}
    for b in data["benchmarks"]:
        if b.get("aggregate_name", "median") != "median":
            continue
        name = b.get("run_name", b["name"])
        times[name] = b["cpu_time"]
        if "allocs_per_call" in b:
            allocs[name] = b["allocs_per_call"]
    return data.get("context", {}), times, allocs


def compile_seconds(source, extra, runs):
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "tu.cpp")
        with open(path, "w") as f:
            f.write(source)
        samples = []
        for _ in range(runs):
            start = time.perf_counter()
            run(["g++", "-std=c++20", "-O0", "-c", path, "-o", os.path.join(tmp, "tu.o"), f"-I{INCLUDE}"] + extra)
            samples.append(time.perf_counter() - start)
        return statistics.median(samples)


WASM_PRELUDE = r"""
#include <cstdint>
#include <optional>
#include <span>
extern "C" {
__attribute__((import_name("select"))) std::uint32_t host_select(const std::uint32_t*, std::uint32_t);
__attribute__((import_name("select_timeout"))) std::uint32_t host_select_timeout(const std::uint32_t*, std::uint32_t, std::uint32_t);
__attribute__((import_name("drop"))) void host_drop(std::uint32_t);
__attribute__((import_name("subscribe_cache"))) std::uint32_t host_subscribe_cache(std::uint32_t);
__attribute__((import_name("subscribe_replace"))) std::uint32_t host_subscribe_replace(std::uint32_t);
__attribute__((import_name("step_http"))) std::uint32_t host_step_http(std::uint32_t);
void* memset(void* d, int v, unsigned long n) { auto* p = static_cast<unsigned char*>(d); while (n--) *p++ = static_cast<unsigned char>(v); return d; }
}
"""

# nybble: two subscribing kinds (and, in the second variant, a stepping one too).
WASM_NYBBLE = WASM_PRELUDE + r"""
#include <nybble/select.hpp>
struct cache_entry : nybble::kind<1> {};
struct replace_entry : nybble::kind<2> {};
struct http_entry : nybble::kind<3> {};
#ifdef WITH_STEPPING_KIND
using kinds = nybble::kind_set<nybble::canonical_abi_layout, cache_entry, replace_entry, http_entry>;
#else
using kinds = nybble::kind_set<nybble::canonical_abi_layout, cache_entry, replace_entry>;
#endif
struct host {
  std::uint32_t select(std::span<const std::uint32_t> p) { return host_select(p.data(), p.size()); }
  std::optional<std::uint32_t> select(std::span<const std::uint32_t> p, std::uint32_t ms) {
    const std::uint32_t r = host_select_timeout(p.data(), p.size(), ms);
    return r == 0xFFFFFFFFu ? std::nullopt : std::optional<std::uint32_t>{r};
  }
  void drop_pollable(std::uint32_t p) { host_drop(p); }
  std::uint32_t subscribe(nybble::handle<cache_entry> h) { return host_subscribe_cache(h.payload()); }
  std::uint32_t subscribe(nybble::handle<replace_entry> h) { return host_subscribe_replace(h.payload()); }
  std::optional<std::uint32_t> step(nybble::handle<http_entry> h) {
    const std::uint32_t r = host_step_http(h.payload());
    return r == 0 ? std::nullopt : std::optional<std::uint32_t>{r};
  }
};
extern "C" __attribute__((export_name("lower"))) std::uint32_t lower(const std::uint32_t* h, std::uint32_t n,
                                                                     std::uint32_t ms, std::uint32_t* scratch) {
  host hst;
  const auto r = nybble::lower_select<kinds>(std::span{h, n}, nybble::timeout::from_witx(ms), hst, std::span{scratch, n});
  return r ? r->to_witx() : 0x8000'0000u | static_cast<std::uint32_t>(r.error());
}
"""

# The same two subscribing kinds, lowered by hand as the reference adapter does.
WASM_HAND = WASM_PRELUDE + r"""
extern "C" __attribute__((export_name("lower"))) std::uint32_t lower(const std::uint32_t* h, std::uint32_t n,
                                                                     std::uint32_t ms, std::uint32_t* scratch) {
  if (n == 0 && ms == 0) return 0x8000'0006u;
  bool any_tagged = false;
  for (std::uint32_t i = 0; i < n; ++i) {
    const std::uint32_t tag = (h[i] >> 31) ? 0 : h[i] >> 28;
    if (tag > 2) return 0x8000'0001u;
    any_tagged = any_tagged || tag != 0;
  }
  const std::uint32_t* list = h;
  if (any_tagged) {
    for (std::uint32_t i = 0; i < n; ++i) {
      const std::uint32_t tag = (h[i] >> 31) ? 0 : h[i] >> 28;
      switch (tag) {
      case 1: scratch[i] = host_subscribe_cache(h[i] & 0x0FFF'FFFFu); break;
      case 2: scratch[i] = host_subscribe_replace(h[i] & 0x0FFF'FFFFu); break;
      default: scratch[i] = h[i]; break;
      }
    }
    list = scratch;
  }
  const std::uint32_t ready = ms == 0 ? host_select(list, n) : host_select_timeout(list, n, ms);
  if (any_tagged) {
    for (std::uint32_t i = 0; i < n; ++i) {
      if (!(h[i] >> 31) && (h[i] >> 28) != 0) host_drop(scratch[i]);
    }
  }
  // The reference adapter's bounds-checked lookup of the index, as a status.
  if (ready != 0xFFFF'FFFFu && ready >= n) return 0x8000'0007u;
  return ready;
}
"""


def wasm_size(source, opt, defines=()):
    """Bytes of a stripped wasm32 module whose only export is `lower`."""
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "lower.cpp")
        with open(src, "w") as f:
            f.write(source)
        out = os.path.join(tmp, "lower.wasm")
        run(["clang++", "--target=wasm32-wasi", "-std=c++20", opt, "-DNDEBUG", "-fno-exceptions", "-fno-rtti",
             "-nostdlib", "-Wl,--no-entry", "-Wl,--strip-all", f"-I{INCLUDE}"] + list(defines) + [src, "-o", out])
        return os.path.getsize(out)


def has(program):
    return any(os.access(os.path.join(d, program), os.X_OK) for d in os.environ.get("PATH", "").split(os.pathsep))


def ratio(a, b):
    return f"{a / b:.2f}" if b else "n/a"


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        sys.exit(2)
    build = sys.argv[1]
    quick = "--quick" in sys.argv
    bench_exe = os.path.join(build, "bench", "nybble_bench")
    drivers = os.path.join(build, "bench", "nybble_bench_instructions")

    lines = []
    out = lines.append
    cpu = run(["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"]).stdout.strip()
    out(f"Measured on: {cpu}, {os.cpu_count()} cores; {run(['g++', '--version']).stdout.splitlines()[0]}; "
        f"Google Benchmark, valgrind {run(['valgrind', '--version']).stdout.strip()}.")
    out("")

    # Encode, decode, visit.
    _, times, allocs = google_benchmark(bench_exe, quick)
    n_words = 1024 if quick else 4096
    out("### Encode, decode, visit (per word; a mix of every kind, sentinels and forged tags)")
    out("")
    out("| operation | hand-written ns | nybble ns | time ratio | hand-written instr. | nybble instr. | instr. ratio |")
    out("|---|---:|---:|---:|---:|---:|---:|")
    for op in ["encode", "decode", "visit"]:
        th, tn = times[f"{op}/hand"] / 4096, times[f"{op}/nybble"] / 4096
        ih = per_word_instructions(drivers, f"hand_{op}", n_words)
        inn = per_word_instructions(drivers, f"nybble_{op}", n_words)
        out(f"| {op} | {th:.3f} | {tn:.3f} | {ratio(tn, th)} | {ih:.2f} | {inn:.2f} | {ratio(inn, ih)} |")
    out("")

    # Select.
    sizes = [1, 4, 16, 256, 4096]
    out("### lower_select with nothing tagged, against calling the host directly (per call)")
    out("")
    out("| handles | host ns | nybble ns | time ratio | host instr. | nybble instr. | instr. ratio | allocations |")
    out("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n in sizes:
        th, tn = times[f"select_untagged/host/{n}/0"], times[f"select_untagged/nybble/{n}/0"]
        ih = callgrind_instructions(drivers, "host_select", [n, 0])
        inn = callgrind_instructions(drivers, "nybble_select", [n, 0])
        out(f"| {n} | {th:.1f} | {tn:.1f} | {ratio(tn, th)} | {ih} | {inn} | {ratio(inn, ih)} | "
            f"{allocs[f'select_untagged/nybble/{n}/0']:.0f} |")
    out("")
    out("### lower_select against the hand-written lowering (per call; instructions per handle in the last column)")
    out("")
    out("| tagged | handles | hand ns | nybble ns | time ratio | hand instr. | nybble instr. | instr. ratio | "
        "nybble instr. per handle | allocations |")
    out("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for percent in [0, 25, 100]:
        for n in sizes:
            th, tn = times[f"select_tagged/hand/{n}/{percent}"], times[f"select_tagged/nybble/{n}/{percent}"]
            ih = callgrind_instructions(drivers, "hand_select", [n, percent])
            inn = callgrind_instructions(drivers, "nybble_select", [n, percent])
            out(f"| {percent} % | {n} | {th:.1f} | {tn:.1f} | {ratio(tn, th)} | {ih} | {inn} | {ratio(inn, ih)} | "
                f"{inn / n:.2f} | {allocs[f'select_tagged/nybble/{n}/{percent}']:.0f} |")
    out("")

    # Compile time.
    runs = 3 if quick else 9
    base = compile_seconds("#include <cstdint>\nstd::uint32_t f(std::uint32_t w) { return w; }\n", [], runs)
    handles = compile_seconds("#include <nybble/handle.hpp>\nstd::uint32_t f(std::uint32_t w) { return w; }\n", [],
                              runs)
    core = compile_seconds("#include <nybble.hpp>\nstd::uint32_t f(std::uint32_t w) { return w; }\n", [], runs)
    out(f"### Compile time (g++ -O0 -c, median of {runs})")
    out("")
    out("| translation unit | seconds | ratio to `<cstdint>` |")
    out("|---|---:|---:|")
    out(f"| `#include <cstdint>` | {base:.3f} | 1.00 |")
    out(f"| `#include <nybble/handle.hpp>` (typed handles, decode, visit) | {handles:.3f} | {ratio(handles, base)} |")
    out(f"| `#include <nybble.hpp>` (the whole core, select included) | {core:.3f} | {ratio(core, base)} |")
    range_header = os.path.join(INCLUDE, "nybble", "ext", "range_v3.hpp")
    if os.path.exists(range_header) and os.path.isdir("/usr/include/range"):
        rv3 = compile_seconds("#include <nybble/ext/range_v3.hpp>\nint f() { return 0; }\n", [], runs)
        out(f"| `#include <nybble/ext/range_v3.hpp>` | {rv3:.3f} | {ratio(rv3, base)} |")
    out("")

    # Code size.
    if has("clang++"):
        out("### Code size for wasm32-wasi: a module whose one export is the select lowering (stripped)")
        out("")
        out("| lowering | -Oz bytes | -O2 bytes | -Oz ratio | -O2 ratio |")
        out("|---|---:|---:|---:|---:|")
        hand_oz, hand_o2 = wasm_size(WASM_HAND, "-Oz"), wasm_size(WASM_HAND, "-O2")
        ny_oz, ny_o2 = wasm_size(WASM_NYBBLE, "-Oz"), wasm_size(WASM_NYBBLE, "-O2")
        st_oz = wasm_size(WASM_NYBBLE, "-Oz", ["-DWITH_STEPPING_KIND"])
        st_o2 = wasm_size(WASM_NYBBLE, "-O2", ["-DWITH_STEPPING_KIND"])
        out(f"| hand-written, two subscribing kinds | {hand_oz} | {hand_o2} | 1.00 | 1.00 |")
        out(f"| nybble, the same two kinds | {ny_oz} | {ny_o2} | {ratio(ny_oz, hand_oz)} | {ratio(ny_o2, hand_o2)} |")
        out(f"| nybble, plus a stepping kind (re-arming, one deadline) | {st_oz} | {st_o2} | "
            f"{ratio(st_oz, hand_oz)} | {ratio(st_o2, hand_o2)} |")
        out("")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
