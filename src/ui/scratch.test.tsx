import { test } from 'vitest';
import { renderApp, KEYS } from './test-utils/render.js';
import { healthyState, nothingState, manyTopicsState } from './test-utils/fixtures.js';

test('scratch', async () => {
  const r = renderApp({ state: healthyState(), columns: 100, rows: 30 });
  await r.tick(0);
  process.stdout.write(r.frame() + '\n-----\n');
  await r.press('2');
  process.stdout.write(r.frame() + '\n-----\n');
  await r.press('5');
  process.stdout.write(r.frame() + '\n-----\n');
  const g = renderApp({ state: nothingState(), columns: 160, rows: 44 });
  await g.tick(0);
  process.stdout.write(g.frame() + '\n-----\n');
  const m = renderApp({ state: manyTopicsState(1000), columns: 80, rows: 24 });
  await m.press('2', KEYS.end);
  process.stdout.write(m.frame() + '\n-----\n');
  await m.press('?');
  process.stdout.write(m.frame() + '\n-----\n');
});
