/** What a provider is shown of an image: a small rendition (a thumbnail) and the facts measured from it. */
export interface ImageForAi {
  /** An encoded thumbnail (WebP or JPEG), a few hundred pixels on its long side. */
  thumbnail: Buffer;
  /** Its content type, e.g. image/webp. */
  thumbnailType: string;
  /** A presigned URL of the thumbnail, when providers are to fetch it themselves (AI_IMAGE_TRANSPORT=presigned_url). */
  thumbnailUrl?: string;
  width: number;
  height: number;
  format: string;
}

/** Describes and embeds images and names clusters; implementations: `local` (no network, from the pixels) and `openai`. */
export interface AiProvider {
  /** Recorded with each embedding, so a change of provider or model is noticed and triggers re-embedding. */
  readonly name: string;
  describe(image: ImageForAi): Promise<string>;
  embed(input: { image: ImageForAi; description: string }): Promise<number[]>;
  /** A short name (a few words) for a cluster, from its most typical members' descriptions. */
  nameCluster(descriptions: string[]): Promise<string>;
}
