import sharp from 'sharp';
import {
  fitInside,
  imageDecoder,
  renderThumbnails,
  UndecodableImageError,
  type ThumbnailOptions,
} from '../../src/images/renderThumbnails';
import { gradientJpeg } from '../fixtures/images';

const options: ThumbnailOptions = { sizes: [64, 128], format: 'webp', quality: 80 };
const render = (input: Buffer, overrides: Partial<ThumbnailOptions> = {}) =>
  renderThumbnails(imageDecoder(input, 16_000_000), { ...options, ...overrides });

describe('renderThumbnails', () => {
  it('orients the image, keeps its aspect and never enlarges', async () => {
    const rendered = await render(await gradientJpeg(300, 100, { orientation: 6 }), { sizes: [64, 128, 512] });
    expect(rendered).toMatchObject({ width: 100, height: 300, format: 'jpeg' });
    expect(rendered.thumbnails.map(({ size, width, height }) => [size, width, height])).toEqual([
      [64, 21, 64],
      [128, 43, 128],
      [512, 100, 300],
    ]);
  });

  it('writes no metadata: EXIF with GPS, ICC and XMP stay behind', async () => {
    const rendered = await render(await gradientJpeg(200, 200));
    for (const thumbnail of rendered.thumbnails) {
      const metadata = await sharp(thumbnail.data).metadata();
      expect(metadata).toMatchObject({ format: 'webp', hasProfile: false });
      expect(metadata.exif).toBeUndefined();
      expect(metadata.xmp).toBeUndefined();
    }
  });

  it('converts CMYK and 16-bit inputs to 8-bit sRGB', async () => {
    const pixels = { create: { width: 120, height: 80, channels: 3 as const, background: { r: 200, g: 40, b: 40 } } };
    const cmyk = await sharp(pixels).toColourspace('cmyk').jpeg().toBuffer();
    const sixteenBit = await sharp(pixels).toColourspace('rgb16').png().toBuffer();
    expect((await sharp(cmyk).metadata()).space).toBe('cmyk');
    expect((await sharp(sixteenBit).metadata()).depth).toBe('ushort');
    for (const input of [cmyk, sixteenBit]) {
      const rendered = await render(input);
      const thumbnail = await sharp(rendered.thumbnails[0]!.data).metadata();
      expect(thumbnail).toMatchObject({ space: 'srgb', depth: 'uchar' });
      // Still red, not inverted or washed out by a wrong conversion.
      expect(rendered.dominantColor).toMatch(/^#[c-f][0-9a-f][0-5][0-9a-f][0-5][0-9a-f]$/);
    }
  });

  it('takes the first frame of an animation', async () => {
    const frame = (r: number, g: number, b: number) =>
      sharp({ create: { width: 60, height: 60, channels: 3, background: { r, g, b } } })
        .raw()
        .toBuffer();
    const frames = Buffer.concat([await frame(0, 0, 255), await frame(255, 255, 0)]);
    const gif = await sharp(frames, { raw: { width: 60, height: 120, channels: 3, pageHeight: 60 } })
      .gif()
      .toBuffer();
    expect((await sharp(gif).metadata()).pages).toBe(2);
    const rendered = await render(gif);
    expect(rendered).toMatchObject({ width: 60, height: 60, format: 'gif' });
    expect(rendered.dominantColor).toMatch(/^#0[0-9a-f]0[0-9a-f][c-f][0-9a-f]$/);
  });

  it('flattens transparency onto white for JPEG thumbnails', async () => {
    const transparent = await sharp({
      create: { width: 80, height: 80, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
    })
      .png()
      .toBuffer();
    const rendered = await render(transparent, { format: 'jpeg' });
    const { dominant } = await sharp(rendered.thumbnails[0]!.data).stats();
    expect(dominant).toEqual({ r: 248, g: 248, b: 248 });
  });

  it('records a dominant colour and a tiny inline placeholder', async () => {
    const rendered = await render(await gradientJpeg(200, 100));
    expect(rendered.dominantColor).toMatch(/^#[0-9a-f]{6}$/);
    expect(rendered.placeholder).toMatch(/^data:image\/webp;base64,/);
    expect(rendered.placeholder.length).toBeLessThan(400);
  });

  it('refuses undecodable and over-large images as such', async () => {
    const truncated = (await gradientJpeg(400, 300)).subarray(0, 3000);
    await expect(render(truncated)).rejects.toBeInstanceOf(UndecodableImageError);
    await expect(render(Buffer.from('not an image at all'))).rejects.toBeInstanceOf(UndecodableImageError);
    const large = await gradientJpeg(300, 300);
    await expect(renderThumbnails(imageDecoder(large, 10_000), options)).rejects.toThrow(/pixel limit/);
  });

  it('passes a storage error from the thumbnail callback on as it is, to be retried', async () => {
    const storageDown = new Error('connect ECONNREFUSED 127.0.0.1:7070');
    const rendering = renderThumbnails(imageDecoder(await gradientJpeg(200, 100), 16_000_000), options, async () => {
      throw storageDown;
    });
    await expect(rendering).rejects.toBe(storageDown);
  });

  it('fits sizes inside a square without enlarging', () => {
    expect(fitInside({ width: 4000, height: 3000 }, 256)).toEqual({ width: 256, height: 192 });
    expect(fitInside({ width: 100, height: 5000 }, 256)).toEqual({ width: 5, height: 256 });
    expect(fitInside({ width: 100, height: 50 }, 256)).toEqual({ width: 100, height: 50 });
  });
});
