import { describe, expect, it } from 'vitest';
import { darkBehind, pageCss } from '@/lib/content/styles';

describe('pageCss', () => {
  it('names no card attribute when no listing mode is on (setting them on 2,000 cards then costs no restyle)', () => {
    const css = pageCss([], true);
    expect(css).toContain('[data-margins-focused]');
    expect(css).not.toMatch(/data-margins-(starred|seen)/);
    expect(css).not.toContain(':has(');
  });

  it('is empty until a mode is on or the keyboard focused a card (the runtime then adds no stylesheet at all)', () => {
    expect(pageCss([], false)).toBe('');
  });

  it('carries exactly the rules of the modes that are on', () => {
    const css = pageCss(['dim-seen', 'hide-starred'], false);
    expect(css).toContain('html[data-margins-dim-seen] [data-margins-seen="seen"]');
    expect(css).toContain('html[data-margins-hide-starred] [data-margins-starred]');
    expect(css).not.toContain('data-margins-dim-starred');
    expect(css).not.toContain('data-margins-hide-seen');
  });

  it('parses as CSS, one rule per mode plus the focus outline', () => {
    const style = document.createElement('style');
    style.textContent = pageCss(['dim-starred', 'hide-starred', 'dim-seen', 'hide-seen'], true);
    document.head.append(style);
    expect(style.sheet!.cssRules.length).toBe(5);
    style.remove();
  });
});

describe('darkBehind', () => {
  const reset = () => {
    document.body.replaceChildren();
    document.body.removeAttribute('style');
    document.documentElement.removeAttribute('style');
  };

  it('follows the body background: white and light greys are light, near-black is dark', () => {
    reset();
    document.body.style.backgroundColor = 'rgb(255, 255, 255)';
    expect(darkBehind(document.body)).toBe(false);
    document.body.style.backgroundColor = '#e8e8e8';
    expect(darkBehind(document.body)).toBe(false);
    document.body.style.backgroundColor = '#0b0f19';
    expect(darkBehind(document.body)).toBe(true);
    reset();
  });

  it('takes the nearest painted background above the controls: a dark app wrapper on a white body, a dark root', () => {
    reset();
    document.body.style.backgroundColor = '#ffffff';
    const app = document.createElement('div');
    app.style.backgroundColor = 'rgb(13, 17, 23)';
    const card = document.createElement('article');
    card.style.backgroundColor = 'rgba(255, 255, 255, 0.05)'; // a faint tint does not decide
    const title = document.createElement('h3');
    card.append(title);
    app.append(card);
    document.body.append(app);
    expect(darkBehind(title)).toBe(true);
    card.style.backgroundColor = '#fafafa'; // a light card on the dark app
    expect(darkBehind(title)).toBe(false);
    reset();
    document.documentElement.style.backgroundColor = 'rgb(17, 24, 39)';
    expect(darkBehind(document.body)).toBe(true);
    reset();
  });

  it('is light on a page that paints no background and asks for no dark colour scheme, whatever the system says', () => {
    reset();
    expect(darkBehind(document.body)).toBe(false);
    document.documentElement.style.setProperty('color-scheme', 'dark');
    expect(darkBehind(document.body)).toBe(true);
    expect(darkBehind(null)).toBe(false);
    reset();
  });
});

describe('darkBehind on a hostile page', () => {
  it('reads a bounded number of ancestors, then the body: 300 nested levels on a dark body', () => {
    document.body.replaceChildren();
    document.body.style.backgroundColor = '#000000';
    let deepest: Element = document.body;
    for (let i = 0; i < 300; i++) deepest = deepest.appendChild(document.createElement('div'));
    const reads: Element[] = [];
    const real = window.getComputedStyle.bind(window);
    const spy = (el: Element, pseudo?: string | null) => (reads.push(el), real(el, pseudo));
    window.getComputedStyle = spy as typeof window.getComputedStyle;
    try {
      expect(darkBehind(deepest)).toBe(true);
    } finally {
      window.getComputedStyle = real;
    }
    expect(reads.length).toBeLessThan(50);
    expect(reads).toContain(document.body);
    document.body.replaceChildren();
    document.body.removeAttribute('style');
  });
});
