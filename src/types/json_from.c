/* types/json_from.c — SQL values as JSON text (to_json's conversion,
** types/json.h): numbers as numbers (NaN and infinities as strings),
** booleans, json and jsonb as themselves, date/times in ISO 8601 with a
** 'T', arrays as arrays, records as objects, everything else as the JSON
** string of its text output. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "types/array.h"
#include "types/json.h"
#include "types/value.h"

/* PostgreSQL prints date/times in JSON in ISO 8601: a 'T' between date and
** time, and a zone offset as +HH:MM. */
static void datetime(const orb_value *v, orb_buf *out) {
  orb_buf t = ORB_BUF_INIT;
  orb_value_to_text(v, &t);
  if (t.len && (v->type == ORB_T_TIMESTAMP || v->type == ORB_T_TIMESTAMPTZ)) {
    char *sp = memchr(t.data, ' ', t.len);
    if (sp && t.len > 10 && t.data[0] != 'i' && t.data[0] != '-') *sp = 'T';
    /* "+00" -> "+00:00" */
    if (v->type == ORB_T_TIMESTAMPTZ && t.len >= 3 && (t.data[t.len - 3] == '+' || t.data[t.len - 3] == '-'))
      orb_buf_puts(&t, ":00");
  }
  orb_json_escape(t.data ? t.data : "", t.len, out);
  orb_buf_free(&t);
}

void orb_json_append_value(const orb_value *v, orb_buf *out) {
  if (v->isnull) {
    orb_buf_puts(out, "null");
    return;
  }
  switch ((orb_type_id)v->type) {
  case ORB_T_BOOL: orb_buf_puts(out, v->u.b ? "true" : "false"); return;
  case ORB_T_INT16: case ORB_T_INT32: case ORB_T_INT64: case ORB_T_DECIMAL:
    orb_value_to_text(v, out);
    return;
  case ORB_T_FLOAT32: case ORB_T_FLOAT64:
    if (isnan(v->u.f) || isinf(v->u.f)) {
      orb_buf t = ORB_BUF_INIT;
      orb_value_to_text(v, &t);
      orb_json_escape(t.data, t.len, out);
      orb_buf_free(&t);
    } else {
      orb_value_to_text(v, out);
    }
    return;
  case ORB_T_JSON: case ORB_T_JSONB:
    orb_buf_append(out, v->u.s, v->len);
    return;
  case ORB_T_DATE: case ORB_T_TIME: case ORB_T_TIMESTAMP: case ORB_T_TIMESTAMPTZ:
    datetime(v, out);
    return;
  case ORB_T_ARRAY: {
    const orb_array *arr = v->u.arr;
    orb_buf_putc(out, '[');
    for (uint32_t i = 0; i < arr->n; i++) {
      if (i) orb_buf_putc(out, ',');
      orb_json_append_value(&arr->items[i], out);
    }
    orb_buf_putc(out, ']');
    return;
  }
  case ORB_T_RECORD: orb_json_append_record(v, NULL, out); return;
  case ORB_T_TEXT:
    orb_json_escape(v->u.s, v->len, out);
    return;
  default: {
    orb_buf t = ORB_BUF_INIT;
    orb_value_to_text(v, &t);
    orb_json_escape(t.data ? t.data : "", t.len, out);
    orb_buf_free(&t);
    return;
  }
  }
}

void orb_json_append_record(const orb_value *v, const char *const *names, orb_buf *out) {
  const orb_array *r = v->u.arr;
  orb_buf_putc(out, '{');
  for (uint32_t i = 0; i < r->n; i++) {
    if (i) orb_buf_putc(out, ',');
    if (names) {
      orb_json_escape(names[i], strlen(names[i]), out);
    } else {
      char f[16];
      int n = snprintf(f, sizeof f, "f%u", i + 1);
      orb_json_escape(f, (size_t)n, out);
    }
    orb_buf_putc(out, ':');
    orb_json_append_value(&r->items[i], out);
  }
  orb_buf_putc(out, '}');
}
