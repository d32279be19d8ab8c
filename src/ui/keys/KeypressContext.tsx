/**
 * The single owner of stdin: one useInput at the root turns Ink's input into keypresses
 * and hands them to the dispatcher; components register handlers by priority with
 * useKeypress (overlay > filter input > focused pane > global keys).
 *
 * Several keys can arrive in one stdin read (a paste into the filter, a fast typist, a busy
 * event loop). Ink separates escape sequences (arrows, Shift-Tab) but passes the plain
 * characters between them as one string, which would be one unknown key: each character is
 * a keypress of its own here. They are dispatched one per turn, so the screen — and the
 * handlers it registers, like the filter input after '/' — has caught up before the next.
 */
import { createContext, useContext, useLayoutEffect, useMemo, useRef, type ReactNode } from 'react';
import { useInput, useStdin } from 'ink';
import { KeypressDispatcher, type KeyHandler } from '../../keymap/dispatcher.js';
import { fromInk, typedKeypresses, type Keypress } from '../../keymap/keypress.js';

const DispatcherContext = createContext<KeypressDispatcher | undefined>(undefined);

/** A run of plain characters as Ink's input parser delivers it (escape sequences come alone). */
const isTypedRun = (raw: string): boolean => !raw.includes('\x1b') && [...raw].length > 1;

/** Keys in arrival order, the first at once, each next one on a later microtask (after React has rendered). */
function keyQueue(deliver: (key: Keypress) => void): (keys: Keypress[]) => void {
  const pending: Keypress[] = [];
  let draining = false;
  const next = () => {
    const key = pending.shift();
    if (!key) {
      draining = false;
      return;
    }
    try {
      deliver(key);
    } finally {
      if (pending.length > 0) queueMicrotask(next);
      else draining = false;
    }
  };
  return (keys) => {
    pending.push(...keys);
    if (draining) return;
    draining = true;
    next();
  };
}

export function KeypressProvider({ children }: { children: ReactNode }) {
  const dispatcher = useMemo(() => new KeypressDispatcher(), []);
  const enqueue = useMemo(() => keyQueue((key) => dispatcher.dispatch(key)), [dispatcher]);
  // useInput hands over Ink's parse (flags, escape stripped); the raw event says whether it was
  // one key or a run of typed characters. Prepended, so it is noted before useInput's handler runs.
  const { internal_eventEmitter: events } = useStdin();
  const raw = useRef<string | undefined>(undefined);
  useLayoutEffect(() => {
    const note = (data: unknown) => {
      raw.current = typeof data === 'string' ? data : undefined;
    };
    events.prependListener('input', note);
    return () => {
      events.removeListener('input', note);
    };
  }, [events]);
  useInput((input, key) => {
    const text = raw.current;
    raw.current = undefined;
    enqueue(text !== undefined && isTypedRun(text) ? typedKeypresses(text) : [fromInk(input, key)]);
  });
  return <DispatcherContext.Provider value={dispatcher}>{children}</DispatcherContext.Provider>;
}

/**
 * Register a handler while `active`; the latest handler is always used without re-registering.
 * A layout effect, so a handler is in place as soon as its component is on screen: the key
 * right after '/' (a paste, a fast typist) already goes to the filter input.
 */
export function useKeypress(priority: number, handler: KeyHandler, active = true): void {
  const dispatcher = useContext(DispatcherContext);
  if (!dispatcher) throw new Error('useKeypress outside <KeypressProvider>');
  const ref = useRef(handler);
  ref.current = handler;
  useLayoutEffect(() => {
    if (!active) return;
    return dispatcher.register(priority, (key) => ref.current(key));
  }, [dispatcher, priority, active]);
}
