import { describe, expect, it } from 'vitest';
import { assertListenAllowed, isLoopback, parseListen } from './address.js';

describe('--listen', () => {
  it('defaults to 127.0.0.1:2222 and reads the usual forms', () => {
    expect(parseListen()).toEqual({ host: '127.0.0.1', port: 2222, loopback: true });
    expect(parseListen('2200')).toEqual({ host: '127.0.0.1', port: 2200, loopback: true });
    expect(parseListen('localhost:0')).toEqual({ host: '127.0.0.1', port: 0, loopback: true });
    expect(parseListen('[::1]:2222')).toEqual({ host: '::1', port: 2222, loopback: true });
    expect(parseListen('0.0.0.0:22')).toEqual({ host: '0.0.0.0', port: 22, loopback: false });
    expect(parseListen('demo.example.com:2222').loopback).toBe(false);
  });

  it('names the flag and the problem for bad values', () => {
    expect(() => parseListen('127.0.0.1:http')).toThrow(/--listen "127.0.0.1:http": port "http" is not a number/);
    expect(() => parseListen('127.0.0.1:70000')).toThrow(/above 65535/);
    expect(() => parseListen('::1:22')).toThrow(/brackets/);
    expect(() => parseListen(':22')).toThrow(/missing HOST/);
    expect(() => parseListen('bad host:22')).toThrow(/not an address/);
  });

  it('needs --allow-remote beyond loopback', () => {
    expect(() => assertListenAllowed(parseListen('0.0.0.0:2222'), false)).toThrow(/not a loopback address; serving beyond this machine needs --allow-remote/);
    expect(() => assertListenAllowed(parseListen('0.0.0.0:2222'), true)).not.toThrow();
    expect(() => assertListenAllowed(parseListen('127.0.0.2:2222'), false)).not.toThrow();
  });

  it('knows loopback addresses', () => {
    expect(['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1'].every(isLoopback)).toBe(true);
    expect(['10.0.0.1', '::', '0.0.0.0', 'localhost6', '::ffff:10.0.0.1'].some(isLoopback)).toBe(false);
  });
});
