import { render } from 'preact';
import { App } from './app';
import { locale } from './messages';
import './styles.css';

document.documentElement.lang = locale.language;
render(<App />, document.getElementById('app')!);

// After the first render: the app must not wait for its service worker to show itself.
if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('/app/sw.js', { scope: '/app/' }).catch(() => undefined);
}
