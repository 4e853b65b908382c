import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';

const run = promisify(execFile);

/** A package archive on a registry this machine reaches, pinned by its URL and SHA-256. */
export interface PinnedArchive {
  url: string;
  sha256: string;
  /** Where the SHA-256 was read: Debian's signed index (apt-cache show) or PyPI's JSON API. */
  pinnedBy: 'Debian bookworm index' | 'PyPI JSON API';
  kind: 'wheel' | 'deb';
}

/** One photograph inside a pinned archive. */
export interface ArchivePhoto {
  /** Unique in its set: the name of its file in the cache. */
  name: string;
  archive: PinnedArchive;
  /** Its path inside the archive. */
  path: string;
}

/** A cached photo: its name and the JPEG file it is stored in. */
export interface CachedPhoto {
  name: string;
  path: string;
}

/** Each photo is stored once, upright, at most this many pixels on its long side, as a JPEG of this quality. */
const MAX_SIDE = 1024;
const QUALITY = 92;

/**
 * The photos of a set, sorted by name, each stored upright (transparency flattened on white), at most 1024 px on its
 * long side, as a JPEG of quality 92 in the folder `set` of `$IMAGEPIPE_PHOTOS_DIR`, or else of
 * `${XDG_CACHE_HOME:-~/.cache}/imagepipe`. The first call downloads the archives the set takes photos from, checks
 * their SHA-256 and extracts only those photos; later calls only read the folder. The folder is built beside its
 * place and renamed into it, so it is either whole or absent; a folder built for other pins or photos is built again.
 */
export async function cachedPhotos(set: string, photos: readonly ArchivePhoto[]): Promise<CachedPhoto[]> {
  const dir = path.join(photosRoot(), set);
  // What the photos are made from, only: other fields of a photo (a label) can change without a download.
  const sources = photos.map(({ name, archive, path }) => ({ name, archive, path }));
  const manifest = JSON.stringify({ sources, maxSide: MAX_SIDE, quality: QUALITY, background: 'white' });
  const list = photos
    .map((photo) => ({ name: photo.name, path: path.join(dir, `${photo.name}.jpg`) }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const isComplete = async () =>
    (await fs.readFile(path.join(dir, 'manifest.json'), 'utf8').catch(() => '')) === manifest &&
    list.every((photo) => existsSync(photo.path));
  if (!(await isComplete())) await buildPhotosDir(dir, photos, manifest, isComplete);
  return list;
}

function photosRoot(): string {
  const cacheHome = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return process.env.IMAGEPIPE_PHOTOS_DIR || path.join(cacheHome, 'imagepipe');
}

async function buildPhotosDir(
  dir: string,
  photos: readonly ArchivePhoto[],
  manifest: string,
  isComplete: () => Promise<boolean>,
): Promise<void> {
  await fs.mkdir(path.dirname(dir), { recursive: true });
  await removeLeftovers(dir);
  const partial = `${dir}.partial-${process.pid}`;
  const archives = [...new Set(photos.map((photo) => photo.archive))];
  const names = archives.map((archive) => path.basename(new URL(archive.url).pathname)).join(', ');
  process.stderr.write(
    `downloading ${photos.length} real photos from ${archives.length} archives into ${dir}: ${names}\n`,
  );
  try {
    await fs.rm(partial, { recursive: true, force: true });
    for (const [index, archive] of archives.entries()) {
      // One archive at a time, removed once its photos are stored: the largest are a few hundred MB unpacked.
      const work = path.join(partial, `.work-${index}`);
      await fs.mkdir(work, { recursive: true });
      const inside = photos.filter((photo) => photo.archive === archive);
      await extract(
        await download(archive, work),
        archive.kind,
        inside.map((photo) => photo.path),
        work,
      );
      for (const photo of inside) {
        await sharp(path.join(work, photo.path))
          .autoOrient()
          .flatten({ background: '#ffffff' })
          .resize(MAX_SIDE, MAX_SIDE, { fit: 'inside', withoutEnlargement: true })
          .jpeg({ quality: QUALITY })
          .toFile(path.join(partial, `${photo.name}.jpg`));
      }
      await fs.rm(work, { recursive: true });
    }
    await fs.writeFile(path.join(partial, 'manifest.json'), manifest);
    await install(partial, dir, isComplete);
  } finally {
    await fs.rm(partial, { recursive: true, force: true });
  }
}

/** Removes the folders that runs killed midway left beside `dir` (those whose process is gone). */
async function removeLeftovers(dir: string): Promise<void> {
  const [parent, base] = [path.dirname(dir), path.basename(dir)];
  for (const entry of await fs.readdir(parent)) {
    const pid = /^\.(?:partial|stale)-(\d+)$/.exec(entry.slice(base.length))?.[1];
    if (entry.startsWith(base) && pid && !isRunning(Number(pid))) {
      await fs.rm(path.join(parent, entry), { recursive: true, force: true });
    }
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Renames the finished folder into place, moving a stale one out of the way first. */
async function install(partial: string, dir: string, isComplete: () => Promise<boolean>): Promise<void> {
  const stale = `${dir}.stale-${process.pid}`;
  if (existsSync(dir)) await fs.rename(dir, stale);
  try {
    await fs.rename(partial, dir);
  } catch (error) {
    // Another process put a folder there meanwhile: fine when it is complete.
    if (!(await isComplete())) throw error;
  } finally {
    await fs.rm(stale, { recursive: true, force: true });
  }
}

async function download(archive: PinnedArchive, work: string): Promise<string> {
  const response = await fetch(archive.url);
  if (!response.ok) throw new Error(`GET ${archive.url}: HTTP ${response.status}`);
  const bytes = Buffer.from(await response.arrayBuffer());
  const sha256 = crypto.createHash('sha256').update(bytes).digest('hex');
  if (sha256 !== archive.sha256) throw new Error(`${archive.url}: SHA-256 ${sha256}, expected ${archive.sha256}`);
  const file = path.join(work, path.basename(new URL(archive.url).pathname));
  await fs.writeFile(file, bytes);
  return file;
}

// Python's zipfile, where unzip is missing: extracts the members named after the archive and the folder.
const PYTHON_UNZIP = 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2], sys.argv[3:])';

/**
 * Unpacks only `members` of a wheel (a zip: unzip, else Python's zipfile) or of a .deb (its data.tar member, read
 * with ar and tar; its paths start with "./") into `into`.
 */
async function extract(file: string, kind: PinnedArchive['kind'], members: string[], into: string): Promise<void> {
  if (kind === 'wheel') {
    await run('unzip', ['-q', file, ...members, '-d', into]).catch(() =>
      run('python3', ['-c', PYTHON_UNZIP, file, into, ...members]),
    );
    return;
  }
  const { stdout } = await run('ar', ['t', file]);
  const data = stdout.split('\n').find((member) => member.startsWith('data.tar'));
  if (!data) throw new Error(`${file}: no data.tar member`);
  await run('ar', ['x', file, data], { cwd: into });
  await run('tar', ['-xf', data, ...members.map((member) => `./${member}`)], { cwd: into });
  await fs.rm(path.join(into, data));
}
