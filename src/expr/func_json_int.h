/*
** expr/func_json_int.h — what the json function files (func_json_*.c)
** share: reading a json/jsonb argument as a tree (types/json.h) and making
** a json/jsonb or text result of one, in the evaluation arena.
*/
#ifndef ORB_EXPR_FUNC_JSON_INT_H
#define ORB_EXPR_FUNC_JSON_INT_H

#include "expr/func_int.h"
#include "types/array.h"
#include "types/json.h"

#define JEVAL(name) \
  static orb_status name(const orb_func *f, const orb_eval_ctx *ctx, int n, const orb_value *a, orb_type rt, \
                         orb_value *out, orb_err *e)
#define JUNUSED (void)f, (void)ctx, (void)n, (void)rt, (void)e

/* The tree of a json or jsonb value (errors only for json text PostgreSQL
** would refuse when it reads it: \u0000). */
orb_status orb_fnj_parse(const orb_eval_ctx *ctx, const orb_value *v, orb_json **out, orb_err *e);
/* A value of json type `t` (ORB_T_JSON or ORB_T_JSONB) for a tree: raw text
** where the tree has it (a jsonb argument's raw text is normalized already),
** jsonb's printing elsewhere. */
orb_value orb_fnj_value(const orb_eval_ctx *ctx, const orb_json *j, orb_type_id t);
/* ->>'s text of a node: a string's characters, SQL NULL for null, the JSON text of anything else. */
orb_value orb_fnj_text(const orb_eval_ctx *ctx, const orb_json *j);
/* Whether argument type t is json (j == ORB_T_JSON), jsonb (ORB_T_JSONB) or either (ORB_T_NULL). */
bool orb_fnj_is(orb_type t, orb_type_id j);
/* The member of an object named key (the last one: json may repeat a key); NULL if none. */
orb_json *orb_fnj_field(const orb_json *j, const char *key, size_t klen);
/* Element i of an array (negative: from the end); NULL outside it or for a non-array. */
orb_json *orb_fnj_elem(const orb_json *j, int64_t i);
/* A path step as an array index ("3", "-1"); false when it is not an integer. */
bool orb_fnj_index(const char *s, size_t n, int64_t *out);

#endif
