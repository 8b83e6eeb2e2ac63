import { createRoot } from 'react-dom/client';
import { SyncPanel } from '@/components/sync/SyncPanel';
import { LibraryApp } from './App';
import '@/components/theme.css';
import '@/components/library/library.css';

createRoot(document.getElementById('root')!).render(<LibraryApp syncPanel={<SyncPanel />} />);
