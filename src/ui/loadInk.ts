/**
 * Loading Ink, React and the console app, for the local console, SSH sessions and the bench.
 * Ink decides once, when first imported, whether it runs in CI (CI=true …) and then draws
 * nothing until exit; a console on a real terminal is interactive whatever CI says (a
 * tmux-driven e2e test under CI, a server started from a CI job, a developer with CI set), so
 * the variables are hidden while Ink loads and put back at once. Loaded once per process.
 */
import type { render as InkRender } from 'ink';
import type { createElement as ReactCreateElement } from 'react';
import type { App as ConsoleApp } from './App.js';

export interface InkModules {
  render: typeof InkRender;
  App: typeof ConsoleApp;
}

let loaded: Promise<InkModules & { createElement: typeof ReactCreateElement }> | undefined;

export function loadInk(): Promise<InkModules & { createElement: typeof ReactCreateElement }> {
  loaded ??= (async () => {
    const saved = { CI: process.env.CI, CONTINUOUS_INTEGRATION: process.env.CONTINUOUS_INTEGRATION };
    for (const k of Object.keys(saved)) if (process.env[k] !== undefined) process.env[k] = 'false';
    try {
      const [{ render }, { App }, { createElement }] = await Promise.all([import('ink'), import('./App.js'), import('react')]);
      return { render, App, createElement };
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  })();
  return loaded;
}
