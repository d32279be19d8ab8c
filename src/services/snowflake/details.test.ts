import { describe, expect, it } from 'vitest';
import { ingestionHistoryStatement, ingestionMinutesOf, latestRowsStatement, MAX_DETAIL_ROWS, tableRowsOf, taskHistoryStatement, taskRunsOf } from './details.js';

const ref = { database: 'KAFKA_DB', schema: 'PUBLIC' };

describe('latestRowsStatement', () => {
  it('reads the newest rows by Kafka CreateTime then offset, on a warehouse', () => {
    const s = latestRowsStatement(ref, 'orders', 10);
    expect(s.sql).toBe('SELECT * FROM "KAFKA_DB"."PUBLIC"."ORDERS" ORDER BY RECORD_METADATA:CreateTime DESC NULLS LAST, RECORD_METADATA:offset DESC NULLS LAST LIMIT 10');
    expect(s.cost).toBe('warehouse');
    expect(s.what).toBe('latest rows of ORDERS');
  });

  it('refuses a name that is not a plain Snowflake name, and a row count out of range', () => {
    expect(() => latestRowsStatement(ref, 'ORDERS"; DROP TABLE X; --', 10)).toThrow(expect.objectContaining({ kind: 'invalid-input', location: 'table' }) as Error);
    for (const n of [0, -1, 1.5, MAX_DETAIL_ROWS + 1, Number.NaN]) {
      expect(() => latestRowsStatement(ref, 'ORDERS', n)).toThrow(expect.objectContaining({ kind: 'invalid-input', source: 'snowflake' }) as Error);
    }
  });
});

describe('ingestionHistoryStatement', () => {
  it('counts rows per minute of Kafka CreateTime since a time, newest minutes first, on a warehouse', () => {
    const s = ingestionHistoryStatement(ref, 'orders', 1_768_478_400_000, 10);
    expect(s.sql).toBe(
      [
        'SELECT FLOOR(RECORD_METADATA:CreateTime::NUMBER / 60000) * 60000 AS MINUTE, COUNT(*) AS ROWS',
        'FROM "KAFKA_DB"."PUBLIC"."ORDERS"',
        'WHERE RECORD_METADATA:CreateTime::NUMBER >= 1768478400000',
        'GROUP BY 1',
        'ORDER BY 1 DESC',
        'LIMIT 10',
      ].join('\n'),
    );
    expect(s.cost).toBe('warehouse');
    expect(s.what).toBe('ingestion history of ORDERS');
  });

  it('refuses a name, a time or a limit that could change the statement', () => {
    expect(() => ingestionHistoryStatement(ref, 'ORDERS" --', 0, 10)).toThrow(expect.objectContaining({ kind: 'invalid-input', location: 'table' }) as Error);
    for (const since of [Number.NaN, -1, 1.5, Infinity]) {
      expect(() => ingestionHistoryStatement(ref, 'ORDERS', since, 10)).toThrow(expect.objectContaining({ kind: 'invalid-input', source: 'snowflake' }) as Error);
    }
    expect(() => ingestionHistoryStatement(ref, 'ORDERS', 0, 0)).toThrow(expect.objectContaining({ kind: 'invalid-input' }) as Error);
  });
});

describe('ingestionMinutesOf', () => {
  it('turns newest-first rows around, reads numbers leniently and skips unreadable rows', () => {
    expect(
      ingestionMinutesOf([
        { MINUTE: 180_000, ROWS: 2 },
        { minute: '120000', rows: '5' },
        { MINUTE: null, ROWS: 1 },
        { MINUTE: 60_000, ROWS: 'many' },
        { MINUTE: 0, ROWS: 1 },
      ]),
    ).toEqual([
      { minute: 0, rows: 1 },
      { minute: 120_000, rows: 5 },
      { minute: 180_000, rows: 2 },
    ]);
  });
});

describe('taskHistoryStatement', () => {
  it('one task in this schema, newest first, bounded', () => {
    const s = taskHistoryStatement(ref, 'task_extract_avro_from_orders', 20);
    expect(s.sql).toContain(`TASK_HISTORY(TASK_NAME => 'TASK_EXTRACT_AVRO_FROM_ORDERS'`);
    expect(s.sql).toContain('FROM TABLE("KAFKA_DB".INFORMATION_SCHEMA.TASK_HISTORY(');
    expect(s.sql).toContain(`WHERE DATABASE_NAME = 'KAFKA_DB'\n  AND SCHEMA_NAME = 'PUBLIC'`);
    expect(s.sql.endsWith('ORDER BY SCHEDULED_TIME DESC\nLIMIT 20')).toBe(true);
    expect(s.cost).toBe('warehouse');
  });

  it("refuses a task name that could change the statement", () => {
    expect(() => taskHistoryStatement(ref, "T') OR 1=1 --", 20)).toThrow(expect.objectContaining({ kind: 'invalid-input' }) as Error);
  });
});

describe('tableRowsOf', () => {
  it('keeps the columns in the server’s order and turns newest-first rows around', () => {
    const d = new Date(0);
    expect(tableRowsOf([{ B: 2, A: 'new', T: d }, { B: 1, A: 'old', T: null }])).toEqual({ columns: ['B', 'A', 'T'], rows: [[1, 'old', null], [2, 'new', d]] });
    expect(tableRowsOf([])).toEqual({ columns: [], rows: [] });
  });
});

describe('taskRunsOf', () => {
  it('reads TASK_HISTORY rows leniently, keeping their order', () => {
    const runs = taskRunsOf([
      { NAME: 'T', STATE: 'scheduled', SCHEDULED_TIME: new Date(3_000), QUERY_START_TIME: null, COMPLETED_TIME: null, ERROR_CODE: null, ERROR_MESSAGE: null },
      { NAME: 'T', STATE: 'FAILED', SCHEDULED_TIME: '2026-01-01 00:00:00.000 +0000', QUERY_START_TIME: new Date(2_100), COMPLETED_TIME: new Date(2_200), ERROR_CODE: '002003', ERROR_MESSAGE: 'Object does not exist' },
      { NAME: 'T', STATE: 'SUCCEEDED', SCHEDULED_TIME: 1_000, COMPLETED_TIME: 1_200 },
      { NAME: 'T', STATE: 'FAILED', SCHEDULED_TIME: 'not a time' },
      { NAME: 'T', SCHEDULED_TIME: 5 },
    ]);
    expect(runs).toEqual([
      { scheduledAt: 3_000, state: 'SCHEDULED', startedAt: undefined, completedAt: undefined, error: undefined },
      { scheduledAt: Date.UTC(2026, 0, 1), state: 'FAILED', startedAt: 2_100, completedAt: 2_200, error: '002003: Object does not exist' },
      { scheduledAt: 1_000, state: 'SUCCEEDED', startedAt: undefined, completedAt: 1_200, error: undefined },
    ]);
  });
});
