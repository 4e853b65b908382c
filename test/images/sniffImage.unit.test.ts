import sharp from 'sharp';
import { sniffImage } from '../../src/images/sniffImage';
import { gradientJpeg } from '../fixtures/images';

const solid = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: '#336699' } });

describe('sniffImage', () => {
  it.each([
    ['png', () => solid(321, 123).png().toBuffer()],
    ['gif', () => solid(321, 123).gif().toBuffer()],
    ['webp', () => solid(321, 123).webp({ quality: 80 }).toBuffer()],
    ['webp', () => solid(321, 123).webp({ lossless: true }).toBuffer()],
    ['jpeg', () => solid(321, 123).jpeg().toBuffer()],
    ['jpeg', () => solid(321, 123).jpeg({ progressive: true }).toBuffer()],
  ] as const)('reads %s dimensions from the header', async (format, make) => {
    expect(sniffImage(await make())).toEqual({ kind: 'image', format, width: 321, height: 123 });
  });

  it('finds a JPEG frame header after EXIF data', async () => {
    const jpeg = await gradientJpeg(200, 100, { orientation: 6 });
    expect(sniffImage(jpeg)).toEqual({ kind: 'image', format: 'jpeg', width: 200, height: 100 });
  });

  it('reads VP8X (extended WebP) canvas dimensions', async () => {
    const webp = await solid(300, 200)
      .webp()
      .withExif({ IFD0: { Make: 'x' } })
      .toBuffer();
    expect(sniffImage(webp)).toEqual({ kind: 'image', format: 'webp', width: 300, height: 200 });
  });

  it('asks for more bytes when the header is cut short', async () => {
    const jpeg = await gradientJpeg(200, 100, { orientation: 6 });
    expect(sniffImage(jpeg.subarray(0, 40))).toEqual({ kind: 'need-more' });
  });

  it.each([
    ['text', Buffer.from('this is plainly a text file, not an image at all')],
    ['PDF', Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj')],
    ['SVG', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"></svg>')],
    ['HTML', Buffer.from('<!doctype html><html><body>hi</body></html>')],
  ])('refuses %s', (_name, bytes) => {
    expect(sniffImage(bytes)).toMatchObject({ kind: 'unsupported', reason: 'not a JPEG, PNG, GIF or WebP image' });
  });

  it('refuses a JPEG whose segments are corrupt', () => {
    const broken = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, ...Buffer.alloc(14), 0x12, 0x34, 0, 0, 0, 0, 0, 0]);
    expect(sniffImage(broken)).toEqual({ kind: 'unsupported', reason: 'JPEG with a corrupt segment structure' });
  });
});
