import { openDB } from 'idb';

const DATABASE = 'lakesync-todo-identity';
const STORE = 'identity';
const KEY = 'clientId';

/**
 * This browser profile's client id, created on first use and kept in IndexedDB. Every tab of the
 * origin must use the same one (they share one outbox, and the gateway orders one client's
 * writes), so the id is read-or-created in one readwrite transaction: two tabs opening at once
 * both end up with whichever id was stored first.
 */
export async function loadClientId(candidate: () => string): Promise<string> {
  const db = await openDB(DATABASE, 1, {
    upgrade(database) {
      database.createObjectStore(STORE);
    },
  });
  try {
    const tx = db.transaction(STORE, 'readwrite', { durability: 'strict' });
    const store = tx.objectStore(STORE);
    const stored: unknown = await store.get(KEY);
    let clientId: string;
    if (typeof stored === 'string' && stored.length > 0) {
      clientId = stored;
    } else {
      clientId = candidate();
      await store.put(clientId, KEY);
    }
    await tx.done;
    return clientId;
  } finally {
    db.close();
  }
}
