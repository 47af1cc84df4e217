// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// The measured operations, one extern "C" function per variant, defined in
// their own translation unit (drivers.cpp). Both the time benchmarks
// (bench.cpp) and the instruction counts (instructions.cpp) call these, so
// that both measure the same machine code, and no caller can inline them: a
// benchmark loop that inlined a lowering could hoist work out of calls on the
// same input, which no adapter gets to do.
#ifndef NYBBLE_BENCH_DRIVERS_HPP
#define NYBBLE_BENCH_DRIVERS_HPP

#include "baseline.hpp"

#include <cstddef>
#include <cstdint>

extern "C" {
// Over n words: the sum of what each operation answers.
std::uint32_t hand_encode(const std::uint32_t* words, std::size_t n);
std::uint32_t nybble_encode(const std::uint32_t* words, std::size_t n);
std::uint32_t hand_decode(const std::uint32_t* words, std::size_t n);
std::uint32_t nybble_decode(const std::uint32_t* words, std::size_t n);
std::uint32_t hand_visit(const std::uint32_t* words, std::size_t n);
std::uint32_t nybble_visit(const std::uint32_t* words, std::size_t n);

// One select over n handles: the ready index, or 0xFFFF'FFFF for an error.
std::uint32_t host_select(bench::counting_host* host, const std::uint32_t* handles, std::size_t n,
                          std::uint32_t* scratch);
std::uint32_t hand_select(bench::counting_host* host, const std::uint32_t* handles, std::size_t n,
                          std::uint32_t* scratch);
std::uint32_t nybble_select(bench::counting_host* host, const std::uint32_t* handles, std::size_t n,
                            std::uint32_t* scratch);

// The same select over words with a generation field, checked against the
// generation table that handed them out. stamp_generations rewrites a list of
// make_handles into such words (each slot retired once: generation 1), before
// the measured call; at most max_generational_handles words.
constexpr std::size_t max_generational_handles = 4096;
void stamp_generations(std::uint32_t* handles, std::size_t n);
std::uint32_t nybble_generational_select(bench::counting_host* host, const std::uint32_t* handles, std::size_t n,
                                         std::uint32_t* scratch);
}

#endif
