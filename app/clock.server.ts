import { readFileSync } from "node:fs";
import { systemClock, type Clock } from "../domain/kernel/clock";

/**
 * The server's clock. In production it is the system clock. Outside production, JEJAK_CLOCK_FILE may name a
 * file holding a number of milliseconds to add to it: the browser tests move the server through a
 * tender's deadline, sanggah period and the like without waiting days. Read on every call (a few bytes).
 */
function offsetClock(file: string): Clock {
  return {
    now() {
      let offset = 0;
      try {
        offset = Number(readFileSync(file, "utf8").trim()) || 0;
      } catch {
        offset = 0;
      }
      return new Date(Date.now() + offset);
    },
  };
}

// NODE_ENV is inlined by the build, so the server's run-time word (JEJAK_NON_PRODUCTION, set by server.ts when the
// operator did not ask for production) is what lets a built server shift its clock.
const nonProduction = process.env.NODE_ENV !== "production" || process.env.JEJAK_NON_PRODUCTION === "1";
export const serverClock: Clock = process.env.JEJAK_CLOCK_FILE && nonProduction ? offsetClock(process.env.JEJAK_CLOCK_FILE) : systemClock;
