import type { LoaderFunctionArgs } from "@remix-run/node";
import { em } from "~/db.server";
import { guardForum } from "~/musrenbang.server";
import { langOf } from "~/lang.server";
import { translator } from "~/i18n";
import { rankedList, writeRankedList } from "~/domain.server";

/** The forum's ranked list as Excel (frozen ranks once closed), for its facilitators and Bappeda. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { viewer } = await guardForum(request, params.id ?? "");
  const data = await rankedList(await em(), viewer.actor, params.id!);
  const bytes = await writeRankedList(data, { t: translator(langOf(request)) });
  const name = `peringkat-${data.forum.name.replace(/[^\w]+/g, "-").toLowerCase()}-${data.forum.fiscalYear}.xlsx`;
  return new Response(new Uint8Array(bytes), {
    headers: {
      "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "Content-Disposition": `attachment; filename="${name}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
