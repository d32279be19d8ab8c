/**
 * Loading Ink and the console app for SSH sessions. Ink decides once, when first imported,
 * whether it runs in CI (CI=true …) and then draws nothing until exit; a server started
 * from a CI job still serves interactive terminals, so the variables are hidden while Ink
 * loads (the same reasoning as src/commands/console.ts).
 */
import type { render as InkRender } from 'ink';
import type { App as ConsoleApp } from '../ui/App.js';

export interface InkModules {
  render: typeof InkRender;
  App: typeof ConsoleApp;
}

let loaded: Promise<InkModules> | undefined;

export function loadInk(): Promise<InkModules> {
  loaded ??= (async () => {
    const saved = { CI: process.env.CI, CONTINUOUS_INTEGRATION: process.env.CONTINUOUS_INTEGRATION };
    for (const k of Object.keys(saved)) if (process.env[k] !== undefined) process.env[k] = 'false';
    try {
      const [{ render }, { App }] = await Promise.all([import('ink'), import('../ui/App.js')]);
      return { render, App };
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  })();
  return loaded;
}
