// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// What a preview1 descriptor is on the component side, whatever the world:
// nybble's kinds for the two stream types, and the word lower_poll gets for a
// descriptor. Descriptors 0, 1 and 2 are the wasi:cli streams (stdin an input
// stream, stdout and stderr output streams) until the guest closes them;
// every other descriptor, and a closed one, is no handle at all: its word is
// the invalid sentinel, which lower_poll refuses for that entry alone (EBADF
// on its event).
#ifndef PREVIEW1_ADAPTER_KINDS_HPP
#define PREVIEW1_ADAPTER_KINDS_HPP

#include <nybble.hpp>

#include <cstddef>
#include <cstdint>

namespace preview1_adapter {

struct input_stream : nybble::kind<1> {};
struct output_stream : nybble::kind<2> {};
using kinds = nybble::kind_set<nybble::canonical_abi_layout, input_stream, output_stream>;
using layout = kinds::layout_type;

constexpr std::uint32_t stdio_descriptors = 3;

// The longest subscription list poll_oneoff takes; its translation lives on
// the adapter's stack (a longer one is answered E2BIG, with no host call).
constexpr std::size_t max_subscriptions = 64;

// The word of a stream the component handed out, as lower_poll takes it.
template <class K>
[[nodiscard]] constexpr std::uint32_t word_of(std::uint32_t stream) noexcept {
  const auto h = kinds::handle<K>::from_payload(stream);
  return h ? h->to_guest() : layout::null_word;
}

} // namespace preview1_adapter

#endif
