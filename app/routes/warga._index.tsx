import { workspaceLoader } from "~/simple-workspace.server";
import { SimpleWorkspace } from "~/components/simple-workspace";
import { useT } from "~/hooks";

/** A signed-in citizen's space: following proposals and their own reports. */
export const loader = workspaceLoader("workspace.citizen");

export default function Workspace() {
  const t = useT();
  return (
    <SimpleWorkspace titleKey="ws.citizen.title">
      <p className="card">{t("ws.citizenIntro")}</p>
    </SimpleWorkspace>
  );
}
