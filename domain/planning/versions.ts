import { Money } from "../kernel/money";
import type { SnapshotSub } from "./renja";

export type VersionChange = "added" | "removed" | "changed" | "same";

export interface VersionDiffRow {
  code: string;
  name: string;
  change: VersionChange;
  /** The fields whose values differ (target, unit, locations, ceiling, fundingSource, proposals). */
  fields: string[];
  before: SnapshotSub | null;
  after: SnapshotSub | null;
  /** after.ceiling − before.ceiling (a missing side counts as zero). */
  delta: string;
}

const FIELDS = ["target", "unit", "locations", "ceiling", "fundingSource", "proposals"] as const;

/**
 * The line-by-line difference between two adopted versions of a Renja (or a version and the current
 * draft): each sub kegiatan added, removed, changed (and which fields) or the same, with the change in
 * ceiling; the totals of both sides and their difference reconcile exactly with the rows.
 */
export function diffVersions(before: SnapshotSub[], after: SnapshotSub[]) {
  const a = new Map(before.map((s) => [s.code, s]));
  const b = new Map(after.map((s) => [s.code, s]));
  const codes = [...new Set([...a.keys(), ...b.keys()])].sort();
  const rows: VersionDiffRow[] = codes.map((code) => {
    const x = a.get(code) ?? null;
    const y = b.get(code) ?? null;
    const fields = x && y ? FIELDS.filter((f) => JSON.stringify(x[f]) !== JSON.stringify(y[f])) : [];
    const change: VersionChange = !x ? "added" : !y ? "removed" : fields.length ? "changed" : "same";
    const delta = Money.idr(y?.ceiling ?? "0").minus(Money.idr(x?.ceiling ?? "0"));
    return { code, name: (y ?? x)!.name, change, fields, before: x, after: y, delta: delta.toString() };
  });
  const totalBefore = Money.sum(before.map((s) => Money.idr(s.ceiling)));
  const totalAfter = Money.sum(after.map((s) => Money.idr(s.ceiling)));
  return { rows, totalBefore: totalBefore.toString(), totalAfter: totalAfter.toString(), delta: totalAfter.minus(totalBefore).toString() };
}
