import type { EntityManager } from "@mikro-orm/postgresql";
import { Actor } from "../../domain/identity/actor";
import { loadActor } from "../../domain/identity/authenticate";
import { fixedClock } from "../../domain/kernel/clock";
import type { ProposalInput } from "../../domain/musrenbang/proposals";

export const T = "35.22";
export const PU = "1.03.0.00.0.00.01.0000";
export const DINKES = "1.02.0.00.0.00.01.0000";
export const NGUNUT = "35.22.06.2001";
export const DANDER = "35.22.06";

/** A demo user as an actor. */
export async function actorOf(em: EntityManager, username: string): Promise<Actor> {
  const [{ id }] = await em.execute<{ id: string }[]>("select id from app_user where username = ?", [username]);
  return (await loadActor(em, T, id))!;
}

/** An actor with one role in one scope, for places the demo has no account for. */
export function actorWith(role: string, kind: string, code: string, name = `${role}@${code}`): Actor {
  return new Actor(T, null, name, name, [{ role: role as never, scope: { kind: kind as never, code } }]);
}

export const clock = fixedClock("2026-01-10T02:00:00Z");

let n = 0;
/** A valid proposal; override any field. */
export function aProposal(over: Partial<ProposalInput> = {}): ProposalInput {
  n++;
  return {
    title: `Pembangunan jalan lingkungan RT ${n}`,
    problem: "Jalan tanah rusak dan berlumpur saat hujan, menghambat anak sekolah dan hasil panen.",
    kind: "fisik",
    thematicGroup: "prasarana_wilayah",
    bidangUrusan: "1.03",
    targetOpd: PU,
    address: `Dusun Krajan RT ${n}`,
    rt: String(n % 10 || 1).padStart(3, "0"),
    rw: "001",
    lat: "",
    lng: "",
    volume: "250",
    unit: "m",
    estimatedCost: "150000000",
    beneficiaries: String(100 + n),
    ...over,
  };
}

export const minutes = (version: number) => ({
  attendeesTotal: "45",
  attendeesWomen: "18",
  signatories: [
    { name: "Siti Aminah", position: "Fasilitator" },
    { name: "Sutrisno", position: "Kepala Desa" },
  ],
  notes: "",
  expectedVersion: version,
});
