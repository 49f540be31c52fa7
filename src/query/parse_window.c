/* query/parse_window.c — window specifications: OVER name, OVER (spec) and
** the WINDOW clause's (spec), with PostgreSQL's frame clause and the frame
** checks its grammar makes (42P20). */
#include "query/parse_int.h"

#include <string.h>

static orb_status windowing_error(oql_parser *p, int pos, const char *msg) {
  return orb_err_setx(p->e, ORB_ERR_SYNTAX, "42P20", pos, "%s", msg);
}

/* UNBOUNDED PRECEDING | UNBOUNDED FOLLOWING | CURRENT ROW | expr PRECEDING | expr FOLLOWING */
static orb_status p_bound(oql_parser *p, oql_frame_bound *kind, oql_expr_ast **off) {
  orb_status st;
  *off = NULL;
  if (oql_p_is(p, "unbounded") && (oql_p_peek_is(p, 1, "preceding") || oql_p_peek_is(p, 1, "following"))) {
    oql_p_advance(p);
    *kind = oql_p_accept(p, "preceding") ? OQL_FB_UNBOUNDED_PRECEDING : (oql_p_advance(p), OQL_FB_UNBOUNDED_FOLLOWING);
    return ORB_OK;
  }
  if (oql_p_is(p, "current") && oql_p_peek_is(p, 1, "row")) {
    oql_p_advance(p);
    oql_p_advance(p);
    *kind = OQL_FB_CURRENT_ROW;
    return ORB_OK;
  }
  if ((st = oql_p_expr(p, off)) != ORB_OK) return st;
  if (oql_p_accept(p, "preceding")) *kind = OQL_FB_PRECEDING;
  else if (oql_p_accept(p, "following")) *kind = OQL_FB_FOLLOWING;
  else return oql_p_syntax(p);
  return ORB_OK;
}

/* {ROWS|RANGE|GROUPS} {start | BETWEEN start AND end} [EXCLUDE CURRENT ROW|GROUP|TIES|NO OTHERS] */
static orb_status p_frame(oql_parser *p, oql_window_ast *w) {
  orb_status st;
  w->frame_pos = oql_p_tok(p)->pos;
  w->has_frame = true;
  w->mode = oql_p_is(p, "rows") ? OQL_FRAME_ROWS : oql_p_is(p, "range") ? OQL_FRAME_RANGE : OQL_FRAME_GROUPS;
  oql_p_advance(p);
  int pos = oql_p_tok(p)->pos;
  if (oql_p_accept(p, "between")) {
    if ((st = p_bound(p, &w->start, &w->start_off)) != ORB_OK) return st;
    if ((st = oql_p_expect(p, "and")) != ORB_OK) return st;
    int end_pos = oql_p_tok(p)->pos;
    if ((st = p_bound(p, &w->end, &w->end_off)) != ORB_OK) return st;
    if (w->start == OQL_FB_UNBOUNDED_FOLLOWING) return windowing_error(p, pos, "frame start cannot be UNBOUNDED FOLLOWING");
    if (w->end == OQL_FB_UNBOUNDED_PRECEDING) return windowing_error(p, end_pos, "frame end cannot be UNBOUNDED PRECEDING");
    if (w->start == OQL_FB_CURRENT_ROW && w->end == OQL_FB_PRECEDING)
      return windowing_error(p, end_pos, "frame starting from current row cannot have preceding rows");
    if (w->start == OQL_FB_FOLLOWING && (w->end == OQL_FB_PRECEDING || w->end == OQL_FB_CURRENT_ROW))
      return windowing_error(p, end_pos, "frame starting from following row cannot have preceding rows");
  } else {
    if ((st = p_bound(p, &w->start, &w->start_off)) != ORB_OK) return st;
    w->end = OQL_FB_CURRENT_ROW;
    if (w->start == OQL_FB_UNBOUNDED_FOLLOWING) return windowing_error(p, pos, "frame start cannot be UNBOUNDED FOLLOWING");
    if (w->start == OQL_FB_FOLLOWING)
      return windowing_error(p, pos, "frame starting from following row cannot end with current row");
  }
  if (!oql_p_accept(p, "exclude")) return ORB_OK;
  if (oql_p_accept(p, "no")) return oql_p_expect(p, "others");   /* the default */
  if (oql_p_accept(p, "group")) w->exclude = OQL_EXCLUDE_GROUP;
  else if (oql_p_accept(p, "ties")) w->exclude = OQL_EXCLUDE_TIES;
  else if ((st = oql_p_expect(p, "current")) != ORB_OK || (st = oql_p_expect(p, "row")) != ORB_OK) return st;
  else w->exclude = OQL_EXCLUDE_CURRENT_ROW;
  return ORB_OK;
}

orb_status oql_p_window_spec(oql_parser *p, oql_window_ast **out) {
  orb_status st;
  oql_window_ast *w = orb_arena_zalloc(p->a, sizeof *w);
  w->pos = oql_p_tok(p)->pos;
  w->start = OQL_FB_UNBOUNDED_PRECEDING;
  w->end = OQL_FB_CURRENT_ROW;
  if ((st = oql_p_expect_op(p, "(")) != ORB_OK) return st;
  /* an existing window's name first (not a clause's key word) */
  if (oql_p_is_ident(p) && !oql_p_reserved(oql_p_tok(p)->text) && !oql_p_is(p, "partition") && !oql_p_is(p, "rows") && !oql_p_is(p, "range") &&
      !oql_p_is(p, "groups")) {
    if ((st = oql_p_ident(p, &w->ref, &w->ref_pos)) != ORB_OK) return st;
  }
  if (oql_p_is(p, "partition") && oql_p_peek_is(p, 1, "by")) {
    oql_p_advance(p);
    oql_p_advance(p);
    oql_plist l = {0};
    if ((st = oql_p_expr_list(p, &l)) != ORB_OK) return st;
    w->partition = (oql_expr_ast **)l.v;
    w->npartition = l.n;
  }
  if (oql_p_accept(p, "order")) {
    if ((st = oql_p_expect(p, "by")) != ORB_OK) return st;
    if ((st = oql_p_order_list(p, &w->order, &w->norder)) != ORB_OK) return st;
  }
  if ((oql_p_is(p, "rows") || oql_p_is(p, "range") || oql_p_is(p, "groups")) && (st = p_frame(p, w)) != ORB_OK)
    return st;
  if ((st = oql_p_expect_op(p, ")")) != ORB_OK) return st;
  *out = w;
  return ORB_OK;
}

orb_status oql_p_over(oql_parser *p, oql_window_ast **out) {
  *out = NULL;
  if (!oql_p_is(p, "over")) return ORB_OK;
  oql_p_advance(p);
  if (oql_p_is_op(p, "(")) return oql_p_window_spec(p, out);
  oql_window_ast *w = orb_arena_zalloc(p->a, sizeof *w);
  w->pos = oql_p_tok(p)->pos;
  w->bare = true;
  w->start = OQL_FB_UNBOUNDED_PRECEDING;
  w->end = OQL_FB_CURRENT_ROW;
  orb_status st = oql_p_ident(p, &w->ref, &w->ref_pos);
  if (st == ORB_OK) *out = w;
  return st;
}
