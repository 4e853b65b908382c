import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { ClusterRecord } from './clusterRecord';
import { decodeVector, encodeVector } from './float32Vector';
import { ImageNotFoundError } from './imageRepository';
import { queryAllPages } from './queryAllPages';

/** How an assignment ended: joined now, found already done by an earlier attempt, or the cluster was replaced. */
export type MembershipOutcome =
  { outcome: 'added' | 'already-member'; clusterId: string } | { outcome: 'cluster-gone' };

type StoredCluster = Omit<ClusterRecord, 'centroid'> & { centroid: Uint8Array };

/**
 * Users with images not yet seen by a re-clustering, kept as a sparse list in a partition of their own in the
 * clusters table (sort key: the user id), so the scheduled run reads them with a Query instead of a Scan.
 */
const PENDING_PARTITION = '#recluster-pending';

/** The clusters table, and the writes that put an image into a cluster and take it out again. */
export class ClusterRepository {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly imagesTable: string,
  ) {}

  /** Every cluster of one user, page by page (a library may have many). */
  async list(userId: string): Promise<ClusterRecord[]> {
    const items = (await queryAllPages(this.documents, {
      TableName: this.tableName,
      KeyConditionExpression: 'user_id = :user',
      ExpressionAttributeValues: { ':user': userId },
    })) as StoredCluster[];
    return items.map((item) => ({ ...item, centroid: decodeVector(item.centroid) }));
  }

  /** Removes every cluster of the user except `keep` (the ones a re-clustering has just written). */
  async removeAllExcept(userId: string, keep: Set<string>): Promise<number> {
    const stale = (await this.list(userId)).filter((cluster) => !keep.has(cluster.cluster_id));
    for (const cluster of stale) {
      await this.documents.send(
        new DeleteCommand({ TableName: this.tableName, Key: { user_id: userId, cluster_id: cluster.cluster_id } }),
      );
    }
    return stale.length;
  }

  /** Notes that the user has an image the next re-clustering should see. */
  async markPending(userId: string, at: string): Promise<void> {
    await this.documents.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { user_id: PENDING_PARTITION, cluster_id: userId, marked_at: at },
      }),
    );
  }

  /** Users waiting for a re-clustering, a page at a time. */
  async listPending(options: { limit: number; after?: string }): Promise<{ userIds: string[]; next?: string }> {
    const page = await this.documents.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'user_id = :pending',
        ExpressionAttributeValues: { ':pending': PENDING_PARTITION },
        Limit: options.limit,
        ExclusiveStartKey: options.after ? { user_id: PENDING_PARTITION, cluster_id: options.after } : undefined,
      }),
    );
    return {
      userIds: (page.Items ?? []).map((item) => item.cluster_id as string),
      next: page.LastEvaluatedKey?.cluster_id as string | undefined,
    };
  }

  /** Clears the user's mark unless an image arrived after `seenUpTo` (then the next run must see it too). */
  async clearPending(userId: string, seenUpTo: string): Promise<void> {
    try {
      await this.documents.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { user_id: PENDING_PARTITION, cluster_id: userId },
          ConditionExpression: 'attribute_not_exists(marked_at) OR marked_at <= :seen',
          ExpressionAttributeValues: { ':seen': seenUpTo },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async put(cluster: ClusterRecord): Promise<void> {
    await this.documents.send(
      new PutCommand({ TableName: this.tableName, Item: { ...cluster, centroid: encodeVector(cluster.centroid) } }),
    );
  }

  /**
   * Puts an image into a cluster and counts it, in one transaction that only runs while the image has no cluster:
   * a retried or replayed assignment finds the membership already there and counts nothing twice.
   */
  async addMember(
    userId: string,
    imageId: string,
    clusterId: string,
    similarity: number,
    at: string,
  ): Promise<MembershipOutcome> {
    try {
      await this.documents.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.imagesTable,
                Key: { user_id: userId, image_id: imageId },
                UpdateExpression: 'SET cluster_id = :cluster, cluster_similarity = :similarity, updated_at = :at',
                ConditionExpression: 'attribute_exists(image_id) AND attribute_not_exists(cluster_id)',
                ExpressionAttributeValues: { ':cluster': clusterId, ':similarity': similarity, ':at': at },
              },
            },
            {
              Update: {
                TableName: this.tableName,
                Key: { user_id: userId, cluster_id: clusterId },
                UpdateExpression: 'SET member_count = member_count + :one, updated_at = :at',
                ConditionExpression: 'attribute_exists(cluster_id)',
                ExpressionAttributeValues: { ':one': 1, ':at': at },
              },
            },
          ],
        }),
      );
      return { outcome: 'added', clusterId };
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const [image, cluster] = error.CancellationReasons ?? [];
      if (image?.Code === 'ConditionalCheckFailed') {
        const { Item } = await this.documents.send(
          new GetCommand({
            TableName: this.imagesTable,
            Key: { user_id: userId, image_id: imageId },
            ConsistentRead: true,
          }),
        );
        if (!Item) throw new ImageNotFoundError(userId, imageId);
        if (typeof Item.cluster_id === 'string') return { outcome: 'already-member', clusterId: Item.cluster_id };
      }
      if (cluster?.Code === 'ConditionalCheckFailed') return { outcome: 'cluster-gone' };
      throw error;
    }
  }

  /**
   * The reverse of addMember: deletes the image item and, in the same transaction, counts it out of its cluster, so
   * a retry never counts it out twice. Every delete is conditional on the membership that was read: an assignment
   * that slips in between (a hard delete during the pipeline's cluster step) makes it read again and count it out.
   */
  async removeImage(userId: string, imageId: string): Promise<void> {
    const key = { user_id: userId, image_id: imageId };
    for (let attempt = 0; attempt < 5; attempt++) {
      const { Item } = await this.documents.send(
        new GetCommand({ TableName: this.imagesTable, Key: key, ConsistentRead: true }),
      );
      if (!Item) return;
      const clusterId = typeof Item.cluster_id === 'string' ? Item.cluster_id : undefined;
      if (clusterId && (await this.deleteCountingOut(userId, key, clusterId))) return;
      try {
        await this.documents.send(
          new DeleteCommand({
            TableName: this.imagesTable,
            Key: key,
            // Deleted only as it was read: still without a cluster, or still in a cluster that is gone.
            ConditionExpression: clusterId ? 'cluster_id = :cluster' : 'attribute_not_exists(cluster_id)',
            ExpressionAttributeValues: clusterId ? { ':cluster': clusterId } : undefined,
          }),
        );
        return;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
    throw new Error(`The cluster membership of image ${imageId} kept changing while it was being removed.`);
  }

  /**
   * Deletes the image and counts it out of `clusterId` in one transaction. False when the image's membership
   * changed meanwhile, or its cluster was replaced by a re-clustering (then there is nothing to count out).
   */
  private async deleteCountingOut(userId: string, key: Record<string, string>, clusterId: string): Promise<boolean> {
    try {
      await this.documents.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Delete: {
                TableName: this.imagesTable,
                Key: key,
                ConditionExpression: 'cluster_id = :cluster',
                ExpressionAttributeValues: { ':cluster': clusterId },
              },
            },
            {
              Update: {
                TableName: this.tableName,
                Key: { user_id: userId, cluster_id: clusterId },
                UpdateExpression: 'SET member_count = member_count - :one',
                ConditionExpression: 'attribute_exists(cluster_id) AND member_count > :zero',
                ExpressionAttributeValues: { ':one': 1, ':zero': 0 },
              },
            },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      return false;
    }
  }
}
