import OpenAI, { AzureOpenAI } from 'openai';
import type { Config } from '../config';
import { toAiFailure } from './aiFailure';
import type { AiProvider, ImageForAi } from './aiProvider';

const DESCRIBE_PROMPT =
  'Describe this image for a photo library in one or two plain sentences: the subject, the setting, notable colours and mood. No preamble.';
const NAME_PROMPT =
  'These are descriptions of photos that belong together. Give the group a short name of two to four words, in sentence case, with no quotes or final full stop.';

interface Models {
  vision: string;
  embedding: string;
  embeddingDimensions?: number;
}

/**
 * OpenAI, Azure OpenAI and any OpenAI-compatible server, by configuration. Vision descriptions are made from the
 * thumbnail (inline, or by presigned URL), embeddings from the description, cluster names from members'
 * descriptions. The client never retries on its own: Temporal owns retries (see toAiFailure).
 */
export class OpenAiProvider implements AiProvider {
  readonly name: string;

  constructor(
    private readonly client: OpenAI,
    private readonly models: Models,
  ) {
    this.name = `openai-${models.embedding}${models.embeddingDimensions ? `-${models.embeddingDimensions}d` : ''}`;
  }

  static fromConfig(ai: Config['ai']): OpenAiProvider {
    const common = { maxRetries: 0, timeout: ai.timeoutMs };
    if (ai.azure) {
      // With Azure, the `model` of each request names a deployment: the SDK routes to /openai/deployments/{model}/...
      const client = new AzureOpenAI({
        ...common,
        endpoint: ai.azure.endpoint,
        apiKey: ai.azure.apiKey,
        apiVersion: ai.azure.apiVersion,
      });
      return new OpenAiProvider(client, {
        vision: ai.azure.visionDeployment,
        embedding: ai.azure.embeddingDeployment,
        embeddingDimensions: ai.openai.embeddingDimensions,
      });
    }
    const client = new OpenAI({ ...common, apiKey: ai.openai.apiKey, baseURL: ai.openai.baseUrl });
    return new OpenAiProvider(client, {
      vision: ai.openai.visionModel,
      embedding: ai.openai.embeddingModel,
      embeddingDimensions: ai.openai.embeddingDimensions,
    });
  }

  private async call<T>(name: string, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw toAiFailure(error, name);
    }
  }

  private async chat(name: string, messages: OpenAI.Chat.ChatCompletionMessageParam[]): Promise<string> {
    const completion = await this.call(name, () =>
      this.client.chat.completions.create({ model: this.models.vision, messages, max_tokens: 200, temperature: 0.2 }),
    );
    const text = completion.choices[0]?.message.content?.trim();
    if (!text)
      throw new Error(
        `${name}: the AI provider answered with no text (finish reason: ${completion.choices[0]?.finish_reason ?? 'none'})`,
      );
    return text;
  }

  async describe(image: ImageForAi): Promise<string> {
    const url = image.thumbnailUrl ?? `data:${image.thumbnailType};base64,${image.thumbnail.toString('base64')}`;
    return this.chat('describe', [
      { role: 'system', content: DESCRIBE_PROMPT },
      {
        role: 'user',
        content: [
          { type: 'text', text: `A ${image.width}x${image.height} ${image.format.toUpperCase()} image.` },
          { type: 'image_url', image_url: { url, detail: 'low' } },
        ],
      },
    ]);
  }

  async embed({ description }: { image: ImageForAi; description: string }): Promise<number[]> {
    return this.embedText(description);
  }

  /** The same model as the images' descriptions: a query lands in the space their embeddings are in. */
  async embedText(text: string): Promise<number[]> {
    const response = await this.call('embed', () =>
      this.client.embeddings.create({
        model: this.models.embedding,
        input: text,
        dimensions: this.models.embeddingDimensions,
        encoding_format: 'float',
      }),
    );
    const vector = response.data[0]?.embedding;
    if (!vector?.length) throw new Error('embed: the AI provider answered with no embedding');
    return vector;
  }

  async nameCluster(descriptions: string[]): Promise<string> {
    const name = await this.chat('nameCluster', [
      { role: 'system', content: NAME_PROMPT },
      { role: 'user', content: descriptions.map((description, index) => `${index + 1}. ${description}`).join('\n') },
    ]);
    return name.replace(/^["'“”]+|["'“”.]+$/g, '').slice(0, 80);
  }
}
