import { describe, expect, it } from 'vitest';
import { excerpt, httpError, kindOfStatus, parseJsonBody } from './http.js';

const HTML_500 = `<!DOCTYPE html>
<html><head><title>Error 500 Server Error</title><style>body{color:red}</style></head>
<body><h2>HTTP ERROR 500 javax.servlet.ServletException</h2>
<script>alert(1)</script>
<pre>${'stack frame\n'.repeat(200)}</pre></body></html>`;

describe('Connect HTTP errors', () => {
  it('keeps Connect\'s own message and status, with the kind the status means', () => {
    const err = httpError(400, JSON.stringify({ error_code: 400, message: 'Connector configuration is invalid and contains the following 1 error(s):\nMissing required configuration "file"' }), 'deploy connector x');
    expect(err).toMatchObject({ kind: 'invalid-input', source: 'connect' });
    expect(err.message).toBe('deploy connector x: HTTP 400: Connector configuration is invalid and contains the following 1 error(s):\nMissing required configuration "file"');
    expect(httpError(404, '{"error_code":404,"message":"Unknown connector x"}', 'pause x').kind).toBe('not-found');
    expect(httpError(409, '{"error_code":409,"message":"Cannot complete request momentarily due to stale configuration"}', 'list').kind).toBe('conflict');
  });

  it('scrubs the secrets the request carried out of Connect\'s message', () => {
    const err = httpError(400, JSON.stringify({ error_code: 400, message: 'Invalid value s3cret-passphrase for snowflake.private.key.passphrase' }), 'deploy', ['s3cret-passphrase']);
    expect(err.message).not.toContain('s3cret-passphrase');
    expect(err.message).toContain('Invalid value *** for');
  });

  it('makes an HTML error page a bad response with a short, tag-free, single-line excerpt', () => {
    const err = httpError(500, HTML_500, 'list connectors');
    expect(err.kind).toBe('bad-response');
    expect(err.message).toMatch(/^list connectors: HTTP 500 with a body that is not Kafka Connect's JSON: "Error 500 Server Error HTTP ERROR 500 javax\.servlet\.ServletException stack frame/);
    expect(err.message).not.toMatch(/[<>\n]|alert|color:red/);
    expect(err.message.length).toBeLessThan(250);
  });

  it('says so when the error body is empty', () => {
    expect(httpError(502, '', 'list').message).toBe('list: HTTP 502 with a body that is not Kafka Connect\'s JSON (empty)');
  });

  it('makes invalid JSON in a 200 a bad response with an excerpt', () => {
    expect(() => parseJsonBody('{"a": {"status": {"conn', 200, 'list connectors')).toThrow('list connectors: HTTP 200 but the body is not valid JSON: "{"a": {"status": {"conn"');
    expect(parseJsonBody('{"a":1}', 200, 'x')).toEqual({ a: 1 });
  });

  it('removes private keys and control characters from excerpts', () => {
    const pem = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----';
    expect(excerpt(`oops ${pem} \u001b[31mred\u0000`)).toBe('oops *** [31mred');
  });

  it('maps statuses to kinds', () => {
    expect([400, 401, 404, 405, 408, 409, 500, 503, 418].map(kindOfStatus)).toEqual(['invalid-input', 'auth', 'not-found', 'unsupported', 'timeout', 'conflict', 'internal', 'unreachable', 'bad-response']);
  });
});
