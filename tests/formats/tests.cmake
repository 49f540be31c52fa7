# Parquet footers compared with DuckDB's reading of the fixtures.
add_executable(pq_meta_dump ${CMAKE_SOURCE_DIR}/tests/formats/pq_meta_dump.c)
target_link_libraries(pq_meta_dump PRIVATE orbit_static)
target_include_directories(pq_meta_dump PRIVATE ${CMAKE_SOURCE_DIR}/src)
add_test(NAME parquet_footers COMMAND ${CMAKE_SOURCE_DIR}/tests/formats/parquet_meta_test.sh $<TARGET_FILE:pq_meta_dump>)
# parquet_schema() and friends in OrbitQL against DuckDB's functions of the same names.
add_test(NAME parquet_sql_functions COMMAND ${CMAKE_SOURCE_DIR}/tests/formats/parquet_sql_test.sh $<TARGET_FILE:orbit_shell>)
# Every page of every fixture: headers, CRC32, each codec (tests/formats/parquet_pages_test.sh).
add_executable(pq_pages_check ${CMAKE_SOURCE_DIR}/tests/formats/pq_pages_check.c)
target_link_libraries(pq_pages_check PRIVATE orbit_static)
add_test(NAME parquet_pages COMMAND ${CMAKE_SOURCE_DIR}/tests/formats/parquet_pages_test.sh $<TARGET_FILE:pq_pages_check>)
# Values of flat columns against DuckDB's reading (tests/formats/parquet_values_test.sh).
add_executable(pq_values_dump ${CMAKE_SOURCE_DIR}/tests/formats/pq_values_dump.c)
target_link_libraries(pq_values_dump PRIVATE orbit_static m)
add_test(NAME parquet_values COMMAND ${CMAKE_SOURCE_DIR}/tests/formats/parquet_values_test.sh $<TARGET_FILE:pq_values_dump>)
# The writer: files of every type, codec and encoding read back by DuckDB and by us (parquet_write_test.sh).
add_executable(pq_write_check ${CMAKE_SOURCE_DIR}/tests/formats/pq_write_check.c)
target_link_libraries(pq_write_check PRIVATE orbit_static m)
add_test(NAME parquet_write COMMAND ${CMAKE_SOURCE_DIR}/tests/formats/parquet_write_test.sh $<TARGET_FILE:pq_write_check>)
# COPY ... TO (FORMAT parquet) read by DuckDB (tests/formats/parquet_copy_test.sh).
add_test(NAME parquet_copy COMMAND ${CMAKE_SOURCE_DIR}/tests/formats/parquet_copy_test.sh $<TARGET_FILE:orbit_shell>)
# Nested fields (structs, lists, maps) against DuckDB's to_json (tests/formats/parquet_nested_test.sh).
add_executable(pq_nested_dump ${CMAKE_SOURCE_DIR}/tests/formats/pq_nested_dump.c)
target_link_libraries(pq_nested_dump PRIVATE orbit_static m)
add_test(NAME parquet_nested COMMAND ${CMAKE_SOURCE_DIR}/tests/formats/parquet_nested_test.sh $<TARGET_FILE:pq_nested_dump>)
# WHERE on read_parquet prunes groups and pages; answers equal DuckDB's (tests/formats/parquet_prune_sql_test.sh).
add_test(NAME parquet_prune_sql COMMAND ${CMAKE_SOURCE_DIR}/tests/formats/parquet_prune_sql_test.sh $<TARGET_FILE:orbit_shell>)
# read_parquet's column batches (filters, aggregates) print what the row path prints for the same rows (tests/formats/parquet_vector_test.sh).
add_test(NAME parquet_vector COMMAND ${CMAKE_SOURCE_DIR}/tests/formats/parquet_vector_test.sh $<TARGET_FILE:orbit_shell>)
