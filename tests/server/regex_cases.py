#!/usr/bin/env python3
"""Cases for the regular-expression differential test (regex_diff_test.sh).

Writes a psql script to stdout: one SELECT per (string, pattern, flags)
case, each printing its case number and the results of regexp_match,
regexp_replace (with \\1 and \\& in the replacement, with and without g),
regexp_count and regexp_split_to_array, so that the same script run
against PostgreSQL 15 and against orbitd must print the same lines.

The cases: a fixed list of patterns exercising ARE syntax (escapes, classes,
brackets, bounds, back references, lookahead, non-greedy quantifiers,
embedded options, directors) and all option letters, over a fixed list of
strings; then random patterns built from the same pieces (seeded, so the
script is the same on every run).  The random pieces are built so that no
pattern depends on the ARE's leftmost-longest rule (no alternatives of
different lengths, no non-greedy quantifiers): Orbit matches leftmost-first
there (docs/query.md).
"""
import random
import sys

STRINGS = ["", "abc", "aaa", "foobarbequebaz", "Hello World", "a1b22c333", "  lead and trail  ",
           "line1\nline2\nline3", "x.y*z", "ABCabc", "tab\there", "The quick brown fox", "aXbXc", "2024-01-31",
           "foo@example.com", "[brackets]", "back\\slash", "mississippi", "a-b_c d", "ééé ça"]

PATTERNS = [
    "b", "a+", "a*", "a?", "(a)(b)?", "^a", "c$", "^$", ".", "x.y", "x\\.y", "[a-c]+", "[^a-c]+", "[[:digit:]]+",
    "[[:alpha:]]+", "[[:space:]]+", "[[:upper:]][[:lower:]]*", "\\d+", "\\D+", "\\w+", "\\W+", "\\s+", "\\S+",
    "\\mfoo", "bar\\M", "\\yquick\\y", "o\\Y", "(\\w)\\1", "(.)(.)\\2\\1", "a{2}", "a{1,2}", "[0-9]{2,3}", "s{2,}",
    "(?:ab|cd)+", "foo(?=bar)", "foo(?!bar)", "b+?", "a*?", "(a+?)(b)", "\\d+?", "(?i)abc", "***=x.y", "***:a.c",
    "line\\d$", "^line", "[^\\n]+", "i(ss)+", "\\Aabc", "abc\\Z", "\\x41", "\\u0062", "[[.a.]]b", "[[=a=]]",
    "\\\\", "\\[", "\\]", "\\.", "\\*", "(x)|(y)", "([a-z]+)@([a-z]+)\\.com", "(\\d{4})-(\\d{2})-(\\d{2})",
    "[]a]", "[a-]+", "\\t", "e\\s", "é+", "[é]", "ç.", "\\bword", "a{,2}", "(a|b)*c",
]

FLAGS = ["", "g", "i", "gi", "n", "gn", "p", "w", "x", "q", "c", "ig", "b", "e", "s", "t"]

PIECES = ["a", "b", "c", ".", "\\d", "\\w", "\\s", "[a-c]", "[^b]", "(a)", "(b|c)", "x", "1", "\\.", "o", "s",
          "[[:alpha:]]", "^", "$", "\\m", "\\M", "\\y"]
QUANT = ["", "", "", "*", "+", "?", "{2}", "{1,3}"]


def lit(s):
    """A SQL literal for s: E'' with the backslashes doubled and quotes escaped."""
    return "E'" + s.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n").replace("\t", "\\t") + "'"


def case(i, s, p, f):
    fg = f.replace("g", "")
    rep = lit("<\\&|\\1>")
    return (f"SELECT {i}, regexp_match({lit(s)}, {lit(p)}, {lit(fg)}), "
            f"regexp_replace({lit(s)}, {lit(p)}, {rep}, {lit(f)}), "
            f"regexp_count({lit(s)}, {lit(p)}, 1, {lit(fg)}), "
            f"regexp_split_to_array({lit(s)}, {lit(p)}, {lit(fg)}), "
            f"{lit(s)} ~ {lit(p)};")


def random_pattern(rng):
    parts = []
    for _ in range(rng.randint(1, 4)):
        parts.append(rng.choice(PIECES) + rng.choice(QUANT))
    return "".join(parts)


def main():
    rng = random.Random(20260101)
    out = ["\\pset null '<NULL>'", "\\set VERBOSITY terse"]
    i = 0
    for p in PATTERNS:
        for s in STRINGS:
            i += 1
            out.append(case(i, s, p, rng.choice(FLAGS)))
    for _ in range(int(sys.argv[1]) if len(sys.argv) > 1 else 1500):
        i += 1
        out.append(case(i, rng.choice(STRINGS), random_pattern(rng), rng.choice(["", "g", "i", "n"])))
    print("\n".join(out))


main()
