import crypto from 'node:crypto';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { imagePrefix, processImageWorkflowId, purgeImageWorkflowId, uploadPurgeWorkflowId } from '../../src/contracts';
import { gradientJpeg } from '../fixtures/images';
import { startApi, type RunningApi } from '../harness/apiServer';
import { ApiClient, waitForImage } from '../harness/httpClient';
import { startService, type RunningService } from '../harness/service';
import { createTestUser } from '../harness/users';

type JsonSchema = {
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  minimum?: number;
  exclusiveMinimum?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
};
interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema: JsonSchema;
}
interface Operation {
  operationId: string;
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
}

/** One way of calling an operation with an image id: what the stranger sends. */
interface Call {
  name: string;
  method: string;
  path: string;
  body?: unknown;
  /** Whether the answer is per id (a bulk operation): then each id must come back 404. */
  bulk: boolean;
}

const isUuid = (schema: JsonSchema) => schema.type === 'string' && schema.format === 'uuid';
const isUuidList = (schema: JsonSchema) => schema.type === 'array' && !!schema.items && isUuid(schema.items);

/** Each value a small schema may take that changes what an operation does (a flag's both sides), else one. */
function valuesOf(schema: JsonSchema, known?: unknown): unknown[] {
  if (known !== undefined) return [known];
  if (schema.type === 'boolean') return [false, true];
  if (schema.enum) return schema.enum;
  if (schema.const !== undefined) return [schema.const];
  if (schema.default !== undefined) return [schema.default];
  if (schema.type === 'integer' || schema.type === 'number')
    return [schema.minimum ?? (schema.exclusiveMinimum ?? 0) + 1];
  return ['x'];
}

/** Every combination of the given choices. */
function combinations(choices: Array<[string, unknown[]]>): Array<Record<string, unknown>> {
  return choices.reduce<Array<Record<string, unknown>>>(
    (sets, [name, values]) => sets.flatMap((set) => values.map((value) => ({ ...set, [name]: value }))),
    [{}],
  );
}

/**
 * The calls of every operation of the document that takes an image id, in its path or in its JSON body (bulk ones),
 * with `imageId` put there; other parameters take each value that changes what the operation does. Read from the
 * document, so a route added later is walked here without a word of this test changing.
 */
function callsWithImageId(
  document: { paths: Record<string, Record<string, Operation>> },
  imageId: string,
  known: Record<string, unknown>,
) {
  const calls: Call[] = [];
  for (const [template, operations] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const parameters = operation.parameters ?? [];
      const idInPath = parameters.filter((parameter) => parameter.in === 'path' && isUuid(parameter.schema));
      const bodySchema = operation.requestBody?.content['application/json']?.schema;
      const idFields = Object.entries(bodySchema?.properties ?? {}).filter(
        ([, schema]) => isUuid(schema) || isUuidList(schema),
      );
      if (idInPath.length === 0 && idFields.length === 0) continue;
      const query = parameters.filter((parameter) => parameter.in === 'query');
      const otherFields = Object.entries(bodySchema?.properties ?? {}).filter(([name]) =>
        idFields.every(([idName]) => idName !== name),
      );
      const choices: Array<[string, unknown[]]> = [
        ...query
          .filter((parameter) => parameter.required || parameter.schema.enum || parameter.schema.type === 'boolean')
          .map((parameter): [string, unknown[]] => [
            `query:${parameter.name}`,
            valuesOf(parameter.schema, known[parameter.name]),
          ]),
        ...otherFields
          .filter(([name, schema]) => bodySchema?.required?.includes(name) || schema.type === 'boolean' || schema.enum)
          .map(([name, schema]): [string, unknown[]] => [`body:${name}`, valuesOf(schema, known[name])]),
      ];
      for (const set of combinations(choices)) {
        let path = template;
        for (const parameter of idInPath) path = path.replace(`{${parameter.name}}`, imageId);
        const search = new URLSearchParams();
        const body: Record<string, unknown> = {};
        for (const [key, value] of Object.entries(set)) {
          const [where, name] = key.split(':') as [string, string];
          if (where === 'query') search.set(name, String(value));
          else body[name] = value;
        }
        for (const [name, schema] of idFields) body[name] = isUuidList(schema) ? [imageId] : imageId;
        const described = Object.entries(set).map(([key, value]) => `${key.split(':')[1]}=${String(value)}`);
        calls.push({
          name: `${method.toUpperCase()} ${template}${described.length ? ` (${described.join(', ')})` : ''}`,
          method: method.toUpperCase(),
          path: search.size ? `${path}?${search.toString()}` : path,
          body: idFields.length || otherFields.length ? body : undefined,
          bulk: idFields.length > 0,
        });
      }
    }
  }
  return calls;
}

/**
 * A second user holding the first user's image ids reaches nothing through any route: every operation of the OpenAPI
 * document that takes an image id (in its path or its body, bulk ones included) answers 404 (per id, in bulk), in
 * every state an image can be in, and the owner's item, objects, checksum, embedding, run and purges are exactly as
 * they were. Ids are not secrets: every URL the service hands out carries one.
 */
describe('a stranger with the owner’s image ids', () => {
  let service: RunningService;
  let idle: RunningApi;
  let owner: ApiClient;
  let ownerOnIdle: ApiClient;
  let ownerId: string;
  let stranger: ApiClient;
  let strangerId: string;
  let temporal: Client;

  beforeAll(async () => {
    service = await startService();
    // A second API on a queue no worker polls: its uploads stay `processing`, their runs open.
    idle = await startApi({ TEMPORAL_TASK_QUEUE: `no-worker-${crypto.randomUUID()}` });
    temporal = service.worker.client;
    const [first, second] = await Promise.all([createTestUser(service.api.config), createTestUser(service.api.config)]);
    owner = new ApiClient(service.api.url, first.idToken);
    ownerOnIdle = new ApiClient(idle.url, first.idToken);
    ownerId = first.uid;
    stranger = new ApiClient(service.api.url, second.idToken);
    strangerId = second.uid;
  }, 60_000);
  afterAll(async () => {
    await idle.close();
    await service.stop();
  });

  let photo = 0;
  const upload = async (client: ApiClient) => {
    const body = await gradientJpeg(150 + (photo += 1), 100);
    const answer = await client.upload([{ name: `owner-${photo}.jpg`, body }]);
    expect(answer.status).toBe(202);
    return answer.body.images[0].image_id as string;
  };

  /** The owner's images, one in each state that matters. */
  async function imagesInEveryState(): Promise<Record<string, string>> {
    const processing = await upload(ownerOnIdle);
    const completed = await upload(owner);
    const deleted = await upload(owner);
    for (const imageId of [completed, deleted])
      expect((await waitForImage(owner, imageId)).body.status).toBe('completed');
    expect((await owner.request('DELETE', `/api/v1/images/${deleted}`)).status).toBe(200);
    const body = await gradientJpeg(150 + (photo += 1), 100);
    const direct = await owner.request('POST', '/api/v1/images/uploads', {
      body: JSON.stringify({ filename: 'direct.jpg', content_type: 'image/jpeg', size: body.length }),
      headers: { 'content-type': 'application/json' },
    });
    const put = await fetch(direct.body.upload.url, { method: 'PUT', headers: direct.body.upload.headers, body });
    expect(put.status).toBe(200);
    return { processing, completed, 'soft-deleted': deleted, 'awaiting upload': direct.body.image_id as string };
  }

  const describeRun = async (workflowId: string) => {
    try {
      const run = await temporal.workflow.getHandle(workflowId).describe();
      return { runId: run.runId, status: run.status.name, events: run.historyLength };
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return 'none';
      throw error;
    }
  };

  /** Everything of the owner's image a stranger could change: compared before and after. */
  async function stateOf(imageId: string) {
    const { storage } = service;
    const item = await storage.images.get(ownerId, imageId);
    const objects = await storage.clients.s3.send(
      new ListObjectsV2Command({ Bucket: service.api.config.s3.bucket, Prefix: imagePrefix(ownerId, imageId) }),
    );
    const embedding = await storage.clients.documents.send(
      new GetCommand({
        TableName: service.api.config.dynamodb.embeddingsTable,
        Key: { user_id: ownerId, image_id: imageId },
      }),
    );
    return {
      item,
      objects: (objects.Contents ?? []).map((object) => [object.Key, object.ETag]),
      checksum: item?.sha256 ? await storage.checksums.holder(ownerId, item.sha256) : undefined,
      embedding: embedding.Item,
      run: await describeRun(processImageWorkflowId(imageId)),
      purge: await describeRun(purgeImageWorkflowId(imageId)),
      uploadPurge: await describeRun(uploadPurgeWorkflowId(imageId)),
    };
  }

  /** The state once the runs a request started have taken their first steps (a purge its timer). */
  async function settledStateOf(imageId: string) {
    let previous = JSON.stringify(await stateOf(imageId));
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      const current = await stateOf(imageId);
      if (JSON.stringify(current) === previous) return current;
      previous = JSON.stringify(current);
    }
  }

  /** Nothing under the stranger's own id for the owner's image either (a marker, a checksum, an item). */
  async function strangersTraceOf(imageId: string) {
    const { storage } = service;
    const embedding = await storage.clients.documents.send(
      new GetCommand({
        TableName: service.api.config.dynamodb.embeddingsTable,
        Key: { user_id: strangerId, image_id: imageId },
      }),
    );
    return { item: await storage.images.get(strangerId, imageId), embedding: embedding.Item };
  }

  it('reaches none of them through any operation, in any state', async () => {
    const document = (await owner.get('/openapi.json')).body;
    const images = await imagesInEveryState();
    const smallest = Math.min(...service.api.config.images.thumbnailSizes);
    const walked = new Set<string>();
    const failures: string[] = [];
    for (const [state, imageId] of Object.entries(images)) {
      const before = await settledStateOf(imageId);
      for (const call of callsWithImageId(document, imageId, { size: smallest })) {
        walked.add(call.name);
        const answer = await stranger.request(call.method, call.path, {
          body: call.body === undefined ? undefined : JSON.stringify(call.body),
          headers: call.body === undefined ? undefined : { 'content-type': 'application/json' },
        });
        const statuses = call.bulk
          ? (answer.body.results ?? [{ status: answer.status }]).map((result: { status: number }) => result.status)
          : [answer.status];
        if (statuses.some((status: number) => status !== 404)) failures.push(`${call.name} on ${state}: ${statuses}`);
      }
      // Long enough for a cancel request, a purge or a start sent meanwhile to show in the owner's runs.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect({ state, ...(await stateOf(imageId)) }).toEqual({ state, ...before });
      expect(await strangersTraceOf(imageId)).toEqual({ item: undefined, embedding: undefined });
    }
    expect(failures).toEqual([]);
    process.stdout.write(
      `stranger suite: ${walked.size} calls (${new Set([...walked].map((name) => name.split(' (')[0])).size} operations) x ${Object.keys(images).length} states: ${[...walked].join('; ')}\n`,
    );
    // The document's image-id operations, at least those known today: the walk found them by itself.
    expect(walked.size).toBeGreaterThanOrEqual(12);
  }, 120_000);

  it('learns nothing of the owner’s bytes: checks say no, an upload of them is a new image of its own', async () => {
    const body = await gradientJpeg(151, 101);
    const own = await owner.upload([{ name: 'mine.jpg', body }]);
    const sha256 = crypto.createHash('sha256').update(body).digest('hex');
    const check = await stranger.request('POST', '/api/v1/images/checks', {
      body: JSON.stringify({ files: [{ sha256, size: body.length }] }),
      headers: { 'content-type': 'application/json' },
    });
    expect(check.body.results).toEqual([{ sha256, size: body.length, exists: false }]);
    const theirs = await stranger.upload([{ name: 'same.jpg', body }]);
    expect(theirs.status).toBe(202);
    expect(theirs.body.images[0].duplicate_of).toBeUndefined();
    expect(theirs.body.images[0].image_id).not.toBe(own.body.images[0].image_id);
  });
});
