# Benchmark programs: each prints Orbit's figures beside a peer's from the same run.
find_library(SQLITE3_LIB sqlite3)
if(SQLITE3_LIB)
  add_executable(bench_hot ${CMAKE_SOURCE_DIR}/bench/bench_hot.c)
  target_link_libraries(bench_hot PRIVATE orbit_static ${SQLITE3_LIB})
endif()
# Parquet writes and reads against DuckDB: bench/bench_parquet.sh drives it.
add_executable(bench_parquet ${CMAKE_SOURCE_DIR}/bench/bench_parquet.c)
target_link_libraries(bench_parquet PRIVATE orbit_static)
target_include_directories(bench_parquet PRIVATE ${CMAKE_SOURCE_DIR}/src)
# Appends to a cold (Iceberg) table against DuckDB writing Parquet: bench/bench_cold_append.sh drives it.
add_executable(bench_cold_append ${CMAKE_SOURCE_DIR}/bench/bench_cold_append.c)
target_link_libraries(bench_cold_append PRIVATE orbit_static)
target_include_directories(bench_cold_append PRIVATE ${CMAKE_SOURCE_DIR}/src)
# count(*) on Iceberg tables of 1 and many data files against DuckDB: bench/bench_cold_count.sh drives it.
add_executable(bench_cold_count ${CMAKE_SOURCE_DIR}/bench/bench_cold_count.c)
target_link_libraries(bench_cold_count PRIVATE orbit_static)
target_include_directories(bench_cold_count PRIVATE ${CMAKE_SOURCE_DIR}/src ${CMAKE_SOURCE_DIR}/include)
