import type { Config } from './index';

/**
 * What the API process needs of the configuration beyond what every process does (the worker never meets Firebase,
 * so these are not checked for it): one issue per unmet need, each starting with the variable to set.
 */
export function apiRequirementIssues(config: Config): string[] {
  const { checkRevoked, authEmulatorHost, serviceAccount } = config.firebase;
  // firebase-admin checks a revocation by looking the user up, which outside the emulator needs a Google credential;
  // outside Google Cloud (AWS Lambda, a container) it finds none by itself, and every signed-in request would fail.
  if (checkRevoked && !authEmulatorHost && !serviceAccount) {
    return [
      'FIREBASE_SERVICE_ACCOUNT_SECRET_ARN or FIREBASE_SERVICE_ACCOUNT: tokens are checked for revocation ' +
        '(FIREBASE_CHECK_REVOKED=true, the default) by looking their user up in Firebase, which needs a service ' +
        'account key: give its JSON as a secret (FIREBASE_SERVICE_ACCOUNT_SECRET_ARN), in FIREBASE_SERVICE_ACCOUNT, ' +
        'or its file in GOOGLE_APPLICATION_CREDENTIALS; or set FIREBASE_CHECK_REVOKED=false',
    ];
  }
  return [];
}
