// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// The measured operations (drivers.hpp): nybble and its hand-written baseline,
// called the same way. Each pair is written out rather than shared through a
// template taking the operation as a lambda: that extra level of inlining
// changes how GCC vectorises the loops (the hand-written decode went from 7.75
// to 8.75 instructions a word), so the baselines would no longer be the code an
// adapter author writes.
#include "drivers.hpp"

#include <array>
#include <cstdint>
#include <span>

std::uint32_t hand_encode(const std::uint32_t* words, std::size_t n) {
  std::uint32_t sum = 0;
  for (std::size_t i = 0; i < n; ++i) {
    std::uint32_t out = 0;
    sum += bench::hand::encode(words[i], 1, out) ? out : 1U;
  }
  return sum;
}
std::uint32_t nybble_encode(const std::uint32_t* words, std::size_t n) {
  std::uint32_t sum = 0;
  for (std::size_t i = 0; i < n; ++i) {
    std::uint32_t out = 0;
    sum += bench::with_nybble::encode(words[i], out) ? out : 1U;
  }
  return sum;
}
std::uint32_t hand_decode(const std::uint32_t* words, std::size_t n) {
  std::uint32_t sum = 0;
  for (std::size_t i = 0; i < n; ++i) {
    std::uint32_t payload = 0;
    sum += payload + static_cast<std::uint32_t>(bench::hand::decode_cache_entry(words[i], payload));
  }
  return sum;
}
std::uint32_t nybble_decode(const std::uint32_t* words, std::size_t n) {
  std::uint32_t sum = 0;
  for (std::size_t i = 0; i < n; ++i) {
    std::uint32_t payload = 0;
    sum += payload + static_cast<std::uint32_t>(bench::with_nybble::decode_cache_entry(words[i], payload));
  }
  return sum;
}
std::uint32_t hand_visit(const std::uint32_t* words, std::size_t n) {
  std::uint32_t sum = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const bool ok = bench::hand::dispatch(words[i], [&](std::uint32_t tag, std::uint32_t p) { sum += p * (tag + 1U); });
    sum += ok ? 0U : 7U;
  }
  return sum;
}
std::uint32_t nybble_visit(const std::uint32_t* words, std::size_t n) {
  std::uint32_t sum = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const bool ok =
        bench::with_nybble::dispatch(words[i], [&](std::uint32_t tag, std::uint32_t p) { sum += p * (tag + 1U); });
    sum += ok ? 0U : 7U;
  }
  return sum;
}

std::uint32_t host_select(bench::counting_host* host, const std::uint32_t* handles, std::size_t n, std::uint32_t*) {
  return host->select(std::span<const std::uint32_t>{handles, n});
}
std::uint32_t hand_select(bench::counting_host* host, const std::uint32_t* handles, std::size_t n,
                          std::uint32_t* scratch) {
  std::uint32_t ready = 0;
  const std::uint32_t status =
      bench::hand::select(std::span<const std::uint32_t>{handles, n}, 0, *host, std::span{scratch, n}, ready);
  return status == 0 ? ready : 0xFFFF'FFFFU;
}
// The driver stands where an adapter's select export stands: it calls
// lower_select itself, as examples/fastly_adapter/adapter/module_abi.hpp does,
// and answers what the hand-written driver answers.
std::uint32_t nybble_select(bench::counting_host* host, const std::uint32_t* handles, std::size_t n,
                            std::uint32_t* scratch) {
  const auto outcome = nybble::lower_select<bench::kinds>(std::span<const std::uint32_t>{handles, n},
                                                          nybble::timeout::from_guest(0), *host, std::span{scratch, n});
  return outcome ? outcome->to_guest() : 0xFFFF'FFFFU;
}

namespace {
using generation_table = nybble::generation_table<bench::generational_kinds>;
// make_handles numbers indices from 1.
std::array<generation_table::slot_type, generation_table::kinds_per_slot_row*(max_generational_handles + 1)>
    generation_slots{};
generation_table generations{generation_slots};
} // namespace

void stamp_generations(std::uint32_t* handles, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint32_t w = handles[i];
    const std::uint32_t index = w & 0x000F'FFFFU;
    bench::generational_kinds::with_kind_of_tag(w >> 28U, [&]<class K>(std::type_identity<K>) {
      const auto first = generations.hand_out<K>(index);
      static_cast<void>(generations.retire<K>(first->to_guest()));
      handles[i] = generations.hand_out<K>(index)->to_guest();
    });
  }
}
std::uint32_t nybble_generational_select(bench::counting_host* host, const std::uint32_t* handles, std::size_t n,
                                         std::uint32_t* scratch) {
  const auto outcome = nybble::lower_select<bench::generational_kinds>(std::span<const std::uint32_t>{handles, n},
                                                                       nybble::timeout::from_guest(0), *host,
                                                                       std::span{scratch, n}, generations);
  return outcome ? outcome->to_guest() : 0xFFFF'FFFFU;
}
