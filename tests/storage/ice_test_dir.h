/*
** tests/storage/ice_test_dir.h — scratch folders for the Iceberg C tests
** (test_ice_write.c, test_ice_delete.c, test_ice_maint.c): a fresh table
** folder under /tmp, its removal, and counting the files a step left
** behind (the tests compare counts before and after to prove a failed
** commit or a cleanup left exactly what it should).  Include after
** <cmocka.h>: failures are cmocka assertions.
*/
#ifndef ORB_TESTS_ICE_TEST_DIR_H
#define ORB_TESTS_ICE_TEST_DIR_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A new empty folder /tmp/orbit-<tag>-XXXXXX (strdup'd: free it). */
static inline char *ice_test_tmpdir(const char *tag) {
  char tmpl[128];
  snprintf(tmpl, sizeof tmpl, "/tmp/orbit-%s-XXXXXX", tag);
  char *dir = mkdtemp(tmpl);
  assert_non_null(dir);
  return strdup(dir);
}

static inline void ice_test_rmrf(const char *dir) {
  char cmd[512];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  assert_int_equal(system(cmd), 0);
}

/* Regular files under dir (sub NULL) or dir/sub, recursively. */
static inline int ice_test_count_files(const char *dir, const char *sub) {
  char cmd[700];
  snprintf(cmd, sizeof cmd, "find '%s%s%s' -type f | wc -l", dir, sub ? "/" : "", sub ? sub : "");
  FILE *f = popen(cmd, "r");
  assert_non_null(f);
  int n = -1;
  assert_int_equal(fscanf(f, "%d", &n), 1);
  pclose(f);
  return n;
}

#endif
