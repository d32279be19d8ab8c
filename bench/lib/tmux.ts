/**
 * The real console in a real pseudo-terminal: a tmux server of the bench's own (its own
 * socket, so nobody else's sessions are touched), one session per run, the pane's process
 * being sfpipe itself (exec), so its pid is the pane's pid.
 */
import { execFileSync, spawnSync } from 'node:child_process';

export class Tmux {
  readonly socket = `sfpipe-bench-${process.pid}`;

  private run(args: string[], check = true): string {
    // The server inherits the environment of whoever starts it: keep that minimal, so the
    // console sees only what start() passes (not the bench's own variables, not CI).
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root', TERM: 'xterm-256color' };
    const r = spawnSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8', timeout: 10_000, env });
    if (check && r.status !== 0) throw new Error(`tmux ${args[0]} failed: ${r.stderr || r.error?.message || `exit ${r.status}`}`);
    return r.stdout;
  }

  /**
   * Start `argv` in a detached session of the given size; the environment is exactly `env`
   * (tmux's own variables aside). Returns the pane's pid, which is the command's pid.
   */
  start(name: string, argv: string[], opts: { cwd: string; env: Record<string, string>; columns: number; rows: number; startMarker?: string }): number {
    const envArgs = Object.entries(opts.env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
    // A marker file written just before exec: the process's start time, to the nanosecond.
    const marker = opts.startMarker ? `date +%s%N > ${shellQuote(opts.startMarker)}; ` : '';
    const command = `${marker}exec ${argv.map(shellQuote).join(' ')}`;
    this.run(['new-session', '-d', '-s', name, '-x', String(opts.columns), '-y', String(opts.rows), '-c', opts.cwd, ...envArgs, command]);
    // keep the pane after the process ends, so a crash can still be read
    this.run(['set-option', '-t', name, 'remain-on-exit', 'on'], false);
    return Number(this.run(['display-message', '-p', '-t', name, '#{pane_pid}']).trim());
  }

  capture(name: string): string {
    return this.run(['capture-pane', '-p', '-t', name], false);
  }

  /** Copy everything the pane's program writes from now on into `file` (until unpipe). */
  pipe(name: string, file: string): void {
    this.run(['pipe-pane', '-t', name, `cat >> ${shellQuote(file)}`]);
  }

  unpipe(name: string): void {
    this.run(['pipe-pane', '-t', name], false);
  }

  sendKeys(name: string, ...keys: string[]): void {
    this.run(['send-keys', '-t', name, ...keys], false);
  }

  /** Whether the pane's process has ended. */
  dead(name: string): boolean {
    return this.run(['display-message', '-p', '-t', name, '#{pane_dead}'], false).trim() === '1';
  }

  kill(name: string): void {
    this.run(['kill-session', '-t', name], false);
  }

  /** Stop this bench's tmux server (only ours: it has its own socket). */
  shutdown(): void {
    this.run(['kill-server'], false);
  }
}

export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./=:,@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export function tmuxAvailable(): boolean {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
