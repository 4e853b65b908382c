import type { UploadRejection, UploadRule } from '../images/uploadRules';
import type { Problem } from './problem';

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

/** A refused file as a problem: the rule it broke, its own status code, and the file it is about. */
export function uploadProblem(rejection: UploadRejection, filename: string): Problem {
  return {
    status: STATUS_OF[rejection.rule],
    type: `urn:imagepipe:problem:upload:${rejection.rule}`,
    title: TITLE_OF[rejection.rule],
    detail: rejection.detail,
    file: filename,
    rule: rejection.rule,
  };
}
