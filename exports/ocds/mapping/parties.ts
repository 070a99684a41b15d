import type { JsonObject } from "../schema";
import type { ProcessSnapshot, SnapshotVendor } from "./snapshot";
import { compact } from "./values";

/**
 * Parties and their identifiers. A party's `id` is the same in every release of every process, because
 * merging `parties` goes by `id` and consumers join processes on it. Two identifier schemes, neither (yet)
 * on org-id.guide — which has no Indonesian register — named here after the authority that issues the code:
 *
 *   IDN-KEMENDAGRI  the Ministry of Home Affairs' codes. A pemda is its kode wilayah ("35.22", Kabupaten
 *                   Bojonegoro; "35", Provinsi Jawa Timur). An OPD is the pemda's code and the OPD's kode
 *                   unit organisasi (Permendagri 90/2019 nomenclature), "35.22-1.03.0.00.0.00.01.0000": the
 *                   unit code alone repeats in every pemda, so it is qualified by the pemda's.
 *                   Party ids: "IDN-KEMENDAGRI-35.22", "IDN-KEMENDAGRI-35.22-1.03.0.00.0.00.01.0000".
 *   IDN-NPWP        the taxpayer number (Nomor Pokok Wajib Pajak, Directorate General of Taxes) of a vendor,
 *                   digits only, as registered (15 digits, or 16 since the 2024 format). Vendors are found by
 *                   NPWP in every Indonesian procurement system (SPSE, SIKaP, e-Katalog). Party id
 *                   "IDN-NPWP-026665551606000"; the NIB (OSS business licence number) is an additional
 *                   identifier, scheme IDN-NIB.
 *
 * The central government, which funds DAU, DAK, DBH and DID lines through transfers to the region (TKD),
 * has no code in either scheme: its party id is "IDN-APBN", without an identifier.
 *
 * Roles are computed from the whole process, not from the release at hand: `roles` is a list of strings,
 * which the merge replaces as a whole, so every release that mentions a party gives all its roles so far.
 */

export const SCHEME_KEMENDAGRI = "IDN-KEMENDAGRI";
export const SCHEME_NPWP = "IDN-NPWP";
export const SCHEME_NIB = "IDN-NIB";
export const APBN_PARTY_ID = "IDN-APBN";

const ROLE_ORDER = ["buyer", "procuringEntity", "funder", "sourceParty", "tenderer", "supplier", "payer", "payee"];
const sortRoles = (roles: Iterable<string>) => [...new Set(roles)].sort((a, b) => ROLE_ORDER.indexOf(a) - ROLE_ORDER.indexOf(b));

export const opdPartyId = (tenant: string, opdCode: string) => `${SCHEME_KEMENDAGRI}-${tenant}-${opdCode}`;
export const pemdaPartyId = (code: string) => `${SCHEME_KEMENDAGRI}-${code}`;
export const vendorPartyId = (npwp: string) => `${SCHEME_NPWP}-${npwp.replace(/\D/g, "")}`;

/** An OrganizationReference: id and name. */
export function ref(party: { id: string; name: string }): JsonObject {
  return { id: party.id, name: party.name };
}

/** "Kabupaten Bojonegoro" → "Pemerintah Kabupaten Bojonegoro". */
export function governmentName(name: string): string {
  return /^pemerintah\b/i.test(name) ? name : `Pemerintah ${name}`;
}

/** Title case for a region name stored in capitals ("JAWA TIMUR" → "Jawa Timur"). */
function titleCase(name: string): string {
  return name === name.toUpperCase() ? name.toLowerCase().replace(/(^|[\s-])\p{L}/gu, (c) => c.toUpperCase()) : name;
}

/** Who funds a DPA line, from its funding source (sumber dana). */
export function fundingParty(s: ProcessSnapshot, source: string | null): { id: string; name: string } {
  switch (source) {
    case "DAU":
    case "DAK Fisik":
    case "DAK Non-Fisik":
    case "DBH":
    case "DID":
      return { id: APBN_PARTY_ID, name: "Pemerintah Pusat (APBN, Transfer ke Daerah)" };
    case "Bantuan Keuangan Provinsi":
      return { id: pemdaPartyId(s.tenant.provinceCode), name: governmentName(`Provinsi ${titleCase(s.tenant.provinceName ?? s.tenant.provinceCode)}`) };
    default:
      // PAD, SiLPA and Pinjaman Daerah: the pemda's own revenue, surplus or borrowing.
      return { id: pemdaPartyId(s.tenant.code), name: governmentName(s.tenant.name) };
  }
}

/** The OPD: buyer, and procuring entity whenever the package is procured from a supplier. */
export function opdParty(s: ProcessSnapshot): JsonObject {
  return compact({
    id: opdPartyId(s.tenant.code, s.opd.code),
    name: s.opd.name,
    identifier: { scheme: SCHEME_KEMENDAGRI, id: `${s.tenant.code}-${s.opd.code}`, legalName: s.opd.name },
    address: { region: s.tenant.provinceName ? titleCase(s.tenant.provinceName) : null, locality: s.tenant.name, countryName: "Indonesia" },
    roles: s.package.type === "swakelola" ? ["buyer"] : ["buyer", "procuringEntity"],
  });
}

export function opdRef(s: ProcessSnapshot): JsonObject {
  return { id: opdPartyId(s.tenant.code, s.opd.code), name: s.opd.name };
}

/** A funder of the budget (sourceParty of the budget breakdown extension, and funder in the core codelist). */
export function funderParty(s: ProcessSnapshot, p: { id: string; name: string }): JsonObject {
  const code = p.id === APBN_PARTY_ID ? null : p.id.slice(SCHEME_KEMENDAGRI.length + 1);
  return compact({
    id: p.id,
    name: p.name,
    identifier: code ? { scheme: SCHEME_KEMENDAGRI, id: code, legalName: p.name } : null,
    address: { countryName: "Indonesia" },
    roles: ["funder", "sourceParty"],
  });
}

export function vendorRef(v: SnapshotVendor): JsonObject {
  return { id: vendorPartyId(v.npwp), name: v.name };
}

/** A vendor with every role it holds in the process (tenderer, supplier). */
export function vendorParty(v: SnapshotVendor, roles: Iterable<string>): JsonObject {
  return compact({
    id: vendorPartyId(v.npwp),
    name: v.name,
    identifier: { scheme: SCHEME_NPWP, id: v.npwp.replace(/\D/g, ""), legalName: v.name },
    additionalIdentifiers: v.nib ? [{ scheme: SCHEME_NIB, id: v.nib, legalName: v.name }] : null,
    address: { streetAddress: v.address, countryName: "Indonesia" },
    roles: sortRoles(roles),
  });
}
