import { CONTENT_SCRIPT_OPTIONS, MarginsPage } from '@/lib/content/runtime';
import { openreviewAdapter } from '@/lib/sites/openreview';
import { SITE_MATCHES } from '@/lib/sites/hosts';

export default defineContentScript({
  // Venue pages load their lists client-side and switch tabs without reloading: the runtime observes.
  matches: [...SITE_MATCHES.openreview],
  ...CONTENT_SCRIPT_OPTIONS,
  main(ctx) {
    void new MarginsPage(openreviewAdapter, ctx).start();
  },
});
