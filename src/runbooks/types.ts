/**
 * A runbook is a list of steps. Each step can say whether its work is already done (check),
 * what it would run (plan: the Docker, REST and SQL operations, secrets redacted) and do it
 * (apply), reporting progress as it goes. The engine (engine.ts) runs them in order.
 */
import type { Clock } from '../domain/clock.js';
import type { ErrorKind, ErrorSource } from '../domain/errors.js';
import type { Secret } from '../config/secret.js';

export type OpKind = 'docker' | 'rest' | 'sql' | 'kafka' | 'file' | 'wait';

/** One operation a step would run, as shown by --dry-run and before a run. */
export interface PlannedOp {
  kind: OpKind;
  /** the command, request or statement, secrets redacted */
  text: string;
  /** where it comes from, e.g. sql/01-setup.sql:12 */
  location?: string;
}

export interface StepCheck {
  done: boolean;
  /** why: what was found */
  detail?: string;
}

export interface StepContext {
  /** aborted on a hard stop (a second Ctrl-C): give up the current step, release what it holds */
  signal: AbortSignal;
  clock: Clock;
  /** what the step is doing now (a status line), with a fraction 0..1 when it knows one */
  progress(message: string, fraction?: number): void;
  /** a line of an underlying command's output */
  output(line: string): void;
}

export interface RunbookStep {
  id: string;
  title: string;
  /** Is the step's work already done? Reads only; changes nothing. */
  check(ctx: StepContext): Promise<StepCheck>;
  /** What apply would run. Reads files and configuration only, never a service. */
  plan(): Promise<PlannedOp[]>;
  /** Do the work; resolves with a one-line account of what was done. */
  apply(ctx: StepContext): Promise<string | void>;
}

export interface Runbook {
  id: string;
  title: string;
  steps: RunbookStep[];
  /** values scrubbed from everything the runbook emits */
  secrets: (string | Secret | undefined)[];
  /** release sessions the steps opened */
  close?(): Promise<void>;
}

export interface ErrorInfo {
  kind: ErrorKind;
  source: ErrorSource;
  message: string;
  location?: string;
  hint?: string;
}

export type StepStatus = 'done' | 'skipped' | 'failed' | 'interrupted' | 'not-run' | 'would-run' | 'would-skip';

export interface StepResult {
  id: string;
  title: string;
  status: StepStatus;
  detail?: string;
  error?: ErrorInfo;
  durationMs?: number;
}

export type RunbookOutcome = 'completed' | 'failed' | 'aborted' | 'dry-run';

export interface RunbookResult {
  runbook: string;
  outcome: RunbookOutcome;
  steps: StepResult[];
  /** the step that failed or was interrupted */
  stoppedAt?: string;
  error?: ErrorInfo;
  durationMs: number;
}

export type RunbookEvent =
  | { type: 'start'; runbook: string; title: string; dryRun: boolean; steps: { id: string; title: string }[] }
  | { type: 'plan'; step: string; ops: PlannedOp[] }
  | { type: 'plan-failed'; step: string; error: ErrorInfo }
  | { type: 'step-start'; step: string; title: string; index: number; total: number }
  | { type: 'step-skipped'; step: string; detail: string }
  | { type: 'step-check'; step: string; done: boolean; detail: string }
  | { type: 'progress'; step: string; message: string; fraction?: number }
  | { type: 'output'; step: string; line: string }
  | { type: 'step-done'; step: string; detail: string; durationMs: number }
  | { type: 'step-failed'; step: string; error: ErrorInfo; interrupted: boolean }
  | { type: 'stopping'; reason: string }
  | { type: 'end'; result: RunbookResult };
