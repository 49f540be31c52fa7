# orbitd end to end through psql/libpq (tests/server/server_test.sh).
add_test(NAME server_end_to_end COMMAND ${CMAKE_SOURCE_DIR}/tests/server/server_test.sh $<TARGET_FILE:orbitd>)
