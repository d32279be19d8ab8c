/**
 * The single owner of stdin: one useInput at the root turns Ink's input into a Keypress
 * and hands it to the dispatcher; components register handlers by priority with
 * useKeypress (overlay > filter input > focused pane > global keys).
 */
import { createContext, useContext, useLayoutEffect, useMemo, useRef, type ReactNode } from 'react';
import { useInput } from 'ink';
import { KeypressDispatcher, type KeyHandler } from '../../keymap/dispatcher.js';
import { fromInk } from '../../keymap/keypress.js';

const DispatcherContext = createContext<KeypressDispatcher | undefined>(undefined);

export function KeypressProvider({ children }: { children: ReactNode }) {
  const dispatcher = useMemo(() => new KeypressDispatcher(), []);
  useInput((input, key) => {
    dispatcher.dispatch(fromInk(input, key));
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
