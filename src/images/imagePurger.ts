import { DeleteObjectsCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { DeleteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { imagePrefix } from '../activities/imageKeys';
import type { Config } from '../config';
import { ClusterRepository } from './clusterRepository';

/**
 * Removes everything stored for one image: every object under its prefix (original, thumbnails, anything an
 * in-flight activity wrote), its embedding, its item and its place in its cluster's count. Safe to repeat: what is
 * gone stays gone.
 */
export class ImagePurger {
  private readonly clusters: ClusterRepository;

  constructor(
    private readonly s3: S3Client,
    private readonly documents: DynamoDBDocumentClient,
    private readonly config: Pick<Config, 's3' | 'dynamodb'>,
  ) {
    this.clusters = new ClusterRepository(documents, config.dynamodb.clustersTable, config.dynamodb.imagesTable);
  }

  async purge(userId: string, imageId: string): Promise<number> {
    const removed = await this.removeObjects(imagePrefix(userId, imageId));
    const key = { user_id: userId, image_id: imageId };
    await this.documents.send(new DeleteCommand({ TableName: this.config.dynamodb.embeddingsTable, Key: key }));
    await this.clusters.removeImage(userId, imageId);
    return removed;
  }

  private async removeObjects(prefix: string): Promise<number> {
    let removed = 0;
    let token: string | undefined;
    do {
      const page = await this.s3.send(
        new ListObjectsV2Command({ Bucket: this.config.s3.bucket, Prefix: prefix, ContinuationToken: token }),
      );
      const keys = (page.Contents ?? []).map((object) => ({ Key: object.Key! }));
      if (keys.length > 0) {
        const result = await this.s3.send(
          new DeleteObjectsCommand({ Bucket: this.config.s3.bucket, Delete: { Objects: keys, Quiet: true } }),
        );
        if (result.Errors?.length)
          throw new Error(
            `could not delete ${result.Errors.length} objects under ${prefix}: ${result.Errors[0]!.Message}`,
          );
        removed += keys.length;
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return removed;
  }
}
