#!/usr/bin/env bash
# `npm test` stage: the change policy. The catalog must keep the policy, in BACKWARD mode, against
# every release in src/catalog/releases/ (BACKWARD_TRANSITIVE: a careless edit, such as a required
# field added without a MAJOR schema_version bump, fails the build here). `npm run release`
# snapshots the catalog as a new release once this check passes. The interop cross-checks with ajv and the
# cloudevents SDK (tests/node/interop.test.mjs) run with the other node:test suites in stage 20.
set -euo pipefail
cd "$(dirname "$0")/../.."

cli=${MSGEVENTS_CLI:-build/native/msgevents}
echo "interop: msgevents compat --mode backward --transitive --releases src/catalog/releases src/catalog/catalog.json"
if ! "$cli" compat --mode backward --transitive --releases src/catalog/releases src/catalog/catalog.json; then
  echo "interop: the catalog breaks the change policy against a release in src/catalog/releases/ (see above)." >&2
  echo "interop: bump the event's schema_version as the policy says (msgevents compat --policy), or publish the change under a new event name." >&2
  exit 1
fi
