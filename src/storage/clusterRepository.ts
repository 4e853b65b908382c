import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ClusterRecord } from './clusterRecord';
import { decodeVector, encodeVector } from './float32Vector';
import { queryAllPages } from './queryAllPages';
import type { TransactWriteItem } from './transactWriteItem';

type StoredCluster = Omit<ClusterRecord, 'centroid'> & { centroid: Uint8Array };

/**
 * Users with images not yet seen by a re-clustering, kept as a sparse list in a partition of their own in the
 * clusters table (sort key: the user id), so the scheduled run reads them with a Query instead of a Scan.
 */
const PENDING_PARTITION = '#recluster-pending';

/**
 * The clusters table: clusters, the users waiting for a re-clustering, and the member counts that change with an
 * image's membership (handed to ImageRepository, which writes them in one transaction with the image item).
 */
export class ClusterRepository {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
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
   * The write that counts a new member into the cluster, while the cluster exists: for the transaction in which the
   * image joins it (ImageRepository.joinCluster). Refused once a re-clustering has replaced the cluster.
   */
  countInWrites(userId: string, clusterId: string, at: string): TransactWriteItem[] {
    return [
      {
        Update: {
          TableName: this.tableName,
          Key: { user_id: userId, cluster_id: clusterId },
          UpdateExpression: 'SET member_count = member_count + :one, updated_at = :at',
          ConditionExpression: 'attribute_exists(cluster_id)',
          ExpressionAttributeValues: { ':one': 1, ':at': at },
        },
      },
    ];
  }

  /**
   * The write that counts a member out of the cluster, while the cluster exists and has members: for the transaction
   * that deletes the image (ImageRepository.removeCountingOut).
   */
  countOutWrites(userId: string, clusterId: string): TransactWriteItem[] {
    return [
      {
        Update: {
          TableName: this.tableName,
          Key: { user_id: userId, cluster_id: clusterId },
          UpdateExpression: 'SET member_count = member_count - :one',
          ConditionExpression: 'attribute_exists(cluster_id) AND member_count > :zero',
          ExpressionAttributeValues: { ':one': 1, ':zero': 0 },
        },
      },
    ];
  }
}
