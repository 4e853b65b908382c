import type { Config } from '../config';
import type { AiProvider } from './aiProvider';
import { LocalAiProvider } from './localProvider';
import { OpenAiProvider } from './openAiProvider';

export function createAiProvider(config: Config): AiProvider {
  switch (config.ai.provider) {
    case 'local':
      return new LocalAiProvider();
    case 'openai':
      return OpenAiProvider.fromConfig(config.ai);
  }
}
