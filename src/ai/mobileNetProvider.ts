import sharp from 'sharp';
import type { AiProvider, ImageForAi } from './aiProvider';
import { LocalAiProvider } from './localProvider';
import { ModelThread } from './modelThread';
import { unitVector } from './unitVector';
import { FEATURE_DIMENSIONS, NETWORK_SIDE } from './networks';

/**
 * Embeds images with a real pretrained network, offline: MobileNetV2's pooled features (see loadMobileNetFeatures),
 * computed in the model thread of this process. The same photo cropped, rotated a little, re-lit, recompressed or
 * turned grey lands next to itself, and different photos of the same colours do not (bench/retrieval measures
 * both). The network names no content, so descriptions and cluster names are the histogram provider's, from measured
 * facts.
 */
export class MobileNetAiProvider implements AiProvider {
  readonly name = `mobilenet-v2-${FEATURE_DIMENSIONS}d`;
  /**
   * bench/retrieval: from it, 86 % of the altered copies are near-duplicates of their source, and 1 of 253 pairs of
   * different photos (two meadows, 0.909); from 0.85, all copies but 2 pairs.
   */
  readonly nearDuplicateSimilarity = 0.9;
  private readonly facts = new LocalAiProvider();

  constructor(private readonly models = new ModelThread()) {}

  describe(image: ImageForAi): Promise<string> {
    return this.facts.describe(image);
  }

  nameCluster(descriptions: string[]): Promise<string> {
    return this.facts.nameCluster(descriptions);
  }

  /**
   * The network is shown the whole thumbnail squeezed to its square input (nothing cropped away), in grey: the same
   * photo recoloured, re-lit or turned greyscale then lands next to itself (in colour, bench/retrieval found only 83 %
   * of greyscale copies). The vector has unit length.
   */
  async embed({ image }: { image: ImageForAi; description: string }): Promise<number[]> {
    const grey = await sharp(image.thumbnail)
      .removeAlpha()
      .greyscale()
      .resize(NETWORK_SIDE, NETWORK_SIDE, { fit: 'fill' })
      .raw()
      .toBuffer();
    // The network takes three channels: the grey value in each.
    const rgb = new Uint8Array(grey.length * 3);
    for (let pixel = 0; pixel < grey.length; pixel++) rgb.fill(grey[pixel]!, pixel * 3, pixel * 3 + 3);
    const { features } = await this.models.run('mobilenet-v2', rgb);
    return unitVector(features);
  }

  /** Stops the model thread. */
  close(): Promise<void> {
    return this.models.close();
  }
}
