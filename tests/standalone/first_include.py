#!/usr/bin/env python3
"""Every header under include/, detail and lowering ones too, as the first and
only include of a translation unit, under the strict flags: a header that leans
on another being included before it fails here. Usage: first_include.py
--compiler 'CXX ...' --include-dir DIR"""
import argparse
import os
import subprocess
import sys
import tempfile

parser = argparse.ArgumentParser()
parser.add_argument("--compiler", required=True)
parser.add_argument("--include-dir", required=True)
parser.add_argument("--skip-ext", action="store_true", help="leave out ext/ (range-v3 is not installed)")
args = parser.parse_args()

headers = []
for root, _, files in os.walk(args.include_dir):
    for name in files:
        if name.endswith(".hpp") and not (args.skip_ext and "ext" in os.path.relpath(root, args.include_dir).split(os.sep)):
            headers.append(os.path.relpath(os.path.join(root, name), args.include_dir))
headers.sort()

failed = []
with tempfile.TemporaryDirectory() as scratch:
    for header in headers:
        source = os.path.join(scratch, "first_include.cpp")
        with open(source, "w") as out:
            out.write(f"#include <{header}>\n")
        command = args.compiler.split() + ["-std=c++20", "-Wall", "-Wextra", "-Wpedantic", "-Werror",
                                           "-fsyntax-only", "-I", args.include_dir, source]
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            failed.append(header)
            print(f"FAIL {header}\n{done.stderr}")
print(f"{len(headers) - len(failed)} of {len(headers)} headers compile as the first and only include")
sys.exit(1 if failed or not headers else 0)
