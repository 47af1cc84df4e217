// Context `doctest`: a block of constexpr tests and doctest cases over the
// documents' test host; the cases run.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include "doc_test_host.hpp"

#include <array>

//@BLOCK@
