/* query/exec_stmt.c — runs bound statements of every kind (see stmt_exec.h). */
#include "query/stmt_exec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"

/* Text as rows of one text column, one line each. */
static oql_op *line_rows(const char *text, orb_arena *xa) {
  orb_type tt = orb_type_make(ORB_T_TEXT);
  oql_op *op = oql_rows_new(xa, 1, &tt);
  const char *p = text ? text : "";
  while (*p) {
    const char *nl = strchr(p, '\n');
    size_t n = nl ? (size_t)(nl - p) : strlen(p);
    orb_value v = orb_text(p, n);
    oql_rows_add(op, xa, &v);
    p += n + (nl ? 1 : 0);
  }
  return op;
}

/* EXPLAIN output as rows. */
static void plan_rows(const oql_op *root, bool analyze, orb_arena *xa, oql_op **rows) {
  orb_buf out = ORB_BUF_INIT;
  oql_explain_plan(root, analyze, &out);
  *rows = line_rows(out.data, xa);
  orb_buf_free(&out);
}

/* EXPLAIN of a write: the line head, then the plan of its source under it. */
static void plan_rows_under(const char *head, const oql_op *src, bool analyze, orb_arena *xa, oql_op **rows) {
  orb_buf plan = ORB_BUF_INIT, out = ORB_BUF_INIT;
  oql_explain_plan(src, analyze, &plan);
  orb_buf_printf(&out, "%s\n", head);
  const char *p = plan.data ? plan.data : "";
  bool first = true;
  while (*p) {
    const char *nl = strchr(p, '\n');
    size_t n = nl ? (size_t)(nl - p) : strlen(p);
    if (n) {
      orb_buf_puts(&out, first ? "  ->  " : "      ");
      orb_buf_append(&out, p, n);
      orb_buf_putc(&out, '\n');
      first = false;
    }
    p += n + (nl ? 1 : 0);
  }
  *rows = line_rows(out.data, xa);
  orb_buf_free(&plan);
  orb_buf_free(&out);
}

static void text_row(orb_arena *xa, oql_op **rows, const char *s) {
  orb_type tt = orb_type_make(ORB_T_TEXT);
  oql_op *op = oql_rows_new(xa, 1, &tt);
  orb_value v = orb_text(s, strlen(s));
  oql_rows_add(op, xa, &v);
  *rows = op;
}

/* Drain an operator, counting rows (EXPLAIN ANALYZE). */
static orb_status drain(oql_op *op, oql_rt *rt, int64_t *n, orb_err *e) {
  orb_status st = oql_op_open(op, rt, e);
  *n = 0;
  while (st == ORB_OK) {
    const orb_value *row;
    orb_arena_reset(&rt->tmp);
    if ((st = oql_op_next(op, rt, &row, e)) != ORB_OK || !row) break;
    (*n)++;
  }
  oql_op_close(op, rt);
  return st;
}

/* The rows of op (its first ncols columns) computed now and kept in xa. */
static orb_status materialize(oql_op *op, int ncols, oql_rt *rt, orb_arena *xa, oql_op **rows, orb_err *e) {
  oql_op *out = oql_rows_new(xa, ncols, op->types);
  out->names = op->names;
  orb_status st = oql_op_open(op, rt, e);
  while (st == ORB_OK) {
    const orb_value *row;
    orb_arena_reset(&rt->tmp);
    if ((st = oql_op_next(op, rt, &row, e)) != ORB_OK || !row) break;
    oql_rows_add(out, xa, row);
  }
  oql_op_close(op, rt);
  if (st == ORB_OK) *rows = out;
  return st;
}

static orb_status run_write(oql_bstmt *b, oql_rt *rt, orb_arena *xa, oql_op **rows, int64_t *changes, char *tag,
                           size_t tagcap, orb_err *e) {
  orb_status st;
  /* RETURNING: rows collected as the writes succeed, handed out afterwards */
  oql_returning *ret = NULL;
  if (b->ret.n && rows) {
    ret = &b->ret;
    ret->arena = xa;
    ret->rows = oql_rows_new(xa, b->ncols, b->types);
  }
  switch (b->kind) {
  case OQL_S_SELECT:   /* FOR UPDATE/SHARE: all rows now, locking as they come (a wait reruns it) */
    return materialize(b->root, b->ncols, rt, xa, rows, e);
  case OQL_S_INSERT:
    st = oql_exec_insert(&b->ins, rt, changes, ret, e);
    if (st == ORB_OK && ret) *rows = ret->rows;
    snprintf(tag, tagcap, "INSERT 0 %lld", (long long)*changes);
    return st;
  case OQL_S_UPDATE:
    st = oql_exec_update(&b->mod, rt, changes, ret, e);
    if (st == ORB_OK && ret) *rows = ret->rows;
    snprintf(tag, tagcap, "UPDATE %lld", (long long)*changes);
    return st;
  case OQL_S_DELETE:
    st = oql_exec_delete(&b->mod, rt, changes, ret, e);
    if (st == ORB_OK && ret) *rows = ret->rows;
    snprintf(tag, tagcap, "DELETE %lld", (long long)*changes);
    return st;
  case OQL_S_CREATE_TABLE:
    snprintf(tag, tagcap, "CREATE TABLE");
    return oql_exec_create_table(b, rt, e);
  case OQL_S_CREATE_TABLE_AS:
    st = oql_exec_create_table_as(b, rt, changes, e);
    if (rt->notices.n) snprintf(tag, tagcap, "CREATE TABLE AS");   /* IF NOT EXISTS skipped it: PostgreSQL's tag */
    else snprintf(tag, tagcap, "SELECT %lld", (long long)*changes);
    return st;
  case OQL_S_DROP_TABLE:
    snprintf(tag, tagcap, b->create_kind == ORB_TABLE_VIEW       ? "DROP VIEW"
                          : b->create_kind == ORB_TABLE_SEQUENCE ? "DROP SEQUENCE"
                                                                 : "DROP TABLE");
    return oql_exec_drop_table(b, rt, e);
  case OQL_S_CREATE_VIEW:
    snprintf(tag, tagcap, "CREATE VIEW");
    return oql_exec_create_view(b, rt, e);
  case OQL_S_CREATE_SEQUENCE:
    snprintf(tag, tagcap, "CREATE SEQUENCE");
    return oql_exec_create_sequence(b, rt, e);
  case OQL_S_ALTER_SEQUENCE:
    snprintf(tag, tagcap, "ALTER SEQUENCE");
    return oql_exec_alter_sequence(b, rt, e);
  case OQL_S_TRUNCATE:
    snprintf(tag, tagcap, "TRUNCATE TABLE");
    return oql_exec_truncate(b, rt, e);
  case OQL_S_ALTER_TABLE:
    switch (b->alter) {
    case OQL_ALTER_CREATE_INDEX: snprintf(tag, tagcap, "CREATE INDEX"); return oql_exec_index(b, rt, e);
    case OQL_ALTER_DROP_INDEX: snprintf(tag, tagcap, "DROP INDEX"); return oql_exec_index(b, rt, e);
    case OQL_ALTER_RENAME_INDEX: snprintf(tag, tagcap, "ALTER INDEX"); return oql_exec_index(b, rt, e);
    case OQL_ALTER_ADD_UNIQUE: snprintf(tag, tagcap, "ALTER TABLE"); return oql_exec_index(b, rt, e);
    default: break;
    }
    snprintf(tag, tagcap, "ALTER TABLE");
    return oql_exec_alter_table(b, rt, e);
  case OQL_S_COPY_FROM: {
    orb_table *t = orb_db_table(rt->db, b->table_name);
    if (!t) return orb_err_setx(e, ORB_ERR_UNDEFINED, "42P01", 0, "relation \"%s\" does not exist", b->table_name);
    if (b->copy.parquet) {
      st = oql_copy_from_parquet(t, b->copy_cols, b->ncopy, b->copy_defaults, b->root, b->copy_names, rt, changes, e);
      snprintf(tag, tagcap, "COPY %lld", (long long)*changes);
      return st;
    }
    FILE *in = NULL;
    if (b->copy_stdio) {
      /* the client's data, handed over before the statement ran (orbit_copy_in) */
      in = b->copy_in_len ? fmemopen((void *)b->copy_in, b->copy_in_len, "r") : fopen("/dev/null", "r");
      if (!in) return orb_err_set(e, ORB_ERR_NOMEM, "cannot read COPY data");
    }
    st = oql_copy_from(t, b->copy_cols, b->ncopy, b->copy_defaults, b->copy_stdio ? "STDIN" : b->path, in, &b->copy, rt,
                       changes, e);
    if (in) fclose(in);
    snprintf(tag, tagcap, "COPY %lld", (long long)*changes);
    return st;
  }
  default:
    return orb_err_set(e, ORB_ERR_INTERNAL, "statement kind %d does not write", (int)b->kind);
  }
}

orb_status oql_exec_write(oql_session *s, oql_bstmt *b, oql_rt *rt, orb_arena *xa, oql_op **rows, int64_t *changes,
                          char *tag, size_t tagcap, orb_err *e) {
  *rows = NULL;
  if (b->kind == OQL_S_EXPLAIN) {
    /* EXPLAIN ANALYZE of a data-changing statement runs it, as PostgreSQL does */
    oql_bstmt *in = b->inner;
    rt->analyze = true;
    int64_t n = 0;
    if (in->kind == OQL_S_SELECT) {   /* SELECT ... FOR UPDATE: its plan with the counts, as for reads */
      orb_status st = drain(in->root, rt, &n, e);
      rt->analyze = false;
      snprintf(tag, tagcap, "EXPLAIN");
      if (st == ORB_OK) plan_rows(in->root, true, xa, rows);
      return st;
    }
    orb_status st = run_write(in, rt, xa, NULL, &n, tag, tagcap, e);
    rt->analyze = false;
    if (st != ORB_OK) return st;
    oql_op *src = in->kind == OQL_S_INSERT ? in->ins.source : in->mod.source;
    orb_buf head = ORB_BUF_INIT;
    const char *what = in->kind == OQL_S_INSERT ? "Insert" : in->kind == OQL_S_UPDATE ? "Update" : "Delete";
    orb_buf_printf(&head, "%s on %s  (rows=%lld)", what,
                   in->ins.table ? in->ins.table->name : in->mod.table ? in->mod.table->name : "?", (long long)n);
    if (src) {
      plan_rows_under(head.data, src, true, xa, rows);
    } else {
      text_row(xa, rows, head.data);
    }
    orb_buf_free(&head);
    snprintf(tag, tagcap, "EXPLAIN");
    return ORB_OK;
  }
  oql_reports_clear(&rt->notices);
  orb_status st = run_write(b, rt, xa, rows, changes, tag, tagcap, e);
  if (st == ORB_OK && s) oql_session_notices(s, &rt->notices);
  return st;
}

orb_status oql_exec_read(oql_session *s, oql_bstmt *b, oql_rt *rt, orb_arena *xa, oql_op **rows, int64_t *changes,
                         char *tag, size_t tagcap, orb_err *e) {
  *rows = NULL;
  orb_status st;
  switch (b->kind) {
  case OQL_S_SELECT:
    *rows = b->root;
    return ORB_OK;
  case OQL_S_EXPLAIN: {
    oql_bstmt *in = b->inner;
    snprintf(tag, tagcap, "EXPLAIN");
    if (!in->root) {
      if ((in->kind == OQL_S_UPDATE || in->kind == OQL_S_DELETE) && in->mod.source) {   /* ... FROM / USING: the join */
        char head[256];
        snprintf(head, sizeof head, "%s on %s", in->kind == OQL_S_UPDATE ? "Update" : "Delete", in->mod.table->name);
        plan_rows_under(head, in->mod.source, false, xa, rows);
        return ORB_OK;
      }
      if (in->kind == OQL_S_UPDATE || in->kind == OQL_S_DELETE) {
        /* show the scan the statement would do */
        orb_buf out = ORB_BUF_INIT;
        orb_buf_printf(&out, "%s on %s\n", in->kind == OQL_S_UPDATE ? "Update" : "Delete", in->mod.table->name);
        orb_eval_ctx ctx = rt->ctx;
        orb_scan_req req = {NULL, in->mod.table->schema.ncols, in->mod.pred, &ctx, NULL};
        orb_buf tx = ORB_BUF_INIT;
        orb_table_explain(in->mod.table, &req, &tx);
        orb_buf_printf(&out, "  ->  Scan on %s\n", in->mod.table->name);
        const char *p = tx.data ? tx.data : "";
        while (*p) {
          const char *nl = strchr(p, '\n');
          size_t n = nl ? (size_t)(nl - p) : strlen(p);
          if (n) {
            orb_buf_puts(&out, "        Tier ");
            orb_buf_append(&out, p, n);
            orb_buf_putc(&out, '\n');
          }
          p += n + (nl ? 1 : 0);
        }
        orb_buf_free(&tx);
        *rows = line_rows(out.data, xa);
        orb_buf_free(&out);
        return ORB_OK;
      }
      if (in->kind == OQL_S_INSERT && in->ins.source) {
        plan_rows(in->ins.source, false, xa, rows);
        return ORB_OK;
      }
      text_row(xa, rows, "Utility Statement");
      return ORB_OK;
    }
    if (b->analyze) {
      int64_t n;
      rt->analyze = true;
      st = drain(in->root, rt, &n, e);
      rt->analyze = false;
      if (st != ORB_OK) return st;
    }
    plan_rows(in->root, b->analyze, xa, rows);
    return ORB_OK;
  }
  case OQL_S_SHOW_TABLES:
    snprintf(tag, tagcap, "SHOW");
    oql_show_tables(rt->db, xa, rows);
    return ORB_OK;
  case OQL_S_DESCRIBE:
    snprintf(tag, tagcap, "DESCRIBE");
    return oql_describe(rt->db, b->table_name, xa, rows, e);
  case OQL_S_SHOW_SNAPSHOTS:
    snprintf(tag, tagcap, "SHOW");
    return oql_show_snapshots(b->path, b->table_name, xa, rows, e);
  case OQL_S_SHOW_TBLPROPERTIES:
    snprintf(tag, tagcap, "SHOW");
    return oql_show_tblproperties(b->path, b->table_name, xa, rows, e);
  case OQL_S_SET:
    snprintf(tag, tagcap, b->reset ? "RESET" : "SET");
    if (b->txn_modes)
      return oql_set_txn_modes(s, strcmp(b->setting, "default_transaction_isolation") == 0, b->value, b->read_only, e);
    return oql_set_stmt(s, b->reset_all ? NULL : b->setting, b->value, b->set_local, e);
  case OQL_S_SHOW: {
    const char *v;
    if ((st = oql_show(s, b->setting, &v, e)) != ORB_OK) return st;
    snprintf(tag, tagcap, "SHOW");
    text_row(xa, rows, v);
    return ORB_OK;
  }
  case OQL_S_VACUUM:
    if (b->maint.proc != OQL_MAINT_NONE) return oql_exec_maint(s, b, xa, rows, tag, tagcap, e);
    snprintf(tag, tagcap, b->analyze ? "ANALYZE" : "VACUUM");
    return ORB_OK;
  case OQL_S_CALL:
    return oql_exec_maint(s, b, xa, rows, tag, tagcap, e);
  case OQL_S_CHECKPOINT:
    snprintf(tag, tagcap, "CHECKPOINT");
    if (oql_session_in_txn(s))
      return orb_err_setx(e, ORB_ERR_MISUSE, "25001", 0, "CHECKPOINT cannot run inside a transaction block");
    return orb_db_checkpoint(rt->db, e);
  case OQL_S_COPY_TO: {
    FILE *out = NULL;
    free(b->copy_out);
    b->copy_out = NULL;
    b->copy_out_len = 0;
    if (b->copy_stdio && !(out = open_memstream(&b->copy_out, &b->copy_out_len)))
      return orb_err_set(e, ORB_ERR_NOMEM, "cannot buffer COPY output");
    if (b->copy.parquet)
      st = oql_copy_to_parquet(b->root, b->ncopy, b->copy_names, b->path, &b->copy, rt, changes, e);
    else
      st = oql_copy_to(b->root, b->ncopy, b->copy_names, b->copy_stdio ? "STDOUT" : b->path, out, &b->copy, rt, changes, e);
    if (out) fclose(out);   /* completes copy_out */
    snprintf(tag, tagcap, "COPY %lld", (long long)*changes);
    return st;
  }
  default:
    return orb_err_set(e, ORB_ERR_INTERNAL, "statement kind %d is not a read", (int)b->kind);
  }
}
