/* query/explain.c — EXPLAIN output: the operator tree, one operator per line,
** children indented under "->" as PostgreSQL prints it, with each
** operator's details (filters, keys, tiers) on indented lines below it. */
#include "query/exec.h"

#include <string.h>

static void indent(orb_buf *out, int n) {
  for (int i = 0; i < n; i++) orb_buf_putc(out, ' ');
}

static void explain_op(const oql_op *op, int ind, bool child, bool analyze, orb_buf *out) {
  orb_buf head = ORB_BUF_INIT, lines = ORB_BUF_INIT;
  if (op->vt->explain) op->vt->explain(op, &head, &lines);
  indent(out, ind);
  if (child) orb_buf_puts(out, "->  ");
  orb_buf_puts(out, op->vt->name);
  if (head.len) orb_buf_append(out, head.data, head.len);
  if (analyze)
    orb_buf_printf(out, "  (actual time=%.3f ms rows=%lld loops=%lld)", (double)op->an_ns / 1e6,
                   (long long)op->an_rows, (long long)op->an_loops);
  orb_buf_putc(out, '\n');
  int dind = child ? ind + 6 : ind + 2;
  const char *p = lines.data ? lines.data : "";
  while (*p) {
    const char *nl = strchr(p, '\n');
    size_t n = nl ? (size_t)(nl - p) : strlen(p);
    indent(out, dind);
    orb_buf_append(out, p, n);
    orb_buf_putc(out, '\n');
    p += n + (nl ? 1 : 0);
  }
  orb_buf_free(&head);
  orb_buf_free(&lines);
  if (op->left) explain_op(op->left, dind, true, analyze, out);
  if (op->right) explain_op(op->right, dind, true, analyze, out);
}

void oql_explain_plan(const oql_op *root, bool analyze, orb_buf *out) {
  explain_op(root, 0, false, analyze, out);
}
