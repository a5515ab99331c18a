import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Root } from './app';
import { registerServiceWorker } from './pwa/register';
import './styles.css';

const el = document.getElementById('root');
if (!el) throw new Error('#root missing');
createRoot(el).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);

// The installable app's worker (pwa/sw.ts): the shell and a family's last answers readable offline, Web Push.
registerServiceWorker();
