import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { MODULES, hasMessage, translate } from "../../../app/i18n";
import { formatCount, formatDateTime, formatRupiah } from "../../../app/format";

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? files(p) : /\.tsx?$/.test(f) ? [p] : [];
  });
}

describe("language", () => {
  it.each(MODULES.map((m, i) => [i, m] as const))("catalogue %i: English has exactly the keys of Bahasa Indonesia, with the same placeholders", (_i, { id, en }) => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(id).sort());
    for (const k of Object.keys(id)) {
      const ph = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
      expect(ph(en[k]), k).toEqual(ph(id[k]));
    }
  });

  it("no key is defined by two catalogues", () => {
    const seen = new Map<string, number>();
    MODULES.forEach((m, i) =>
      Object.keys(m.id).forEach((k) => {
        expect(seen.has(k), `${k} in ${seen.get(k)} and ${i}`).toBe(false);
        seen.set(k, i);
      }),
    );
  });

  it("every message key the domain can raise has a translation", () => {
    const keys = new Set<string>();
    for (const f of [...files("domain"), ...files("imports")]) {
      const src = readFileSync(f, "utf8");
      for (const m of src.matchAll(/new DomainError\(\s*"([\w.]+)"/g)) keys.add(m[1]);
      for (const m of src.matchAll(/return "((?:[a-z]+\.)+[a-zA-Z]+)"/g)) keys.add(m[1]);
    }
    expect(keys.size).toBeGreaterThan(20);
    const missing = [...keys].filter((k) => !hasMessage(k));
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
