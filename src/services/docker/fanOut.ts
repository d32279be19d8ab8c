/**
 * Per-item requests run at once under one call (an inspect per changed container). Each HTTP
 * request adds an abort listener to the signal it gets, and Node warns
 * (MaxListenersExceededWarning) past 10 on one AbortSignal — at 50 containers a false alarm on
 * stderr, which Ink owns. So the fan-out gets a signal of its own, sized for it: aborted with
 * the call's, or as soon as one item fails (the others' answers are no longer wanted), and
 * unlinked from the call's signal when done.
 */
import { defaultMaxListeners, setMaxListeners } from 'node:events';

export async function fanOut<T, R>(items: readonly T[], signal: AbortSignal, each: (item: T, signal: AbortSignal) => Promise<R>): Promise<R[]> {
  if (items.length === 0) return [];
  const controller = new AbortController();
  setMaxListeners(items.length + defaultMaxListeners, controller.signal);
  const onAbort = () => controller.abort(signal.reason);
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  try {
    return await Promise.all(items.map((item) => each(item, controller.signal)));
  } catch (err) {
    controller.abort();
    throw err;
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
