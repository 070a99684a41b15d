import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { em } from "~/db.server";
import { config } from "~/config.server";
import { guardSomewhere } from "~/guard.server";
import { langOf } from "~/lang.server";
import { translate } from "~/i18n";
import { isDomainError, listPriceLists, MAX_PRICE_RESULTS, searchPrices } from "~/domain.server";

/**
 * Search-as-you-type for the RKA editor: GET /api/harga?q=&tahun=&akun=&limit= → the items of the
 * standard price lists in force for the year (default: the latest year with a list) that match a code
 * prefix or the words of their name and specification, optionally only those allowed under an
 * account; best first, at most 50. Prices are decimal strings ("1250000.00"). Signed-in users who
 * see budgets (budget.view).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await guardSomewhere(request, "budget.view");
  const url = new URL(request.url);
  const tenant = config().tenant;
  const db = await em();
  const tahun = url.searchParams.get("tahun");
  let year: number;
  if (tahun) {
    year = Number.parseInt(tahun, 10);
    if (!(year >= 2000 && year <= 2100) || String(year) !== tahun.trim())
      return json({ error: translate(langOf(request), "fiscalYear.invalid", { text: tahun }) }, { status: 400 });
  } else year = (await listPriceLists(db, tenant))[0]?.fiscalYear ?? new Date().getUTCFullYear() + 1;
  const limit = Math.min(MAX_PRICE_RESULTS, Math.max(1, Number.parseInt(url.searchParams.get("limit") ?? "", 10) || 20));
  try {
    const items = await searchPrices(db, tenant, { q: url.searchParams.get("q") ?? "", year, account: url.searchParams.get("akun"), limit });
    return json(
      { year, items: items.map((i) => ({ id: i.id, code: i.code, name: i.name, spec: i.spec, unit: i.unit, price: i.price, accounts: i.accounts, kind: i.kind })) },
      { headers: { "Cache-Control": "private, max-age=30", ...(viewer.setCookie ? { "Set-Cookie": viewer.setCookie } : {}) } },
    );
  } catch (e) {
    if (isDomainError(e)) return json({ error: translate(langOf(request), e.key, e.params) }, { status: 400 });
    throw e;
  }
}
