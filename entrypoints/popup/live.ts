/**
 * What the popup reads from the database, live. Loaded after the first rows are on screen (the rows come
 * from the tab's answer): the database code is a third of the popup's script and the reader should not wait for it.
 */
import { liveQuery } from 'dexie';
import { db } from '@/lib/db';
import { starredCount } from '@/lib/db/queries';
import { getViews, listTags } from '@/lib/db/repository';
import type { AnnotationView } from '@/lib/model';

export interface Subscribable<T> {
  subscribe(next: (value: T) => void): { unsubscribe(): void };
}

const observe = <T>(query: () => Promise<T>): Subscribable<T> => ({
  subscribe: (next) => liveQuery(query).subscribe({ next }),
});

export const popupLive = {
  views: (ids: string[]): Subscribable<Record<string, AnnotationView>> => observe(() => getViews(db, ids)),
  starredTotal: (): Subscribable<number> => observe(() => starredCount(db)),
  tagColors: (): Subscribable<Record<string, string | undefined>> =>
    observe(async () => Object.fromEntries((await db.tagMeta.toArray()).map((t) => [t.name, t.color]))),
  tagNames: (): Subscribable<string[]> => observe(async () => (await listTags(db)).map((t) => t.name)),
};

export type PopupLive = typeof popupLive;
