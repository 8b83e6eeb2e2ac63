/**
 * The only hosts Margins touches. The manifest's host_permissions and every content script's `matches`
 * come from here, so the two cannot drift apart.
 */
export const SITE_MATCHES = {
  arxiv: ['https://arxiv.org/*', 'https://www.arxiv.org/*'],
  // Hugging Face navigates client-side from any page to /papers, so the script must already be there.
  huggingface: ['https://huggingface.co/*'],
  openreview: ['https://openreview.net/*'],
  scholar: ['https://scholar.google.com/*'],
  acl: ['https://aclanthology.org/*'],
} as const;

export type SiteName = keyof typeof SITE_MATCHES;

export const HOST_PERMISSIONS: readonly string[] = Object.values(SITE_MATCHES).flat();
