/**
 * Delta debugging (after Zeller's ddmin, complement variant): removes chunks of `items` — halves,
 * then quarters, eighths, … single items — keeping each removal after which `stillFails` holds.
 * After a kept removal the scan goes on from the same place with the same chunk size rather than
 * starting over, so chunks already known to be needed are not tried again in that pass (the
 * classic restart spends most of its runs re-testing them). The result is 1-minimal when the
 * budget lasts: the last pass removed single items and found none it could remove.
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
  let chunkSize = Math.max(1, Math.ceil(current.length / 2));
  while (current.length > minimumKept && !stopped()) {
    let reduced = false;
    let start = 0;
    while (start < current.length && !stopped()) {
      const candidate = [...current.slice(0, start), ...current.slice(start + chunkSize)];
      const allowed = candidate.length >= minimumKept && candidate.length < current.length;
      if (allowed && (await stillFails(candidate))) {
        current = candidate;
        reduced = true;
      } else {
        start += chunkSize;
      }
    }
    if (!reduced && chunkSize <= 1) break;
    if (chunkSize > 1) chunkSize = Math.ceil(chunkSize / 2);
    chunkSize = Math.min(chunkSize, Math.max(1, Math.ceil(current.length / 2)));
  }
  return current;
}
