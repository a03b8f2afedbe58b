// The sha256 every downloaded part of the engine is checked against (the wheel, the memory snapshot).
export const sha256 = async (bytes) =>
  [...new Uint8Array(await crypto.subtle.digest("SHA-256", bytes))].map((byte) => byte.toString(16).padStart(2, "0")).join("");
