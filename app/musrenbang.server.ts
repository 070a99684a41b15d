import type { Permission } from "../domain/identity/policy";
import { em } from "./db.server";
import { guard } from "./guard.server";
import { refuse } from "./http.server";
import { forumHeader } from "./domain.server";

/** Who may look at a forum's workspace: its level's workspace permission, in the forum's scope. */
const VIEW: Record<string, Permission> = {
  desa: "workspace.desa",
  kecamatan: "workspace.kecamatan",
  kabupaten: "musrenbang.forum.kabupaten",
  perangkat_daerah: "workspace.opd",
};

/** Loads a forum's header and refuses (404 / login / 403) before any of its data is read. */
export async function guardForum(request: Request, forumId: string) {
  const header = await forumHeader(await em(), forumId);
  if (!header) throw refuse(404, "musrenbang.forum.notFound");
  const viewer = await guard(request, VIEW[header.level], header.level === "perangkat_daerah" ? { opd: header.opdCode } : { region: header.regionCode });
  return { viewer, header };
}

/** "2026-01-05T09:00" in WIB (datetime-local) ⇄ Date. */
export function fromWibInput(v: string): Date | null {
  if (!v.trim()) return null;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(v.trim())) return new Date(NaN);
  return new Date(`${v.trim()}:00+07:00`);
}
export function toWibInput(d: Date | string | null): string {
  if (!d) return "";
  return new Date(new Date(d).getTime() + 7 * 3600_000).toISOString().slice(0, 16);
}

/** Reads numbered signatory rows sig.name.N / sig.position.N from a form. */
export function signatoriesFrom(form: FormData): { name: string; position: string }[] {
  const out: { name: string; position: string }[] = [];
  for (let i = 0; i < 10; i++) out.push({ name: String(form.get(`sig.name.${i}`) ?? ""), position: String(form.get(`sig.position.${i}`) ?? "") });
  return out;
}
