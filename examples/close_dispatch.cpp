// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// One module-ABI function over plain u32 handles, as WITX has it: `close` is
// shared by cache entries and replace entries. The typed side has a separate
// drop for each resource type, so the adapter must know each word's kind.
// nybble keeps the kind in the word's reserved bits; visit() dispatches on it.
// A word of another kind, or a forged one, is answered with BADF: no abort.
#include <nybble.hpp>

#include <array>
#include <cstdint>
#include <cstdio>

namespace {

struct cache_entry : nybble::kind<1> {};
struct replace_entry : nybble::kind<2> {};
using kinds = nybble::kind_set<nybble::canonical_abi_layout, cache_entry, replace_entry>;

enum class status : std::uint32_t { ok = 0, badf = 8 };

// A stand-in for the typed side: one table per resource type, indices from 1,
// as a component runtime hands them out. Each drop accepts only its own type.
class typed_side {
public:
  [[nodiscard]] kinds::handle<cache_entry> open_cache_entry() { return open<cache_entry>(cache_entries_); }
  [[nodiscard]] kinds::handle<replace_entry> open_replace_entry() { return open<replace_entry>(replace_entries_); }

  [[nodiscard]] status drop(kinds::handle<cache_entry> h) { return drop_from(cache_entries_, h.payload()); }
  [[nodiscard]] status drop(kinds::handle<replace_entry> h) { return drop_from(replace_entries_, h.payload()); }

  [[nodiscard]] int live() const {
    int count = 0;
    for (const bool alive : cache_entries_) {
      count += alive ? 1 : 0;
    }
    for (const bool alive : replace_entries_) {
      count += alive ? 1 : 0;
    }
    return count;
  }

private:
  using table = std::array<bool, 8>;

  template <class K>
  static kinds::handle<K> open(table& t) {
    for (std::uint32_t i = 1; i < t.size(); ++i) {
      if (!t[i]) {
        t[i] = true;
        return *kinds::handle<K>::from_payload(i);
      }
    }
    return kinds::handle<K>::null(); // table full: "no handle"
  }
  static status drop_from(table& t, std::uint32_t index) {
    if (index >= t.size() || !t[index]) {
      return status::badf;
    }
    t[index] = false;
    return status::ok;
  }

  table cache_entries_{};
  table replace_entries_{};
};

// The module-ABI function the guest calls.
status close(typed_side& host, std::uint32_t guest_handle) {
  const auto closed = nybble::visit<kinds>(guest_handle, [&]<class K>(kinds::handle<K> h) {
    if constexpr (std::is_same_v<K, nybble::untagged>) {
      return status::badf; // pollables and other untagged resources have their own close
    } else {
      return host.drop(h);
    }
  });
  return closed.value_or(status::badf); // unknown_kind: a forged word
}

const char* name(status s) { return s == status::ok ? "OK" : "BADF"; }

int failures = 0;

void expect(const char* what, std::uint32_t word, status got, status want) {
  std::printf("  close(0x%08x)  %-34s -> %s\n", word, what, name(got));
  if (got != want) {
    std::printf("    expected %s\n", name(want));
    ++failures;
  }
}

} // namespace

int main() {
  typed_side host;
  const std::uint32_t entry = host.open_cache_entry().to_guest();
  const std::uint32_t replace = host.open_replace_entry().to_guest();
  std::printf("typed side handed out cache-entry 1 and replace-entry 1;\n");
  std::printf("the guest sees them as 0x%08x and 0x%08x\n\n", entry, replace);

  expect("a cache entry", entry, close(host, entry), status::ok);
  expect("the same cache entry again", entry, close(host, entry), status::badf);
  expect("a replace entry", replace, close(host, replace), status::ok);
  expect("a forged tag (5)", 0x5000'0001U, close(host, 0x5000'0001U), status::badf);
  expect("an untagged word (a pollable)", 0x0000'0001U, close(host, 0x0000'0001U), status::badf);
  constexpr std::uint32_t no_handle = nybble::canonical_abi_layout::null_word;
  expect("the invalid sentinel", no_handle, close(host, no_handle), status::badf);

  std::printf("\nresources still open: %d\n", host.live());
  if (host.live() != 0) {
    ++failures;
  }
  return failures == 0 ? 0 : 1;
}
