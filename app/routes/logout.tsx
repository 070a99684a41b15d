import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { readForm } from "~/http.server";
import { endSession, getViewer } from "~/session.server";
import { em } from "~/db.server";
import { recordLogout, systemClock } from "~/domain.server";

export async function action({ request }: ActionFunctionArgs) {
  await readForm(request);
  const { actor } = await getViewer(request);
  const cookie = await endSession(request);
  await recordLogout(await em(), actor, systemClock);
  return redirect("/login?out=1", { headers: { "Set-Cookie": cookie } });
}

export function loader() {
  return redirect("/");
}
