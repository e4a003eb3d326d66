#!/usr/bin/env bash
# The terminal tier: test/terminal/stop.test.ts starts `npm start` itself, on the emulators' fixed
# ports, so it runs in a private network namespace where it can (root: `unshare -n`), as the CI's
# emulator runs do. Extra arguments go to jest. STOP_REPEAT=10 for the ten-in-a-row check.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$PWD/node_modules/.bin:$PATH"
run='ip link set lo up; export TMPDIR=$(mktemp -d); exec jest --selectProjects terminal --runInBand "$@"'
if unshare -n true 2>/dev/null; then
  exec unshare -n bash -c "$run" bash "$@"
fi
echo "terminal: no private network namespace here (unshare -n needs root); using this machine's ports" >&2
exec jest --selectProjects terminal --runInBand "$@"
