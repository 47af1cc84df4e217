// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Internals of <nybble/select.hpp>: the validation of a guest's list, the arm
// step, the guard that drops what was armed, and the compile-time checks that
// name what a host lacks. Not for adapters to name.
#ifndef NYBBLE_DETAIL_SELECT_HPP
#define NYBBLE_DETAIL_SELECT_HPP

#include <nybble/config.hpp>
#include <nybble/handle.hpp>
#include <nybble/host.hpp>
#include <nybble/kind.hpp>
#include <nybble/result.hpp>
#include <nybble/wait.hpp>

#include <bit>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <type_traits>
#include <utility>

namespace nybble::detail {

// Whether a validated word (never a sentinel) needs translating.
template <class Set>
[[nodiscard]] constexpr bool is_tagged(typename Set::word_type word) noexcept {
  return (word & Set::layout_type::kind_mask) != 0;
}

// The kinds the host can wait on (untagged included: passed through), and the
// kinds it steps: the Accepts of detail::tag_is_accepted.
template <class Host, class Layout>
struct waitable_with {
  template <class K>
  static constexpr bool of = wait_model_of<Host, K, Layout> != wait_model::unwaitable;
};
template <class Host, class Layout>
struct stepped_by {
  template <class K>
  static constexpr bool of = wait_model_of<Host, K, Layout> == wait_model::step;
};

// Whether the host waits on waitable sets (the async ABI) rather than on pollables.
template <class Set, class Host>
inline constexpr bool uses_waitable_sets = host_with_waitable_sets<Host, typename Set::word_type>;

// Whether the host steps any kind of the set: without one, a select never re-arms.
template <class Set, class Host>
inline constexpr bool some_kind_steps = [] {
  bool steps = false;
  Set::for_each_kind([&]<class K>(std::type_identity<K>) {
    steps = steps || stepped_by<Host, typename Set::layout_type>::template of<K>;
  });
  return steps;
}();

// The smallest tag the lowering refuses (no kind of the set has it, or its kind
// cannot be waited on); past the layout's largest tag when it refuses none.
template <class Set, class Host>
inline constexpr std::uintmax_t first_refused_tag =
    first_unaccepted_tag<Set, waitable_with<Host, typename Set::layout_type>>;

// Why one guest word is refused (an invalid sentinel, an unknown tag, a kind
// that cannot be waited on), or errc{} when it is not. This is the
// specification of the validation: the word loop of validate_select and
// lower_is_ready ask it, and the fast path of validate_select is an
// optimisation of it (tests/differential checks the two agree).
template <class Set, class Host>
[[nodiscard]] constexpr errc refusal_of(typename Set::word_type word) noexcept {
  using layout_type = typename Set::layout_type;
  if (layout_type::is_invalid(word)) {
    return errc::invalid_handle;
  }
  const std::uintmax_t tag = layout_type::tag_of(word);
  if (!Set::contains_tag(tag)) {
    return errc::unknown_kind;
  }
  if (!tag_is_accepted<Set, waitable_with<Host, layout_type>>(tag)) {
    return errc::not_waitable;
  }
  return errc{};
}

// Lists of 1 to short_list words (one vector of u32 on most targets) are read
// word by word with no loop, which skips the set-up of a vectorised loop and,
// since such a list is neither empty nor too long, the length checks too
// (bench/README.md, "lower_select against the hand-written lowering", 1 to 4
// handles). Without vector instructions (WebAssembly without SIMD) there is no
// set-up to skip, and the unrolled copy would only add code.
inline constexpr std::size_t short_list = 4;
inline constexpr bool loops_may_vectorise =
#if defined(__wasm__) && !defined(__wasm_simd128__)
    false;
#else
    true;
#endif

// The validation of lower_select, before any host call: the list's length
// (empty_select for no handle and no timeout, capacity_exceeded for a list
// longer than select_outcome::max_handles or than the scratch), then every
// word. Answers whether any word is tagged, or the error for the first refused
// word: an invalid sentinel, an unknown tag, a kind that cannot be waited on.
//
// The fast path reads the list once, with no branch per word, so that compilers
// vectorise it (bench/README.md, "lower_select with nothing tagged": about two
// instructions a word): it ORs together each word's kind field and invalid bit and tests
// the result once. A list passes when no word has the invalid bit or a tag at
// or above first_refused_tag; where that tag is a power of two, "at or above"
// is a bit of the kind field, so the OR alone decides; otherwise each field is
// compared with it. A list that does not pass (a tag at or above the first
// refused one may still be a kind of a gapped set) is read again word by word,
// which decides exactly and names the error.
template <class Set, class Host>
[[nodiscard]] NYBBLE_INLINE_STEP constexpr result<bool>
validate_select(std::span<const typename Set::word_type> handles, std::size_t scratch_size, timeout wait_for) noexcept {
  using layout_type = typename Set::layout_type;
  using word = typename Set::word_type;
  constexpr word invalid_mask = layout_type::invalid_mask;
  constexpr bool refuses_some_tag = first_refused_tag<Set, Host> <= layout_type::max_tag;
  constexpr word first_refused_field = refuses_some_tag ? layout_type::with_tag(0, first_refused_tag<Set, Host>) : 0;
  constexpr bool refusal_is_a_bit_test = !refuses_some_tag || std::has_single_bit(first_refused_tag<Set, Host>);
  // The kind-field bits that only refused tags have, where refusal_is_a_bit_test.
  constexpr word refused_field_bits =
      refuses_some_tag ? static_cast<word>(layout_type::kind_mask & ~static_cast<word>(first_refused_field - 1U))
                       : word{0};
  constexpr auto refused_bits = static_cast<word>(invalid_mask | refused_field_bits);

  word fields = 0;
  word refused = 0;
  const auto read = [&](word w) NYBBLE_INLINE_STEP {
    if constexpr (refusal_is_a_bit_test) {
      fields |= static_cast<word>(w & (layout_type::kind_mask | invalid_mask));
    } else {
      const auto field = static_cast<word>(w & layout_type::kind_mask);
      fields |= field;
      refused |= static_cast<word>((w & invalid_mask) | (field >= first_refused_field ? 1U : 0U));
    }
  };
  const std::size_t count = handles.size();
  // One compare sends every list but the short ones to the loop, and the rare
  // lengths (none, more than max_handles) aside within it.
  if (loops_may_vectorise && count - 1 < short_list) {
    // Word i is read while i < count; the fold stops at the first that is not.
    [&]<std::size_t... I>(std::index_sequence<I...>) NYBBLE_INLINE_STEP {
      static_cast<void>(((I < count ? (read(handles[I]), true) : false) && ...));
    }
    (std::make_index_sequence<short_list>{});
  } else {
    if (count - 1 >= select_outcome::max_handles) [[unlikely]] {
      if (count != 0) {
        return errc::capacity_exceeded;
      }
      if (wait_for.is_none()) {
        return errc::empty_select;
      }
    }
    for (const word w : handles) {
      read(w);
    }
  }
  if (scratch_size < count) {
    return errc::capacity_exceeded;
  }
  if (refusal_is_a_bit_test ? (fields & refused_bits) == 0 : refused == 0) {
    return (fields & layout_type::kind_mask) != 0;
  }

  bool any_tagged = false;
  for (const word w : handles) {
    if (const errc reason = refusal_of<Set, Host>(w); reason != errc{}) {
      return reason;
    }
    any_tagged = any_tagged || is_tagged<Set>(w);
  }
  return any_tagged;
}

// What step and subscribe answer, as the arm step's result, whichever of the
// types host.hpp allows the host returns. Separate templates, not inline in
// the arm step: clang++ 14 looks into the discarded branch of a generic lambda
// and rejects a call to a member the host does not have.
template <class Host, class Handle>
[[nodiscard]] NYBBLE_INLINE_STEP constexpr result<std::optional<typename Handle::word_type>> armed_by_step(Host& host,
                                                                                                           Handle h) {
  return host.step(h); // std::optional<word>, or result<std::optional<word>>
}
template <class Host, class Handle>
[[nodiscard]] NYBBLE_INLINE_STEP constexpr result<std::optional<typename Handle::word_type>> armed_by_start(Host& host,
                                                                                                            Handle h) {
  return host.start_wait(h); // std::optional<word>, or result<std::optional<word>>
}
template <class Host, class Handle>
[[nodiscard]] NYBBLE_INLINE_STEP constexpr result<std::optional<typename Handle::word_type>>
armed_by_subscribe(Host& host, Handle h) {
  using word = typename Handle::word_type;
  if constexpr (std::is_unsigned_v<decltype(host.subscribe(h))>) {
    return std::optional<word>{static_cast<word>(host.subscribe(h))}; // the word, or an unsigned type no wider
  } else {
    const result<word> pollable = host.subscribe(h);
    if (!pollable) {
      return pollable.error();
    }
    return std::optional<word>{*pollable};
  }
}

// The arm step: what a wait on one validated guest word starts with. It
// answers the waitable to wait on (the guest's own pollable, passed through, or
// a pollable the host made for the handle), nullopt when the handle is ready
// now with nothing to wait on (a step of nullopt), or the errc the host
// answered (it made nothing then). This is the one place that dispatches on
// the wait model to start a wait: a new model is one more branch here, and one
// in release (the guard's end of a wait).
template <class Set, class Host>
[[nodiscard]] NYBBLE_INLINE_STEP constexpr result<std::optional<typename Set::word_type>>
arm(Host& host, typename Set::word_type guest_word) {
  using layout_type = typename Set::layout_type;
  using word = typename Set::word_type;
  using armed = result<std::optional<word>>;
  if constexpr (!uses_waitable_sets<Set, Host>) {
    if (!is_tagged<Set>(guest_word)) {
      return armed{guest_word}; // wait_model::pass_through
    }
  }
  armed out = errc::unknown_kind; // unreachable: validation accepted the word's tag
  Set::with_kind_of_tag(layout_type::tag_of(guest_word), [&]<class K>(std::type_identity<K>) NYBBLE_INLINE_STEP {
    constexpr wait_model model = wait_model_of<Host, K, layout_type>;
    if constexpr (model == wait_model::step || model == wait_model::subscribe || model == wait_model::start) {
      const auto h = handle_access::make<handle<K, layout_type>>(layout_type::payload_of(guest_word));
      if constexpr (model == wait_model::step) {
        out = armed_by_step(host, h);
      } else if constexpr (model == wait_model::subscribe) {
        out = armed_by_subscribe(host, h);
      } else {
        out = armed_by_start(host, h);
      }
    }
  });
  return out;
}

// Whether the waitable armed for a guest word was made by the lowering (and is
// ended by it), rather than being the guest's own.
template <class Set, class Host>
[[nodiscard]] constexpr bool owns_waitable(typename Set::word_type word) noexcept {
  if constexpr (uses_waitable_sets<Set, Host>) {
    return true; // every wait is started
  } else {
    return is_tagged<Set>(word); // untagged words are passed through
  }
}

// The end of a wait the lowering owns: a pollable is dropped; a started wait
// is ended, and the host answers whether the handle is now ready (a pollable
// cannot tell: false). The guard's one branch on the wait model.
template <class Set, class Host>
NYBBLE_INLINE_STEP constexpr bool release(Host& host, typename Set::word_type guest_word,
                                          typename Set::word_type waitable) {
  if constexpr (uses_waitable_sets<Set, Host>) {
    using layout_type = typename Set::layout_type;
    bool ready = false;
    Set::with_kind_of_tag(layout_type::tag_of(guest_word), [&]<class K>(std::type_identity<K>) NYBBLE_INLINE_STEP {
      if constexpr (wait_model_of<Host, K, layout_type> == wait_model::start) {
        const auto h = handle_access::make<handle<K, layout_type>>(layout_type::payload_of(guest_word));
        ready = static_cast<bool>(host.end_wait(h, waitable));
      }
    });
    return ready;
  } else {
    host.drop_pollable(waitable);
    return false;
  }
}

// Whether a guest word's waitable firing means "end it and start another
// unless the handle is ready" (the kind steps, or every started wait) rather
// than "ready".
template <class Set, class Host>
[[nodiscard]] constexpr bool rearms(typename Set::word_type word) noexcept {
  if constexpr (uses_waitable_sets<Set, Host>) {
    return true;
  } else if constexpr (some_kind_steps<Set, Host>) {
    return tag_is_accepted<Set, stepped_by<Host, typename Set::layout_type>>(Set::layout_type::tag_of(word));
  } else {
    return false;
  }
}

// The guard of a select's waits: waitables[i] is what was armed for guest[i],
// for i below armed_count(). It drops every waitable the lowering owns when it
// goes, on every path, so no return site cleans up by hand. One waitable at a
// time may be released early (a stepping handle whose step fired); it is then
// armed again or left out of the drop.
template <class Set, class Host>
class armed_waits {
  using word = typename Set::word_type;
  static constexpr std::size_t none_released = static_cast<std::size_t>(-1);
  // Only a re-arming wait releases one waitable early: a stepping kind, or a started wait.
  static constexpr bool can_release_early = some_kind_steps<Set, Host> || uses_waitable_sets<Set, Host>;

public:
  // The parameters' names are not the members' without the underscore: under
  // g++ -Wshadow, a constructor parameter named like an adapter's own global
  // (a `host`, say) would warn in the adapter's build.
  constexpr armed_waits(Host& on_host, std::span<const word> guest_words, std::span<word> into) noexcept
      : host_{on_host}, guest_{guest_words}, waitables_{into} {}
  armed_waits(const armed_waits&) = delete;
  armed_waits& operator=(const armed_waits&) = delete;
  armed_waits(armed_waits&&) = delete;
  armed_waits& operator=(armed_waits&&) = delete;
  NYBBLE_INLINE_STEP constexpr ~armed_waits() {
    for (std::size_t i = 0; i < armed_; ++i) {
      const bool released = can_release_early && i == released_;
      if (!released && owns_waitable<Set, Host>(guest_[i])) {
        static_cast<void>(release<Set>(host_, guest_[i], waitables_[i]));
      }
    }
  }

  // Arms every guest word, in order. Answers the index of the first one that is
  // ready now (nothing to wait on; none after it is armed), the list's length
  // when every word is armed, or the errc the host answered (what was armed
  // before it is dropped by the guard). The count is kept in a local and stored
  // on the way out, so the loop does not write the guard's memory per word.
  [[nodiscard]] NYBBLE_INLINE_STEP constexpr result<std::size_t> arm_all() {
    const std::size_t count = guest_.size();
    for (std::size_t i = 0; i < count; ++i) {
      const auto armed = arm<Set>(host_, guest_[i]);
      if (!armed || !armed->has_value()) {
        armed_ = i;
        return armed ? result<std::size_t>{i} : result<std::size_t>{armed.error()};
      }
      waitables_[i] = **armed;
    }
    armed_ = count;
    return count;
  }

  // Release, arm: the waitable of guest[i] fired and its kind re-arms. True
  // when the handle is now ready (nothing left to wait on).
  [[nodiscard]] NYBBLE_INLINE_STEP constexpr result<bool> rearm(std::size_t i) {
    released_ = i;
    if (release<Set>(host_, guest_[i], waitables_[i])) {
      return true;
    }
    const auto armed = arm<Set>(host_, guest_[i]);
    if (!armed) {
      return armed.error();
    }
    if (!armed->has_value()) {
      return true;
    }
    waitables_[i] = **armed;
    released_ = none_released;
    return false;
  }

  [[nodiscard]] constexpr std::span<const word> waitables() const noexcept { return waitables_.first(armed_); }
  // Whether guest[i]'s waitable is armed (not released, or armed again).
  [[nodiscard]] constexpr bool is_armed(std::size_t i) const noexcept { return i < armed_ && i != released_; }
  [[nodiscard]] constexpr word guest(std::size_t i) const noexcept { return guest_[i]; }

private:
  Host& host_;
  std::span<const word> guest_;
  std::span<word> waitables_;
  std::size_t armed_ = 0;
  std::size_t released_ = none_released;
};

// One host select: the index the host answered, or nullopt for a timeout.
template <class Host, class Word>
[[nodiscard]] NYBBLE_INLINE_STEP constexpr std::optional<std::uint64_t>
host_select(Host& host, std::span<const Word> pollables, timeout wait_for) {
  if (wait_for.is_none()) {
    return static_cast<std::uint64_t>(host.select(pollables));
  }
  const auto ready = host.select(pollables, wait_for.milliseconds());
  if (!ready) {
    return std::nullopt;
  }
  return static_cast<std::uint64_t>(*ready);
}

// One host select over a list the lowering does not own (nothing tagged).
template <class Host, class Word>
[[nodiscard]] NYBBLE_INLINE_STEP constexpr result<select_outcome> wait_once(Host& host, std::span<const Word> pollables,
                                                                            timeout wait_for) {
  const std::optional<std::uint64_t> fired = host_select(host, pollables, wait_for);
  if (!fired) {
    return select_outcome::timeout_expired();
  }
  if (*fired >= pollables.size()) {
    return errc::host_index_out_of_range;
  }
  return select_outcome::ready_at(static_cast<std::uint32_t>(*fired));
}

// The wait of lower_select: host selects over the armed waitables until one
// fires for a handle that is ready, re-arming stepping handles as they advance.
// The guard drops what is armed when the caller returns.
template <class Set, class Host>
[[nodiscard]] NYBBLE_INLINE_STEP constexpr result<select_outcome>
wait_until_ready(Host& host, armed_waits<Set, Host>& waits, timeout wait_for) {
  // One deadline for every wait of a select that may re-arm (needs a clock).
  constexpr bool keeps_deadline = host_with_clock<Host> && some_kind_steps<Set, Host>;
  std::uint64_t deadline = 0;
  if constexpr (keeps_deadline) {
    if (!wait_for.is_none()) {
      deadline = static_cast<std::uint64_t>(host.now_ms()) + wait_for.milliseconds();
    }
  }
  const std::span<const typename Set::word_type> waitables = waits.waitables();
  for (bool first_wait = true;; first_wait = false) {
    timeout this_wait = wait_for;
    if constexpr (keeps_deadline) {
      if (!first_wait && !wait_for.is_none()) { // the first wait has the whole timeout: no clock call needed
        const auto now = static_cast<std::uint64_t>(host.now_ms());
        this_wait = timeout::ms(now >= deadline ? 0U : static_cast<std::uint32_t>(deadline - now));
      }
    }
    const std::optional<std::uint64_t> fired = host_select(host, waitables, this_wait);
    if (!fired) {
      return select_outcome::timeout_expired();
    }
    if (*fired >= waitables.size()) {
      return errc::host_index_out_of_range;
    }
    const auto index = static_cast<std::size_t>(*fired);
    if (!rearms<Set, Host>(waits.guest(index))) {
      return select_outcome::ready_at(static_cast<std::uint32_t>(index));
    }
    const result<bool> ready_now = waits.rearm(index);
    if (!ready_now) {
      return ready_now.error();
    }
    if (*ready_now) {
      return select_outcome::ready_at(static_cast<std::uint32_t>(index));
    }
  }
}

// The guard of a select's waitable set (the async ABI): the set, the armed
// waitables joined to it, and the clock wait of a timeout. When it goes, every
// member leaves the set, the set is dropped and the clock wait ended, before
// the armed waits themselves are ended (it lives inside their guard's scope):
// a set is never dropped with members, and no wait is ended while in a set.
template <class Set, class Host>
class waitable_set_guard {
  using word = typename Set::word_type;

public:
  constexpr waitable_set_guard(Host& on_host, armed_waits<Set, Host>& armed) noexcept
      : host_{on_host}, waits_{armed}, set_{static_cast<std::uint32_t>(on_host.new_waitable_set())} {
    for (std::size_t i = 0; i < waits_.waitables().size(); ++i) {
      host_.join(waits_.waitables()[i], set_);
    }
  }
  waitable_set_guard(const waitable_set_guard&) = delete;
  waitable_set_guard& operator=(const waitable_set_guard&) = delete;
  waitable_set_guard(waitable_set_guard&&) = delete;
  waitable_set_guard& operator=(waitable_set_guard&&) = delete;
  NYBBLE_INLINE_STEP constexpr ~waitable_set_guard() {
    for (std::size_t i = 0; i < waits_.waitables().size(); ++i) {
      if (waits_.is_armed(i)) {
        host_.join(waits_.waitables()[i], 0);
      }
    }
    if (has_clock_wait_) {
      host_.join(clock_wait_, 0);
    }
    host_.drop_waitable_set(set_);
    if (has_clock_wait_) {
      host_.end_timeout(clock_wait_);
    }
  }

  // One clock wait for the whole select: re-arming a handle does not restart it.
  constexpr void start_clock_wait(std::uint32_t milliseconds) {
    clock_wait_ = host_.start_timeout(milliseconds);
    has_clock_wait_ = true;
    host_.join(clock_wait_, set_);
  }
  [[nodiscard]] constexpr bool is_clock_wait(word waitable) const noexcept {
    return has_clock_wait_ && clock_wait_ == waitable;
  }
  // guest[i]'s waitable leaves the set before its wait is ended, and joins it again once re-armed.
  constexpr void leave(std::size_t i) { host_.join(waits_.waitables()[i], 0); }
  constexpr void join(std::size_t i) { host_.join(waits_.waitables()[i], set_); }
  [[nodiscard]] constexpr std::uint32_t id() const noexcept { return set_; }

private:
  Host& host_;
  armed_waits<Set, Host>& waits_;
  std::uint32_t set_;
  word clock_wait_ = 0; // a word and a flag, not an optional: g++ 12 warns of the optional as maybe unset
  bool has_clock_wait_ = false;
};

// The wait of lower_select for the async ABI: the armed waits and the timeout's
// clock wait in one waitable set; wait (or, for a zero timeout, poll) until an
// event names a handle that is ready, re-arming a handle whose wait fired but
// is not done. The index is found by the waitable's position: the caller's.
template <class Set, class Host>
[[nodiscard]] NYBBLE_INLINE_STEP constexpr result<select_outcome>
wait_on_waitable_set(Host& host, armed_waits<Set, Host>& waits, timeout wait_for) {
  using word = typename Set::word_type;
  waitable_set_guard<Set, Host> set{host, waits};
  const bool polls = !wait_for.is_none() && wait_for.milliseconds() == 0;
  if (!wait_for.is_none() && !polls) {
    set.start_clock_wait(wait_for.milliseconds());
  }
  const std::span<const word> waitables = waits.waitables();
  for (;;) {
    word fired = 0;
    if (polls) {
      const std::optional<word> event = host.poll(set.id());
      if (!event) {
        return select_outcome::timeout_expired();
      }
      fired = *event;
    } else {
      fired = host.wait(set.id());
    }
    if (set.is_clock_wait(fired)) {
      return select_outcome::timeout_expired();
    }
    std::size_t index = 0;
    while (index < waitables.size() && waitables[index] != fired) { // every position is armed here
      ++index;
    }
    if (index == waitables.size()) {
      return errc::host_index_out_of_range; // the host answered a waitable that is not in the set
    }
    set.leave(index);
    const result<bool> ready_now = waits.rearm(index);
    if (!ready_now) {
      return ready_now.error();
    }
    if (*ready_now) {
      return select_outcome::ready_at(static_cast<std::uint32_t>(index));
    }
    set.join(index);
  }
}

// Whether one armed waitable has fired, without waiting: is_ready for a
// pollable; for a started wait, a poll of a set that holds it alone.
template <class Set, class Host>
[[nodiscard]] NYBBLE_INLINE_STEP constexpr bool has_fired(Host& host, typename Set::word_type waitable) {
  if constexpr (uses_waitable_sets<Set, Host>) {
    const auto set = static_cast<std::uint32_t>(host.new_waitable_set());
    host.join(waitable, set);
    const auto event = host.poll(set);
    host.join(waitable, 0);
    host.drop_waitable_set(set);
    return event && *event == waitable;
  } else {
    return static_cast<bool>(host.is_ready(waitable));
  }
}

// Kind and Layout are template arguments so that the diagnostic names them.
template <class Host, class Kind, class Layout>
constexpr void check_host_waits_on() {
  if constexpr (host_with_waitable_sets<Host, typename Layout::word_type>) {
    static_assert(!(std::is_same_v<Kind, untagged> || Kind::waitable) || host_with_start_wait<Host, Kind, Layout>,
                  "nybble: the Host waits on waitable sets (the async ABI) but has no start_wait(nybble::handle<Kind, "
                  "Layout>) -> std::optional<word> and end_wait(nybble::handle<Kind, Layout>, word) -> bool for this "
                  "kind of the set (Kind and Layout are named below; untagged words are started too). Write them for "
                  "exactly that handle type, or declare the kind nybble::unwaitable_kind<Tag>.");
  } else {
    static_assert(!Kind::waitable || host_with_step<Host, Kind, Layout> || host_with_subscribe<Host, Kind, Layout>,
                  "nybble: the Host has neither subscribe(nybble::handle<Kind, Layout>) -> word nor "
                  "step(nybble::handle<Kind, Layout>) -> std::optional<word> for this kind of the set (Kind and "
                  "Layout are named below). Write one for exactly that handle type (a member taking a handle of "
                  "another layout does not match), or declare the kind nybble::unwaitable_kind<Tag> if it cannot be "
                  "waited on.");
  }
}

template <class Host, class Set>
constexpr void check_host_waits_on_every_kind() {
  Set::for_each_kind([]<class K>(std::type_identity<K>) {
    if constexpr (!std::is_same_v<K, untagged> || host_with_waitable_sets<Host, typename Set::word_type>) {
      check_host_waits_on<Host, K, typename Set::layout_type>();
    }
  });
}

template <class Host, class Set>
constexpr void check_select_host() {
  static_assert(kind_set_type<Set>, "nybble::lower_select<Set>: Set must be a nybble::kind_set.");
  using word = typename Set::word_type;
  if constexpr (!host_with_waitable_sets<Host, word>) {
    static_assert(host_with_select<Host, word>,
                  "nybble::lower_select: the Host lacks the member select(std::span<const word>) -> index (or, for "
                  "the async ABI, the waitable-set members of nybble::host_with_waitable_sets).");
    static_assert(host_with_timed_select<Host, word>,
                  "nybble::lower_select: the Host lacks the member select(std::span<const word>, std::uint32_t ms) "
                  "-> std::optional<index>.");
    static_assert(host_with_drop_pollable<Host, word>,
                  "nybble::lower_select: the Host lacks the member drop_pollable(word); the lowering must drop every "
                  "pollable it creates.");
  }
  check_host_waits_on_every_kind<Host, Set>();
}

template <class Host, class Set>
constexpr void check_is_ready_host() {
  static_assert(kind_set_type<Set>, "nybble::lower_is_ready<Set>: Set must be a nybble::kind_set.");
  using word = typename Set::word_type;
  if constexpr (!host_with_waitable_sets<Host, word>) {
    static_assert(host_with_is_ready<Host, word>,
                  "nybble::lower_is_ready: the Host lacks the member is_ready(word pollable) -> bool (or, for the "
                  "async ABI, the waitable-set members of nybble::host_with_waitable_sets).");
    static_assert(host_with_drop_pollable<Host, word>,
                  "nybble::lower_is_ready: the Host lacks the member drop_pollable(word); the lowering must drop "
                  "every pollable it creates.");
  }
  check_host_waits_on_every_kind<Host, Set>();
}

} // namespace nybble::detail

#endif // NYBBLE_DETAIL_SELECT_HPP
