#!/usr/bin/env bash
# parquet_file_metadata(), parquet_schema() and parquet_metadata() in OrbitQL
# give what DuckDB's functions of the same names give for the same files, and
# read_parquet's rows (of one file, a glob or a list) agree with DuckDB's
# (the columns both have; not file_offset, deprecated by the specification,
# which DuckDB 1.5 shows as NULL where the footer holds a number), and
# read_parquet's rows, flat and nested (structs, lists and maps as JSON text).
# usage: parquet_sql_test.sh ORBIT_SHELL
set -u
orbit=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
data=$root/../shared/fixtures/parquet-testing/data
[ -d "$root/tests/interop/node_modules/@duckdb" ] || { echo "DuckDB (npm) not installed: run test.sh"; exit 1; }
db=$(mktemp -d)
trap 'rm -rf "$db"' EXIT
queries=(
  "SELECT file_name, created_by, num_rows, num_row_groups FROM parquet_file_metadata('%s')"
  "SELECT name, type, type_length, repetition_type, num_children, converted_type, scale, precision, field_id FROM parquet_schema('%s')"
  "SELECT row_group_id, row_group_num_rows, row_group_num_columns, row_group_bytes, column_id, num_values, path_in_schema, type, stats_null_count, stats_distinct_count, compression, encodings, index_page_offset, dictionary_page_offset, data_page_offset, total_compressed_size, total_uncompressed_size, bloom_filter_offset, bloom_filter_length FROM parquet_metadata('%s') ORDER BY row_group_id, column_id"
)
# agrees SQL [DUCKDB_SQL [LABEL]]: SQL in Orbit gives the CSV that DUCKDB_SQL
# (SQL when not given) gives in DuckDB
agrees() {
  local want got
  want=$(cd "$root/tests/interop" && node duckdb_csv.mjs "${2:-$1}")
  got=$("$orbit" "$db/x" --csv -c "$1" 2>&1)
  n=$((n + 1))
  if [ "$want" != "$got" ]; then
    echo "FAIL${3:+ $3}: $1"; diff <(echo "$want") <(echo "$got") | head -6
    fails=$((fails + 1))
  fi
}
fails=0 n=0
for f in "$data"/alltypes_plain.parquet "$data"/nested_lists.snappy.parquet "$data"/data_index_bloom_encoding_stats.parquet \
         "$data"/fixed_length_decimal.parquet "$data"/delta_encoding_required_column.parquet "$data"/nonnullable.impala.parquet \
         "$data"/datapage_v2.snappy.parquet "$data"/byte_stream_split.zstd.parquet "$data"/lz4_raw_compressed.parquet; do
  [ -f "$f" ] || { echo "missing fixture $f"; fails=$((fails + 1)); continue; }
  for q in "${queries[@]}"; do
    sql=$(printf "$q" "$f")
    agrees "$sql" "$sql" "$(basename "$f")"
  done
done
# read_parquet: rows of flat files, through aggregates whose text both print alike
for q in \
  "SELECT count(*) AS n, sum(id) AS a, sum(int_col) AS b, sum(bigint_col) AS c, min(timestamp_col) AS d, max(timestamp_col) AS e FROM read_parquet('$data/alltypes_plain.parquet')" \
  "SELECT count(*) AS n, sum(id) AS a, min(timestamp_col) AS b, max(timestamp_col) AS c FROM read_parquet('$data/alltypes_plain.snappy.parquet')" \
  "SELECT count(*) AS n, sum(id) AS a, count(DISTINCT tinyint_col) AS b FROM read_parquet('$data/alltypes_dictionary.parquet')" \
  "SELECT count(*) AS n, sum(value) AS a, min(value) AS b, max(value) AS c FROM read_parquet('$data/int32_decimal.parquet')" \
  "SELECT count(*) AS n, sum(value) AS a, min(value) AS b, max(value) AS c FROM read_parquet('$data/fixed_length_decimal.parquet')" \
  "SELECT count(*) AS n, min(c_customer_id) AS a, max(c_customer_id) AS b, count(c_email_address) AS c FROM read_parquet('$data/delta_byte_array.parquet')" \
  "SELECT count(*) AS n, sum(bitwidth64) AS a, min(bitwidth64) AS b, max(bitwidth64) AS c FROM read_parquet('$data/delta_binary_packed.parquet')" \
  "SELECT id, bigint_col FROM read_parquet('$data/alltypes_plain.parquet') WHERE id > 5 ORDER BY id" \
  "SELECT count(*) AS n, sum(id) AS a, min(timestamp_col) AS b FROM read_parquet('$data/alltypes_plain*.parquet')" \
  "SELECT count(*) AS n, sum(id) AS a FROM read_parquet(['$data/alltypes_plain.parquet', '$data/alltypes_plain.snappy.parquet', '$data/alltypes_plain.parquet'])" \
  "SELECT file_name, num_rows FROM parquet_file_metadata('$data/alltypes_*.parquet') ORDER BY file_name" \
  "SELECT count(*) AS n FROM parquet_schema(['$data/alltypes_plain.parquet', '$data/int32_decimal.parquet'])"; do
  agrees "$q"
done
# aggregates over read_parquet (folded a batch of rows at a time) on a file
# DuckDB writes with NULLs in every column and several row groups
agg_file=$db/nulls.parquet
(cd "$root/tests/interop" && node duckdb_csv.mjs "COPY (SELECT CASE WHEN i % 7 = 0 THEN NULL ELSE i - 5000 END AS i, CASE WHEN i % 5 = 0 THEN NULL ELSE ((i % 100) * 0.5 + 0.25)::DOUBLE END AS f, CASE WHEN i % 4 = 0 THEN NULL ELSE (i % 100) * 0.5 END AS dd, CASE WHEN i % 3 = 0 THEN NULL ELSE TIMESTAMP '2020-01-01' + to_seconds(i * 7 % 10000) END AS ts, CASE WHEN i % 11 = 0 THEN NULL ELSE 'k' || (i * 13 % 1000) END AS s, (i % 50)::SMALLINT AS h FROM range(10000) r(i)) TO '$agg_file' (FORMAT parquet, ROW_GROUP_SIZE 2048)" > /dev/null)
for q in \
  "SELECT count(*) AS n, count(i) AS a, sum(i) AS b, min(i) AS c, max(i) AS d, sum(f) - 0.5 AS e, min(f) AS g, max(f) AS h, sum(dd) AS j, max(dd) AS jj, min(ts) AS k, max(ts) AS l, count(ts) AS m, min(s) AS o, max(s) AS p, sum(length(s)) AS q, sum(h) AS r, max(h) AS t FROM read_parquet('$agg_file')" \
  "SELECT count(*) AS n, sum(i) AS b, max(ts) AS c, sum(length(s)) AS d, min(s) AS e FROM read_parquet('$agg_file') WHERE i > 100" \
  "SELECT h % 3 AS g, count(*) AS n, sum(i) AS b, max(ts) AS c, min(s) AS d FROM read_parquet('$agg_file') GROUP BY h % 3 ORDER BY g" \
  "SELECT count(*) AS n, sum(i) AS a, min(ts) AS b FROM read_parquet('$agg_file') WHERE i IS NULL" \
  "SELECT count(*) AS n, sum(i + 1) AS a, max(i) AS b, min(f) AS c, sum(f) + 0.5 AS d FROM read_parquet(['$agg_file', '$agg_file'])"; do
  agrees "$q"
done
# statistics as values of the columns' types: every fixture DuckDB reads,
# except those where only the text of a value differs: DuckDB prints
# booleans as true/false and whole floats as 2.0 (Orbit: t/f and 2, as
# PostgreSQL does), shows unannotated BYTE_ARRAY as strings (Orbit: bytea,
# \x hex), and leaves out a NaN maximum that the file holds
text_differs=" alltypes_tiny_pages alltypes_tiny_pages_plain binary binary_truncated_min_max byte_stream_split_extended.gzip
  datapage_v2.snappy fixed_length_byte_array float16_nonzeros_and_nans float16_zeros_and_nans floating_orders_nan_count
  hadoop_lz4_compressed lz4_raw_compressed nan_in_stats nested_maps.snappy nested_structs.rust non_hadoop_lz4_compressed
  overflow_i16_page_cnt plain-dict-uncompressed-checksum rle-dict-snappy-checksum rle-dict-uncompressed-corrupt-checksum
  rle_boolean_encoding "
stats_files=0
for f in "$data"/*.parquet; do
  base=$(basename "$f" .parquet)
  case "$text_differs" in *" $base "* | *" $base"$'\n'*) continue ;; esac
  q="SELECT row_group_id, column_id, stats_min, stats_max, stats_min_value, stats_max_value FROM parquet_metadata('$f') ORDER BY row_group_id, column_id"
  want=$(cd "$root/tests/interop" && node duckdb_csv.mjs "$q")
  case "$want" in error*) continue ;; esac   # files DuckDB cannot read
  got=$("$orbit" "$db/x" --csv -c "$q" 2>&1)
  n=$((n + 1)) stats_files=$((stats_files + 1))
  if [ "$want" != "$got" ]; then
    echo "FAIL statistics of $base"; diff <(echo "$want") <(echo "$got") | head -6
    fails=$((fails + 1))
  fi
done
[ $stats_files -ge 40 ] || { echo "FAIL: statistics compared for only $stats_files files"; fails=$((fails + 1)); }
# errors DuckDB words alike; files whose columns differ are refused (DuckDB
# reads them by the first file's schema; Orbit has no union_by_name yet)
expect_error() {
  n=$((n + 1))
  got=$("$orbit" "$db/x" --csv -c "$1" 2>&1)
  case "$got" in *"$2"*) ;; *) echo "FAIL: $1 gave: $got"; fails=$((fails + 1)) ;; esac
}
expect_error "SELECT count(*) FROM read_parquet('$data/nosuch*.parquet')" "no files found that match the pattern \"$data/nosuch*.parquet\""
expect_error "SELECT count(*) FROM read_parquet(['$data/alltypes_plain.parquet', '$data/int32_decimal.parquet'])" \
  "the columns of \"$data/int32_decimal.parquet\" differ from those of \"$data/alltypes_plain.parquet\" (column 1)"
expect_error "SELECT count(*) FROM read_parquet([])" "read_parquet() needs at least one file"
expect_error "SELECT * FROM generate_series([1, 2])" "function generate_series does not take a list"
# read_parquet on files with nested fields: flat columns as before, a list of
# a primitive as an array (int_array: DuckDB's list spelled as PostgreSQL's
# array text), each struct, map or list of lists as TEXT holding its JSON,
# which DuckDB gives as to_json(column) (the same query, with
# to_json(x)::VARCHAR where Orbit has the column x)
pairs=(
  "SELECT id, int_array, \"int_array_Array\", int_map, \"int_Map_Array\", nested_struct FROM read_parquet('$data/nullable.impala.parquet') ORDER BY id"
  "SELECT id, CASE WHEN int_array IS NOT NULL THEN '{' || array_to_string(list_transform(int_array, x -> coalesce(x::VARCHAR, 'NULL')), ',') || '}' END AS int_array, to_json(\"int_array_Array\")::VARCHAR AS \"int_array_Array\", to_json(int_map)::VARCHAR AS int_map, to_json(\"int_Map_Array\")::VARCHAR AS \"int_Map_Array\", to_json(nested_struct)::VARCHAR AS nested_struct FROM read_parquet('$data/nullable.impala.parquet') ORDER BY id"
  "SELECT count(*) AS n, count(a) AS a, sum(b) AS b, min(c) AS c, max(a) AS d FROM read_parquet('$data/nested_maps.snappy.parquet')"
  "SELECT count(*) AS n, count(a) AS a, sum(b) AS b, min(c) AS c, max(to_json(a)::VARCHAR) AS d FROM read_parquet('$data/nested_maps.snappy.parquet')"
  "SELECT id, \"phoneNumbers\" FROM read_parquet('$data/repeated_no_annotation.parquet') WHERE \"phoneNumbers\" IS NOT NULL AND \"phoneNumbers\" <> '{\"phone\":[]}' ORDER BY id DESC"
  "SELECT id, to_json(\"phoneNumbers\")::VARCHAR AS \"phoneNumbers\" FROM read_parquet('$data/repeated_no_annotation.parquet') WHERE \"phoneNumbers\" IS NOT NULL AND to_json(\"phoneNumbers\")::VARCHAR <> '{\"phone\":[]}' ORDER BY id DESC"
  "SELECT int64_list[1] AS first, int64_list[3] AS third, cardinality(int64_list) AS n, utf8_list[2] AS second_text, array_to_string(utf8_list, '|', '?') AS joined FROM read_parquet('$data/list_columns.parquet') ORDER BY n NULLS LAST"
  "SELECT int64_list[1] AS first, int64_list[3] AS third, len(int64_list)::INTEGER AS n, utf8_list[2] AS second_text, array_to_string(list_transform(utf8_list, x -> coalesce(x, '?')), '|') AS joined FROM read_parquet('$data/list_columns.parquet') ORDER BY n NULLS LAST"
  "SELECT count(*) AS n FROM read_parquet('$data/list_columns.parquet') WHERE 3 = ANY(int64_list) OR 'xyz' = ANY(utf8_list)"
  "SELECT count(*) AS n FROM read_parquet('$data/list_columns.parquet') WHERE list_contains(int64_list, 3) OR list_contains(utf8_list, 'xyz')"
  "SELECT a, b FROM read_parquet('$data/nested_lists.snappy.parquet') ORDER BY b"
  "SELECT to_json(a)::VARCHAR AS a, b FROM read_parquet('$data/nested_lists.snappy.parquet') ORDER BY b"
)
for ((i = 0; i < ${#pairs[@]}; i += 2)); do
  agrees "${pairs[i]}" "${pairs[i + 1]}"
done
echo "parquet table functions: $((n - fails)) of $n queries agree with DuckDB"
[ $fails -eq 0 ]
