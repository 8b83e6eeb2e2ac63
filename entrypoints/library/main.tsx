import { Suspense, lazy } from 'react';
import { createRoot } from 'react-dom/client';
import { db } from '@/lib/db';
import { LibraryStore } from '@/lib/library/store';
import { LibraryApp } from './App';
import '@/components/theme.css';
import '@/components/library/library.css';
// The export reminder (components/sync) shows above the list too.
import '@/components/sync/sync.css';

// The Sync & backup panel (export formats, import, merge) is half of this page's code and is shown
// only in the settings view: load it when it is shown, so the rows come first.
const SyncPanel = lazy(() => import('@/components/sync/SyncPanel').then((m) => ({ default: m.SyncPanel })));

// Start reading the newest papers now: the database opens and the first page is read while React
// renders the page around them.
const store = new LibraryStore(db);
void store.start();

createRoot(document.getElementById('root')!).render(
  <LibraryApp
    store={store}
    syncPanel={
      <Suspense fallback={<p className="muted">Loading Sync &amp; backup…</p>}>
        <SyncPanel records={store.records} />
      </Suspense>
    }
  />,
);
