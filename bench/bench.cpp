// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Each nybble operation beside its hand-written baseline (baseline.hpp), in the
// same binary and the same run, so that their ratio means something on a noisy
// machine. Time is per word (encode/decode/visit) or per handle (select), and
// every select benchmark reports the heap allocations it made per call.
#include "allocation_counter.hpp"
#include "baseline.hpp"

#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace {

constexpr std::size_t words_per_batch = 4096;

std::vector<std::uint32_t> mixed_words() {
  std::vector<std::uint32_t> words(words_per_batch);
  for (std::uint32_t i = 0; i < words_per_batch; ++i) {
    words[i] = bench::mixed_word(i);
  }
  return words;
}

// --- encode / decode / visit -------------------------------------------------

template <bool UseNybble>
void encode(benchmark::State& state) {
  std::vector<std::uint32_t> payloads(words_per_batch);
  for (std::uint32_t i = 0; i < words_per_batch; ++i) {
    payloads[i] = bench::mixed_word(i) & 0x1FFF'FFFFU; // some overflow into the tag bits
  }
  for (auto _ : state) {
    std::uint32_t sum = 0;
    for (const std::uint32_t p : payloads) {
      std::uint32_t out = 0;
      const bool ok = UseNybble ? bench::with_nybble::encode(p, out) : bench::hand::encode(p, 1, out);
      sum += ok ? out : 1U;
    }
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * words_per_batch));
}

template <bool UseNybble>
void decode(benchmark::State& state) {
  const auto words = mixed_words();
  for (auto _ : state) {
    std::uint32_t sum = 0;
    for (const std::uint32_t w : words) {
      std::uint32_t payload = 0;
      const int r =
          UseNybble ? bench::with_nybble::decode_cache_entry(w, payload) : bench::hand::decode_cache_entry(w, payload);
      sum += payload + static_cast<std::uint32_t>(r);
    }
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * words_per_batch));
}

template <bool UseNybble>
void visit(benchmark::State& state) {
  const auto words = mixed_words();
  for (auto _ : state) {
    std::uint32_t sum = 0;
    for (const std::uint32_t w : words) {
      const auto on_kind = [&](std::uint32_t tag, std::uint32_t payload) { sum += payload * (tag + 1U); };
      const bool ok = UseNybble ? bench::with_nybble::dispatch(w, on_kind) : bench::hand::dispatch(w, on_kind);
      sum += ok ? 0U : 7U;
    }
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * words_per_batch));
}

BENCHMARK(encode<false>)->Name("encode/hand");
BENCHMARK(encode<true>)->Name("encode/nybble");
BENCHMARK(decode<false>)->Name("decode/hand");
BENCHMARK(decode<true>)->Name("decode/nybble");
BENCHMARK(visit<false>)->Name("visit/hand");
BENCHMARK(visit<true>)->Name("visit/nybble");

// --- select -------------------------------------------------------------------

enum class lowering { host_directly, hand, nybble };

template <lowering How>
void select(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto tagged_percent = static_cast<unsigned>(state.range(1));
  std::vector<std::uint32_t> handles(n);
  std::vector<std::uint32_t> scratch(n);
  bench::make_handles(handles, tagged_percent);
  bench::counting_host host;
  const auto one_call = [&] {
    std::uint32_t ready = 0;
    std::uint32_t status = 0;
    if constexpr (How == lowering::host_directly) {
      ready = host.select(handles);
    } else if constexpr (How == lowering::hand) {
      status = bench::hand::select(handles, 0, host, scratch, ready);
    } else {
      status = bench::with_nybble::select(handles, 0, host, scratch, ready);
    }
    benchmark::DoNotOptimize(ready);
    benchmark::DoNotOptimize(status);
  };
  // Allocations of one call, counted outside the timing loop (the benchmark
  // library allocates inside it).
  const std::size_t allocations_before = nybble_tests::allocation_count();
  one_call();
  const std::size_t allocations_per_call = nybble_tests::allocation_count() - allocations_before;
  for (auto _ : state) {
    one_call();
  }
  benchmark::DoNotOptimize(host.checksum);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
  state.counters["allocs_per_call"] = static_cast<double>(allocations_per_call);
}

void select_sizes(benchmark::internal::Benchmark* b, std::initializer_list<std::int64_t> percents) {
  for (const std::int64_t percent : percents) {
    for (const std::int64_t n : {1, 4, 16, 256, 4096}) {
      b->Args({n, percent});
    }
  }
}

// Nothing tagged: the lowering against calling the host directly.
BENCHMARK(select<lowering::host_directly>)->Name("select_untagged/host")->Apply([](auto* b) { select_sizes(b, {0}); });
BENCHMARK(select<lowering::nybble>)->Name("select_untagged/nybble")->Apply([](auto* b) { select_sizes(b, {0}); });
// Tagged handles: the lowering against the hand-written one.
BENCHMARK(select<lowering::hand>)->Name("select_tagged/hand")->Apply([](auto* b) { select_sizes(b, {0, 25, 100}); });
BENCHMARK(select<lowering::nybble>)->Name("select_tagged/nybble")->Apply([](auto* b) {
  select_sizes(b, {0, 25, 100});
});

} // namespace

BENCHMARK_MAIN();
