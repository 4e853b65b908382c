import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ImageWorkflows, type StartProcessing } from '../../src/clients/imageWorkflows';
import { originalKey, processImageWorkflowId } from '../../src/contracts';
import { createServices } from '../../src/services/createServices';
import { gradientJpeg } from '../fixtures/images';
import { servicesOnIdleQueue } from '../harness/idleQueue';

const sha256 = (body: Buffer) => crypto.createHash('sha256').update(body).digest('hex');

/** A promise and the means to settle it from outside: a step held until the test lets it go. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

/**
 * Two uploads of the same bytes at once: a client is never answered `duplicate_of` an image that does not end up
 * existing, and exactly one of them becomes an image. The checksum is claimed only once a run is started, so an
 * upload whose start fails (and which is withdrawn) never held it; of two that both start, the second to claim is
 * removed and answered with the first.
 */
describe('uploads of the same bytes racing', () => {
  // Runs stay open, and a cancelled one shows its cancel request.
  const { config, storage, temporal, workflows, intake, close } = servicesOnIdleQueue();
  let photo = 0;
  const newPhoto = () => gradientJpeg(140 + (photo += 1), 90);

  afterAll(close);

  /** An intake whose run starts wait for `held`, then fail (Temporal away) or go on. */
  function intakeWithHeldStart(held: Promise<void>, outcome: 'fail' | 'start') {
    const slow = Object.assign(Object.create(workflows) as ImageWorkflows, {
      start: async (input: StartProcessing) => {
        await held;
        if (outcome === 'fail') throw new Error('14 UNAVAILABLE: Temporal away');
        return workflows.start(input);
      },
    });
    return createServices({ storage, workflows: slow, config }).intake;
  }

  async function multipart(service: typeof intake, userId: string, body: Buffer) {
    const stored = await service.receive(userId, Readable.from([body]), 'same.jpg');
    return { imageId: stored.imageId, answer: await service.accept(userId, [stored], { visibility: 'private' }) };
  }

  it('never answers duplicate_of an upload whose start then fails and is withdrawn', async () => {
    const userId = `user-${crypto.randomUUID()}`;
    const body = await newPhoto();
    const held = gate();
    const first = multipart(intakeWithHeldStart(held.opened, 'fail'), userId, body);
    // The first is recorded and waiting on its start when the second arrives.
    await waitFor(async () => (await itemsOf(userId)) === 1);
    const second = await multipart(intake, userId, body);
    held.open();
    const firstAnswer = (await first).answer;

    expect(firstAnswer.failed).toHaveLength(1);
    expect(firstAnswer.failed[0]!.withdrawal).toBe('removed');
    expect(second.answer.linked).toEqual([]);
    expect(second.answer.accepted.map((record) => record.image_id)).toEqual([second.imageId]);
    expect(await storage.checksums.holder(userId, sha256(body))).toBe(second.imageId);
    expect(await storage.images.get(userId, (await first).imageId)).toBeUndefined();
  });

  it('makes one image of two uploads whose runs both start, answering the later with the earlier', async () => {
    const userId = `user-${crypto.randomUUID()}`;
    const body = await newPhoto();
    const held = gate();
    const later = multipart(intakeWithHeldStart(held.opened, 'start'), userId, body);
    await waitFor(async () => (await itemsOf(userId)) === 1);
    const earlier = await multipart(intake, userId, body);
    held.open();
    const { imageId: laterId, answer } = await later;

    expect(earlier.answer.accepted.map((record) => record.image_id)).toEqual([earlier.imageId]);
    expect(answer.accepted).toEqual([]);
    expect(answer.linked.map((link) => link.existing.image_id)).toEqual([earlier.imageId]);
    expect(await storage.checksums.holder(userId, sha256(body))).toBe(earlier.imageId);
    // The later one is gone, original and all, and its run was told to stop.
    expect(await storage.images.get(userId, laterId)).toBeUndefined();
    expect(await storage.objects.size(originalKey(userId, laterId))).toBeUndefined();
    const history = await temporal.workflow.getHandle(processImageWorkflowId(laterId)).fetchHistory();
    expect(history.events?.some((event) => event.workflowExecutionCancelRequestedEventAttributes)).toBe(true);
  });

  it('makes one image of two direct uploads of the same bytes completed at once', async () => {
    for (let round = 0; round < 4; round++) {
      const userId = `user-${crypto.randomUUID()}`;
      const body = await newPhoto();
      const ids: string[] = [];
      for (let upload = 0; upload < 2; upload++) {
        const started = await intake.startDirectUpload(userId, {
          filename: `same-${upload}.jpg`,
          contentType: 'image/jpeg',
          size: body.length,
          fields: { visibility: 'private' },
        });
        await storage.objects.put(originalKey(userId, started.imageId), body, { contentType: 'image/jpeg' });
        ids.push(started.imageId);
      }
      const answers = await Promise.all(ids.map((imageId) => intake.completeDirectUpload(userId, imageId)));

      const kept = answers.filter((answer) => answer.started).map((answer) => answer.imageId);
      expect(kept).toHaveLength(1);
      // Both are answered with the image that was kept, one of them as a duplicate of it.
      expect(answers.map((answer) => answer.imageId)).toEqual([kept[0], kept[0]]);
      expect(answers.filter((answer) => answer.existing)).toHaveLength(1);
      expect(await storage.checksums.holder(userId, sha256(body))).toBe(kept[0]);
      const items = await storage.images.getMany(userId, ids);
      expect(items.filter((item) => item.status === 'processing').map((item) => item.image_id)).toEqual(kept);
    }
  });

  async function itemsOf(userId: string): Promise<number> {
    const { Count = 0 } = await storage.clients.documents.send(
      new QueryCommand({
        TableName: config.dynamodb.imagesTable,
        KeyConditionExpression: 'user_id = :user',
        ExpressionAttributeValues: { ':user': userId },
        ConsistentRead: true,
        Select: 'COUNT',
      }),
    );
    return Count;
  }
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out waiting for a condition');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
