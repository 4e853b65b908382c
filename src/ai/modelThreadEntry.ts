import { parentPort, workerData } from 'node:worker_threads';
import { loadCocoDetector } from './cocoDetector';
import { loadEfficientNetLite } from './efficientNetLite';
import { loadMobileNetFeatures } from './mobileNetModel';
import type { Network, NetworkInput, NetworkName, NetworkOutput } from './networks';

/** A request to the thread: one image for one network (see Networks), and the reply it gets. */
export interface NetworkRequest {
  id: number;
  network: NetworkName;
  input: NetworkInput<NetworkName>;
}
export type NetworkReply = { id: number; output: NetworkOutput<NetworkName> } | { id: number; error: string };

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
const LOADERS: { [N in NetworkName]: () => Promise<Network<N>> } = {
  'mobilenet-v2': loadMobileNetFeatures,
  'efficientnet-lite0': () => loadEfficientNetLite(`${modelsDir}/efficientnet-lite0`),
  'centernet-coco': () => loadCocoDetector(),
};
// A request names its network and brings that network's input, which TypeScript cannot tie together across the
// message: each network is kept as one that takes any network's input.
type AnyNetwork = (input: NetworkInput<NetworkName>) => NetworkOutput<NetworkName>;
const loaded = new Map<NetworkName, Promise<AnyNetwork>>();
port.on('message', async ({ id, network, input }: NetworkRequest) => {
  let reply: NetworkReply;
  try {
    if (!loaded.has(network)) loaded.set(network, LOADERS[network]() as Promise<AnyNetwork>);
    reply = { id, output: (await loaded.get(network)!)(input) };
  } catch (error) {
    reply = { id, error: error instanceof Error ? error.message : String(error) };
  }
  // The classifiers' arrays are handed over, not copied; the detector's few objects are copied.
  const output = 'output' in reply ? reply.output : [];
  const arrays = Array.isArray(output) ? [] : Object.values(output).filter((value) => value instanceof Float32Array);
  port.postMessage(
    reply,
    arrays.map((array) => array.buffer as ArrayBuffer),
  );
});
