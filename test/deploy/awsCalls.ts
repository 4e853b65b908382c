import fs from 'node:fs';
import path from 'node:path';

/**
 * The AWS calls a process can make, read from the source: from its entry point, every file it imports (types
 * aside); in those files outside src/storage, every method of a storage class they call (by the names the classes go
 * by there: `images.get(`, `storage.objects.put(`); in each such method, the SDK commands it sends, the methods of its
 * own class and of other storage classes it calls, and the writes it builds for a transaction. What a storage class
 * reaches only through a method nobody calls is not counted: the worker's code never calls `images.create`, so the
 * worker is not counted as putting image items.
 *
 * The result is an IAM action per resource (a table's template id, or the bucket), as a role must grant them.
 */

const ROOT = path.resolve(__dirname, '..', '..');

/** A storage class, the name its instances go by in the code that calls it, and what it calls AWS on. */
interface StorageClass {
  file: string;
  receivers: string[];
  resource: string;
}

const STORAGE_CLASSES: Record<string, StorageClass> = {
  ImageObjects: { file: 'src/storage/imageObjects.ts', receivers: ['objects'], resource: 'ImageBucket' },
  ImageRepository: { file: 'src/storage/imageRepository.ts', receivers: ['images'], resource: 'ImagesTable' },
  EmbeddingRepository: {
    file: 'src/storage/embeddingRepository.ts',
    receivers: ['embeddings'],
    resource: 'EmbeddingsTable',
  },
  ClusterRepository: { file: 'src/storage/clusterRepository.ts', receivers: ['clusters'], resource: 'ClustersTable' },
  SearchTermRepository: {
    file: 'src/storage/searchTermRepository.ts',
    receivers: ['searchTerms'],
    resource: 'SearchTermsTable',
  },
  ChecksumRepository: {
    file: 'src/storage/checksumRepository.ts',
    receivers: ['checksums'],
    resource: 'ChecksumsTable',
  },
  RateLimitRepository: {
    file: 'src/storage/rateLimitRepository.ts',
    receivers: ['rateLimits', 'buckets'],
    resource: 'RateLimitsTable',
  },
  WebhookRepository: { file: 'src/storage/webhookRepository.ts', receivers: ['webhooks'], resource: 'WebhooksTable' },
  HeldWebhookEvents: {
    file: 'src/storage/heldWebhookEvents.ts',
    receivers: ['heldEvents', 'held'],
    resource: 'WebhooksTable',
  },
  ImagePurger: { file: 'src/storage/imagePurger.ts', receivers: ['purger'], resource: '' },
};

/** SDK commands (and lib-storage's Upload) as the IAM actions they need. */
const ACTIONS: Record<string, string[]> = {
  GetCommand: ['dynamodb:GetItem'],
  PutCommand: ['dynamodb:PutItem'],
  UpdateCommand: ['dynamodb:UpdateItem'],
  DeleteCommand: ['dynamodb:DeleteItem'],
  QueryCommand: ['dynamodb:Query'],
  BatchGetCommand: ['dynamodb:BatchGetItem'],
  BatchWriteCommand: ['dynamodb:BatchWriteItem'],
  DescribeTableCommand: ['dynamodb:DescribeTable'],
  // A transaction needs the action of each of its writes, not one of its own: see TRANSACTION_WRITES.
  TransactWriteCommand: [],
  GetObjectCommand: ['s3:GetObject'],
  HeadObjectCommand: ['s3:GetObject'],
  PutObjectCommand: ['s3:PutObject'],
  DeleteObjectCommand: ['s3:DeleteObject'],
  DeleteObjectsCommand: ['s3:DeleteObject'],
  ListObjectsV2Command: ['s3:ListBucket'],
  HeadBucketCommand: ['s3:ListBucket'],
  ListMultipartUploadsCommand: ['s3:ListBucketMultipartUploads'],
  AbortMultipartUploadCommand: ['s3:AbortMultipartUpload'],
  // A multipart upload (CreateMultipartUpload, UploadPart, CompleteMultipartUpload) is PutObject to IAM; a failed
  // one is aborted.
  Upload: ['s3:PutObject', 's3:AbortMultipartUpload'],
};

/** Helpers of src/storage that send a command for the table they are given. */
const HELPERS: Record<string, string> = {
  batchGetAll: 'BatchGetCommand',
  queryAllPages: 'QueryCommand',
  queryPages: 'QueryCommand',
};

/** A write of a transaction, by its key in TransactWriteItems. */
const TRANSACTION_WRITES: Record<string, string> = {
  Put: 'dynamodb:PutItem',
  Update: 'dynamodb:UpdateItem',
  Delete: 'dynamodb:DeleteItem',
  ConditionCheck: 'dynamodb:ConditionCheckItem',
};

/** Which bucket or table resource each action is on, for one process. */
export type AwsCalls = Record<string, Set<string>>;

function resolveImport(from: string, specifier: string): string | undefined {
  const base = path.resolve(path.dirname(from), specifier);
  return [`${base}.ts`, path.join(base, 'index.ts')].find((candidate) => fs.existsSync(candidate));
}

/** Every source file the entry reaches through imports that are not type-only. */
export function reachedFiles(entry: string): string[] {
  const seen = new Set<string>();
  const pending = [path.join(ROOT, entry)];
  const imports =
    /(?:^|\n)\s*(?:import|export)\s+(type\s+)?(?:[^;'"]*?\sfrom\s+)?'(\.[^']+)'|import\(\s*'(\.[^']+)'\s*\)|require(?:\.resolve)?\(\s*'(\.[^']+)'\s*\)/g;
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const match of fs.readFileSync(file, 'utf8').matchAll(imports)) {
      if (match[1]) continue;
      const resolved = resolveImport(file, (match[2] ?? match[3] ?? match[4])!);
      if (resolved) pending.push(resolved);
    }
  }
  return [...seen].map((file) => path.relative(ROOT, file)).sort();
}

/** The methods of the class in `file`, by name: each one's text, from its signature to the next member. */
function methodsOf(file: string): Map<string, string> {
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
  const body = text.slice(text.indexOf('\nexport class '));
  const methods = new Map<string, string>();
  const starts = [
    ...body.matchAll(/\n {2}(?:private |public |protected |static |readonly )*(?:async )?\*?(\w+)(?:<[^>]*>)?\(/g),
  ];
  starts.forEach((start, index) => {
    const end = index + 1 < starts.length ? starts[index + 1]!.index : body.length;
    const name = start[1]!;
    methods.set(name, (methods.get(name) ?? '') + body.slice(start.index, end));
  });
  return methods;
}

const CLASS_METHODS = new Map(Object.entries(STORAGE_CLASSES).map(([name, { file }]) => [name, methodsOf(file)]));

/** The storage methods a piece of code calls, as [class, method]: by the receivers' names. */
function storageCallsIn(text: string): Array<[string, string]> {
  const calls: Array<[string, string]> = [];
  for (const [className, { receivers }] of Object.entries(STORAGE_CLASSES)) {
    const methods = CLASS_METHODS.get(className)!;
    for (const receiver of receivers) {
      for (const match of text.matchAll(new RegExp(`\\b${receiver}\\s*\\.\\s*(\\w+)\\s*\\(`, 'g'))) {
        if (methods.has(match[1]!)) calls.push([className, match[1]!]);
      }
    }
  }
  return calls;
}

/** The AWS calls of the process whose entry point is `entry` (see the file's comment). */
export function awsCallsOf(entry: string): { calls: AwsCalls; unknownCommands: string[] } {
  const calls: AwsCalls = {};
  const unknownCommands = new Set<string>();
  const add = (action: string, resource: string) => (calls[action] ??= new Set()).add(resource);
  const visited = new Set<string>();
  const pending: Array<[string, string]> = [];
  for (const file of reachedFiles(entry)) {
    const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
    if (!file.startsWith('src/storage/')) pending.push(...storageCallsIn(text));
    // Commands sent outside the storage classes (secrets at start-up, the worker's metrics): on their own service.
    if (!file.startsWith('src/storage/')) {
      for (const match of text.matchAll(/new (\w+Command)\(/g)) add(`command:${match[1]}`, file);
    }
  }
  while (pending.length > 0) {
    const [className, method] = pending.pop()!;
    const key = `${className}.${method}`;
    if (visited.has(key)) continue;
    visited.add(key);
    const { resource } = STORAGE_CLASSES[className]!;
    const text = CLASS_METHODS.get(className)!.get(method)!;
    for (const match of text.matchAll(/new (\w+Command|Upload)\(/g)) {
      const actions = ACTIONS[match[1]!];
      if (!actions) unknownCommands.add(`${match[1]} in ${key}`);
      for (const action of actions ?? []) add(action, resource);
    }
    for (const [helper, command] of Object.entries(HELPERS)) {
      if (new RegExp(`\\b${helper}(?:<[^>]*>)?\\(`).test(text))
        for (const action of ACTIONS[command]!) add(action, resource);
    }
    if (resource.endsWith('Table')) {
      for (const match of text.matchAll(/\{\s*(Put|Update|Delete|ConditionCheck):/g))
        add(TRANSACTION_WRITES[match[1]!]!, resource);
    }
    for (const match of text.matchAll(/this\.(\w+)\(/g)) {
      if (CLASS_METHODS.get(className)!.has(match[1]!)) pending.push([className, match[1]!]);
    }
    pending.push(...storageCallsIn(text));
  }
  return { calls, unknownCommands: [...unknownCommands] };
}
