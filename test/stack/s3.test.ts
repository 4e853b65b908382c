import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createS3Client } from '../../src/clients/s3';
import { testConfig } from '../harness/stackEnv';

describe('S3 (versitygw)', () => {
  const config = testConfig();
  const s3 = createS3Client(config);
  afterAll(() => s3.destroy());

  it('stores and returns an object through SigV4-signed requests', async () => {
    const key = `smoke/${Date.now()}.txt`;
    await s3.send(
      new PutObjectCommand({ Bucket: config.s3.bucket, Key: key, Body: 'hello imagepipe', ContentType: 'text/plain' }),
    );
    const object = await s3.send(new GetObjectCommand({ Bucket: config.s3.bucket, Key: key }));
    expect(await object.Body?.transformToString()).toBe('hello imagepipe');
    expect(object.ContentType).toBe('text/plain');
  });

  it('refuses a request signed with the wrong secret', async () => {
    const forger = new S3Client({
      region: config.aws.region,
      endpoint: config.s3.endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: config.aws.credentials!.accessKeyId, secretAccessKey: 'not-the-secret' },
      maxAttempts: 1,
    });
    await expect(
      forger.send(new GetObjectCommand({ Bucket: config.s3.bucket, Key: 'anything' })),
    ).rejects.toMatchObject({
      name: 'SignatureDoesNotMatch',
      $metadata: { httpStatusCode: 403 },
    });
    forger.destroy();
  });

  it('refuses an unsigned request', async () => {
    const response = await fetch(`${config.s3.endpoint}/${config.s3.bucket}/anything`);
    expect(response.status).toBe(403);
  });
});
