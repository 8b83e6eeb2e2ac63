/**
 * The built manifests ask for the least: host access to the five supported sites only, storage, and
 * nothing that reaches other sites or the network. Read from the builds `npm test` just made.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HOST_PERMISSIONS } from '@/lib/sites/hosts';
import { EXTENSION_DIR } from './harness';

const chrome = JSON.parse(readFileSync(path.join(EXTENSION_DIR, 'manifest.json'), 'utf8'));
const firefox = JSON.parse(readFileSync(path.join(EXTENSION_DIR, '../firefox-mv2/manifest.json'), 'utf8'));
const SITES = ['arxiv.org', 'huggingface.co', 'openreview.net', 'scholar.google.com', 'aclanthology.org'];

describe('manifests', () => {
  it('Chrome: host access to the supported sites and nothing else', () => {
    expect(chrome.manifest_version).toBe(3);
    expect([...chrome.host_permissions].sort()).toEqual([...HOST_PERMISSIONS].sort());
    for (const pattern of chrome.host_permissions as string[]) {
      const host = /^https:\/\/([^/]+)\//.exec(pattern)?.[1] ?? '';
      expect(SITES.some((s) => host === s || host === `www.${s}`)).toBe(true);
    }
    expect(chrome.permissions.sort()).toEqual(['storage', 'unlimitedStorage']);
    const matches = (chrome.content_scripts as { matches: string[] }[]).flatMap((c) => c.matches);
    for (const m of matches) expect(HOST_PERMISSIONS).toContain(m);
    // One content script per site.
    expect(chrome.content_scripts.length).toBe(5);
    expect(chrome.commands._execute_action.suggested_key.default).toBe('Alt+Shift+M');
    expect(chrome.options_ui.page).toBe('library.html');
    expect(JSON.stringify(chrome)).not.toMatch(/<all_urls>|"tabs"|webRequest|http:\/\//);
  });

  it('Firefox: the same permissions, an add-on id, and the MV2 action command', () => {
    expect(firefox.manifest_version).toBe(2);
    const hosts = (firefox.permissions as string[]).filter((p) => p.includes('://'));
    expect(hosts.sort()).toEqual([...HOST_PERMISSIONS].sort());
    expect((firefox.permissions as string[]).filter((p) => !p.includes('://')).sort()).toEqual(['storage', 'unlimitedStorage']);
    expect(firefox.browser_specific_settings.gecko.id).toMatch(/@/);
    expect(firefox.commands._execute_browser_action).toBeDefined();
  });
});
