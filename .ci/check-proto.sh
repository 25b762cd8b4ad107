#!/usr/bin/env bash
# The generated protobuf code in src/proto/gen must be exactly what `buf generate` makes from
# src/proto/lakesync.proto. Regenerates into a temporary directory (with the local protoc-gen-es
# from node_modules/.bin, so no network is needed) and diffs. Exit 1 on any difference.
set -euo pipefail
cd "$(dirname "$0")/.."

buf=node_modules/.bin/buf
if [ ! -x "$buf" ] || [ ! -x node_modules/.bin/protoc-gen-es ]; then
  echo "check-proto: buf or protoc-gen-es missing from node_modules/.bin; run npm ci first" >&2
  exit 1
fi

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

"$buf" lint
"$buf" generate --output "$scratch"

if ! diff -ru src/proto/gen "$scratch/src/proto/gen"; then
  echo >&2
  echo "check-proto: src/proto/gen is stale: it differs from what src/proto/lakesync.proto generates." >&2
  echo "check-proto: run 'npm run proto' and commit src/proto/gen." >&2
  exit 1
fi
echo "proto check: src/proto/gen matches src/proto/lakesync.proto"
