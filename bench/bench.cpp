// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Each nybble operation beside its hand-written baseline (baseline.hpp), in the
// same binary and the same run, so that their ratio means something on a noisy
// machine. Both are called through the drivers (drivers.hpp) that the
// instruction counts use, so time and instructions measure the same code. Time
// is per batch of words (encode/decode/visit) or per call (select), and every
// select benchmark reports the heap allocations it made per call.
#include "allocation_counter.hpp"
#include "drivers.hpp"

#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace {

constexpr std::size_t words_per_batch = 4096;

// --- encode / decode / visit -------------------------------------------------

using word_driver = std::uint32_t (*)(const std::uint32_t*, std::size_t);

template <word_driver Driver>
void words(benchmark::State& state) {
  std::vector<std::uint32_t> batch(words_per_batch);
  for (std::uint32_t i = 0; i < words_per_batch; ++i) {
    batch[i] = bench::mixed_word(i);
  }
  for (auto _ : state) {
    benchmark::DoNotOptimize(Driver(batch.data(), batch.size()));
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * words_per_batch));
}

BENCHMARK(words<hand_encode>)->Name("encode/hand");
BENCHMARK(words<nybble_encode>)->Name("encode/nybble");
BENCHMARK(words<hand_decode>)->Name("decode/hand");
BENCHMARK(words<nybble_decode>)->Name("decode/nybble");
BENCHMARK(words<hand_visit>)->Name("visit/hand");
BENCHMARK(words<nybble_visit>)->Name("visit/nybble");

// --- select -------------------------------------------------------------------

using select_driver = std::uint32_t (*)(bench::counting_host*, const std::uint32_t*, std::size_t, std::uint32_t*);

template <select_driver Driver>
void select(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto tagged_percent = static_cast<unsigned>(state.range(1));
  std::vector<std::uint32_t> handles(n);
  std::vector<std::uint32_t> scratch(n);
  bench::make_handles(handles, tagged_percent);
  bench::counting_host host;
  // Allocations of one call, counted outside the timing loop (the benchmark
  // library allocates inside it).
  const std::size_t allocations_before = nybble_tests::allocation_count();
  benchmark::DoNotOptimize(Driver(&host, handles.data(), n, scratch.data()));
  const std::size_t allocations_per_call = nybble_tests::allocation_count() - allocations_before;
  for (auto _ : state) {
    benchmark::DoNotOptimize(Driver(&host, handles.data(), n, scratch.data()));
  }
  benchmark::DoNotOptimize(host.checksum);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
  state.counters["allocs_per_call"] = static_cast<double>(allocations_per_call);
}

void select_sizes(benchmark::internal::Benchmark* b, std::initializer_list<std::int64_t> percents) {
  for (const std::int64_t percent : percents) {
    for (const std::int64_t n : {1, 2, 4, 16, 256, 4096}) {
      b->Args({n, percent});
    }
  }
}

// Nothing tagged: the lowering against calling the host directly.
BENCHMARK(select<host_select>)->Name("select_untagged/host")->Apply([](auto* b) { select_sizes(b, {0}); });
BENCHMARK(select<nybble_select>)->Name("select_untagged/nybble")->Apply([](auto* b) { select_sizes(b, {0}); });
// Tagged handles: the lowering against the hand-written one.
BENCHMARK(select<hand_select>)->Name("select_tagged/hand")->Apply([](auto* b) { select_sizes(b, {0, 25, 100}); });
BENCHMARK(select<nybble_select>)->Name("select_tagged/nybble")->Apply([](auto* b) { select_sizes(b, {0, 25, 100}); });

} // namespace

BENCHMARK_MAIN();
