import { CONTENT_SCRIPT_OPTIONS, MarginsPage } from '@/lib/content/runtime';
import { aclAdapter } from '@/lib/sites/acl';
import { SITE_MATCHES } from '@/lib/sites/hosts';

export default defineContentScript({
  matches: [...SITE_MATCHES.acl],
  ...CONTENT_SCRIPT_OPTIONS,
  main(ctx) {
    void new MarginsPage(aclAdapter, ctx).start();
  },
});
