/**
 * Reading many records by key from a table of one row per record (the aliases; annotations and papers
 * are in packs, see packs.ts). Chromium's IndexedDB answers a get in about 60 µs and reads a whole
 * table at about 25 µs a row (measured on v2's 50,000 annotation rows: 50,000 gets 4 s, getAll 1.2 s),
 * so past about 40% of a table one sequential read, picked over in memory, beats a get per key.
 */

/** The part of a Dexie table this needs (also what tests' fakes provide). */
export interface KeyedTable<T> {
  bulkGet(keys: string[]): Promise<(T | undefined)[]>;
  count(): Promise<number>;
  toArray(): Promise<T[]>;
}

/** Below this many keys, always get them one by one (no count, no whole-table read). */
const FEW_KEYS = 1_000;

/**
 * The records of `keys`, in their order (undefined where there is none). Run it inside a transaction
 * for a consistent answer. `total`: the table's size when the caller knows it (saves a count).
 */
export async function readByKeys<T>(table: KeyedTable<T>, keys: string[], keyOf: (row: T) => string, total?: number): Promise<(T | undefined)[]> {
  if (keys.length < FEW_KEYS) return table.bulkGet(keys);
  const size = total ?? (await table.count());
  if (keys.length * 5 < size * 2) return table.bulkGet(keys);
  const byKey = new Map<string, T>();
  for (const row of await table.toArray()) byKey.set(keyOf(row), row);
  return keys.map((k) => byKey.get(k));
}
