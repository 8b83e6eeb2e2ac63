import Dexie from 'dexie';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MarginsDB } from '@/lib/db/schema';
import { handleMessage } from '@/lib/messaging/handler';
import type { AnnotationView } from '@/lib/model';
import { DEFAULT_SETTINGS } from '@/lib/settings';

let db: MarginsDB;
let pushed: AnnotationView[][];
const deps = () => ({ db, broadcast: (s: AnnotationView[]) => pushed.push(s), readSettings: async () => DEFAULT_SETTINGS });
const contentScript = { fromExtensionPage: false };
const extensionPage = { fromExtensionPage: true };

const paper = {
  id: 'arxiv:2607.21247',
  title: 'A title',
  authors: ['A. Author'],
  links: { abs: 'https://arxiv.org/abs/2607.21247' },
  site: 'arxiv',
};

async function dump() {
  return {
    papers: await db.paperStore.toArray(),
    annotations: await db.annotationStore.toArray(),
    aliases: await db.aliases.toArray(),
  };
}

beforeEach(async () => {
  db = new MarginsDB(`handler-${Math.random()}`);
  await db.open();
  pushed = [];
});
afterEach(async () => {
  db.close();
  await Dexie.delete(db.name);
});

describe('background message handler', () => {
  it('stores a star with the paper and tells the tabs', async () => {
    const reply = await handleMessage(deps(), { type: 'annotations.edit', edits: [{ id: paper.id, paper, star: true }] }, contentScript);
    expect(reply.ok).toBe(true);
    expect((await db.paperStore.get(paper.id))?.title).toBe('A title');
    expect((await db.annotationStore.get(paper.id))?.starred).toBe(1);
    expect(pushed.flat().map((v) => [v.id, v.starred])).toEqual([[paper.id, true]]);
  });

  const hostile: [string, unknown][] = [
    ['no type', { edits: [] }],
    ['unknown type', { type: 'db.drop' }],
    ['wrong field type', { type: 'annotations.edit', edits: [{ id: paper.id, star: 'yes' }] }],
    ['not a canonical id', { type: 'annotations.edit', edits: [{ id: 'arxiv:2301.00001v2', star: true }] }],
    ['an id that is not an id', { type: 'annotations.edit', edits: [{ id: '<img src=x onerror=alert(1)>', star: true }] }],
    ['unknown field', { type: 'annotations.edit', edits: [{ id: paper.id, star: true, admin: true }] }],
    ['a 10 MB title', { type: 'annotations.edit', edits: [{ id: paper.id, star: true, paper: { ...paper, title: 'x'.repeat(10_000_000) } }] }],
    ['a javascript: link', { type: 'annotations.edit', edits: [{ id: paper.id, star: true, paper: { ...paper, links: { abs: 'javascript:alert(1)' } } }] }],
    ['a category that is not an arXiv category', { type: 'annotations.edit', edits: [{ id: paper.id, star: true, paper: { ...paper, category: 'Computation and Language (cs.CL)' } }] }],
    ['a category with markup', { type: 'annotations.edit', edits: [{ id: paper.id, star: true, paper: { ...paper, category: 'cs.<b>CL</b>' } }] }],
    ['a 10 kB category', { type: 'annotations.edit', edits: [{ id: paper.id, star: true, paper: { ...paper, category: `cs.${'a'.repeat(10_000)}` } }] }],
    ['too many authors', { type: 'annotations.edit', edits: [{ id: paper.id, star: true, paper: { ...paper, authors: Array(501).fill('a') } }] }],
    ['too many cards', { type: 'cards.report', listing: true, cards: Array.from({ length: 2001 }, () => ({ id: paper.id })) }],
    ['a __proto__ key', JSON.parse('{"type":"annotations.edit","edits":[{"id":"arxiv:2607.21247","star":true,"__proto__":{"x":1}}]}')],
    ['null', null],
    ['a string', 'annotations.edit'],
    ['a huge message', { type: 'annotations.edit', edits: [{ id: paper.id, note: 'n'.repeat(13_000_000) }] }],
  ];

  it.each(hostile)('rejects %s from a content script and writes nothing', async (_name, message) => {
    const before = await dump();
    const reply = await handleMessage(deps(), message, contentScript);
    expect(reply.ok).toBe(false);
    if (!reply.ok) expect(reply.error).toMatch(/Rejected|only allowed/);
    expect(await dump()).toEqual(before);
    expect(pushed).toEqual([]);
  });

  it('stores the arXiv category a page shows; a page that shows none keeps it, one that shows another replaces it', async () => {
    const edit = (p: object, star: boolean) => handleMessage(deps(), { type: 'annotations.edit', edits: [{ id: paper.id, paper: p, star }] }, contentScript);
    expect((await edit({ ...paper, category: 'cond-mat.mes-hall' }, true)).ok).toBe(true);
    expect((await db.paperStore.get(paper.id))?.category).toBe('cond-mat.mes-hall');
    expect((await edit({ ...paper, site: 'huggingface' }, false)).ok).toBe(true); // Hugging Face shows no category
    expect((await db.paperStore.get(paper.id))?.category).toBe('cond-mat.mes-hall');
    expect((await edit({ ...paper, category: 'hep-th' }, true)).ok).toBe(true);
    expect((await db.paperStore.get(paper.id))?.category).toBe('hep-th');
  });

  it('never lets a tag named __proto__ reach an annotation\'s tag object', async () => {
    const reply = await handleMessage(deps(), { type: 'annotations.edit', edits: [{ id: paper.id, paper, addTags: ['__proto__', 'ok'] }] }, contentScript);
    expect(reply.ok).toBe(true);
    const a = await db.annotationStore.get(paper.id);
    expect(a?.tagList).toEqual(['ok']);
    expect(Object.getPrototypeOf(a!.tags)).toBe(Object.prototype);
    expect(Object.keys(a!.tags)).toEqual(['ok']);
  });

  it('refuses library-wide operations from content scripts, allows them from our pages', async () => {
    await handleMessage(deps(), { type: 'annotations.edit', edits: [{ id: paper.id, paper, addTags: ['rl'] }] }, contentScript);
    const denied = await handleMessage(deps(), { type: 'tags.delete', tag: 'rl' }, contentScript);
    expect(denied).toEqual({ ok: false, error: expect.stringMatching(/only allowed from Margins' own pages/) });
    expect((await db.annotationStore.get(paper.id))?.tagList).toEqual(['rl']);
    const allowed = await handleMessage(deps(), { type: 'tags.rename', from: 'rl', to: 'reinforcement learning' }, extensionPage);
    expect(allowed).toMatchObject({ ok: true, data: { changed: 1 } });
    const a = await db.annotationStore.get(paper.id);
    expect(a?.tagList).toEqual(['reinforcement-learning']);
    expect(a?.tags.rl.v).toBe(false); // the old name is a tombstone, so the rename syncs
  });

  it('pushes to the tabs what each paper of a library-wide change shows now, and only those papers', async () => {
    const other = { ...paper, id: 'arxiv:2607.21497' };
    const third = { ...paper, id: 'arxiv:2607.21498' };
    await handleMessage(
      deps(),
      { type: 'annotations.edit', edits: [{ id: paper.id, paper, addTags: ['rl'] }, { id: other.id, paper: other, addTags: ['rl', 'nlp'] }, { id: third.id, paper: third, star: true }] },
      contentScript,
    );
    pushed = [];
    await handleMessage(deps(), { type: 'tags.rename', from: 'rl', to: 'agents' }, extensionPage);
    expect(pushed.flat().map((v) => [v.id, v.tags]).sort()).toEqual([
      [paper.id, ['agents']],
      [other.id, ['agents', 'nlp']],
    ]);
    pushed = [];
    const bulk = await handleMessage(deps(), { type: 'papers.bulkEdit', ids: [paper.id, third.id], star: true }, extensionPage);
    expect(bulk).toMatchObject({ ok: true, data: { changed: 1 } });
    expect(pushed.flat().map((v) => [v.id, v.starred])).toEqual([[paper.id, true]]);
    pushed = [];
    const before = (bulk.ok ? (bulk.data as { before: AnnotationView[] }).before : []);
    await handleMessage(deps(), { type: 'annotations.restore', views: before }, extensionPage);
    expect(pushed.flat().map((v) => [v.id, v.starred])).toEqual([[paper.id, false]]);
  });

  it('answers a scan with states and first-seen times, and records listings as seen', async () => {
    await handleMessage(deps(), { type: 'annotations.edit', edits: [{ id: paper.id, paper, star: true }] }, contentScript);
    const reply = await handleMessage(
      deps(),
      { type: 'cards.report', listing: true, cards: [{ id: paper.id }, { id: 'arxiv:2607.21497' }] },
      contentScript,
    );
    if (!reply.ok) throw new Error(reply.error);
    const data = reply.data as { states: Record<string, AnnotationView>; firstSeen: Record<string, number> };
    expect(data.states[paper.id].starred).toBe(true);
    // A paper with nothing on it is left out of the answer: the page shows nothing for it.
    expect(Object.keys(data.states)).toEqual([paper.id]);
    expect(Object.keys(data.firstSeen).sort()).toEqual(['arxiv:2607.21247', 'arxiv:2607.21497']);
    expect(await db.seen.count()).toBe(2);
  });

  it('answers a scan with the reader\'s settings (pages do not read storage themselves)', async () => {
    const settings = { ...DEFAULT_SETTINGS, starredOnListings: 'hide' as const, shortcuts: false };
    const reply = await handleMessage({ ...deps(), readSettings: async () => settings }, { type: 'cards.report', listing: true, cards: [{ id: paper.id }] }, contentScript);
    if (!reply.ok) throw new Error(reply.error);
    expect((reply.data as { settings: unknown }).settings).toEqual(settings);
  });

  it('reaches a record through an alias', async () => {
    const acl = { ...paper, id: 'acl:2021.naacl-main.208', aliases: ['doi:10.18653/v1/2021.naacl-main.208'], site: 'acl', links: {} };
    await handleMessage(deps(), { type: 'annotations.edit', edits: [{ id: acl.id, paper: acl, star: true }] }, contentScript);
    const reply = await handleMessage(
      deps(),
      { type: 'cards.report', listing: false, cards: [{ id: 'doi:10.18653/v1/2021.naacl-main.208' }] },
      contentScript,
    );
    if (!reply.ok) throw new Error(reply.error);
    expect((reply.data as { states: Record<string, AnnotationView> }).states['doi:10.18653/v1/2021.naacl-main.208'].starred).toBe(true);
  });
});
