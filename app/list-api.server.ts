import { json } from "@remix-run/node";

/**
 * A page of a public list API (/api/usulan, /api/pengadaan, /api/pengaduan): the totals, links to the pages
 * before and after with the same filter, and the page's items; cached briefly and open to every origin.
 */
export function listPage<T>(url: URL, r: { total: number; page: number; perPage: number }, data: T[]) {
  const pages = Math.max(1, Math.ceil(r.total / r.perPage));
  const link = (page: number) => {
    const sp = new URLSearchParams(url.searchParams);
    sp.set("page", String(page));
    return `${url.pathname}?${sp}`;
  };
  return json(
    { total: r.total, page: r.page, per_page: r.perPage, links: { next: r.page < pages ? link(r.page + 1) : null, prev: r.page > 1 ? link(r.page - 1) : null }, data },
    { headers: { "Cache-Control": "public, max-age=30", "Access-Control-Allow-Origin": "*" } },
  );
}
