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
  code size    one lower_select instantiation for wasm32-wasi at -Oz and -O2
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
    result = run([exe, "--benchmark_format=json", f"--benchmark_min_time={min_time}",
                  "--benchmark_repetitions=1" if quick else "--benchmark_repetitions=5",
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


WASM_TU = r"""
#include <nybble/select.hpp>
#include <cstdint>
#include <optional>
#include <span>
struct cache_entry : nybble::kind<1> {};
struct http_entry : nybble::kind<3> {};
using kinds = nybble::kind_set<nybble::canonical_abi_layout, cache_entry, http_entry>;
extern "C" {
__attribute__((import_name("select"))) std::uint32_t host_select(const std::uint32_t*, std::uint32_t);
__attribute__((import_name("select_timeout"))) std::uint32_t host_select_timeout(const std::uint32_t*, std::uint32_t, std::uint32_t);
__attribute__((import_name("drop"))) void host_drop(std::uint32_t);
__attribute__((import_name("subscribe"))) std::uint32_t host_subscribe(std::uint32_t);
__attribute__((import_name("step"))) std::uint32_t host_step(std::uint32_t);
}
struct host {
  std::uint32_t select(std::span<const std::uint32_t> p) { return host_select(p.data(), p.size()); }
  std::optional<std::uint32_t> select(std::span<const std::uint32_t> p, std::uint32_t ms) {
    const std::uint32_t r = host_select_timeout(p.data(), p.size(), ms);
    return r == 0xFFFFFFFFu ? std::nullopt : std::optional<std::uint32_t>{r};
  }
  void drop_pollable(std::uint32_t p) { host_drop(p); }
  std::uint32_t subscribe(nybble::handle<cache_entry> h) { return host_subscribe(h.payload()); }
  std::optional<std::uint32_t> step(nybble::handle<http_entry> h) {
    const std::uint32_t r = host_step(h.payload());
    return r == 0 ? std::nullopt : std::optional<std::uint32_t>{r};
  }
};
extern "C" __attribute__((export_name("lower"))) std::uint32_t lower(const std::uint32_t* h, std::uint32_t n,
                                                                     std::uint32_t ms, std::uint32_t* scratch) {
  host hst;
  const auto r = nybble::lower_select<kinds>(std::span{h, n}, nybble::timeout::from_witx(ms), hst, std::span{scratch, n});
  return r ? r->to_witx() : 0x8000'0000u | static_cast<std::uint32_t>(r.error());
}
extern "C" void* memset(void* d, int v, unsigned long n) { auto* p = static_cast<unsigned char*>(d); while (n--) *p++ = static_cast<unsigned char>(v); return d; }
"""


def wasm_size(opt):
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "lower.cpp")
        with open(src, "w") as f:
            f.write(WASM_TU)
        out = os.path.join(tmp, "lower.wasm")
        run(["clang++", "--target=wasm32-wasi", "-std=c++20", opt, "-DNDEBUG", "-fno-exceptions", "-fno-rtti",
             "-nostdlib", "-Wl,--no-entry", "-Wl,--strip-all", f"-I{INCLUDE}", src, "-o", out])
        # The size of the one exported function's body, from the code section.
        obj = os.path.join(tmp, "lower.o")
        run(["clang++", "--target=wasm32-wasi", "-std=c++20", opt, "-DNDEBUG", "-fno-exceptions", "-fno-rtti",
             f"-I{INCLUDE}", "-c", src, "-o", obj])
        symbols = run(["llvm-nm", "--print-size", "--size-sort", obj]).stdout if has("llvm-nm") else ""
        code = sum(int(m.group(1), 16) for m in re.finditer(r"^[0-9a-f]+ ([0-9a-f]+) [Tt] ", symbols, re.M))
        return os.path.getsize(out), code


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
    sizes = [1, 16, 256, 4096]
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
    core = compile_seconds("#include <nybble.hpp>\nstd::uint32_t f(std::uint32_t w) { return w; }\n", [], runs)
    select = compile_seconds("#include <nybble.hpp>\n#include <nybble/select.hpp>\n"
                             "std::uint32_t f(std::uint32_t w) { return w; }\n", [], runs)
    out(f"### Compile time (g++ -O0 -c, median of {runs})")
    out("")
    out("| translation unit | seconds | ratio to `<cstdint>` |")
    out("|---|---:|---:|")
    out(f"| `#include <cstdint>` | {base:.3f} | 1.00 |")
    out(f"| `#include <nybble.hpp>` | {core:.3f} | {ratio(core, base)} |")
    out(f"| `+ <nybble/select.hpp>` | {select:.3f} | {ratio(select, base)} |")
    range_header = os.path.join(INCLUDE, "nybble", "ext", "range_v3.hpp")
    if os.path.exists(range_header) and os.path.isdir("/usr/include/range"):
        rv3 = compile_seconds("#include <nybble/ext/range_v3.hpp>\nint f() { return 0; }\n", [], runs)
        out(f"| `#include <nybble/ext/range_v3.hpp>` | {rv3:.3f} | {ratio(rv3, base)} |")
    out("")

    # Code size.
    if has("clang++"):
        out("### Code size: one lower_select instantiation for wasm32-wasi (two kinds, one subscribing, one stepping)")
        out("")
        out("| optimisation | module bytes | function code bytes |")
        out("|---|---:|---:|")
        for opt in ["-Oz", "-O2"]:
            module, code = wasm_size(opt)
            out(f"| {opt} | {module} | {code if code else 'n/a'} |")
        out("")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
