import { askTab } from './popup/page-request';

/**
 * A classic script the popup loads before its modules (see popup/index.html): module scripts run only
 * after the whole app (React, ~200 kB) is parsed and evaluated, and the tab's answer should not wait for that.
 */
export default defineUnlistedScript(() => {
  // When the popup's first script ran: everything before it is Chromium delivering the page's files
  // (tests/bench/library.bench.ts reports it beside the popup's first rows).
  performance.mark('margins:first-script');
  window.marginsPageAnswer = askTab();
});
