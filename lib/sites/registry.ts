/** Every site adapter, by name. The content script of each site imports only its own adapter. */
import { aclAdapter } from './acl';
import { arxivAdapter } from './arxiv';
import { huggingfaceAdapter } from './huggingface';
import { openreviewAdapter } from './openreview';
import { scholarAdapter } from './scholar';
import type { SiteAdapter } from './types';

export const ADAPTERS: readonly SiteAdapter[] = [arxivAdapter, huggingfaceAdapter, openreviewAdapter, scholarAdapter, aclAdapter];

export function adapterFor(url: URL): SiteAdapter | undefined {
  return ADAPTERS.find((a) => a.serves(url));
}
