// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// testing/host_core.hpp: part of <nybble/testing.hpp>, which is the header to
// include. What both front ends of the test host share: the options, the handle
// table, the virtual clock, the guest's resources, and the logs of calls and traps.
#ifndef NYBBLE_TESTING_HOST_CORE_HPP
#define NYBBLE_TESTING_HOST_CORE_HPP

#include <nybble/handle.hpp>
#include <nybble/host.hpp>
#include <nybble/kind.hpp>
#include <nybble/kind_set.hpp>
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

namespace nybble::testing {

// The shared core of typed_host (see <nybble/testing.hpp>). A front end derives
// from it and adds the members of one wait model.
template <class Set, class... Options>
class host_core {
  static_assert(any_kind_set<Set>, "nybble::testing::typed_host<Set, ...>: Set must be a nybble::kind_set.");
  static_assert((detail::is_known_option<Options> && ...),
                "nybble::testing::typed_host: options are subscribes<K>, steps<K>, without_clock, waitable_sets, "
                "table_capacity<N>, step_capacity<N>, log_capacity<N> and trap_capacity<N>.");
  static_assert((detail::option_kind_is_in_set<Set, Options> && ...),
                "nybble::testing::typed_host: subscribes<K> and steps<K> name tagged kinds of the host's Set.");
  static_assert((detail::option_kind_is_waitable<Options> && ...),
                "nybble::testing::typed_host: subscribes<K> and steps<K> name kinds that can be waited on; K is "
                "declared nybble::unwaitable_kind.");

protected:
  using layout_type = typename Set::layout_type;

public:
  using set_type = Set;
  using word_type = typename Set::word_type;

  static constexpr std::size_t capacity = detail::option_or<table_capacity, 64, Options...>;
  static constexpr std::size_t max_steps = detail::option_or<step_capacity, 8, Options...>;
  static constexpr std::size_t log_capacity = detail::option_or<testing::log_capacity, 256, Options...>;
  static constexpr std::size_t trap_capacity = detail::option_or<testing::trap_capacity, 16, Options...>;
  static constexpr bool has_clock = !(std::is_same_v<Options, without_clock> || ...);

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
    const auto no_handle = handle<Kind, layout_type>::null();
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

  // The guest closes a resource it owns.
  template <class Kind>
  constexpr void drop(handle<Kind, layout_type> h) noexcept {
    record(call::drop, h.payload(), 0);
    if (check(h.payload(), Kind::tag)) {
      release(h.payload());
    }
  }

  [[nodiscard]] constexpr std::uint64_t now_ms() const noexcept requires has_clock { return now_; }
  // The virtual clock in nanoseconds, for a poll's deadlines: every clock id is
  // the one virtual clock, and an instant between two milliseconds is reached
  // at the later one.
  [[nodiscard]] constexpr std::uint64_t now_ns() const noexcept requires has_clock { return now_ * ns_per_ms; }
  [[nodiscard]] constexpr std::uint64_t ns_until(deadline d) const noexcept requires has_clock {
    const std::uint64_t now = now_ns();
    const std::uint64_t at = d.absolute ? d.ns : now + d.ns;
    return at > now ? at - now : 0;
  }

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

protected:
  using table = handle_table<word_type, capacity, max_steps>;
  // The types of the waitable sets' entries: no kind's tag (tags fit the kind field, at most 2^63 - 1).
  static constexpr std::uintmax_t waitable_type = ~std::uintmax_t{0};
  static constexpr std::uintmax_t waitable_set_type = ~std::uintmax_t{0} - 1U;

  static constexpr std::uint64_t ns_per_ms = 1'000'000;
  // The virtual millisecond at which an instant in nanoseconds is reached.
  [[nodiscard]] static constexpr std::uint64_t ms_reaching(std::uint64_t ns) noexcept {
    return ns / ns_per_ms + (ns % ns_per_ms != 0 ? 1U : 0U);
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

#endif // NYBBLE_TESTING_HOST_CORE_HPP
