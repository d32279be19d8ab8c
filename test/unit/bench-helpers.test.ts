import { describe, expect, it } from 'vitest';
import { frameHasData, headerStatuses, liveSources } from '../../bench/lib/console.js';
import { changedLines, frameLines } from '../../bench/lib/fakeTerminal.js';
import { unionLength } from '../../bench/lib/intervals.js';
import { endpointOf } from '../../bench/lib/proxies.js';
import { formatTable, meets, measured, notMeasured } from '../../bench/lib/result.js';
import { classifySql, sqlKind } from '../../bench/lib/sqlClass.js';
import { interpolate } from '../../bench/metrics/rateAccuracy.js';

describe('interval union', () => {
  it('counts overlapping and nested intervals once, gaps not at all', () => {
    expect(unionLength([])).toBe(0);
    expect(unionLength([[0, 10], [5, 15], [20, 30], [22, 25]])).toBe(25);
    expect(unionLength([[20, 30], [0, 10]])).toBe(20);
    expect(unionLength([[0, 10], [10, 12]])).toBe(12);
    expect(unionLength([[5, 5], [7, 3]])).toBe(0);
  });
});

describe('Snowflake statement classes', () => {
  it('metadata and session commands do not wake a warehouse', () => {
    expect(classifySql('SHOW TABLES IN SCHEMA KAFKA_DB.PUBLIC')).toBe('metadata');
    expect(classifySql('  show streams')).toBe('metadata');
    expect(classifySql('-- monitoring\nDESCRIBE TABLE x')).toBe('metadata');
    expect(classifySql('SELECT CURRENT_VERSION()')).toBe('metadata');
    expect(classifySql('select 1')).toBe('metadata');
    expect(classifySql('USE ROLE R')).toBe('session');
    expect(classifySql('ALTER SESSION SET TIMEZONE = \'UTC\'')).toBe('session');
  });

  it('anything that reads data, stream probes and task runs count as warehouse-bound', () => {
    expect(classifySql('SELECT COUNT(*) FROM STREAM_ORDERS')).toBe('warehouse');
    expect(classifySql("SELECT SYSTEM$STREAM_HAS_DATA('S')")).toBe('warehouse');
    expect(classifySql('SELECT * FROM TABLE(INFORMATION_SCHEMA.TASK_HISTORY())')).toBe('warehouse');
    expect(classifySql('EXECUTE TASK T')).toBe('warehouse');
    expect(classifySql('/* c */ SELECT 1 FROM t')).toBe('warehouse');
  });

  it('names a statement by its first two words', () => {
    expect(sqlKind('show   tables in schema x')).toBe('SHOW TABLES');
  });
});

describe('proxy endpoint names', () => {
  it('drops the query and the API version, generalises ids and names', () => {
    expect(endpointOf('/v1.43/containers/json?all=1&filters=x')).toBe('/containers/json');
    expect(endpointOf('/containers/abc123/stats?stream=false')).toBe('/containers/{id}/stats');
    expect(endpointOf('/connectors?expand=status&expand=info')).toBe('/connectors');
    expect(endpointOf('/connectors/datagen-orders/status')).toBe('/connectors/{name}/status');
  });
});

describe('reading the console header', () => {
  const ready = 'sfpipe  ● docker ok 0s  ● kafka ok 1s  ○ connect not configured  ● snowflake ok 0s    refresh 2s  OPERATOR  10:53:53\n╔═══';
  it('takes each source\'s status word', () => {
    expect(headerStatuses(ready)).toEqual({ docker: 'ok', kafka: 'ok', connect: 'not', snowflake: 'ok' });
    expect(liveSources(ready)).toEqual(['docker', 'kafka', 'snowflake']);
  });

  it('has data once every source answered ok or is not configured, and one is ok', () => {
    expect(frameHasData(ready)).toBe(true);
    expect(frameHasData(ready.replace('kafka ok 1s', 'kafka connecting…'))).toBe(false);
    expect(frameHasData(ready.replace('kafka ok 1s', 'kafka down (unreachable)'))).toBe(false);
    expect(frameHasData('sfpipe  ○ docker not set  ○ kafka not set  ○ connect not set  ○ snowflake not set')).toBe(false);
    expect(frameHasData('')).toBe(false);
  });
});

describe('frames as text', () => {
  it('strips styling and cursor movement, and finds the lines that changed', () => {
    const a = frameLines('\x1b[2K\x1b[1A\x1b[G\x1b[1msfpipe\x1b[22m 10:00:00\nrow');
    const b = frameLines('\x1b[1msfpipe\x1b[22m 10:00:01\nrow\nnew');
    expect(a).toEqual(['sfpipe 10:00:00', 'row']);
    expect(changedLines(a, b)).toEqual([{ line: 0, text: 'sfpipe 10:00:01' }, { line: 2, text: 'new' }]);
  });
});

describe('rate interpolation', () => {
  const readings = [{ at: 0, end: 0 }, { at: 1_000, end: 500 }, { at: 3_000, end: 1_500 }];
  it('is linear between readings, exact on them, undefined outside', () => {
    expect(interpolate(readings, 500)).toBe(250);
    expect(interpolate(readings, 1_000)).toBe(500);
    expect(interpolate(readings, 2_000)).toBe(1_000);
    expect(interpolate(readings, -1)).toBeUndefined();
    expect(interpolate(readings, 3_001)).toBeUndefined();
  });
});

describe('metric results', () => {
  it('pass or fail against the goal; not measured has no value and no verdict', () => {
    expect(meets(1, { op: '<=', value: 1 })).toBe(true);
    expect(meets(1.01, { op: '<=', value: 1 })).toBe(false);
    expect(meets(0, { op: '==', value: 0 })).toBe(true);
    const m = measured('x', 3, 'ms', { op: '<=', value: 2 }, 'd');
    expect(m).toMatchObject({ value: 3, goal: '<= 2', pass: false });
    const n = notMeasured('y', 'ms', { op: '<=', value: 2 }, 'no tmux');
    expect(n).toMatchObject({ value: null, pass: null, detail: 'not measured: no tmux' });
    const table = formatTable([m, n]).split('\n');
    expect(table[2]).toMatch(/^x\s+3\s+ms\s+<= 2\s+FAIL\s*$/);
    expect(table[3]).toMatch(/^y\s+—\s+ms\s+<= 2\s+n\/a\s*$/);
  });
});
