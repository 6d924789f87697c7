/**
 * The one writer of `alert_instances` and `alert_transitions`: the engine persists a rule's evaluation here (its
 * instances and their transitions, in the caller's transaction), and the Alertmanager-compatible ingest
 * (`POST /api/v2/alerts`, spec A3) stores external alerts here.
 */

// --- Rule alerts: the engine's writes (spec A2, R8). ---

// --- External alerts: /api/v2/alerts (spec A3). ---
export {};
