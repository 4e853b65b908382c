import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { FeatureReply, FeatureRequest } from './mobileNetThread';

/** The network's input: a square RGB image of this side. */
export const MOBILENET_SIDE = 224;
/** The length of the feature vector: MobileNetV2's last convolution, globally average-pooled. */
export const MOBILENET_DIMENSIONS = 1280;

// The network and TensorFlow.js load in the thread only: a process that never embeds (the API) never loads them.
const THREAD_ENTRY = path.join(__dirname, `mobileNetThread${path.extname(__filename)}`);
// Run from TypeScript sources (development, tests), the thread loads them the same way.
const EXEC_ARGV = THREAD_ENTRY.endsWith('.ts') ? ['--import', 'tsx'] : [];

interface Pending {
  resolve: (features: Float32Array) => void;
  reject: (error: Error) => void;
}

/**
 * MobileNetV2 features computed in one worker thread of this process, started at the first request and kept for the
 * life of the process (the network loads once). Requests queue in the thread; the thread never keeps the process
 * alive on its own while none is waiting. A thread that dies fails what was waiting, and the next request starts a
 * new one.
 */
export class MobileNetFeatures {
  private thread?: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;

  /**
   * The features of a MOBILENET_SIDE² RGB image (3 bytes a pixel). The pixels are copied to the thread (150 KB):
   * sharp's output lives outside the JavaScript heap and cannot be handed over.
   */
  features(rgb: Uint8Array): Promise<Float32Array> {
    const thread = this.running();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      thread.ref();
      const request: FeatureRequest = { id, rgb };
      thread.postMessage(request);
    });
  }

  /** Stops the thread, failing what still waits (the next request starts another). */
  async close(): Promise<void> {
    const thread = this.thread;
    if (!thread) return;
    this.stopped(thread, new Error('the MobileNet thread was closed'));
    await thread.terminate();
  }

  private running(): Worker {
    if (this.thread) return this.thread;
    const thread = new Worker(THREAD_ENTRY, { execArgv: EXEC_ARGV });
    thread.on('message', (reply: FeatureReply) => {
      const waiting = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (this.pending.size === 0) thread.unref();
      if ('features' in reply) waiting?.resolve(reply.features);
      else waiting?.reject(new Error(`MobileNet features: ${reply.error}`));
    });
    thread.on('error', (error: Error) => this.stopped(thread, error));
    thread.on('exit', (code) => this.stopped(thread, new Error(`the MobileNet thread exited with code ${code}`)));
    this.thread = thread;
    return thread;
  }

  /** Forgets the thread and fails every request waiting on it (once: a closed thread's exit finds it forgotten). */
  private stopped(thread: Worker, error: Error): void {
    if (this.thread !== thread) return;
    this.thread = undefined;
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }
}
