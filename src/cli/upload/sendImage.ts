import fs from 'node:fs';
import path from 'node:path';
import { problemOf, type ApiAnswer, type ApiClient } from '../apiClient';
import { describeProblem } from '../problem';
import type { LocalImage } from './findImages';

/** What became of one file sent to the API. */
export type Sent =
  | { result: 'uploaded'; image_id: string; status: string }
  | { result: 'duplicate'; image_id: string; status: string }
  | { result: 'refused'; rule: string; detail: string }
  | { result: 'failed'; detail: string };

interface AcceptedImage {
  image_id: string;
  status: string;
  duplicate_of?: string;
}

interface DirectUpload {
  image_id: string;
  upload: { method: string; url: string; headers: Record<string, string> };
  complete_url: string;
}

/**
 * An answer that is not a success: refused when the API names what is wrong with the file (a 4xx other than the
 * login's or the rate limit's, which the client has already dealt with), failed otherwise.
 */
function notSent(answer: ApiAnswer): Sent {
  const problem = problemOf(answer);
  const refused = answer.status >= 400 && answer.status < 500 && answer.status !== 401 && answer.status !== 429;
  if (!refused) return { result: 'failed', detail: describeProblem(problem) };
  return {
    result: 'refused',
    rule: problem.rule ?? problem.errors?.[0]?.field ?? String(answer.status),
    detail: problem.detail ?? describeProblem(problem),
  };
}

function accepted(image: AcceptedImage): Sent {
  return image.duplicate_of
    ? { result: 'duplicate', image_id: image.duplicate_of, status: image.status }
    : { result: 'uploaded', image_id: image.image_id, status: image.status };
}

/**
 * A multipart request too large for the deployment as a whole (AWS Lambda takes at most 6 MB): the API says so with the
 * rule `max_request_bytes`, the platform in front of it with a 413 of its own. Either way the presigned route takes the
 * file; a file over the API's own per-file limit (rule `max_bytes`) is refused whichever way it goes.
 */
function tooLargeForTheRequest(answer: ApiAnswer): boolean {
  if (answer.status !== 413) return false;
  const { rule } = problemOf(answer);
  return rule === undefined || rule === 'max_request_bytes';
}

/** `POST /images` with the one file, streamed from disk; by the presigned route if the deployment cannot take it so. */
async function sendMultipart(client: ApiClient, image: LocalImage): Promise<Sent> {
  const form = new FormData();
  form.append('files', await fs.openAsBlob(image.path, { type: image.contentType }), path.basename(image.path));
  const answer = await client.request('POST', '/api/v1/images', { form });
  if (tooLargeForTheRequest(answer)) return sendDirect(client, image);
  if (answer.status >= 300) return notSent(answer);
  const [first] = (answer.body as { images: AcceptedImage[] }).images;
  return first ? accepted(first) : { result: 'failed', detail: 'The API accepted no image.' };
}

/** The presigned route: announce the file, PUT its bytes to storage as told, then ask the API to take them. */
async function sendDirect(client: ApiClient, image: LocalImage): Promise<Sent> {
  const started = await client.request('POST', '/api/v1/images/uploads', {
    json: { filename: path.basename(image.path), content_type: image.contentType, size: image.size },
  });
  if (started.status !== 201) return notSent(started);
  const { upload, complete_url: completeUrl } = started.body as DirectUpload;
  // Exactly the headers the URL was signed with: storage refuses another type or length.
  const put = await fetch(upload.url, {
    method: upload.method,
    headers: upload.headers,
    body: await fs.openAsBlob(image.path, { type: image.contentType }),
  });
  if (!put.ok) return { result: 'failed', detail: `Storage refused the upload: HTTP ${put.status}.` };
  const completed = await client.request('POST', completeUrl);
  return completed.status >= 300 ? notSent(completed) : accepted(completed.body as AcceptedImage);
}

/** Sends one file: through the presigned route above `directAbove` bytes, as multipart otherwise. */
export async function sendImage(client: ApiClient, image: LocalImage, directAbove: number): Promise<Sent> {
  try {
    return image.size > directAbove ? await sendDirect(client, image) : await sendMultipart(client, image);
  } catch (error) {
    return { result: 'failed', detail: (error as Error).message };
  }
}
