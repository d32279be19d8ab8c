import { describe, expect, it } from 'vitest';
import { showIn, streamBacklogs, tableCounts, taskCommand, taskHistory } from './queries.js';

const ref = { database: 'kafka_db', schema: 'PUBLIC' };

describe('statements', () => {
  it('quote every configured name and say what they cost', () => {
    expect(showIn(ref, 'TABLES')).toEqual({ sql: 'SHOW TABLES IN SCHEMA "KAFKA_DB"."PUBLIC"', cost: 'metadata', what: 'SHOW TABLES' });
    expect(tableCounts(ref, ['ORDERS', 'ORDERS_EXTRACTED'])).toEqual({
      sql: `SELECT 'ORDERS' AS NAME, COUNT(*) AS N FROM "KAFKA_DB"."PUBLIC"."ORDERS"\nUNION ALL\nSELECT 'ORDERS_EXTRACTED' AS NAME, COUNT(*) AS N FROM "KAFKA_DB"."PUBLIC"."ORDERS_EXTRACTED"`,
      cost: 'metadata',
      what: 'count table rows',
    });
    expect(streamBacklogs(ref, ['STREAM_ORDERS']).cost).toBe('warehouse');
    const history = taskHistory(ref, ['TASK_EXTRACT_AVRO_FROM_ORDERS']);
    expect(history.cost).toBe('warehouse');
    expect(history.sql).toContain('FROM TABLE("KAFKA_DB".INFORMATION_SCHEMA.TASK_HISTORY(');
    expect(history.sql).toContain("WHERE DATABASE_NAME = 'KAFKA_DB'\n  AND SCHEMA_NAME = 'PUBLIC'\n  AND NAME IN ('TASK_EXTRACT_AVRO_FROM_ORDERS')");
    expect(taskCommand(ref, 'task_extract_avro_from_orders', 'SUSPEND').sql).toBe('ALTER TASK "KAFKA_DB"."PUBLIC"."TASK_EXTRACT_AVRO_FROM_ORDERS" SUSPEND');
    expect(taskCommand(ref, 'T1', 'EXECUTE')).toMatchObject({ sql: 'EXECUTE TASK "KAFKA_DB"."PUBLIC"."T1"', cost: 'warehouse' });
  });

  it('refuse a name that could change the statement, naming the field', () => {
    expect(() => taskCommand(ref, 'T1" SUSPEND; DROP DATABASE X; --', 'RESUME')).toThrow(expect.objectContaining({ kind: 'invalid-input', source: 'snowflake', location: 'task' }));
    expect(() => showIn({ database: 'KAFKA DB', schema: 'PUBLIC' }, 'TASKS')).toThrow(expect.objectContaining({ location: 'snowflake.database' }));
  });
});
