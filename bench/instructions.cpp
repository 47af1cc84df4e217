// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Drivers for instruction counts. Each measured operation is one extern "C",
// never-inlined function, so that
//   valgrind --tool=callgrind --toggle-collect=FUNCTION nybble_bench_instructions VARIANT N [PERCENT]
// counts the instructions executed inside it and nothing else. Instruction
// counts do not depend on what else the machine is doing, unlike time.
//
//   VARIANT  {hand,nybble}_{encode,decode,visit} over N words,
//            {host,hand,nybble}_select over N handles, PERCENT of them tagged,
//            or "all" to run every variant once (a smoke test).
#include "baseline.hpp"

#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#define DRIVER extern "C" __attribute__((noinline, used))

DRIVER std::uint32_t hand_encode(const std::uint32_t* words, std::size_t n) {
  std::uint32_t sum = 0;
  for (std::size_t i = 0; i < n; ++i) {
    std::uint32_t out = 0;
    sum += bench::hand::encode(words[i], 1, out) ? out : 1U;
  }
  return sum;
}
DRIVER std::uint32_t nybble_encode(const std::uint32_t* words, std::size_t n) {
  std::uint32_t sum = 0;
  for (std::size_t i = 0; i < n; ++i) {
    std::uint32_t out = 0;
    sum += bench::with_nybble::encode(words[i], out) ? out : 1U;
  }
  return sum;
}
DRIVER std::uint32_t hand_decode(const std::uint32_t* words, std::size_t n) {
  std::uint32_t sum = 0;
  for (std::size_t i = 0; i < n; ++i) {
    std::uint32_t payload = 0;
    sum += payload + static_cast<std::uint32_t>(bench::hand::decode_cache_entry(words[i], payload));
  }
  return sum;
}
DRIVER std::uint32_t nybble_decode(const std::uint32_t* words, std::size_t n) {
  std::uint32_t sum = 0;
  for (std::size_t i = 0; i < n; ++i) {
    std::uint32_t payload = 0;
    sum += payload + static_cast<std::uint32_t>(bench::with_nybble::decode_cache_entry(words[i], payload));
  }
  return sum;
}
DRIVER std::uint32_t hand_visit(const std::uint32_t* words, std::size_t n) {
  std::uint32_t sum = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const bool ok = bench::hand::dispatch(words[i], [&](std::uint32_t tag, std::uint32_t p) { sum += p * (tag + 1U); });
    sum += ok ? 0U : 7U;
  }
  return sum;
}
DRIVER std::uint32_t nybble_visit(const std::uint32_t* words, std::size_t n) {
  std::uint32_t sum = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const bool ok =
        bench::with_nybble::dispatch(words[i], [&](std::uint32_t tag, std::uint32_t p) { sum += p * (tag + 1U); });
    sum += ok ? 0U : 7U;
  }
  return sum;
}

DRIVER std::uint32_t host_select(bench::counting_host* host, const std::uint32_t* handles, std::size_t n,
                                 std::uint32_t*) {
  return host->select(std::span<const std::uint32_t>{handles, n});
}
DRIVER std::uint32_t hand_select(bench::counting_host* host, const std::uint32_t* handles, std::size_t n,
                                 std::uint32_t* scratch) {
  std::uint32_t ready = 0;
  const std::uint32_t status =
      bench::hand::select(std::span<const std::uint32_t>{handles, n}, 0, *host, std::span{scratch, n}, ready);
  return status == 0 ? ready : 0xFFFF'FFFFU;
}
DRIVER std::uint32_t nybble_select(bench::counting_host* host, const std::uint32_t* handles, std::size_t n,
                                   std::uint32_t* scratch) {
  std::uint32_t ready = 0;
  const std::uint32_t status =
      bench::with_nybble::select(std::span<const std::uint32_t>{handles, n}, 0, *host, std::span{scratch, n}, ready);
  return status == 0 ? ready : 0xFFFF'FFFFU;
}

namespace {

using word_driver = std::uint32_t (*)(const std::uint32_t*, std::size_t);
using select_driver = std::uint32_t (*)(bench::counting_host*, const std::uint32_t*, std::size_t, std::uint32_t*);

struct named_word_driver {
  const char* name;
  word_driver run;
};
struct named_select_driver {
  const char* name;
  select_driver run;
};

constexpr std::array<named_word_driver, 6> word_drivers{{{"hand_encode", hand_encode},
                                                         {"nybble_encode", nybble_encode},
                                                         {"hand_decode", hand_decode},
                                                         {"nybble_decode", nybble_decode},
                                                         {"hand_visit", hand_visit},
                                                         {"nybble_visit", nybble_visit}}};
constexpr std::array<named_select_driver, 3> select_drivers{
    {{"host_select", host_select}, {"hand_select", hand_select}, {"nybble_select", nybble_select}}};

std::uint32_t run_word_driver(word_driver run, std::size_t n) {
  std::vector<std::uint32_t> words(n);
  for (std::size_t i = 0; i < n; ++i) {
    words[i] = bench::mixed_word(static_cast<std::uint32_t>(i));
  }
  return run(words.data(), n);
}

std::uint32_t run_select_driver(select_driver run, std::size_t n, unsigned percent) {
  std::vector<std::uint32_t> handles(n);
  std::vector<std::uint32_t> scratch(n);
  bench::make_handles(handles, percent);
  bench::counting_host host;
  return run(&host, handles.data(), n, scratch.data());
}

} // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s VARIANT|all N [PERCENT]\n", argv[0]);
    return 2;
  }
  const std::size_t n = std::strtoull(argv[2], nullptr, 10);
  const unsigned percent = argc > 3 ? static_cast<unsigned>(std::strtoul(argv[3], nullptr, 10)) : 0U;
  const bool all = std::strcmp(argv[1], "all") == 0;
  bool ran = false;
  std::uint32_t sink = 0;
  for (const auto& d : word_drivers) {
    if (all || std::strcmp(argv[1], d.name) == 0) {
      sink += run_word_driver(d.run, n);
      ran = true;
    }
  }
  for (const auto& d : select_drivers) {
    if (all || std::strcmp(argv[1], d.name) == 0) {
      if (all) {
        for (const unsigned p : {0U, 25U, 100U}) {
          sink += run_select_driver(d.run, n, p);
        }
      } else {
        sink += run_select_driver(d.run, n, percent);
      }
      ran = true;
    }
  }
  if (!ran) {
    std::fprintf(stderr, "unknown variant %s\n", argv[1]);
    return 2;
  }
  std::printf("%u\n", sink);
  return 0;
}
