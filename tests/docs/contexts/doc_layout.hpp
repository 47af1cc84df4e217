// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// The layout a block marked `layouts` is compiled for: the extractor replaces
// the block's nybble::canonical_abi_layout with doc_layout and defines
// DOC_WORD_BITS as 16, 32 or 64.
#ifndef NYBBLE_DOC_LAYOUT_HPP
#define NYBBLE_DOC_LAYOUT_HPP
#include <nybble/layout.hpp>

#include <cstdint>

#if DOC_WORD_BITS == 16
using doc_layout = nybble::basic_layout<std::uint16_t, 3, 12, 15>;
#elif DOC_WORD_BITS == 64
using doc_layout = nybble::basic_layout<std::uint64_t, 3, 60, 63>;
#else
using doc_layout = nybble::canonical_abi_layout;
#endif
#endif
