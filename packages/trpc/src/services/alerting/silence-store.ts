/** Stored silences (`silences`), written here alone; the decisions are the pure functions of silences.ts. */
export {};
