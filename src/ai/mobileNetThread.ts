import { parentPort } from 'node:worker_threads';
import { loadMobileNetFeatures } from './mobileNetModel';

/** A request to the thread: one image's pixels (see FeatureExtractor), and the reply it gets. */
export interface FeatureRequest {
  id: number;
  rgb: Uint8Array;
}
export type FeatureReply = { id: number; features: Float32Array } | { id: number; error: string };

/**
 * The worker thread of MobileNetFeatures: loads the network once, then answers requests in order. The network's
 * work (tens of milliseconds an image) happens here, never on the event loop of the worker process.
 */
const port = parentPort!;
const extract = loadMobileNetFeatures();
port.on('message', async ({ id, rgb }: FeatureRequest) => {
  let reply: FeatureReply;
  try {
    const features = (await extract)(rgb);
    reply = { id, features };
  } catch (error) {
    reply = { id, error: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply, 'features' in reply ? [reply.features.buffer as ArrayBuffer] : []);
});
