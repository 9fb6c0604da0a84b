#!/usr/bin/env bash
# Dependency hygiene: fails on any high or critical advisory in the production
# dependencies. A registry without the audit endpoint (this project's build machines
# answer 405) is reported and tolerated; a found vulnerability never is.
set -uo pipefail
cd "$(dirname "$0")/.."

output=$(npm audit --omit=dev --audit-level=high 2>&1)
status=$?
echo "$output"
if [ $status -ne 0 ] && grep -qE 'audit endpoint returned an error|ENOAUDIT|audit endpoint (is )?unavailable' <<<"$output" && ! grep -qE '[0-9]+ (high|critical)' <<<"$output"; then
  echo "npm audit: the registry has no audit endpoint; advisories were NOT checked (run npm audit where registry.npmjs.org is reachable)" >&2
  exit 0
fi
exit $status
