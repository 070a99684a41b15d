import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { em } from "~/db.server";
import { config } from "~/config.server";
import { guardSomewhere } from "~/guard.server";
import { evaluationYears, systemClock } from "~/domain.server";

/** GET /monev/evaluasi: the evaluation of the year under way (or the latest year with a final RKPD). */
export async function loader({ request }: LoaderFunctionArgs) {
  await guardSomewhere(request, "monev.evaluation.view");
  const years = await evaluationYears(await em(), config().tenant);
  const now = Number(systemClock.now().toISOString().slice(0, 4));
  const year = years.find((y) => y <= now) ?? years[years.length - 1] ?? now;
  return redirect(`/monev/evaluasi/${year}`);
}
