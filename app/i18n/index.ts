import { id as coreId, type MessageKey } from "./id";
import { en as coreEn } from "./en";
import { musrenbang } from "./musrenbang";
import { imports } from "./imports";
import { planning } from "./planning";
import { rka } from "./rka";
import { budgeting } from "./budgeting";
import { apbd } from "./apbd";
import { procurement } from "./procurement";
import { procure } from "./procure";
import { pengadaan } from "./pengadaan";
import { procureImports } from "./procure-imports";
import { ocds } from "./ocds";
import { pengaduanLapor } from "./pengaduan-lapor";
import { monevEvaluasi } from "./monev-evaluasi";
import { monevKontrak } from "./monev-kontrak";
import { kontrak } from "./kontrak";
import { petaDasbor } from "./peta-dasbor";
import { formatRupiah } from "../format";

/**
 * The catalogues: the core (id.ts, en.ts) and one file per stage, each with both languages
 * ({ id: {...}, en: {...} }). Tests check that every key exists in both languages.
 */
export const MODULES: { id: Record<string, string>; en: Record<string, string> }[] = [{ id: coreId, en: coreEn }, musrenbang, imports, planning, budgeting, rka, apbd, procurement, procure, pengadaan, procureImports, ocds, pengaduanLapor, monevEvaluasi, monevKontrak, kontrak, petaDasbor];
const id: Record<string, string> = Object.assign({}, ...MODULES.map((m) => m.id));
const en: Record<string, string> = Object.assign({}, ...MODULES.map((m) => m.en));

export const LANGS = ["id", "en"] as const;
export type Lang = (typeof LANGS)[number];
export type { MessageKey };

const catalogues: Record<Lang, Record<string, string>> = { id, en };

export function isLang(x: unknown): x is Lang {
  return x === "id" || x === "en";
}

/**
 * Translates a key with {param} placeholders. An unknown key is shown as itself (tests forbid that).
 * A placeholder right after "Rp" holding a canonical amount is shown as Rupiah ("Rp{x}" → Rp1.250.000,00).
 */
export function translate(lang: Lang, key: string, params: Record<string, unknown> = {}): string {
  const text = catalogues[lang][key] ?? catalogues.id[key] ?? key;
  return text.replace(/(Rp)?\{(\w+)\}/g, (_, rp: string | undefined, k: string) => {
    if (params[k] == null) return `${rp ?? ""}{${k}}`;
    const v = String(params[k]);
    return rp ? `Rp${formatRupiah(v).replace(/^(-?)Rp/, "$1")}` : v;
  });
}

export function hasMessage(key: string): boolean {
  return key in id;
}

export type T = (key: MessageKey | (string & {}), params?: Record<string, unknown>) => string;
export function translator(lang: Lang): T {
  return (key, params) => translate(lang, key, params);
}
