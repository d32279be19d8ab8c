/**
 * Text from outside (container logs, traces, decoded messages, error messages) may carry
 * escape sequences or control characters that would move the cursor and break the frame:
 * strip them and expand tabs before it reaches Ink.
 */
// CSI … final byte, OSC … BEL/ST, and other two-byte escapes.
// eslint-disable-next-line no-control-regex
const ESCAPES = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\x00-\x08\x0b-\x1f\x7f]/g;

export function plainText(s: string): string {
  return s.replace(ESCAPES, '').replace(/\t/g, '  ').replace(CONTROLS, '');
}

/** Split into display lines, each cleaned. */
export function plainLines(s: string): string[] {
  return s.split(/\r?\n/).map(plainText);
}
