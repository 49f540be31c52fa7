# orbitd end to end through psql/libpq (tests/server/server_test.sh).
add_test(NAME server_end_to_end COMMAND ${CMAKE_SOURCE_DIR}/tests/server/server_test.sh $<TARGET_FILE:orbitd>)
pkg_check_modules(LIBPQ IMPORTED_TARGET libpq)
if(LIBPQ_FOUND)
  add_executable(libpq_client ${CMAKE_SOURCE_DIR}/tests/server/libpq_client.c)
  target_link_libraries(libpq_client PRIVATE PkgConfig::LIBPQ)
  set_property(TEST server_end_to_end APPEND PROPERTY ENVIRONMENT "ORBIT_LIBPQ_CLIENT=$<TARGET_FILE:libpq_client>")
endif()
# psql's \d NAME and friends on orbitd, compared with a PostgreSQL 15 started by the test
add_test(NAME server_describe COMMAND ${CMAKE_SOURCE_DIR}/tests/server/describe_test.sh $<TARGET_FILE:orbitd>)
if(LIBPQ_FOUND)
  set_property(TEST server_describe APPEND PROPERTY ENVIRONMENT "ORBIT_LIBPQ_CLIENT=$<TARGET_FILE:libpq_client>")
endif()
# JDBC (Debian's pgjdbc) on orbitd: SCRAM, metadata, typed parameters in text and binary, batches, transactions
add_test(NAME server_jdbc COMMAND ${CMAKE_SOURCE_DIR}/tests/server/jdbc_test.sh $<TARGET_FILE:orbitd>)
set_tests_properties(server_jdbc PROPERTIES SKIP_RETURN_CODE 77)
# regexp_match / regexp_replace / regexp_count / regexp_split_to_array / ~ over ~4,400
# (string, pattern, flags) cases on orbitd and on a PostgreSQL 15 started by the test: the same output
add_test(NAME server_regex_diff COMMAND ${CMAKE_SOURCE_DIR}/tests/server/regex_diff_test.sh $<TARGET_FILE:orbitd> 3000)
# a PostgreSQL 15 database moved with pg_dump's plain script: restored by the shell and by psql through orbitd
add_test(NAME server_pg_dump COMMAND ${CMAKE_SOURCE_DIR}/tests/server/pg_dump_test.sh $<TARGET_FILE:orbit_shell> $<TARGET_FILE:orbitd>)
# idle_in_transaction_session_timeout / idle_session_timeout: FATAL 25P03 / 57P05, the waiter on the
# ended session's row goes on; the settings from -c, --name=value and orbitd.conf
add_test(NAME server_idle_timeout COMMAND ${CMAKE_SOURCE_DIR}/tests/server/idle_timeout_test.sh $<TARGET_FILE:orbitd>)
