import sharp from "sharp";
import type { EntityManager } from "@mikro-orm/postgresql";
import { Actor } from "../../../domain/identity/actor";
import { loadActor } from "../../../domain/identity/authenticate";
import { Money } from "../../../domain/kernel/money";
import * as monev from "../../../domain/monev";
import { processPhotos } from "../../../imports/media/photos";
import { aJpeg } from "../../support/images";
import { T } from "../../support/musrenbang";

/** The demo's road site, Ruas Dander–Ngunut (illustrative point). */
export const SITE = { lat: -7.236, lng: 111.84 };

export async function actorOf(em: EntityManager, username: string): Promise<Actor> {
  const [{ id }] = await em.execute<{ id: string }[]>("select id from app_user where username = ?", [username]);
  return (await loadActor(em, T, id))!;
}

/** The demo's signed contracts: the road (PT Karya Bengawan Solo, 6 Jan – 30 Jun 2027) and the drainage works (CV Sinar Dander). */
export async function demoContracts(em: EntityManager) {
  const rows = await em.execute<{ id: string; value: string; version: number; vendor: string; npwp: string; package_id: string; name: string }[]>(
    `select c.id, c.value::text as value, c.version, v.name as vendor, v.npwp, c.package_id, p.name from contract c join vendor v on v.id = c.vendor_id join proc_package p on p.id = c.package_id
      where c.status = 'signed' order by c.signed_on desc`,
  );
  const road = rows.find((r) => r.name.startsWith("Rekonstruksi Jalan"))!;
  const drainage = rows.find((r) => r.vendor === "CV Sinar Dander")!;
  return { road, drainage, sinarDander: new Actor(T, null, `penyedia.${drainage.npwp}`, drainage.vendor, [{ role: "contractor", scope: { kind: "vendor", code: drainage.npwp } }]) };
}

/**
 * The road's schedule, monthly (six periods): preparation 5% of the value in month 1, earthworks 25% over
 * 1–2, base course 40% over 2–4, asphalt 25% over 4–5, finishing the rest in month 6.
 */
export function roadItems(value: string) {
  const shares = ["5", "25", "40", "25", "5"];
  const parts = Money.idr(value).allocate(shares);
  const spec: [string, string, number, number][] = [
    ["Umum", "Mobilisasi dan persiapan", 1, 1],
    ["Pekerjaan tanah", "Galian dan timbunan badan jalan", 1, 2],
    ["Perkerasan berbutir", "Lapis pondasi agregat kelas A", 2, 4],
    ["Perkerasan aspal", "Laston lapis aus (AC-WC)", 4, 5],
    ["Pekerjaan minor", "Marka, rambu dan bahu jalan", 6, 6],
  ];
  return spec.map(([division, name, plannedStart, plannedEnd], i) => ({ division, name, value: parts[i].toString(), plannedStart, plannedEnd }));
}

/** A real photo (JPEG) with GPS and capture time in its EXIF, or without any EXIF; processed by the real edge code. */
export async function photo(name: string, opts: { at?: { lat: number; lng: number }; taken?: string; seed?: number } = {}) {
  let img = sharp(await aJpeg(160, 120, opts.seed ?? 1));
  if (opts.at || opts.taken) {
    const dms = (x: number) => {
      const a = Math.abs(x);
      const d = Math.floor(a);
      const m = Math.floor((a - d) * 60);
      const s = Math.round(((a - d) * 60 - m) * 60 * 10000);
      return `${d}/1 ${m}/1 ${s}/10000`;
    };
    img = img.withExif({
      IFD0: { Make: "Uji" },
      ...(opts.taken ? { IFD2: { DateTimeOriginal: opts.taken } } : {}),
      ...(opts.at
        ? { IFD3: { GPSLatitudeRef: opts.at.lat < 0 ? "S" : "N", GPSLatitude: dms(opts.at.lat), GPSLongitudeRef: opts.at.lng < 0 ? "W" : "E", GPSLongitude: dms(opts.at.lng) } }
        : {}),
    });
  }
  const bytes = await img.jpeg().toBuffer();
  const [p] = await processPhotos([{ name, bytes }]);
  return p;
}

export const tagged = (p: Awaited<ReturnType<typeof photo>>, milestone: monev.PhotoMilestone): monev.ReportPhoto => ({ ...p, milestone });

/** Item progress for the road's five items. */
export const progress = (...xs: string[]) => xs.map((physical, i) => ({ no: i + 1, physical }));
