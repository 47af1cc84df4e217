// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// lowering/arm.hpp: below <nybble/select.hpp>. The arm step (a wait started on
// one guest word, whatever the host's wait model), its end (disarm), and
// armed_waits, the guard that disarms what a lowering armed on every path.
// Not for adapters to name.
#ifndef NYBBLE_LOWERING_ARM_HPP
#define NYBBLE_LOWERING_ARM_HPP

#include <nybble/config.hpp>
#include <nybble/detail/handle.hpp>
#include <nybble/handle.hpp>
#include <nybble/host.hpp>
#include <nybble/lowering/validate.hpp>
#include <nybble/result.hpp>

#include <cstddef>
#include <optional>
#include <span>
#include <type_traits>

namespace nybble::detail {

// What step and subscribe answer, as the arm step's result, whichever of the
// types host.hpp allows the host returns. Separate templates, not inline in
// the arm step: clang++ 14 looks into the discarded branch of a generic lambda
// and rejects a call to a member the host does not have.
template <class Host, class Handle>
[[nodiscard]] NYBBLE_INLINE_FOR_SIZE constexpr result<std::optional<typename Handle::word_type>>
armed_by_step(Host& host, Handle h) {
  return host.step(h); // std::optional<word>, or result<std::optional<word>>
}
template <class Host, class Handle>
[[nodiscard]] NYBBLE_INLINE_FOR_SIZE constexpr result<std::optional<typename Handle::word_type>>
armed_by_start(Host& host, Handle h) {
  return host.start_wait(h); // std::optional<word>, or result<std::optional<word>>
}
template <class Host, class Handle>
[[nodiscard]] NYBBLE_INLINE_FOR_SIZE constexpr result<std::optional<typename Handle::word_type>>
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
// one the host made for the handle), nullopt when the handle is ready now with
// nothing to wait on, or the errc the host answered (it made nothing then).
// The one place that starts a wait by wait model: a new model is one more
// branch here, and one in disarm.
template <class Set, class Host>
[[nodiscard]] NYBBLE_INLINE_FOR_SIZE constexpr result<std::optional<typename Set::word_type>>
arm(Host& host, typename Set::word_type guest_word) {
  using layout_type = typename Set::layout_type;
  using word = typename Set::word_type;
  using armed = result<std::optional<word>>;
  if constexpr (!uses_waitable_sets<Set, Host>) {
    if (!is_tagged<Set>(guest_word)) {
      if constexpr (layout_type::has_generation) {
        return armed{layout_type::payload_of(guest_word)}; // wait_model::pass_through, the generation stripped
      } else {
        return armed{guest_word}; // wait_model::pass_through
      }
    }
  }
  armed out = errc::unknown_kind; // unreachable: validation accepted the word's tag
  Set::with_kind_of_tag(layout_type::tag_of(guest_word), [&]<class K>(std::type_identity<K>) NYBBLE_INLINE_FOR_SIZE {
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

// What disarm learnt of the handle: a started wait's end answers whether every
// step is done; a dropped pollable cannot tell (pending).
enum class disarmed : bool { pending, done };

// The end of a wait the lowering owns: a pollable is dropped; a started wait is
// ended. The guard's one branch on the wait model.
template <class Set, class Host>
NYBBLE_INLINE_FOR_SIZE constexpr disarmed disarm(Host& host, typename Set::word_type guest_word,
                                                 typename Set::word_type waitable) {
  if constexpr (uses_waitable_sets<Set, Host>) {
    using layout_type = typename Set::layout_type;
    bool done = false;
    Set::with_kind_of_tag(layout_type::tag_of(guest_word), [&]<class K>(std::type_identity<K>) NYBBLE_INLINE_FOR_SIZE {
      if constexpr (wait_model_of<Host, K, layout_type> == wait_model::start) {
        const auto h = handle_access::make<handle<K, layout_type>>(layout_type::payload_of(guest_word));
        done = static_cast<bool>(host.end_wait(h, waitable));
      }
    });
    return done ? disarmed::done : disarmed::pending;
  } else {
    host.drop_pollable(waitable);
    return disarmed::pending;
  }
}

// Whether a guest word's waitable firing means "disarm it and arm it again
// unless the handle is done" (the kind steps, or every started wait) rather
// than "ready".
template <class Set, class Host>
[[nodiscard]] constexpr bool may_take_another_wait(typename Set::word_type word) noexcept {
  if constexpr (uses_waitable_sets<Set, Host>) {
    return true;
  } else if constexpr (some_kind_steps<Set, Host>) {
    return tag_is_accepted<Set, stepped_by<Host, typename Set::layout_type>>(Set::layout_type::tag_of(word));
  } else {
    return false;
  }
}

// The guard of a lowering's waits: waitables[i] is what was armed for guest[i].
// It disarms every waitable the lowering owns when it goes, on every path, so no
// return site cleans up by hand. One waitable at a time may be disarmed early
// (a handle whose wait fired but may not be done); it is then armed again or
// left out of the guard's clean-up.
template <class Set, class Host>
class armed_waits {
  using word = typename Set::word_type;
  static constexpr std::size_t none_disarmed = static_cast<std::size_t>(-1);
  // Only a stepping kind or a started wait is disarmed early.
  static constexpr bool can_disarm_early = some_kind_steps<Set, Host> || uses_waitable_sets<Set, Host>;

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
  NYBBLE_INLINE_FOR_SIZE constexpr ~armed_waits() {
    for (std::size_t i = 0; i < armed_; ++i) {
      const bool already = can_disarm_early && i == disarmed_early_;
      if (!already && owns_waitable<Set, Host>(guest_[i])) {
        static_cast<void>(disarm<Set>(host_, guest_[i], waitables_[i]));
      }
    }
  }

  // Arms every guest word, in order. Answers the index of the first one that is
  // ready now (nothing to wait on; none after it is armed), the list's length
  // when every word is armed, or the errc the host answered (what was armed
  // before it is dropped by the guard). The count is kept in a local and stored
  // on the way out, so the loop does not write the guard's memory per word.
  [[nodiscard]] NYBBLE_INLINE_FOR_SIZE constexpr result<std::size_t> arm_all() { return arm_from(0); }

  // The same from position `first` on, the ones before it armed already: a
  // poll, which reports a word that is ready now and arms the others, goes on
  // from that position once the word has left (forget_last).
  [[nodiscard]] NYBBLE_INLINE_FOR_SIZE constexpr result<std::size_t> arm_from(std::size_t first) {
    const std::size_t count = guest_.size();
    for (std::size_t i = first; i < count; ++i) {
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

  // Disarm, arm: the waitable of guest[i] fired and may_take_another_wait.
  // True when the handle is now ready (nothing left to wait on).
  [[nodiscard]] NYBBLE_INLINE_FOR_SIZE constexpr result<bool> rearm(std::size_t i) {
    disarmed_early_ = i;
    if (disarm<Set>(host_, guest_[i], waitables_[i]) == disarmed::done) {
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
    disarmed_early_ = none_disarmed;
    return false;
  }

  // A poll's words leave the guard by moving: the caller, which owns the guest
  // words' storage, moves the last word into a position that is not armed (a
  // word ready now, arm_from's answer), then forget_last drops the last
  // position, which is not armed either.
  constexpr void forget_last() noexcept {
    guest_ = guest_.first(guest_.size() - 1);
    waitables_ = waitables_.first(waitables_.size() - 1);
  }
  // After rearm(i) answered true (position i disarmed, the handle done): the
  // last armed position's waitable moves to i, and the guard forgets the last
  // position. The caller moves its guest word (and its own records) the same
  // way; every position is armed again.
  constexpr void remove_disarmed(std::size_t i) noexcept {
    const std::size_t last = armed_ - 1;
    waitables_[i] = waitables_[last];
    disarmed_early_ = none_disarmed;
    armed_ = last;
    forget_last();
  }
  [[nodiscard]] constexpr std::size_t size() const noexcept { return guest_.size(); }

  [[nodiscard]] constexpr std::span<const word> waitables() const noexcept { return waitables_.first(armed_); }
  // Whether guest[i]'s waitable is armed (not disarmed early, or armed again).
  [[nodiscard]] constexpr bool is_armed(std::size_t i) const noexcept { return i < armed_ && i != disarmed_early_; }
  [[nodiscard]] constexpr word guest(std::size_t i) const noexcept { return guest_[i]; }

private:
  Host& host_;
  std::span<const word> guest_;
  std::span<word> waitables_;
  std::size_t armed_ = 0;
  std::size_t disarmed_early_ = none_disarmed;
};

} // namespace nybble::detail

#endif // NYBBLE_LOWERING_ARM_HPP
