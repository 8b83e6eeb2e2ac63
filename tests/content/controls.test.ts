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
    expect(shadow.querySelector('.star')!.getAttribute('aria-pressed')).toBe('false');
    expect(shadow.querySelector('.star')!.getAttribute('aria-label')).toMatch(/^Star /);
    expect([...shadow.querySelectorAll('.chip')].map((c) => c.getAttribute('data-tag'))).toEqual(['vision', 'to-read']);
    // The star's text, pressed state, label and title; nothing in the chips or the note.
    expect(records.every((r) => (r.target as Element).closest?.('.star') ?? r.target.parentElement?.closest('.star'))).toBe(true);
    expect(records.length).toBeGreaterThan(0);
  });
});

describe('CardControls buttons', () => {
  const view: AnnotationView = { id: 'arxiv:2301.00002', starred: false, tags: ['vision'], note: '' };

  function withCounts() {
    const calls = { star: 0, removed: [] as string[] };
    const controls = new CardControls(() => 'A paper', view, {
      ...actions,
      toggleStar: async () => void calls.star++,
      removeTag: async (tag) => void calls.removed.push(tag),
    });
    document.body.append(controls.host);
    controls.materialize();
    return { controls, calls, shadow: controls.host.shadowRoot! };
  }

  const key = (target: Element, type: 'keydown' | 'keyup', k: string) => {
    const event = new KeyboardEvent(type, { key: k, bubbles: true, composed: true, cancelable: true });
    target.dispatchEvent(event);
    return event;
  };

  it('are buttons to assistive technology and the keyboard: a role, a name, a tab stop', () => {
    const { shadow } = withCounts();
    const star = shadow.querySelector('.star')!;
    expect(star.getAttribute('role')).toBe('button');
    expect(star.getAttribute('tabindex')).toBe('0');
    expect(star.getAttribute('aria-label')).toBe('Star A paper');
    for (const b of shadow.querySelectorAll('[role="button"]')) {
      expect(b.getAttribute('tabindex')).toBe('0');
      expect(b.getAttribute('aria-label') || b.textContent).toBeTruthy();
    }
  });

  it('act on Enter (key down) and Space (key up), once, without scrolling the page', async () => {
    const { shadow, calls } = withCounts();
    const star = shadow.querySelector('.star')!;
    expect(key(star, 'keydown', 'Enter').defaultPrevented).toBe(true);
    await Promise.resolve();
    expect(calls.star).toBe(1);
    const spaceDown = key(star, 'keydown', ' ');
    expect(spaceDown.defaultPrevented).toBe(true);
    expect(calls.star).toBe(1);
    key(star, 'keyup', ' ');
    expect(calls.star).toBe(2);
    // Other keys are left to the page (and to Margins' own shortcuts).
    expect(key(star, 'keydown', 'j').defaultPrevented).toBe(false);
    expect(calls.star).toBe(2);
    key(shadow.querySelector('.chip [role="button"]')!, 'keydown', 'Enter');
    expect(calls.removed).toEqual(['vision']);
  });

  it('draw the star and use no <button> element or symbol-font character (each made a costly frame on long listings)', () => {
    const { shadow, controls } = withCounts();
    expect(shadow.querySelector('button')).toBeNull();
    expect(shadow.querySelector('.star svg path')).not.toBeNull();
    controls.update({ ...view, starred: true, note: 'A note' });
    expect(shadow.querySelector('.star')!.getAttribute('aria-pressed')).toBe('true');
    expect(shadow.textContent).not.toMatch(/[\u2600-\u27bf]/);
  });
});

describe('CardControls parts', () => {
  const bar = (c: CardControls) => [...c.host.shadowRoot!.querySelector('.bar')!.children].map((e) => e.className);

  it('a card with nothing on it builds its three buttons only; the rest comes, in its place, when it has something to show', async () => {
    // Every element is styled and laid out in the frame that brings a screen of controls in.
    const controls = mounted({ id: 'arxiv:2301.00002', starred: false, tags: [], note: '' });
    expect(bar(controls)).toEqual(['star', 'add', 'note-btn']);
    controls.update({ id: 'arxiv:2301.00002', starred: false, tags: [], note: 'A note.' });
    expect(bar(controls)).toEqual(['star', 'add', 'note-btn', 'snippet']);
    controls.update({ id: 'arxiv:2301.00002', starred: true, tags: ['vision'], note: 'A note.' });
    controls.setNew(true);
    expect(bar(controls)).toEqual(['new-badge', 'star', 'chips', 'add', 'note-btn', 'snippet']);
    controls.setNew(false);
    controls.update({ id: 'arxiv:2301.00002', starred: false, tags: [], note: '' });
    const shadow = controls.host.shadowRoot!;
    expect((shadow.querySelector('.new-badge') as HTMLElement).hidden).toBe(true);
    expect(shadow.querySelectorAll('.chip')).toHaveLength(0);
    expect((shadow.querySelector('.snippet') as HTMLElement).hidden).toBe(true);
  });

  it("the first tag arrives while the tag input is open: its chip shows, after the star, before the input", () => {
    const controls = mounted({ id: 'arxiv:2301.00004', starred: false, tags: [], note: '' });
    const shadow = controls.host.shadowRoot!;
    (shadow.querySelector('.add') as HTMLElement).click();
    expect(shadow.querySelector('.add')).toBeNull(); // the input took its place
    controls.update({ id: 'arxiv:2301.00004', starred: false, tags: ['cosmology'], note: '' });
    expect([...shadow.querySelectorAll('.chip')].map((c) => c.getAttribute('data-tag'))).toEqual(['cosmology']);
    const order = bar(controls);
    expect(order.slice(0, 2)).toEqual(['star', 'chips']);
    expect(order.indexOf('chips')).toBeLessThan(order.findIndex((c) => !['star', 'chips'].includes(c)));
  });

  it('a failed save says why in an alert at the end of the bar, and the next good save clears it', async () => {
    let fail = true;
    const controls = new CardControls(() => 'A paper', { id: 'arxiv:2301.00003', starred: false, tags: [], note: '' }, {
      ...actions,
      toggleStar: async () => {
        if (fail) throw new Error('The disk is full.');
      },
    });
    document.body.append(controls.host);
    controls.materialize();
    const shadow = controls.host.shadowRoot!;
    (shadow.querySelector('.star') as HTMLElement).click();
    await expect.poll(() => shadow.querySelector('[role="alert"]')?.textContent).toBe('The disk is full.');
    expect(bar(controls).at(-1)).toBe('error');
    fail = false;
    (shadow.querySelector('.star') as HTMLElement).click();
    await expect.poll(() => shadow.querySelector('[role="alert"]')?.textContent).toBe('');
  });
});
