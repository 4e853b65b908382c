import { DeleteObjectsCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { imagePrefix } from '../activities/imageKeys';
import type { Config } from '../config';

/**
 * Removes everything stored for one image: every object under its prefix (original, thumbnails, anything an
 * in-flight activity wrote), its embedding, its item and its place in its cluster's count. Safe to repeat: what is
 * gone stays gone.
 */
export class ImagePurger {
  constructor(
    private readonly s3: S3Client,
    private readonly documents: DynamoDBDocumentClient,
    private readonly config: Pick<Config, 's3' | 'dynamodb'>,
  ) {}

  async purge(userId: string, imageId: string): Promise<number> {
    const removed = await this.removeObjects(imagePrefix(userId, imageId));
    const key = { user_id: userId, image_id: imageId };
    await this.documents.send(new DeleteCommand({ TableName: this.config.dynamodb.embeddingsTable, Key: key }));
    await this.removeItem(key);
    return removed;
  }

  /** Deletes the item and, in the same transaction, counts it out of its cluster, so a retry never counts it out twice. */
  private async removeItem(key: { user_id: string; image_id: string }): Promise<void> {
    const { imagesTable, clustersTable } = this.config.dynamodb;
    const { Item } = await this.documents.send(new GetCommand({ TableName: imagesTable, Key: key, ConsistentRead: true }));
    if (!Item) return;
    if (typeof Item.cluster_id === 'string') {
      try {
        await this.documents.send(
          new TransactWriteCommand({
            TransactItems: [
              { Delete: { TableName: imagesTable, Key: key, ConditionExpression: 'cluster_id = :cluster', ExpressionAttributeValues: { ':cluster': Item.cluster_id } } },
              {
                Update: {
                  TableName: clustersTable,
                  Key: { user_id: key.user_id, cluster_id: Item.cluster_id },
                  UpdateExpression: 'SET member_count = member_count - :one',
                  ConditionExpression: 'attribute_exists(cluster_id) AND member_count > :zero',
                  ExpressionAttributeValues: { ':one': 1, ':zero': 0 },
                },
              },
            ],
          }),
        );
        return;
      } catch (error) {
        // The cluster was replaced by a re-clustering, or the membership changed meanwhile: nothing to count out.
        if (!(error instanceof TransactionCanceledException)) throw error;
      }
    }
    await this.documents.send(new DeleteCommand({ TableName: imagesTable, Key: key }));
  }

  private async removeObjects(prefix: string): Promise<number> {
    let removed = 0;
    let token: string | undefined;
    do {
      const page = await this.s3.send(new ListObjectsV2Command({ Bucket: this.config.s3.bucket, Prefix: prefix, ContinuationToken: token }));
      const keys = (page.Contents ?? []).map((object) => ({ Key: object.Key! }));
      if (keys.length > 0) {
        const result = await this.s3.send(new DeleteObjectsCommand({ Bucket: this.config.s3.bucket, Delete: { Objects: keys, Quiet: true } }));
        if (result.Errors?.length) throw new Error(`could not delete ${result.Errors.length} objects under ${prefix}: ${result.Errors[0]!.Message}`);
        removed += keys.length;
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return removed;
  }
}
