import type { Clock } from "../../domain/kernel/clock";

/** The demo's story clock: set to a moment in WIB, then moved on minute by minute as people act. */
export class DemoClock implements Clock {
  private t = 0;
  /** "2026-01-13 08:30" in WIB. */
  at(wib: string): this {
    this.t = Date.parse(`${wib.replace(" ", "T")}:00+07:00`);
    return this;
  }
  tick(minutes: number): this {
    this.t += minutes * 60_000;
    return this;
  }
  now(): Date {
    return new Date(this.t);
  }
}

/** A moment in WIB ("2026-11-16 08:00"). */
export const wib = (s: string) => new Date(Date.parse(`${s.replace(" ", "T")}:00+07:00`));
