/**
 * GATED: the Snowflake adapter against a real Snowflake account, for what the local stand-in
 * cannot do (SHOW STREAMS, SHOW TASKS, stream counts, TASK_HISTORY). Runs only with
 * SFPIPE_REAL_SNOWFLAKE=1, using the connection sfpipe itself would use (sfpipe.toml,
 * ~/.snowflake/connections.toml, SNOWFLAKE_* variables — see `sfpipe doctor`), read-only:
 *
 *   SFPIPE_REAL_SNOWFLAKE=1 npx vitest run test/integration/snowflake-real.test.ts
 *
 * backlog() resumes the admin warehouse for a few seconds (bills a minute of XSMALL credits).
 */
import { homedir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { toConnectionOptions } from '../../src/config/snowflake-options.js';
import { SnowflakeAdapter } from '../../src/services/snowflake/adapter.js';
import { topicObjects } from '../../src/services/snowflake/objects.js';

const enabled = process.env.SFPIPE_REAL_SNOWFLAKE === '1';
if (!enabled) {
  process.stderr.write('\n!!! SKIPPING snowflake-real.test.ts: set SFPIPE_REAL_SNOWFLAKE=1 (and configure a Snowflake connection) to run it against a real account\n\n');
}

describe.skipIf(!enabled)('snowflake adapter against a real Snowflake account (SFPIPE_REAL_SNOWFLAKE=1)', () => {
  // Asked for explicitly: a missing connection fails here, loudly, instead of skipping.
  const config = enabled ? loadConfig({ cwd: process.cwd(), env: process.env, homedir: homedir() }) : undefined;
  const conn = config?.snowflake.pipeline;
  const adapter = () => {
    if (!config || !conn) throw new Error('SFPIPE_REAL_SNOWFLAKE=1 but no Snowflake connection is configured (run `sfpipe doctor`)');
    return new SnowflakeAdapter({
      connectionOptions: () => toConnectionOptions(conn),
      database: config.snowflake.objects.database,
      schema: config.snowflake.objects.schema,
      warehouse: config.snowflake.objects.adminWarehouse,
      topics: topicObjects(config.kafka.topics),
      ...(conn.privateKeyFile ? { keyFile: conn.privateKeyFile } : {}),
      secrets: [conn.privateKeyPassphrase, conn.password],
    });
  };

  it('metadata() reads tables, streams and tasks with SHOW only (no warehouse-bound statement)', async () => {
    const a = adapter();
    try {
      const snap = await a.metadata({ timeoutMs: 60_000 });
      expect(snap.database).toBe(config!.snowflake.objects.database.toUpperCase());
      expect(snap.topics.map((t) => t.topic)).toEqual(config!.kafka.topics);
      const stats = a.stats();
      expect(stats.statements.warehouse).toBe(0);
      expect(stats.unsupported).toEqual([]); // a real account lists streams and tasks
      for (const t of snap.topics) {
        if (t.stream) expect(typeof t.stream.stale).toBe('boolean');
        if (t.task) expect(['started', 'suspended']).toContain(t.task.state);
        if (t.rawRows !== undefined) expect(Number.isInteger(t.rawRows) && t.rawRows >= 0).toBe(true);
      }
      process.stdout.write(`[snowflake-real] metadata: ${JSON.stringify(snap.topics.map((t) => ({ topic: t.topic, raw: t.rawRows, extracted: t.extractedRows, stream: t.stream?.stale, task: t.task?.state })))}\n`);
    } finally {
      await a.close();
    }
  });

  it('backlog() counts the streams and reads TASK_HISTORY for the objects that exist', async () => {
    const a = adapter();
    try {
      const snap = await a.metadata({ timeoutMs: 60_000 });
      const backlog = await a.backlog({ timeoutMs: 180_000 });
      expect(backlog.topics.map((t) => t.topic)).toEqual(config!.kafka.topics);
      for (const [i, t] of backlog.topics.entries()) {
        const meta = snap.topics[i]!;
        // a stream SHOW listed has a count; one that does not exist has none
        if (meta.stream) expect(t.streamBacklog).toBeGreaterThanOrEqual(0);
        else expect(t.streamBacklog).toBeUndefined();
        if (!meta.task) expect(t.lastRun).toBeUndefined();
      }
      expect(a.stats().statements.warehouse).toBeLessThanOrEqual(2);
      process.stdout.write(`[snowflake-real] backlog: ${JSON.stringify(backlog.topics)}\n`);
    } finally {
      await a.close();
    }
  });
});
