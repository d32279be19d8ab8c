/**
 * A resolved connection → snowflake-sdk ConnectionOptions. Key-pair connections get the
 * decrypted PEM by default, so a wrong passphrase or loose key file is reported by sfpipe in
 * one clear line before the driver is involved; `inlineKey: false` hands the driver the path
 * and passphrase instead.
 */
import type { ConnectionOptions } from 'snowflake-sdk';
import { SfpipeError } from '../domain/errors.js';
import { loadPrivateKey } from '../keypair/load.js';
import type { SnowflakeConnection } from './schema.js';

export interface ToOptionsSettings {
  inlineKey?: boolean;
  platform?: NodeJS.Platform;
  application?: string;
}

export function toConnectionOptions(conn: SnowflakeConnection, settings: ToOptionsSettings = {}): ConnectionOptions {
  const where = conn.origins[0] ?? `connection "${conn.name}"`;
  if (!conn.user) {
    throw new SfpipeError('invalid-input', 'config', `Snowflake connection "${conn.name}" has no user`, { location: where, hint: 'set user in the connection' });
  }
  const options: ConnectionOptions = {
    account: conn.account,
    username: conn.user,
    ...(conn.warehouse ? { warehouse: conn.warehouse } : {}),
    ...(conn.role ? { role: conn.role } : {}),
    ...(conn.database ? { database: conn.database } : {}),
    ...(conn.schema ? { schema: conn.schema } : {}),
    application: settings.application ?? 'sfpipe',
  };
  if (conn.host) {
    // A custom endpoint (a local stand-in, a private link): the driver takes it as accessUrl.
    const protocol = conn.protocol ?? 'https';
    const port = conn.port ?? (protocol === 'http' ? 80 : 443);
    options.host = conn.host;
    options.accessUrl = `${protocol}://${conn.host}:${port}`;
  }
  const authenticator = (conn.authenticator ?? '').toUpperCase();
  if (authenticator === 'SNOWFLAKE_JWT' || (!authenticator && conn.privateKeyFile)) {
    if (!conn.privateKeyFile) {
      throw new SfpipeError('invalid-input', 'config', `Snowflake connection "${conn.name}" uses SNOWFLAKE_JWT but has no private_key_file`, {
        location: where,
        hint: 'set private_key_file (run `sfpipe keys` to make a pair)',
      });
    }
    options.authenticator = 'SNOWFLAKE_JWT';
    if (settings.inlineKey === false) {
      options.privateKeyPath = conn.privateKeyFile;
      if (conn.privateKeyPassphrase) options.privateKeyPass = conn.privateKeyPassphrase.reveal();
    } else {
      options.privateKey = loadPrivateKey(conn.privateKeyFile, conn.privateKeyPassphrase, settings.platform).pem;
    }
    return options;
  }
  if (conn.authenticator) options.authenticator = conn.authenticator;
  if (conn.password) options.password = conn.password.reveal();
  if (!conn.password && (!authenticator || authenticator === 'SNOWFLAKE')) {
    throw new SfpipeError('invalid-input', 'config', `Snowflake connection "${conn.name}" has neither a private key nor a password`, {
      location: where,
      hint: 'set private_key_file (key-pair, recommended) or SNOWFLAKE_CONNECTIONS_<NAME>_PASSWORD',
    });
  }
  return options;
}
