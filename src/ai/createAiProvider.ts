import type { Config } from '../config';
import type { AiProvider } from './aiProvider';
import { LocalAiProvider } from './localProvider';
import { MobileNetAiProvider } from './mobileNetProvider';
import { ModelThread } from './modelThread';
import { OpenAiProvider } from './openAiProvider';
import { VisionAiProvider } from './visionProvider';

export function createAiProvider(config: Config): AiProvider {
  switch (config.ai.provider) {
    case 'local':
      return new LocalAiProvider();
    case 'mobilenet':
      return new MobileNetAiProvider(new ModelThread(config.ai.modelsDir));
    case 'vision':
      return new VisionAiProvider(new ModelThread(config.ai.modelsDir));
    case 'openai':
      return OpenAiProvider.fromConfig(config.ai);
  }
}
