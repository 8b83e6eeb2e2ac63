import { defineConfig } from 'wxt';
import { HOST_PERMISSIONS } from './lib/sites/hosts';

// The manifest asks for host access to the supported sites only, and for `storage` (settings) and
// `unlimitedStorage` (a library of tens of thousands of papers must never hit the default quota).
export default defineConfig({
  modules: ['@wxt-dev/module-react'],
  srcDir: '.',
  // MARGINS_OUT_DIR lets several builds (engineers, benches) live side by side; tests read the same variable.
  outDir: process.env.MARGINS_OUT_DIR ?? '.output',
  manifest: ({ browser, manifestVersion }) => ({
    name: 'Margins',
    description:
      'Star, tag and annotate papers on arXiv, Hugging Face Papers, OpenReview, Google Scholar and the ACL Anthology. Private: everything stays in your browser.',
    permissions: ['storage', 'unlimitedStorage'],
    // The library page doubles as the options page (settings live there).
    options_ui: { page: 'library.html', open_in_tab: true },
    host_permissions: [...HOST_PERMISSIONS],
    // The popup opens from the keyboard (MV2 Firefox names the action differently).
    commands: {
      [manifestVersion === 2 ? '_execute_browser_action' : '_execute_action']: {
        suggested_key: { default: 'Alt+Shift+M' },
        description: 'Open Margins',
      },
    },
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: 'margins@margins.invalid',
              strict_min_version: '142.0',
              data_collection_permissions: { required: ['none'] },
            },
          },
        }
      : {}),
  }),
  // MARGINS_SOURCEMAP=1 for bundle analysis (which module costs what in a chunk); releases ship without.
  vite: () => ({ build: { sourcemap: process.env.MARGINS_SOURCEMAP === '1' } }),
  zip: {
    excludeSources: ['.output*/**', 'node_modules/**', 'tests/e2e/.tmp/**', 'docs/screenshots/**', '.wxt/**'],
  },
});
