/**
 * Loads one details view through the DetailsProvider: loading, then lines or the error.
 * Closing the view aborts the request; a late answer for a closed view is dropped.
 */
import { useEffect, useState } from 'react';
import { isSfpipeError } from '../../domain/errors.js';
import type { Line } from '../components/ScrollView.js';
import { containerLogLines, connectorLines, tableLines, topicLines } from './format.js';
import type { DetailRequest, DetailsProvider } from './types.js';

export const LOG_TAIL = 200;
export const LAST_MESSAGES = 10;
export const LATEST_ROWS = 10;

export type DetailState = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; lines: Line[] };

async function load(provider: DetailsProvider, request: Exclude<DetailRequest, { kind: 'funnel' }>, signal: AbortSignal, utc: boolean): Promise<Line[]> {
  switch (request.kind) {
    case 'container':
      return containerLogLines(await provider.containerLogs(request.id, LOG_TAIL, signal));
    case 'connector':
      return connectorLines(await provider.connector(request.name, signal));
    case 'topic':
      return topicLines(await provider.topic(request.topic, LAST_MESSAGES, signal), utc);
    case 'table':
      return tableLines(await provider.table(request.topic, LATEST_ROWS, signal), utc);
  }
}

export function useDetail(provider: DetailsProvider | undefined, request: Exclude<DetailRequest, { kind: 'funnel' }>, utc: boolean): DetailState {
  const [state, setState] = useState<DetailState>({ status: 'loading' });
  useEffect(() => {
    if (!provider) {
      setState({ status: 'error', message: 'Details need a live connection to the services; this console has none.' });
      return;
    }
    const controller = new AbortController();
    setState({ status: 'loading' });
    load(provider, request, controller.signal, utc).then(
      (lines) => {
        if (!controller.signal.aborted) setState({ status: 'ready', lines });
      },
      (err: unknown) => {
        if (controller.signal.aborted) return;
        const message = isSfpipeError(err) ? err.describe() : err instanceof Error ? err.message : String(err);
        setState({ status: 'error', message });
      },
    );
    return () => controller.abort();
    // The request lives in the UI store while the view is open, so its identity is stable.
  }, [provider, request, utc]);
  return state;
}
