import type { Writable } from "node:stream";
import type { Connection, Submittable } from "pg";

/**
 * `COPY … TO STDOUT (FORMAT binary)` through node-postgres, written as JSON Lines into a stream (the gzip
 * of a bulk .jsonl.gz: bulk.ts), so that the stored JSON goes from the socket to gzip without ever being a
 * JavaScript string, in flat memory.
 *
 * node-postgres has no COPY of its own, but takes any object with `submit(connection)` as a query and hands
 * it the server's messages for it (the way pg-cursor works): this one sends the statement as a simple query
 * and reads each CopyData message as it arrives (the server sends one per row). CopyOutResponse and CopyDone
 * need no answer; CommandComplete then ReadyForQuery end it, an ErrorResponse fails it.
 *
 * The statement's rows have two columns: a JSON text, or null and a key. Each text is copied, followed by
 * "\n", into one of a few output buffers that are reused: a full buffer is written to the sink and comes back
 * when the sink has taken it (its write callback), so that nothing is allocated per row and memory stays
 * flat. So the sink must be done with a chunk's bytes when it calls back: gzip is (zlib has taken them in),
 * a PassThrough is not (it hands the same bytes on to its reader later) — put a copy between them. For a row whose text is null, `fill(key)` gives the line (or null to leave the row out), awaited in
 * turn so that the lines keep the rows' order. While no buffer is free or a line is being filled in, the
 * socket is paused (the server waits: backpressure) and the messages already read wait in a queue: they are
 * views of node-postgres's read buffer, which stays as it is until the socket is read again.
 *
 * The binary format (a 19-byte header, then per row a 16-bit field count and per field a 32-bit length, -1
 * for null, then its bytes; a count of -1 ends it) carries the values as they are stored, with no escaping —
 * unlike COPY's text format, which doubles every backslash.
 *
 * The client must be one taken for this statement alone (pool.connect()), given back only once `done` has
 * settled: before that the connection may be in the middle of a COPY (then it must be closed, not reused).
 */
export class CopyJsonLines implements Submittable {
  readonly text: string;
  /**
   * Settles when every line has been handed to the sink (sink.write: a slow sink may still be writing the
   * last; the caller ends it), or on a failure.
   */
  readonly done: Promise<void>;
  /** Rows read; lines written. */
  rows = 0;
  lines = 0;

  readonly #sink: Writable;
  readonly #fill: (key: string) => Promise<string | null>;
  readonly #size: number;
  #resolve!: () => void;
  #reject!: (e: Error) => void;
  #settled = false;
  #connection: Connection | null = null;
  #paused = false;
  /** Reading waits: for a free buffer, or for a line being filled in. */
  #waiting = false;
  /** Messages read while waiting, the first possibly partly consumed. */
  #queue: Buffer[] = [];
  /** The server has sent ReadyForQuery. */
  #ended = false;

  readonly #free: Buffer[] = [];
  #out: Buffer | null = null;
  #pos = 0;

  // The binary format's parts, read across messages.
  #state: "header" | "extension" | "count" | "length" | "text" | "newline" | "key" | "end" = "header";
  readonly #scratch = Buffer.alloc(19);
  #have = 0;
  #left = 0;
  #field = 0;
  #textNull = false;
  #key: Buffer[] = [];
  /** The key of the line being filled in, or null. */
  #pending: string | null = null;
  /** Where reading goes on after #int. */
  #at = 0;

  constructor(text: string, sink: Writable, fill: (key: string) => Promise<string | null>, opts: { bufferSize?: number; buffers?: number } = {}) {
    this.text = text;
    this.#sink = sink;
    this.#fill = fill;
    this.#size = opts.bufferSize ?? 1 << 17;
    for (let i = opts.buffers ?? 4; i > 0; i--) this.#free.push(Buffer.allocUnsafe(this.#size));
    this.done = new Promise<void>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    // A sink closed before the end (the reader went away) stops the copy.
    sink.once("close", () => this.#fail(new Error("COPY: the output was closed before the end")));
  }

  submit(connection: Connection): void {
    this.#connection = connection;
    connection.query(this.text);
  }

  handleCopyData(msg: { chunk: Buffer }): void {
    if (this.#settled) return;
    if (this.#waiting) {
      this.#queue.push(msg.chunk);
      return;
    }
    try {
      this.#consume(msg.chunk);
    } catch (e) {
      this.#fail(e as Error);
    }
  }

  handleCommandComplete(): void {}

  handleReadyForQuery(): void {
    this.#ended = true;
    if (!this.#waiting) this.#finish();
  }

  handleError(err: Error): void {
    this.#fail(err);
  }

  // Answers a COPY TO never gets: the statement was something else.
  handleRowDescription(): void {
    this.#fail(new Error("COPY: the statement returned rows, it must be COPY … TO STDOUT (FORMAT binary)"));
  }
  handleDataRow(): void {}
  handleEmptyQuery(): void {
    this.#fail(new Error("COPY: the statement was empty"));
  }
  handlePortalSuspended(): void {}
  handleCopyInResponse(connection: Connection & { sendCopyFail?: (msg: string) => void }): void {
    connection.sendCopyFail?.("COPY FROM is not read here");
    this.#fail(new Error("COPY: the statement was a COPY FROM"));
  }

  #fail(e: Error): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#queue = [];
    // The socket reads on (what is left of the COPY is dropped unread), so that the connection can end:
    // the server reads the client's Terminate once it has sent the rest.
    this.#resume();
    this.#reject(e);
  }

  #finish(): void {
    if (this.#settled) return;
    if (this.#state !== "end") {
      this.#fail(new Error("COPY: the data ended before its trailer"));
      return;
    }
    this.#emit();
    this.#settled = true;
    this.#resume();
    this.#resolve();
  }

  #pause(): void {
    if (!this.#paused) {
      this.#paused = true;
      this.#connection?.stream.pause();
    }
  }

  #resume(): void {
    if (this.#paused) {
      this.#paused = false;
      this.#connection?.stream.resume();
    }
  }

  /** Waits (the socket paused), keeping what is left of `chunk` from `at` first in the queue. */
  #wait(chunk: Buffer, at: number): void {
    this.#waiting = true;
    this.#pause();
    if (at < chunk.length) this.#queue.unshift(chunk.subarray(at));
  }

  /** Reading goes on: the queued messages, then the socket (or the end, when the server has ended). */
  #proceed(): void {
    this.#waiting = false;
    try {
      while (!this.#waiting && !this.#settled && this.#queue.length > 0) this.#consume(this.#queue.shift()!);
    } catch (e) {
      this.#fail(e as Error);
      return;
    }
    if (this.#waiting || this.#settled) return;
    if (this.#ended) this.#finish();
    else this.#resume();
  }

  /** Writes the output buffer's lines to the sink; the buffer is free again once the sink has taken them. */
  #emit(): void {
    const out = this.#out;
    if (out === null) return;
    this.#out = null;
    if (this.#pos === 0) {
      this.#free.push(out);
      return;
    }
    const bytes = out.subarray(0, this.#pos);
    this.#pos = 0;
    this.#sink.write(bytes, (err) => {
      if (err || this.#settled) return;
      this.#free.push(out);
      if (this.#waiting && this.#pending === null) this.#proceed();
    });
  }

  #startFill(): void {
    const key = this.#pending!;
    this.#emit();
    this.#fill(key).then(
      (text) => {
        if (this.#settled) return;
        this.#pending = null;
        if (text !== null) {
          this.#sink.write(Buffer.from(`${text}\n`, "utf8"));
          this.lines++;
        }
        this.#proceed();
      },
      (e: unknown) => this.#fail(e instanceof Error ? e : new Error(String(e))),
    );
  }

  /** Reads one message's bytes; stops (#wait) when no output buffer is free or a line must be filled in. */
  #consume(chunk: Buffer): void {
    const n = chunk.length;
    let at = 0;
    while (at < n) {
      switch (this.#state) {
        case "header": {
          at = this.#collect(chunk, at, 19);
          if (this.#have < 19) break;
          this.#have = 0;
          if (!this.#scratch.subarray(0, 11).equals(SIGNATURE)) throw new Error("COPY: not the binary format");
          this.#left = this.#scratch.readInt32BE(15);
          this.#state = this.#left > 0 ? "extension" : "count";
          break;
        }
        case "extension": {
          const take = Math.min(this.#left, n - at);
          at += take;
          this.#left -= take;
          if (this.#left === 0) this.#state = "count";
          break;
        }
        case "count": {
          const count = this.#int(chunk, at, 2);
          at = this.#at;
          if (count === null) break;
          if (count === -1) {
            this.#state = "end";
            break;
          }
          if (count !== 2) throw new Error(`COPY: rows of ${count} fields, not 2`);
          this.#field = 0;
          this.#state = "length";
          break;
        }
        case "length": {
          const len = this.#int(chunk, at, 4);
          at = this.#at;
          if (len === null) break;
          if (this.#field === 0) {
            this.#textNull = len < 0;
            if (len < 0) this.#field = 1;
            else {
              this.#left = len;
              this.#state = len > 0 ? "text" : "newline";
            }
          } else if (len > 0) {
            this.#left = len;
            this.#state = "key";
          } else if (this.#rowEnd(len < 0 ? null : "")) {
            this.#wait(chunk, at);
            this.#startFill();
            return;
          }
          break;
        }
        case "text": {
          if (!this.#room()) {
            this.#wait(chunk, at);
            return;
          }
          const take = Math.min(this.#left, n - at, this.#size - this.#pos);
          chunk.copy(this.#out!, this.#pos, at, at + take);
          this.#pos += take;
          at += take;
          this.#left -= take;
          if (this.#left === 0) this.#state = "newline";
          break;
        }
        case "newline": {
          if (!this.#room()) {
            this.#wait(chunk, at);
            return;
          }
          this.#out![this.#pos++] = 10;
          this.lines++;
          this.#field = 1;
          this.#state = "length";
          break;
        }
        case "key": {
          const take = Math.min(this.#left, n - at);
          // A copy: the key may span messages, and the messages' bytes are reused.
          this.#key.push(Buffer.from(chunk.subarray(at, at + take)));
          at += take;
          this.#left -= take;
          if (this.#left === 0) {
            const key = Buffer.concat(this.#key).toString("utf8");
            this.#key = [];
            if (this.#rowEnd(key)) {
              this.#wait(chunk, at);
              this.#startFill();
              return;
            }
          }
          break;
        }
        case "end":
          throw new Error("COPY: bytes after the end of the data");
      }
    }
    // The "\n" after a text that ended with its message is written at once (the row's next field follows).
    if (this.#state === "newline" && this.#room()) {
      this.#out![this.#pos++] = 10;
      this.lines++;
      this.#field = 1;
      this.#state = "length";
    }
  }

  /** Whether the output buffer has room, taking a free one when it is full; false: none is free. */
  #room(): boolean {
    if (this.#out !== null && this.#pos < this.#size) return true;
    this.#emit();
    const free = this.#free.pop();
    if (free === undefined) return false;
    this.#out = free;
    return true;
  }

  /**
   * A big-endian integer of `size` bytes at `at` — read in place, or gathered in the scratch buffer when it
   * spans messages — or null while its bytes are not all there. Where reading goes on is left in #at.
   */
  #int(chunk: Buffer, at: number, size: 2 | 4): number | null {
    if (this.#have === 0 && at + size <= chunk.length) {
      this.#at = at + size;
      return size === 2 ? chunk.readInt16BE(at) : chunk.readInt32BE(at);
    }
    this.#at = this.#collect(chunk, at, size);
    if (this.#have < size) return null;
    this.#have = 0;
    return size === 2 ? this.#scratch.readInt16BE(0) : this.#scratch.readInt32BE(0);
  }

  /** Copies up to `size` bytes of a fixed-size part into the scratch buffer; returns where reading goes on. */
  #collect(chunk: Buffer, at: number, size: number): number {
    const take = Math.min(size - this.#have, chunk.length - at);
    chunk.copy(this.#scratch, this.#have, at, at + take);
    this.#have += take;
    return at + take;
  }

  /** A row has been read; true when its line must be filled in (its key in #pending). */
  #rowEnd(key: string | null): boolean {
    this.rows++;
    this.#state = "count";
    if (!this.#textNull) return false;
    if (key === null) throw new Error("COPY: a row with neither a text nor a key");
    this.#pending = key;
    return true;
  }
}

const SIGNATURE = Buffer.from("PGCOPY\n\xff\r\n\0", "latin1");
