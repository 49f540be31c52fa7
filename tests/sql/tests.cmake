# SQL logic tests: tests/sql/*.test run by tests/sql/runner.c, one ctest entry per file.
add_executable(sqllogictest ${CMAKE_SOURCE_DIR}/tests/sql/runner.c)
target_link_libraries(sqllogictest PRIVATE orbit_static)
file(GLOB ORBIT_SQL_TESTS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/sql/*.test)
foreach(t ${ORBIT_SQL_TESTS})
  get_filename_component(name ${t} NAME_WE)
  add_test(NAME sql_${name} COMMAND sqllogictest ${t} WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
endforeach()
