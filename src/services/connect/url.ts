/**
 * The Connect REST base URL. Any host is allowed (a worker often runs on another machine in
 * real deployments; the tests themselves only ever point it at 127.0.0.1). A URL with
 * credentials is refused, so no message can ever echo them.
 */
import { SfpipeError } from '../../domain/errors.js';

export function connectBaseUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw invalid(value, 'use e.g. http://127.0.0.1:8083');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalid(value, 'the URL must start with http:// or https://');
  if (url.username || url.password) throw new SfpipeError('invalid-input', 'connect', 'the Kafka Connect URL contains credentials', { location: 'connect.url', hint: 'remove user:password@ from the URL' });
  if (url.search || url.hash) throw invalid(value, 'remove the query or fragment');
  return url.href.replace(/\/+$/, '');
}

function invalid(value: string, hint: string): SfpipeError {
  return new SfpipeError('invalid-input', 'connect', `Kafka Connect URL ${JSON.stringify(value)} is not usable`, { location: 'connect.url', hint });
}
