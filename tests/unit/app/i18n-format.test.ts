import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { id } from "../../../app/i18n/id";
import { en } from "../../../app/i18n/en";
import { translate } from "../../../app/i18n";
import { formatCount, formatDateTime, formatRupiah } from "../../../app/format";

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? files(p) : /\.tsx?$/.test(f) ? [p] : [];
  });
}

describe("language", () => {
  it("English has exactly the keys of Bahasa Indonesia, each with the same placeholders", () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(id).sort());
    for (const k of Object.keys(id) as (keyof typeof id)[]) {
      const ph = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
      expect(ph(en[k]), k).toEqual(ph(id[k]));
    }
  });

  it("every message key the domain can raise has a translation", () => {
    const keys = new Set<string>();
    for (const f of files("domain")) {
      const src = readFileSync(f, "utf8");
      for (const m of src.matchAll(/new DomainError\(\s*"([\w.]+)"/g)) keys.add(m[1]);
      for (const m of src.matchAll(/"((?:[a-z]+\.)+[a-zA-Z]+)"\s*:\s*"[a-z]/g)) void m;
    }
    expect(keys.size).toBeGreaterThan(20);
    const missing = [...keys].filter((k) => !(k in id));
    expect(missing).toEqual([]);
  });

  it("fills placeholders", () => {
    expect(translate("id", "login.locked", { minutes: 15 })).toContain("15 menit");
    expect(translate("en", "login.locked", { minutes: 15 })).toContain("15 minutes");
  });
});

describe("Indonesian formats", () => {
  it.each([
    ["1250000.00", "Rp1.250.000,00"],
    ["1250000", "Rp1.250.000,00"],
    ["0.5", "Rp0,50"],
    ["-1000.25", "-Rp1.000,25"],
    ["999999999999999999.99", "Rp999.999.999.999.999.999,99"],
    ["100", "Rp100,00"],
  ])("rupiah %s → %s", (text, shown) => {
    expect(formatRupiah(text)).toBe(shown);
  });

  it("counts and WIB dates", () => {
    expect(formatCount(83763, "id")).toBe("83.763");
    expect(formatCount(83763, "en")).toBe("83,763");
    expect(formatDateTime(new Date("2026-11-25T17:30:00Z"), "id")).toMatch(/26 Nov 2026.*00[.:]30 WIB/);
  });
});
