import type { Config } from '../config';
import type { Problem } from '../api/problem';
import type { ImageFormat } from './sniffImage';

/** Why an uploaded file is refused; `rule` names the limit so a client can act on it. */
export type UploadRule =
  'format' | 'corrupt' | 'min_bytes' | 'max_bytes' | 'min_dimension' | 'max_dimension' | 'max_pixels';

const STATUS_OF: Record<UploadRule, number> = {
  format: 415,
  corrupt: 422,
  min_bytes: 422,
  max_bytes: 413,
  min_dimension: 422,
  max_dimension: 422,
  max_pixels: 422,
};

const TITLE_OF: Record<UploadRule, string> = {
  format: 'Unsupported image format',
  corrupt: 'Corrupt or truncated image',
  min_bytes: 'File too small',
  max_bytes: 'File too large',
  min_dimension: 'Image too small',
  max_dimension: 'Image too large',
  max_pixels: 'Too many pixels',
};

export class UploadRejection extends Error {
  constructor(
    readonly rule: UploadRule,
    readonly detail: string,
  ) {
    super(detail);
    this.name = 'UploadRejection';
  }

  toProblem(filename: string): Problem {
    return {
      status: STATUS_OF[this.rule],
      type: `urn:imagepipe:problem:upload:${this.rule}`,
      title: TITLE_OF[this.rule],
      detail: this.detail,
      file: filename,
      rule: this.rule,
    };
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
