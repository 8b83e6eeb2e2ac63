import { CONTENT_SCRIPT_OPTIONS, MarginsPage } from '@/lib/content/runtime';
import { huggingfaceAdapter } from '@/lib/sites/huggingface';
import { SITE_MATCHES } from '@/lib/sites/hosts';

export default defineContentScript({
  // All of huggingface.co: the site navigates client-side into /papers from any page, and the
  // adapter's serves() keeps the runtime idle elsewhere.
  matches: [...SITE_MATCHES.huggingface],
  ...CONTENT_SCRIPT_OPTIONS,
  main(ctx) {
    void new MarginsPage(huggingfaceAdapter, ctx).start();
  },
});
