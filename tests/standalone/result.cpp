// <nybble/result.hpp> alone: errc, describe, result<T>.
#include <nybble/result.hpp>
constexpr nybble::result<int> half(int x) {
  if (x % 2 != 0) {
    return nybble::errc::wrong_kind;
  }
  return x / 2;
}
static_assert(*half(4) == 2 && half(3).error() == nybble::errc::wrong_kind);
int main() { return nybble::describe(nybble::errc::word_out_of_range)[0] == 'w' ? 0 : 1; }
