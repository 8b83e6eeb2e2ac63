import { describe, expect, it } from 'vitest';
import { pageCss } from '@/lib/content/styles';

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
