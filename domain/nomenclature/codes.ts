import { DomainError } from "../kernel/domain-error";

/**
 * The planning nomenclature's code shapes (Permendagri 90/2019 as updated by Kepmendagri
 * 050-5889/2021 and 900.1.15.5-1317/2023): urusan 1 · bidang urusan 1.03 · program 1.03.10 ·
 * kegiatan 1.03.10.2.01 · sub kegiatan 1.03.10.2.01.0001 (two digits in the last segment before the
 * 2023 decree, four after: the width is a property of the decree, not a guess per row).
 */
export const NOMENCLATURE_LEVELS = ["urusan", "bidang", "program", "kegiatan", "sub_kegiatan"] as const;
export type NomenclatureLevel = (typeof NOMENCLATURE_LEVELS)[number];

const SEGMENTS: Record<NomenclatureLevel, number> = { urusan: 1, bidang: 2, program: 3, kegiatan: 5, sub_kegiatan: 6 };

export function nomenclatureLevel(code: string, subWidth: 2 | 4): NomenclatureLevel | null {
  const c = code.trim();
  if (/^\d$/.test(c)) return "urusan";
  if (/^\d\.\d{2}$/.test(c)) return "bidang";
  if (/^\d\.\d{2}\.\d{2}$/.test(c)) return "program";
  if (/^\d\.\d{2}\.\d{2}\.\d\.\d{2}$/.test(c)) return "kegiatan";
  if (new RegExp(`^\\d\\.\\d{2}\\.\\d{2}\\.\\d\\.\\d{2}\\.\\d{${subWidth}}$`).test(c)) return "sub_kegiatan";
  return null;
}

/** The code one level up (1.03.10.2.01 → 1.03.10), or null for an urusan. */
export function nomenclatureParent(code: string, level: NomenclatureLevel): string | null {
  const i = NOMENCLATURE_LEVELS.indexOf(level);
  if (i === 0) return null;
  return code.split(".").slice(0, SEGMENTS[NOMENCLATURE_LEVELS[i - 1]]).join(".");
}

/**
 * Account codes (kode rekening), six levels: akun 5 · kelompok 5.1 · jenis 5.1.02 · objek 5.1.02.01 ·
 * rincian objek 5.1.02.01.01 · sub rincian objek 5.1.02.01.01.0024.
 */
const ACCOUNT = /^\d(\.\d(\.\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?)?)?$/;

export function accountLevel(code: string): number | null {
  const c = code.trim();
  return ACCOUNT.test(c) ? c.split(".").length : null;
}

export function accountParent(code: string): string | null {
  const i = code.lastIndexOf(".");
  return i < 0 ? null : code.slice(0, i);
}

/** A sub kegiatan code, validated (for forms and imports that reference one). */
export function parseKodeSubKegiatan(text: string, subWidth: 2 | 4, field = "subKegiatan"): string {
  const c = String(text ?? "").trim();
  if (nomenclatureLevel(c, subWidth) !== "sub_kegiatan") throw new DomainError("nomenclature.subKegiatanFormat", { code: c }, "invalid", field);
  return c;
}

/** The bidang urusan an OPD carries, read from its eight-segment code (up to three; "0.00" means none). */
export function bidangOfOpdCode(opdCode: string): string[] {
  const s = opdCode.split(".");
  if (s.length !== 8) return [];
  const urusan = s[0];
  const first = `${urusan}.${s[1]}`;
  const more = [s[2] + "." + s[3], s[4] + "." + s[5]].filter((x) => !/^0\.00$/.test(x));
  return [first, ...more].filter((b) => /^\d\.\d{2}$/.test(b) && !b.endsWith(".00"));
}
