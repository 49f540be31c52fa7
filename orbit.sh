#!/usr/bin/env bash
# Set up and run Orbit: installs the Debian packages it needs, builds it,
# and opens the interactive shell on an embedded database directory
# (default ./orbit.db, relative to where you run this).
# Extra arguments go to the shell: ./orbit.sh mydb -c "SELECT 1"
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
(
  cd "$here"
  ORBIT_WITH_NODE=0 scripts/install-deps.sh >&2
  cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build build -j"$(nproc)" >&2
)
[ $# -eq 0 ] && set -- orbit.db
exec "$here/build/orbit" "$@"
