/**
 * snowflake-sdk, loaded at the first login instead of when sfpipe starts: importing it creates
 * ~/.cache/snowflake (its OCSP cache) and has the AWS SDK emit a Node-version warning, which a
 * command that never logs in — or that stops at bad input — must not cause. Its logger is
 * switched off as it loads: by default it writes to the terminal, which Ink owns.
 */
import type SnowflakeSdk from 'snowflake-sdk';

let loading: Promise<typeof SnowflakeSdk> | undefined;

export function snowflakeSdk(): Promise<typeof SnowflakeSdk> {
  loading ??= import('snowflake-sdk').then((m) => {
    const sdk = m.default;
    sdk.configure({ logLevel: 'OFF', additionalLogToConsole: false });
    return sdk;
  });
  return loading;
}
