/** A memory param's data (base64 on the wire) as bytes, or null when it is not base64. */
export function memoryBytes(base64: string): Uint8Array | null {
  try {
    return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

/** "00 00 30 39": as a key dump shows it. */
export const hexOf = (bytes: Uint8Array) =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');

/** Printable ASCII as is, every other byte a dot, as hex viewers show it: "..09". */
export const textOf = (bytes: Uint8Array) =>
  Array.from(bytes, (b) => (b >= 0x20 && b <= 0x7e ? String.fromCharCode(b) : '.')).join('');
