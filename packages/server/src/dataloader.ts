import DataLoader from 'dataloader';

/**
 * A per-request loader of rows by key: one query per batch, results put back
 * in the order asked, a missing row as null. Never shared across requests.
 */
export function loaderByKey<K extends string, V>(
  fetch: (keys: readonly K[]) => Promise<V[]>,
  keyOf: (row: V) => K,
): DataLoader<K, V | null> {
  return new DataLoader<K, V | null>(async (keys) => {
    const rows = await fetch(keys);
    const byKey = new Map(rows.map((row) => [keyOf(row), row] as const));
    return keys.map((key) => byKey.get(key) ?? null);
  });
}
