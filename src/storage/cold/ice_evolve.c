/* storage/cold/ice_evolve.c — schema and partition-spec evolution edits
** (see ice_evolve.h). */
#include "storage/cold/ice_evolve.h"
#include "storage/cold/ice_value.h"

#include <string.h>

/* --- types ------------------------------------------------------------------- */

static bool field_equal(const ice_field *x, const ice_field *y) {
  return x->id == y->id && strcmp(x->name, y->name) == 0 && x->required == y->required &&
         ice_type_equal(x->type, y->type);
}

bool ice_type_equal(const ice_type *x, const ice_type *y) {
  if (x == y) return true;
  if (!x || !y || x->kind != y->kind) return false;
  switch (x->kind) {
  case ICE_DECIMAL: return x->precision == y->precision && x->scale == y->scale;
  case ICE_FIXED: return x->length == y->length;
  case ICE_STRUCT:
    if (x->nfields != y->nfields) return false;
    for (int i = 0; i < x->nfields; i++)
      if (!field_equal(&x->fields[i], &y->fields[i])) return false;
    return true;
  case ICE_LIST:
    return x->element_id == y->element_id && x->element_required == y->element_required &&
           ice_type_equal(x->element, y->element);
  case ICE_MAP:
    return x->key_id == y->key_id && x->value_id == y->value_id && x->value_required == y->value_required &&
           ice_type_equal(x->key, y->key) && ice_type_equal(x->value, y->value);
  default:
    return true;
  }
}

bool ice_type_promotable(const ice_type *from, const ice_type *to) {
  if (from->kind == ICE_STRUCT || from->kind == ICE_LIST || from->kind == ICE_MAP) return false;
  if (ice_type_equal(from, to)) return true;
  if (from->kind == ICE_INT && to->kind == ICE_LONG) return true;
  if (from->kind == ICE_FLOAT && to->kind == ICE_DOUBLE) return true;
  return from->kind == ICE_DECIMAL && to->kind == ICE_DECIMAL && to->scale == from->scale &&
         to->precision > from->precision;
}

/* --- schemas ----------------------------------------------------------------- */

static bool schema_equal(const ice_schema *x, const ice_schema *y) {
  if (x->nfields != y->nfields || x->nidentifier != y->nidentifier) return false;
  for (int i = 0; i < x->nfields; i++)
    if (!field_equal(&x->fields[i], &y->fields[i])) return false;
  for (int i = 0; i < x->nidentifier; i++)
    if (x->identifier_ids[i] != y->identifier_ids[i]) return false;
  return true;
}

static int field_pos(const ice_schema *s, int32_t id) {
  for (int i = 0; i < s->nfields; i++)
    if (s->fields[i].id == id) return i;
  return -1;
}

static int field_by_name(const ice_schema *s, const char *name) {
  for (int i = 0; i < s->nfields; i++)
    if (strcmp(s->fields[i].name, name) == 0) return i;
  return -1;
}

static bool is_identifier(const ice_schema *s, int32_t id) {
  for (int i = 0; i < s->nidentifier; i++)
    if (s->identifier_ids[i] == id) return true;
  return false;
}

orb_status ice_schema_update(orb_arena *a, const ice_meta *base, const ice_schema_change *c, ice_meta *next,
                             int32_t *field_id, orb_err *e) {
  const ice_schema *cur = ice_meta_current_schema(base);
  if (!cur) return orb_err_set(e, ORB_ERR_CORRUPT, "iceberg: the table's current schema is missing");
  ice_schema ns = *cur;
  ns.fields = orb_arena_zalloc(a, sizeof(ice_field) * (size_t)(cur->nfields + 1));
  if (cur->nfields) memcpy(ns.fields, cur->fields, sizeof(ice_field) * (size_t)cur->nfields);
  int32_t last = base->last_column_id;
  int pos = -1;
  if (c->op != ICE_ADD_COLUMN) {
    pos = field_pos(cur, c->field_id);
    if (pos < 0)
      return orb_err_set(e, ORB_ERR_UNDEFINED, "iceberg: the table has no column with field id %d", (int)c->field_id);
  }
  ice_field *f = pos >= 0 ? &ns.fields[pos] : NULL;
  int32_t fid = c->field_id;
  switch (c->op) {
  case ICE_ADD_COLUMN:
    if (c->required)
      return orb_err_set(e, ORB_ERR_UNSUPPORTED,
                         "cannot add required column \"%s\": an Iceberg table's existing rows have no value for it "
                         "(add it without NOT NULL)",
                         c->name);
    if (field_by_name(cur, c->name) >= 0)
      return orb_err_setx(e, ORB_ERR_DUPLICATE, "42701", 0, "column \"%s\" already exists", c->name);
    if (c->type.kind == ICE_STRUCT || c->type.kind == ICE_MAP ||
        (c->type.kind == ICE_LIST && (!c->type.element || c->type.element->kind == ICE_STRUCT ||
                                      c->type.element->kind == ICE_LIST || c->type.element->kind == ICE_MAP)))
      return orb_err_set(e, ORB_ERR_UNSUPPORTED, "cannot add column \"%s\": nested types other than lists of a primitive are not supported", c->name);
    f = &ns.fields[ns.nfields++];
    memset(f, 0, sizeof *f);
    f->id = fid = ++last;
    f->name = orb_arena_strdup(a, c->name);
    f->type = orb_arena_memdup(a, &c->type, sizeof c->type);
    if (c->type.kind == ICE_LIST) {   /* the element's id after the column's, as Java assigns them */
      f->type->element = orb_arena_memdup(a, c->type.element, sizeof *c->type.element);
      f->type->element_id = ++last;
    }
    break;
  case ICE_DROP_COLUMN: {
    if (is_identifier(cur, f->id))
      return orb_err_set(e, ORB_ERR_UNSUPPORTED, "cannot drop column \"%s\": it is part of the primary key", f->name);
    /* every spec, not only the default one: Java's metadata parser binds
    ** each spec to the current schema and fails on a source column that is
    ** gone (apache/iceberg#4563), so other engines could no longer load
    ** the table; Trino refuses the same drops for that reason */
    for (int sp = 0; sp < base->nspecs; sp++) {
      const ice_partition_spec *spec = &base->specs[sp];
      for (int k = 0; k < spec->nfields; k++)
        if (spec->fields[k].source_id == f->id)
          return orb_err_set(e, ORB_ERR_UNSUPPORTED,
                             spec->spec_id == base->default_spec_id
                                 ? "cannot drop column \"%s\": partition field \"%s\" of the current partition spec "
                                   "is derived from it (drop the partition field first)"
                                 : "cannot drop column \"%s\": partition field \"%s\" of an earlier partition spec "
                                   "is derived from it, and files written with that spec still name it",
                             f->name, spec->fields[k].name);
    }
    if (ns.nfields == 1) return orb_err_set(e, ORB_ERR_UNSUPPORTED, "cannot drop the last column \"%s\"", f->name);
    memmove(&ns.fields[pos], &ns.fields[pos + 1], sizeof(ice_field) * (size_t)(ns.nfields - pos - 1));
    ns.nfields--;
    break;
  }
  case ICE_RENAME_COLUMN: {
    int other = field_by_name(cur, c->name);
    if (other >= 0 && other != pos)
      return orb_err_setx(e, ORB_ERR_DUPLICATE, "42701", 0, "column \"%s\" already exists", c->name);
    f->name = orb_arena_strdup(a, c->name);
    break;
  }
  case ICE_UPDATE_TYPE:
    if (!ice_type_promotable(f->type, &c->type))
      return orb_err_set(e, ORB_ERR_TYPE,
                         "cannot change column \"%s\" from %s to %s: Iceberg allows only int to long, float to double "
                         "and a decimal's precision widened with the same scale",
                         f->name, ice_type_name(a, f->type), ice_type_name(a, &c->type));
    f->type = orb_arena_memdup(a, &c->type, sizeof c->type);
    break;
  case ICE_MAKE_OPTIONAL:
    if (f->required && is_identifier(cur, f->id))
      return orb_err_set(e, ORB_ERR_UNSUPPORTED, "column \"%s\" is in a primary key", f->name);
    f->required = false;
    break;
  case ICE_MAKE_REQUIRED:
    if (f->required) break;
    return orb_err_set(e, ORB_ERR_UNSUPPORTED,
                       "cannot make column \"%s\" NOT NULL: Iceberg does not allow an optional column to become "
                       "required (older files may hold NULLs)",
                       f->name);
  default:
    return orb_err_set(e, ORB_ERR_MISUSE, "iceberg: unknown schema change %d", (int)c->op);
  }
  if (field_id) *field_id = fid;

  /* an identical schema that exists already becomes current again */
  int32_t maxid = -1;
  for (int i = 0; i < base->nschemas; i++) {
    if (schema_equal(&base->schemas[i], &ns)) {
      next->current_schema_id = base->schemas[i].schema_id;
      next->last_column_id = last;
      return ORB_OK;
    }
    if (base->schemas[i].schema_id > maxid) maxid = base->schemas[i].schema_id;
  }
  ns.schema_id = maxid + 1;
  ice_schema *all = orb_arena_zalloc(a, sizeof(ice_schema) * (size_t)(base->nschemas + 1));
  memcpy(all, base->schemas, sizeof(ice_schema) * (size_t)base->nschemas);
  all[base->nschemas] = ns;
  next->schemas = all;
  next->nschemas = base->nschemas + 1;
  next->current_schema_id = ns.schema_id;
  next->last_column_id = last;
  return ORB_OK;
}

/* --- partition specs --------------------------------------------------------- */

static bool same_transform(const ice_transform *x, const ice_transform *y) {
  return x->kind == y->kind && x->param == y->param &&
         (x->kind != ICE_TR_UNKNOWN || strcmp(x->text, y->text) == 0);
}

static bool spec_equal(const ice_partition_spec *x, const ice_partition_spec *y) {
  if (x->nfields != y->nfields) return false;
  for (int i = 0; i < x->nfields; i++) {
    const ice_partition_field *p = &x->fields[i], *q = &y->fields[i];
    if (p->source_id != q->source_id || p->field_id != q->field_id || strcmp(p->name, q->name) != 0 ||
        !same_transform(&p->transform, &q->transform))
      return false;
  }
  return true;
}

/* One transform term ("bucket(16, id)") as a partition field (its id not
** assigned yet).  The term's own errors are ice_spec_parse's. */
static orb_status parse_term(orb_arena *a, const char *term, const ice_schema *s, ice_partition_field *out,
                             orb_err *e) {
  ice_partition_spec one;
  int32_t scratch = 999;
  orb_status st = ice_spec_parse(a, term, s, 0, &scratch, &one, e);
  if (st != ORB_OK) return st;
  if (one.nfields != 1)
    return orb_err_set(e, ORB_ERR_SYNTAX, "partition field \"%s\": expected one transform term", term);
  *out = one.fields[0];
  out->field_id = 0;
  return ORB_OK;
}

/* The field of spec named by `term`: its partition field name first, else
** the (source, transform) the term parses to; -1 with an error if none. */
static int find_spec_field(orb_arena *a, const ice_partition_spec *spec, const ice_schema *s, const char *term,
                           orb_err *e) {
  for (int i = 0; i < spec->nfields; i++)
    if (strcmp(spec->fields[i].name, term) == 0) return i;
  ice_partition_field pf = {0};   /* filled by parse_term when it succeeds (gcc -O3 cannot tell) */
  orb_err pe;
  orb_err_clear(&pe);
  if (parse_term(a, term, s, &pf, &pe) == ORB_OK) {
    for (int i = 0; i < spec->nfields; i++)
      if (spec->fields[i].source_id == pf.source_id && same_transform(&spec->fields[i].transform, &pf.transform))
        return i;
  } else if (pe.code != ORB_ERR_UNDEFINED) {
    *e = pe;
    return -1;
  }
  orb_err_setx(e, ORB_ERR_UNDEFINED, "42704", 0,
               "partition field \"%s\" does not exist in the table's current partition spec", term);
  return -1;
}

/* A field id for new field pf: that of an identical field of any spec the
** table ever had (same source and transform; same name too when `named`),
** else the next unused one. */
static int32_t field_id_for(const ice_meta *m, const ice_partition_field *pf, bool named, int32_t *last) {
  for (int s = 0; s < m->nspecs; s++)
    for (int i = 0; i < m->specs[s].nfields; i++) {
      const ice_partition_field *old = &m->specs[s].fields[i];
      if (old->source_id == pf->source_id && same_transform(&old->transform, &pf->transform) &&
          (!named || strcmp(old->name, pf->name) == 0))
        return old->field_id;
    }
  return ++*last;
}

/* Java's rules for a spec's field names: unique, and a name that is a
** column's only for that column's identity field. */
static orb_status check_names(const ice_partition_spec *spec, const ice_schema *s, orb_err *e) {
  for (int i = 0; i < spec->nfields; i++) {
    const ice_partition_field *pf = &spec->fields[i];
    for (int j = 0; j < i; j++) {
      if (strcmp(spec->fields[j].name, pf->name) == 0)
        return orb_err_setx(e, ORB_ERR_DUPLICATE, "42710", 0, "partition field \"%s\" already exists", pf->name);
      if (spec->fields[j].source_id == pf->source_id && same_transform(&spec->fields[j].transform, &pf->transform))
        return orb_err_setx(e, ORB_ERR_DUPLICATE, "42710", 0,
                           "partition field \"%s\" already exists with the same transform of the same column (\"%s\")",
                           spec->fields[j].name, pf->name);
    }
    int c = field_by_name(s, pf->name);
    if (c >= 0 && !(pf->transform.kind == ICE_TR_IDENTITY && s->fields[c].id == pf->source_id))
      return orb_err_setx(e, ORB_ERR_DUPLICATE, "42710", 0,
                         "partition field name \"%s\" is a column's name: only that column's identity partition may "
                         "have it",
                         pf->name);
  }
  return ORB_OK;
}

orb_status ice_spec_update(orb_arena *a, const ice_meta *base, const ice_spec_change *c, ice_meta *next, orb_err *e) {
  const ice_schema *s = ice_meta_current_schema(base);
  const ice_partition_spec *cur = ice_meta_spec(base, base->default_spec_id);
  if (!s || !cur)
    return orb_err_set(e, ORB_ERR_CORRUPT, "iceberg: the current schema or default partition spec is missing");
  int32_t last = base->last_partition_id < 999 ? 999 : base->last_partition_id;
  ice_partition_spec ns;
  memset(&ns, 0, sizeof ns);
  ns.extra = cur->extra;
  int cap = cur->nfields + 2;
  orb_status st;
  if (c->op == ICE_SPEC_SET) {
    int32_t scratch = 999;
    if ((st = ice_spec_parse(a, c->term ? c->term : "", s, 0, &scratch, &ns, e)) != ORB_OK) return st;
    for (int i = 0; i < ns.nfields; i++) ns.fields[i].field_id = field_id_for(base, &ns.fields[i], false, &last);
  } else {
    ns.fields = orb_arena_zalloc(a, sizeof(ice_partition_field) * (size_t)cap);
    if (cur->nfields) memcpy(ns.fields, cur->fields, sizeof(ice_partition_field) * (size_t)cur->nfields);
    ns.nfields = cur->nfields;
    if (c->op == ICE_SPEC_DROP_FIELD || c->op == ICE_SPEC_REPLACE_FIELD) {
      int k = find_spec_field(a, &ns, s, c->term, e);
      if (k < 0) return e->code;
      memmove(&ns.fields[k], &ns.fields[k + 1], sizeof(ice_partition_field) * (size_t)(ns.nfields - k - 1));
      ns.nfields--;
    }
    if (c->op == ICE_SPEC_ADD_FIELD || c->op == ICE_SPEC_REPLACE_FIELD) {
      ice_partition_field pf;
      const char *term = c->op == ICE_SPEC_ADD_FIELD ? c->term : c->with;
      if ((st = parse_term(a, term, s, &pf, e)) != ORB_OK) return st;
      for (int i = 0; i < ns.nfields; i++)
        if (ns.fields[i].source_id == pf.source_id && same_transform(&ns.fields[i].transform, &pf.transform))
          return orb_err_setx(e, ORB_ERR_DUPLICATE, "42710", 0, "partition field \"%s\" already exists (%s)",
                              ns.fields[i].name, term);
      if (c->as && *c->as) pf.name = orb_arena_strdup(a, c->as);
      pf.field_id = field_id_for(base, &pf, c->as && *c->as, &last);
      ns.fields[ns.nfields++] = pf;
    }
  }
  if ((st = check_names(&ns, s, e)) != ORB_OK) return st;

  /* an identical spec that exists already becomes the default again */
  int32_t maxid = -1;
  next->last_partition_id = last;
  for (int i = 0; i < base->nspecs; i++) {
    ns.spec_id = base->specs[i].spec_id;
    if (spec_equal(&base->specs[i], &ns)) {
      next->default_spec_id = base->specs[i].spec_id;
      return ORB_OK;
    }
    if (base->specs[i].spec_id > maxid) maxid = base->specs[i].spec_id;
  }
  ns.spec_id = maxid + 1;
  ice_partition_spec *all = orb_arena_zalloc(a, sizeof(ice_partition_spec) * (size_t)(base->nspecs + 1));
  memcpy(all, base->specs, sizeof(ice_partition_spec) * (size_t)base->nspecs);
  all[base->nspecs] = ns;
  next->specs = all;
  next->nspecs = base->nspecs + 1;
  next->default_spec_id = ns.spec_id;
  return ORB_OK;
}
