import crypto from 'node:crypto';
import fs from 'node:fs';
import type { RawConfig } from './schema';

/** A Google service account key: the credential firebase-admin calls Firebase's Admin API with. */
export interface ServiceAccountKey {
  projectId: string;
  clientEmail: string;
  privateKey: string;
}

const REQUIRED_FIELDS = ['project_id', 'client_email', 'private_key'] as const;

type ReadKey = { key: ServiceAccountKey } | { problem: string };

/**
 * The key in a service account key file's text, or what is wrong with it. Nothing of the text is ever quoted (nor
 * JSON.parse's messages, which would): it holds a private key.
 */
function parseKey(text: string, projectId: string): ReadKey {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { problem: "is not JSON: it must be a service account key file's content" };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { problem: 'is not a JSON object, as a service account key file is' };
  }
  const fields = parsed as Record<string, unknown>;
  // Other kinds of Google credential file (authorized_user, external_account...) carry no key firebase-admin can use.
  if (fields.type !== undefined && fields.type !== 'service_account') {
    return { problem: 'is not a service account key (its type is not service_account)' };
  }
  const missing = REQUIRED_FIELDS.filter((name) => typeof fields[name] !== 'string' || fields[name] === '');
  if (missing.length > 0) return { problem: `is a service account key without ${missing.join(', ')}` };
  const {
    project_id: keyProject,
    client_email: clientEmail,
    private_key: privateKey,
  } = fields as Record<(typeof REQUIRED_FIELDS)[number], string>;
  try {
    crypto.createPrivateKey(privateKey);
  } catch {
    // Most often a key whose line breaks were lost on the way (a JSON value pasted without its \n escapes).
    return { problem: 'has a private_key that is not a PEM private key' };
  }
  if (keyProject !== projectId) {
    return { problem: `is a key of the project ${keyProject}, not of FIREBASE_PROJECT_ID ${projectId}` };
  }
  return { key: { projectId: keyProject, clientEmail, privateKey } };
}

function readKeyFile(file: string, projectId: string): ReadKey {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    return { problem: `cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})` };
  }
  const read = parseKey(text, projectId);
  return 'key' in read ? read : { problem: `${file} ${read.problem}` };
}

type KeySources = Pick<
  RawConfig,
  'FIREBASE_PROJECT_ID' | 'FIREBASE_SERVICE_ACCOUNT' | 'GOOGLE_APPLICATION_CREDENTIALS'
>;
type KeyOutcome = { key?: ServiceAccountKey; issues: string[] };

const outcome = (variable: string, read: ReadKey): KeyOutcome =>
  'key' in read ? { key: read.key, issues: [] } : { issues: [`${variable}: ${read.problem}`] };

/**
 * The service account key of a configuration: the JSON in FIREBASE_SERVICE_ACCOUNT (normally read from a secret), or
 * the key file GOOGLE_APPLICATION_CREDENTIALS (Google's own variable) names. Read and checked once, at start-up, so a
 * bad key stops the process naming its variable instead of failing every signed-in request later.
 */
export function serviceAccountKeyOf(sources: KeySources): KeyOutcome {
  const {
    FIREBASE_PROJECT_ID: projectId,
    FIREBASE_SERVICE_ACCOUNT: json,
    GOOGLE_APPLICATION_CREDENTIALS: file,
  } = sources;
  if (json !== undefined && file !== undefined) {
    return { issues: ['FIREBASE_SERVICE_ACCOUNT and GOOGLE_APPLICATION_CREDENTIALS: set one or the other'] };
  }
  if (json !== undefined) return outcome('FIREBASE_SERVICE_ACCOUNT', parseKey(json, projectId));
  if (file !== undefined) return outcome('GOOGLE_APPLICATION_CREDENTIALS', readKeyFile(file, projectId));
  return { issues: [] };
}
