import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

// jest runs without --expose-gc; the flag set now is seen by contexts made after it.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Heap in use after a full collection: what is still reachable. */
export function liveHeapBytes(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}
