/**
 * JSON records (an object or an array; a bare number or string is shown as text). JSON.parse
 * rounds integers beyond 2^53, so when it did, the original text is shown instead of the
 * re-rendered value: an order id must never be shown wrong.
 */
import { DEFAULT_MAX_CHARS, renderValue, truncateText, type Rendered } from './render.js';

export type JsonResult = ({ ok: true; value: unknown } & Rendered) | { ok: false; reason: string };

export function looksLikeJson(text: string): boolean {
  const t = text.trimStart();
  return t.startsWith('{') || t.startsWith('[');
}

export function decodeJson(text: string, maxChars: number = DEFAULT_MAX_CHARS): JsonResult {
  if (!looksLikeJson(text)) return { ok: false, reason: 'not a JSON object or array' };
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (err) {
    return { ok: false, reason: `invalid JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
  if (hasRoundedInteger(value)) {
    // raw newlines only occur between tokens in JSON, so joining lines keeps every value intact
    return { ok: true, value, ...truncateText(text.trim().replace(/\s*[\r\n]+\s*/g, ' '), maxChars) };
  }
  return { ok: true, value, ...renderValue(value, maxChars) };
}

function hasRoundedInteger(value: unknown, depth = 0): boolean {
  if (typeof value === 'number') return Number.isInteger(value) && !Number.isSafeInteger(value);
  if (value === null || typeof value !== 'object' || depth > 64) return false;
  return Object.values(value).some((v) => hasRoundedInteger(v, depth + 1));
}
