import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from "node:crypto";
import { DomainError } from "../kernel/domain-error";

/**
 * Sealed bids. A bid's contents (price, documents) are encrypted with AES-256-GCM under a key that is
 * specific to its tender: HKDF-SHA256 of the master key (JEJAK_BID_KEY, 32 bytes in base64, kept outside
 * the database) with the tender id as salt. The ciphertext is bound to its tender, vendor and bid ids,
 * so a sealed bid cannot be moved to another tender or vendor. Only the opening (tenders.ts) unseals,
 * and only after the opening time.
 *
 * Without JEJAK_BID_KEY, development, tests and the demo (server.ts says so when the operator
 * has not set NODE_ENV=production, as JEJAK_NON_PRODUCTION) use a fixed, public development key; production refuses to seal or open.
 */
const DEV_KEY = createHash("sha256").update("jejak development bid key - not secret").digest();
const VERSION = 1;

function masterKey(): Buffer {
  const k = process.env.JEJAK_BID_KEY;
  if (k) {
    const b = Buffer.from(k, "base64");
    if (b.length !== 32) throw new Error("JEJAK_BID_KEY must be 32 bytes in base64");
    return b;
  }
  if (process.env.NODE_ENV === "production" && process.env.JEJAK_NON_PRODUCTION !== "1") throw new DomainError("procure.bid.noKey");
  return DEV_KEY;
}

function tenderKey(tenderId: string): Buffer {
  return Buffer.from(hkdfSync("sha256", masterKey(), Buffer.from(tenderId), Buffer.from("jejak bid v1"), 32));
}

export interface BidContents {
  price: string;
  /** Files sent with the bid: name, type, size, SHA-256 and the bytes in base64. */
  documents: { name: string; type: string; size: number; sha256: string; data: string }[];
  note: string;
}

export function seal(ids: { tenderId: string; vendorId: string; bidId: string }, contents: BidContents): Buffer {
  const iv = randomBytes(12);
  const c = createCipheriv("aes-256-gcm", tenderKey(ids.tenderId), iv);
  c.setAAD(Buffer.from(`${ids.tenderId}|${ids.vendorId}|${ids.bidId}`));
  const body = Buffer.concat([c.update(JSON.stringify(contents), "utf8"), c.final()]);
  return Buffer.concat([Buffer.from([VERSION]), iv, c.getAuthTag(), body]);
}

export function unseal(ids: { tenderId: string; vendorId: string; bidId: string }, sealed: Buffer): BidContents {
  if (sealed[0] !== VERSION) throw new Error("unknown sealed bid version");
  const d = createDecipheriv("aes-256-gcm", tenderKey(ids.tenderId), sealed.subarray(1, 13));
  d.setAAD(Buffer.from(`${ids.tenderId}|${ids.vendorId}|${ids.bidId}`));
  d.setAuthTag(sealed.subarray(13, 29));
  return JSON.parse(Buffer.concat([d.update(sealed.subarray(29)), d.final()]).toString("utf8")) as BidContents;
}

export function sha256(b: Buffer): string {
  return createHash("sha256").update(b).digest("hex");
}
