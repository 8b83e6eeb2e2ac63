import { describe, expect, it } from 'vitest';
import { pageCss, pageIsDark } from '@/lib/content/styles';

describe('pageCss', () => {
  it('names no card attribute when no listing mode is on (setting them on 2,000 cards then costs no restyle)', () => {
    const css = pageCss([]);
    expect(css).toContain('[data-margins-focused]');
    expect(css).not.toMatch(/data-margins-(starred|seen)/);
    expect(css).not.toContain(':has(');
  });

  it('carries exactly the rules of the modes that are on', () => {
    const css = pageCss(['dim-seen', 'hide-starred']);
    expect(css).toContain('html[data-margins-dim-seen] [data-margins-seen="seen"]');
    expect(css).toContain('html[data-margins-hide-starred] [data-margins-starred]');
    expect(css).not.toContain('data-margins-dim-starred');
    expect(css).not.toContain('data-margins-hide-seen');
  });

  it('parses as CSS, one rule per mode plus the focus outline', () => {
    const style = document.createElement('style');
    style.textContent = pageCss(['dim-starred', 'hide-starred', 'dim-seen', 'hide-seen']);
    document.head.append(style);
    expect(style.sheet!.cssRules.length).toBe(5);
    style.remove();
  });
});

describe('pageIsDark', () => {
  const reset = () => {
    document.body.removeAttribute('style');
    document.documentElement.removeAttribute('style');
  };

  it('follows the body background: white and light greys are light, near-black is dark', () => {
    reset();
    document.body.style.backgroundColor = 'rgb(255, 255, 255)';
    expect(pageIsDark(document)).toBe(false);
    document.body.style.backgroundColor = '#e8e8e8';
    expect(pageIsDark(document)).toBe(false);
    document.body.style.backgroundColor = '#0b0f19';
    expect(pageIsDark(document)).toBe(true);
    reset();
  });

  it("falls back to the root's background when the body paints none (a dark theme set on <html>)", () => {
    reset();
    document.documentElement.style.backgroundColor = 'rgb(17, 24, 39)';
    expect(pageIsDark(document)).toBe(true);
    document.body.style.backgroundColor = 'rgba(0, 0, 0, 0)';
    expect(pageIsDark(document)).toBe(true);
    reset();
  });

  it('is light on a page that paints no background and asks for no dark colour scheme, whatever the system says', () => {
    reset();
    expect(pageIsDark(document)).toBe(false);
    document.documentElement.style.setProperty('color-scheme', 'dark');
    expect(pageIsDark(document)).toBe(true);
    reset();
  });
});
