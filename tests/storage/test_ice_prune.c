/* tests/storage/test_ice_prune.c — what scan planning's constraints say
** about partition tuples, manifest summaries and column metrics
** (storage/cold/ice_prune.h), on tuples and metrics built here for the
** cases the fixtures lack: truncate of negative integers and of strings
** (by code point, strict bounds made inclusive), day and hour before 1970
** (with the widening Java applies for old writers), bucket for = and IN
** and not for ranges, NULL partition values, void, NaN, constants of
** another type, bounds written before a promotion, truncated string
** bounds, float bounds without NaN counts, and malformed bounds.  The
** fixtures' real manifests are covered end to end by
** tests/storage/iceberg_prune_test.py. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "storage/cold/ice_prune.h"
#include "storage/cold/ice_value.h"

/* x int, s string, ts timestamptz, id long, d date, y int, f double, z int,
** t string, g double, w long; spec 0 partitions x, s, ts, id, y, f, d;
** spec 1 is unpartitioned; spec 2 partitions ts by hour. */
static const char meta_json[] =
    "{\"format-version\":2,\"table-uuid\":\"9c12d441-03fe-4693-9a96-a0705ddf69c1\",\"location\":\"/t\","
    "\"last-sequence-number\":0,\"last-updated-ms\":1,\"last-column-id\":11,\"current-schema-id\":0,"
    "\"schemas\":[{\"type\":\"struct\",\"schema-id\":0,\"fields\":["
    "{\"id\":1,\"name\":\"x\",\"required\":false,\"type\":\"int\"},"
    "{\"id\":2,\"name\":\"s\",\"required\":false,\"type\":\"string\"},"
    "{\"id\":3,\"name\":\"ts\",\"required\":false,\"type\":\"timestamptz\"},"
    "{\"id\":4,\"name\":\"id\",\"required\":false,\"type\":\"long\"},"
    "{\"id\":5,\"name\":\"d\",\"required\":false,\"type\":\"date\"},"
    "{\"id\":6,\"name\":\"y\",\"required\":false,\"type\":\"int\"},"
    "{\"id\":7,\"name\":\"f\",\"required\":false,\"type\":\"double\"},"
    "{\"id\":8,\"name\":\"z\",\"required\":false,\"type\":\"int\"},"
    "{\"id\":9,\"name\":\"t\",\"required\":false,\"type\":\"string\"},"
    "{\"id\":10,\"name\":\"g\",\"required\":false,\"type\":\"double\"},"
    "{\"id\":11,\"name\":\"w\",\"required\":false,\"type\":\"long\"}]}],"
    "\"default-spec-id\":0,\"partition-specs\":[{\"spec-id\":0,\"fields\":["
    "{\"name\":\"x_trunc\",\"transform\":\"truncate[10]\",\"source-id\":1,\"field-id\":1000},"
    "{\"name\":\"s_trunc\",\"transform\":\"truncate[3]\",\"source-id\":2,\"field-id\":1001},"
    "{\"name\":\"ts_day\",\"transform\":\"day\",\"source-id\":3,\"field-id\":1002},"
    "{\"name\":\"id_bucket\",\"transform\":\"bucket[16]\",\"source-id\":4,\"field-id\":1003},"
    "{\"name\":\"y_null\",\"transform\":\"void\",\"source-id\":6,\"field-id\":1004},"
    "{\"name\":\"f\",\"transform\":\"identity\",\"source-id\":7,\"field-id\":1005},"
    "{\"name\":\"d_month\",\"transform\":\"month\",\"source-id\":5,\"field-id\":1007}]},"
    "{\"spec-id\":1,\"fields\":[]},"
    "{\"spec-id\":2,\"fields\":[{\"name\":\"ts_hour\",\"transform\":\"hour\",\"source-id\":3,\"field-id\":1006}]}],"
    "\"last-partition-id\":1007,\"default-sort-order-id\":0,\"sort-orders\":[{\"order-id\":0,\"fields\":[]}],"
    "\"properties\":{},\"current-snapshot-id\":-1,\"refs\":{},\"snapshots\":[],\"snapshot-log\":[],\"metadata-log\":[]}";

static const char part_json[] =
    "{\"type\":\"record\",\"name\":\"r102\",\"fields\":["
    "{\"name\":\"x_trunc\",\"type\":[\"null\",\"int\"],\"field-id\":1000},"
    "{\"name\":\"s_trunc\",\"type\":[\"null\",\"string\"],\"field-id\":1001},"
    "{\"name\":\"ts_day\",\"type\":[\"null\",\"int\"],\"field-id\":1002},"
    "{\"name\":\"id_bucket\",\"type\":[\"null\",\"int\"],\"field-id\":1003},"
    "{\"name\":\"y_null\",\"type\":[\"null\",\"int\"],\"field-id\":1004},"
    "{\"name\":\"f\",\"type\":[\"null\",\"double\"],\"field-id\":1005},"
    "{\"name\":\"ts_hour\",\"type\":[\"null\",\"int\"],\"field-id\":1006},"
    "{\"name\":\"d_month\",\"type\":[\"null\",\"int\"],\"field-id\":1007}]}";

#define KV(name, id, k, v, vt)                                                                                    \
  "{\"name\":\"" name "\",\"field-id\":" #id ",\"type\":[\"null\",{\"type\":\"array\",\"logicalType\":\"map\","     \
  "\"items\":{\"type\":\"record\",\"name\":\"k" #k "_v" #v "\",\"fields\":[{\"name\":\"key\",\"type\":\"int\","    \
  "\"field-id\":" #k "},{\"name\":\"value\",\"type\":\"" vt "\",\"field-id\":" #v "}]}}]}"
static const char df_json[] = "{\"type\":\"record\",\"name\":\"r2\",\"fields\":[" KV("value_counts", 109, 119, 120, "long") ","
    KV("null_value_counts", 110, 121, 122, "long") "," KV("nan_value_counts", 137, 138, 139, "long") ","
    KV("lower_bounds", 125, 126, 127, "bytes") "," KV("upper_bounds", 128, 129, 130, "bytes") "]}";

static orb_arena A;
static ice_meta M;
static avro_schema *PT, *DF;

static int setup(void **state) {
  (void)state;
  orb_arena_init(&A, 0);
  orb_err e;
  if (ice_meta_parse(&A, meta_json, sizeof meta_json - 1, "t", &M, &e) != ORB_OK) fail_msg("%s", e.msg);
  if (avro_schema_parse(part_json, sizeof part_json - 1, &A, "p", &PT, &e) != ORB_OK) fail_msg("%s", e.msg);
  if (avro_schema_parse(df_json, sizeof df_json - 1, &A, "d", &DF, &e) != ORB_OK) fail_msg("%s", e.msg);
  return 0;
}

static int teardown(void **state) {
  (void)state;
  orb_arena_free(&A);
  return 0;
}

/* --- constraints ----------------------------------------------------------- */

static ice_pred eq(int32_t id, orb_value v) {
  ice_pred p;
  memset(&p, 0, sizeof p);
  p.field_id = id;
  p.kind = ICE_PRED_IN;
  orb_value *c = orb_arena_alloc(&A, sizeof *c);
  *c = v;
  p.in = c;
  p.nin = 1;
  return p;
}

static ice_pred in2(int32_t id, orb_value a, orb_value b) {
  ice_pred p = eq(id, a);
  orb_value *c = orb_arena_alloc(&A, sizeof *c * 2);
  c[0] = a, c[1] = b;
  p.in = c;
  p.nin = 2;
  return p;
}

/* lo <(=) col <(=) hi; a NULL value leaves that side open */
static ice_pred range(int32_t id, orb_value lo, bool lo_incl, orb_value hi, bool hi_incl) {
  ice_pred p;
  memset(&p, 0, sizeof p);
  p.field_id = id;
  p.kind = ICE_PRED_RANGE;
  p.has_lo = !lo.isnull, p.lo = lo, p.lo_incl = lo_incl;
  p.has_hi = !hi.isnull, p.hi = hi, p.hi_incl = hi_incl;
  return p;
}

/* one of a or b (ANY, as `<>`, NOT IN and OR give) */
static ice_pred any2(ice_pred a, ice_pred b) {
  ice_pred p;
  memset(&p, 0, sizeof p);
  p.field_id = a.field_id;
  p.kind = ICE_PRED_ANY;
  ice_pred *alts = orb_arena_alloc(&A, sizeof *alts * 2);
  alts[0] = a, alts[1] = b;
  p.any = alts, p.nany = 2;
  return p;
}

static ice_pred isnull(int32_t id, bool null) {
  ice_pred p;
  memset(&p, 0, sizeof p);
  p.field_id = id;
  p.kind = null ? ICE_PRED_IS_NULL : ICE_PRED_NOT_NULL;
  return p;
}

static const orb_value NONE = {ORB_T_NULL, 1, 0, 0, 0, {0}};
static orb_value I(int64_t i) { return orb_int(ORB_T_INT32, i); }
static orb_value L(int64_t i) { return orb_int(ORB_T_INT64, i); }
static orb_value S(const char *s) { return orb_text(s, strlen(s)); }
static orb_value TZ(int64_t us) { return orb_int(ORB_T_TIMESTAMPTZ, us); }
static orb_value F(double f) { return orb_float(ORB_T_FLOAT64, f); }

#define US_DAY INT64_C(86400000000)
#define US_HOUR INT64_C(3600000000)

/* --- partition tuples ------------------------------------------------------ */

static avro_value tuple(void) {
  avro_value t;
  orb_err e;
  if (avro_record_init(PT, &A, &t, &e) != ORB_OK) fail_msg("%s", e.msg);
  return t;
}

static int32_t spec_id;   /* the spec judge_tuple's tuples are of */

static ice_prune_verdict judge_tuple(ice_pred p, const avro_value *t) {
  ice_prune *pr = ice_prune_new(&A, &M, &M.schemas[0], orb_arena_memdup(&A, &p, sizeof p), 1);
  ice_prune_verdict v = ice_prune_entry(pr, spec_id, PT, t, NULL, NULL, 10, false);
  ice_prune_free(pr);
  return v;
}

#define KEEPS(p, t) assert_int_equal(judge_tuple(p, t), ICE_PRUNE_KEEP)
#define PRUNES(p, t) assert_int_equal(judge_tuple(p, t), ICE_PRUNE_BY_PARTITION)

static void test_truncate_projection(void **state) {
  (void)state;
  avro_value t = tuple();
  /* truncate[10] = -10 holds x in [-10, -1] */
  avro_record_set(PT, &t, 1000, avro_int(-10));
  KEEPS(eq(1, I(-1)), &t);
  KEEPS(eq(1, I(-10)), &t);
  PRUNES(eq(1, I(-11)), &t);
  PRUNES(eq(1, I(0)), &t);
  KEEPS(range(1, I(-1), false, NONE, false), &t);   /* x > -1: truncate only says p >= -10 */
  PRUNES(range(1, I(0), true, NONE, false), &t);    /* x >= 0 */
  KEEPS(range(1, NONE, false, I(-10), false), &t);  /* x < -10: p <= -10, inclusive */
  PRUNES(range(1, NONE, false, I(-11), true), &t);  /* x <= -11: p <= -20 */
  KEEPS(in2(1, I(50), I(-5)), &t);
  PRUNES(in2(1, I(50), I(5)), &t);
  /* a constant no int equals: no projection, kept (the filter decides) */
  KEEPS(eq(1, orb_decimal(25, 1)), &t);
  /* an exact decimal is the int it equals */
  PRUNES(eq(1, orb_decimal(50, 1)), &t);
  /* IN (NULL) matches nothing */
  PRUNES(eq(1, orb_null(ORB_T_INT32)), &t);

  /* truncate[3] of strings = 'ice': every s starting with "ice" */
  avro_record_set(PT, &t, 1001, avro_string("ice", 3));
  KEEPS(eq(2, S("iceberg")), &t);
  KEEPS(eq(2, S("ice")), &t);
  PRUNES(eq(2, S("icf")), &t);
  PRUNES(eq(2, S("ic")), &t);
  KEEPS(range(2, S("icez"), false, NONE, false), &t);   /* s > 'icez' has "icezz" */
  PRUNES(range(2, S("id"), true, NONE, false), &t);
  KEEPS(range(2, NONE, false, S("ice"), false), &t);    /* s < 'ice' projects to p <= 'ice' */
  PRUNES(range(2, NONE, false, S("ic"), false), &t);
  /* code points, not bytes: truncate[3] of "ßäöü" is "ßäö" (6 bytes) */
  avro_record_set(PT, &t, 1001, avro_string("\xc3\x9f\xc3\xa4\xc3\xb6", 6));
  KEEPS(eq(2, S("\xc3\x9f\xc3\xa4\xc3\xb6\xc3\xbc")), &t);
  PRUNES(eq(2, S("\xc3\x9f\xc3\xa4\xc3\xbc")), &t);
}

static void test_time_projection(void **state) {
  (void)state;
  avro_value t = tuple();
  /* day = -1: 1969-12-31 */
  avro_record_set(PT, &t, 1002, avro_int(-1));
  KEEPS(eq(3, TZ(-12 * US_HOUR)), &t);                        /* 1969-12-31 12:00 */
  PRUNES(range(3, TZ(0), true, NONE, false), &t);              /* ts >= 1970-01-01 */
  KEEPS(range(3, TZ(-1), true, NONE, false), &t);              /* ts >= 23:59:59.999999 the day before */
  KEEPS(range(3, NONE, false, TZ(0), false), &t);              /* ts < 1970: day <= 0 */
  /* ts <= 1969-12-30 23:59:59.999999 is day -2; before 1970 the bound is
  ** widened by one (old writers rounded toward zero), so day -1 stays */
  KEEPS(range(3, NONE, false, TZ(-US_DAY - 1), true), &t);
  avro_record_set(PT, &t, 1002, avro_int(0));
  PRUNES(range(3, NONE, false, TZ(-US_DAY - 1), true), &t);
  /* = 1969-12-30 12:00 (day -2) keeps days -2 and -1 */
  avro_record_set(PT, &t, 1002, avro_int(-1));
  KEEPS(eq(3, TZ(-US_DAY - 12 * US_HOUR)), &t);
  avro_record_set(PT, &t, 1002, avro_int(-3));
  PRUNES(eq(3, TZ(-US_DAY - 12 * US_HOUR)), &t);
  /* after 1970 nothing is widened: day 5 for a constant of day 4 */
  avro_record_set(PT, &t, 1002, avro_int(5));
  PRUNES(eq(3, TZ(4 * US_DAY + 1)), &t);
  KEEPS(eq(3, TZ(5 * US_DAY)), &t);
  /* ANY through the transform: the union of the alternatives' projections */
  PRUNES(any2(eq(3, TZ(4 * US_DAY + 1)), range(3, TZ(6 * US_DAY), true, NONE, false)), &t);
  KEEPS(any2(eq(3, TZ(4 * US_DAY + 1)), range(3, NONE, false, TZ(5 * US_DAY), true)), &t);
  /* hour (spec 2) */
  spec_id = 2;
  avro_record_set(PT, &t, 1006, avro_int(10));
  KEEPS(eq(3, TZ(10 * US_HOUR + 59)), &t);
  PRUNES(eq(3, TZ(11 * US_HOUR)), &t);
  PRUNES(range(3, TZ(11 * US_HOUR), true, NONE, false), &t);
  KEEPS(range(3, NONE, false, TZ(10 * US_HOUR), false), &t);   /* < 10:00 projects to hour <= 10 */
  PRUNES(isnull(3, true), &t);
  avro_record_set(PT, &t, 1006, avro_int(-1));   /* 1969-12-31 23:00 */
  KEEPS(eq(3, TZ(-1)), &t);
  KEEPS(eq(3, TZ(-US_HOUR - 1)), &t);   /* hour -2, widened to -1 */
  PRUNES(eq(3, TZ(-3 * US_HOUR)), &t);
  spec_id = 0;
  /* month of a date: 1969-12 is month -1; 1969-12-15 (day -17) */
  avro_record_set(PT, &t, 1007, avro_int(-1));
  KEEPS(eq(5, orb_int(ORB_T_DATE, -17)), &t);
  PRUNES(eq(5, orb_int(ORB_T_DATE, 40)), &t);
  PRUNES(range(5, orb_int(ORB_T_DATE, 0), true, NONE, false), &t);
  /* a timestamp constant for a date column: no projection */
  KEEPS(eq(5, TZ(0)), &t);
}

static void test_bucket_null_void_nan(void **state) {
  (void)state;
  avro_value t = tuple();
  ice_transform b16 = ice_transform_parse("bucket[16]");
  ice_type lt = {0};
  lt.kind = ICE_LONG;
  orb_value bv;
  orb_err e;
  orb_value v34 = L(34);
  assert_int_equal(ice_transform_apply(&b16, &lt, &v34, &A, &bv, &e), ORB_OK);
  avro_record_set(PT, &t, 1003, avro_int((int32_t)bv.u.i));
  KEEPS(eq(4, L(34)), &t);
  KEEPS(eq(4, I(34)), &t);   /* an int constant hashes as the long */
  int64_t other = 35;        /* a value in another bucket */
  for (;; other++) {
    orb_value ov = L(other), ob;
    assert_int_equal(ice_transform_apply(&b16, &lt, &ov, &A, &ob, &e), ORB_OK);
    if (ob.u.i != bv.u.i) break;
  }
  PRUNES(eq(4, L(other)), &t);
  KEEPS(in2(4, L(other), L(34)), &t);
  KEEPS(range(4, L(1000), true, NONE, false), &t);   /* no order in buckets */
  /* NULL partition values: only IS NULL can match */
  avro_record_set(PT, &t, 1000, avro_null());
  KEEPS(isnull(1, true), &t);
  PRUNES(isnull(1, false), &t);
  PRUNES(eq(1, I(5)), &t);
  PRUNES(range(1, I(5), true, NONE, false), &t);
  avro_record_set(PT, &t, 1000, avro_int(0));
  PRUNES(isnull(1, true), &t);
  KEEPS(isnull(1, false), &t);
  /* void says nothing */
  KEEPS(eq(6, I(1)), &t);
  KEEPS(isnull(6, false), &t);
  /* identity of a double that is NaN: above every number, as in PostgreSQL */
  avro_record_set(PT, &t, 1005, avro_double(__builtin_nan("")));
  KEEPS(range(7, F(1e300), false, NONE, false), &t);
  PRUNES(range(7, NONE, false, F(0), false), &t);
  KEEPS(eq(7, F(__builtin_nan(""))), &t);
  avro_record_set(PT, &t, 1005, avro_double(2.5));
  PRUNES(eq(7, F(__builtin_nan(""))), &t);
  KEEPS(in2(7, F(2.5), F(9)), &t);
  PRUNES(eq(7, I(2)), &t);   /* an int constant against a double value */
  /* identity values prove the constraint for every row */
  assert_int_equal(judge_tuple(eq(7, F(2.5)), &t), ICE_PRUNE_KEEP);   /* data = false: never ALL_MATCH */
  ice_prune *pr = ice_prune_new(&A, &M, &M.schemas[0], orb_arena_memdup(&A, &(ice_pred[]){eq(7, F(2.5))}, sizeof(ice_pred)), 1);
  assert_int_equal(ice_prune_entry(pr, 0, PT, &t, NULL, NULL, 10, true), ICE_PRUNE_KEEP);   /* no metrics given */
  avro_value d;
  assert_int_equal(avro_record_init(DF, &A, &d, &e), ORB_OK);
  assert_int_equal(ice_prune_entry(pr, 0, PT, &t, DF, &d, 10, true), ICE_PRUNE_ALL_MATCH);
  ice_prune_free(pr);
  /* a column the schema does not have, or an unpartitioned spec: kept */
  KEEPS(eq(99, I(1)), &t);
  ice_pred p = eq(1, I(12345));
  pr = ice_prune_new(&A, &M, &M.schemas[0], &p, 1);
  assert_int_equal(ice_prune_entry(pr, 1, PT, &t, NULL, NULL, 10, false), ICE_PRUNE_KEEP);
  ice_prune_free(pr);
}

/* --- column metrics -------------------------------------------------------- */

typedef struct metric {
  int32_t id;
  int64_t values, nulls, nans;   /* -1: absent */
  const void *lo, *hi;           /* NULL: absent */
  size_t lolen, hilen;
} metric;

static avro_value kv_array(int32_t map_id, const metric *ms, int n, int what) {
  (void)map_id;
  avro_value arr = {.kind = AVRO_ARRAY, .branch = 1};
  arr.u.c.v = orb_arena_alloc(&A, sizeof(avro_value) * (size_t)(n + 1));
  arr.u.c.n = 0;
  for (int i = 0; i < n; i++) {
    avro_value val;
    if (what == 0 && ms[i].values >= 0) val = avro_long(ms[i].values);
    else if (what == 1 && ms[i].nulls >= 0) val = avro_long(ms[i].nulls);
    else if (what == 2 && ms[i].nans >= 0) val = avro_long(ms[i].nans);
    else if (what == 3 && ms[i].lo) val = avro_bytes(ms[i].lo, ms[i].lolen);
    else if (what == 4 && ms[i].hi) val = avro_bytes(ms[i].hi, ms[i].hilen);
    else continue;
    avro_value *kv = &arr.u.c.v[arr.u.c.n++];
    kv->kind = AVRO_RECORD, kv->branch = -1;
    kv->u.c.v = orb_arena_alloc(&A, sizeof(avro_value) * 2);
    kv->u.c.v[0] = avro_int(ms[i].id);
    kv->u.c.v[1] = val;
    kv->u.c.n = 2;
  }
  return arr;
}

static ice_prune_verdict judge_metrics(ice_pred p, const metric *ms, int n, int64_t records) {
  avro_value d;
  orb_err e;
  assert_int_equal(avro_record_init(DF, &A, &d, &e), ORB_OK);
  static const int32_t ids[] = {109, 110, 137, 125, 128};
  for (int w = 0; w < 5; w++) avro_record_set(DF, &d, ids[w], kv_array(ids[w], ms, n, w));
  ice_prune *pr = ice_prune_new(&A, &M, &M.schemas[0], orb_arena_memdup(&A, &p, sizeof p), 1);
  ice_prune_verdict v = ice_prune_entry(pr, 1, NULL, NULL, DF, &d, records, true);
  ice_prune_free(pr);
  return v;
}

#define M_KEEP(p, ms, r) assert_int_equal(judge_metrics(p, ms, (int)(sizeof ms / sizeof ms[0]), r), ICE_PRUNE_KEEP)
#define M_PRUNE(p, ms, r) assert_int_equal(judge_metrics(p, ms, (int)(sizeof ms / sizeof ms[0]), r), ICE_PRUNE_BY_METRICS)
#define M_ALL(p, ms, r) assert_int_equal(judge_metrics(p, ms, (int)(sizeof ms / sizeof ms[0]), r), ICE_PRUNE_ALL_MATCH)

static void test_metrics(void **state) {
  (void)state;
  /* z int in [5, 9], no NULLs, 10 rows */
  metric z[] = {{8, 10, 0, -1, "\x05\0\0\0", "\x09\0\0\0", 4, 4}};
  M_PRUNE(eq(8, I(4)), z, 10);
  M_KEEP(eq(8, I(7)), z, 10);
  M_ALL(range(8, I(5), true, I(9), true), z, 10);
  M_KEEP(range(8, I(5), false, I(9), true), z, 10);     /* z > 5: the bound 5 may be a row */
  M_ALL(range(8, I(4), false, NONE, false), z, 10);
  M_PRUNE(range(8, I(9), false, NONE, false), z, 10);
  M_KEEP(range(8, I(9), true, NONE, false), z, 10);
  M_PRUNE(in2(8, I(10), I(11)), z, 10);
  M_KEEP(in2(8, I(10), I(9)), z, 10);
  M_PRUNE(isnull(8, true), z, 10);
  M_ALL(isnull(8, false), z, 10);
  M_ALL(range(8, orb_decimal(45, 1), true, NONE, false), z, 10);   /* z >= 4.5 */
  /* ANY: z < 5 OR z > 9 holds for no row; z <> 4 for every row */
  M_PRUNE(any2(range(8, NONE, false, I(5), false), range(8, I(9), false, NONE, false)), z, 10);
  M_KEEP(any2(range(8, NONE, false, I(5), false), eq(8, I(9))), z, 10);
  M_ALL(any2(range(8, NONE, false, I(4), false), range(8, I(4), false, NONE, false)), z, 10);
  /* every row only when one alternative covers the bounds: z <= 6 OR z > 6
  ** holds for all, but neither alone proves it, so the file is read */
  M_KEEP(any2(range(8, NONE, false, I(6), true), range(8, I(6), false, NONE, false)), z, 10);
  /* z <> 7: z in [7, 7] is pruned, [5, 9] kept */
  metric z7[] = {{8, 10, 0, -1, "\x07\0\0\0", "\x07\0\0\0", 4, 4}};
  M_PRUNE(any2(range(8, NONE, false, I(7), false), range(8, I(7), false, NONE, false)), z7, 10);
  M_KEEP(any2(range(8, NONE, false, I(7), false), range(8, I(7), false, NONE, false)), z, 10);
  /* with NULLs: bounds cannot prove every row */
  metric zn[] = {{8, 10, 3, -1, "\x05\0\0\0", "\x09\0\0\0", 4, 4}};
  M_KEEP(range(8, I(5), true, I(9), true), zn, 10);
  M_KEEP(isnull(8, true), zn, 10);
  /* every value NULL (no bounds): nothing but IS NULL matches, which all do */
  metric zall[] = {{8, 10, 10, -1, NULL, NULL, 0, 0}};
  M_PRUNE(eq(8, I(7)), zall, 10);
  M_PRUNE(isnull(8, false), zall, 10);
  M_ALL(isnull(8, true), zall, 10);
  /* one value, lower = upper: = proves every row */
  metric one[] = {{8, 10, 0, -1, "\x07\0\0\0", "\x07\0\0\0", 4, 4}};
  M_ALL(eq(8, I(7)), one, 10);
  M_ALL(in2(8, I(7), I(70)), one, 10);
  /* no metrics for the column: nothing known */
  metric none[] = {{1, 10, 0, -1, NULL, NULL, 0, 0}};
  M_KEEP(eq(8, I(4)), none, 10);
  /* malformed bounds (3 bytes for an int): ignored, never an error */
  metric bad[] = {{8, 10, 0, -1, "\x05\0\0", "\x09\0\0", 3, 3}};
  M_KEEP(eq(8, I(4)), bad, 10);

  /* t string: "ab" to "ac", the upper bound truncated and incremented (for "abzzz") */
  metric t[] = {{9, 10, 0, -1, "ab", "ac", 2, 2}};
  M_KEEP(eq(9, S("abzzz")), t, 10);
  M_KEEP(eq(9, S("ac")), t, 10);
  M_PRUNE(eq(9, S("aca")), t, 10);
  M_PRUNE(range(9, NONE, false, S("ab"), false), t, 10);
  M_KEEP(range(9, NONE, false, S("ab"), true), t, 10);
  M_ALL(range(9, S("a"), true, S("b"), false), t, 10);
  M_PRUNE(eq(9, S("a")), t, 10);

  /* g double in [1, 2], no NaN count: a NaN row would be above 2 */
  metric g[] = {{10, 10, 0, -1, "\0\0\0\0\0\0\xf0\x3f", "\0\0\0\0\0\0\0\x40", 8, 8}};
  M_KEEP(range(10, F(3), false, NONE, false), g, 10);
  M_PRUNE(range(10, NONE, false, F(0.5), false), g, 10);
  M_PRUNE(eq(10, F(3)), g, 10);   /* 3 is no NaN: no NaN row equals it, and no other row can */
  M_KEEP(eq(10, F(__builtin_nan(""))), g, 10);
  M_KEEP(range(10, F(1), true, F(2), true), g, 10);   /* a NaN row is above 2 */
  /* NaN count 0: the bounds are everything */
  metric g0[] = {{10, 10, 0, 0, "\0\0\0\0\0\0\xf0\x3f", "\0\0\0\0\0\0\0\x40", 8, 8}};
  M_PRUNE(range(10, F(3), false, NONE, false), g0, 10);
  M_ALL(range(10, F(1), true, F(2), true), g0, 10);
  M_PRUNE(eq(10, F(__builtin_nan(""))), g0, 10);
  /* NaN rows and a lower-bound constraint: NaN > 3 holds, so "every row" still can */
  metric gn[] = {{10, 10, 0, 4, "\0\0\0\0\0\0\x10\x40", "\0\0\0\0\0\0\x14\x40", 8, 8}};   /* [4, 5], 4 NaNs */
  M_ALL(range(10, F(3), false, NONE, false), gn, 10);
  M_KEEP(range(10, NONE, false, F(6), false), gn, 10);
  /* a single non-NULL value is the bound itself: no NaN */
  metric g1[] = {{10, 10, 9, -1, "\0\0\0\0\0\0\xf0\x3f", "\0\0\0\0\0\0\xf0\x3f", 8, 8}};
  M_PRUNE(range(10, F(3), false, NONE, false), g1, 10);

  /* w long, bounds written while it was an int (4 bytes): [1, 3] */
  metric w[] = {{11, 10, 0, -1, "\x01\0\0\0", "\x03\0\0\0", 4, 4}};
  M_PRUNE(eq(11, L(5)), w, 10);
  M_KEEP(eq(11, L(2)), w, 10);
  M_ALL(range(11, L(1), true, L(3), true), w, 10);
}

/* --- manifest summaries ---------------------------------------------------- */

static const char list_json[] =
    "{\"type\":\"record\",\"name\":\"manifest_file\",\"fields\":["
    "{\"name\":\"added_files_count\",\"type\":[\"null\",\"int\"],\"field-id\":504},"
    "{\"name\":\"existing_files_count\",\"type\":[\"null\",\"int\"],\"field-id\":505},"
    "{\"name\":\"partitions\",\"type\":[\"null\",{\"type\":\"array\",\"element-id\":508,\"items\":{\"type\":\"record\","
    "\"name\":\"r508\",\"fields\":[{\"name\":\"contains_null\",\"type\":\"boolean\",\"field-id\":509},"
    "{\"name\":\"contains_nan\",\"type\":[\"null\",\"boolean\"],\"field-id\":518},"
    "{\"name\":\"lower_bound\",\"type\":[\"null\",\"bytes\"],\"field-id\":510},"
    "{\"name\":\"upper_bound\",\"type\":[\"null\",\"bytes\"],\"field-id\":511}]}}],\"field-id\":507}]}";

/* A manifest list record for spec 0 whose summary k is [lo, hi] (ints,
** NULL: absent) with contains_null; the others say nothing. */
static avro_value list_rec(const avro_schema *ls, int k, const int32_t *lo, const int32_t *hi, bool has_null,
                           int added) {
  avro_value r;
  orb_err e;
  assert_int_equal(avro_record_init(ls, &A, &r, &e), ORB_OK);
  avro_record_set(ls, &r, 504, avro_int(added));
  avro_record_set(ls, &r, 505, avro_int(0));
  avro_value arr = {.kind = AVRO_ARRAY, .branch = 1};
  arr.u.c.n = 7;   /* spec 0's fields */
  arr.u.c.v = orb_arena_alloc(&A, sizeof(avro_value) * 7);
  for (int i = 0; i < 7; i++) {
    avro_value *s = &arr.u.c.v[i];
    s->kind = AVRO_RECORD, s->branch = -1;
    s->u.c.n = 4;
    s->u.c.v = orb_arena_alloc(&A, sizeof(avro_value) * 4);
    s->u.c.v[0] = avro_bool(true);
    s->u.c.v[1] = avro_null();
    s->u.c.v[2] = avro_null();
    s->u.c.v[3] = avro_null();
    if (i != k) continue;
    s->u.c.v[0] = avro_bool(has_null);
    s->u.c.v[1] = avro_bool(false);
    if (lo) s->u.c.v[2] = avro_bytes(orb_arena_memdup(&A, lo, 4), 4);
    if (hi) s->u.c.v[3] = avro_bytes(orb_arena_memdup(&A, hi, 4), 4);
  }
  avro_record_set(ls, &r, 507, arr);
  return r;
}

static bool judge_list(ice_pred p, const avro_schema *ls, const avro_value *r) {
  ice_prune *pr = ice_prune_new(&A, &M, &M.schemas[0], orb_arena_memdup(&A, &p, sizeof p), 1);
  bool may = ice_prune_manifest(pr, 0, ls, r);
  ice_prune_free(pr);
  return may;
}

static void test_manifest_summaries(void **state) {
  (void)state;
  avro_schema *ls;
  orb_err e;
  assert_int_equal(avro_schema_parse(list_json, sizeof list_json - 1, &A, "l", &ls, &e), ORB_OK);
  int32_t lo = -20, hi = 10;   /* x_trunc from -20 to 10: x in [-20, 19] */
  avro_value r = list_rec(ls, 0, &lo, &hi, false, 3);
  assert_true(judge_list(eq(1, I(19)), ls, &r));
  assert_false(judge_list(eq(1, I(20)), ls, &r));
  assert_false(judge_list(eq(1, I(-21)), ls, &r));
  assert_true(judge_list(range(1, I(-100), true, I(-20), true), ls, &r));
  assert_false(judge_list(any2(eq(1, I(20)), range(1, NONE, false, I(-21), true)), ls, &r));
  assert_true(judge_list(any2(eq(1, I(20)), range(1, NONE, false, I(-20), true)), ls, &r));
  assert_false(judge_list(isnull(1, true), ls, &r));
  assert_true(judge_list(isnull(1, false), ls, &r));
  /* the other summaries say their fields hold only NULLs */
  assert_false(judge_list(eq(2, S("zz")), ls, &r));
  assert_true(judge_list(isnull(2, true), ls, &r));
  assert_true(judge_list(eq(6, I(1)), ls, &r));   /* void: nothing to project */
  /* only NULLs: no bounds */
  r = list_rec(ls, 0, NULL, NULL, true, 3);
  assert_false(judge_list(eq(1, I(1)), ls, &r));
  assert_false(judge_list(isnull(1, false), ls, &r));
  assert_true(judge_list(isnull(1, true), ls, &r));
  /* no live files */
  r = list_rec(ls, 0, &lo, &hi, true, 0);
  assert_false(judge_list(isnull(1, true), ls, &r));
  /* bucket summaries: [b, b] of id's bucket */
  ice_transform b16 = ice_transform_parse("bucket[16]");
  ice_type lt = {0};
  lt.kind = ICE_LONG;
  orb_value v = L(34), bv;
  assert_int_equal(ice_transform_apply(&b16, &lt, &v, &A, &bv, &e), ORB_OK);
  int32_t b = (int32_t)bv.u.i;
  r = list_rec(ls, 3, &b, &b, false, 1);
  assert_true(judge_list(eq(4, L(34)), ls, &r));
  int64_t other = 35;
  for (;; other++) {
    orb_value ov = L(other), ob;
    assert_int_equal(ice_transform_apply(&b16, &lt, &ov, &A, &ob, &e), ORB_OK);
    if (ob.u.i != b) break;
  }
  assert_false(judge_list(eq(4, L(other)), ls, &r));
  /* a summary list of the wrong length is not trusted */
  r.u.c.v[2].u.c.n = 6;
  assert_true(judge_list(eq(4, L(other)), ls, &r));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_truncate_projection), cmocka_unit_test(test_time_projection),
      cmocka_unit_test(test_bucket_null_void_nan), cmocka_unit_test(test_metrics),
      cmocka_unit_test(test_manifest_summaries),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
