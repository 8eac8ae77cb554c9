#!/usr/bin/env python3
"""Every Catch2 test case can be run by ctest under its own name.

catch_discover_tests hands each test case's name to ctest, which splits a name
at ';' (a CMake list) and passes a name starting with '--' to Catch as an
option: such a test runs nothing, or fails to start, and ctest may still count
it as passed. This check fails on any TEST_CASE name that ctest would mangle.

Usage: check_test_names.py TESTS_DIR
"""
import pathlib
import re
import sys

NAME = re.compile(r'TEST_CASE\(\s*"((?:[^"\\]|\\.)*)"')


def problems(text):
    for match in NAME.finditer(text):
        name = match.group(1)
        line = text.count("\n", 0, match.start()) + 1
        if ";" in name:
            yield line, name, "contains ';' (ctest splits the name there)"
        if name.startswith("-"):
            yield line, name, "starts with '-' (Catch reads it as an option)"
        if name != name.strip():
            yield line, name, "starts or ends with a space"


def main():
    root = pathlib.Path(sys.argv[1])
    found = 0
    for path in sorted(root.rglob("*.cpp")):
        for line, name, why in problems(path.read_text(encoding="utf-8")):
            print(f"{path}:{line}: test case \"{name}\" {why}; rename it")
            found += 1
    checked = sum(1 for p in root.rglob("*.cpp") for _ in NAME.finditer(p.read_text(encoding="utf-8")))
    if checked == 0:
        print(f"{root}: no TEST_CASE found; is this the tests folder?")
        return 1
    print(f"{checked} test case names checked, {found} problem(s)")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
