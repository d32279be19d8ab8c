import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { ChannelTerminal, toCrlf, type ChannelLike } from './channelTerminal.js';

/** What the terminal sees of an ssh2 channel: data events in, write out, a queue length. */
class FakeChannel extends EventEmitter implements ChannelLike {
  written = '';
  writableLength = 0;
  write(data: string | Buffer): boolean {
    this.written += data.toString();
    return true;
  }
}

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('line endings', () => {
  it('turns bare LF into CRLF and leaves CRLF alone', () => {
    expect(toCrlf('a\nb\r\nc\n')).toBe('a\r\nb\r\nc\r\n');
    expect(toCrlf('\x1b[2K\x1b[1A')).toBe('\x1b[2K\x1b[1A');
  });
});

describe('channel terminal', () => {
  it('looks like a TTY of the pty size, and writes with CRLF', async () => {
    const channel = new FakeChannel();
    const t = new ChannelTerminal(channel, { size: { columns: 120, rows: 40 } });
    expect([t.stdout.isTTY, t.stdout.columns, t.stdout.rows, t.stdin.isTTY]).toEqual([true, 120, 40, true]);
    expect(t.stdin.setRawMode(true)).toBe(t.stdin);
    t.stdin.ref();
    t.stdin.unref();
    t.stdout.write('line one\nline two\n');
    await flush();
    expect(channel.written).toBe('line one\r\nline two\r\n');
  });

  it('falls back to 80x24 when the client reports no size', () => {
    const t = new ChannelTerminal(new FakeChannel(), { size: { columns: 0, rows: 0 } });
    expect(t.size).toEqual({ columns: 80, rows: 24 });
  });

  it('emits resize on a window change that changes the size, not otherwise', () => {
    const t = new ChannelTerminal(new FakeChannel(), { size: { columns: 100, rows: 30 } });
    let resized = 0;
    t.stdout.on('resize', () => resized++);
    t.resize({ columns: 160, rows: 45 });
    expect(t.size).toEqual({ columns: 160, rows: 45 });
    t.resize({ columns: 160, rows: 45 });
    t.resize({ columns: -1, rows: 45 }); // nonsense keeps the last good size
    expect(resized).toBe(1);
    expect(t.size).toEqual({ columns: 160, rows: 45 });
  });

  it('feeds client input to stdin and reports activity', async () => {
    const channel = new FakeChannel();
    let inputs = 0;
    const t = new ChannelTerminal(channel, { size: { columns: 80, rows: 24 }, onInput: () => inputs++ });
    const got: string[] = [];
    t.stdin.setEncoding('utf8');
    t.stdin.on('data', (d: string) => got.push(d));
    channel.emit('data', Buffer.from('q'));
    await flush();
    expect(got).toEqual(['q']);
    expect(inputs).toBe(1);
  });

  it('after dispose: no listener left on the channel, writes dropped, stdout still writable', async () => {
    const channel = new FakeChannel();
    const t = new ChannelTerminal(channel, { size: { columns: 80, rows: 24 } });
    expect(channel.listenerCount('data')).toBe(1);
    t.dispose();
    expect(channel.listenerCount('data')).toBe(0);
    t.stdout.write('late frame\n');
    t.writeLine('bye');
    await flush();
    expect(channel.written).toBe('');
    expect(t.stdout.destroyed).toBe(false);
  });

  it('stops writing and says so when the client does not read', async () => {
    const channel = new FakeChannel();
    let backlog = 0;
    const t = new ChannelTerminal(channel, { size: { columns: 80, rows: 24 }, maxBacklogBytes: 1000, onBacklog: () => backlog++ });
    t.stdout.write('frame 1\n');
    channel.writableLength = 5000;
    t.stdout.write('frame 2\n');
    await flush();
    expect(channel.written).toBe('frame 1\r\n');
    expect(backlog).toBe(1);
  });
});
