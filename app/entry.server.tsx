import { Writable } from "node:stream";
import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { RenderDataProvider } from "./render-data";

// The server entry (server.ts) boots the database through these, from inside the build, so that the
// ORM and the entities exist once per process.
export { boot, shutdown } from "./boot.server";
export { checkHealth } from "./health.server";
export { startSchedules, stopSchedules } from "./schedule.server";

const ABORT_DELAY = 5_000;
/** React writes its output in 2 KiB pieces; they go out to the socket in pieces of this size instead. */
const CHUNK_BYTES = 64 * 1024;

/**
 * The HTML as React writes it, gathered into few large chunks: each small write would otherwise cost a
 * trip through the web stream, Express and a socket write (and with compression, a flush of its own).
 * Pages render without waiting (no Suspense), so a page under CHUNK_BYTES leaves as one chunk, with its
 * Content-Length; a larger one (a whole year's RKPD) still streams, chunk by chunk.
 */
class Coalescer extends Writable {
  private parts: Uint8Array[] = [];
  private size = 0;
  /** Bytes written so far (enqueued or held). */
  total = 0;
  private controller!: ReadableStreamDefaultController<Uint8Array>;
  readonly body = new ReadableStream<Uint8Array>({
    start: (c) => void (this.controller = c),
    // The visitor went away: React hears "close" on its destination and stops.
    cancel: () => void this.destroy(),
  });

  override _write(chunk: Uint8Array, _encoding: BufferEncoding, callback: (error?: Error | null) => void) {
    this.parts.push(chunk);
    this.size += chunk.byteLength;
    this.total += chunk.byteLength;
    if (this.size >= CHUNK_BYTES) this.pass();
    callback();
  }
  override _final(callback: (error?: Error | null) => void) {
    this.pass();
    this.controller.close();
    callback();
  }
  override _destroy(error: Error | null, callback: (error?: Error | null) => void) {
    if (error) this.controller.error(error);
    callback(error);
  }
  private pass() {
    if (!this.size) return;
    this.controller.enqueue(this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts, this.size));
    this.parts = [];
    this.size = 0;
  }
}

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const bot = isbot(request.headers.get("user-agent") || "");
  return new Promise((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <RenderDataProvider loadContext={loadContext}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} />
      </RenderDataProvider>,
      {
        [bot ? "onAllReady" : "onShellReady"]() {
          shellRendered = true;
          const sink = new Coalescer();
          sink.once("close", () => clearTimeout(timer));
          pipe(sink);
          // React ends the sink once nothing is pending, later in this same synchronous pass (after the
          // shell-ready callback returns): a microtask sees whether the whole page is there.
          queueMicrotask(() => {
            responseHeaders.set("Content-Type", "text/html; charset=utf-8");
            if (sink.writableEnded) responseHeaders.set("Content-Length", String(sink.total));
            responseHeaders.set("X-Content-Type-Options", "nosniff");
            responseHeaders.set("Referrer-Policy", "same-origin");
            responseHeaders.set("X-Frame-Options", "DENY");
            resolve(new Response(sink.body, { headers: responseHeaders, status: responseStatusCode }));
          });
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) console.error(error);
        },
      },
    );
    // Rendering starts on a later turn (React schedules it), so the callbacks above always see `timer`.
    const timer = setTimeout(abort, ABORT_DELAY);
  });
}
