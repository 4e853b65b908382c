import { imagePrefix } from '../contracts';
import type { ChecksumRepository } from './checksumRepository';
import type { ClusterRepository } from './clusterRepository';
import type { EmbeddingRepository } from './embeddingRepository';
import type { ImageObjects } from './imageObjects';
import type { ImageRepository } from './imageRepository';
import type { SearchTermRepository } from './searchTermRepository';

/**
 * Removes everything stored for one image: every object under its prefix (original, thumbnails, anything an
 * in-flight activity wrote), its embedding, its search postings, its checksum, its item and its place in its cluster's
 * count. Safe to repeat: what is gone stays gone.
 */
export class ImagePurger {
  constructor(
    private readonly objects: ImageObjects,
    private readonly embeddings: EmbeddingRepository,
    private readonly clusters: ClusterRepository,
    private readonly searchTerms: SearchTermRepository,
    private readonly images: ImageRepository,
    private readonly checksums: ChecksumRepository,
  ) {}

  /** Returns how many objects were removed. */
  async purge(userId: string, imageId: string): Promise<number> {
    // Freed first, while the item still says which checksum: one left held by a gone image is replaced on upload.
    const sha256 = (await this.images.get(userId, imageId))?.sha256;
    if (sha256) await this.checksums.release(userId, sha256, imageId);
    const removed = await this.objects.deletePrefix(imagePrefix(userId, imageId));
    await this.embeddings.remove(userId, imageId);
    // Found by the image's own list of words, not the item: it goes on working once the item is gone.
    await this.searchTerms.removeImage(userId, imageId);
    await this.images.removeCountingOut(userId, imageId, (clusterId) =>
      this.clusters.countOutWrites(userId, clusterId),
    );
    return removed;
  }
}
