// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Instruction counts of the drivers (drivers.hpp). Each measured operation is
// one extern "C" function in another translation unit, so that
//   valgrind --tool=callgrind --toggle-collect=FUNCTION nybble_bench_instructions VARIANT N [PERCENT]
// counts the instructions executed inside it and nothing else. Instruction
// counts do not depend on what else the machine is doing, unlike time.
//
//   VARIANT  {hand,nybble}_{encode,decode,visit} over N words,
//            {host,hand,nybble,nybble_generational}_select over N handles,
//            PERCENT of them tagged,
//            or "all" to run every variant once (a smoke test).
#include "drivers.hpp"

#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

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
constexpr std::array<named_select_driver, 4> select_drivers{
    {{"host_select", host_select},
     {"hand_select", hand_select},
     {"nybble_select", nybble_select},
     {"nybble_generational_select", nybble_generational_select}}};

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
  if (run == nybble_generational_select) {
    stamp_generations(handles.data(), n);
  }
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
