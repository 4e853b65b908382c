import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';

const run = promisify(execFile);

/** An archive pinned by URL and SHA-256, and the photos taken from it: photo name → path inside the archive. */
interface PinnedArchive {
  url: string;
  sha256: string;
  kind: 'wheel' | 'deb';
  photos: Record<string, string>;
}

const SKIMAGE = 'skimage/data/';
const MATE = 'usr/share/backgrounds/mate/nature/';

/**
 * Where the real photographs come from. All three archives are on hosts this machine reaches (PyPI, Debian).
 *
 * - scikit-image 0.26.0 (its data is the same in every wheel of a version). Kept: the photographs of scenes
 *   and objects. Left out: test patterns and drawings (chessboard_*, color, logo, horse, phantom, the
 *   animation no_time_for_that_tiny.gif), microscopy and medical images (cell, ihc, microaneurysms, retina),
 *   texture tiles (brick, grass, gravel), documents (page, text), clock_motion (a motion-blurred grey frame
 *   with little to find) and motorcycle_right (the other half of a stereo pair with motorcycle_left: a
 *   near-duplicate that is no alteration would blur the benchmark's ground truth).
 * - scikit-learn 1.9.1: both of its sample photographs.
 * - mate-backgrounds 1.26.0-1 (the Debian package in bookworm and trixie; its SHA-256 is the one in Debian's
 *   signed bookworm index): all twelve nature photographs. 1.28.0-1 (sid) has the same twelve files.
 */
const ARCHIVES: PinnedArchive[] = [
  {
    url: 'https://files.pythonhosted.org/packages/f4/a2/70401a107d6d7466d64b466927e6b96fcefa99d57494b972608e2f8be50f/scikit_image-0.26.0-cp312-cp312-manylinux_2_24_x86_64.manylinux_2_28_x86_64.whl',
    sha256: '7df650e79031634ac90b11e64a9eedaf5a5e06fcd09bcd03a34be01745744466',
    kind: 'wheel',
    photos: Object.fromEntries(
      [
        'astronaut.png',
        'camera.png',
        'chelsea.png',
        'coffee.png',
        'coins.png',
        'hubble_deep_field.jpg',
        'moon.png',
        'motorcycle_left.png',
        'rocket.jpg',
      ].map((file) => [`skimage-${path.parse(file).name}`, SKIMAGE + file]),
    ),
  },
  {
    url: 'https://files.pythonhosted.org/packages/8e/57/a50162f3d29feb979ab6347c6debda506dfb525bcff3c50dd17606651c7e/scikit_learn-1.9.1-cp312-cp312-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl',
    sha256: 'e5d7b18a5b9dca241a74695f3275fa4c895a9dadc72b3d8df5fa9d1083c9b83e',
    kind: 'wheel',
    photos: {
      'sklearn-china': 'sklearn/datasets/images/china.jpg',
      'sklearn-flower': 'sklearn/datasets/images/flower.jpg',
    },
  },
  {
    url: 'https://deb.debian.org/debian/pool/main/m/mate-backgrounds/mate-backgrounds_1.26.0-1_all.deb',
    sha256: '7bf4c2209f34b4f61ba6d24c8b58c28b361e82e4b943aae6d42c030169af9e04',
    kind: 'deb',
    photos: Object.fromEntries(
      [
        'Aqua',
        'Blinds',
        'Dune',
        'FreshFlower',
        'Garden',
        'GreenMeadow',
        'LadyBird',
        'RainDrops',
        'Storm',
        'TwoWings',
        'Wood',
        'YellowFlower',
      ].map((stem) => [`mate-${stem.toLowerCase()}`, `${MATE}${stem}.jpg`]),
    ),
  },
];

/** Each photo is stored once, upright, at most this many pixels on its long side, as a JPEG of this quality. */
const MAX_SIDE = 1024;
const QUALITY = 92;

/** Written last into a complete cache folder; a folder whose manifest differs (other pins) is built again. */
const MANIFEST = JSON.stringify({ archives: ARCHIVES, maxSide: MAX_SIDE, quality: QUALITY });

function photosDir(): string {
  const cacheHome = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return process.env.IMAGEPIPE_PHOTOS_DIR || path.join(cacheHome, 'imagepipe', 'photos');
}

function photoList(dir: string): Array<{ name: string; path: string }> {
  return ARCHIVES.flatMap((archive) => Object.keys(archive.photos))
    .sort()
    .map((name) => ({ name, path: path.join(dir, `${name}.jpg`) }));
}

async function isComplete(dir: string): Promise<boolean> {
  const manifest = await fs.readFile(path.join(dir, 'manifest.json'), 'utf8').catch(() => '');
  return manifest === MANIFEST && photoList(dir).every((photo) => existsSync(photo.path));
}

/**
 * The real photographs of the retrieval benchmark (23: 9 from scikit-image, 2 from scikit-learn, 12 from
 * mate-backgrounds), sorted by name. The first call downloads the three pinned archives (about 70 MB), checks
 * their SHA-256, and stores each photo upright, at most 1024 px on its long side, as a JPEG of quality 92 in
 * `$IMAGEPIPE_PHOTOS_DIR` or else `${XDG_CACHE_HOME:-~/.cache}/imagepipe/photos`; later calls only read
 * that folder. The folder is built beside its place and renamed into it, so it is either whole or absent.
 */
export async function realPhotos(): Promise<Array<{ name: string; path: string }>> {
  const dir = photosDir();
  if (!(await isComplete(dir))) await buildPhotosDir(dir);
  return photoList(dir);
}

async function buildPhotosDir(dir: string): Promise<void> {
  await fs.mkdir(path.dirname(dir), { recursive: true });
  await removeLeftovers(dir);
  const partial = `${dir}.partial-${process.pid}`;
  const work = path.join(partial, '.work');
  const count = photoList(dir).length;
  process.stderr.write(`downloading ${count} real photos (scikit-image, scikit-learn, mate-backgrounds) into ${dir}\n`);
  try {
    await fs.rm(partial, { recursive: true, force: true });
    await fs.mkdir(work, { recursive: true });
    for (const [index, archive] of ARCHIVES.entries()) {
      const extracted = path.join(work, String(index));
      await extract(await download(archive, work), archive.kind, extracted);
      for (const [name, inner] of Object.entries(archive.photos)) {
        await sharp(path.join(extracted, inner))
          .autoOrient()
          .resize(MAX_SIDE, MAX_SIDE, { fit: 'inside', withoutEnlargement: true })
          .jpeg({ quality: QUALITY })
          .toFile(path.join(partial, `${name}.jpg`));
      }
    }
    await fs.rm(work, { recursive: true });
    await fs.writeFile(path.join(partial, 'manifest.json'), MANIFEST);
    await install(partial, dir);
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
async function install(partial: string, dir: string): Promise<void> {
  const stale = `${dir}.stale-${process.pid}`;
  if (existsSync(dir)) await fs.rename(dir, stale);
  try {
    await fs.rename(partial, dir);
  } catch (error) {
    // Another process put a folder there meanwhile: fine when it is complete.
    if (!(await isComplete(dir))) throw error;
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

/** Unpacks a wheel (a zip: unzip, else Python's zipfile) or a .deb (dpkg-deb, else ar and tar) into `into`. */
async function extract(file: string, kind: PinnedArchive['kind'], into: string): Promise<void> {
  await fs.mkdir(into, { recursive: true });
  if (kind === 'wheel') {
    await run('unzip', ['-q', file, '-d', into]).catch(() => run('python3', ['-m', 'zipfile', '-e', file, into]));
    return;
  }
  await run('dpkg-deb', ['-x', file, into]).catch(async () => {
    const { stdout } = await run('ar', ['t', file]);
    const data = stdout.split('\n').find((member) => member.startsWith('data.tar'));
    if (!data) throw new Error(`${file}: no data.tar member`);
    await run('ar', ['x', file, data], { cwd: into });
    await run('tar', ['-xf', data], { cwd: into });
    await fs.rm(path.join(into, data));
  });
}

/** The altered copies made of every photo, in the order `alteredCopies` returns them. */
export const ALTERATIONS = ['crop 80 %', 'rotate 10°', 'brightness +30 %', 'JPEG quality 40', 'greyscale'] as const;

export type Alteration = (typeof ALTERATIONS)[number];

const ROTATION_DEGREES = 10;

/**
 * Five altered copies of a photo, one per entry of `ALTERATIONS`, as JPEGs of quality 90 (but the quality-40
 * one): the centre 80 % of its width and height; turned 10° clockwise and cropped back to the largest centred
 * rectangle of the photo's aspect ratio with no filled corners (as one straightens a photo: the copy holds no
 * artificial borders, and shows about 80 % of each side); 30 % brighter; re-encoded at quality 40; greyscale
 * (three equal channels: sharp writes sRGB).
 */
export async function alteredCopies(photo: Buffer): Promise<Array<{ alteration: Alteration; data: Buffer }>> {
  const { autoOrient } = await sharp(photo).metadata();
  const { width, height } = autoOrient;
  const upright = () => sharp(photo).autoOrient();
  const jpeg = (image: sharp.Sharp) => image.jpeg({ quality: 90 }).toBuffer();
  const copies: Record<Alteration, Promise<Buffer>> = {
    'crop 80 %': jpeg(upright().extract(centred(width, height, 0.8))),
    'rotate 10°': rotatedCrop(photo, width, height).then(jpeg),
    'brightness +30 %': jpeg(upright().modulate({ brightness: 1.3 })),
    'JPEG quality 40': upright().jpeg({ quality: 40 }).toBuffer(),
    greyscale: jpeg(upright().greyscale()),
  };
  return Promise.all(ALTERATIONS.map(async (alteration) => ({ alteration, data: await copies[alteration] })));
}

/** The centred rectangle of `scale` times the width and height of a width × height image. */
function centred(width: number, height: number, scale: number) {
  const [cropWidth, cropHeight] = [Math.floor(width * scale), Math.floor(height * scale)];
  return {
    left: Math.floor((width - cropWidth) / 2),
    top: Math.floor((height - cropHeight) / 2),
    width: cropWidth,
    height: cropHeight,
  };
}

/**
 * The photo turned by ROTATION_DEGREES, cut to the largest centred rectangle of its own aspect ratio inside the
 * turned photo. A centred rectangle scaled by s fits when s·(W·cos θ + H·sin θ) ≤ W and s·(W·sin θ + H·cos θ) ≤ H.
 */
async function rotatedCrop(photo: Buffer, width: number, height: number): Promise<sharp.Sharp> {
  const theta = (ROTATION_DEGREES * Math.PI) / 180;
  const [cos, sin] = [Math.cos(theta), Math.sin(theta)];
  const scale = Math.min(width / (width * cos + height * sin), height / (width * sin + height * cos));
  const { data, info } = await sharp(photo)
    .autoOrient()
    .rotate(ROTATION_DEGREES)
    .raw()
    .toBuffer({ resolveWithObject: true });
  // Two pixels less on each side keep the edge pixels that interpolation blended with the fill out.
  const inner = centred(width, height, scale);
  const crop = {
    left: Math.floor((info.width - inner.width) / 2) + 2,
    top: Math.floor((info.height - inner.height) / 2) + 2,
    width: inner.width - 4,
    height: inner.height - 4,
  };
  return sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } }).extract(crop);
}
