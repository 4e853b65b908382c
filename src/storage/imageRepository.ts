import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { IMAGES_BY_USER_INDEX } from './tables/imagesTable';
import type { ImageResults, NearDuplicate, PurgeCondition } from '../contracts';
import type { ImageRecord, ImageStatus, Visibility } from './imageRecord';
import { batchGetAll, type Projection } from './batchGetAll';
import type { TransactWriteItem } from './transactWriteItem';

export interface ImageListFilters {
  tag?: string;
  category?: string;
  visibility?: Visibility;
  status?: ImageStatus;
  cluster?: string;
  /** Only images recorded as nearly duplicating earlier ones. */
  near_duplicates?: boolean;
  /** ISO timestamps, inclusive. */
  from?: string;
  to?: string;
}

/** Where the previous page ended: the GSI and table keys of its last item (the user is always the caller). */
export interface ListPosition {
  image_id: string;
  created_at: string;
}

export interface ImagePage {
  items: ImageRecord[];
  next?: ListPosition;
}

// A filtered query may find few matches per read; bound the reads one page may take.
const MAX_READS_PER_PAGE = 10;

/** The image item is gone (hard-deleted while it was being processed): there is nothing left to update. */
export class ImageNotFoundError extends Error {
  constructor(userId: string, imageId: string) {
    super(`Image ${imageId} of user ${userId} no longer exists.`);
    this.name = 'ImageNotFoundError';
  }
}

/** The images table: every read and write of an image item goes through here. */
export class ImageRepository {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Creates the item once: a second call with the same ids (a retried request, a double submit) changes nothing
   * and returns false.
   */
  async create(record: ImageRecord): Promise<boolean> {
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: record,
          ConditionExpression: 'attribute_not_exists(image_id)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /**
   * One user's images, newest first, through the user/created_at GSI (never a Scan). Filters apply within the
   * user's partition; the date range narrows the key condition itself.
   */
  async list(
    userId: string,
    options: { limit: number; after?: ListPosition; filters: ImageListFilters },
  ): Promise<ImagePage> {
    const { filters } = options;
    // Newest first: an empty range, or a cursor already past its oldest end, has nothing to list; a cursor newer
    // than its newest end starts at that end (DynamoDB refuses a starting key outside the key condition).
    if (filters.from && filters.to && filters.from > filters.to) return { items: [] };
    if (options.after && filters.from && options.after.created_at < filters.from) return { items: [] };
    const after = options.after && filters.to && options.after.created_at > filters.to ? undefined : options.after;
    const names: Record<string, string> = { '#user': 'user_id' };
    const values: Record<string, unknown> = { ':user': userId };
    let keyCondition = '#user = :user';
    if (filters.from || filters.to) names['#created'] = 'created_at';
    if (filters.from && filters.to) {
      keyCondition += ' AND #created BETWEEN :from AND :to';
      Object.assign(values, { ':from': filters.from, ':to': filters.to });
    } else if (filters.from) {
      keyCondition += ' AND #created >= :from';
      values[':from'] = filters.from;
    } else if (filters.to) {
      keyCondition += ' AND #created <= :to';
      values[':to'] = filters.to;
    }
    // Soft-deleted images and direct uploads not yet completed are not in lists.
    Object.assign(names, { '#deleted': 'deleted_at', '#status': 'status' });
    values[':awaiting'] = 'awaiting_upload';
    const conditions: string[] = ['attribute_not_exists(#deleted)', '#status <> :awaiting'];
    const equal = (attribute: string, value: unknown) => {
      names[`#${attribute}`] = attribute;
      values[`:${attribute}`] = value;
      conditions.push(`#${attribute} = :${attribute}`);
    };
    if (filters.category) equal('category', filters.category);
    if (filters.visibility) equal('visibility', filters.visibility);
    if (filters.status) equal('status', filters.status);
    if (filters.cluster) equal('cluster_id', filters.cluster);
    if (filters.near_duplicates) conditions.push('attribute_exists(near_duplicates)');
    if (filters.tag) {
      names['#tags'] = 'tags';
      values[':tag'] = filters.tag;
      conditions.push('contains(#tags, :tag)');
    }

    const items: ImageRecord[] = [];
    let startKey: Record<string, unknown> | undefined = after && { user_id: userId, ...after };
    for (let reads = 0; reads < MAX_READS_PER_PAGE && items.length < options.limit; reads++) {
      const page = await this.documents.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: IMAGES_BY_USER_INDEX,
          KeyConditionExpression: keyCondition,
          FilterExpression: conditions.join(' AND '),
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ScanIndexForward: false,
          Limit: options.limit - items.length,
          ExclusiveStartKey: startKey,
        }),
      );
      items.push(...((page.Items ?? []) as ImageRecord[]));
      startKey = page.LastEvaluatedKey;
      if (!startKey) break;
    }
    // The last item read (matched or not): the next page resumes right after it.
    return {
      items,
      next: startKey && { image_id: String(startKey.image_id), created_at: String(startKey.created_at) },
    };
  }

  /**
   * Hides the image until `purgeAfter`, with `alongside` (the other writes that must happen with it) in one
   * transaction; false, and nothing written, when it is missing or already deleted.
   */
  async softDelete(
    userId: string,
    imageId: string,
    deletion: { at: string; purgeAfter: string; purgeRunId: string },
    alongside: TransactWriteItem[],
  ): Promise<boolean> {
    return this.transactConditionally(
      {
        TableName: this.tableName,
        Key: { user_id: userId, image_id: imageId },
        UpdateExpression: 'SET deleted_at = :at, purge_after = :purge, purge_run_id = :run, updated_at = :at',
        ConditionExpression: 'attribute_exists(image_id) AND attribute_not_exists(deleted_at)',
        ExpressionAttributeValues: { ':at': deletion.at, ':purge': deletion.purgeAfter, ':run': deletion.purgeRunId },
      },
      alongside,
    );
  }

  /** A direct upload arrived and passed its checks: record what it is and hand it to processing, once. */
  async markUploaded(
    userId: string,
    imageId: string,
    facts: Pick<ImageRecord, 'bytes' | 'format' | 'content_type' | 'width' | 'height' | 'sha256'>,
    at: string,
  ): Promise<boolean> {
    return this.conditionally(userId, imageId, {
      UpdateExpression:
        'SET #status = :processing, bytes = :bytes, #format = :format, content_type = :type, width = :width, height = :height, sha256 = :sha, updated_at = :at REMOVE duplicate_of',
      // Not once its purge has claimed it (the upload URL expired unused), nor once it is deleted: either way the
      // image is on its way out, and a run started for it would write for an image nobody can see.
      ConditionExpression:
        '#status = :awaiting AND attribute_not_exists(purging_at) AND attribute_not_exists(deleted_at)',
      ExpressionAttributeNames: { '#status': 'status', '#format': 'format' },
      ExpressionAttributeValues: {
        ':processing': 'processing',
        ':awaiting': 'awaiting_upload',
        ':bytes': facts.bytes,
        ':format': facts.format,
        ':type': facts.content_type,
        ':width': facts.width,
        ':height': facts.height,
        ':sha': facts.sha256,
        ':at': at,
      },
    });
  }

  /**
   * Undoes markUploaded when the upload's run could not be started: the image awaits its upload again, where its
   * URL's purge takes it unless the client completes it once more.
   */
  async markNotUploaded(userId: string, imageId: string): Promise<boolean> {
    return this.conditionally(userId, imageId, {
      UpdateExpression: 'SET #status = :awaiting',
      ConditionExpression: '#status = :processing',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':awaiting': 'awaiting_upload', ':processing': 'processing' },
    });
  }

  /** A direct upload turned out to be bytes its owner already has in `holderId`: it stays open, pointing there. */
  async markDuplicate(userId: string, imageId: string, holderId: string, at: string): Promise<boolean> {
    return this.conditionally(userId, imageId, {
      UpdateExpression: 'SET duplicate_of = :holder, updated_at = :at',
      ConditionExpression:
        '#status = :awaiting AND attribute_not_exists(purging_at) AND attribute_not_exists(deleted_at)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':holder': holderId, ':awaiting': 'awaiting_upload', ':at': at },
    });
  }

  /**
   * Brings a soft-deleted image back, with `alongside` in one transaction; false, and nothing written, when it is
   * missing, not deleted, or already claimed by its purge (which is removing it).
   */
  async restore(userId: string, imageId: string, at: string, alongside: TransactWriteItem[]): Promise<boolean> {
    return this.transactConditionally(
      {
        TableName: this.tableName,
        Key: { user_id: userId, image_id: imageId },
        UpdateExpression: 'SET updated_at = :at REMOVE deleted_at, purge_after, purge_run_id',
        ConditionExpression: 'attribute_exists(deleted_at) AND attribute_not_exists(purging_at)',
        ExpressionAttributeValues: { ':at': at },
      },
      alongside,
    );
  }

  /** Runs the image item's conditional update and the other writes as one transaction: false when its condition failed. */
  private async transactConditionally(
    update: NonNullable<TransactWriteItem['Update']>,
    alongside: TransactWriteItem[],
  ): Promise<boolean> {
    try {
      await this.documents.send(new TransactWriteCommand({ TransactItems: [{ Update: update }, ...alongside] }));
      return true;
    } catch (error) {
      if (
        error instanceof TransactionCanceledException &&
        error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed'
      )
        return false;
      throw error;
    }
  }

  /**
   * A purge claims the image before it removes anything, by a conditional write of `purging_at` that only succeeds
   * while the purge's condition still holds; a restore or a completed upload after that is refused, and one before
   * it makes the claim fail. `gone` when there is no item (what is left of it may still be removed).
   */
  async claimForPurge(
    userId: string,
    imageId: string,
    when: PurgeCondition,
    at: string,
  ): Promise<'claimed' | 'gone' | 'refused'> {
    const conditions: Record<PurgeCondition, string> = {
      always: 'attribute_exists(image_id)',
      'still-deleted': 'attribute_exists(deleted_at)',
      'never-uploaded': '#status = :awaiting',
    };
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { user_id: userId, image_id: imageId },
          UpdateExpression: 'SET purging_at = if_not_exists(purging_at, :at)',
          ConditionExpression: conditions[when],
          ExpressionAttributeNames: when === 'never-uploaded' ? { '#status': 'status' } : undefined,
          ExpressionAttributeValues:
            when === 'never-uploaded' ? { ':at': at, ':awaiting': 'awaiting_upload' } : { ':at': at },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return 'claimed';
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      return error.Item ? 'refused' : 'gone';
    }
  }

  private async conditionally(
    userId: string,
    imageId: string,
    update: Pick<
      UpdateCommandInput,
      'UpdateExpression' | 'ConditionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'
    >,
  ): Promise<boolean> {
    try {
      await this.documents.send(
        new UpdateCommand({ TableName: this.tableName, Key: { user_id: userId, image_id: imageId }, ...update }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async remove(userId: string, imageId: string): Promise<void> {
    await this.documents.send(
      new DeleteCommand({ TableName: this.tableName, Key: { user_id: userId, image_id: imageId } }),
    );
  }

  /** Throws unless the table answers a read (readiness): a key no image has, so it costs one small read. */
  async checkTable(signal?: AbortSignal): Promise<void> {
    await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: { user_id: '#readiness', image_id: '#readiness' } }),
      { abortSignal: signal },
    );
  }

  /** The caller's image, or undefined: another user's id finds nothing, exactly like a missing one. */
  async get(userId: string, imageId: string): Promise<ImageRecord | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: { user_id: userId, image_id: imageId }, ConsistentRead: true }),
    );
    return Item as ImageRecord | undefined;
  }

  /**
   * Several of the caller's images at once (BatchGetItem, 100 keys a request), in no particular order: the ids
   * that are not theirs, or no longer exist, are simply not among them. Keys DynamoDB leaves unprocessed are asked
   * for again, a bounded number of times. With `attributes`, only those (and the id) are read: a fraction of an item.
   */
  async getMany(userId: string, imageIds: string[]): Promise<ImageRecord[]>;
  async getMany<K extends keyof ImageRecord>(
    userId: string,
    imageIds: string[],
    attributes: K[],
  ): Promise<Array<Pick<ImageRecord, K | 'image_id'>>>;
  async getMany(userId: string, imageIds: string[], attributes?: Array<keyof ImageRecord>): Promise<ImageRecord[]> {
    const projection: Projection | undefined = attributes && {
      ProjectionExpression: ['image_id', ...attributes].map((_, index) => `#a${index}`).join(', '),
      ExpressionAttributeNames: Object.fromEntries(
        ['image_id', ...attributes].map((attribute, index) => [`#a${index}`, attribute]),
      ),
    };
    const keys = [...new Set(imageIds)].map((imageId) => ({ user_id: userId, image_id: imageId }));
    return batchGetAll<ImageRecord>(this.documents, this.tableName, keys, 'images', projection);
  }

  /**
   * Records what the pipeline produced and marks the image completed; the same write again changes nothing new.
   * Returns the item as written.
   */
  async complete(userId: string, imageId: string, results: ImageResults, at: string): Promise<ImageRecord> {
    const fields: Record<string, unknown> = { ...results, status: 'completed', completed_at: at, updated_at: at };
    const names = Object.keys(fields).filter((name) => fields[name] !== undefined);
    const written = await this.updateExisting(userId, imageId, {
      UpdateExpression: `SET ${names.map((name) => `#${name} = :${name}`).join(', ')} REMOVE failure_reason`,
      ExpressionAttributeNames: Object.fromEntries(names.map((name) => [`#${name}`, name])),
      ExpressionAttributeValues: Object.fromEntries(names.map((name) => [`:${name}`, fields[name]])),
      ReturnValues: 'ALL_NEW',
    });
    return written!;
  }

  /** Records the earlier images this one nearly duplicates (none: the attribute is removed, so lists skip it). */
  async setNearDuplicates(userId: string, imageId: string, found: NearDuplicate[], at: string): Promise<void> {
    await this.updateExisting(
      userId,
      imageId,
      found.length
        ? {
            UpdateExpression: 'SET near_duplicates = :found, updated_at = :at',
            ExpressionAttributeValues: { ':found': found, ':at': at },
          }
        : { UpdateExpression: 'REMOVE near_duplicates' },
    );
  }

  async fail(userId: string, imageId: string, reason: string, at: string): Promise<void> {
    await this.updateExisting(userId, imageId, {
      UpdateExpression: 'SET #status = :failed, failure_reason = :reason, updated_at = :at',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':failed': 'failed', ':reason': reason, ':at': at },
    });
  }

  /**
   * An update that never creates an item: a missing one raises ImageNotFoundError. Returns the item as updated when
   * `ReturnValues: 'ALL_NEW'` asks for it (nothing otherwise: most callers need not carry it back).
   */
  private async updateExisting(
    userId: string,
    imageId: string,
    update: Pick<
      UpdateCommandInput,
      'UpdateExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues' | 'ReturnValues'
    >,
  ): Promise<ImageRecord | undefined> {
    try {
      const { Attributes } = await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { user_id: userId, image_id: imageId },
          ConditionExpression: 'attribute_exists(image_id)',
          ...update,
        }),
      );
      return Attributes as ImageRecord | undefined;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new ImageNotFoundError(userId, imageId);
      throw error;
    }
  }

  /** Puts the image into a cluster (a re-clustering's verdict); false when the image is gone. Same write, same result. */
  async setCluster(
    userId: string,
    imageId: string,
    clusterId: string,
    similarity: number,
    at: string,
  ): Promise<boolean> {
    return this.conditionally(userId, imageId, {
      UpdateExpression: 'SET cluster_id = :cluster, cluster_similarity = :similarity, updated_at = :at',
      ConditionExpression: 'attribute_exists(image_id)',
      ExpressionAttributeValues: { ':cluster': clusterId, ':similarity': similarity, ':at': at },
    });
  }

  /** Records which provider's embedding the image now has (after re-embedding); false when the image is gone. */
  async setEmbeddingFacts(
    userId: string,
    imageId: string,
    facts: { dimensions: number; provider: string },
    at: string,
  ): Promise<boolean> {
    return this.conditionally(userId, imageId, {
      UpdateExpression: 'SET embedding_dimensions = :dimensions, embedding_provider = :provider, updated_at = :at',
      ConditionExpression: 'attribute_exists(image_id)',
      ExpressionAttributeValues: { ':dimensions': facts.dimensions, ':provider': facts.provider, ':at': at },
    });
  }
}
