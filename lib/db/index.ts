import { MarginsDB } from './schema';

/**
 * The database of the extension's origin. The background writes it; extension pages read it live
 * (useLiveQuery). Content scripts never import this: their IndexedDB is the page's, not ours.
 */
export const db = new MarginsDB();
