// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#ifndef NYBBLE_TESTING_HPP
#define NYBBLE_TESTING_HPP

#include <nybble/detail/testing.hpp>
#include <nybble/handle.hpp>
#include <nybble/kind.hpp>
#include <nybble/select.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <type_traits>

// nybble::testing::typed_host: a test double of a *typed* component host, for
// adapter authors' own tests. Everything is constexpr, so a whole scenario can be
// proven with static_assert; nothing allocates.
//
// What it models:
// * A table per resource kind (live<K>() counts one), numbered as a component
//   instance numbers its handles: one index space for all of them, index 0 never
//   used, a freed index reused last-in first-out. Since no two live resources
//   share an index, a handle of the wrong type is caught where a runtime traps.
// * A trap is recorded, never undefined behaviour: the call returns a harmless
//   value (index 0 for a new pollable, the list's length for a select) and the test
//   asserts on traps().
// * Scripted readiness per resource: now, after N polls, at a time on a virtual
//   clock, or never. A stepping resource has a script per step.
// * Counts of live resources and pollables, and a log of calls.
//
// Waits: select, timed select and is_ready are "waits". Each wait that finds a
// pollable not ready counts one poll of its resource. A select that finds nothing
// ready advances the virtual clock to the earliest scripted time among its
// pollables (a timed select no further than its timeout). A select without a
// timeout whose pollables can never become ready by time traps as blocked_forever:
// "ready after N polls" is for timed selects and is_ready.
namespace nybble::testing {

// When a resource (or one step of it) becomes ready.
class readiness {
public:
  enum class rule : std::uint8_t { polls, time, never };

  [[nodiscard]] static constexpr readiness now() noexcept { return after_polls(0); }
  // Not ready for the first n waits that look at it, ready from then on.
  [[nodiscard]] static constexpr readiness after_polls(std::uint32_t n) noexcept { return {rule::polls, n}; }
  // Ready once the virtual clock reaches t milliseconds.
  [[nodiscard]] static constexpr readiness at_ms(std::uint64_t t) noexcept { return {rule::time, t}; }
  [[nodiscard]] static constexpr readiness never() noexcept { return {rule::never, 0}; }

  [[nodiscard]] constexpr rule kind() const noexcept { return rule_; }
  [[nodiscard]] constexpr std::uint64_t value() const noexcept { return value_; }

  constexpr readiness() noexcept = default;

private:
  constexpr readiness(rule r, std::uint64_t v) noexcept : rule_{r}, value_{v} {}

  rule rule_ = rule::polls;
  std::uint64_t value_ = 0;
};

// Options of typed_host.
template <class Kind>
struct subscribes {}; // handles of Kind offer subscribe() -> pollable
template <class Kind>
struct steps {};         // handles of Kind offer step() -> option<pollable>
struct without_clock {}; // the host has no now_ms()
template <std::size_t Slots>
struct table_capacity {}; // handle table size, index 0 included (default 64)

enum class trap : std::uint8_t {
  unknown_handle,          // no live resource has this index
  wrong_resource_type,     // the index names a resource of another type
  blocked_forever,         // a select without timeout that nothing can ever wake
  table_full,              // no free index left
  drop_with_live_children, // a resource dropped while a pollable made from it is alive
};

enum class call : std::uint8_t { select, select_with_timeout, is_ready, subscribe, step, drop_pollable, drop };

struct call_record {
  call what;
  std::uint32_t word;     // the handle, or for a select the first pollable
  std::uint64_t argument; // a select's list length, or the result of subscribe/step/is_ready
  friend constexpr bool operator==(const call_record&, const call_record&) = default;
};

struct trap_record {
  trap reason;
  std::uint32_t word;
  friend constexpr bool operator==(const trap_record&, const trap_record&) = default;
};

template <class Set, class... Options>
class typed_host {
  static_assert(kind_set_type<Set>, "nybble::testing::typed_host<Set, ...>: Set must be a nybble::kind_set.");
  static_assert((detail::is_known_option<Options> && ...),
                "nybble::testing::typed_host: options are subscribes<K>, steps<K>, without_clock and "
                "table_capacity<N>.");
  static_assert((detail::option_kind_is_in_set<Set, Options> && ...),
                "nybble::testing::typed_host: subscribes<K> and steps<K> name tagged kinds of the host's Set.");
  static_assert((detail::option_kind_is_waitable<Options> && ...),
                "nybble::testing::typed_host: subscribes<K> and steps<K> name kinds that can be waited on; K is "
                "declared nybble::unwaitable_kind.");

  using layout_type = typename Set::layout_type;

public:
  using kind_set_type = Set;
  using word_type = typename Set::word_type;

  static constexpr std::size_t capacity = std::max({std::size_t{0}, detail::capacity_option<Options>::value...}) == 0
                                              ? 64
                                              : std::max({std::size_t{0}, detail::capacity_option<Options>::value...});
  static constexpr std::size_t max_steps = 8;
  static constexpr std::size_t log_capacity = 256;
  static constexpr bool has_clock = !(std::is_same_v<Options, without_clock> || ...);

  template <class K>
  static constexpr bool kind_subscribes = (std::is_same_v<Options, subscribes<K>> || ...);
  template <class K>
  static constexpr bool kind_steps = (std::is_same_v<Options, steps<K>> || ...);

  static_assert(capacity >= 2, "nybble::testing::typed_host: the table needs index 0 and at least one more.");
  static_assert(capacity - 1 <= layout_type::payload_mask,
                "nybble::testing::typed_host: the table is larger than the layout's payload can index.");

  // --- Setting up a scenario -------------------------------------------------

  // A new pollable, owned by the guest: its word is untagged.
  [[nodiscard]] constexpr word_type add_pollable(readiness when) noexcept {
    const auto index = allocate(untagged_type, 0);
    if (index == 0) {
      return 0;
    }
    slots_[index].steps[0] = when;
    slots_[index].step_count = 1;
    return index;
  }

  // A new resource of Kind whose single wait (subscribe) or single step is ready `when`.
  template <class Kind>
  [[nodiscard]] constexpr handle<Kind, layout_type> add(readiness when = readiness::now()) noexcept {
    return add<Kind>({when});
  }

  // A new resource of a stepping Kind with one readiness script per step, in order.
  template <class Kind>
  [[nodiscard]] constexpr handle<Kind, layout_type> add(std::initializer_list<readiness> steps) noexcept {
    static_assert(Set::template contains<Kind> && Kind::tag != 0,
                  "nybble::testing::typed_host::add<Kind>: Kind must be a tagged kind of the host's Set.");
    const auto index = allocate(static_cast<std::uint8_t>(Kind::tag), 0);
    if (index == 0) {
      return *handle<Kind, layout_type>::from_payload(layout_type::null_word);
    }
    slot& s = slots_[index];
    for (const readiness r : steps) {
      if (s.step_count < max_steps) {
        s.steps[s.step_count++] = r;
      }
    }
    return *handle<Kind, layout_type>::from_payload(index);
  }

  // Moves the virtual clock forward.
  constexpr void advance_ms(std::uint64_t milliseconds) noexcept { now_ += milliseconds; }

  // --- The typed host's interface (what an adapter calls) --------------------

  [[nodiscard]] constexpr std::uint64_t select(std::span<const word_type> pollables) noexcept {
    record(call::select, pollables.empty() ? 0 : pollables[0], pollables.size());
    last_select_data_ = pollables.data();
    last_select_size_ = pollables.size();
    if (!all_pollables(pollables)) {
      return pollables.size();
    }
    if (const auto ready = first_ready(pollables)) {
      return *ready;
    }
    const auto wake = earliest_wake(pollables);
    if (!wake) {
      raise(trap::blocked_forever, pollables.empty() ? 0 : pollables[0]);
      return pollables.size();
    }
    now_ = *wake;
    return first_ready(pollables).value_or(pollables.size());
  }

  [[nodiscard]] constexpr std::optional<std::uint64_t> select(std::span<const word_type> pollables,
                                                              std::uint32_t timeout_ms) noexcept {
    record(call::select_with_timeout, pollables.empty() ? 0 : pollables[0], pollables.size());
    last_select_data_ = pollables.data();
    last_select_size_ = pollables.size();
    last_timeout_ms_ = timeout_ms;
    if (!all_pollables(pollables)) {
      return pollables.size();
    }
    if (const auto ready = first_ready(pollables)) {
      return *ready;
    }
    const std::uint64_t deadline = now_ + timeout_ms;
    const auto wake = earliest_wake(pollables);
    if (!wake || *wake > deadline) {
      now_ = deadline;
      return std::nullopt;
    }
    now_ = *wake;
    return first_ready(pollables);
  }

  [[nodiscard]] constexpr bool is_ready(word_type pollable) noexcept {
    const bool valid = check(pollable, untagged_type);
    const bool ready = valid && poll(slots_[pollable]);
    record(call::is_ready, pollable, ready ? 1U : 0U);
    return ready;
  }

  constexpr void drop_pollable(word_type pollable) noexcept {
    record(call::drop_pollable, pollable, 0);
    if (check(pollable, untagged_type)) {
      release(pollable);
    }
  }

  template <class Kind>
  requires kind_subscribes<Kind>
  [[nodiscard]] constexpr word_type subscribe(handle<Kind, layout_type> h) noexcept {
    word_type pollable = 0;
    if (check(h.payload(), static_cast<std::uint8_t>(Kind::tag))) {
      pollable = make_pollable(h.payload());
    }
    record(call::subscribe, h.payload(), pollable);
    return pollable;
  }

  template <class Kind>
  requires kind_steps<Kind>
  [[nodiscard]] constexpr std::optional<word_type> step(handle<Kind, layout_type> h) noexcept {
    std::optional<word_type> pollable;
    if (check(h.payload(), static_cast<std::uint8_t>(Kind::tag))) {
      slot& s = slots_[h.payload()];
      // Steps that are done are passed; the first one that is not gets a pollable.
      while (s.current_step < s.step_count && step_ready(s, s.current_step)) {
        ++s.current_step;
        s.polls = 0;
      }
      if (s.current_step < s.step_count) {
        pollable = make_pollable(h.payload());
      }
    }
    record(call::step, h.payload(), pollable.value_or(0));
    return pollable;
  }

  // The guest closes a resource it owns.
  template <class Kind>
  constexpr void drop(handle<Kind, layout_type> h) noexcept {
    record(call::drop, h.payload(), 0);
    const auto type = std::is_same_v<Kind, untagged> ? untagged_type : static_cast<std::uint8_t>(Kind::tag);
    if (check(h.payload(), type)) {
      release(h.payload());
    }
  }

  [[nodiscard]] constexpr std::uint64_t now_ms() const noexcept requires has_clock { return now_; }

  // --- Observing --------------------------------------------------------------

  [[nodiscard]] constexpr std::uint64_t virtual_time_ms() const noexcept { return now_; }
  [[nodiscard]] constexpr std::size_t live_pollables() const noexcept { return live<untagged>(); }
  [[nodiscard]] constexpr std::size_t live_resources() const noexcept {
    return count_live([](std::uint8_t type) { return type != untagged_type; });
  }
  // The live resources of one kind: the kind's own table (untagged: the pollables).
  template <class Kind>
  [[nodiscard]] constexpr std::size_t live() const noexcept {
    static_assert(Set::template contains<Kind>, "nybble::testing::typed_host::live<Kind>: Kind is not in the Set.");
    return count_live([](std::uint8_t type) { return type == static_cast<std::uint8_t>(Kind::tag); });
  }
  // Whether the resource a guest word or payload names is done: every step ready.
  [[nodiscard]] constexpr bool is_done(word_type index) const noexcept {
    if (index == 0 || index >= capacity || index >= next_ || !slots_[index].live) {
      return false;
    }
    const slot& s = slots_[index];
    for (std::uint8_t k = s.current_step; k < s.step_count; ++k) {
      if (!step_ready(s, k)) {
        return false;
      }
    }
    return true;
  }

  [[nodiscard]] constexpr std::size_t trap_count() const noexcept { return trap_count_; }
  [[nodiscard]] constexpr std::span<const trap_record> traps() const noexcept {
    return std::span<const trap_record>{traps_}.first(std::min(trap_count_, traps_.size()));
  }

  [[nodiscard]] constexpr std::size_t call_count() const noexcept { return call_count_; }
  [[nodiscard]] constexpr std::span<const call_record> calls() const noexcept {
    return std::span<const call_record>{log_}.first(std::min(call_count_, log_.size()));
  }
  [[nodiscard]] constexpr std::size_t count_calls(call what) const noexcept {
    std::size_t n = 0;
    for (const call_record& c : calls()) {
      n += c.what == what ? 1U : 0U;
    }
    return n;
  }
  // Whether more calls were made than the log holds (the counts above are then partial).
  [[nodiscard]] constexpr bool log_overflowed() const noexcept { return call_count_ > log_.size(); }
  // What the last select was handed: lets a test prove the caller's span was passed, not a copy.
  [[nodiscard]] constexpr const word_type* last_select_data() const noexcept { return last_select_data_; }
  [[nodiscard]] constexpr std::size_t last_select_size() const noexcept { return last_select_size_; }
  [[nodiscard]] constexpr std::uint32_t last_timeout_ms() const noexcept { return last_timeout_ms_; }

  constexpr void clear_log() noexcept { call_count_ = 0; }

private:
  static constexpr std::uint8_t untagged_type = 0;

  struct slot {
    bool live = false;
    std::uint8_t type = 0; // 0: pollable; otherwise the kind's tag
    std::array<readiness, max_steps> steps{};
    std::uint8_t step_count = 0;
    std::uint8_t current_step = 0;
    std::uint32_t polls = 0;      // waits that found the current step not ready
    std::uint32_t children = 0;   // live pollables made from this resource
    word_type source = 0;         // a made pollable: the resource it watches (0: itself)
    std::uint8_t source_step = 0; // a made pollable: the step it watches
  };

  [[nodiscard]] constexpr bool step_ready(const slot& s, std::uint8_t k) const noexcept {
    if (k < s.current_step) {
      return true;
    }
    const readiness r = s.steps[k];
    switch (r.kind()) {
    case readiness::rule::polls:
      return k == s.current_step && s.polls >= r.value();
    case readiness::rule::time:
      return now_ >= r.value();
    case readiness::rule::never:
      return false;
    }
    return false;
  }

  // The resource a pollable watches, and the step it watches there.
  [[nodiscard]] constexpr slot& watched(slot& pollable) noexcept {
    return pollable.source == 0 ? pollable : slots_[pollable.source];
  }
  [[nodiscard]] constexpr const slot& watched(const slot& pollable) const noexcept {
    return pollable.source == 0 ? pollable : slots_[pollable.source];
  }
  // The step of the watched resource: a guest's own pollable is its own step 0.
  [[nodiscard]] static constexpr std::uint8_t watched_step(const slot& pollable) noexcept {
    return pollable.source == 0 ? 0 : pollable.source_step;
  }

  [[nodiscard]] constexpr bool pollable_ready(const slot& pollable) const noexcept {
    const slot& resource = watched(pollable);
    const std::uint8_t k = watched_step(pollable);
    return k >= resource.step_count || step_ready(resource, k);
  }

  // One wait looking at a pollable: ready, or one more poll of its resource.
  constexpr bool poll(slot& pollable) noexcept {
    if (pollable_ready(pollable)) {
      return true;
    }
    ++watched(pollable).polls;
    return false;
  }

  [[nodiscard]] constexpr std::optional<std::uint64_t> first_ready(std::span<const word_type> pollables) noexcept {
    std::optional<std::uint64_t> ready;
    for (std::size_t i = 0; i < pollables.size(); ++i) {
      if (poll(slots_[pollables[i]]) && !ready) {
        ready = i;
      }
    }
    return ready;
  }

  [[nodiscard]] constexpr std::optional<std::uint64_t>
  earliest_wake(std::span<const word_type> pollables) const noexcept {
    std::optional<std::uint64_t> earliest;
    for (const word_type p : pollables) {
      const slot& resource = watched(slots_[p]);
      const std::uint8_t k = watched_step(slots_[p]);
      if (k < resource.step_count && resource.steps[k].kind() == readiness::rule::time) {
        const std::uint64_t t = resource.steps[k].value();
        earliest = earliest ? std::min(*earliest, t) : t;
      }
    }
    return earliest;
  }

  [[nodiscard]] constexpr bool all_pollables(std::span<const word_type> pollables) noexcept {
    bool all = true;
    for (const word_type p : pollables) {
      all = check(p, untagged_type) && all;
    }
    return all;
  }

  // Whether index names a live resource of `type`; records the trap otherwise.
  constexpr bool check(word_type index, std::uint8_t type) noexcept {
    // The constant bound first: it also tells the optimiser every later index is in range.
    if (index == 0 || index >= capacity || index >= next_ || !slots_[index].live) {
      raise(trap::unknown_handle, index);
      return false;
    }
    if (slots_[index].type != type) {
      raise(trap::wrong_resource_type, index);
      return false;
    }
    return true;
  }

  constexpr word_type allocate(std::uint8_t type, word_type source) noexcept {
    word_type index = 0;
    if (free_count_ > 0) {
      index = free_[--free_count_];
    } else if (next_ < capacity) {
      index = static_cast<word_type>(next_++);
    } else {
      raise(trap::table_full, 0);
      return 0;
    }
    slots_[index] = slot{};
    slots_[index].live = true;
    slots_[index].type = type;
    slots_[index].source = source;
    return index;
  }

  constexpr word_type make_pollable(word_type resource) noexcept {
    const std::uint8_t step = slots_[resource].current_step;
    const word_type pollable = allocate(untagged_type, resource);
    if (pollable != 0) {
      slots_[pollable].source_step = step;
      ++slots_[resource].children;
    }
    return pollable;
  }

  constexpr void release(word_type index) noexcept {
    slot& s = slots_[index];
    if (s.children > 0) {
      raise(trap::drop_with_live_children, index);
      return;
    }
    if (s.source != 0) {
      --slots_[s.source].children;
    }
    s.live = false;
    free_[free_count_++] = index;
  }

  // Live slots whose resource type satisfies `of_type`.
  template <class TypePredicate>
  [[nodiscard]] constexpr std::size_t count_live(TypePredicate of_type) const noexcept {
    std::size_t n = 0;
    for (std::size_t i = 1; i < next_; ++i) {
      n += slots_[i].live && of_type(slots_[i].type) ? 1U : 0U;
    }
    return n;
  }

  constexpr void raise(trap reason, word_type word) noexcept {
    if (trap_count_ < traps_.size()) {
      traps_[trap_count_] = trap_record{reason, static_cast<std::uint32_t>(word)};
    }
    ++trap_count_;
  }

  constexpr void record(call what, word_type word, std::uint64_t argument) noexcept {
    if (call_count_ < log_.size()) {
      log_[call_count_] = call_record{what, static_cast<std::uint32_t>(word), argument};
    }
    ++call_count_;
  }

  std::array<slot, capacity> slots_{};
  std::array<word_type, capacity> free_{};
  std::size_t free_count_ = 0;
  std::size_t next_ = 1; // index 0 is never handed out
  std::uint64_t now_ = 0;

  std::array<trap_record, 16> traps_{};
  std::size_t trap_count_ = 0;
  std::array<call_record, log_capacity> log_{};
  std::size_t call_count_ = 0;

  const word_type* last_select_data_ = nullptr;
  std::size_t last_select_size_ = 0;
  std::uint32_t last_timeout_ms_ = 0;
};

} // namespace nybble::testing

#endif // NYBBLE_TESTING_HPP
