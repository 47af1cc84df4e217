#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""Runs every nybble measurement against its baseline, in one run, and prints a
Markdown table of ratios (nybble / baseline: 1.00 means the abstraction costs
nothing, below 1 means it is cheaper).

Usage: bench/report.py GCC_BUILD_DIR CLANG_BUILD_DIR [--quick] [--instructions]

Every table has a g++ and a clang++ column: the same sources built by each
compiler (two Meson build directories), measured in the same run.
--instructions prints the instruction-count tables only (no timing).

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


def compile_seconds(compiler, source, extra, runs):
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "tu.cpp")
        with open(path, "w") as f:
            f.write(source)
        samples = []
        for _ in range(runs):
            start = time.perf_counter()
            run([compiler, "-std=c++20", "-O0", "-c", path, "-o", os.path.join(tmp, "tu.o"), f"-I{INCLUDE}"] + extra)
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
  std::uint32_t subscribe(kinds::handle<cache_entry> h) { return host_subscribe_cache(h.payload()); }
  std::uint32_t subscribe(kinds::handle<replace_entry> h) { return host_subscribe_replace(h.payload()); }
  std::optional<std::uint32_t> step(nybble::handle<http_entry, nybble::canonical_abi_layout> h) {
    const std::uint32_t r = host_step_http(h.payload());
    return r == 0 ? std::nullopt : std::optional<std::uint32_t>{r};
  }
};
extern "C" __attribute__((export_name("lower"))) std::uint32_t lower(const std::uint32_t* h, std::uint32_t n,
                                                                     std::uint32_t ms, std::uint32_t* scratch) {
  host hst;
  const auto r = nybble::lower_select<kinds>(std::span{h, n}, nybble::timeout::from_guest(ms), hst, std::span{scratch, n});
  return r ? r->to_guest() : 0x8000'0000u | static_cast<std::uint32_t>(r.error());
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


def native_text_bytes(compiler, source, opt, defines=()):
    """Bytes of .text in an x86-64 object holding only `lower` (the wasm imports become plain externs)."""
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "lower.cpp")
        with open(src, "w") as f:
            f.write(source)
        obj = os.path.join(tmp, "lower.o")
        run([compiler, "-std=c++20", opt, "-DNDEBUG", "-fno-exceptions", "-fno-rtti", "-fno-asynchronous-unwind-tables",
             "-Wno-attributes", "-Wno-unknown-attributes", "-ffreestanding", "-c", f"-I{INCLUDE}"] + list(defines)
            + [src, "-o", obj])
        sizes = run(["size", "-A", obj]).stdout
        return sum(int(m.group(1)) for m in re.finditer(r"^\.text\S*\s+(\d+)", sizes, re.M))


COMPILERS = ("g++", "clang++")


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if len(args) != 2:
        print(__doc__)
        sys.exit(2)
    builds = dict(zip(COMPILERS, args))
    quick = "--quick" in sys.argv
    instructions_only = "--instructions" in sys.argv
    bench_exe = {c: os.path.join(b, "bench", "nybble_bench") for c, b in builds.items()}
    drivers = {c: os.path.join(b, "bench", "nybble_bench_instructions") for c, b in builds.items()}

    lines = []
    out = lines.append
    cpu = run(["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"]).stdout.strip()
    versions = "; ".join(run([c, "--version"]).stdout.splitlines()[0] for c in COMPILERS)
    out(f"Measured on: {cpu}, {os.cpu_count()} cores; {versions}; "
        f"Google Benchmark, valgrind {run(['valgrind', '--version']).stdout.strip()}.")
    out("")

    times, allocs = {}, {}
    for c in COMPILERS:
        if instructions_only:
            times[c], allocs[c] = None, None
        else:
            _, times[c], allocs[c] = google_benchmark(bench_exe[c], quick)

    def time_cells(c, hand_key, nybble_key, scale=1.0):
        if times[c] is None:
            return "-"
        return ratio(times[c][nybble_key] / scale, times[c][hand_key] / scale)

    # Encode, decode, visit.
    n_words = 1024 if quick else 4096
    out("### Encode, decode, visit (per word; a mix of every kind, sentinels and forged tags)")
    out("")
    out("| operation | g++ hand instr. | g++ nybble instr. | g++ instr. ratio | clang++ hand instr. | "
        "clang++ nybble instr. | clang++ instr. ratio | g++ time ratio | clang++ time ratio |")
    out("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for op in ["encode", "decode", "visit"]:
        cells = []
        for c in COMPILERS:
            ih = per_word_instructions(drivers[c], f"hand_{op}", n_words)
            inn = per_word_instructions(drivers[c], f"nybble_{op}", n_words)
            cells += [f"{ih:.2f}", f"{inn:.2f}", ratio(inn, ih)]
        cells += [time_cells(c, f"{op}/hand", f"{op}/nybble") for c in COMPILERS]
        out(f"| {op} | " + " | ".join(cells) + " |")
    out("")

    # Select.
    sizes = [1, 2, 4, 16, 256, 4096]
    out("### lower_select with nothing tagged, against calling the host directly (per call)")
    out("")
    out("| handles | g++ host instr. | g++ nybble instr. | g++ instr. ratio | clang++ host instr. | "
        "clang++ nybble instr. | clang++ instr. ratio | g++ time ratio | clang++ time ratio | allocations g++ / clang++ |")
    out("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n in sizes:
        cells = []
        for c in COMPILERS:
            ih = callgrind_instructions(drivers[c], "host_select", [n, 0])
            inn = callgrind_instructions(drivers[c], "nybble_select", [n, 0])
            cells += [str(ih), str(inn), ratio(inn, ih)]
        cells += [time_cells(c, f"select_untagged/host/{n}/0", f"select_untagged/nybble/{n}/0") for c in COMPILERS]
        cells.append(" / ".join("-" if allocs[c] is None else f"{allocs[c][f'select_untagged/nybble/{n}/0']:.0f}"
                                for c in COMPILERS))
        out(f"| {n} | " + " | ".join(cells) + " |")
    out("")
    out("### lower_select against the hand-written lowering (per call)")
    out("")
    out("| tagged | handles | g++ hand instr. | g++ nybble instr. | g++ instr. ratio | clang++ hand instr. | "
        "clang++ nybble instr. | clang++ instr. ratio | g++ time ratio | clang++ time ratio | allocations g++ / clang++ |")
    out("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for percent in [0, 25, 100]:
        for n in sizes:
            cells = []
            for c in COMPILERS:
                ih = callgrind_instructions(drivers[c], "hand_select", [n, percent])
                inn = callgrind_instructions(drivers[c], "nybble_select", [n, percent])
                cells += [str(ih), str(inn), ratio(inn, ih)]
            cells += [time_cells(c, f"select_tagged/hand/{n}/{percent}", f"select_tagged/nybble/{n}/{percent}")
                      for c in COMPILERS]
            cells.append(" / ".join(
                "-" if allocs[c] is None else f"{allocs[c][f'select_tagged/nybble/{n}/{percent}']:.0f}"
                for c in COMPILERS))
            out(f"| {percent} % | {n} | " + " | ".join(cells) + " |")
    out("")
    out("### lower_select over words with a generation field, against lower_select on the canonical layout "
        "(instructions per call)")
    out("")
    out("| tagged | handles | g++ canonical | g++ generational | g++ ratio | clang++ canonical | "
        "clang++ generational | clang++ ratio |")
    out("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for percent in [0, 25, 100]:
        for n in sizes:
            cells = []
            for c in COMPILERS:
                ic = callgrind_instructions(drivers[c], "nybble_select", [n, percent])
                ig = callgrind_instructions(drivers[c], "nybble_generational_select", [n, percent])
                cells += [str(ic), str(ig), ratio(ig, ic)]
            out(f"| {percent} % | {n} | " + " | ".join(cells) + " |")
    out("")
    if instructions_only:
        print("\n".join(lines))
        return

    # Compile time.
    runs = 3 if quick else 9
    units = [("`#include <cstdint>`", "#include <cstdint>\nstd::uint32_t f(std::uint32_t w) { return w; }\n"),
             ("`#include <nybble/handle.hpp>` (typed handles, decode, visit)",
              "#include <nybble/handle.hpp>\nstd::uint32_t f(std::uint32_t w) { return w; }\n"),
             ("`#include <nybble.hpp>` (the whole core, select included)",
              "#include <nybble.hpp>\nstd::uint32_t f(std::uint32_t w) { return w; }\n")]
    if os.path.isdir("/usr/include/range"):
        units.append(("`#include <nybble/ext/range_v3.hpp>`", "#include <nybble/ext/range_v3.hpp>\nint f() { return 0; }\n"))
    out(f"### Compile time (-O0 -c, median of {runs}; ratio to `<cstdint>` alone)")
    out("")
    out("| translation unit | g++ seconds | g++ ratio | clang++ seconds | clang++ ratio |")
    out("|---|---:|---:|---:|---:|")
    seconds = {c: [compile_seconds(c, source, [], runs) for _, source in units] for c in COMPILERS}
    for i, (label, _) in enumerate(units):
        cells = []
        for c in COMPILERS:
            cells += [f"{seconds[c][i]:.3f}", ratio(seconds[c][i], seconds[c][0])]
        out(f"| {label} | " + " | ".join(cells) + " |")
    out("")

    # Code size.
    out("### Code size of the select lowering (bytes; ratio to the hand-written lowering)")
    out("")
    out("x86-64: `.text` of an object holding only the lowering, `-O2`. wasm32-wasi: a stripped module whose one "
        "export is the lowering (g++ has no wasm32 target, so that column is clang++'s only).")
    out("")
    out("| lowering | g++ x86-64 -O2 | g++ ratio | clang++ x86-64 -O2 | clang++ ratio | clang++ wasm32 -Oz | ratio | "
        "clang++ wasm32 -O2 | ratio |")
    out("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    variants = [("hand-written, two subscribing kinds", WASM_HAND, []),
                ("nybble, the same two kinds", WASM_NYBBLE, []),
                ("nybble, plus a stepping kind (re-arming, one deadline)", WASM_NYBBLE, ["-DWITH_STEPPING_KIND"])]
    sizes_of = []
    for _, source, defines in variants:
        sizes_of.append([native_text_bytes("g++", source, "-O2", defines),
                         native_text_bytes("clang++", source, "-O2", defines),
                         wasm_size(source, "-Oz", defines), wasm_size(source, "-O2", defines)])
    base = sizes_of[0]
    for (label, _, _), row in zip(variants, sizes_of):
        out(f"| {label} | " + " | ".join(f"{v} | {ratio(v, b)}" for v, b in zip(row, base)) + " |")
    out("")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
