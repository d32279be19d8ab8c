/**
 * Plain text: the bytes must be valid UTF-8 and read like text. Binary data that happens to
 * be valid UTF-8 (NUL bytes, mostly control characters) is left to the hex preview instead.
 */
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
/** more control characters than this share and it is not text */
const MAX_CONTROL_SHARE = 0.1;

export type TextResult = { ok: true; text: string } | { ok: false; reason: string };

export function decodeText(bytes: Uint8Array): TextResult {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { ok: false, reason: 'not valid UTF-8' };
  }
  if (text.includes('\u0000')) return { ok: false, reason: 'contains NUL bytes' };
  let controls = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f || (c >= 0x80 && c <= 0x9f)) controls++;
  }
  if (text.length > 0 && controls / text.length > MAX_CONTROL_SHARE) return { ok: false, reason: 'mostly control characters' };
  return { ok: true, text };
}
