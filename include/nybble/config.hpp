// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#ifndef NYBBLE_CONFIG_HPP
#define NYBBLE_CONFIG_HPP

// Preconditions that only a programming error in the adapter can break (reading
// the value of a result that holds an error, say) are checked by NYBBLE_ASSERT.
// Nothing a guest sends reaches an assertion: guest words are validated and
// answered with an errc.
//
// Define NYBBLE_ASSERT before including nybble to route failures to your own
// handler; by default it traps in debug builds and is compiled out under
// NDEBUG. In a constant expression a failed assertion is a compile error,
// because the failure path calls a function that is not constexpr.
#ifndef NYBBLE_ASSERT
#  ifdef NDEBUG
#    define NYBBLE_ASSERT(condition, message) static_cast<void>(0)
#  else
#    define NYBBLE_ASSERT(condition, message)                                                                          \
      ((condition) ? static_cast<void>(0) : ::nybble::detail::assertion_failed(message))
#  endif
#endif

// NYBBLE_INLINE_STEP: nybble's internal steps (validate, arm, wait, the
// guard's drop, the dispatch switch) are each called from one place. Where
// bytes count, for WebAssembly and when optimising for size (-Os, -Oz), clang
// keeps several of them functions of their own and pays for the calls and for
// the results they return through memory; so there they are inlined by force.
// Measured (bench/README.md, "Code size"): the select lowering is 866 bytes of
// wasm32 at -Oz with it and 2,160 without, and the Fastly adapter module's
// code 4,810 bytes at -O2 with it and 5,400 without. Compiling x86-64 for
// speed, compilers inline them by themselves, and forcing it makes g++'s code
// slower, so there the choice is left to the compiler.
#if (defined(__OPTIMIZE_SIZE__) || defined(__wasm__)) && (defined(__GNUC__) || defined(__clang__))
#  define NYBBLE_INLINE_STEP __attribute__((always_inline))
#else
#  define NYBBLE_INLINE_STEP
#endif

// NYBBLE_INLINE_LOWERING: lower_select itself. An adapter calls it from one
// place, its select export. clang++ keeps it a function of its own there even
// at -O3, and the call (moving the arguments, saving registers, unpacking the
// returned result) was about a third of a select of one handle
// (bench/README.md, "lower_select against the hand-written lowering"); so with
// clang it is inlined by force. g++ inlines it by itself; forcing it there
// cost one to four instructions a select, so for g++ it is NYBBLE_INLINE_STEP.
#if defined(__clang__)
#  define NYBBLE_INLINE_LOWERING __attribute__((always_inline))
#else
#  define NYBBLE_INLINE_LOWERING NYBBLE_INLINE_STEP
#endif

// NYBBLE_ASSUME(condition): a fact the code has already established, told to
// the optimiser (which cannot derive it) so that it drops a test it would
// repeat. Checked like NYBBLE_ASSERT in debug builds; in an NDEBUG build a
// false condition would be undefined behaviour, so it only ever states what
// the lines above it guarantee.
#ifndef NYBBLE_ASSUME
#  ifdef NDEBUG
#    define NYBBLE_ASSUME(condition) ((condition) ? static_cast<void>(0) : __builtin_unreachable())
#  else
#    define NYBBLE_ASSUME(condition) NYBBLE_ASSERT(condition, "nybble: an assumed fact does not hold")
#  endif
#endif

namespace nybble::detail {

// Not constexpr on purpose: reaching it during constant evaluation makes the
// expression non-constant, which turns a broken precondition into a compile error.
[[noreturn]] inline void assertion_failed(const char* /*message*/) noexcept { __builtin_trap(); }

} // namespace nybble::detail

#endif // NYBBLE_CONFIG_HPP
