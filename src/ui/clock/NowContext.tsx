/**
 * The one clock tick of the console: panes read `now` from here, and no pane owns a timer.
 *
 * A frame costs CPU, and a console left on a stage runs all day: `now` moves one second after
 * the last frame, and a frame drawn for new data (a store change) moves it too. With data every
 * refresh the console draws about one frame a second, not a tick plus every refresh.
 * Only components that call useNow() re-render on a tick.
 */
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import type { Clock } from '../../domain/clock.js';

const NowContext = createContext<number>(0);

/** What makes a frame besides the tick: the store the panes read. */
interface Changes {
  subscribe(listener: () => void): () => void;
}

export function NowProvider({ clock, changes, intervalMs = 1000, children }: { clock: Clock; changes?: Changes; intervalMs?: number; children: ReactNode }) {
  const [now, setNow] = useState(() => clock.now());
  useEffect(() => {
    let handle: unknown;
    const tick = () => {
      setNow(clock.now());
      handle = clock.setTimeout(tick, intervalMs);
    };
    handle = clock.setTimeout(tick, intervalMs);
    // New data draws a frame anyway: read the time with it, and tick a full interval later.
    const unsubscribe = changes?.subscribe(() => {
      clock.clearTimeout(handle);
      tick();
    });
    return () => {
      clock.clearTimeout(handle);
      unsubscribe?.();
    };
  }, [clock, changes, intervalMs]);
  return <NowContext.Provider value={now}>{children}</NowContext.Provider>;
}

export function useNow(): number {
  return useContext(NowContext);
}
