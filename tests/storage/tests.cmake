# Iceberg table metadata of every iceberg-trino fixture table, compared with
# python3's json reading of the same files; writer round trip; commits.
add_executable(ice_meta_dump ${CMAKE_SOURCE_DIR}/tests/storage/ice_meta_dump.c)
target_link_libraries(ice_meta_dump PRIVATE orbit_static)
add_test(NAME iceberg_metadata COMMAND python3 ${CMAKE_SOURCE_DIR}/tests/storage/ice_meta_test.py $<TARGET_FILE:ice_meta_dump>)
