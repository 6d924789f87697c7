// GET /v1/flags/stream: the snapshot at once, then again after every change, as server-sent events.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  type FlagSnapshot,
  type FlagSnapshotSource,
  FLAG_EDGE_LIMITS as L,
  snapshotJson,
} from './flags-snapshot';

interface OpenStream {
  end(): void;
}

/** The instance's open streams: bounded, and all ended when the server starts closing so shutdown is not held. */
export function registerFlagStream(app: FastifyInstance, maxStreams: number) {
  const open = new Set<OpenStream>();
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
    for (const s of [...open]) s.end();
  });

  return {
    full: () => closing || open.size >= maxStreams,
    async open(req: FastifyRequest, reply: FastifyReply, source: FlagSnapshotSource, first: FlagSnapshot) {
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        ...(reply.getHeaders() as Record<string, string>),
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        // One stream per connection: ending it on shutdown closes the socket too.
        connection: 'close',
        'x-accel-buffering': 'no',
      });
      let lastEtag: string | undefined;
      const send = (snapshot: FlagSnapshot) => {
        if (snapshot.etag === lastEtag || res.destroyed) return;
        lastEtag = snapshot.etag;
        res.write(`event: snapshot\nid: ${snapshot.etag}\ndata: ${snapshotJson(snapshot)}\n\n`);
        // A reader this far behind is cut off (it reconnects and resyncs) instead of buffered without end.
        if (res.writableLength > L.maxStreamBacklogBytes) res.destroy();
      };
      const heartbeat = setInterval(() => {
        if (!res.destroyed) res.write(': heartbeat\n\n');
      }, L.heartbeatMs);
      heartbeat.unref();
      const stream: OpenStream = { end: () => res.end() };
      open.add(stream);
      const unsubscribe = source.subscribe(first.environment, send);
      res.on('close', () => {
        clearInterval(heartbeat);
        unsubscribe();
        open.delete(stream);
      });
      send(first);
      // A change between the first read and the subscription would be missed: read once more (a cache hit).
      const latest = await source.get(first.environment).catch(() => undefined);
      if (latest) send(latest);
      req.log.debug({ environment: first.environment, open: open.size }, 'flag stream opened');
    },
  };
}
