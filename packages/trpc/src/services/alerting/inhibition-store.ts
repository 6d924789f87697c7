/** Stored inhibition rules (`inhibition_rules`), written here alone; the decisions are in inhibition.ts. */
export {};
