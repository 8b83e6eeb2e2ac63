import { CONTENT_SCRIPT_OPTIONS, MarginsPage } from '@/lib/content/runtime';
import { SITE_MATCHES } from '@/lib/sites/hosts';
import { scholarAdapter } from '@/lib/sites/scholar';

export default defineContentScript({
  // Profiles append rows in place ("Show more"): the runtime observes the table.
  matches: [...SITE_MATCHES.scholar],
  ...CONTENT_SCRIPT_OPTIONS,
  main(ctx) {
    void new MarginsPage(scholarAdapter, ctx).start();
  },
});
