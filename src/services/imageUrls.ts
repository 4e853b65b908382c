import type { Config } from '../config';
import type { ImageObjects } from '../storage/imageObjects';

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
    private readonly objects: ImageObjects,
    private readonly urls: Config['urls'],
    private readonly now: () => Date,
  ) {}

  /** A time-limited GET of one object; `downloadAs` makes browsers save it under that name. */
  async signed(key: string, downloadAs?: string): Promise<SignedUrl> {
    const expiresIn = this.urls.expirySeconds;
    const url = await this.objects.presignGet(key, { expiresIn, downloadAs });
    return { url, expires_at: new Date(this.now().getTime() + expiresIn * 1000).toISOString() };
  }

  /** Where a client fetches an image's original or thumbnail: the API's own route in proxy mode, else S3 directly. */
  async of(imagePath: string, key: string, proxyPath: string): Promise<string> {
    return this.urls.mode === 'proxy' ? `${imagePath}${proxyPath}` : (await this.signed(key)).url;
  }
}
