/** What every metric reports, and how the orchestrator prints and stores it. */

export type Comparison = '<=' | '>=' | '==';

export interface Goal {
  op: Comparison;
  value: number;
}

export interface MetricResult {
  /** e.g. "1a idle CPU, demo stack" */
  name: string;
  /** undefined when not measured (detail says why) */
  value: number | null;
  unit: string;
  /** human form of the goal, e.g. "<= 1" */
  goal: string;
  /** true/false against the goal; null when not measured */
  pass: boolean | null;
  detail: string;
  /** raw figures behind the value (samples summaries, counts), for results.json */
  data?: Record<string, unknown>;
}

export function meets(value: number, goal: Goal): boolean {
  switch (goal.op) {
    case '<=':
      return value <= goal.value;
    case '>=':
      return value >= goal.value;
    case '==':
      return value === goal.value;
  }
}

export function goalText(goal: Goal): string {
  return `${goal.op} ${goal.value}`;
}

export function measured(name: string, value: number, unit: string, goal: Goal, detail: string, data?: Record<string, unknown>): MetricResult {
  return { name, value, unit, goal: goalText(goal), pass: meets(value, goal), detail, ...(data ? { data } : {}) };
}

export function notMeasured(name: string, unit: string, goal: Goal, reason: string, data?: Record<string, unknown>): MetricResult {
  return { name, value: null, unit, goal: goalText(goal), pass: null, detail: `not measured: ${reason}`, ...(data ? { data } : {}) };
}

/** A fixed-width table for the terminal. */
export function formatTable(results: readonly MetricResult[]): string {
  const rows = results.map((r) => [
    r.name,
    r.value === null ? '—' : String(r.value),
    r.unit,
    r.goal,
    r.pass === null ? 'n/a' : r.pass ? 'PASS' : 'FAIL',
  ]);
  const header = ['metric', 'value', 'unit', 'goal', 'result'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 1 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
