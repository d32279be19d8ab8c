/** Renders the property templates beside this file into <home>/kafka/<version>/config. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HarnessStepFailed } from '../types.js';
import type { RuntimeLayout } from './runtime.js';
import { TEMPLATE_DIR } from './runtime.js';

export interface KafkaPorts {
  kafka: number;
  kafkaController: number;
  connect: number;
}

/** Fill ${NAME} placeholders; an unknown or unfilled one is a bug in the template, so it fails loudly. */
export function renderTemplate(template: string, values: Record<string, string>, source: string): string {
  return template.replace(/\$\{([A-Z_]+)\}/g, (_, key: string) => {
    const value = values[key];
    if (value === undefined) throw new HarnessStepFailed('render config', `${source}: no value for \${${key}}`);
    return value;
  });
}

function render(layout: RuntimeLayout, file: string, values: Record<string, string>): string {
  const out = join(layout.config, file);
  mkdirSync(layout.config, { recursive: true });
  writeFileSync(out, renderTemplate(readFileSync(join(TEMPLATE_DIR, file), 'utf8'), values, join(TEMPLATE_DIR, file)));
  return out;
}

export function writeServerConfig(layout: RuntimeLayout, ports: KafkaPorts): string {
  return render(layout, 'server.properties', {
    KAFKA_PORT: String(ports.kafka),
    CONTROLLER_PORT: String(ports.kafkaController),
    DATA_DIR: layout.data,
  });
}

export function writeConnectConfig(layout: RuntimeLayout, ports: KafkaPorts): string {
  return render(layout, 'connect-distributed.properties', {
    KAFKA_PORT: String(ports.kafka),
    CONNECT_PORT: String(ports.connect),
    PLUGIN_PATH: layout.plugins,
  });
}

/** The log4j2 config is static; it is referenced where it lives. */
export const LOG4J2_CONFIG = join(TEMPLATE_DIR, 'log4j2.properties');
