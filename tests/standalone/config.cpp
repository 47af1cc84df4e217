// <nybble/config.hpp> alone: NYBBLE_ASSERT.
#include <nybble/config.hpp>
constexpr int checked(int x) {
  NYBBLE_ASSERT(x > 0, "positive");
  return x;
}
static_assert(checked(1) == 1);
int main() { return checked(2) == 2 ? 0 : 1; }
