import type { ImageForAi } from '../src/ai/aiProvider';
import { imageDecoder, renderThumbnails } from '../src/images/renderThumbnails';

/**
 * An image as the pipeline shows it to a provider: the smallest of its thumbnails and the original's size, rendered
 * by the pipeline's own code with the configuration's defaults (256, 512 and 1024 px, WebP q80). The whole set is
 * rendered, as the pipeline renders it: the smaller sizes are made from the largest, so a 256 px thumbnail rendered
 * alone differs a little, enough to move a network's less probable classes.
 */
export async function shownToAi(image: Buffer): Promise<ImageForAi> {
  const rendered = await renderThumbnails(imageDecoder(image, 100_000_000), {
    sizes: [256, 512, 1024],
    format: 'webp',
    quality: 80,
  });
  return {
    thumbnail: rendered.thumbnails[0]!.data,
    thumbnailType: 'image/webp',
    width: rendered.width,
    height: rendered.height,
    format: 'jpeg',
  };
}
