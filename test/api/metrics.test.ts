import crypto from 'node:crypto';
import { freePort } from '../../scripts/devstack/ports';
import { startApi, type RunningApi } from '../harness/apiServer';
import { ApiClient, waitForImage } from '../harness/httpClient';
import { createTestUser } from '../harness/users';
import { startWorkerProcess, type WorkerProcess } from '../harness/workerProcess';
import { gradientJpeg } from '../fixtures/images';

/** A sample's value in Prometheus text format, or undefined when the series is absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`)))
      return Number(line.split(' ').at(-1));
  }
  return undefined;
}

describe('metrics', () => {
  const taskQueue = `metrics-${crypto.randomUUID()}`;
  let api: RunningApi;
  let worker: WorkerProcess;
  let workerMetrics: string;

  beforeAll(async () => {
    workerMetrics = `127.0.0.1:${await freePort()}`;
    worker = await startWorkerProcess({ TEMPORAL_TASK_QUEUE: taskQueue, WORKER_METRICS_ADDRESS: workerMetrics });
    api = await startApi({ TEMPORAL_TASK_QUEUE: taskQueue });
  }, 90_000);
  afterAll(async () => {
    await api.close();
    await worker.kill('SIGTERM');
  });

  it('exports HTTP latency by route and status, uploads, bytes, refusals and workflow starts from the API, and activity and workflow metrics from the worker', async () => {
    const client = new ApiClient(api.url, (await createTestUser(api.config)).idToken);
    const body = await gradientJpeg(320, 240);
    const upload = await client.upload([
      { name: 'a.jpg', body },
      { name: 'not-an-image.jpg', body: Buffer.from('plain text, not a JPEG '.repeat(100)) },
    ]);
    expect(upload.status).toBe(202);
    expect((await waitForImage(client, upload.body.images[0].image_id)).body.status).toBe('completed');

    const response = await fetch(`${api.url}/metrics`);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(sample(text, 'imagepipe_uploads_total', { path: 'multipart' })).toBe(1);
    expect(sample(text, 'imagepipe_upload_bytes_total', { path: 'multipart' })).toBe(body.length);
    expect(sample(text, 'imagepipe_upload_refusals_total', { rule: 'format' })).toBe(1);
    expect(sample(text, 'imagepipe_workflow_starts_total', { workflow: 'processImage' })).toBe(1);
    expect(
      sample(text, 'imagepipe_http_request_duration_seconds_count', {
        method: 'POST',
        route: '/api/v1/images',
        status: '202',
      }),
    ).toBe(1);
    // Routes are labelled by pattern, never by the ids in the path.
    expect(
      sample(text, 'imagepipe_http_request_duration_seconds_count', {
        route: '/api/v1/images/:imageId/status',
        status: '200',
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(text).not.toContain(upload.body.images[0].image_id);
    expect(sample(text, 'imagepipe_api_process_resident_memory_bytes')).toBeGreaterThan(0);

    // The run ends after its cluster step, a moment after the image is completed.
    let fromWorker = '';
    for (
      let i = 0;
      i < 50 &&
      sample(fromWorker, 'temporal_workflow_completed_total', { workflow_type: 'processImage' }) === undefined;
      i++
    ) {
      fromWorker = await (await fetch(`http://${workerMetrics}/metrics`)).text();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(sample(fromWorker, 'temporal_workflow_completed_total', { workflow_type: 'processImage' })).toBe(1);
    // The thumbnails step is an activity of its own; the short steps (the local AI provider's too) run as local
    // activities.
    expect(sample(fromWorker, 'temporal_activity_execution_latency_count', { activity_type: 'createThumbnails' })).toBe(
      1,
    );
    for (const activity of ['validateImage', 'describeImage', 'embedImage', 'saveImageResults', 'assignCluster']) {
      expect(sample(fromWorker, 'temporal_local_activity_execution_latency_count', { activity_type: activity })).toBe(
        1,
      );
    }
  });
});
