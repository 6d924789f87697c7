// A small text/event-stream parser (WHATWG "server-sent events" framing) that runs in Node 20 and browsers alike.

export interface SseEvent {
  event: string;
  data: string;
  id: string | undefined;
}

/** Bounds one event so a misbehaving server cannot grow the client's memory without end. */
export const SSE_MAX_EVENT_CHARS = 16 * 1_048_576;

/** Feed decoded text chunks to `push`; complete events reach `onEvent`. Throws when one event exceeds the bound. */
export function createSseParser(onEvent: (event: SseEvent) => void): { push(chunk: string): void } {
  let buffer = '';
  let data: string[] = [];
  let size = 0;
  let event = '';
  let id: string | undefined;
  const line = (text: string) => {
    if (text === '') {
      if (data.length > 0) onEvent({ event: event || 'message', data: data.join('\n'), id });
      data = [];
      size = 0;
      event = '';
      return;
    }
    if (text.startsWith(':')) return; // a comment: heartbeats
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') {
      size += value.length;
      if (size > SSE_MAX_EVENT_CHARS) throw new Error('an event of the stream is too large');
      data.push(value);
    } else if (field === 'event') event = value;
    else if (field === 'id' && !value.includes('\0')) id = value;
  };
  return {
    push(chunk: string) {
      buffer += chunk;
      let start = 0;
      for (let i = 0; i < buffer.length; i++) {
        const c = buffer.charCodeAt(i);
        if (c !== 10 && c !== 13) continue;
        // A CR at the very end may be the first half of CRLF: wait for the next chunk.
        if (c === 13 && i === buffer.length - 1) break;
        line(buffer.slice(start, i));
        if (c === 13 && buffer.charCodeAt(i + 1) === 10) i++;
        start = i + 1;
      }
      buffer = buffer.slice(start);
      if (buffer.length > SSE_MAX_EVENT_CHARS) throw new Error('a line of the stream is too long');
    },
  };
}
