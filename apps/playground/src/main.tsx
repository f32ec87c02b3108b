/** The playground's entry: mounts the page (bundled by tools/playground/build-playground.ts). */
import { render } from 'preact';
import { App } from './app';

render(<App />, document.getElementById('app') as HTMLElement);
