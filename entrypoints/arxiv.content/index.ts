import { CONTENT_SCRIPT_OPTIONS, MarginsPage } from '@/lib/content/runtime';
import { arxivAdapter } from '@/lib/sites/arxiv';
import { SITE_MATCHES } from '@/lib/sites/hosts';

export default defineContentScript({
  matches: [...SITE_MATCHES.arxiv],
  ...CONTENT_SCRIPT_OPTIONS,
  main(ctx) {
    void new MarginsPage(arxivAdapter, ctx).start();
  },
});
