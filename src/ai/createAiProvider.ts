import type { Config } from '../config';
import type { AiProvider } from './aiProvider';
import { LocalAiProvider } from './localProvider';
import { MobileNetAiProvider } from './mobileNetProvider';
import { OpenAiProvider } from './openAiProvider';

export function createAiProvider(config: Config): AiProvider {
  switch (config.ai.provider) {
    case 'local':
      return new LocalAiProvider();
    case 'mobilenet':
      return new MobileNetAiProvider();
    case 'openai':
      return OpenAiProvider.fromConfig(config.ai);
  }
}
