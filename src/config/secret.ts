/**
 * A secret value (password, passphrase) that cannot leak by accident: JSON, string
 * conversion and util.inspect all print `***`. Only reveal() hands out the value, so every
 * place that uses a secret is easy to find.
 */
import { inspect } from 'node:util';

export const MASK = '***';

export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toJSON(): string {
    return MASK;
  }

  toString(): string {
    return MASK;
  }

  [inspect.custom](): string {
    return MASK;
  }
}

export function secretOrUndefined(value: string | undefined): Secret | undefined {
  return value === undefined ? undefined : new Secret(value);
}
