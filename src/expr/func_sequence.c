/* expr/func_sequence.c — nextval, currval, setval and lastval: the session
** does the work (orb_settings.seq: the sequence's value, the transaction
** that logs it, the session's last values); these only check arguments. */
#include <string.h>

#include "expr/func_int.h"

static orb_status r_seq(const orb_func *f, int n, orb_type *t, orb_type *res, orb_err *e) {
  bool set = strcmp(f->name, "setval") == 0;
  if (n >= 1 && !orb_fn_want(t, 0, ORB_T_TEXT)) return orb_fn_no_match(e);
  if (set && !orb_fn_want(t, 1, ORB_T_INT64)) return orb_fn_no_match(e);
  if (set && n == 3 && !orb_fn_want(t, 2, ORB_T_BOOL)) return orb_fn_no_match(e);
  *res = orb_type_make(ORB_T_INT64);
  return ORB_OK;
}

static orb_status f_seq(const orb_func *f, const orb_eval_ctx *ctx, int n, const orb_value *a, orb_type rt, orb_value *out,
                        orb_err *e) {
  (void)rt;
  if (!ctx->settings || !ctx->settings->seq)
    return orb_err_setx(e, ORB_ERR_UNSUPPORTED, "0A000", 0, "%s() cannot run here", f->name);
  orb_seq_op op = strcmp(f->name, "nextval") == 0  ? ORB_SEQ_NEXTVAL
                  : strcmp(f->name, "currval") == 0 ? ORB_SEQ_CURRVAL
                  : strcmp(f->name, "setval") == 0  ? ORB_SEQ_SETVAL
                                                    : ORB_SEQ_LASTVAL;
  int64_t v;
  orb_status st = ctx->settings->seq(ctx->settings->env, op, n ? a[0].u.s : NULL, n ? a[0].len : 0, n > 1 ? a[1].u.i : 0,
                                     n > 2 ? a[2].u.b : true, &v, e);
  if (st == ORB_OK) *out = orb_int(ORB_T_INT64, v);
  return st;
}

const orb_func orb_funcs_sequence[] = {
    {"nextval", 1, 1, ORB_FN_VOLATILE, r_seq, f_seq},
    {"currval", 1, 1, ORB_FN_VOLATILE, r_seq, f_seq},
    {"setval", 2, 3, ORB_FN_VOLATILE, r_seq, f_seq},
    {"lastval", 0, 0, ORB_FN_VOLATILE, r_seq, f_seq},
};
const int orb_nfuncs_sequence = sizeof orb_funcs_sequence / sizeof orb_funcs_sequence[0];
