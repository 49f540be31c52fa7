# Iceberg table metadata of every iceberg-trino fixture table, compared with
# python3's json reading of the same files; writer round trip; commits.
add_executable(ice_meta_dump ${CMAKE_SOURCE_DIR}/tests/storage/ice_meta_dump.c)
target_link_libraries(ice_meta_dump PRIVATE orbit_static)
add_test(NAME iceberg_metadata COMMAND python3 ${CMAKE_SOURCE_DIR}/tests/storage/ice_meta_test.py $<TARGET_FILE:ice_meta_dump>)
# iceberg_scan() over every iceberg-trino fixture: rows from create.sql, DuckDB over the data files,
# deletes, time travel, schema evolution by field id (tests/storage/iceberg_read_test.py).
add_test(NAME iceberg_read COMMAND python3 ${CMAKE_SOURCE_DIR}/tests/storage/iceberg_read_test.py $<TARGET_FILE:orbit_shell>)
# Iceberg tables as SQL tables: CREATE EXTERNAL TABLE over every iceberg-trino fixture equals
# iceberg_scan and create.sql, read-only errors, time travel, SHOW SNAPSHOTS, reopen, DROP detaches,
# following another writer's commit (tests/storage/iceberg_tables_test.py).
add_test(NAME iceberg_tables COMMAND python3 ${CMAKE_SOURCE_DIR}/tests/storage/iceberg_tables_test.py $<TARGET_FILE:orbit_shell> $<TARGET_FILE:orbitd>)
# Filters pushed into Iceberg scan planning: partition summaries, partition values through each
# transform, column bounds; rows against the unpruned filter, skip counts, COUNT(*) from metadata.
add_test(NAME iceberg_prune COMMAND python3 ${CMAKE_SOURCE_DIR}/tests/storage/iceberg_prune_test.py $<TARGET_FILE:orbit_shell>)
# Iceberg tables Orbit writes, checked by avsc (every manifest list and
# manifest: field ids, types, record names, header keys, counts) and DuckDB
# (every data file: field ids, rows, metrics and bounds), icebird (the whole
# table), and our own pruned scan's counts under filters.
add_executable(ice_write_tool ${CMAKE_SOURCE_DIR}/tests/storage/ice_write_tool.c)
target_link_libraries(ice_write_tool PRIVATE orbit_static)
add_test(NAME iceberg_write_interop COMMAND python3 ${CMAKE_SOURCE_DIR}/tests/storage/iceberg_write_test.py $<TARGET_FILE:ice_write_tool>
         $<TARGET_FILE:orbit_shell>)
# The database's own Iceberg tables through SQL (CREATE TABLE ... USING iceberg, INSERT, COPY,
# time travel, reopen, errors, DROP), rows checked against DuckDB reading the data files.
add_test(NAME iceberg_owned COMMAND python3 ${CMAKE_SOURCE_DIR}/tests/storage/iceberg_owned_test.py $<TARGET_FILE:orbit_shell>)
# DELETE and UPDATE on the database's own Iceberg tables (position delete files): every statement
# against a hot table and PostgreSQL 15, the files through avsc and DuckDB, the rows through icebird
# (tests/storage/iceberg_delete_test.py, tests/interop/iceberg_delete_check.mjs).
add_test(NAME iceberg_delete COMMAND python3 ${CMAKE_SOURCE_DIR}/tests/storage/iceberg_delete_test.py $<TARGET_FILE:orbit_shell>)
# Schema and partition-spec evolution of the database's own Iceberg tables (ALTER TABLE): rows
# against a hot twin, metadata versions read back, files checked with avsc, DuckDB and icebird,
# reopen, reconciliation with Iceberg, errors and SQLSTATEs over orbitd/psql.
add_test(NAME iceberg_evolve COMMAND python3 ${CMAKE_SOURCE_DIR}/tests/storage/iceberg_evolve_test.py $<TARGET_FILE:orbit_shell> $<TARGET_FILE:orbitd>)
# Iceberg maintenance through SQL: CALL expire_snapshots / remove_orphan_files / rewrite_data_files and
# VACUUM: exactly the right snapshots and files, debris of a SIGKILLed writer removed and nothing live,
# compaction after deletes; icebird, avsc and DuckDB read the table after each operation.
add_test(NAME iceberg_maint COMMAND python3 ${CMAKE_SOURCE_DIR}/tests/storage/iceberg_maint_test.py $<TARGET_FILE:orbit_shell>)
# INSERT, COPY, DELETE and UPDATE of owned Iceberg tables inside transaction
# blocks: staged, one snapshot per table at COMMIT, nothing on ROLLBACK
# (tests/storage/iceberg_txn_test.py; two sessions in tests/txn/test_isolation.c).
add_test(NAME iceberg_txn COMMAND python3 ${CMAKE_SOURCE_DIR}/tests/storage/iceberg_txn_test.py $<TARGET_FILE:orbit_shell>)
# ALTER TABLE of owned Iceberg tables inside transaction blocks: published with the block's rows in one
# metadata file, nothing on ROLLBACK, 40001 when another writer changed the schema meanwhile; avsc, DuckDB
# and icebird read the result (tests/storage/iceberg_txn_alter_test.py; the block's view: tests/sql/iceberg_txn_ddl.test).
add_test(NAME iceberg_txn_alter COMMAND python3 ${CMAKE_SOURCE_DIR}/tests/storage/iceberg_txn_alter_test.py $<TARGET_FILE:orbit_shell> $<TARGET_FILE:orbitd>)
# Column batches over Iceberg tables (iceberg_scan, USING iceberg, EXTERNAL) against the row path of
# a hot copy, and read_parquet: evolved schemas, position and equality deletes, partition values,
# the iceberg-trino fixtures; same results and errors, same EXPLAIN ANALYZE counters
# (tests/storage/iceberg_vector_test.py; the reader's two paths directly: test_ice_read_vec).
add_test(NAME iceberg_vector COMMAND python3 ${CMAKE_SOURCE_DIR}/tests/storage/iceberg_vector_test.py $<TARGET_FILE:orbit_shell>)
# Array columns in the database's own Iceberg tables against a hot twin table; the metadata's list
# types and ids, the manifests' metrics (avsc), DuckDB over the data files, icebird over the table
# (tests/storage/iceberg_array_test.py, tests/interop/iceberg_list_rows.mjs).
add_test(NAME iceberg_array COMMAND python3 ${CMAKE_SOURCE_DIR}/tests/storage/iceberg_array_test.py $<TARGET_FILE:orbit_shell>)
