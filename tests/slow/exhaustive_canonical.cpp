// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Every one of the 2^32 words of the canonical layout goes through decode (for
// each kind of the set) and visit, and must agree with a predicate written here
// from the layout's definition alone: bit 31 = invalid sentinel, bits 28..30 =
// tag, bits 0..27 = payload. Split over the machine's cores.
#include <nybble.hpp>

#include "kinds.hpp"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <thread>
#include <vector>

using namespace nybble_tests;
using nybble::decode;
using nybble::errc;

namespace {

struct expectation {
  bool is_error;
  errc error;         // when is_error
  std::uint32_t word; // the payload the typed side sees, otherwise
};

// The independent model of decode<Kind>(word), and of decode_nullable (which
// answers a sentinel verbatim where decode refuses it).
expectation expected_decode(std::uint32_t word, std::uintmax_t kind_tag, bool nullable) {
  if ((word >> 31) != 0) {
    return nullable ? expectation{false, {}, word} : expectation{true, errc::invalid_handle, 0};
  }
  const std::uint32_t tag = (word >> 28) & 0x7U;
  const bool known = tag <= 2;
  if (!known) {
    return {true, errc::unknown_kind, 0};
  }
  if (tag != kind_tag) {
    return {true, errc::wrong_kind, 0};
  }
  return {false, {}, word & 0x0FFF'FFFFU};
}

template <class Result>
bool agrees_with(Result got, const expectation& want, std::uint32_t word) {
  if (want.is_error) {
    return !got.has_value() && got.error() == want.error;
  }
  return got.has_value() && got->payload() == want.word && got->to_guest() == word;
}

template <class K>
bool decode_agrees(std::uint32_t word) {
  return agrees_with(decode<K, canonical_kinds>(word), expected_decode(word, K::tag, false), word);
}

// decode_nullable differs from decode on sentinels only; one kind is enough to
// read every word through its own branch.
bool decode_nullable_agrees(std::uint32_t word) {
  return agrees_with(nybble::decode_nullable<cache_entry, canonical_kinds>(word),
                     expected_decode(word, cache_entry::tag, true), word);
}

// visit reports the tag it dispatched on in the high half, the payload below.
bool visit_agrees(std::uint32_t word) {
  const auto got = nybble::visit<canonical_kinds>(word, [](auto h) -> std::uint64_t {
    return (static_cast<std::uint64_t>(decltype(h)::kind_type::tag) << 32) | h.payload();
  });
  if ((word >> 31) != 0) {
    return !got.has_value() && got.error() == errc::invalid_handle; // no live handle
  }
  const std::uint32_t tag = (word >> 28) & 0x7U;
  if (tag > 2) {
    return !got.has_value() && got.error() == errc::unknown_kind;
  }
  return got.has_value() && *got == ((static_cast<std::uint64_t>(tag) << 32) | (word & 0x0FFF'FFFFU));
}

} // namespace

int main() {
  const unsigned threads = std::max(1U, std::thread::hardware_concurrency());
  constexpr std::uint64_t words = std::uint64_t{1} << 32;
  std::atomic<std::uint64_t> disagreements{0};
  std::atomic<std::uint64_t> first_disagreement{words};
  std::vector<std::thread> workers;
  for (unsigned t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      const std::uint64_t begin = words * t / threads;
      const std::uint64_t end = words * (t + 1) / threads;
      std::uint64_t local = 0;
      for (std::uint64_t w = begin; w < end; ++w) {
        const auto word = static_cast<std::uint32_t>(w);
        const bool agrees = decode_agrees<nybble::untagged>(word) && decode_agrees<cache_entry>(word) &&
                            decode_agrees<replace_entry>(word) && decode_nullable_agrees(word) && visit_agrees(word);
        if (!agrees) {
          ++local;
          std::uint64_t seen = first_disagreement.load();
          while (w < seen && !first_disagreement.compare_exchange_weak(seen, w)) {
          }
        }
      }
      disagreements += local;
    });
  }
  for (auto& worker : workers) {
    worker.join();
  }
  if (disagreements != 0) {
    std::printf("%llu of 2^32 words disagree with the model; the first is 0x%08llx\n",
                static_cast<unsigned long long>(disagreements.load()),
                static_cast<unsigned long long>(first_disagreement.load()));
    return 1;
  }
  std::printf("all 2^32 words agree with the model (%u threads)\n", threads);
  return 0;
}
