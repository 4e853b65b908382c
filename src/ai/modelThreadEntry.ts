import { parentPort, workerData } from 'node:worker_threads';
import { loadEfficientNetLite } from './efficientNetLite';
import { loadMobileNetFeatures } from './mobileNetModel';
import type { Network, NetworkName, NetworkOutput } from './networks';

/** A request to the thread: one image's pixels for one network (see Network), and the reply it gets. */
export interface NetworkRequest {
  id: number;
  network: NetworkName;
  rgb: Uint8Array;
}
export type NetworkReply = { id: number; output: NetworkOutput } | { id: number; error: string };

/** What the thread is started with. */
export interface ModelThreadData {
  /** Where scripts/install-models.sh put the converted networks (AI_MODELS_DIR). */
  modelsDir: string;
}

/**
 * The worker process's model thread: loads each network the first time it is asked for, keeps it, then answers
 * requests in order. The networks' work (tens of milliseconds an image) happens here, never on the event loop of the
 * worker process.
 */
const port = parentPort!;
const { modelsDir } = workerData as ModelThreadData;
const LOADERS: Record<NetworkName, () => Promise<Network>> = {
  'mobilenet-v2': loadMobileNetFeatures,
  'efficientnet-lite0': () => loadEfficientNetLite(`${modelsDir}/efficientnet-lite0`),
};
const loaded = new Map<NetworkName, Promise<Network>>();
port.on('message', async ({ id, network, rgb }: NetworkRequest) => {
  let reply: NetworkReply;
  try {
    if (!loaded.has(network)) loaded.set(network, LOADERS[network]());
    reply = { id, output: (await loaded.get(network)!)(rgb) };
  } catch (error) {
    reply = { id, error: error instanceof Error ? error.message : String(error) };
  }
  const transfer = 'output' in reply ? [reply.output.features, reply.output.probabilities] : [];
  port.postMessage(
    reply,
    transfer.flatMap((array) => (array ? [array.buffer as ArrayBuffer] : [])),
  );
});
