#!/usr/bin/env bash
# `npm test` stage: the change policy. The catalog must keep the policy against the latest
# release in src/catalog/releases/ (a careless edit, such as a field removed without a MAJOR
# schema_version bump, fails the build here). The interop cross-checks with ajv and the
# cloudevents SDK (tests/node/interop.test.mjs) run with the other node:test suites in stage 20.
set -euo pipefail
cd "$(dirname "$0")/../.."

cli=${MSGEVENTS_CLI:-build/native/msgevents}
latest=$(ls src/catalog/releases/*.json | sort -V | tail -n 1)
echo "interop: msgevents compat $latest src/catalog/catalog.json"
if ! "$cli" compat "$latest" src/catalog/catalog.json; then
  echo "interop: the catalog breaks the change policy against $latest (see above)." >&2
  echo "interop: bump the event's schema_version as the policy says, or publish the change under a new event name." >&2
  exit 1
fi
