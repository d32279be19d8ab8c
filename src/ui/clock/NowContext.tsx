/**
 * The one clock tick of the console: the root re-reads the injected clock every second
 * (on the second, so the header clock does not drift) and panes read `now` from here.
 * No pane owns a timer; only components that call useNow() re-render on a tick.
 */
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import type { Clock } from '../../domain/clock.js';

const NowContext = createContext<number>(0);

export function NowProvider({ clock, intervalMs = 1000, children }: { clock: Clock; intervalMs?: number; children: ReactNode }) {
  const [now, setNow] = useState(() => clock.now());
  useEffect(() => {
    let handle: unknown;
    const schedule = () => {
      const t = clock.now();
      handle = clock.setTimeout(tick, intervalMs - (t % intervalMs) || intervalMs);
    };
    const tick = () => {
      setNow(clock.now());
      schedule();
    };
    schedule();
    return () => clock.clearTimeout(handle);
  }, [clock, intervalMs]);
  return <NowContext.Provider value={now}>{children}</NowContext.Provider>;
}

export function useNow(): number {
  return useContext(NowContext);
}
