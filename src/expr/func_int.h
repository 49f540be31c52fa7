/*
** expr/func_int.h — shared internals of the builtin function library
** (func_*.c): argument-type helpers for resolvers and each file's table.
*/
#ifndef ORB_EXPR_FUNC_INT_H
#define ORB_EXPR_FUNC_INT_H

#include "expr/func.h"
#include "types/value.h"

/* Fail resolution: the binder reports "function f(types) does not exist". */
orb_status orb_fn_no_match(orb_err *e);
/* Require argument i to be (castable to) type t: sets arg_types[i] = t.
** The binder offers untyped literals as text, so text adapts (through its
** input syntax); other types must be in t's family (numbers, date/times). */
bool orb_fn_want(orb_type *arg_types, int i, orb_type_id t);
/* Whether the argument is a string-ish type (text, or an untyped literal offered as text). */
bool orb_fn_is_text(orb_type t);
/* UTF-8 text: how many characters n bytes hold, and the byte offset of
** character k (0-based, clamped to n) (func_string.c). */
size_t orb_fn_nchars(const char *s, size_t n);
size_t orb_fn_char_off(const char *s, size_t n, int64_t k);
/* Text result allocated from the evaluation arena. */
orb_value orb_fn_text(const orb_eval_ctx *ctx, const char *s, size_t n);

/* Unicode upper/lower case of a text value (as lower()/upper(); ILIKE folds
** with it too), allocated from arena. */
orb_value orb_fn_case_map(orb_arena *arena, const orb_value *a, bool up);

/* The tables of each file (sorted by name is not required: the registry sorts). */
extern const orb_func orb_funcs_string[];
extern const int orb_nfuncs_string;
extern const orb_func orb_funcs_math[];
extern const int orb_nfuncs_math;
extern const orb_func orb_funcs_datetime[];
extern const int orb_nfuncs_datetime;
extern const orb_func orb_funcs_array[];
extern const int orb_nfuncs_array;
extern const orb_func orb_funcs_catalog[];
extern const int orb_nfuncs_catalog;
extern const orb_func orb_funcs_format[];
extern const int orb_nfuncs_format;
extern const orb_func orb_funcs_binary[];
extern const int orb_nfuncs_binary;
extern const orb_func orb_funcs_settings[];
extern const int orb_nfuncs_settings;
extern const orb_func orb_funcs_tochar[];
extern const int orb_nfuncs_tochar;
extern const orb_func orb_funcs_sequence[];
extern const int orb_nfuncs_sequence;
extern const orb_func orb_funcs_json_get[];
extern const int orb_nfuncs_json_get;
extern const orb_func orb_funcs_json_edit[];
extern const int orb_nfuncs_json_edit;
extern const orb_func orb_funcs_json_srf[];
extern const int orb_nfuncs_json_srf;
extern const orb_func orb_funcs_json_build[];
extern const int orb_nfuncs_json_build;
extern const orb_func orb_funcs_regex[];
extern const int orb_nfuncs_regex;

/* substring(s, pattern) and substring(s, pattern, escape) (the SIMILAR
** form): the regular-expression forms of substring (func_regex.c). */
orb_status orb_fn_regex_substring(const orb_eval_ctx *ctx, int n, const orb_value *a, orb_value *out, orb_err *e);

#endif
