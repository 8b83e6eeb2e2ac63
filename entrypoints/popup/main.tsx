import { createRoot } from 'react-dom/client';
import { PopupApp } from './App';
import { type PageAnswer, pageAnswer } from './page-request';
import '@/components/theme.css';

// The tab usually answers while this module is loaded: then the very first render has the rows. A slow
// tab (a page still loading) gets a "looking at this page" first, not a blank popup.
const early = await Promise.race([pageAnswer(), new Promise<undefined>((resolve) => setTimeout(resolve, 40))]);
createRoot(document.getElementById('root')!).render(<PopupApp initialPage={early satisfies PageAnswer | undefined} />);
