/**
 * A card's controls rendered again with the state they already show change nothing in the page: every
 * view that arrives (the page's first report, a change in another tab) re-renders, and a rewritten text
 * would make the browser lay a 2,000-entry listing out again.
 */
import { describe, expect, it } from 'vitest';
import { CardControls, type ControlsActions } from '@/lib/content/controls';
import type { AnnotationView } from '@/lib/model';

const actions: ControlsActions = {
  toggleStar: async () => {},
  addTag: async () => {},
  removeTag: async () => {},
  saveNote: async () => {},
  suggestTags: async () => [],
  tagColor: (tag) => (tag === 'vision' ? '#0969da' : undefined),
};

function mounted(view: AnnotationView): CardControls {
  const controls = new CardControls(() => 'A paper', view, actions);
  document.body.append(controls.host);
  controls.materialize();
  return controls;
}

/** Every change made under the shadow root while `act` runs. */
async function mutationsDuring(controls: CardControls, act: () => void): Promise<MutationRecord[]> {
  const seen: MutationRecord[] = [];
  const observer = new MutationObserver((records) => seen.push(...records));
  observer.observe(controls.host.shadowRoot!, { subtree: true, childList: true, attributes: true, characterData: true });
  act();
  await Promise.resolve();
  seen.push(...observer.takeRecords());
  observer.disconnect();
  return seen;
}

describe('CardControls.update', () => {
  const view: AnnotationView = { id: 'arxiv:2301.00001', starred: true, tags: ['vision', 'to-read'], note: 'Section 3 is the trick.' };

  it('changes nothing when the view is the one shown (a copy, as a message brings it)', async () => {
    const controls = mounted(view);
    controls.setNew(true);
    const records = await mutationsDuring(controls, () => {
      controls.update(structuredClone(view));
      controls.setNew(true);
    });
    expect(records.map((r) => `${r.type} ${r.attributeName ?? ''}`)).toEqual([]);
  });

  it('still shows what changed, and only that', async () => {
    const controls = mounted(view);
    const records = await mutationsDuring(controls, () => controls.update({ ...view, starred: false }));
    const shadow = controls.host.shadowRoot!;
    expect(shadow.querySelector('button.star')!.textContent).toBe('☆');
    expect(shadow.querySelector('button.star')!.getAttribute('aria-pressed')).toBe('false');
    expect([...shadow.querySelectorAll('.chip')].map((c) => c.getAttribute('data-tag'))).toEqual(['vision', 'to-read']);
    // The star's text, pressed state, label and title; nothing in the chips or the note.
    expect(records.every((r) => (r.target as Element).closest?.('button.star') ?? r.target.parentElement?.closest('button.star'))).toBe(true);
    expect(records.length).toBeGreaterThan(0);
  });
});
