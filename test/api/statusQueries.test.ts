import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ApiClient, waitForImage } from '../harness/httpClient';
import { startService, type RunningService } from '../harness/service';
import { createTestUser, type TestUser } from '../harness/users';
import { gradientJpeg, undecodableJpeg } from '../fixtures/images';

/**
 * The status URL asks an image's run (a Temporal query: a replay of a closed run's history on a worker, a billed
 * action on Temporal Cloud) only while the image is processing; a finished image is answered from its item.
 */
describe('image status without a query per poll', () => {
  let service: RunningService;
  let user: TestUser;
  let client: ApiClient;

  beforeAll(async () => {
    service = await startService();
    user = await createTestUser(service.api.config);
    client = new ApiClient(service.api.url, user.idToken);
  });
  afterAll(() => service.stop());

  /** Queries the API has sent to runs so far (its metrics). */
  const queriesSent = async () => {
    const text = await (await fetch(`${service.api.url}/metrics`)).text();
    const line = text
      .split('\n')
      .find((candidate) => candidate.startsWith('imagepipe_workflow_queries_total{query="progress"}'));
    return line ? Number(line.split(' ').at(-1)) : 0;
  };
  const status = async (imageId: string) =>
    (await client.typed.GET('/api/v1/images/{imageId}/status', { params: { path: { imageId } } })).data!;
  const uploaded = async (name: string, body: Buffer) => {
    const upload = await client.upload([{ name, body }]);
    expect(upload.status).toBe(202);
    return upload.body.images[0].image_id as string;
  };

  it('asks the run while the image is processing, and answers a completed image from its item with no query', async () => {
    const before = await queriesSent();
    const imageId = await uploaded('polled.jpg', await gradientJpeg(640, 480));
    // Asked at once, while processing (a waiting status, as waitForImage sends, asks nothing until the run ends).
    const first = await status(imageId);
    const done = await waitForImage(client, imageId);
    expect(done.body.status).toBe('completed');
    if (first.status === 'processing') expect(await queriesSent()).toBe(before + 1);

    const afterProcessing = await queriesSent();
    const answers = [];
    for (let poll = 0; poll < 20; poll++) answers.push(await status(imageId));
    expect(await queriesSent()).toBe(afterProcessing);

    const last = answers.at(-1)!;
    expect(last.current_step).toBeUndefined();
    expect(last.steps?.map((step) => `${step.name}:${step.status}`)).toEqual([
      'validate:completed',
      'thumbnails:completed',
      'description:completed',
      'embedding:completed',
      'metadata:completed',
      'cluster:completed',
    ]);
    for (const step of last.steps!.slice(0, 5)) {
      expect(step).toEqual(
        expect.objectContaining({ started_at: expect.any(String), duration_ms: expect.any(Number) }),
      );
    }
    // The user's first image: no cluster to join yet; near-duplicates looked for (the local provider says why none).
    expect(last.cluster).toEqual({ reason: expect.stringMatching(/next re-clustering/) });
    expect(last.near_duplicates).toEqual({
      count: 0,
      reason: expect.stringMatching(/do not tell near-duplicates apart/),
    });

    // The run, asked directly, agrees on the steps' timings.
    const fromRun = await service.worker.client.workflow.getHandle(`image-${imageId}`).result();
    expect(last.steps!.slice(0, 4)).toEqual(fromRun.steps.slice(0, 4));
  });

  it('answers a failed image from its item, with its steps as far as they got, and no query', async () => {
    const imageId = await uploaded('undecodable.jpg', await undecodableJpeg(400, 300));
    expect((await waitForImage(client, imageId)).body.status).toBe('failed');
    const before = await queriesSent();
    const answer = await status(imageId);
    await status(imageId);
    expect(await queriesSent()).toBe(before);
    expect(answer.failure_reason).toMatch(/^The image cannot be decoded: /);
    expect(answer.steps?.map((step) => step.status)).toEqual([
      'completed',
      'failed',
      'pending',
      'pending',
      'pending',
      'pending',
    ]);
    expect(answer.steps![1]).toEqual(expect.objectContaining({ duration_ms: expect.any(Number) }));
  });

  it('asks the run of an image processed before runs wrote their steps on the item, once per poll', async () => {
    const imageId = await uploaded('older.jpg', await gradientJpeg(320, 240));
    expect((await waitForImage(client, imageId)).body.status).toBe('completed');
    const config = service.api.config;
    await service.storage.clients.documents.send(
      new UpdateCommand({
        TableName: config.dynamodb.imagesTable,
        Key: { user_id: user.uid, image_id: imageId },
        UpdateExpression: 'REMOVE progress',
      }),
    );
    const before = await queriesSent();
    const answer = await status(imageId);
    expect(await queriesSent()).toBe(before + 1);
    expect(answer.steps).toHaveLength(6);
    expect(answer.near_duplicates).toEqual(expect.objectContaining({ count: 0 }));
  });
});
