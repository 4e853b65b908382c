import type { Config } from '../config';
import type { ImageFormat } from './sniffImage';

/** Why an uploaded file is refused; `rule` names the limit so a client can act on it. */
export type UploadRule =
  'format' | 'corrupt' | 'min_bytes' | 'max_bytes' | 'min_dimension' | 'max_dimension' | 'max_pixels';

export class UploadRejection extends Error {
  constructor(
    readonly rule: UploadRule,
    readonly detail: string,
    /** The file it is about, when known (a label: the sanitised name the client gave). */
    readonly filename?: string,
  ) {
    super(detail);
    this.name = 'UploadRejection';
  }
}

export type UploadLimits = Pick<Config['uploads'], 'minBytes' | 'maxBytes'> &
  Pick<Config['images'], 'minDimension' | 'maxDimension' | 'maxPixels'>;

export function uploadLimits(config: Config): UploadLimits {
  return {
    minBytes: config.uploads.minBytes,
    maxBytes: config.uploads.maxBytes,
    minDimension: config.images.minDimension,
    maxDimension: config.images.maxDimension,
    maxPixels: config.images.maxPixels,
  };
}

/** Checks the dimensions read from the header against the limits, before any pixel is decoded. */
export function checkDimensions(
  image: { format: ImageFormat; width: number; height: number },
  limits: UploadLimits,
): void {
  const { width, height } = image;
  if (width < limits.minDimension || height < limits.minDimension) {
    throw new UploadRejection(
      'min_dimension',
      `The image is ${width}x${height} px; each side must be at least ${limits.minDimension} px.`,
    );
  }
  if (width > limits.maxDimension || height > limits.maxDimension) {
    throw new UploadRejection(
      'max_dimension',
      `The image is ${width}x${height} px; each side must be at most ${limits.maxDimension} px.`,
    );
  }
  if (width * height > limits.maxPixels) {
    throw new UploadRejection(
      'max_pixels',
      `The image has ${width * height} pixels; at most ${limits.maxPixels} are accepted.`,
    );
  }
}
