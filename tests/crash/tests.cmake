# Crash test: a writer killed with SIGKILL at random moments loses nothing acknowledged.
add_executable(crash_test ${CMAKE_SOURCE_DIR}/tests/crash/crash_test.c)
target_link_libraries(crash_test PRIVATE orbit_static)
add_test(NAME crash_kill9 COMMAND crash_test 25)
