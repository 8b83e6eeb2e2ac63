import { createRoot } from 'react-dom/client';
import '@/components/theme.css';

function LibraryApp() {
  return <main><h1>Margins library</h1></main>;
}

createRoot(document.getElementById('root')!).render(<LibraryApp />);
