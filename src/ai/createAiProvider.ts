import type { Config } from '../config';
import type { AiProvider } from './aiProvider';
import { LocalAiProvider } from './localProvider';

export function createAiProvider(config: Config): AiProvider {
  switch (config.ai.provider) {
    case 'local':
      return new LocalAiProvider();
  }
}
