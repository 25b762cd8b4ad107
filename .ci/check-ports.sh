#!/usr/bin/env bash
# Nothing in src/ may read ambient time or randomness except src/ports/system.ts: no Date.now,
# new Date() without arguments, Math.random, performance.now, randomUUID, and no global
# setTimeout/setInterval. Calls through the Timers port (`timers.setTimeout(...)`) and methods
# that implement it are fine. Tests beside the code (__tests__) are exempt.
set -euo pipefail
cd "$(dirname "$0")/.."
pattern='Date\.now\(|Math\.random\(|performance\.now\(|randomUUID\(|new Date\(\)|(^|[^.#[:alnum:]_])(setTimeout|setInterval)\('
hits=$(grep -rnE "$pattern" src --include='*.ts' \
  | grep -v '/__tests__/' \
  | grep -v '^src/ports/system.ts:' \
  | grep -v '^src/proto/gen/' \
  | grep -vE '^[^:]+:[0-9]+:\s+(setTimeout|setInterval)\(.*\): *[A-Za-z]+(;| \{)$' \
  || true)
if [ -n "$hits" ]; then
  echo "Ambient time or randomness in src/ outside src/ports/system.ts:" >&2
  echo "$hits" >&2
  exit 1
fi
echo "ports check: src/ reads time and randomness only through src/ports/system.ts"
