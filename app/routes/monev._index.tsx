import { workspaceLoader } from "~/simple-workspace.server";
import { Link } from "@remix-run/react";
import { SimpleWorkspace } from "~/components/simple-workspace";
import { useT } from "~/hooks";

/** The monitoring officer's workspace: progress and quarterly evaluation across OPDs (e-Monev). */
export const loader = workspaceLoader("workspace.monev");

export default function Workspace() {
  const t = useT();
  return (
    <SimpleWorkspace titleKey="ws.monev.title" showOpds>
      <p>
        <Link className="button" to="/monev/pengaduan">
          {t("lapor.queue.link")}
        </Link>{" "}
        <Link className="button button--secondary" to="/monev/evaluasi">
          {t("evaluasi.link")}
        </Link>
      </p>
    </SimpleWorkspace>
  );
}
