// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// testing.hpp: typed_host, a test double of a component host for adapter
// authors' own tests, constexpr from end to end.
//
//   using host = nybble::testing::typed_host<kinds, nybble::testing::subscribes<cache_entry>>;
#ifndef NYBBLE_TESTING_HPP
#define NYBBLE_TESTING_HPP

#include <nybble/testing/options.hpp>
#include <nybble/testing/pollable_host.hpp>
#include <nybble/testing/waitable_set_host.hpp>

#include <type_traits>

// nybble::testing::typed_host: a test double of a *typed* component host, for
// adapter authors' own tests. Everything is constexpr, so a whole scenario can be
// proven with static_assert; nothing allocates. This is the one header to
// include; its parts are in <nybble/testing/...>.
//
// What it models:
// * A handle table (testing/handle_table.hpp): one index space for every
//   resource type, as a component instance numbers its handles, so a handle of
//   the wrong type is caught where a runtime traps. live<K>() counts one kind.
// * A trap is recorded, never undefined behaviour: the call returns a harmless
//   value (index 0 for a new pollable, the list's length for a select) and the
//   test asserts on traps().
// * Scripted readiness per resource (testing/readiness.hpp): now, after N polls,
//   at a time on a virtual clock, or never. A stepping resource has a script per step.
// * A log of calls and traps (testing/call_log.hpp), with words kept whole.
// Every limit is an option (testing/options.hpp); past one, a trap is recorded
// or the log says it overflowed.
//
// Waits: select, timed select and is_ready are "waits". Each wait that finds a
// pollable not ready counts one poll of its resource. A select that finds nothing
// ready advances the virtual clock to the earliest scripted time among its
// pollables (a timed select no further than its timeout). A select without a
// timeout whose pollables can never become ready by time traps as blocked_forever:
// "ready after N polls" is for timed selects and is_ready.
namespace nybble::testing {

// One front end per wait model, over one shared core (testing/host_core.hpp):
// a host of waitable sets with the option waitable_sets, a host with pollables
// without it.
template <class Set, class... Options>
using typed_host = std::conditional_t<(std::is_same_v<Options, waitable_sets> || ...),
                                      waitable_set_host<Set, Options...>, pollable_host<Set, Options...>>;

} // namespace nybble::testing

#endif // NYBBLE_TESTING_HPP
