import { describe, expect, it } from 'vitest';
import { connectorLines, containerLogLines, funnelLines, ingestionLines, tableLines, topicLines } from './format.js';
import { REDACTED } from './redact.js';

const text = (lines: Array<{ text: string }>) => lines.map((l) => l.text).join('\n');
const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);

describe('details as lines', () => {
  it('connector: redacts secret-looking keys even if the adapter did not, and shows task traces', () => {
    const out = text(
      connectorLines({
        name: 'snowflake-sink',
        state: 'RUNNING',
        trace: undefined,
        config: { 'snowflake.private.key': 'MIIEvQIBADANBg', 'snowflake.private.key.passphrase': 'hunter2', 'snowflake.user.name': 'KAFKA_DEMO' },
        tasks: [{ id: 0, state: 'FAILED', workerId: 'w1', trace: 'org.apache.kafka.connect.errors.ConnectException: boom\n\tat x.y(Z.java:1)' }],
      }),
    );
    expect(out).not.toContain('MIIEvQIBADANBg');
    expect(out).not.toContain('hunter2');
    expect(out).toContain(`snowflake.private.key = ${REDACTED}`);
    expect(out).toContain('snowflake.user.name = KAFKA_DEMO');
    expect(out).toContain('✗ task 0: FAILED on w1');
    expect(out).toContain('ConnectException: boom');
  });

  it('container logs: escape sequences from the container cannot reach the terminal', () => {
    expect(text(containerLogLines(['\x1b[2J\x1b[31mstarted\x1b[0m']))).toBe('started');
    expect(text(containerLogLines([]))).toContain('no log lines');
  });

  it('topic: partitions with lag and the last messages decoded', () => {
    const out = text(
      topicLines(
        {
          topic: 'orders',
          partitions: [{ partition: 0, earliest: 0, end: 1200, committed: 1000 }],
          messages: [{ partition: 0, offset: 1199, timestamp: NOW, key: '42', value: '{"orderid":42}', format: 'avro' }],
        },
        true,
      ),
    );
    expect(out).toMatch(/0\s+0\s+1,200\s+1,000\s+200/);
    expect(out).toContain('p0@1199 12:00:00 [avro] key=42');
    expect(out).toContain('{"orderid":42}');
  });

  it('table: rows fetched on demand, task runs, and the warehouse note', () => {
    const out = text(tableLines({ table: 'ORDERS', columns: ['RECORD_METADATA', 'RECORD_CONTENT'], rows: [['{}', '{"a":1}']], taskRuns: [{ scheduledAt: NOW, state: 'FAILED', error: 'SQL compilation error' }], notes: ['resumed KAFKA_TASK_WH'] }, true));
    expect(out).toContain('resumed KAFKA_TASK_WH');
    expect(out).toContain('RECORD_METADATA │ RECORD_CONTENT');
    expect(out).toContain('12:00:00 ✗ FAILED: SQL compilation error');
  });

  it('table: rows ingested per minute as HH:MM, a bar scaled to the busiest minute, the count, and gaps', () => {
    const at = (m: number) => Date.UTC(2026, 0, 15, 11, m);
    const lines = ingestionLines([{ minute: at(50), rows: 10 }, { minute: at(51), rows: 40 }, { minute: at(55), rows: 1_200 }], true).map((l) => l.text);
    expect(lines[0]).toContain('Kafka CreateTime');
    expect(lines.slice(1)).toEqual([
      `  11:50 ${'█'.padEnd(20)}       10`,
      `  11:51 ${'█'.padEnd(20)}       40`,
      '  ⋮     no rows for 3m',
      `  11:55 ${'█'.repeat(20)}    1,200`,
    ]);
    expect(text(ingestionLines([], true))).toContain('no rows produced in the last hour');
    expect(text(ingestionLines(undefined, true))).toContain('not available');
    const inTable = text(tableLines({ table: 'ORDERS', columns: ['C'], rows: [['x']], ingestion: [{ minute: at(30), rows: 7 }], taskRuns: [], notes: [] }, true));
    expect(inTable.indexOf('11:30')).toBeGreaterThan(inTable.indexOf('Latest 1 rows'));
    expect(inTable.indexOf('11:30')).toBeLessThan(inTable.indexOf('Task runs'));
  });

  it('funnel: marks the stage where records wait and says for how long', () => {
    const lines = funnelLines(
      { topic: 'orders', produced: 1000, committedBySink: 400, sinkLag: 600, rawRows: 400, inStream: 0, extractedRows: 400, verdict: { waitingAt: 'produced', waiting: 600, since: NOW - 180_000, explanation: '600 records wait for the sink' } },
      NOW,
    );
    expect(lines.find((l) => l.text.includes('◀'))?.text).toContain('produced');
    expect(text(lines)).toContain('600 records wait for the sink (for 3m)');
  });
});
