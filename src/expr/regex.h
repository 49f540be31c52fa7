/*
** expr/regex.h — PostgreSQL's regular expressions (ARE, with its ERE, BRE
** and literal variants), matched by PCRE2.
**
** PostgreSQL's regex engine (Henry Spencer's "advanced regular
** expressions") is not available as a library; PCRE2 (Debian's
** libpcre2-8) accepts nearly the same syntax.  orb_regex_compile()
** translates what differs before handing the pattern to PCRE2:
**
**   ARE          PCRE2 equivalent
**   \m \M        \b(?=\w)  \b(?<=\w)       (start / end of a word)
**   \y \Y        \b  \B                    (word boundary / not one)
**   \Z           \z                        (end of string only)
**   \b \B \v     \x08  \\  \x0b            (backspace, backslash, vertical tab)
**   \uXXXX \UXXXXXXXX \xHHH  \x{...}
**   [[.c.]] [[=c=]]          the character c
**   ***= / ***:  director prefixes; a leading (?flags) sets options
**
** and the options: by default `.` and `[^...]` match a newline and ^ $
** anchor only at the ends of the string (PCRE2_DOTALL, DOLLAR_ENDONLY); the
** newline-sensitive options n/m, p and w change that as PostgreSQL does
** (a negated bracket gets \n added to its set where PostgreSQL excludes
** newlines from it); x is PCRE2_EXTENDED, q PCRE2_LITERAL, i/c caseless,
** b translates BRE syntax (\( \) \{ \} \< \>), and so does e (PostgreSQL's
** e clears the ERE bit it sets: its "EREs" are BREs).  Word
** characters and classes are Unicode's (PCRE2_UCP), as PostgreSQL's are in
** a C.UTF-8 database.  Repetition counts above 255 are refused, as
** PostgreSQL refuses them.
**
** Known difference: PostgreSQL picks the longest match at the leftmost
** position, unless the first quantifier of the expression is non-greedy
** (then the shortest); PCRE2 takes the first alternative that matches
** (Perl's rule).  They agree whenever a pattern's alternatives cannot
** match at the same place with different lengths and its quantifiers are
** all greedy or all non-greedy; `a|ab` on "ab" gives "ab" in PostgreSQL,
** "a" here, and `Y*?([0-9]{1,3})` takes "1" in PostgreSQL, "123" here.
**
** Errors: an invalid pattern is 2201B "invalid regular expression: ..."
** (with PostgreSQL's wording for the common mistakes); an unknown option
** letter 22023 "invalid regular expression option".
**
** Memory: a compiled expression lives in the arena it was compiled in (PCRE2
** allocates through it), so it goes away with the statement; matching
** takes its scratch from malloc and frees it before returning (PCRE2's
** backtracking frames are 20 KiB and more: kept in an arena, every row of a
** batch would hold its own until the reset).  A compiled expression
** is only read by matching: several threads may match with it at once.
*/
#ifndef ORB_EXPR_REGEX_H
#define ORB_EXPR_REGEX_H

#include "expr/expr.h"

typedef struct orb_regex orb_regex;

/* Option letters, parsed: the g flag is the caller's business (functions
** that take no g refuse it with fn's name in the message). */
typedef struct orb_regex_opts {
  unsigned pcre;        /* PCRE2 compile options */
  bool global;          /* g */
  bool nlsens;          /* newline-sensitive negated brackets ([^..] does not match \n) */
  bool literal;         /* q */
  bool basic;           /* b */
} orb_regex_opts;

/* Parse the flags argument of a regexp function; `fn` names the function
** for "fn() does not support the "global" option" when allow_g is false
** (fn NULL: the g letter is an invalid option, as for the ~ operators). */
orb_status orb_regex_parse_flags(const char *flags, size_t n, const char *fn, bool allow_g, orb_regex_opts *o,
                                 orb_err *e);

/* Compile pattern[0..n) with options o into arena a. */
orb_status orb_regex_compile(orb_arena *a, const char *pat, size_t n, const orb_regex_opts *o, orb_regex **out,
                             orb_err *e);

/* Number of capturing groups. */
int orb_regex_ngroups(const orb_regex *re);

/* One search of s[0..n) starting at byte `from`: returns 1 with the match
** in ov[0..1] and group g in ov[2g..2g+1] (both (size_t)-1 for a group
** that did not take part), 0 for no match.  ov holds 2*(ngroups+1) entries.
** A match whose
** backtracking runs away is 54000 rather than minutes of CPU. */
orb_status orb_regex_exec(const orb_regex *re, const char *s, size_t n, size_t from, size_t *ov, int *found,
                          orb_err *e);

#endif
