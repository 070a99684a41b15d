import { csrfTokenFor, newCsrfCookieValue } from "../../app/csrf.server";

type Args = { request: Request; params: Record<string, string>; context: Record<string, never> };
type RouteFn = (args: Args) => Promise<Response> | Response | Promise<unknown>;

export const BASE = "http://localhost";

/** A browser's cookie jar, just enough for route tests: a CSRF cookie and whatever the app sets. */
export class Browser {
  cookies = new Map<string, string>();
  constructor() {
    this.cookies.set("jejak_csrf", newCsrfCookieValue());
  }
  get csrf(): string {
    return csrfTokenFor(this.cookies.get("jejak_csrf")!);
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
  take(res: Response) {
    for (const c of res.headers.getSetCookie?.() ?? []) {
      const [pair, ...attrs] = c.split(";");
      const [k, v] = pair.split("=");
      if (attrs.some((a) => /max-age=0/i.test(a.trim()))) this.cookies.delete(k.trim());
      else this.cookies.set(k.trim(), v);
    }
  }
  get(path: string, headers: Record<string, string> = {}): Request {
    return new Request(BASE + path, { headers: { cookie: this.header(), ...headers } });
  }
  post(path: string, fields: Record<string, string>, opts: { csrf?: string | null; headers?: Record<string, string> } = {}): Request {
    const body = new URLSearchParams(fields);
    const token = opts.csrf === undefined ? this.csrf : opts.csrf;
    if (token !== null) body.set("_csrf", token);
    return new Request(BASE + path, {
      method: "POST",
      body,
      headers: { cookie: this.header(), "content-type": "application/x-www-form-urlencoded", ...opts.headers },
    });
  }
}

/** Calls a loader or action as Remix would; a thrown Response is returned, not thrown. */
export async function call(fn: RouteFn, request: Request, params: Record<string, string> = {}): Promise<Response> {
  try {
    const r = await fn({ request, params, context: {} });
    if (r instanceof Response) return r;
    return new Response(JSON.stringify(r), { status: 200, headers: { "content-type": "application/json" } });
  } catch (e) {
    if (e instanceof Response) return e;
    throw e;
  }
}

export async function body<T = Record<string, unknown>>(r: Response): Promise<T> {
  return (await r.clone().json()) as T;
}
