// A worker of its own for the memory snapshot's inflating (about a quarter of a second of one core for
// 6.7 MB): in the engine's worker it would wait for, and then hold up, the runtime's compile there. Given
// the file's body as a stream (transferred: the engine's worker still counts its bytes as they arrive)
// and its sha256, it answers with the memory (transferred, not copied) or why it refused the file.
import { Refused, memoryOf } from "./memory.mjs";
import "./hash.mjs"; // memory.mjs imports it: asked for now, not a round trip later

self.onmessage = async ({ data: { stream, sha256 } }) => {
  try {
    const memory = await memoryOf(stream, sha256);
    self.postMessage({ memory }, [memory.buffer]);
  } catch (error) {
    self.postMessage({ refused: error instanceof Refused, message: String(error && error.message ? error.message : error) });
  }
};
