#!/usr/bin/env python3
"""Writes static/public-suffixes.txt, the Public Suffix List as the page loads it after its
first paint: the rules only, each IDN rule also in its ASCII (punycode) form, under a header
that keeps the list's version, commit and licence.

    scripts/public-suffixes.py [public_suffix_list.dat]

Without an argument it takes the list the newest `publicsuffixlist` package on PyPI carries
(updated from publicsuffix.org as the list changes)."""

import glob
import os
import re
import subprocess
import sys
import tempfile
import zipfile


def newest_list() -> str:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
             "--dest", tmp, "publicsuffixlist"],
            check=True,
        )
        wheel = glob.glob(os.path.join(tmp, "publicsuffixlist-*.whl"))[0]
        with zipfile.ZipFile(wheel) as archive:
            return archive.read("publicsuffixlist/public_suffix_list.dat").decode("utf-8")


def main() -> None:
    text = open(sys.argv[1], encoding="utf-8").read() if len(sys.argv) > 1 else newest_list()
    version = re.search(r"^// VERSION: (\S+)", text, re.M)
    commit = re.search(r"^// COMMIT: (\S+)", text, re.M)
    if not version or not commit:
        sys.exit("the list names no VERSION and COMMIT")
    rules = []
    for line in text.splitlines():
        rule = line.strip().split(" ")[0]
        if not rule or rule.startswith("//"):
            continue
        rules.append(rule)
        ascii_form = ".".join(
            label if label in ("*", "!") or label.isascii()
            else ("!" if label.startswith("!") else "")
            + label.lstrip("!").encode("idna").decode("ascii")
            for label in rule.split(".")
        )
        if ascii_form != rule:
            rules.append(ascii_form)
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    with open(os.path.join(root, "static", "public-suffixes.txt"), "w", encoding="utf-8") as out:
        out.write(
            "// The Public Suffix List (https://publicsuffix.org/list/public_suffix_list.dat),\n"
            "// its rules only; each IDN rule also in ASCII. Written by scripts/public-suffixes.py.\n"
            "// This Source Code Form is subject to the terms of the Mozilla Public License,\n"
            "// v. 2.0. If a copy of the MPL was not distributed with this file, You can obtain\n"
            "// one at https://mozilla.org/MPL/2.0/.\n"
            f"// VERSION: {version.group(1)}\n"
            f"// COMMIT: {commit.group(1)}\n"
        )
        # Sorted by bytes, so that the page looks a name up with a binary search.
        out.write("\n".join(sorted(set(rules), key=lambda r: r.lstrip("!").removeprefix("*.").lower().encode())) + "\n")
    print(f"{len(rules)} rules, version {version.group(1)}")


if __name__ == "__main__":
    main()
