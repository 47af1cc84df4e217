#!/usr/bin/env python3
"""Compiles (and runs, where it can) every C++ block of the given Markdown files.

Every ```cpp block must be preceded by a marker line that says what it is:

  <!-- doc-test: CONTEXT [layouts] -->   compiled inside tests/docs/contexts/CONTEXT.cpp,
                                         at its //@BLOCK@ line
  <!-- doc-test: partial (WHY) -->       deliberately partial: not compiled, and says why

`layouts` compiles the block three times, for 16-, 32- and 64-bit words: its
`nybble::canonical_abi_layout` becomes the context's `doc_layout`. A block
whose context has a main() (or runs doctest cases) is linked and run, and must
exit 0. A block without a marker is an error: no block goes unchecked by
accident.

Each block is compiled as a user would compile it, with the strict flags the
README recommends; the blocks that are function bodies (contexts adapter,
views, testing_body, generations) may declare what the next sentence uses, so only
-Wunused-variable (and -Wunused-but-set-variable) is off for them.

  doc_blocks.py --compiler CXX --source-root DIR [--range-v3] [--one-layout] FILE.md...
(--one-layout: the `layouts` blocks for 32-bit words only; tools/test's clang
configuration, where the other word sizes would only repeat the gcc one's.)
  doc_blocks.py --list FILE.md...
Prints one line per compilation and closes with 'N passed, N failed'.
"""
import argparse
import concurrent.futures
import os
import re
import shlex
import subprocess
import sys
import tempfile

STRICT = ["-std=c++20", "-Wall", "-Wextra", "-Wpedantic", "-Wconversion", "-Wsign-conversion", "-Wshadow", "-Werror"]
BODY_CONTEXTS = {"adapter", "views", "testing_body", "generations"}
MARKER = re.compile(r"<!--\s*doc-test:\s*(.*?)\s*-->")
BLOCK = re.compile(r"^```cpp\n(.*?)^```", re.S | re.M)


def blocks_of(path):
    """(line, context, layouts, partial reason, code) for each cpp block of a Markdown file."""
    text = open(path, encoding="utf-8").read()
    found = []
    for match in BLOCK.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        before = text[: match.start()].rstrip("\n").rsplit("\n", 1)[-1]
        marker = MARKER.fullmatch(before.strip())
        if not marker:
            found.append((line, None, False, None, match.group(1)))
            continue
        words = marker.group(1).split(None, 1)
        if words[0] == "partial":
            found.append((line, "partial", False, words[1] if len(words) > 1 else "", match.group(1)))
            continue
        options = words[1].split() if len(words) > 1 else []
        found.append((line, words[0], "layouts" in options, None, match.group(1)))
    return found


def compile_block(compiler, source_root, context, code, word_bits, range_v3, scratch, name):
    contexts = os.path.join(source_root, "tests", "docs", "contexts")
    template = open(os.path.join(contexts, context + ".cpp"), encoding="utf-8").read()
    if "//@BLOCK@" not in template:
        return False, f"context {context} has no //@BLOCK@ line"
    source = template.replace("//@BLOCK@", code, 1)
    path = os.path.join(scratch, name + ".cpp")
    with open(path, "w", encoding="utf-8") as f:
        f.write(source)
    runs = "int main(" in source or "DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN" in source
    flags = list(STRICT) + [f"-DDOC_WORD_BITS={word_bits}", "-I" + os.path.join(source_root, "include"), "-I" + contexts]
    if context in BODY_CONTEXTS:
        flags += ["-Wno-unused-variable", "-Wno-unused-but-set-variable"]
    if range_v3:
        flags.append("-Wno-deprecated-declarations")  # range-v3 0.12 under C++20, in its own headers
    exe = os.path.join(scratch, name)
    command = shlex.split(compiler) + flags + ([path, "-o", exe] if runs else ["-fsyntax-only", path])
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        return False, (done.stdout + done.stderr).strip()
    if runs:
        ran = subprocess.run([exe], capture_output=True, text=True, timeout=60)
        if ran.returncode != 0:
            return False, f"compiled, but exited {ran.returncode}\n{ran.stdout}{ran.stderr}".strip()
    return True, "ran" if runs else "compiled"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="+")
    parser.add_argument("--compiler", default=os.environ.get("CXX", "c++"))
    parser.add_argument("--source-root", default=os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    parser.add_argument("--range-v3", action="store_true", help="range-v3 is installed: compile the views' blocks")
    parser.add_argument("--list", action="store_true", help="list the blocks and their markers")
    parser.add_argument("--one-layout", action="store_true", help="compile the layouts blocks for 32-bit words only")
    options = parser.parse_args()

    passed = failed = 0
    jobs = []  # (label, future), in the documents' order; the compilers run in parallel
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 1)
    with tempfile.TemporaryDirectory() as scratch:
        for file in options.files:
            path = file if os.path.isabs(file) else os.path.join(options.source_root, file)
            shown = os.path.relpath(path, options.source_root)
            for line, context, layouts, reason, code in blocks_of(path):
                where = f"{shown}:{line}"
                if context is None:
                    print(f"FAIL {where}: a C++ block without a '<!-- doc-test: ... -->' marker")
                    failed += 1
                    continue
                if options.list:
                    print(f"{where}: {context}{' layouts' if layouts else ''}{' (' + reason + ')' if reason else ''}")
                    continue
                if context == "partial":
                    print(f"skip {where}: partial: {reason}")
                    continue
                if context == "views" and not options.range_v3:
                    print(f"skip {where}: range-v3 is not installed")
                    continue
                for bits in ([16, 32, 64] if layouts and not options.one_layout else [32]):
                    code_here = code.replace("nybble::canonical_abi_layout", "doc_layout") if layouts else code
                    name = re.sub(r"\W", "_", f"{shown}_{line}_{bits}")
                    label = f"{where} ({context}, {bits}-bit words)"
                    jobs.append((label, pool.submit(compile_block, options.compiler, options.source_root, context,
                                                    code_here, bits, context == "views", scratch, name)))
        for label, job in jobs:
            ok, detail = job.result()
            if ok:
                print(f"ok   {label}: {detail}")
                passed += 1
            else:
                print(f"FAIL {label}:\n{detail}")
                failed += 1
        pool.shutdown()
    if options.list:
        return 1 if failed else 0
    print(f"{passed} passed, {failed} failed")
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
