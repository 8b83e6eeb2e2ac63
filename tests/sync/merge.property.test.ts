import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type SyncState, canonicalPaper, emptyState, mergeAnnotation, mergePaper, mergeStates, samePaper, stateFingerprint } from '@/lib/sync/merge';
import { LONG, RUNS, stateArb } from './helpers';

const same = (a: SyncState, b: SyncState): void => {
  expect(stateFingerprint(a)).toBe(stateFingerprint(b));
};

describe('merge is a join-semilattice (property tests)', () => {
  it('is commutative', () => {
    fc.assert(
      fc.property(stateArb, stateArb, (a, b) => {
        same(mergeStates(a, b), mergeStates(b, a));
      }),
      { numRuns: RUNS },
    );
  }, LONG);

  it('is associative', () => {
    fc.assert(
      fc.property(stateArb, stateArb, stateArb, (a, b, c) => {
        same(mergeStates(mergeStates(a, b), c), mergeStates(a, mergeStates(b, c)));
      }),
      { numRuns: RUNS },
    );
  }, LONG);

  it('is idempotent, also after a merge (importing the same file twice changes nothing)', () => {
    fc.assert(
      fc.property(stateArb, stateArb, (a, b) => {
        same(mergeStates(a, a), a);
        const ab = mergeStates(a, b);
        same(mergeStates(ab, b), ab);
        same(mergeStates(ab, a), ab);
      }),
      { numRuns: RUNS },
    );
  }, LONG);

  it('has the empty state as identity', () => {
    fc.assert(
      fc.property(stateArb, (a) => {
        same(mergeStates(a, emptyState()), a);
        same(mergeStates(emptyState(), a), a);
      }),
      { numRuns: RUNS },
    );
  }, LONG);

  it('never loses a note text: every input note is the winner or in the note history', () => {
    fc.assert(
      fc.property(stateArb, stateArb, (a, b) => {
        const m = mergeStates(a, b);
        for (const side of [a, b]) {
          for (const ann of side.annotations.values()) {
            if (!ann.note?.v) continue;
            const winner = m.annotations.get(ann.id)?.note;
            const kept =
              (winner?.v === ann.note.v && winner.c.t === ann.note.c.t && winner.c.d === ann.note.c.d) ||
              [...m.noteHistory.values()].some((h) => h.id === ann.id && h.text === ann.note!.v && h.c.t === ann.note!.c.t);
            expect(kept).toBe(true);
          }
          // History only grows.
          for (const key of side.noteHistory.keys()) expect(m.noteHistory.has(key)).toBe(true);
        }
      }),
      { numRuns: RUNS },
    );
  }, LONG);

  it('keeps, for each clocked field, the value with the newest clock', () => {
    fc.assert(
      fc.property(stateArb, stateArb, (a, b) => {
        const m = mergeStates(a, b);
        for (const [id, merged] of m.annotations) {
          const x = a.annotations.get(id);
          const y = b.annotations.get(id);
          const newest = Math.max(x?.star?.c.t ?? 0, y?.star?.c.t ?? 0);
          expect(merged.star?.c.t ?? 0).toBe(newest);
          for (const tag of Object.keys(merged.tags)) {
            const tx = x && Object.hasOwn(x.tags, tag) ? x.tags[tag].c.t : 0;
            const ty = y && Object.hasOwn(y.tags, tag) ? y.tags[tag].c.t : 0;
            expect(merged.tags[tag].c.t).toBe(Math.max(tx, ty));
          }
        }
      }),
      { numRuns: RUNS },
    );
  }, LONG);
});

describe('merge, by example', () => {
  const c = (t: number, d = 'aaaa') => ({ t, d });

  it('breaks a tie of clock times by device id, the same way on both sides', () => {
    const a = { id: 'arxiv:2301.00001', star: { v: true, c: c(5, 'aaaa') }, tags: {}, createdAt: 1 };
    const b = { id: 'arxiv:2301.00001', star: { v: false, c: c(5, 'bbbb') }, tags: {}, createdAt: 1 };
    expect(mergeAnnotation(a, b).merged.star).toEqual({ v: false, c: c(5, 'bbbb') });
    expect(mergeAnnotation(b, a).merged.star).toEqual({ v: false, c: c(5, 'bbbb') });
  });

  it('keeps a removed tag removed against an older addition (no union of tags)', () => {
    const removedHere = { id: 'arxiv:2301.00001', tags: { ml: { v: false, c: c(9) } }, createdAt: 1 };
    const olderThere = { id: 'arxiv:2301.00001', tags: { ml: { v: true, c: c(3, 'bbbb') }, nlp: { v: true, c: c(4, 'bbbb') } }, createdAt: 2 };
    const { merged } = mergeAnnotation(removedHere, olderThere);
    expect(merged.tags).toEqual({ ml: { v: false, c: c(9) }, nlp: { v: true, c: c(4, 'bbbb') } });
    expect(merged.createdAt).toBe(1);
  });

  it('keeps the losing note in the history instead of gluing the two notes together', () => {
    const mine = { id: 'arxiv:2301.00001', tags: {}, note: { v: 'my words', c: c(2) }, createdAt: 1 };
    const theirs = { id: 'arxiv:2301.00001', tags: {}, note: { v: 'their words', c: c(3, 'bbbb') }, createdAt: 1 };
    const { merged, lostNotes } = mergeAnnotation(mine, theirs);
    expect(merged.note?.v).toBe('their words');
    expect(lostNotes).toEqual([{ id: 'arxiv:2301.00001', text: 'my words', c: c(2), reason: 'import' }]);
  });

  it('treats a tag named "constructor" as a tag, not as Object.prototype.constructor', () => {
    const a = { id: 'arxiv:2301.00001', tags: { constructor: { v: true, c: c(2) } }, createdAt: 1 };
    const b = { id: 'arxiv:2301.00001', tags: {}, createdAt: 1 };
    expect(mergeAnnotation(b, a).merged.tags).toEqual({ constructor: { v: true, c: c(2) } });
    expect(mergeAnnotation(a, b).merged.tags).toEqual({ constructor: { v: true, c: c(2) } });
  });

  it('keeps the arXiv category one side knows, and picks the larger of two on both sides', () => {
    const paper = { id: 'arxiv:2301.00001', aliases: [], title: 'T', authors: [], links: {}, site: 'arxiv', firstSeen: 1, lastSeen: 1 };
    const withCl = canonicalPaper({ ...paper, category: 'cs.CL' });
    const withLg = canonicalPaper({ ...paper, category: 'cs.LG' });
    const without = canonicalPaper(paper);
    expect(mergePaper(withCl, without).category).toBe('cs.CL');
    expect(mergePaper(without, withCl).category).toBe('cs.CL');
    expect(mergePaper(withCl, withLg).category).toBe('cs.LG');
    expect(mergePaper(withLg, withCl).category).toBe('cs.LG');
    expect('category' in mergePaper(without, without)).toBe(false);
    expect(samePaper(withCl, withLg)).toBe(false);
    expect(samePaper(withCl, without)).toBe(false);
    expect(samePaper(withCl, canonicalPaper({ ...paper, category: 'cs.CL' }))).toBe(true);
  });
});
