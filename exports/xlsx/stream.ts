import { PassThrough } from "node:stream";

/** Resolves when the reader has taken what is buffered (or is gone: then false). */
export function drained(out: PassThrough): Promise<boolean> {
  if (out.destroyed) return Promise.resolve(false);
  if (!out.writableNeedDrain) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ok: boolean) => () => {
      out.off("drain", onDrain);
      out.off("close", onClose);
      resolve(ok);
    };
    const onDrain = done(true);
    const onClose = done(false);
    out.once("drain", onDrain);
    out.once("close", onClose);
  });
}

/** A stream the workbook is written into by `write`; a failure while writing ends the download with the error. */
export function streamFrom(write: (out: PassThrough) => Promise<void>): PassThrough {
  const out = new PassThrough();
  write(out).catch((e: unknown) => out.destroy(e instanceof Error ? e : new Error(String(e))));
  return out;
}
