# The shell end to end (tests/shell/shell_test.sh drives the built `orbit`).
add_test(NAME shell_end_to_end COMMAND ${CMAKE_SOURCE_DIR}/tests/shell/shell_test.sh $<TARGET_FILE:orbit_shell>)
