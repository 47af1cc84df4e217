// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#ifndef NYBBLE_TESTING_HPP
#define NYBBLE_TESTING_HPP

#include <nybble/handle.hpp>
#include <nybble/kind.hpp>
#include <nybble/testing/call_log.hpp>
#include <nybble/testing/handle_table.hpp>
#include <nybble/testing/options.hpp>
#include <nybble/testing/readiness.hpp>

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
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

template <class Set, class... Options>
class typed_host {
  static_assert(kind_set_type<Set>, "nybble::testing::typed_host<Set, ...>: Set must be a nybble::kind_set.");
  static_assert((detail::is_known_option<Options> && ...),
                "nybble::testing::typed_host: options are subscribes<K>, steps<K>, without_clock, "
                "table_capacity<N>, step_capacity<N>, log_capacity<N> and trap_capacity<N>.");
  static_assert((detail::option_kind_is_in_set<Set, Options> && ...),
                "nybble::testing::typed_host: subscribes<K> and steps<K> name tagged kinds of the host's Set.");
  static_assert((detail::option_kind_is_waitable<Options> && ...),
                "nybble::testing::typed_host: subscribes<K> and steps<K> name kinds that can be waited on; K is "
                "declared nybble::unwaitable_kind.");
  static constexpr bool async_abi = (std::is_same_v<Options, waitable_sets> || ...);
  static_assert(!async_abi || ((!detail::is_wait_option<Options>)&&...),
                "nybble::testing::typed_host: with waitable_sets every waitable kind is started (start_wait); "
                "subscribes<K> and steps<K> belong to a host with pollables.");

  using layout_type = typename Set::layout_type;

public:
  using set_type = Set;
  using word_type = typename Set::word_type;

  static constexpr std::size_t capacity = detail::option_or<table_capacity, 64, Options...>;
  static constexpr std::size_t max_steps = detail::option_or<step_capacity, 8, Options...>;
  static constexpr std::size_t log_capacity = detail::option_or<testing::log_capacity, 256, Options...>;
  static constexpr std::size_t trap_capacity = detail::option_or<testing::trap_capacity, 16, Options...>;
  static constexpr bool has_clock = !(std::is_same_v<Options, without_clock> || ...);

  template <class K>
  static constexpr bool kind_subscribes = (std::is_same_v<Options, subscribes<K>> || ...);
  template <class K>
  static constexpr bool kind_steps = (std::is_same_v<Options, steps<K>> || ...);
  // With waitable_sets: untagged words and every kind declared waitable.
  template <class K>
  static constexpr bool kind_starts = async_abi && (std::is_same_v<K, untagged> || K::waitable);

  static_assert(capacity >= 2, "nybble::testing::typed_host: the table needs index 0 and at least one more.");
  static_assert(capacity - 1 <= layout_type::payload_mask,
                "nybble::testing::typed_host: the table is larger than the layout's payload can index.");

  // --- Setting up a scenario -------------------------------------------------

  // A new pollable, owned by the guest: its word is untagged.
  [[nodiscard]] constexpr word_type add_pollable(readiness when) noexcept {
    const word_type index = allocate(table::pollable_type);
    if (index != 0) {
      static_cast<void>(table_.add_step(index, when)); // a new entry has room for one step
    }
    return index;
  }

  // A new resource of Kind whose single wait (subscribe) or single step is ready `when`.
  template <class Kind>
  [[nodiscard]] constexpr handle<Kind, layout_type> add(readiness when = readiness::now()) noexcept {
    return add<Kind>({when});
  }

  // A new resource of a stepping Kind with one readiness script per step, in
  // order. More steps than step_capacity<N>: trap::too_many_steps, and the
  // invalid sentinel instead of a handle.
  template <class Kind>
  [[nodiscard]] constexpr handle<Kind, layout_type> add(std::initializer_list<readiness> steps) noexcept {
    static_assert(Set::template contains<Kind> && Kind::tag != 0,
                  "nybble::testing::typed_host::add<Kind>: Kind must be a tagged kind of the host's Set.");
    const auto no_handle = *handle<Kind, layout_type>::from_payload(layout_type::null_word);
    if (steps.size() > max_steps) {
      raise(trap::too_many_steps, 0);
      return no_handle;
    }
    const word_type index = allocate(Kind::tag);
    if (index == 0) {
      return no_handle;
    }
    for (const readiness r : steps) {
      static_cast<void>(table_.add_step(index, r)); // fits: checked above
    }
    return *handle<Kind, layout_type>::from_payload(index);
  }

  // Moves the virtual clock forward.
  constexpr void advance_ms(std::uint64_t milliseconds) noexcept { now_ += milliseconds; }

  // --- The typed host's interface (what an adapter calls) --------------------

  [[nodiscard]] constexpr std::uint64_t select(std::span<const word_type> pollables) noexcept requires(!async_abi) {
    record_select(call::select, pollables);
    if (!all_pollables(pollables)) {
      return pollables.size();
    }
    if (const auto ready = first_ready(pollables)) {
      return *ready;
    }
    const auto wake = table_.earliest_wake(pollables);
    if (!wake) {
      raise(trap::blocked_forever, pollables.empty() ? 0 : pollables[0]);
      return pollables.size();
    }
    now_ = *wake;
    return first_ready(pollables).value_or(pollables.size());
  }

  [[nodiscard]] constexpr std::optional<std::uint64_t> select(std::span<const word_type> pollables,
                                                              std::uint32_t timeout_ms) noexcept requires(!async_abi) {
    record_select(call::select_with_timeout, pollables);
    last_timeout_ms_ = timeout_ms;
    if (!all_pollables(pollables)) {
      return pollables.size();
    }
    if (const auto ready = first_ready(pollables)) {
      return *ready;
    }
    const std::uint64_t deadline = now_ + timeout_ms;
    const auto wake = table_.earliest_wake(pollables);
    if (!wake || *wake > deadline) {
      now_ = deadline;
      return std::nullopt;
    }
    now_ = *wake;
    return first_ready(pollables);
  }

  [[nodiscard]] constexpr bool is_ready(word_type pollable) noexcept requires(!async_abi) {
    const bool ready = check(pollable, table::pollable_type) && table_.poll(pollable, now_);
    record(call::is_ready, pollable, ready ? 1U : 0U);
    return ready;
  }

  constexpr void drop_pollable(word_type pollable) noexcept requires(!async_abi) {
    record(call::drop_pollable, pollable, 0);
    if (check(pollable, table::pollable_type)) {
      release(pollable);
    }
  }

  template <class Kind>
  requires kind_subscribes<Kind>
  [[nodiscard]] constexpr word_type subscribe(handle<Kind, layout_type> h) noexcept {
    word_type pollable = 0;
    if (check(h.payload(), Kind::tag)) {
      pollable = make_pollable(h.payload());
    }
    record(call::subscribe, h.payload(), pollable);
    return pollable;
  }

  template <class Kind>
  requires kind_steps<Kind>
  [[nodiscard]] constexpr std::optional<word_type> step(handle<Kind, layout_type> h) noexcept {
    std::optional<word_type> pollable;
    // Steps that are done are passed; the first one that is not gets a pollable.
    if (check(h.payload(), Kind::tag) && table_.advance(h.payload(), now_)) {
      pollable = make_pollable(h.payload());
    }
    record(call::step, h.payload(), pollable.value_or(0));
    return pollable;
  }

  // --- The async ABI (option waitable_sets) -------------------------------------
  //
  // A started wait is a waitable (a subtask, as an async call in flight) that
  // watches the resource's current step; it has an event once that step is
  // ready. end_wait drops it and answers whether every step is done. Sets and
  // waitables live in the same table as resources, so a waitable used after it
  // was ended, joined after it was dropped, or a resource word where a waitable
  // goes, traps (invalid_handle, wrong_kind); a set dropped with members traps
  // (drop_set_with_members).

  template <class Kind>
  requires kind_starts<Kind>
  [[nodiscard]] constexpr std::optional<word_type> start_wait(handle<Kind, layout_type> h) noexcept {
    std::optional<word_type> waitable;
    // Steps that are done are passed (the call returns at once); the first one that is not gets a waitable.
    if (check(h.payload(), Kind::tag) && table_.advance(h.payload(), now_)) {
      waitable = make_waitable(h.payload());
    }
    record(call::start_wait, h.payload(), waitable.value_or(0));
    return waitable;
  }

  template <class Kind>
  requires kind_starts<Kind>
  [[nodiscard]] constexpr bool end_wait(handle<Kind, layout_type> h, word_type waitable) noexcept {
    bool done = false;
    if (check(h.payload(), Kind::tag) && check(waitable, waitable_type)) {
      release(waitable); // leaves its set; a completion is kept: the step's readiness is the resource's
      done = table_.is_done(h.payload(), now_);
    }
    record(call::end_wait, waitable, done ? 1U : 0U);
    return done;
  }

  [[nodiscard]] constexpr std::uint32_t new_waitable_set() noexcept requires async_abi {
    const word_type set = allocate(waitable_set_type);
    record(call::new_waitable_set, set, 0);
    return static_cast<std::uint32_t>(set);
  }

  constexpr void join(word_type waitable, std::uint32_t set) noexcept requires async_abi {
    record(call::join, waitable, set);
    if (check(waitable, waitable_type) && (set == 0 || check(static_cast<word_type>(set), waitable_set_type))) {
      table_.move_to_set(waitable, static_cast<word_type>(set));
    }
  }

  // Blocks until a member has an event: the first ready member; with none, the
  // clock moves to the earliest scripted time among them. A set nothing can wake
  // traps as blocked_forever (and answers 0).
  [[nodiscard]] constexpr word_type wait(std::uint32_t set) noexcept requires async_abi {
    word_type fired = 0;
    if (check(static_cast<word_type>(set), waitable_set_type)) {
      fired = table_.first_ready_member(static_cast<word_type>(set), now_);
      if (fired == 0) {
        if (const auto wake = table_.earliest_member_wake(static_cast<word_type>(set))) {
          now_ = *wake;
          fired = table_.first_ready_member(static_cast<word_type>(set), now_);
        } else {
          raise(trap::blocked_forever, set);
        }
      }
    }
    record(call::wait, set, fired);
    return fired;
  }

  [[nodiscard]] constexpr std::optional<word_type> poll(std::uint32_t set) noexcept requires async_abi {
    std::optional<word_type> fired;
    if (check(static_cast<word_type>(set), waitable_set_type)) {
      if (const word_type member = table_.first_ready_member(static_cast<word_type>(set), now_); member != 0) {
        fired = member;
      }
    }
    record(call::poll, set, fired.value_or(0));
    return fired;
  }

  constexpr void drop_waitable_set(std::uint32_t set) noexcept requires async_abi {
    record(call::drop_waitable_set, set, 0);
    if (!check(static_cast<word_type>(set), waitable_set_type)) {
      return;
    }
    if (table_.members_of(static_cast<word_type>(set)) > 0) {
      raise(trap::drop_set_with_members, set);
      return;
    }
    release(static_cast<word_type>(set));
  }

  // A clock wait, as wasi:clocks/monotonic-clock@0.3.0 wait-for: an event at now + ms.
  [[nodiscard]] constexpr word_type start_timeout(std::uint32_t milliseconds) noexcept requires async_abi {
    const word_type waitable = allocate(waitable_type);
    if (waitable != 0) {
      static_cast<void>(table_.add_step(waitable, readiness::at_ms(now_ + milliseconds)));
    }
    record(call::start_timeout, waitable, milliseconds);
    return waitable;
  }

  constexpr void end_timeout(word_type waitable) noexcept requires async_abi {
    record(call::end_timeout, waitable, 0);
    if (check(waitable, waitable_type)) {
      release(waitable);
    }
  }

  // The live waitables (started waits and clock waits) and waitable sets.
  [[nodiscard]] constexpr std::size_t live_waitables() const noexcept {
    return table_.count_live([](std::uintmax_t type) { return type == waitable_type; });
  }
  [[nodiscard]] constexpr std::size_t live_waitable_sets() const noexcept {
    return table_.count_live([](std::uintmax_t type) { return type == waitable_set_type; });
  }

  // The guest closes a resource it owns.
  template <class Kind>
  constexpr void drop(handle<Kind, layout_type> h) noexcept {
    record(call::drop, h.payload(), 0);
    if (check(h.payload(), Kind::tag)) {
      release(h.payload());
    }
  }

  [[nodiscard]] constexpr std::uint64_t now_ms() const noexcept requires has_clock { return now_; }

  // --- Observing --------------------------------------------------------------

  [[nodiscard]] constexpr std::uint64_t virtual_time_ms() const noexcept { return now_; }
  [[nodiscard]] constexpr std::size_t live_pollables() const noexcept { return live<untagged>(); }
  [[nodiscard]] constexpr std::size_t live_resources() const noexcept {
    return table_.count_live([](std::uintmax_t type) {
      return type != table::pollable_type && type != waitable_type && type != waitable_set_type;
    });
  }
  // The live resources of one kind: the kind's own table (untagged: the pollables).
  template <class Kind>
  [[nodiscard]] constexpr std::size_t live() const noexcept {
    static_assert(Set::template contains<Kind>, "nybble::testing::typed_host::live<Kind>: Kind is not in the Set.");
    return table_.count_live([](std::uintmax_t type) { return type == Kind::tag; });
  }
  // Whether a live resource is done: every step ready.
  template <class Kind>
  [[nodiscard]] constexpr bool is_done(handle<Kind, layout_type> h) const noexcept {
    return !table_.misuse(h.payload(), Kind::tag) && table_.is_done(h.payload(), now_);
  }

  [[nodiscard]] constexpr std::size_t trap_count() const noexcept { return traps_.count(); }
  [[nodiscard]] constexpr std::span<const trap_record> traps() const noexcept { return traps_.kept(); }
  // Whether more traps were raised than trap_capacity<N> keeps (trap_count() stays exact).
  [[nodiscard]] constexpr bool traps_overflowed() const noexcept { return traps_.overflowed(); }

  [[nodiscard]] constexpr std::size_t call_count() const noexcept { return calls_.count(); }
  [[nodiscard]] constexpr std::span<const call_record> calls() const noexcept { return calls_.kept(); }
  [[nodiscard]] constexpr std::size_t count_calls(call what) const noexcept {
    std::size_t n = 0;
    for (const call_record& c : calls()) {
      n += c.what == what ? 1U : 0U;
    }
    return n;
  }
  // Whether more calls were made than log_capacity<N> keeps (the counts above are then partial).
  [[nodiscard]] constexpr bool log_overflowed() const noexcept { return calls_.overflowed(); }
  // What the last select was handed: lets a test prove the caller's span was passed, not a copy.
  [[nodiscard]] constexpr const word_type* last_select_data() const noexcept { return last_select_data_; }
  [[nodiscard]] constexpr std::size_t last_select_size() const noexcept { return last_select_size_; }
  [[nodiscard]] constexpr std::uint32_t last_timeout_ms() const noexcept { return last_timeout_ms_; }

  constexpr void clear_log() noexcept { calls_.clear(); }

private:
  using table = handle_table<word_type, capacity, max_steps>;
  // The types of the async ABI's entries: no kind's tag (tags fit the kind field, at most 2^63 - 1).
  static constexpr std::uintmax_t waitable_type = ~std::uintmax_t{0};
  static constexpr std::uintmax_t waitable_set_type = ~std::uintmax_t{0} - 1U;

  constexpr word_type make_waitable(word_type resource) noexcept {
    const word_type waitable = table_.make_pollable(resource, waitable_type);
    if (waitable == 0) {
      raise(trap::table_full, 0);
    }
    return waitable;
  }

  [[nodiscard]] constexpr std::optional<std::uint64_t> first_ready(std::span<const word_type> pollables) noexcept {
    std::optional<std::uint64_t> ready;
    for (std::size_t i = 0; i < pollables.size(); ++i) {
      if (table_.poll(pollables[i], now_) && !ready) {
        ready = i;
      }
    }
    return ready;
  }

  [[nodiscard]] constexpr bool all_pollables(std::span<const word_type> pollables) noexcept {
    bool all = true;
    for (const word_type p : pollables) {
      all = check(p, table::pollable_type) && all;
    }
    return all;
  }

  // Whether index names a live entry of `type`; records the trap otherwise.
  constexpr bool check(word_type index, std::uintmax_t type) noexcept {
    if (const auto misuse = table_.misuse(index, type)) {
      raise(*misuse, index);
      return false;
    }
    return true;
  }

  constexpr word_type allocate(std::uintmax_t type) noexcept {
    const word_type index = table_.allocate(type);
    if (index == 0) {
      raise(trap::table_full, 0);
    }
    return index;
  }

  constexpr word_type make_pollable(word_type resource) noexcept {
    const word_type pollable = table_.make_pollable(resource);
    if (pollable == 0) {
      raise(trap::table_full, 0);
    }
    return pollable;
  }

  constexpr void release(word_type index) noexcept {
    if (const auto refused = table_.release(index)) {
      raise(*refused, index);
    }
  }

  constexpr void raise(trap reason, word_type word) noexcept { traps_.add(trap_record{reason, word}); }
  constexpr void record(call what, word_type word, std::uint64_t argument) noexcept {
    calls_.add(call_record{what, word, argument});
  }
  constexpr void record_select(call what, std::span<const word_type> pollables) noexcept {
    record(what, pollables.empty() ? 0 : pollables[0], pollables.size());
    last_select_data_ = pollables.data();
    last_select_size_ = pollables.size();
  }

  table table_{};
  std::uint64_t now_ = 0;
  record_log<trap_record, trap_capacity> traps_{};
  record_log<call_record, log_capacity> calls_{};

  const word_type* last_select_data_ = nullptr;
  std::size_t last_select_size_ = 0;
  std::uint32_t last_timeout_ms_ = 0;
};

} // namespace nybble::testing

#endif // NYBBLE_TESTING_HPP
