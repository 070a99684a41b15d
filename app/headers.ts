import type { HeadersFunction } from "@remix-run/node";

/**
 * A route's document headers: its parent's, then its own loader's (cookies appended, the rest
 * overriding). Routes that set caching or cookies in their loader export this as `headers`.
 */
export const passHeaders: HeadersFunction = ({ parentHeaders, loaderHeaders, actionHeaders, errorHeaders }) => {
  const h = new Headers();
  for (const source of [parentHeaders, loaderHeaders, actionHeaders, errorHeaders])
    source?.forEach((v, k) => (k.toLowerCase() === "set-cookie" ? h.append(k, v) : h.set(k, v)));
  return h;
};
