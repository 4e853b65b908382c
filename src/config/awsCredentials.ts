export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** The AWS keys of an environment's variables when both are set; otherwise none, for the SDK's default chain. */
export function awsCredentialsOf(variables: {
  AWS_ACCESS_KEY_ID?: string;
  AWS_SECRET_ACCESS_KEY?: string;
  AWS_SESSION_TOKEN?: string;
}): AwsCredentials | undefined {
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey } = variables;
  return accessKeyId && secretAccessKey
    ? { accessKeyId, secretAccessKey, sessionToken: variables.AWS_SESSION_TOKEN }
    : undefined;
}
