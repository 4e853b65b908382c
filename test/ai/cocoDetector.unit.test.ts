import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CENTERNET_SHA256, HUMAN_MODELS_DIR, loadCocoDetector } from '../../src/ai/cocoDetector';

/**
 * The detector's model files are pinned: files that are not the ones @vladmandic/human 3.3.6 ships are refused before
 * anything is run, saying which file and why. (The detector on real photos: test/ai/visionProvider.test.ts.)
 */
describe('loading the COCO detector', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'imagepipe-centernet-'));
    for (const file of Object.keys(CENTERNET_SHA256))
      fs.copyFileSync(path.join(HUMAN_MODELS_DIR, file), path.join(dir, file));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it.each(Object.keys(CENTERNET_SHA256))('refuses a %s that differs from the pinned one by one byte', async (file) => {
    const bytes = fs.readFileSync(path.join(dir, file));
    bytes[bytes.length - 2]! ^= 1;
    fs.writeFileSync(path.join(dir, file), bytes);
    await expect(loadCocoDetector(dir)).rejects.toThrow(
      new RegExp(
        `^centernet-coco: .*${file.replace('.', '\\.')} is not the pinned model file of @vladmandic/human 3\\.3\\.6 \\(SHA-256 [0-9a-f]{64}, expected ${CENTERNET_SHA256[file]}\\)$`,
      ),
    );
  });

  it('says which file is missing', async () => {
    fs.rmSync(path.join(dir, 'centernet.bin'));
    await expect(loadCocoDetector(dir)).rejects.toThrow(/ENOENT.*centernet\.bin/);
  });

  it('finds the pinned files where the installed package keeps them', () => {
    for (const file of Object.keys(CENTERNET_SHA256))
      expect(fs.existsSync(path.join(HUMAN_MODELS_DIR, file))).toBe(true);
  });
});
