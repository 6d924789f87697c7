// snappyjs ships no types; the two functions Sextant uses.
declare module 'snappyjs' {
  /** Throws when the stream is invalid or would inflate beyond `maxLength` bytes (checked before inflating). */
  export function uncompress(compressed: Uint8Array, maxLength?: number): Uint8Array;
  export function compress(uncompressed: Uint8Array): Uint8Array;
}
