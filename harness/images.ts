/**
 * The one container image tests use. Nothing can be pulled, so it is made here: a rootfs holding
 * Debian's static busybox plus applet links, imported as an image (what `docker import` does).
 */
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readSync, closeSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { capture, ensureDebianPackages } from './apt.js';
import type { HarnessContext } from './types.js';
import { HarnessPrerequisiteMissing, HarnessStepFailed } from './types.js';

export const TEST_IMAGE_REPO = 'sfpipe-test/busybox';
export const TEST_IMAGE = `${TEST_IMAGE_REPO}:latest`;
/** Label on the image (and worth putting on test containers) so they are recognisable as the harness's. */
export const TEST_LABEL = 'org.sfpipe.test';

/** Applets linked into /bin (those this busybox has); enough for shells, probes and tiny servers. */
export const APPLETS = [
  'sh', 'ash', 'sleep', 'echo', 'cat', 'nc', 'httpd', 'wget', 'true', 'false', 'ls', 'ps', 'kill', 'env',
  'printf', 'test', '[', 'date', 'head', 'tail', 'grep', 'sed', 'awk', 'mkdir', 'rm', 'touch', 'hostname',
  'id', 'uname', 'seq', 'yes', 'wc', 'tr', 'cut', 'sort', 'top', 'timeout', 'dd', 'pidof', 'usleep',
];

const BUSYBOX_CANDIDATES = ['/bin/busybox', '/usr/bin/busybox'];

/**
 * Build TEST_IMAGE unless the engine already has it. Returns whether it was built.
 * With ctx, a missing (or only dynamically linked) busybox is installed from busybox-static.
 */
export async function ensureTestImage(docker: Docker, opts: { ctx?: HarnessContext; busybox?: string } = {}): Promise<boolean> {
  if (await imageExists(docker, TEST_IMAGE)) return false;
  const busybox = await staticBusybox(opts);
  const dir = mkdtempSync(join(tmpdir(), 'sfpipe-rootfs-'));
  try {
    const tarball = join(dir, 'rootfs.tar');
    const rootfs = join(dir, 'rootfs');
    await writeRootfs(rootfs, busybox);
    const tar = await capture('tar', ['--numeric-owner', '--owner=0', '--group=0', '-C', rootfs, '-cf', tarball, '.'], 60_000);
    if (tar.code !== 0) throw new HarnessStepFailed('build test image', `tar failed: ${tar.output.trim()}`);
    const stream = await docker.importImage(tarball, {
      repo: TEST_IMAGE_REPO,
      tag: 'latest',
      changes: ['ENV PATH=/bin', 'CMD ["sh"]', `LABEL ${TEST_LABEL}=1`],
    });
    const events = await new Promise<unknown[]>((resolve, reject) => {
      docker.modem.followProgress(stream, (err: Error | null, res: unknown[]) => (err ? reject(err) : resolve(res)));
    });
    const failed = events.find((e): e is { error: string } => typeof (e as { error?: unknown }).error === 'string');
    if (failed) throw new HarnessStepFailed('build test image', `docker import of ${TEST_IMAGE} failed: ${failed.error}`);
    if (!(await imageExists(docker, TEST_IMAGE))) throw new HarnessStepFailed('build test image', `engine accepted the import but has no ${TEST_IMAGE}`);
    opts.ctx?.progress(`built ${TEST_IMAGE} from ${busybox}`);
    return true;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function imageExists(docker: Docker, name: string): Promise<boolean> {
  try {
    await docker.getImage(name).inspect();
    return true;
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return false;
    throw err;
  }
}

async function staticBusybox(opts: { ctx?: HarnessContext; busybox?: string }): Promise<string> {
  const find = () => opts.busybox ?? BUSYBOX_CANDIDATES.find((p) => existsSync(p));
  let path = find();
  // Debian's plain `busybox` is dynamically linked and would not run in an empty rootfs.
  if ((!path || !isStaticElf(path)) && opts.ctx && !opts.busybox) {
    await ensureDebianPackages(opts.ctx, ['busybox-static']);
    path = find();
  }
  if (!path) throw new HarnessPrerequisiteMissing('no busybox to build the test image from: install Debian package busybox-static');
  if (!isStaticElf(path)) throw new HarnessPrerequisiteMissing(`${path} is not a statically linked busybox: install Debian package busybox-static`);
  return path;
}

async function writeRootfs(rootfs: string, busybox: string): Promise<void> {
  const bin = join(rootfs, 'bin');
  mkdirSync(bin, { recursive: true });
  for (const d of ['etc', 'root', 'var/www', 'proc', 'sys', 'dev']) mkdirSync(join(rootfs, d), { recursive: true });
  mkdirSync(join(rootfs, 'tmp'));
  chmodSync(join(rootfs, 'tmp'), 0o1777);
  copyFileSync(busybox, join(bin, 'busybox'));
  chmodSync(join(bin, 'busybox'), 0o755);
  const listed = await capture(busybox, ['--list'], 10_000);
  const available = new Set(listed.output.split('\n').map((l) => l.trim()));
  if (!available.has('sh')) throw new HarnessStepFailed('build test image', `${busybox} --list has no sh applet`);
  for (const applet of APPLETS) if (available.has(applet)) symlinkSync('busybox', join(bin, applet));
  writeFileSync(join(rootfs, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n');
  writeFileSync(join(rootfs, 'etc/group'), 'root:x:0:\nnogroup:x:65534:\n');
}

/** An ELF executable without a PT_INTERP program header needs no dynamic loader. */
export function isStaticElf(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const header = Buffer.alloc(64);
    readSync(fd, header, 0, 64, 0);
    if (header.readUInt32BE(0) !== 0x7f454c46 || header[4] !== 2 || header[5] !== 1) return false; // 64-bit little-endian ELF only
    const phoff = Number(header.readBigUInt64LE(0x20));
    const phentsize = header.readUInt16LE(0x36);
    const phnum = header.readUInt16LE(0x38);
    const table = Buffer.alloc(phentsize * phnum);
    readSync(fd, table, 0, table.length, phoff);
    for (let i = 0; i < phnum; i++) if (table.readUInt32LE(i * phentsize) === 3 /* PT_INTERP */) return false;
    return true;
  } finally {
    closeSync(fd);
  }
}
