export {
  createFlagClient,
  type FlagClient,
  FlagClientError,
  type FlagClientOptions,
} from './client';
export { createSseParser, SSE_MAX_EVENT_CHARS, type SseEvent } from './sse';
export { asSnapshot, type FlagSnapshot } from './types';
