import fs from 'node:fs';
import path from 'node:path';
import type { Schemas } from '../../client';
import { problemOf, type ApiClient } from '../apiClient';
import { describeProblem } from '../describeProblem';
import type { LocalImage } from './findImages';

/** What became of one file sent to the API. */
export type Sent =
  | { result: 'uploaded'; image_id: string; status: string }
  | { result: 'duplicate'; image_id: string; status: string }
  | { result: 'refused'; rule: string; detail: string }
  | { result: 'failed'; detail: string };

/** What the typed client answers, as far as this file reads it. */
interface Answer {
  error?: unknown;
  response: Response;
}

/**
 * An answer that is not a success: refused when the API names what is wrong with the file (a 4xx other than the
 * login's or the rate limit's, which the client has already dealt with), failed otherwise.
 */
function notSent(answer: Answer): Sent {
  const problem = problemOf(answer);
  const { status } = answer.response;
  const refused = status >= 400 && status < 500 && status !== 401 && status !== 429;
  if (!refused) return { result: 'failed', detail: describeProblem(problem) };
  return {
    result: 'refused',
    rule: problem.rule ?? problem.errors?.[0]?.field ?? String(status),
    detail: problem.detail ?? describeProblem(problem),
  };
}

function accepted(image: Schemas['CompletedUpload']): Sent {
  return image.duplicate_of
    ? { result: 'duplicate', image_id: image.duplicate_of, status: image.status }
    : { result: 'uploaded', image_id: image.image_id, status: image.status };
}

/**
 * A multipart request too large for the deployment as a whole (AWS Lambda takes at most 6 MB): the API says so with the
 * rule `max_request_bytes`, the platform in front of it with a 413 of its own. Either way the presigned route takes the
 * file; a file over the API's own per-file limit (rule `max_bytes`) is refused whichever way it goes.
 */
function tooLargeForTheRequest(answer: Answer): boolean {
  if (answer.response.status !== 413) return false;
  const { rule } = problemOf(answer);
  return rule === undefined || rule === 'max_request_bytes';
}

/** `POST /images` with the one file, streamed from disk; by the presigned route if the deployment cannot take it so. */
async function sendMultipart(client: ApiClient, image: LocalImage): Promise<Sent> {
  const form = new FormData();
  form.append('files', await fs.openAsBlob(image.path, { type: image.contentType }), path.basename(image.path));
  // The form as it is: the document states its fields, but only FormData carries a file's bytes.
  const answer = await client.POST('/api/v1/images', { body: form as never, bodySerializer: (body) => body });
  if (tooLargeForTheRequest(answer)) return sendDirect(client, image);
  if (!answer.data) return notSent(answer);
  const [first] = answer.data.images;
  return first ? accepted(first) : { result: 'failed', detail: 'The API accepted no image.' };
}

/** The presigned route: announce the file, PUT its bytes to storage as told, then ask the API to take them. */
async function sendDirect(client: ApiClient, image: LocalImage): Promise<Sent> {
  const started = await client.POST('/api/v1/images/uploads', {
    body: { filename: path.basename(image.path), content_type: image.contentType, size: image.size },
  });
  if (!started.data) return notSent(started);
  const { upload, image_id: imageId } = started.data;
  // Exactly the headers the URL was signed with: storage refuses another type or length. No token goes there.
  const put = await fetch(upload.url, {
    method: upload.method,
    headers: upload.headers,
    body: await fs.openAsBlob(image.path, { type: image.contentType }),
  });
  if (!put.ok) return { result: 'failed', detail: `Storage refused the upload: HTTP ${put.status}.` };
  const completed = await client.POST('/api/v1/images/{imageId}/complete', { params: { path: { imageId } } });
  return completed.data ? accepted(completed.data) : notSent(completed);
}

/** Sends one file: through the presigned route above `directAbove` bytes, as multipart otherwise. */
export async function sendImage(client: ApiClient, image: LocalImage, directAbove: number): Promise<Sent> {
  try {
    return image.size > directAbove ? await sendDirect(client, image) : await sendMultipart(client, image);
  } catch (error) {
    return { result: 'failed', detail: (error as Error).message };
  }
}
