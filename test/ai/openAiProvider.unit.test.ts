import { ApplicationFailure } from '@temporalio/common';
import sharp from 'sharp';
import type { ImageForAi } from '../../src/ai/aiProvider';
import { OpenAiProvider } from '../../src/ai/openAiProvider';
import { loadConfig } from '../../src/config';
import { startOpenAiCompatibleServer } from '../harness/openAiCompatibleServer';

/** Contract tests of the `openai` provider: the requests it makes and how it reads answers and errors. */
describe('openai provider', () => {
  let server: Awaited<ReturnType<typeof startOpenAiCompatibleServer>>;
  let image: ImageForAi;

  beforeAll(async () => {
    server = await startOpenAiCompatibleServer();
    const thumbnail = await sharp({ create: { width: 32, height: 24, channels: 3, background: '#c33' } })
      .webp()
      .toBuffer();
    image = { thumbnail, thumbnailType: 'image/webp', width: 1200, height: 900, format: 'jpeg' };
  });
  afterAll(() => server.close());
  beforeEach(() => server.requests.splice(0));

  const openAi = (env: Record<string, string> = {}) =>
    OpenAiProvider.fromConfig(
      loadConfig({
        FIREBASE_PROJECT_ID: 'imagepipe-test',
        AI_PROVIDER: 'openai',
        OPENAI_API_KEY: 'sk-test',
        OPENAI_BASE_URL: `${server.url}/v1`,
        AI_TIMEOUT_MS: '2000',
        ...env,
      }).ai,
    );
  const azure = () =>
    OpenAiProvider.fromConfig(
      loadConfig({
        FIREBASE_PROJECT_ID: 'imagepipe-test',
        AI_PROVIDER: 'openai',
        AZURE_OPENAI_ENDPOINT: server.url,
        AZURE_OPENAI_API_KEY: 'azure-key',
        AZURE_OPENAI_VISION_DEPLOYMENT: 'vision-prod',
        AZURE_OPENAI_EMBEDDING_DEPLOYMENT: 'embed-prod',
        AZURE_OPENAI_API_VERSION: '2024-10-21',
      }).ai,
    );

  it('describes an image with a vision chat completion, the thumbnail inline as a data URL', async () => {
    expect(await openAi().describe(image)).toBe('A red and white striped awning over a shop window.');
    const [request] = server.requests;
    expect(request).toMatchObject({
      method: 'POST',
      url: '/v1/chat/completions',
      headers: { authorization: 'Bearer sk-test' },
    });
    expect(request!.body).toMatchObject({ model: 'gpt-4o-mini', max_tokens: 200 });
    const messages = request!.body.messages as Array<{ role: string; content: unknown }>;
    expect(messages[0]).toMatchObject({ role: 'system' });
    expect(messages[1]!.content).toEqual([
      { type: 'text', text: 'A 1200x900 JPEG image.' },
      {
        type: 'image_url',
        image_url: { url: `data:image/webp;base64,${image.thumbnail.toString('base64')}`, detail: 'low' },
      },
    ]);
  });

  it('sends a presigned URL instead when the provider is to fetch the thumbnail itself', async () => {
    await openAi().describe({ ...image, thumbnailUrl: 'https://s3.example/thumb.webp?X-Amz-Signature=abc' });
    const content = (
      server.requests[0]!.body.messages as Array<{ content: Array<{ image_url?: { url: string } }> }>
    )[1]!.content;
    expect(content[1]!.image_url!.url).toBe('https://s3.example/thumb.webp?X-Amz-Signature=abc');
  });

  it('embeds the description with the configured model and dimensions, and names itself after them', async () => {
    const provider = openAi({ OPENAI_EMBEDDING_MODEL: 'text-embedding-3-large', OPENAI_EMBEDDING_DIMENSIONS: '4' });
    expect(await provider.embed({ image, description: 'A striped awning.' })).toEqual([0, 0.1, 0.2, 0.3]);
    expect(server.requests[0]).toMatchObject({
      url: '/v1/embeddings',
      body: { model: 'text-embedding-3-large', input: 'A striped awning.', dimensions: 4, encoding_format: 'float' },
    });
    expect(provider.name).toBe('openai-text-embedding-3-large-4d');
  });

  it('names a cluster from numbered descriptions, without quotes or a full stop', async () => {
    server.answerNext({
      status: 200,
      body: {
        id: 'x',
        object: 'chat.completion',
        created: 0,
        model: 'm',
        choices: [{ index: 0, message: { role: 'assistant', content: '"Shop fronts."' }, finish_reason: 'stop' }],
      },
    });
    expect(await openAi().nameCluster(['A striped awning.', 'A bakery window.'])).toBe('Shop fronts');
    expect((server.requests[0]!.body.messages as Array<{ content: string }>)[1]!.content).toBe(
      '1. A striped awning.\n2. A bakery window.',
    );
  });

  it('speaks Azure OpenAI: deployments in the path, api-version in the query, the api-key header', async () => {
    const provider = azure();
    await provider.describe(image);
    await provider.embed({ image, description: 'A striped awning.' });
    const [chat, embedding] = server.requests;
    expect(chat!.url).toBe('/openai/deployments/vision-prod/chat/completions?api-version=2024-10-21');
    expect(embedding!.url).toBe('/openai/deployments/embed-prod/embeddings?api-version=2024-10-21');
    for (const request of [chat!, embedding!]) {
      expect(request.headers['api-key']).toBe('azure-key');
      expect(request.headers.authorization).toBeUndefined();
    }
    expect(provider.name).toBe('openai-embed-prod');
  });

  const failureOf = async (call: Promise<unknown>) => {
    const error = await call.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApplicationFailure);
    return error as ApplicationFailure;
  };

  it('leaves rate limits and outages to Temporal to retry, honouring Retry-After, with one request per call', async () => {
    server.answerNext({
      status: 429,
      headers: { 'retry-after': '7' },
      body: { error: { message: 'Rate limit reached', type: 'requests' } },
    });
    const limited = await failureOf(openAi().describe(image));
    expect(limited).toMatchObject({ type: 'AiRateLimited', nonRetryable: false, nextRetryDelay: '7 seconds' });
    expect(limited.message).toMatch(/describe: the AI provider answered 429/);

    server.answerNext({ status: 503, body: { error: { message: 'overloaded' } } });
    expect(await failureOf(openAi().embed({ image, description: 'x' }))).toMatchObject({
      type: 'AiUnavailable',
      nonRetryable: false,
    });
    // The client's own retries are off: exactly one request each.
    expect(server.requests).toHaveLength(2);
  });

  it("fails at once, with the provider's reason, when it refuses the request", async () => {
    server.answerNext({
      status: 400,
      body: { error: { message: 'Invalid image data', type: 'invalid_request_error' } },
    });
    const refused = await failureOf(openAi().describe(image));
    expect(refused).toMatchObject({ type: 'AiRequestRejected', nonRetryable: true });
    expect(refused.message).toMatch(/400.*Invalid image data/);

    server.answerNext({
      status: 401,
      body: { error: { message: 'Incorrect API key provided', type: 'invalid_request_error' } },
    });
    expect(await failureOf(openAi().embed({ image, description: 'x' }))).toMatchObject({
      type: 'AiRequestRejected',
      nonRetryable: true,
    });
  });

  it('treats an unreachable provider as an outage', async () => {
    const unreachable = openAi({ OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' });
    expect(await failureOf(unreachable.describe(image))).toMatchObject({ type: 'AiUnavailable', nonRetryable: false });
  });

  it("refuses a configuration without a key or with half of Azure's settings", () => {
    expect(() => loadConfig({ FIREBASE_PROJECT_ID: 'imagepipe-test', AI_PROVIDER: 'openai' })).toThrow(
      /OPENAI_API_KEY: is required/,
    );
    expect(() =>
      loadConfig({
        FIREBASE_PROJECT_ID: 'imagepipe-test',
        AI_PROVIDER: 'openai',
        AZURE_OPENAI_ENDPOINT: 'https://x.openai.azure.com',
      }),
    ).toThrow(
      /AZURE_OPENAI_API_KEY: is required[\s\S]*AZURE_OPENAI_VISION_DEPLOYMENT[\s\S]*AZURE_OPENAI_EMBEDDING_DEPLOYMENT/,
    );
  });
});
