/** Readiness probes: the broker answers a metadata request; the worker answers REST and has FileStreamSource. */
import { Kafka, logLevel } from 'kafkajs';

const PROBE_TIMEOUT_MS = 8_000;

/** True when a kafkajs admin client can fetch cluster metadata naming at least one broker. */
export async function brokerAnswers(brokers: string): Promise<boolean> {
  const admin = new Kafka({
    clientId: 'sfpipe-harness-probe',
    brokers: [brokers],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 2_000,
    requestTimeout: 3_000,
    retry: { retries: 0 },
  }).admin();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no metadata from ${brokers} within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
  });
  try {
    const probe = (async () => {
      await admin.connect();
      return (await admin.describeCluster()).brokers.length > 0;
    })();
    probe.catch(() => undefined); // if the deadline wins, the probe's own failure is moot
    return await Promise.race([probe, deadline]);
  } finally {
    clearTimeout(timer);
    await admin.disconnect().catch(() => undefined);
  }
}

/** True when GET /connectors answers with a list and GET /connector-plugins lists FileStreamSource. */
export async function connectAnswers(url: string): Promise<boolean> {
  const connectors = await fetch(`${url}/connectors`, { signal: AbortSignal.timeout(3_000) });
  if (!connectors.ok || !Array.isArray(await connectors.json())) return false;
  const plugins = await fetch(`${url}/connector-plugins`, { signal: AbortSignal.timeout(3_000) });
  if (!plugins.ok) return false;
  const list = (await plugins.json()) as { class?: string }[];
  return Array.isArray(list) && list.some((p) => p.class === 'org.apache.kafka.connect.file.FileStreamSourceConnector');
}
