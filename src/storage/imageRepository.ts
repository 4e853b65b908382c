import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { IMAGES_BY_USER_INDEX, IMAGES_RUN_PENDING_INDEX, RUN_PENDING_SHARD_NAMES } from './tables/imagesTable';
import type { PurgeCondition } from '../contracts';
import type { ImageRecord, ImageStatus, NearDuplicate, ProcessingResults, Visibility } from './imageRecord';
import { batchGetAll, type Projection } from './batchGetAll';
import type { RecordedProgress } from './recordedProgress';
import {
  conditionExpressions,
  Expressions,
  updateExpressions,
  type Condition,
  type ItemUpdate,
} from './itemExpressions';
import { transactUnlessFirstRefused, type TransactWriteItem } from './transactWriteItem';

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

/** One write of a transaction (`Update`, `Delete`), as the single-item command takes it too. */
type ItemWrite<Kind extends 'Update' | 'Delete'> = NonNullable<TransactWriteItem[Kind]>;

/** The image's key fields: an update never changes them. */
type ImageKey = 'user_id' | 'image_id';
/** One update of an image item, in the record's own field names (see itemExpressions). */
type ImageUpdate = ItemUpdate<ImageRecord, ImageKey>;

/** The item is there: an update under it never creates one. */
const EXISTS: Condition<ImageRecord> = { image_id: 'exists' };
/** Still awaiting its upload, and neither claimed by its purge nor deleted. */
const STILL_AWAITING_UPLOAD: Condition<ImageRecord> = {
  status: { equals: 'awaiting_upload' },
  purging_at: 'absent',
  deleted_at: 'absent',
};
/** What must still hold for a purge to claim the image (see claimForPurge). */
const PURGE_CONDITIONS: Record<PurgeCondition, Condition<ImageRecord>> = {
  always: EXISTS,
  'still-deleted': { deleted_at: 'exists' },
  'never-uploaded': { status: { equals: 'awaiting_upload' } },
};

/** How joining a cluster ended: joined now, found already done by an earlier attempt, or refused by `alongside`. */
export type ClusterJoin =
  { outcome: 'joined' | 'already-member'; clusterId: string } | { outcome: 'alongside-refused' };

/**
 * The images table, and the only code that reads or writes an image item. Writes of other tables that must happen
 * with an item's (an embedding's visibility, a cluster's member count) are handed in as transaction items by their
 * repositories and run here, in one transaction with it.
 */
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
          ...conditionExpressions<ImageRecord>({ image_id: 'absent' }),
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
   * user's partition; the date range narrows the key condition itself. Direct uploads still to be completed are
   * listed only with `uploadsToComplete` (the image event stream watches them).
   */
  async list(
    userId: string,
    options: { limit: number; after?: ListPosition; filters: ImageListFilters; uploadsToComplete?: boolean },
  ): Promise<ImagePage> {
    const { filters } = options;
    // Newest first: an empty range, or a cursor already past its oldest end, has nothing to list; a cursor newer
    // than its newest end starts at that end (DynamoDB refuses a starting key outside the key condition).
    if (filters.from && filters.to && filters.from > filters.to) return { items: [] };
    if (options.after && filters.from && options.after.created_at < filters.from) return { items: [] };
    const after = options.after && filters.to && options.after.created_at > filters.to ? undefined : options.after;
    const expressions = new Expressions<ImageRecord>();
    let keyCondition = `${expressions.name('user_id')} = ${expressions.value(userId)}`;
    const created = () => expressions.name('created_at');
    if (filters.from && filters.to) {
      keyCondition += ` AND ${created()} BETWEEN ${expressions.value(filters.from)} AND ${expressions.value(filters.to)}`;
    } else if (filters.from) {
      keyCondition += ` AND ${created()} >= ${expressions.value(filters.from)}`;
    } else if (filters.to) {
      keyCondition += ` AND ${created()} <= ${expressions.value(filters.to)}`;
    }
    const equal = <V>(value: V | undefined) => (value ? { equals: value } : undefined);
    const filter = expressions.condition({
      // Soft-deleted images and direct uploads not yet completed are not in lists.
      deleted_at: 'absent',
      status: [
        ...(options.uploadsToComplete ? [] : [{ notEquals: 'awaiting_upload' as const }]),
        ...(filters.status ? [{ equals: filters.status }] : []),
      ],
      category: equal(filters.category),
      visibility: equal(filters.visibility),
      cluster_id: equal(filters.cluster),
      near_duplicates: filters.near_duplicates ? 'exists' : undefined,
      tags: filters.tag ? { contains: filters.tag } : undefined,
    });

    const items: ImageRecord[] = [];
    let startKey: Record<string, unknown> | undefined = after && { user_id: userId, ...after };
    for (let reads = 0; reads < MAX_READS_PER_PAGE && items.length < options.limit; reads++) {
      const page = await this.documents.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: IMAGES_BY_USER_INDEX,
          KeyConditionExpression: keyCondition,
          FilterExpression: filter,
          ...expressions.attributes(),
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
      this.updateOf(userId, imageId, {
        set: {
          deleted_at: deletion.at,
          purge_after: deletion.purgeAfter,
          purge_run_id: deletion.purgeRunId,
          updated_at: deletion.at,
        },
        when: { image_id: 'exists', deleted_at: 'absent' },
      }),
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
      set: {
        status: 'processing',
        bytes: facts.bytes,
        format: facts.format,
        content_type: facts.content_type,
        width: facts.width,
        height: facts.height,
        sha256: facts.sha256,
        updated_at: at,
      },
      remove: ['duplicate_of'],
      // Not once its purge has claimed it (the upload URL expired unused), nor once it is deleted: either way the
      // image is on its way out, and a run started for it would write for an image nobody can see.
      when: STILL_AWAITING_UPLOAD,
    });
  }

  /**
   * Undoes markUploaded when the upload's run could not be started: the image awaits its upload again, where its
   * URL's purge takes it unless the client completes it once more.
   */
  async markNotUploaded(userId: string, imageId: string): Promise<boolean> {
    return this.conditionally(userId, imageId, {
      set: { status: 'awaiting_upload' },
      when: { status: { equals: 'processing' } },
    });
  }

  /** A direct upload turned out to be bytes its owner already has in `holderId`: it stays open, pointing there. */
  async markDuplicate(userId: string, imageId: string, holderId: string, at: string): Promise<boolean> {
    return this.conditionally(userId, imageId, {
      set: { duplicate_of: holderId, updated_at: at },
      when: STILL_AWAITING_UPLOAD,
    });
  }

  /**
   * Brings back the image soft-deleted at `deletedAt`, with `alongside` in one transaction; false, and nothing
   * written, when it is missing, not deleted then, or already claimed by its purge (which is removing it).
   */
  async restore(
    userId: string,
    imageId: string,
    restoring: { at: string; deletedAt: string },
    alongside: TransactWriteItem[],
  ): Promise<boolean> {
    return this.transactConditionally(
      this.updateOf(userId, imageId, {
        set: { updated_at: restoring.at, restored_at: restoring.at, restored_deletion_at: restoring.deletedAt },
        remove: ['deleted_at', 'purge_after', 'purge_run_id'],
        when: { deleted_at: { equals: restoring.deletedAt }, purging_at: 'absent' },
      }),
      alongside,
    );
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
    try {
      await this.documents.send(
        new UpdateCommand({
          ...this.updateOf(userId, imageId, { setIfAbsent: { purging_at: at }, when: PURGE_CONDITIONS[when] }),
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return 'claimed';
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      return error.Item ? 'refused' : 'gone';
    }
  }

  async remove(userId: string, imageId: string): Promise<void> {
    await this.documents.send(new DeleteCommand({ TableName: this.tableName, Key: this.key(userId, imageId) }));
  }

  /**
   * Deletes the image item and, in the same transaction, the writes `countOut` gives for the cluster it is in (its
   * member count), so a retry never counts it out twice. Every delete is conditional on the membership that was
   * read: an assignment that slips in between (a hard delete during the pipeline's cluster step) makes it read again
   * and count it out.
   */
  async removeCountingOut(
    userId: string,
    imageId: string,
    countOut: (clusterId: string) => TransactWriteItem[],
  ): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const item = await this.get(userId, imageId);
      if (!item) return;
      const clusterId = typeof item.cluster_id === 'string' ? item.cluster_id : undefined;
      // Deleted only as it was read: still without a cluster, or still in the cluster it was in.
      const asRead: Condition<ImageRecord> = { cluster_id: clusterId ? { equals: clusterId } : 'absent' };
      // Refused when its membership changed meanwhile, or its cluster was replaced by a re-clustering (then there is
      // nothing to count out, and the item is deleted alone).
      const remove = this.deleteOf(userId, imageId, asRead);
      if (clusterId && !(await this.transact([{ Delete: remove }, ...countOut(clusterId)]))) return;
      try {
        await this.documents.send(new DeleteCommand(remove));
        return;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
    throw new Error(`The cluster membership of image ${imageId} kept changing while it was being removed.`);
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
      new GetCommand({ TableName: this.tableName, Key: this.key(userId, imageId), ConsistentRead: true }),
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
    let projection: Projection | undefined;
    if (attributes) {
      const expressions = new Expressions<ImageRecord>();
      const ProjectionExpression = [...new Set<keyof ImageRecord>(['image_id', ...attributes])]
        .map((attribute) => expressions.name(attribute))
        .join(', ');
      projection = {
        ProjectionExpression,
        ExpressionAttributeNames: expressions.attributes().ExpressionAttributeNames!,
      };
    }
    const keys = [...new Set(imageIds)].map((imageId) => this.key(userId, imageId));
    return batchGetAll<ImageRecord>(this.documents, this.tableName, keys, 'images', projection);
  }

  /**
   * Records what the pipeline produced and marks the image completed; the same write again changes nothing new.
   * Returns the item as written.
   */
  async complete(userId: string, imageId: string, results: ProcessingResults, at: string): Promise<ImageRecord> {
    const written = await this.updateExisting(
      userId,
      imageId,
      {
        set: { ...results, status: 'completed', completed_at: at, updated_at: at },
        remove: ['failure_reason', 'run_pending'],
      },
      'ALL_NEW',
    );
    return written!;
  }

  /** Records the earlier images this one nearly duplicates (none: the attribute is removed, so lists skip it). */
  async setNearDuplicates(userId: string, imageId: string, found: NearDuplicate[], at: string): Promise<void> {
    await this.updateExisting(
      userId,
      imageId,
      found.length ? { set: { near_duplicates: found, updated_at: at } } : { remove: ['near_duplicates'] },
    );
  }

  /** Marks the image failed with its owner's reason (and its steps as far as they got); returns the item as written. */
  async fail(
    userId: string,
    imageId: string,
    reason: string,
    at: string,
    progress?: RecordedProgress,
  ): Promise<ImageRecord> {
    const written = await this.updateExisting(
      userId,
      imageId,
      { set: { status: 'failed', failure_reason: reason, progress, updated_at: at }, remove: ['run_pending'] },
      'ALL_NEW',
    );
    return written!;
  }

  /**
   * Images created before `createdBefore` whose run has not recorded them completed or failed, oldest first, at most
   * `limit` from each shard of the run-pending GSI: what the storage sweep checks for an image no run took.
   */
  async runPending(createdBefore: string, limit: number): Promise<Array<Pick<ImageRecord, ImageKey | 'created_at'>>> {
    const shards = RUN_PENDING_SHARD_NAMES.map((shard) =>
      this.documents.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: IMAGES_RUN_PENDING_INDEX,
          KeyConditionExpression: 'run_pending = :shard AND created_at < :before',
          ExpressionAttributeValues: { ':shard': shard, ':before': createdBefore },
          Limit: limit,
        }),
      ),
    );
    return (await Promise.all(shards)).flatMap((page) =>
      (page.Items ?? []).map((item) => ({
        user_id: String(item.user_id),
        image_id: String(item.image_id),
        created_at: String(item.created_at),
      })),
    );
  }

  /**
   * Marks failed an image left processing by a run that closed without recording it (terminated by an operator);
   * false when it is no longer so (recorded after all, deleted, or being purged).
   */
  async failStopped(userId: string, imageId: string, reason: string, at: string): Promise<boolean> {
    return this.conditionally(userId, imageId, {
      set: { status: 'failed', failure_reason: reason, updated_at: at },
      remove: ['run_pending'],
      when: { status: { equals: 'processing' }, deleted_at: 'absent', purging_at: 'absent' },
    });
  }

  /** Takes the image out of the run-pending GSI once it is completed or failed (a record from before that was automatic). */
  async settleRunPending(userId: string, imageId: string): Promise<boolean> {
    return this.conditionally(userId, imageId, {
      remove: ['run_pending'],
      when: { status: [{ notEquals: 'processing' }, { notEquals: 'awaiting_upload' }], run_pending: 'exists' },
    });
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
      set: { cluster_id: clusterId, cluster_similarity: similarity, updated_at: at },
      when: EXISTS,
    });
  }

  /**
   * Puts the image into a cluster, with `alongside` (the writes that count it in) in one transaction that only runs
   * while the image has no cluster: a retried or replayed assignment finds the membership already there and counts
   * nothing twice. A missing image raises ImageNotFoundError.
   */
  async joinCluster(
    userId: string,
    imageId: string,
    membership: { clusterId: string; similarity: number },
    at: string,
    alongside: TransactWriteItem[],
  ): Promise<ClusterJoin> {
    const refused = await this.transact([
      {
        Update: this.updateOf(userId, imageId, {
          set: { cluster_id: membership.clusterId, cluster_similarity: membership.similarity, updated_at: at },
          when: { image_id: 'exists', cluster_id: 'absent' },
        }),
      },
      ...alongside,
    ]);
    if (!refused) return { outcome: 'joined', clusterId: membership.clusterId };
    const [image, ...others] = refused.CancellationReasons ?? [];
    if (image?.Code === 'ConditionalCheckFailed') {
      const current = await this.get(userId, imageId);
      if (!current) throw new ImageNotFoundError(userId, imageId);
      if (typeof current.cluster_id === 'string') return { outcome: 'already-member', clusterId: current.cluster_id };
    }
    if (others.some((reason) => reason?.Code === 'ConditionalCheckFailed')) return { outcome: 'alongside-refused' };
    throw refused;
  }

  /** Records which provider's embedding the image now has (after re-embedding); false when the image is gone. */
  async setEmbeddingFacts(
    userId: string,
    imageId: string,
    facts: { dimensions: number; provider: string },
    at: string,
  ): Promise<boolean> {
    return this.conditionally(userId, imageId, {
      set: { embedding_dimensions: facts.dimensions, embedding_provider: facts.provider, updated_at: at },
      when: EXISTS,
    });
  }

  private key(userId: string, imageId: string): Pick<ImageRecord, ImageKey> {
    return { user_id: userId, image_id: imageId };
  }

  /** The image item's update: an UpdateItem's input, or a transaction's `Update`. */
  private updateOf(userId: string, imageId: string, update: ImageUpdate): ItemWrite<'Update'> {
    return { TableName: this.tableName, Key: this.key(userId, imageId), ...updateExpressions(update) };
  }

  /** The image item's delete while `when` holds: a DeleteItem's input, or a transaction's `Delete`. */
  private deleteOf(userId: string, imageId: string, when: Condition<ImageRecord>): ItemWrite<'Delete'> {
    return { TableName: this.tableName, Key: this.key(userId, imageId), ...conditionExpressions(when) };
  }

  /** The update, unless its condition fails: then false, and nothing written. */
  private async conditionally(userId: string, imageId: string, update: ImageUpdate): Promise<boolean> {
    try {
      await this.documents.send(new UpdateCommand(this.updateOf(userId, imageId, update)));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /**
   * An update that never creates an item: a missing one raises ImageNotFoundError. Returns the item as updated when
   * `returnValues` asks for it (nothing otherwise: most callers need not carry it back).
   */
  private async updateExisting(
    userId: string,
    imageId: string,
    update: Omit<ImageUpdate, 'when'>,
    returnValues?: 'ALL_NEW',
  ): Promise<ImageRecord | undefined> {
    try {
      const { Attributes } = await this.documents.send(
        new UpdateCommand({
          ...this.updateOf(userId, imageId, { ...update, when: EXISTS }),
          ReturnValues: returnValues,
        }),
      );
      return Attributes as ImageRecord | undefined;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new ImageNotFoundError(userId, imageId);
      throw error;
    }
  }

  /** Runs the image item's update and the other writes as one transaction: false when the update's condition failed. */
  private async transactConditionally(update: ItemWrite<'Update'>, alongside: TransactWriteItem[]): Promise<boolean> {
    return transactUnlessFirstRefused(this.documents, [{ Update: update }, ...alongside]);
  }

  /** Runs the writes as one transaction: undefined once written, or the cancellation that says why each was refused. */
  private async transact(items: TransactWriteItem[]): Promise<TransactionCanceledException | undefined> {
    try {
      await this.documents.send(new TransactWriteCommand({ TransactItems: items }));
      return undefined;
    } catch (error) {
      if (error instanceof TransactionCanceledException) return error;
      throw error;
    }
  }
}
