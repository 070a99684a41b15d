/**
 * What server.ts hands every Remix loader and action besides the request (getLoadContext): the client's
 * address, as Express resolves it under TRUST_PROXY. Kept free of server-only imports: server.ts reads it
 * before the build is loaded.
 */
export type JejakLoadContext = {
  /** The client's IP address: the socket's peer, or with TRUST_PROXY the address the trusted proxies name. */
  clientIp?: string;
};

/**
 * TRUST_PROXY as Express's "trust proxy" setting. Unset, "0" or "false": the socket's peer is the client and
 * X-Forwarded-For / X-Forwarded-Proto are ignored (anyone can send them). A whole number n: n reverse proxies
 * in front (n = 1, a single TLS proxy, is the usual case): the client is the address the outermost of them
 * saw, whatever a client wrote into the header before. "true": trust every hop (only behind a proxy that
 * overwrites the header). Anything else is a list of trusted proxy addresses or subnets ("10.0.0.0/8,
 * loopback"), passed to Express as is.
 */
export function trustProxySetting(raw: string | undefined): boolean | number | string {
  const s = (raw ?? "").trim();
  if (s === "" || s === "0" || s.toLowerCase() === "false") return false;
  if (s.toLowerCase() === "true") return true;
  if (/^\d{1,2}$/.test(s)) return Number(s);
  return s;
}

/** An address as Node reports it, without the IPv4-mapped IPv6 prefix ("::ffff:203.0.113.9" → "203.0.113.9"). */
export function plainAddress(ip: string | undefined | null): string | undefined {
  const s = (ip ?? "").trim();
  if (!s) return undefined;
  return s.startsWith("::ffff:") && s.includes(".") ? s.slice(7) : s;
}

/** The client's address from a loader's or action's context, when the server gave one. */
export function clientIpOf(context: unknown): string | null {
  const ip = (context as JejakLoadContext | null | undefined)?.clientIp;
  return typeof ip === "string" && ip ? ip : null;
}
