import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { readForm } from "~/http.server";
import { endSession } from "~/session.server";

export async function action({ request }: ActionFunctionArgs) {
  await readForm(request);
  return redirect("/login?out=1", { headers: { "Set-Cookie": await endSession(request) } });
}

export function loader() {
  return redirect("/");
}
