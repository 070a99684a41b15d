import { createHash } from "node:crypto";

/** Limits on a citizen report: text, photos, and how many reports one source may send per WIB day. */
export const TEXT_MIN = 20;
export const TEXT_MAX = 4000;
export const NAME_MAX = 120;
export const CONTACT_MAX = 120;
export const PHOTO_MAX = 3;
export const PHOTO_MAX_BYTES = 5 * 1024 * 1024;
export const ANSWER_MAX = 4000;
export const NOTE_MAX = 2000;
/** From this many reports a day, a source's next reports wait in the moderation queue. */
export const DAILY_SOFT_LIMIT = 3;
/** Beyond this many reports a day, a source is refused until tomorrow. */
export const DAILY_HARD_LIMIT = 10;
/**
 * The same limits for a client address (IP). Higher than a browser's: one address is often shared by many
 * people (a mobile operator's carrier-grade NAT, an office or a balai desa's wifi), while it still stops a
 * sender who clears cookies between reports.
 */
export const IP_DAILY_SOFT_LIMIT = 5;
export const IP_DAILY_HARD_LIMIT = 20;

/** A source's daily limits by its kind (see sourceKey). */
export function dailyLimits(source: string): { soft: number; hard: number } {
  return source.startsWith("ip:") ? { soft: IP_DAILY_SOFT_LIMIT, hard: IP_DAILY_HARD_LIMIT } : { soft: DAILY_SOFT_LIMIT, hard: DAILY_HARD_LIMIT };
}

export const TARGET_KINDS = ["contract", "proposal", "sub_activity", "point"] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

export const IDENTITY_MODES = ["named", "anonymous", "confidential"] as const;
export type IdentityMode = (typeof IDENTITY_MODES)[number];

/** Why a report was held for moderation (shown to monev officers only). */
export type HeldReason = "link" | "word" | "throttled";

const LINK = /(https?:\/\/|www\.|\b[a-z0-9-]+\.(com|net|org|id|co|io|xyz|info|me|ly)\b\/?)/i;

/**
 * Words that hold a report for a human look (abuse, slurs). Matching is on whole words, case-insensitive,
 * so "asuransi" is not "asu". Kept short on purpose: the moderation queue is the net, not this list.
 */
export const BANNED_WORDS = ["anjing", "bangsat", "bajingan", "keparat", "brengsek", "goblok", "tolol", "kontol", "memek", "ngentot", "jancok", "jancuk", "asu", "babi", "pelacur", "lonte"];

/** The reasons a text should be held for moderation: it contains a link, or a banned word. */
export function moderationFlags(text: string): HeldReason[] {
  const flags: HeldReason[] = [];
  if (LINK.test(text)) flags.push("link");
  const words = new Set(text.toLowerCase().normalize("NFKD").split(/[^a-z0-9]+/));
  if (BANNED_WORDS.some((w) => words.has(w))) flags.push("word");
  return flags;
}

// Crockford's base32: no I, L, O or U, so a ticket read over the phone is not misheard.
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
export const TICKET_LENGTH = 12;

/**
 * A new ticket: 12 base32 characters (60 random bits) in groups of four, "K7QM-3XWD-9P2A". The ticket is
 * the reporter's key to follow, rate and reopen the report; only its hash is stored.
 */
export function newTicket(): string {
  const bytes = new Uint8Array(TICKET_LENGTH);
  crypto.getRandomValues(bytes);
  const chars = [...bytes].map((b) => ALPHABET[b & 31]).join("");
  return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8)}`;
}

/** A ticket as typed (any case, spaces or dashes, O for 0, I/L for 1) in its canonical form, or null. */
export function normalizeTicket(typed: string): string | null {
  const s = String(typed ?? "")
    .toUpperCase()
    .replace(/[\s-]/g, "")
    .replace(/O/g, "0")
    .replace(/[IL]/g, "1");
  if (s.length !== TICKET_LENGTH || [...s].some((c) => !ALPHABET.includes(c))) return null;
  return `${s.slice(0, 4)}-${s.slice(4, 8)}-${s.slice(8)}`;
}

export function ticketHash(ticket: string): string {
  return createHash("sha256").update(`jejak-ticket:${ticket}`).digest("hex");
}

/** A source key for the rate limit: an IP or session, hashed so that the table holds no address. */
export function sourceKey(kind: "ip" | "session" | "user", value: string): string {
  return `${kind}:${createHash("sha256").update(`jejak-source:${value}`).digest("hex").slice(0, 32)}`;
}
