import type { EntityManager } from "@mikro-orm/postgresql";
import { Actor } from "../../domain/identity/actor";
import { loadActor } from "../../domain/identity/authenticate";
import { createUser } from "../../domain/identity/users";
import { fixedClock, systemClock } from "../../domain/kernel/clock";
import * as proc from "../../domain/procurement";
import { T, PU } from "./musrenbang";

export { PU };
/** Dinas PU's Rekonstruksi Jalan 2027 (DAK Fisik): road works lines worth about Rp2,4 M in the demo's DPA. */
export const ROAD_SUB = "1.03.10.2.01.0033";
export const YEAR = 2027;

/** Three construction firms (non-small), with 15- and 16-digit NPWPs. */
export const VENDORS = [
  { npwp: "01.234.567.8-606.000", name: "PT Karya Bengawan Solo", qualification: "non_kecil", nib: "9120001234567", kbli: "42101" },
  { npwp: "3522061234560002", name: "CV Sinar Jaya Konstruksi", qualification: "non_kecil", nib: "9120007654321", kbli: "42101" },
  { npwp: "02.345.678.9-606.000", name: "PT Aspal Mulia Nusantara", qualification: "non_kecil", nib: "", kbli: "42101,42102" },
] as const;

export interface World {
  ppk: Actor;
  pokja: Actor[];
  vendors: { id: string; npwp: string; name: string; actor: Actor }[];
  /** The road sub-activity's procurable DPA lines: key, amount and what is left. */
  roadLines: { line_key: string; amount: string; left: string; account_code: string }[];
}

/**
 * On the "adopted" template (APBD 2027 adopted, DPAs issued, no procurement yet): two Pokja members with accounts, three
 * vendors registered by the Pokja with a contractor actor each, the PPK of Dinas PU (demo account ppk.pu),
 * and the road sub-activity's DPA lines.
 */
export async function procurementWorld(em: EntityManager): Promise<World> {
  const system = Actor.system(T, "test");
  const pokja: Actor[] = [];
  for (const [username, displayName] of [
    ["pokja.uji1", "Anggota Pokja Uji 1"],
    ["pokja.uji2", "Anggota Pokja Uji 2"],
  ]) {
    const id = await createUser(em.fork(), system, systemClock, { username, displayName, password: "pokja-uji-2026!", assignments: [{ role: "pokja_member", scopeCode: "" }] });
    pokja.push((await loadActor(em.fork(), T, id))!);
  }
  const vendors = [];
  for (const v of VENDORS) {
    const id = await proc.registerVendor(em.fork(), pokja[0], systemClock, { ...v });
    const npwp = proc.parseNpwp(v.npwp);
    vendors.push({ id, npwp, name: v.name, actor: new Actor(T, null, `penyedia.${npwp}`, v.name, [{ role: "contractor", scope: { kind: "vendor", code: npwp } }]) });
  }
  const [{ id: ppkId }] = await em.execute<{ id: string }[]>("select id from app_user where username = 'ppk.pu'");
  const ppk = (await loadActor(em.fork(), T, ppkId))!;
  const { lines } = await proc.procurableLines(em.fork(), T, YEAR, PU);
  const roadLines = lines.filter((l) => l.sub_code === ROAD_SUB);
  if (roadLines.length === 0) throw new Error("the adopted template has no DPA lines for the road sub-activity");
  return { ppk, pokja, vendors, roadLines };
}

/** A clock for a tender's story, starting on 1 December 2026, 09:00 WIB. */
export const storyClock = () => fixedClock("2026-12-01T02:00:00Z");
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/**
 * A construction tender on the road lines (all that is left on them), announced by the Pokja: bids close
 * 10 days after `clock`'s now, opening an hour later. Returns the package and tender ids and the deadline.
 */
export async function anAnnouncedTender(em: EntityManager, w: World, clock: ReturnType<typeof fixedClock>, over: Partial<proc.TenderInput> = {}) {
  const now = clock.now().getTime();
  const iso = (ms: number) => new Date(ms).toISOString();
  const packageId = await proc.planPackage(em.fork(), w.ppk, clock, {
    opdCode: PU,
    fiscalYear: YEAR,
    name: "Rekonstruksi Jalan Dander–Ngunut 900 m",
    type: "penyedia",
    kind: "konstruksi",
    method: "tender",
    pdn: true,
    lines: w.roadLines.map((l) => ({ lineKey: l.line_key, amount: l.left })),
    locations: [{ regionCode: "35.22.06.2001", detail: "Ruas Dander–Ngunut" }],
    selectionStart: "2026-12-01",
    selectionEnd: "2027-01-15",
    executionStart: "2027-01-20",
    executionEnd: "2027-07-31",
  });
  let v = (await proc.loadPackage(em.fork(), T, packageId)).version;
  await proc.announcePackage(em.fork(), w.ppk, clock, packageId, v);
  const pkg = await proc.loadPackage(em.fork(), T, packageId);
  const deadline = now + 10 * DAY;
  const tenderId = await proc.createTender(em.fork(), w.ppk, clock, packageId, {
    hps: pkg.pagu,
    evaluationMethod: "harga_terendah",
    qualification: "pasca",
    requirements: "SBU BG004/SI001 kualifikasi menengah; pengalaman sejenis 4 tahun terakhir",
    documents: [{ title: "Dokumen Pemilihan", ref: "DP-PU-2027-001" }],
    schedule: {
      pengumuman: { startsAt: iso(now), endsAt: iso(now + 7 * DAY) },
      aanwijzing: { startsAt: iso(now + 2 * DAY), endsAt: iso(now + 2 * DAY + 2 * HOUR) },
      upload_penawaran: { startsAt: iso(now + 2 * DAY + 3 * HOUR), endsAt: iso(deadline) },
      pembukaan: { startsAt: iso(deadline + HOUR), endsAt: iso(deadline + 3 * HOUR) },
      evaluasi: { startsAt: iso(deadline + 3 * HOUR), endsAt: iso(deadline + 5 * DAY) },
    },
    ...over,
  });
  await proc.assignPokja(em.fork(), w.pokja[0], clock, tenderId, w.pokja.map((p) => p.username));
  v = (await proc.loadTender(em.fork(), T, tenderId)).version;
  await proc.announceTender(em.fork(), w.pokja[0], clock, tenderId, v);
  return { packageId, tenderId, deadline: new Date(deadline), opening: new Date(deadline + HOUR), pagu: pkg.pagu };
}

export const tenderVersion = async (em: EntityManager, id: string) => (await proc.loadTender(em.fork(), T, id)).version;

/** Removes every package, tender, bid and contract (vendors and users stay), so a test starts from the DPA alone. */
export async function clearProcurement(em: EntityManager): Promise<void> {
  await em.execute(
    `delete from procurement_event; delete from contract_term; delete from contract_amendment; delete from contract; delete from sanggah; delete from bid;
     delete from tender_addendum; delete from tender_question; delete from tender_pokja; delete from tender_stage; delete from tender;
     delete from proc_package_location; delete from proc_package_budget; delete from proc_package; delete from vendor_sanction`,
  );
}
