/* formats/avro/avro_schema.c — schema JSON to a tree and back (see avro.h).
**
** Parsing follows the specification's "Schema Declaration" and "Names":
** a schema is a JSON string (a primitive or the name of a type defined
** before), an object (a primitive with attributes, or a complex type) or an
** array (a union).  A named type's name is resolved against the enclosing
** namespace; it is registered before its fields are parsed, so a record may
** refer to itself.  Members other than the structural ones are kept as JSON
** text in schema order, because Iceberg readers need attributes (field-id,
** element-id...) that generic Avro libraries drop. */
#include "formats/avro/avro_int.h"
#include "base/mem.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

const char *avro_kind_name(avro_kind k) {
  static const char *const names[] = {"null", "boolean", "int", "long", "float", "double", "bytes",
                                      "string", "record", "enum", "array", "map", "union", "fixed"};
  return (unsigned)k < sizeof names / sizeof names[0] ? names[k] : "?";
}

typedef struct named {
  const char *fullname;
  avro_schema *s;
} named;

typedef struct sctx {
  orb_arena *a;
  orb_err *e;
  named *names;
  size_t nnames, cap;
} sctx;

static const char *const primitives[] = {"null", "boolean", "int", "long", "float", "double", "bytes", "string"};

static int primitive_kind(const char *t) {
  for (int i = 0; i < 8; i++)
    if (strcmp(t, primitives[i]) == 0) return i;   /* AVRO_NULL..AVRO_STRING in order */
  return -1;
}

static avro_schema *bad(sctx *c, const char *fmt, const char *arg) {
  orb_err_set(c->e, ORB_ERR_CORRUPT, fmt, arg);
  return NULL;
}

/* [A-Za-z_][A-Za-z0-9_]* */
static bool valid_name(const char *s, size_t n) {
  if (n == 0 || !((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z') || s[0] == '_')) return false;
  for (size_t i = 1; i < n; i++)
    if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
      return false;
  return true;
}

/* A dotted name: each part a valid name (an empty string is the null namespace). */
static bool valid_dotted(const char *s) {
  if (!*s) return true;
  for (;;) {
    const char *dot = strchr(s, '.');
    size_t n = dot ? (size_t)(dot - s) : strlen(s);
    if (!valid_name(s, n)) return false;
    if (!dot) return true;
    s = dot + 1;
  }
}

static avro_schema *lookup(sctx *c, const char *fullname) {
  for (size_t i = 0; i < c->nnames; i++)
    if (strcmp(c->names[i].fullname, fullname) == 0) return c->names[i].s;
  return NULL;
}

/* A reference by name: relative to the enclosing namespace, else as written. */
static avro_schema *resolve(sctx *c, const char *name, const char *ns) {
  if (!strchr(name, '.') && ns && *ns) {
    char *full = orb_arena_sprintf(c->a, "%s.%s", ns, name);
    avro_schema *s = lookup(c, full);
    if (s) return s;
  }
  return lookup(c, name);
}

static const char *dump(sctx *c, json_t *j) {
  char *t = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
  const char *r = orb_arena_strdup(c->a, t ? t : "null");
  free(t);
  return r;
}

static bool is_structural(const char *k) {
  static const char *const keys[] = {"type", "name", "namespace", "fields", "items", "values", "symbols", "size"};
  for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
    if (strcmp(k, keys[i]) == 0) return true;
  return false;
}

/* Keep members that `skip` does not claim, in order. */
static void keep_attrs(sctx *c, json_t *obj, bool (*skip)(const char *), avro_attr **out, int *n) {
  size_t cnt = 0;
  const char *k;
  json_t *v;
  json_object_foreach(obj, k, v) if (!skip(k)) cnt++;
  *out = orb_arena_zalloc(c->a, (cnt + 1) * sizeof **out);
  *n = 0;
  json_object_foreach(obj, k, v) {
    if (skip(k)) continue;
    (*out)[*n].key = orb_arena_strdup(c->a, k);
    (*out)[(*n)++].json = dump(c, v);
  }
}

/* An integer attribute: absent is fine (*has false), anything but an int32 is an error. */
static bool int_attr(sctx *c, json_t *obj, const char *key, bool *has, int32_t *out) {
  json_t *v = json_object_get(obj, key);
  *has = false;
  if (!v) return true;
  if (!json_is_integer(v) || json_integer_value(v) < INT32_MIN || json_integer_value(v) > INT32_MAX) {
    bad(c, "\"%s\" must be a 32-bit integer", key);
    return false;
  }
  *has = true;
  *out = (int32_t)json_integer_value(v);
  return true;
}

/* logicalType: recorded when valid for the type; an invalid one is ignored,
** as the specification says, and the datum read as its underlying type. */
static bool logical_type(sctx *c, json_t *obj, avro_schema *s) {
  json_t *lt = json_object_get(obj, "logicalType");
  if (!lt) return true;
  if (!json_is_string(lt)) {
    bad(c, "%s", "\"logicalType\" must be a string");
    return false;
  }
  const char *l = json_string_value(lt);
  if (strcmp(l, "decimal") == 0) {
    json_t *p = json_object_get(obj, "precision"), *sc = json_object_get(obj, "scale");
    if (!json_is_integer(p) || (sc && !json_is_integer(sc))) return true;
    json_int_t prec = json_integer_value(p), scale = sc ? json_integer_value(sc) : 0;
    if (s->kind != AVRO_BYTES && s->kind != AVRO_FIXED) return true;
    if (prec <= 0 || prec > INT32_MAX || scale < 0 || scale > prec) return true;
    if (s->kind == AVRO_FIXED && (s->size > 64 || (double)prec > floor(((double)s->size * 8 - 1) * log10(2.0))))
      return true;
    s->precision = (int32_t)prec;
    s->scale = (int32_t)scale;
  }
  s->logical = orb_arena_strdup(c->a, l);
  return true;
}

static avro_schema *parse(sctx *c, json_t *j, const char *ns, int depth);

static avro_schema *node(sctx *c, avro_kind k) {
  avro_schema *s = orb_arena_zalloc(c->a, sizeof *s);
  s->kind = k;
  return s;
}

static bool field_skip(const char *k) { return strcmp(k, "name") == 0 || strcmp(k, "type") == 0; }

/* Whether JSON j is a valid default for schema s (unions: any branch, as
** Java's parser accepts; the specification asks for the first). */
static bool default_ok(const avro_schema *s, json_t *j, int depth) {
  if (depth > AVRO_MAX_DEPTH) return false;
  switch (s->kind) {
  case AVRO_NULL: return json_is_null(j);
  case AVRO_BOOLEAN: return json_is_boolean(j);
  case AVRO_INT:
    return json_is_integer(j) && json_integer_value(j) >= INT32_MIN && json_integer_value(j) <= INT32_MAX;
  case AVRO_LONG: return json_is_integer(j);
  case AVRO_FLOAT:
  case AVRO_DOUBLE: return json_is_number(j) || json_is_string(j);   /* "NaN", "Infinity" as Java writes */
  case AVRO_BYTES:
  case AVRO_STRING: return json_is_string(j);
  case AVRO_FIXED: return json_is_string(j);
  case AVRO_ENUM:
    if (!json_is_string(j)) return false;
    for (int i = 0; i < s->nsymbols; i++)
      if (strcmp(s->symbols[i], json_string_value(j)) == 0) return true;
    return false;
  case AVRO_ARRAY: {
    if (!json_is_array(j)) return false;
    size_t i;
    json_t *v;
    json_array_foreach(j, i, v) if (!default_ok(s->items, v, depth + 1)) return false;
    return true;
  }
  case AVRO_MAP: {
    if (!json_is_object(j)) return false;
    const char *k;
    json_t *v;
    json_object_foreach(j, k, v) if (!default_ok(s->values, v, depth + 1)) return false;
    return true;
  }
  case AVRO_RECORD:
    if (!json_is_object(j)) return false;
    for (int i = 0; i < s->nfields; i++) {
      json_t *v = json_object_get(j, s->fields[i].name);
      if (v ? !default_ok(s->fields[i].type, v, depth + 1) : !s->fields[i].default_json) return false;
    }
    return true;
  case AVRO_UNION:
    for (int i = 0; i < s->nbranches; i++)
      if (default_ok(s->branches[i], j, depth + 1)) return true;
    return false;
  }
  return false;
}

static avro_schema *parse_record(sctx *c, json_t *j, avro_schema *s, const char *ns, int depth) {
  json_t *fields = json_object_get(j, "fields");
  if (!json_is_array(fields)) return bad(c, "%s", "a record needs a \"fields\" array");
  size_t n = json_array_size(fields);
  s->fields = orb_arena_zalloc(c->a, (n + 1) * sizeof *s->fields);
  for (size_t i = 0; i < n; i++) {
    json_t *f = json_array_get(fields, i);
    avro_field *fd = &s->fields[i];
    json_t *name = json_object_get(f, "name");
    if (!json_is_object(f) || !json_is_string(name)) return bad(c, "field %s has no \"name\"", orb_arena_sprintf(c->a, "%zu", i + 1));
    fd->name = orb_arena_strdup(c->a, json_string_value(name));
    if (!valid_name(fd->name, strlen(fd->name))) return bad(c, "field name \"%s\" is not a valid Avro name", fd->name);
    for (size_t k = 0; k < i; k++)
      if (strcmp(s->fields[k].name, fd->name) == 0) return bad(c, "field \"%s\" appears twice", fd->name);
    json_t *t = json_object_get(f, "type");
    if (!t) return bad(c, "field \"%s\" has no \"type\"", fd->name);
    if (!(fd->type = parse(c, t, ns, depth + 1))) {
      orb_err_prefix(c->e, "field \"%s\"", fd->name);
      return NULL;
    }
    if (!int_attr(c, f, "field-id", &fd->has_field_id, &fd->field_id)) {
      orb_err_prefix(c->e, "field \"%s\"", fd->name);
      return NULL;
    }
    /* ids find fields (avro_field_by_id): two alike in a record would be ambiguous */
    for (size_t k = 0; k < i && fd->has_field_id; k++)
      if (s->fields[k].has_field_id && s->fields[k].field_id == fd->field_id)
        return bad(c, "field-id %s appears twice", orb_arena_sprintf(c->a, "%d", (int)fd->field_id));
    keep_attrs(c, f, field_skip, &fd->attrs, &fd->nattrs);
    json_t *def = json_object_get(f, "default");
    if (def) {
      fd->default_json = dump(c, def);
      if (!default_ok(fd->type, def, 0))
        return bad(c, "field \"%s\": the default value does not match the field's type", fd->name);
    }
    s->nfields = (int)i + 1;
  }
  return s;
}

static avro_schema *parse_enum(sctx *c, json_t *j, avro_schema *s) {
  json_t *syms = json_object_get(j, "symbols");
  if (!json_is_array(syms)) return bad(c, "%s", "an enum needs a \"symbols\" array");
  size_t n = json_array_size(syms);
  if (n > INT32_MAX) return bad(c, "%s", "too many enum symbols");
  s->symbols = orb_arena_zalloc(c->a, (n + 1) * sizeof *s->symbols);
  for (size_t i = 0; i < n; i++) {
    json_t *v = json_array_get(syms, i);
    if (!json_is_string(v) || !valid_name(json_string_value(v), json_string_length(v)))
      return bad(c, "%s", "enum symbols must be valid Avro names");
    s->symbols[i] = orb_arena_strdup(c->a, json_string_value(v));
    for (size_t k = 0; k < i; k++)
      if (strcmp(s->symbols[k], s->symbols[i]) == 0) return bad(c, "enum symbol \"%s\" appears twice", s->symbols[i]);
  }
  s->nsymbols = (int)n;
  json_t *def = json_object_get(j, "default");
  if (def && !default_ok(s, def, 0)) return bad(c, "%s", "the enum's default is not one of its symbols");
  return s;
}

static avro_schema *parse_named(sctx *c, json_t *j, avro_kind k, const char *ns, int depth) {
  json_t *jn = json_object_get(j, "name"), *jns = json_object_get(j, "namespace");
  if (!json_is_string(jn)) return bad(c, "a %s needs a \"name\"", avro_kind_name(k));
  if (jns && !json_is_string(jns) && !json_is_null(jns)) return bad(c, "%s", "\"namespace\" must be a string");
  avro_schema *s = node(c, k);
  s->name = orb_arena_strdup(c->a, json_string_value(jn));
  if (json_is_string(jns)) s->space = orb_arena_strdup(c->a, json_string_value(jns));
  if (!valid_dotted(s->name) || !*s->name) return bad(c, "\"%s\" is not a valid Avro name", s->name);
  if (s->space && !valid_dotted(s->space)) return bad(c, "\"%s\" is not a valid Avro namespace", s->space);
  /* the fullname: a dotted name is one; else the explicit or enclosing namespace qualifies it */
  const char *dot = strrchr(s->name, '.');
  const char *space = dot ? orb_arena_strndup(c->a, s->name, (size_t)(dot - s->name)) : s->space ? s->space : ns;
  s->fullname = space && *space && !dot ? orb_arena_sprintf(c->a, "%s.%s", space, s->name) : s->name;
  if (primitive_kind(dot ? dot + 1 : s->name) >= 0) return bad(c, "\"%s\" is a primitive type's name", s->name);
  if (lookup(c, s->fullname)) return bad(c, "type \"%s\" is defined twice", s->fullname);
  c->names = orb_grow(c->names, &c->cap, c->nnames + 1, sizeof *c->names);
  c->names[c->nnames++] = (named){s->fullname, s};
  const char *inner = space ? space : "";   /* the namespace of names used inside */
  avro_schema *r = NULL;
  if (k == AVRO_RECORD) r = parse_record(c, j, s, inner, depth);
  else if (k == AVRO_ENUM) r = parse_enum(c, j, s);
  else {
    json_t *sz = json_object_get(j, "size");
    if (!json_is_integer(sz) || json_integer_value(sz) < 0 || json_integer_value(sz) > INT32_MAX)
      return bad(c, "fixed \"%s\" needs a non-negative integer \"size\"", s->name);
    s->size = (int32_t)json_integer_value(sz);
    r = s;
  }
  if (!r) orb_err_prefix(c->e, "%s \"%s\"", avro_kind_name(k), s->name);
  return r;
}

static avro_schema *parse_object(sctx *c, json_t *j, const char *ns, int depth) {
  json_t *t = json_object_get(j, "type");
  if (!json_is_string(t)) return bad(c, "%s", "a schema object needs a \"type\" string");
  const char *type = json_string_value(t);
  avro_schema *s;
  int pk = primitive_kind(type);
  if (pk >= 0) s = node(c, (avro_kind)pk);
  else if (strcmp(type, "record") == 0 || strcmp(type, "error") == 0) s = parse_named(c, j, AVRO_RECORD, ns, depth);
  else if (strcmp(type, "enum") == 0) s = parse_named(c, j, AVRO_ENUM, ns, depth);
  else if (strcmp(type, "fixed") == 0) s = parse_named(c, j, AVRO_FIXED, ns, depth);
  else if (strcmp(type, "array") == 0 || strcmp(type, "map") == 0) {
    bool arr = type[0] == 'a';
    json_t *inner = json_object_get(j, arr ? "items" : "values");
    if (!inner) return bad(c, "%s", arr ? "an array needs \"items\"" : "a map needs \"values\"");
    avro_schema *in = parse(c, inner, ns, depth + 1);
    if (!in) return NULL;
    s = node(c, arr ? AVRO_ARRAY : AVRO_MAP);
    if (arr) s->items = in;
    else s->values = in;
    if (!int_attr(c, j, "element-id", &s->has_element_id, &s->element_id) ||
        !int_attr(c, j, "key-id", &s->has_key_id, &s->key_id) ||
        !int_attr(c, j, "value-id", &s->has_value_id, &s->value_id))
      return NULL;
  } else {
    /* {"type": "Name"}: a reference to a named type */
    avro_schema *r = resolve(c, type, ns);
    if (!r) return bad(c, "unknown type \"%s\"", type);
    return r;
  }
  if (!s) return NULL;
  keep_attrs(c, j, is_structural, &s->attrs, &s->nattrs);
  if (!logical_type(c, j, s)) return NULL;
  return s;
}

static avro_schema *parse(sctx *c, json_t *j, const char *ns, int depth) {
  if (depth > AVRO_MAX_DEPTH) return bad(c, "%s", "schema nested too deeply");
  if (json_is_string(j)) {
    const char *t = json_string_value(j);
    int pk = primitive_kind(t);
    if (pk >= 0) return node(c, (avro_kind)pk);
    avro_schema *r = resolve(c, t, ns);
    if (!r) return bad(c, "unknown type \"%s\"", t);
    return r;
  }
  if (json_is_object(j)) return parse_object(c, j, ns, depth);
  if (json_is_array(j)) {
    size_t n = json_array_size(j);
    avro_schema *u = node(c, AVRO_UNION);
    u->branches = orb_arena_zalloc(c->a, (n + 1) * sizeof *u->branches);
    for (size_t i = 0; i < n; i++) {
      avro_schema *b = parse(c, json_array_get(j, i), ns, depth + 1);
      if (!b) return NULL;
      if (b->kind == AVRO_UNION) return bad(c, "%s", "a union may not contain a union directly");
      for (size_t k = 0; k < i; k++) {
        const avro_schema *o = u->branches[k];
        bool is_named = b->kind == AVRO_RECORD || b->kind == AVRO_ENUM || b->kind == AVRO_FIXED;
        if (o->kind == b->kind && (!is_named || strcmp(o->fullname, b->fullname) == 0))
          return bad(c, "a union has two branches of type \"%s\"", is_named ? b->fullname : avro_kind_name(b->kind));
      }
      u->branches[i] = b;
    }
    u->nbranches = (int)n;
    return u;
  }
  return bad(c, "%s", "a schema must be a JSON string, object or array");
}

/* Fewest bytes a value takes: 0 for null and empty records; a record being
** computed counts 0 (a lower bound is all the decoder needs). */
static int min_bytes(avro_schema *s) {
  if (s->mark == 1) return 0;
  if (s->mark == 2) return s->min_bytes;
  s->mark = 1;
  int64_t m = 0;
  switch (s->kind) {
  case AVRO_NULL: m = 0; break;
  case AVRO_FLOAT: m = 4; break;
  case AVRO_DOUBLE: m = 8; break;
  case AVRO_FIXED: m = s->size; break;
  case AVRO_RECORD:
    for (int i = 0; i < s->nfields; i++) m += min_bytes(s->fields[i].type);
    break;
  case AVRO_UNION:
    for (int i = 0; i < s->nbranches; i++) min_bytes(s->branches[i]);
    m = 1;
    break;
  case AVRO_ARRAY: min_bytes(s->items); m = 1; break;
  case AVRO_MAP: min_bytes(s->values); m = 1; break;
  default: m = 1;
  }
  s->min_bytes = m > INT32_MAX ? INT32_MAX : (int)m;
  s->mark = 2;
  return s->min_bytes;
}

orb_status avro_schema_parse(const char *json, size_t len, orb_arena *a, const char *what, avro_schema **out,
                             orb_err *e) {
  *out = NULL;
  json_error_t je;
  json_t *j = json_loadb(json, len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &je);
  const char *src = what ? what : "";
  if (!j)
    return orb_err_set(e, ORB_ERR_CORRUPT, "avro: %s%sschema is not JSON: %s at line %d, column %d", src,
                       *src ? ": " : "", je.text, je.line, je.column);
  sctx c = {.a = a, .e = e};
  avro_schema *s = parse(&c, j, "", 0);
  json_decref(j);
  orb_free(c.names);
  if (!s) {
    orb_err_prefix(e, "avro: %s%sschema", src, *src ? ": " : "");
    return e ? e->code : ORB_ERR_CORRUPT;
  }
  min_bytes(s);
  *out = s;
  return ORB_OK;
}

/* ------------------------------------------------------------------------
** Back to JSON
*/
static void json_str(orb_buf *b, const char *s) {
  orb_buf_putc(b, '"');
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p == '"' || *p == '\\') {
      orb_buf_putc(b, '\\');
      orb_buf_putc(b, (char)*p);
    } else if (*p < 0x20) orb_buf_printf(b, "\\u%04x", *p);
    else orb_buf_putc(b, (char)*p);
  }
  orb_buf_putc(b, '"');
}

static void put_attrs(orb_buf *b, const avro_attr *at, int n) {
  for (int i = 0; i < n; i++) {
    orb_buf_putc(b, ',');
    json_str(b, at[i].key);
    orb_buf_putc(b, ':');
    orb_buf_puts(b, at[i].json);
  }
}

typedef struct emitted {
  const avro_schema **v;
  size_t n, cap;
} emitted;

/* The namespace part of a fullname ("" for none), compared with ns. */
static bool in_space(const char *fullname, const char *ns) {
  const char *dot = strrchr(fullname, '.');
  size_t n = dot ? (size_t)(dot - fullname) : 0;
  return strlen(ns) == n && strncmp(fullname, ns, n) == 0;
}

/* ns: the enclosing namespace, so that references are written as short
** as they resolve (as Java's writer does). */
static void to_json(const avro_schema *s, orb_buf *b, emitted *done, const char *ns) {
  bool is_named = s->kind == AVRO_RECORD || s->kind == AVRO_ENUM || s->kind == AVRO_FIXED;
  if (is_named) {
    for (size_t i = 0; i < done->n; i++)
      if (done->v[i] == s) {
        const char *dot = strrchr(s->fullname, '.');
        json_str(b, dot && in_space(s->fullname, ns) ? dot + 1 : s->fullname);
        return;
      }
    done->v = orb_grow(done->v, &done->cap, done->n + 1, sizeof *done->v);
    done->v[done->n++] = s;
  }
  char space[512] = "";   /* the namespace names inside this one resolve against */
  if (is_named) {
    const char *dot = strrchr(s->fullname, '.');
    size_t n = dot ? (size_t)(dot - s->fullname) : 0;
    if (n < sizeof space) memcpy(space, s->fullname, n), space[n] = '\0';
    ns = space;
  }
  switch (s->kind) {
  case AVRO_UNION:
    orb_buf_putc(b, '[');
    for (int i = 0; i < s->nbranches; i++) {
      if (i) orb_buf_putc(b, ',');
      to_json(s->branches[i], b, done, ns);
    }
    orb_buf_putc(b, ']');
    return;
  case AVRO_RECORD:
  case AVRO_ENUM:
  case AVRO_FIXED:
    orb_buf_printf(b, "{\"type\":\"%s\",\"name\":", avro_kind_name(s->kind));
    json_str(b, s->name);
    if (s->space) {
      orb_buf_puts(b, ",\"namespace\":");
      json_str(b, s->space);
    }
    if (s->kind == AVRO_FIXED) orb_buf_printf(b, ",\"size\":%d", (int)s->size);
    else if (s->kind == AVRO_ENUM) {
      orb_buf_puts(b, ",\"symbols\":[");
      for (int i = 0; i < s->nsymbols; i++) {
        if (i) orb_buf_putc(b, ',');
        json_str(b, s->symbols[i]);
      }
      orb_buf_putc(b, ']');
    } else {
      orb_buf_puts(b, ",\"fields\":[");
      for (int i = 0; i < s->nfields; i++) {
        if (i) orb_buf_putc(b, ',');
        orb_buf_puts(b, "{\"name\":");
        json_str(b, s->fields[i].name);
        orb_buf_puts(b, ",\"type\":");
        to_json(s->fields[i].type, b, done, ns);
        put_attrs(b, s->fields[i].attrs, s->fields[i].nattrs);
        orb_buf_putc(b, '}');
      }
      orb_buf_putc(b, ']');
    }
    break;
  case AVRO_ARRAY:
  case AVRO_MAP:
    orb_buf_printf(b, "{\"type\":\"%s\",\"%s\":", avro_kind_name(s->kind), s->kind == AVRO_ARRAY ? "items" : "values");
    to_json(s->kind == AVRO_ARRAY ? s->items : s->values, b, done, ns);
    break;
  default:
    if (s->nattrs == 0) {
      orb_buf_printf(b, "\"%s\"", avro_kind_name(s->kind));
      return;
    }
    orb_buf_printf(b, "{\"type\":\"%s\"", avro_kind_name(s->kind));
  }
  put_attrs(b, s->attrs, s->nattrs);
  orb_buf_putc(b, '}');
}

void avro_schema_to_json(const avro_schema *s, orb_buf *out) {
  emitted done = {0};
  to_json(s, out, &done, "");
  orb_free(done.v);
}

const char *avro_attr_get(const avro_attr *attrs, int n, const char *key) {
  for (int i = 0; i < n; i++)
    if (strcmp(attrs[i].key, key) == 0) return attrs[i].json;
  return NULL;
}

int avro_field_by_id(const avro_schema *r, int32_t id) {
  if (r->kind != AVRO_RECORD) return -1;
  for (int i = 0; i < r->nfields; i++)
    if (r->fields[i].has_field_id && r->fields[i].field_id == id) return i;
  return -1;
}

int avro_field_by_name(const avro_schema *r, const char *name) {
  if (r->kind != AVRO_RECORD) return -1;
  for (int i = 0; i < r->nfields; i++)
    if (strcmp(r->fields[i].name, name) == 0) return i;
  return -1;
}

int avro_union_null_branch(const avro_schema *u) {
  if (u->kind != AVRO_UNION) return -1;
  for (int i = 0; i < u->nbranches; i++)
    if (u->branches[i]->kind == AVRO_NULL) return i;
  return -1;
}

const avro_schema *avro_branch_of_kind(const avro_schema *t, avro_kind k) {
  if (t && t->kind == AVRO_UNION && k != AVRO_UNION)
    for (int i = 0; i < t->nbranches; i++)
      if (t->branches[i]->kind == k) return t->branches[i];
  return t && t->kind == k ? t : NULL;
}
