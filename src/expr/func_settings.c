/* expr/func_settings.c — the session's settings as functions:
** current_setting(name [, missing_ok]) and set_config(name, value,
** is_local), with PostgreSQL's signatures and errors, and the SQL-standard
** current_user / session_user / current_role / user, which read the
** session_authorization setting (the role orbitd logged in, else "orbit").  The values live in
** the query layer's session, reached through orb_eval_ctx.settings; both
** functions are volatile, so that the binder never folds them (its folding
** context has no session). */
#include "expr/func_int.h"

#include <string.h>

#include "base/arena.h"

/* A text argument as a C string (from the evaluation arena). */
static const char *cstr(const orb_eval_ctx *ctx, const orb_value *v) {
  return orb_arena_strndup(ctx->arena, v->u.s, v->len);
}

/* PostgreSQL reports the settings' errors without a position in the
** statement (orb_err.pos -1: none is added). */
static orb_status no_position(orb_err *e, orb_status st) {
  e->pos = -1;
  return st;
}

static orb_status no_session(orb_err *e) {
  return orb_err_setx(e, ORB_ERR_MISUSE, "55000", 0, "settings are not available here");
}

/* current_setting(text [, boolean]) -> text */
static orb_status r_current_setting(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  (void)f;
  if (!orb_fn_want(t, 0, ORB_T_TEXT) || (n == 2 && !orb_fn_want(t, 1, ORB_T_BOOL))) return orb_fn_no_match(e);
  *res = orb_type_make(ORB_T_TEXT);
  return ORB_OK;
}

static orb_status f_current_setting(const orb_func *f, const orb_eval_ctx *ctx, int n, const orb_value *a,
                                    orb_type rt, orb_value *out, orb_err *e) {
  (void)f, (void)rt;
  if (!ctx->settings) return no_session(e);
  const char *v;
  orb_status st = ctx->settings->get(ctx->settings->env, cstr(ctx, &a[0]), n == 2 && a[1].u.b, &v, e);
  if (st != ORB_OK) return no_position(e, st);
  *out = v ? orb_fn_text(ctx, v, strlen(v)) : orb_null(ORB_T_TEXT);
  return ORB_OK;
}

/* set_config(text, text, boolean) -> text: not strict, as PostgreSQL's (a
** NULL value sets the default, a NULL is_local is false) */
static orb_status r_set_config(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  (void)f, (void)n;
  if (!orb_fn_want(t, 0, ORB_T_TEXT) || !orb_fn_want(t, 1, ORB_T_TEXT) || !orb_fn_want(t, 2, ORB_T_BOOL))
    return orb_fn_no_match(e);
  *res = orb_type_make(ORB_T_TEXT);
  return ORB_OK;
}

static orb_status f_set_config(const orb_func *f, const orb_eval_ctx *ctx, int n, const orb_value *a, orb_type rt,
                               orb_value *out, orb_err *e) {
  (void)f, (void)n, (void)rt;
  if (a[0].isnull)
    return no_position(e, orb_err_setx(e, ORB_ERR_INVALID_TEXT, "22004", 0, "SET requires parameter name"));
  if (!ctx->settings) return no_session(e);
  const char *v;
  orb_status st = ctx->settings->set(ctx->settings->env, cstr(ctx, &a[0]), a[1].isnull ? NULL : cstr(ctx, &a[1]),
                                     !a[2].isnull && a[2].u.b, &v, e);
  if (st != ORB_OK) return no_position(e, st);
  *out = orb_fn_text(ctx, v, strlen(v));
  return ORB_OK;
}

static orb_status r_user(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  (void)f, (void)n, (void)t, (void)e;
  *res = orb_type_make(ORB_T_TEXT);
  return ORB_OK;
}

/* current_user etc.: Orbit has no SET ROLE, so all four are the session's role */
static orb_status f_user(const orb_func *f, const orb_eval_ctx *ctx, int n, const orb_value *a, orb_type rt,
                         orb_value *out, orb_err *e) {
  (void)f, (void)n, (void)a, (void)rt;
  if (!ctx->settings) return no_session(e);
  const char *v;
  orb_status st = ctx->settings->get(ctx->settings->env, "session_authorization", false, &v, e);
  if (st != ORB_OK) return no_position(e, st);
  *out = orb_fn_text(ctx, v, strlen(v));
  return ORB_OK;
}

const orb_func orb_funcs_settings[] = {
    {"current_user", 0, 0, ORB_FN_VOLATILE, r_user, f_user},
    {"session_user", 0, 0, ORB_FN_VOLATILE, r_user, f_user},
    {"current_role", 0, 0, ORB_FN_VOLATILE, r_user, f_user},
    {"user", 0, 0, ORB_FN_VOLATILE, r_user, f_user},
    {"current_setting", 1, 2, ORB_FN_VOLATILE, r_current_setting, f_current_setting},
    {"set_config", 3, 3, ORB_FN_VOLATILE | ORB_FN_NULL_ARGS, r_set_config, f_set_config},
};
const int orb_nfuncs_settings = (int)(sizeof orb_funcs_settings / sizeof orb_funcs_settings[0]);
