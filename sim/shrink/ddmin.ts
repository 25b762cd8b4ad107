/**
 * Delta debugging (Zeller's ddmin, complement variant): removes chunks of `items` — halves, then
 * quarters, eighths, … single items — keeping each removal after which `stillFails` holds. The
 * result is 1-minimal when the budget lasts: removing any single remaining item no longer fails.
 * Deterministic: chunks are tried first to last, and the order of `items` is preserved.
 *
 * `stillFails` receives the items to keep. `minimumKept` stops the search from removing below a
 * floor (e.g. a plan needs at least one client). `stopped` lets the caller end the search when its
 * run budget is spent.
 */
export async function ddmin<T>(
  items: readonly T[],
  stillFails: (kept: readonly T[]) => Promise<boolean>,
  options: { readonly minimumKept?: number; readonly stopped?: () => boolean } = {},
): Promise<T[]> {
  const minimumKept = options.minimumKept ?? 0;
  const stopped = options.stopped ?? (() => false);
  let current = [...items];
  if (current.length > minimumKept && minimumKept === 0 && (await stillFails([]))) return [];
  let granularity = 2;
  while (current.length > minimumKept && !stopped()) {
    const chunkSize = Math.ceil(current.length / granularity);
    let reduced = false;
    for (let start = 0; start < current.length && !stopped(); start += chunkSize) {
      const candidate = [...current.slice(0, start), ...current.slice(start + chunkSize)];
      if (candidate.length < minimumKept || candidate.length === current.length) continue;
      if (await stillFails(candidate)) {
        current = candidate;
        granularity = Math.max(granularity - 1, 2);
        reduced = true;
        break;
      }
    }
    if (reduced) continue;
    if (chunkSize <= 1) break;
    granularity = Math.min(current.length, granularity * 2);
  }
  return current;
}
