import { MarginsPage } from '@/lib/content/runtime';
import { aclAdapter } from '@/lib/sites/acl';
import { SITE_MATCHES } from '@/lib/sites/hosts';

export default defineContentScript({
  matches: [...SITE_MATCHES.acl],
  runAt: 'document_idle',
  main(ctx) {
    void new MarginsPage(aclAdapter, ctx).start();
  },
});
