import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { Config } from '../config';

export interface SignedUrl {
  url: string;
  expires_at: string;
}

/**
 * URLs clients fetch image bytes from: presigned S3 GETs (default), or the API's own streaming routes in proxy
 * mode (`IMAGE_URL_MODE=proxy`), for when clients must never talk to storage directly.
 */
export class ImageUrls {
  constructor(
    /** A client configured with the endpoint clients reach S3 on (S3_PUBLIC_ENDPOINT when set). */
    private readonly presignClient: S3Client,
    private readonly config: Pick<Config, 's3' | 'urls'>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  get mode(): Config['urls']['mode'] {
    return this.config.urls.mode;
  }

  /** A time-limited GET of one object; `downloadAs` makes browsers save it under that name. */
  async signed(key: string, downloadAs?: string): Promise<SignedUrl> {
    const expiresIn = this.config.urls.expirySeconds;
    const command = new GetObjectCommand({
      Bucket: this.config.s3.bucket,
      Key: key,
      ResponseContentDisposition: downloadAs
        ? `attachment; filename*=UTF-8''${encodeURIComponent(downloadAs)}`
        : undefined,
    });
    const url = await getSignedUrl(this.presignClient, command, { expiresIn });
    return { url, expires_at: new Date(this.now().getTime() + expiresIn * 1000).toISOString() };
  }
}
