/* formats/avro/avro_project.c — schema resolution by field id (see avro.h).
**
** The specification's "Schema Resolution" with one change Iceberg needs:
** a reader's record field is matched to the writer's field of the same
** field-id (writers name some of Iceberg's fields differently), and only a
** reader field without an id is matched by name.  Record names are not
** compared: Iceberg's writers name the same records differently ("r2",
** "data_file"). */
#include "formats/avro/avro_int.h"

#include <jansson.h>
#include <math.h>
#include <string.h>

static orb_status nofit(orb_err *e, const avro_schema *w, const avro_schema *r) {
  return orb_err_set(e, ORB_ERR_TYPE, "written type %s cannot be read as %s",
                     w->fullname ? w->fullname : avro_kind_name(w->kind),
                     r->fullname ? r->fullname : avro_kind_name(r->kind));
}

/* Whether data written as w can be read as r (not looking inside records). */
static bool matches(const avro_schema *w, const avro_schema *r) {
  if (w->kind == r->kind) {
    if (w->kind == AVRO_FIXED) return w->size == r->size;
    return true;
  }
  switch (w->kind) {
  case AVRO_INT: return r->kind == AVRO_LONG || r->kind == AVRO_FLOAT || r->kind == AVRO_DOUBLE;
  case AVRO_LONG: return r->kind == AVRO_FLOAT || r->kind == AVRO_DOUBLE;
  case AVRO_FLOAT: return r->kind == AVRO_DOUBLE;
  case AVRO_STRING: return r->kind == AVRO_BYTES;
  case AVRO_BYTES: return r->kind == AVRO_STRING;
  default: return false;
  }
}

/* A default value's JSON as a datum of schema s (a union's: its first branch that takes it). */
static orb_status from_json(const avro_schema *s, json_t *j, orb_arena *a, avro_value *out, int depth, orb_err *e) {
  memset(out, 0, sizeof *out);
  out->kind = s->kind;
  out->branch = -1;
  if (depth > AVRO_MAX_DEPTH) return orb_err_set(e, ORB_ERR_LIMIT, "default value nested too deeply");
  switch (s->kind) {
  case AVRO_NULL:
    if (json_is_null(j)) return ORB_OK;
    break;
  case AVRO_BOOLEAN:
    if (json_is_boolean(j)) {
      out->u.b = json_is_true(j);
      return ORB_OK;
    }
    break;
  case AVRO_INT:
    if (json_is_integer(j) && json_integer_value(j) >= INT32_MIN && json_integer_value(j) <= INT32_MAX) {
      out->u.i = (int32_t)json_integer_value(j);
      return ORB_OK;
    }
    break;
  case AVRO_LONG:
    if (json_is_integer(j)) {
      out->u.l = json_integer_value(j);
      return ORB_OK;
    }
    break;
  case AVRO_FLOAT:
  case AVRO_DOUBLE: {
    double d;
    if (json_is_number(j)) d = json_number_value(j);
    else if (json_is_string(j) && strcmp(json_string_value(j), "NaN") == 0) d = NAN;
    else if (json_is_string(j) && strcmp(json_string_value(j), "Infinity") == 0) d = INFINITY;
    else if (json_is_string(j) && strcmp(json_string_value(j), "-Infinity") == 0) d = -INFINITY;
    else break;
    if (s->kind == AVRO_FLOAT) out->u.f = (float)d;
    else out->u.d = d;
    return ORB_OK;
  }
  case AVRO_STRING:
    if (json_is_string(j)) {
      out->u.s.len = json_string_length(j);
      out->u.s.data = orb_arena_strndup(a, json_string_value(j), out->u.s.len);
      return ORB_OK;
    }
    break;
  case AVRO_BYTES:
  case AVRO_FIXED:
    /* JSON encoding of bytes: each code point 0..255 is one byte */
    if (json_is_string(j)) {
      const unsigned char *p = (const unsigned char *)json_string_value(j);
      size_t n = json_string_length(j), k = 0;
      char *d = orb_arena_alloc(a, n + 1);
      for (size_t i = 0; i < n; i++) {
        if (p[i] < 0x80) d[k++] = (char)p[i];
        else if ((p[i] & 0xe0) == 0xc0 && i + 1 < n && p[i] <= 0xc3) {
          d[k++] = (char)(((p[i] & 0x1f) << 6) | (p[i + 1] & 0x3f));
          i++;
        } else return orb_err_set(e, ORB_ERR_TYPE, "a bytes default has a character beyond \\u00ff");
      }
      d[k] = '\0';
      if (s->kind == AVRO_FIXED && k != (size_t)s->size) break;
      out->u.s.data = d;
      out->u.s.len = k;
      return ORB_OK;
    }
    break;
  case AVRO_ENUM:
    if (json_is_string(j))
      for (int i = 0; i < s->nsymbols; i++)
        if (strcmp(s->symbols[i], json_string_value(j)) == 0) {
          out->u.i = i;
          return ORB_OK;
        }
    break;
  case AVRO_ARRAY:
  case AVRO_MAP: {
    bool is_map = s->kind == AVRO_MAP;
    if (is_map ? !json_is_object(j) : !json_is_array(j)) break;
    size_t n = is_map ? json_object_size(j) : json_array_size(j), i = 0;
    out->u.c.v = orb_arena_zalloc(a, (n + 1) * sizeof *out->u.c.v);
    out->u.c.n = n;
    if (is_map) {
      out->u.c.keys = orb_arena_zalloc(a, (n + 1) * sizeof *out->u.c.keys);
      const char *k;
      json_t *v;
      json_object_foreach(j, k, v) {
        out->u.c.keys[i] = (avro_str){orb_arena_strdup(a, k), strlen(k)};
        orb_status st = from_json(s->values, v, a, &out->u.c.v[i++], depth + 1, e);
        if (st != ORB_OK) return st;
      }
    } else {
      json_t *v;
      json_array_foreach(j, i, v) {
        orb_status st = from_json(s->items, v, a, &out->u.c.v[i], depth + 1, e);
        if (st != ORB_OK) return st;
      }
    }
    return ORB_OK;
  }
  case AVRO_RECORD:
    if (!json_is_object(j)) break;
    out->u.c.v = orb_arena_zalloc(a, ((size_t)s->nfields + 1) * sizeof *out->u.c.v);
    out->u.c.n = (size_t)s->nfields;
    for (int i = 0; i < s->nfields; i++) {
      json_t *v = json_object_get(j, s->fields[i].name), *dj = NULL;
      if (!v && s->fields[i].default_json) v = dj = json_loads(s->fields[i].default_json, JSON_DECODE_ANY, NULL);
      orb_status st = v ? from_json(s->fields[i].type, v, a, &out->u.c.v[i], depth + 1, e)
                        : orb_err_set(e, ORB_ERR_TYPE, "default record lacks field \"%s\"", s->fields[i].name);
      json_decref(dj);
      if (st != ORB_OK) return st;
    }
    return ORB_OK;
  case AVRO_UNION:
    for (int i = 0; i < s->nbranches; i++) {
      orb_err ignore;
      if (from_json(s->branches[i], j, a, out, depth + 1, &ignore) == ORB_OK) {
        out->branch = i;
        return ORB_OK;
      }
    }
    break;
  }
  return orb_err_set(e, ORB_ERR_TYPE, "default value does not fit type %s", avro_kind_name(s->kind));
}

static orb_status project(const avro_schema *w, const avro_value *v, const avro_schema *r, orb_arena *a,
                          avro_value *out, int depth, orb_err *e) {
  if (depth > AVRO_MAX_DEPTH) return orb_err_set(e, ORB_ERR_LIMIT, "values nested too deeply");
  if (w->kind == AVRO_UNION) {   /* resolve the branch written */
    if (v->branch < 0 || v->branch >= w->nbranches) return orb_err_set(e, ORB_ERR_TYPE, "union value without a branch");
    w = w->branches[v->branch];
  }
  if (r->kind == AVRO_UNION) {
    /* the first reader branch of the same type (and name), else the first
    ** it can be promoted to, as Java's resolver picks */
    int best = -1;
    for (int i = 0; i < r->nbranches && best < 0; i++) {
      const avro_schema *b = r->branches[i];
      bool named = b->kind == AVRO_RECORD || b->kind == AVRO_ENUM || b->kind == AVRO_FIXED;
      if (b->kind == w->kind && matches(w, b) && (!named || strcmp(b->name, w->name) == 0)) best = i;
    }
    for (int i = 0; i < r->nbranches && best < 0; i++)
      if (matches(w, r->branches[i])) best = i;
    if (best < 0) return nofit(e, w, r);
    orb_status st = project(w, v, r->branches[best], a, out, depth + 1, e);
    out->branch = best;
    return st;
  }
  if (!matches(w, r)) return nofit(e, w, r);
  *out = *v;
  out->kind = r->kind;
  out->branch = -1;
  switch (r->kind) {
  case AVRO_LONG:
    if (v->kind == AVRO_INT) out->u.l = v->u.i;
    return ORB_OK;
  case AVRO_FLOAT:
    if (v->kind == AVRO_INT) out->u.f = (float)v->u.i;
    else if (v->kind == AVRO_LONG) out->u.f = (float)v->u.l;
    return ORB_OK;
  case AVRO_DOUBLE:
    if (v->kind == AVRO_INT) out->u.d = v->u.i;
    else if (v->kind == AVRO_LONG) out->u.d = (double)v->u.l;
    else if (v->kind == AVRO_FLOAT) out->u.d = v->u.f;
    return ORB_OK;
  case AVRO_ENUM: {
    const char *sym = w->symbols[v->u.i];
    for (int i = 0; i < r->nsymbols; i++)
      if (strcmp(r->symbols[i], sym) == 0) {
        out->u.i = i;
        return ORB_OK;
      }
    const char *dj = avro_attr_get(r->attrs, r->nattrs, "default");
    if (dj) {
      json_t *j = json_loads(dj, JSON_DECODE_ANY, NULL);
      orb_status st = j ? from_json(r, j, a, out, depth, e) : orb_err_set(e, ORB_ERR_TYPE, "bad enum default");
      json_decref(j);
      return st;
    }
    return orb_err_set(e, ORB_ERR_TYPE, "enum symbol \"%s\" is not in the reader's \"%s\"", sym, r->fullname);
  }
  case AVRO_ARRAY:
  case AVRO_MAP: {
    const avro_schema *wi = r->kind == AVRO_ARRAY ? w->items : w->values, *ri = r->kind == AVRO_ARRAY ? r->items : r->values;
    out->u.c.v = orb_arena_alloc(a, (v->u.c.n + 1) * sizeof *out->u.c.v);
    for (size_t i = 0; i < v->u.c.n; i++) {
      orb_status st = project(wi, &v->u.c.v[i], ri, a, &out->u.c.v[i], depth + 1, e);
      if (st != ORB_OK) return st;
    }
    return ORB_OK;
  }
  case AVRO_RECORD:
    out->u.c.v = orb_arena_zalloc(a, ((size_t)r->nfields + 1) * sizeof *out->u.c.v);
    out->u.c.n = (size_t)r->nfields;
    out->u.c.keys = NULL;
    for (int i = 0; i < r->nfields; i++) {
      const avro_field *rf = &r->fields[i];
      int wi = rf->has_field_id ? avro_field_by_id(w, rf->field_id) : avro_field_by_name(w, rf->name);
      orb_status st;
      if (wi >= 0) st = project(w->fields[wi].type, &v->u.c.v[wi], rf->type, a, &out->u.c.v[i], depth + 1, e);
      else if (rf->default_json) {
        json_t *j = json_loads(rf->default_json, JSON_DECODE_ANY, NULL);
        st = j ? from_json(rf->type, j, a, &out->u.c.v[i], depth + 1, e) : ORB_ERR_TYPE;
        json_decref(j);
      } else if (avro_union_null_branch(rf->type) >= 0) {
        out->u.c.v[i] = avro_null();
        out->u.c.v[i].branch = avro_union_null_branch(rf->type);
        st = ORB_OK;
      } else if (rf->has_field_id)
        st = orb_err_set(e, ORB_ERR_TYPE, "the file has no field with id %d and \"%s\" has no default",
                         (int)rf->field_id, rf->name);
      else st = orb_err_set(e, ORB_ERR_TYPE, "the file has no field \"%s\" and it has no default", rf->name);
      if (st != ORB_OK) {
        orb_err_prefix(e, "field \"%s\"", rf->name);
        return st;
      }
    }
    return ORB_OK;
  default: return ORB_OK;   /* same primitive, or string and bytes (the same bytes) */
  }
}

orb_status avro_project(const avro_schema *w, const avro_value *v, const avro_schema *r, orb_arena *a,
                        avro_value *out, orb_err *e) {
  orb_status st = project(w, v, r, a, out, 0, e);
  if (st != ORB_OK) orb_err_prefix(e, "avro");
  return st;
}

orb_status avro_record_init(const avro_schema *r, orb_arena *a, avro_value *out, orb_err *e) {
  if (r->kind != AVRO_RECORD) return orb_err_set(e, ORB_ERR_MISUSE, "avro: avro_record_init needs a record schema");
  memset(out, 0, sizeof *out);
  out->kind = AVRO_RECORD;
  out->branch = -1;
  out->u.c.v = orb_arena_zalloc(a, ((size_t)r->nfields + 1) * sizeof *out->u.c.v);
  out->u.c.n = (size_t)r->nfields;
  for (int i = 0; i < r->nfields; i++) {
    const avro_field *f = &r->fields[i];
    avro_value *v = &out->u.c.v[i];
    *v = avro_null();
    v->kind = AVRO_UNION;   /* unset: fits no schema, so encoding names the field */
    if (f->default_json) {
      json_t *j = json_loads(f->default_json, JSON_DECODE_ANY, NULL);
      orb_status st = j ? from_json(f->type, j, a, v, 0, e) : orb_err_set(e, ORB_ERR_TYPE, "bad default");
      json_decref(j);
      if (st != ORB_OK) {
        orb_err_prefix(e, "avro: field \"%s\"", f->name);
        return st;
      }
    } else if (avro_union_null_branch(f->type) >= 0) {
      v->kind = AVRO_NULL;
      v->branch = avro_union_null_branch(f->type);
    }
  }
  return ORB_OK;
}

bool avro_record_set(const avro_schema *r, avro_value *rec, int32_t field_id, avro_value v) {
  int i = avro_field_by_id(r, field_id);
  if (i < 0 || (size_t)i >= rec->u.c.n) return false;
  rec->u.c.v[i] = v;
  return true;
}
