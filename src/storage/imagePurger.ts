import { imagePrefix } from '../contracts';
import type { ClusterRepository } from './clusterRepository';
import type { EmbeddingRepository } from './embeddingRepository';
import type { ImageObjects } from './imageObjects';
import type { SearchTermRepository } from './searchTermRepository';

/**
 * Removes everything stored for one image: every object under its prefix (original, thumbnails, anything an
 * in-flight activity wrote), its embedding, its search postings, its item and its place in its cluster's count. Safe to repeat: what is
 * gone stays gone.
 */
export class ImagePurger {
  constructor(
    private readonly objects: ImageObjects,
    private readonly embeddings: EmbeddingRepository,
    private readonly clusters: ClusterRepository,
    private readonly searchTerms: SearchTermRepository,
  ) {}

  /** Returns how many objects were removed. */
  async purge(userId: string, imageId: string): Promise<number> {
    const removed = await this.objects.deletePrefix(imagePrefix(userId, imageId));
    await this.embeddings.remove(userId, imageId);
    // Found by the image's own list of words, not the item: it goes on working once the item is gone.
    await this.searchTerms.removeImage(userId, imageId);
    await this.clusters.removeImage(userId, imageId);
    return removed;
  }
}
