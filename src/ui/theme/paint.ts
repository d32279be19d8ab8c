/**
 * Colour inside a text, the way Ink's <Text color> does it (the same chalk, so the same colour
 * support of the terminal), for lines drawn as one text node.
 */
import chalk, { type ForegroundColorName } from 'chalk';

export function paint(color: string | undefined, text: string): string {
  if (!color || text === '') return text;
  return color in chalk ? chalk[color as ForegroundColorName](text) : text;
}
