import { ConfigError, LAMBDA_MAX_REQUEST_BYTES, loadConfig } from '../../src/config';

const inLambda = { FIREBASE_PROJECT_ID: 'imagepipe', AWS_LAMBDA_FUNCTION_NAME: 'imagepipe-api' };

function issuesOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  throw new Error('expected the configuration to be refused');
}

describe('configuration in AWS Lambda', () => {
  it('caps multipart requests at what an invocation carries, and nowhere else by default', () => {
    expect(loadConfig(inLambda).uploads.maxRequestBytes).toBe(LAMBDA_MAX_REQUEST_BYTES);
    expect(loadConfig({ ...inLambda, UPLOAD_MAX_REQUEST_BYTES: '1000000' }).uploads.maxRequestBytes).toBe(1_000_000);
    expect(loadConfig({ FIREBASE_PROJECT_ID: 'imagepipe' }).uploads.maxRequestBytes).toBeUndefined();
  });

  it('refuses a larger cap, and images served through the function', () => {
    expect(issuesOf({ ...inLambda, UPLOAD_MAX_REQUEST_BYTES: String(LAMBDA_MAX_REQUEST_BYTES + 1) })).toEqual([
      expect.stringMatching(/^UPLOAD_MAX_REQUEST_BYTES: AWS Lambda carries at most 4194304 bytes/),
    ]);
    expect(issuesOf({ ...inLambda, IMAGE_URL_MODE: 'proxy' })).toEqual([
      expect.stringMatching(/^IMAGE_URL_MODE: proxy sends images through the function/),
    ]);
  });
});
