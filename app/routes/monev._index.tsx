import { workspaceLoader } from "~/simple-workspace.server";
import { SimpleWorkspace } from "~/components/simple-workspace";

/** The monitoring officer's workspace: progress and quarterly evaluation across OPDs (e-Monev). */
export const loader = workspaceLoader("workspace.monev");

export default function Workspace() {
  return <SimpleWorkspace titleKey="ws.monev.title" showOpds />;
}
