import type { ImageWorkflows } from '../clients/imageWorkflows';
import type { Storage } from '../storage/createStorage';
import type { ObjectStream } from '../storage/imageObjects';
import { ObjectMissingError } from '../storage/imageObjects';
import type { ImageRecord } from '../storage/imageRecord';
import type { ImageListFilters, ListPosition } from '../storage/imageRepository';
import { imagePreview, imageView } from './imageView';
import type { ImageUrls } from './imageUrls';
import { ownImage } from './ownImage';
import { asksRun, recordedProgress, type RunProgress } from './recordedStatus';
import type { SimilarityIndex } from '../similarity/similarityIndex';
import { ConflictError, NotFoundError } from './serviceErrors';

/** An image's bytes as the API streams them, or word that the client's copy is current. */
export type ImageContent =
  { notModified: true; etag: string } | ({ notModified: false; filename?: string } & ObjectStream);

/** Everything a user reads about their own images: one image, lists, status, bytes, similar images, clusters. */
export class ImageQueries {
  constructor(
    private readonly storage: Storage,
    private readonly workflows: ImageWorkflows,
    private readonly urls: ImageUrls,
    private readonly similarity: SimilarityIndex,
  ) {}

  /** The user's image (NotFoundError for unknown, malformed, another user's, or soft-deleted ids). */
  own(userId: string, imageId: string, options: { includeDeleted?: boolean } = {}): Promise<ImageRecord> {
    return ownImage(this.storage.images, userId, imageId, options);
  }

  async view(userId: string, imageId: string, apiBase: string) {
    return imageView(await this.own(userId, imageId), this.urls, apiBase);
  }

  /** One page of the user's images, newest first, and where the next page starts. */
  async list(
    userId: string,
    page: { limit: number; after?: ListPosition; filters: ImageListFilters },
    apiBase: string,
  ) {
    const found = await this.storage.images.list(userId, page);
    return {
      items: await Promise.all(found.items.map((record) => imageView(record, this.urls, apiBase))),
      next: found.next,
    };
  }

  /**
   * The item is the record of truth. A run writes its steps on the item with its results or its failure, so a
   * finished image is answered from the item alone; the run is asked only while it is processing (see asksRun).
   * With `wait`, a processing image's answer waits until its run has closed (the cluster step, which follows
   * completion, is quick), for at most `wait.seconds`, or until the client goes away (`wait.signal`).
   */
  async status(userId: string, imageId: string, wait?: { seconds: number; signal: AbortSignal }) {
    let record = await this.own(userId, imageId);
    if (wait && wait.seconds > 0 && record.status === 'processing') {
      await this.workflows.untilClosed(record.image_id, Date.now() + wait.seconds * 1000, wait.signal);
      // Read again: the run has ended, or the wait has (the image may have been deleted meanwhile: then 404).
      record = await this.own(userId, imageId);
    }
    const progress: RunProgress | undefined = asksRun(record)
      ? await this.workflows.progress(record.image_id)
      : recordedProgress(record);
    return {
      image_id: record.image_id,
      status: record.status,
      failure_reason: record.failure_reason,
      current_step: record.status === 'processing' ? progress?.current_step : undefined,
      steps: progress?.steps,
      cluster: progress?.cluster,
      near_duplicates: progress?.near_duplicates,
      workflow_id: record.workflow_id,
      // For operators (the gallery shows it to whoever may open the Temporal UI; others cannot follow it).
      run_url: this.workflows.runUrl(record.image_id),
      updated_at: record.updated_at,
    };
  }

  async download(userId: string, imageId: string) {
    const record = await this.own(userId, imageId);
    const signed = await this.urls.signed(record.original_key, record.filename);
    return { download_url: signed.url, expires_at: signed.expires_at };
  }

  /** The original (no size) or one thumbnail, as a stream; `notModified` when `ifNoneMatch` still holds. */
  async content(
    userId: string,
    imageId: string,
    options: { size?: number; ifNoneMatch?: string },
  ): Promise<ImageContent> {
    const record = await this.own(userId, imageId);
    let key = record.original_key;
    if (options.size !== undefined) {
      const thumbnail = record.thumbnails?.find((candidate) => candidate.size === options.size);
      if (!thumbnail) {
        const sizes = record.thumbnails?.map((candidate) => candidate.size).join(', ');
        throw new NotFoundError(
          sizes ? `No ${options.size} px thumbnail; sizes: ${sizes}.` : 'The image has no thumbnails yet.',
        );
      }
      key = thumbnail.key;
    }
    try {
      const object = await this.storage.objects.read(key, { ifNoneMatch: options.ifNoneMatch });
      if (object === 'not-modified') return { notModified: true, etag: options.ifNoneMatch! };
      return { notModified: false, ...object, filename: options.size === undefined ? record.filename : undefined };
    } catch (error) {
      if (error instanceof ObjectMissingError) throw new NotFoundError('The image has no such rendition (yet).');
      throw error;
    }
  }

  /** The user's images nearest to this one by cosine similarity of their embeddings (same provider only). */
  async similar(userId: string, imageId: string, limit: number, apiBase: string) {
    const record = await this.own(userId, imageId);
    const nearest = await this.similarity.nearest(userId, record.image_id, limit);
    if (!nearest) {
      throw new ConflictError(
        `Image ${record.image_id} has no embedding yet (status: ${record.status}).`,
        'Not processed yet',
      );
    }
    // Soft-deleted images are not among them (their embeddings are hidden); one deleted a moment ago may be gone.
    const images = await Promise.all(nearest.map((neighbour) => this.storage.images.get(userId, neighbour.imageId)));
    const similar = await Promise.all(
      nearest.flatMap((neighbour, index) => {
        const image = images[index];
        if (!image || image.deleted_at || image.purging_at) return [];
        return [
          imagePreview(image, this.urls, apiBase).then((preview) => ({
            ...preview,
            similarity: Number(neighbour.similarity.toFixed(4)),
          })),
        ];
      }),
    );
    return { image_id: record.image_id, similar };
  }

  /** The user's clusters, largest first, each with a few of its most typical members as previews. */
  async clusters(userId: string, apiBase: string) {
    const clusters = (await this.storage.clusters.list(userId)).sort(
      (a, b) => b.member_count - a.member_count || a.cluster_id.localeCompare(b.cluster_id),
    );
    return {
      clusters: await Promise.all(
        clusters.map(async (cluster) => {
          const samples = await Promise.all(
            cluster.sample_image_ids.map((sampleId) => this.storage.images.get(userId, sampleId)),
          );
          const shown = samples.filter((sample): sample is ImageRecord => Boolean(sample && !sample.deleted_at));
          return {
            cluster_id: cluster.cluster_id,
            name: cluster.name,
            size: cluster.member_count,
            cohesion: cluster.cohesion,
            created_at: cluster.created_at,
            samples: await Promise.all(shown.map((sample) => imagePreview(sample, this.urls, apiBase))),
            images_url: `${apiBase}/api/v1/images?cluster=${encodeURIComponent(cluster.cluster_id)}`,
          };
        }),
      ),
    };
  }
}
