// murmurhash3js ships no types; only the function the cross-check uses is declared.
declare module 'murmurhash3js' {
  const murmurhash3js: { x86: { hash32(key: string, seed?: number): number } };
  export default murmurhash3js;
}
