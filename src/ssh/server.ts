/**
 * The SSH server of `sfpipe serve`: public-key logins only, one console per session over
 * one shared store (the pollers are the caller's, started once), nothing else — no shell,
 * exec, subsystem, forwarding, agent or X11. Sockets are accepted here and handed to ssh2
 * (injectSocket), so an address that keeps failing is dropped before any SSH is spoken and
 * a client that never logs in is cut off after the login grace time. Every refusal is
 * logged; counters are exposed for tests and `stats()`.
 */
import { createServer, type Server as NetServer, type Socket } from 'node:net';
import ssh2 from 'ssh2';
import type { AuthContext, Connection, PseudoTtyInfo, ServerChannel, Session } from 'ssh2';
import type { Clock } from '../domain/clock.js';
import type { ActionDescriptor, ConsoleMode } from '../keymap/actions.js';
import type { PipelineStoreReader } from '../ui/ConsoleContext.js';
import type { DetailsProvider } from '../ui/details/types.js';
import type { KeyRing } from './auth.js';
import { ChannelTerminal } from './channelTerminal.js';
import type { HostKey } from './hostKey.js';
import { describeWho, sessionMode, type SessionWho } from './identity.js';
import { loadInk, type InkModules } from '../ui/loadInk.js';
import { FailedAuthLimiter, IdleTimer, Slots, type LimitSettings } from './limits.js';
import type { PublicKeyEntry } from './publicKeys.js';
import { ConsoleSession, sendStatusAndClose } from './session.js';
import { detailsForSession } from './sessionDetails.js';
import { sharedRefresh, type SharedRefresh } from './sharedRefresh.js';
import { countSubscriptions, type CountedStore } from './storeTap.js';

export type LogLevel = 'info' | 'warn';
export type ServerLog = (level: LogLevel, message: string) => void;

export type RefusalKind =
  | 'blocked-address'
  | 'too-many-connections'
  | 'login-grace'
  | 'unknown-key'
  | 'key-not-allowed'
  | 'bad-signature'
  | 'password'
  | 'keyboard-interactive'
  | 'hostbased'
  | 'no-public-key'
  | 'too-many-auth-tries'
  | 'max-sessions'
  | 'exec'
  | 'subsystem'
  | 'pty'
  | 'x11'
  | 'agent-forwarding'
  | 'port-forwarding'
  | 'idle'
  | 'output-backlog';

export interface SshServerDeps {
  hostKey: Pick<HostKey, 'privateKey'>;
  keys: KeyRing;
  /** the one shared pipeline store (pollers write it; sessions only read) */
  store: PipelineStoreReader;
  /** refresh every source now (the pollers'); shared and rate-limited across sessions */
  refresh: () => Promise<void>;
  /** the `sfpipe status` text for sessions without a terminal */
  statusText: () => { text: string; exitCode: number };
  clock: Clock;
  /** store writes within this window draw one frame in a session (default CONSOLE_COALESCE_MS) */
  coalesceMs?: number;
  limits: LimitSettings;
  /**
   * The console's operations for one session: bound to its `who` (for the audit log) and,
   * when `mode` is read-only, refusing to run (the console shows them disabled as well).
   */
  actionsFor?: (who: SessionWho, mode: ConsoleMode) => readonly ActionDescriptor[];
  log: ServerLog;
  /** the console's details views; read-only sessions get them without the warehouse-bound table view */
  details?: DetailsProvider;
  /** everyone read-only (console.read_only in sfpipe.toml) */
  readOnlyReason?: string;
  /** injected for tests; loads Ink and the app once */
  ink?: () => Promise<InkModules>;
}

export interface ServerStats {
  /** TCP connections open */
  connections: number;
  unauthenticated: number;
  /** console and status sessions running */
  sessions: number;
  consoles: number;
  /** channel terminals not yet disposed */
  terminals: number;
  /** pipeline-store subscriptions held by sessions */
  storeSubscriptions: number;
  /** manual refreshes that actually reached the pollers */
  manualRefreshes: number;
  refusals: Partial<Record<RefusalKind, number>>;
  /** addresses with recent failed logins */
  trackedAddresses: number;
}

interface Conn {
  address: string;
  socket: Socket;
  client?: Connection;
  who?: SessionWho;
  key?: PublicKeyEntry;
  credentialsTried: number;
  /** asked which methods there are ('none'): a client that then leaves had nothing we accept */
  askedMethods: boolean;
  refusedKeys: Set<string>;
  grace?: unknown;
  idle?: IdleTimer;
  consoles: Set<ConsoleSession>;
  /** session slots this connection holds, given back when it goes whatever its channels do */
  releases: Set<() => void>;
}

const SHUTDOWN_GRACE_MS = 3_000;

/** Text a client chose (user name, command) made safe for a one-line log. */
export function printable(text: string, max = 80): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\x00-\x1f\x7f-\x9f]/g, '?');
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

const plainAddress = (ip: string | undefined) => (ip?.startsWith('::ffff:') ? ip.slice(7) : (ip ?? 'unknown'));

export class SshServer {
  private readonly net: NetServer;
  private readonly ssh: InstanceType<typeof ssh2.Server>;
  private readonly conns = new Map<string, Conn>();
  private readonly sessions: Slots;
  private readonly failures: FailedAuthLimiter;
  private readonly store: CountedStore;
  private readonly refreshShared: SharedRefresh;
  private readonly refusals: Partial<Record<RefusalKind, number>> = {};
  private readonly terminals = new Set<ChannelTerminal>();
  private closing = false;

  constructor(private readonly deps: SshServerDeps) {
    const { limits, clock } = deps;
    this.sessions = new Slots(limits.maxSessions);
    this.failures = new FailedAuthLimiter(clock, limits.maxAuthFailures, limits.authFailureWindowMs);
    this.store = countSubscriptions(deps.store);
    this.refreshShared = sharedRefresh(deps.refresh, clock, 1_000);
    this.ssh = new ssh2.Server({
      hostKeys: [deps.hostKey.privateKey],
      ident: 'sfpipe',
      keepaliveInterval: limits.keepaliveIntervalMs,
      keepaliveCountMax: limits.keepaliveCountMax,
    });
    this.ssh.on('connection', (client: Connection, info: { ip: string; port: number }) => this.onConnection(client, info));
    this.ssh.on('error', (err: Error) => deps.log('warn', `ssh server error: ${err.message}`));
    this.net = createServer((socket) => this.onSocket(socket));
  }

  /** Resolves with the address actually bound (port 0 picks a free one). */
  listen(host: string, port: number): Promise<{ host: string; port: number }> {
    return new Promise((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      this.net.once('error', onError);
      this.net.listen(port, host, () => {
        this.net.off('error', onError);
        this.net.on('error', (err) => this.deps.log('warn', `listener error: ${err.message}`));
        const a = this.net.address();
        resolve(typeof a === 'object' && a ? { host: a.address, port: a.port } : { host, port });
      });
    });
  }

  stats(): ServerStats {
    const conns = [...this.conns.values()];
    return {
      connections: conns.length,
      unauthenticated: conns.filter((c) => !c.who).length,
      sessions: this.sessions.active,
      consoles: conns.reduce((n, c) => n + c.consoles.size, 0),
      terminals: this.terminals.size,
      storeSubscriptions: this.store.subscriptions(),
      manualRefreshes: this.refreshShared.started(),
      refusals: { ...this.refusals },
      trackedAddresses: this.failures.trackedAddresses,
    };
  }

  /** Stop listening, tell every session the server is going away, and drop every connection. */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    const closed = new Promise<void>((resolve) => this.net.close(() => resolve()));
    const ends: Promise<unknown>[] = [];
    for (const conn of this.conns.values()) {
      for (const c of conn.consoles) {
        c.close('the server is shutting down');
        ends.push(c.done);
      }
    }
    await Promise.race([Promise.all(ends), delay(SHUTDOWN_GRACE_MS)]);
    const gone = [...this.conns.values()].map((conn) => {
      // Still in the map, so its 'close' has not fired yet (that handler removes it first).
      const closedSocket = new Promise<void>((resolve) => conn.socket.once('close', () => resolve()));
      this.drop(conn);
      return closedSocket;
    });
    await Promise.race([Promise.all([closed, ...gone]), delay(SHUTDOWN_GRACE_MS)]);
  }

  // ---- sockets and connections ----------------------------------------------

  private refuse(kind: RefusalKind, message: string): void {
    this.refusals[kind] = (this.refusals[kind] ?? 0) + 1;
    this.deps.log('warn', `refused (${kind}): ${message}`);
  }

  private onSocket(socket: Socket): void {
    const { limits, clock } = this.deps;
    const address = plainAddress(socket.remoteAddress);
    socket.on('error', () => undefined); // resets are normal (kill -9 of a client); the close handler cleans up
    if (this.closing) return void socket.destroy();
    const blocked = this.failures.blockedFor(address);
    if (blocked !== undefined) {
      this.refuse('blocked-address', `${address}: too many failed logins, blocked for ${Math.ceil(blocked / 1000)} s more`);
      return void socket.destroy();
    }
    const unauthenticated = [...this.conns.values()].filter((c) => !c.who).length;
    if (unauthenticated >= limits.maxUnauthenticated || this.conns.size >= limits.maxSessions + limits.maxUnauthenticated) {
      this.refuse('too-many-connections', `${address}: ${this.conns.size} connections open (${unauthenticated} not logged in)`);
      return void socket.destroy();
    }
    const conn: Conn = { address, socket, credentialsTried: 0, askedMethods: false, refusedKeys: new Set(), consoles: new Set(), releases: new Set() };
    const key = `${socket.remoteAddress}|${socket.remotePort}`;
    this.conns.set(key, conn);
    conn.grace = clock.setTimeout(() => {
      conn.grace = undefined;
      if (conn.who) return;
      this.refuse('login-grace', `${address}: not logged in within ${limits.loginGraceMs / 1000} s`);
      this.drop(conn);
    }, limits.loginGraceMs);
    socket.once('close', () => this.onSocketClosed(key, conn));
    this.ssh.injectSocket(socket);
  }

  private onSocketClosed(key: string, conn: Conn): void {
    this.conns.delete(key);
    if (conn.grace !== undefined) this.deps.clock.clearTimeout(conn.grace);
    conn.idle?.stop();
    for (const c of conn.consoles) c.abandon();
    for (const release of conn.releases) release();
    conn.releases.clear();
    if (!conn.who && conn.credentialsTried > 0) {
      const n = this.failures.record(conn.address);
      const blocked = n >= this.deps.limits.maxAuthFailures;
      this.deps.log('warn', `failed login from ${conn.address} (${n} in the last ${Math.round(this.deps.limits.authFailureWindowMs / 60_000)} min)${blocked ? '; address blocked' : ''}`);
    } else if (conn.who) {
      this.deps.log('info', `disconnected: ${describeWho(conn.who)}`);
    } else if (conn.askedMethods) {
      // e.g. `ssh -o PreferredAuthentications=password`: told "publickey only", the client gives up.
      this.refuse('no-public-key', `${conn.address}: left without offering a public key (password and keyboard-interactive are disabled)`);
    }
  }

  private onConnection(client: Connection, info: { ip: string; port: number }): void {
    const conn = this.conns.get(`${info.ip}|${info.port}`);
    client.on('error', (err: Error) => this.deps.log('info', `connection ${conn?.address ?? info.ip}: ${err.message}`));
    if (!conn) return void client.end();
    conn.client = client;
    client.on('authentication', (ctx: AuthContext) => this.onAuth(conn, ctx));
    client.on('ready', () => this.onReady(conn));
    client.on('session', (accept: () => Session) => this.onSession(conn, accept()));
    client.on('tcpip', (_accept: unknown, reject: () => void, req: { destIP: string; destPort: number }) => {
      this.refuse('port-forwarding', `${this.who(conn)}: direct-tcpip to ${printable(req.destIP)}:${req.destPort}`);
      reject();
    });
    client.on('openssh.streamlocal', (_accept: unknown, reject: () => void) => {
      this.refuse('port-forwarding', `${this.who(conn)}: direct-streamlocal`);
      reject();
    });
    client.on('request', (_accept: unknown, reject: (() => void) | undefined, name: string) => {
      this.refuse('port-forwarding', `${this.who(conn)}: global request ${printable(name)}`);
      reject?.();
    });
  }

  private who(conn: Conn): string {
    return conn.who ? describeWho(conn.who) : conn.address;
  }

  private drop(conn: Conn): void {
    try {
      conn.client?.end();
    } catch {
      // already gone
    }
    conn.socket.destroy();
  }

  // ---- authentication ---------------------------------------------------------

  private onAuth(conn: Conn, ctx: AuthContext): void {
    const { keys, clock, limits } = this.deps;
    const user = printable(ctx.username, 32);
    const tried = (kind: RefusalKind, message: string) => {
      conn.credentialsTried++;
      this.refuse(kind, `${user}@${conn.address}: ${message}`);
      ctx.reject(['publickey']);
      if (conn.credentialsTried >= limits.maxAuthTries) {
        this.refuse('too-many-auth-tries', `${user}@${conn.address}: ${conn.credentialsTried} attempts`);
        this.drop(conn);
      }
    };
    switch (ctx.method) {
      case 'none':
        conn.askedMethods = true;
        return ctx.reject(['publickey']);
      case 'password':
        // The password itself is never looked at, kept or logged.
        return tried('password', 'password authentication is disabled (public keys only)');
      case 'keyboard-interactive':
        return tried('keyboard-interactive', 'keyboard-interactive authentication is disabled (public keys only)');
      case 'hostbased':
        return tried('hostbased', 'host-based authentication is disabled (public keys only)');
      case 'publickey': {
        const decision = keys.check(ctx.key.data, conn.address, clock.now());
        if (!decision.ok) {
          // Some clients try a refused key again, signed: count and log each key once per connection.
          if (conn.refusedKeys.has(decision.fingerprint)) return ctx.reject(['publickey']);
          conn.refusedKeys.add(decision.fingerprint);
          return tried(decision.reason.startsWith('key not') ? 'unknown-key' : 'key-not-allowed', `${decision.fingerprint}: ${decision.reason}`);
        }
        if (!ctx.signature || !ctx.blob) return ctx.accept(); // "would this key do?" — yes; the signed attempt follows
        if (!keys.verify(decision.key, ctx.blob, ctx.signature, ctx.hashAlgo)) {
          return tried('bad-signature', `${decision.key.fingerprint}: signature does not verify`);
        }
        conn.key = decision.key;
        conn.who = { kind: 'ssh', user, fingerprint: decision.key.fingerprint, keyComment: printable(decision.key.comment, 64), address: conn.address, role: decision.role };
        return ctx.accept();
      }
    }
  }

  private onReady(conn: Conn): void {
    if (conn.grace !== undefined) this.deps.clock.clearTimeout(conn.grace);
    conn.grace = undefined;
    if (!conn.who) return this.drop(conn); // cannot happen: only a verified key accepts
    this.deps.log('info', `logged in: ${describeWho(conn.who)}`);
    const { limits, clock } = this.deps;
    conn.idle = new IdleTimer(clock, limits.idleTimeoutMs, () => {
      const minutes = Math.round(limits.idleTimeoutMs / 60_000);
      this.refuse('idle', `${this.who(conn)}: no input for ${minutes} min`);
      for (const c of conn.consoles) c.close(`closing this idle session (no input for ${minutes} min)`);
      // Give the goodbye a moment to reach the client, then drop the connection whatever it does.
      void Promise.race([Promise.all([...conn.consoles].map((c) => c.done)), delay(SHUTDOWN_GRACE_MS)]).then(() => this.drop(conn));
    });
  }

  // ---- sessions -----------------------------------------------------------------

  private onSession(conn: Conn, session: Session): void {
    let pty: PseudoTtyInfo | undefined;
    let terminal: ChannelTerminal | undefined;
    const who = this.who(conn);
    session.on('pty', (accept: () => void, reject: () => void, info: PseudoTtyInfo) => {
      if (conn.key?.restrictions.noPty) {
        this.refuse('pty', `${who}: the key is no-pty (${conn.key.location}); the session gets the status text`);
        return reject();
      }
      pty = info;
      accept?.();
    });
    session.on('window-change', (accept: (() => void) | undefined, _reject: unknown, info: { cols: number; rows: number }) => {
      accept?.();
      if (terminal) terminal.resize({ columns: info.cols, rows: info.rows });
      else if (pty) pty = { ...pty, cols: info.cols, rows: info.rows };
    });
    // Environment variables are not used (and could carry anything): declined quietly.
    session.on('env', (_accept: unknown, reject?: () => void) => reject?.());
    session.on('signal', (_accept: unknown, reject?: () => void) => reject?.());
    session.on('x11', (_accept: unknown, reject: () => void) => {
      this.refuse('x11', `${who}: X11 forwarding`);
      reject?.();
    });
    session.on('auth-agent', (_accept: unknown, reject: () => void) => {
      this.refuse('agent-forwarding', `${who}: agent forwarding`);
      reject?.();
    });
    session.on('exec', (_accept: unknown, reject: () => void, info: { command: string }) => {
      this.refuse('exec', `${who}: exec "${printable(info.command, 60)}" (only the console is served)`);
      reject?.();
    });
    session.on('subsystem', (_accept: unknown, reject: () => void, info: { name: string }) => {
      this.refuse('subsystem', `${who}: subsystem ${printable(info.name)}`);
      reject?.();
    });
    session.on('sftp', (_accept: unknown, reject: () => void) => {
      this.refuse('subsystem', `${who}: sftp`);
      reject?.();
    });
    session.on('shell', (accept: () => ServerChannel) => {
      const channel = accept();
      channel.on('error', (err: Error) => this.deps.log('info', `${who}: channel error: ${err.message}`));
      const acquired = this.sessions.acquire();
      if (!acquired) {
        this.refuse('max-sessions', `${who}: ${this.sessions.capacity} sessions already running`);
        channel.resume();
        return sendStatusAndClose(channel, `sfpipe: the server is full (${this.sessions.capacity} sessions); try again later\r\n`, 1);
      }
      const release = () => {
        acquired();
        conn.releases.delete(release);
      };
      conn.releases.add(release);
      channel.once('close', release);
      if (!pty) {
        // ssh2 emits 'close' only once the channel's input has been read to its end: discard it.
        channel.resume();
        const { text, exitCode } = this.deps.statusText();
        this.deps.log('info', `${who}: no terminal, sent the status text`);
        return sendStatusAndClose(channel, text, exitCode);
      }
      terminal = this.startConsole(conn, channel, pty);
    });
  }

  private startConsole(conn: Conn, channel: ServerChannel, pty: PseudoTtyInfo): ChannelTerminal {
    const { limits, clock } = this.deps;
    const who = conn.who!;
    let consoleSession: ConsoleSession | undefined;
    const terminal = new ChannelTerminal(channel, {
      size: { columns: pty.cols, rows: pty.rows },
      onInput: () => conn.idle?.touch(),
      maxBacklogBytes: limits.maxOutputBacklogBytes,
      onBacklog: () => {
        this.refuse('output-backlog', `${describeWho(who)}: client is not reading its output`);
        consoleSession?.abandon();
        channel.close();
      },
    });
    this.terminals.add(terminal);
    const mode = sessionMode(who, this.deps.readOnlyReason);
    const details = detailsForSession(this.deps.details, mode);
    // Channel events may come before Ink has loaded: remember them and apply when the console exists.
    let gone = false;
    channel.once('close', () => {
      gone = true;
      terminal.dispose();
      consoleSession?.abandon();
    });
    void (this.deps.ink ?? loadInk)()
      .then((ink) => {
        if (gone || this.closing) {
          this.terminals.delete(terminal);
          return;
        }
        const session = new ConsoleSession(channel, terminal, {
          ink,
          store: this.store.reader,
          clock,
          ...(this.deps.coalesceMs !== undefined ? { coalesceMs: this.deps.coalesceMs } : {}),
          mode,
          actions: this.deps.actionsFor?.(who, mode) ?? [],
          color: pty.term !== 'dumb',
          onRefresh: () => void this.refreshShared(),
          ...(details ? { details } : {}),
        });
        consoleSession = session;
        conn.consoles.add(session);
        this.deps.log('info', `console opened: ${describeWho(who)} (${pty.cols}×${pty.rows})`);
        void session.done.then((how) => {
          conn.consoles.delete(session);
          this.terminals.delete(terminal);
          this.deps.log('info', `console closed (${how}): ${describeWho(who)}`);
        });
      })
      // Ink failed to load or the app to start: this session gets an apology, the server goes on.
      .catch((err: unknown) => {
        this.terminals.delete(terminal);
        terminal.dispose();
        this.deps.log('warn', `cannot start the console for ${describeWho(who)}: ${err instanceof Error ? err.message : String(err)}`);
        sendStatusAndClose(channel, 'sfpipe: the console could not start; see the server log\r\n', 1);
      });
    return terminal;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
