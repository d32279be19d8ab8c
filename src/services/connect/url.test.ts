import { describe, expect, it } from 'vitest';
import { connectBaseUrl } from './url.js';

describe('Connect URL', () => {
  it('takes http(s) URLs of any host and drops trailing slashes', () => {
    expect(connectBaseUrl('http://connect.internal:8083/')).toBe('http://connect.internal:8083');
    expect(connectBaseUrl('http://127.0.0.1:8083/')).toBe('http://127.0.0.1:8083');
    expect(connectBaseUrl('https://localhost:8443')).toBe('https://localhost:8443');
    expect(connectBaseUrl('http://[::1]:8083')).toBe('http://[::1]:8083');
  });

  it.each(['ftp://127.0.0.1', 'not a url', 'http://127.0.0.1:8083/?x=1'])('refuses %s, naming connect.url', (value) => {
    expect(() => connectBaseUrl(value)).toThrow(expect.objectContaining({ kind: 'invalid-input', location: 'connect.url' }));
  });

  it('refuses credentials without echoing them', () => {
    let message = '';
    try {
      connectBaseUrl('http://admin:hunter22@127.0.0.1:8083');
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/credentials/);
    expect(message).not.toContain('hunter22');
  });
});
