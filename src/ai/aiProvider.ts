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

/** A class a provider recognises in an image, and how probable it finds it. */
export interface ImageLabel {
  name: string;
  /** 0 to 1, rounded to three places. */
  probability: number;
}

/** A kind of object a provider finds in an image, how many of it, and how sure it is of the surest one. */
export interface ImageObject {
  name: string;
  count: number;
  /** 0 to 1, rounded to three places. */
  score: number;
}

/**
 * Describes and embeds images and names clusters. Implementations: `local` (no network, a histogram of the pixels),
 * `mobilenet` (no network, a pretrained network's features), `vision` (no network, a pretrained classifier that
 * names what it sees) and `openai`.
 */
export interface AiProvider {
  /** Recorded with each embedding, so a change of provider or model is noticed and triggers re-embedding. */
  readonly name: string;
  describe(image: ImageForAi): Promise<string>;
  /** What it recognises in the image, most probable first; absent where a provider names no classes. */
  labels?(image: ImageForAi): Promise<ImageLabel[]>;
  /** The objects it finds in the image, by kind, surest first; absent where a provider detects no objects. */
  objects?(image: ImageForAi): Promise<ImageObject[]>;
  embed(input: { image: ImageForAi; description: string }): Promise<number[]>;
  /**
   * Embeds a text query into the space `embed` puts images in, for providers whose embeddings come from text (the
   * description): text search then ranks images by cosine similarity to it. Absent where images and text do not
   * share a space (the pixel-based providers).
   */
  embedText?(text: string): Promise<number[]>;
  /**
   * The cosine similarity from which two of its image embeddings are the same photo, altered or not (cropped,
   * rotated a little, re-lit, recompressed, greyscale), as bench/retrieval measures it. Absent where its embeddings
   * cannot tell a near-duplicate from a merely similar image: then none are recorded.
   */
  readonly nearDuplicateSimilarity?: number;
  /** A short name (a few words) for a cluster, from its most typical members' descriptions. */
  nameCluster(descriptions: string[]): Promise<string>;
}
