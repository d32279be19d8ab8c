/**
 * The address `serve` listens on. Loopback unless the operator explicitly asks for more
 * (--allow-remote): a console that can run operations should not appear on a network by
 * a typo.
 */
import { isIP } from 'node:net';
import { SfpipeError } from '../domain/errors.js';

export interface ListenAddress {
  host: string;
  port: number;
  loopback: boolean;
}

export const DEFAULT_LISTEN = '127.0.0.1:2222';

export function isLoopback(host: string): boolean {
  const h = host.toLowerCase();
  if (isIP(h) === 4) return h.startsWith('127.');
  if (h.startsWith('::ffff:') && isIP(h.slice(7)) === 4) return h.slice(7).startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || h === '0:0:0:0:0:0:0:1';
  return false;
}

const bad = (text: string, why: string) =>
  new SfpipeError('invalid-input', 'cli', `--listen ${JSON.stringify(text)}: ${why}`, { location: '--listen', hint: 'write HOST:PORT, e.g. 127.0.0.1:2222 or [::1]:2222' });

/** "HOST:PORT", "[IPv6]:PORT" or a bare PORT (loopback); "localhost" means 127.0.0.1. */
export function parseListen(text: string = DEFAULT_LISTEN): ListenAddress {
  const value = text.trim();
  let host: string;
  let portText: string;
  if (/^\d+$/.test(value)) [host, portText] = ['127.0.0.1', value];
  else if (value.startsWith('[')) {
    const m = /^\[([^\]]+)\]:(\d+)$/.exec(value);
    if (!m) throw bad(text, 'an IPv6 address goes in brackets, then :PORT');
    [host, portText] = [m[1]!, m[2]!];
  } else {
    const i = value.lastIndexOf(':');
    if (i <= 0) throw bad(text, 'missing HOST or :PORT');
    [host, portText] = [value.slice(0, i), value.slice(i + 1)];
    if (host.includes(':')) throw bad(text, 'an IPv6 address goes in brackets');
  }
  if (!/^\d+$/.test(portText)) throw bad(text, `port "${portText}" is not a number`);
  const port = Number(portText);
  if (port > 65535) throw bad(text, `port ${port} is above 65535`);
  if (host.toLowerCase() === 'localhost') host = '127.0.0.1';
  if (isIP(host) === 0 && !/^[A-Za-z0-9.-]+$/.test(host)) throw bad(text, `"${host}" is not an address or host name`);
  return { host, port, loopback: isLoopback(host) };
}

/** Refuse a non-loopback address unless --allow-remote was given. */
export function assertListenAllowed(address: ListenAddress, allowRemote: boolean): void {
  if (address.loopback || allowRemote) return;
  throw new SfpipeError('invalid-input', 'cli', `--listen ${address.host}:${address.port} is not a loopback address; serving beyond this machine needs --allow-remote`, {
    location: '--listen',
    hint: 'add --allow-remote if you mean it (every key in authorized_keys can then reach the console from the network), or listen on 127.0.0.1',
  });
}
