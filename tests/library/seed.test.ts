/** The generator behind the library's e2e test and benchmark: valid ids, every paper in the library, stable. */
import { describe, expect, it } from 'vitest';
import { isCanonicalId } from '@/lib/ids';
import { annotationEditSchema } from '@/lib/messaging/protocol';
import { isBlank } from '@/lib/model';
import { EVERY_TENTH_TAG, generateLibrary, tagNames } from './seed';

describe('seed generator', () => {
  const lib = generateLibrary({ papers: 5_000, tags: 200, seed: 7, now: Date.UTC(2026, 0, 1) });

  it('makes distinct canonical ids, papers a content script could have sent, and no blank annotation', () => {
    expect(new Set(lib.papers.map((p) => p.id)).size).toBe(5_000);
    expect(lib.papers.every((p) => isCanonicalId(p.id))).toBe(true);
    for (const p of lib.papers.slice(0, 500)) {
      const { id, title, authors, links, site } = p;
      expect(annotationEditSchema.safeParse({ id, paper: { id, title, authors, links, site } }).success).toBe(true);
    }
    expect(lib.annotations.some(isBlank)).toBe(false);
    expect(new Set(lib.papers.map((p) => p.site))).toEqual(new Set(['arxiv', 'huggingface', 'openreview', 'acl', 'scholar']));
  });

  it('uses 200 distinct tags, one of them on exactly every tenth paper', () => {
    expect(new Set(tagNames(200)).size).toBe(200);
    const used = new Set(lib.annotations.flatMap((a) => a.tagList));
    expect(used.size).toBeGreaterThan(150);
    expect(lib.annotations.filter((a) => a.tagList.includes(EVERY_TENTH_TAG)).length).toBe(500);
  });

  it('is deterministic and spreads dates over the past', () => {
    const again = generateLibrary({ papers: 5_000, tags: 200, seed: 7, now: Date.UTC(2026, 0, 1) });
    expect(again.annotations[1234]).toEqual(lib.annotations[1234]);
    expect(lib.annotations.every((a) => a.updatedAt >= a.createdAt && a.updatedAt <= Date.UTC(2026, 0, 1))).toBe(true);
    const notes = lib.annotations.filter((a) => a.hasNote).length;
    expect(notes / 5_000).toBeGreaterThan(0.2);
  });
});
