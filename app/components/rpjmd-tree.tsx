import type { ReactNode } from "react";
import type { RpjmdView } from "~/domain.server";
import { useT } from "~/hooks";

/**
 * An RPJMD as one table per mission: each goal with its indicators (baseline and a target per year) and
 * the programmes that serve it. `goalActions` renders the editing forms under a goal in the workspace.
 */
export function RpjmdTree({ r, goalActions }: { r: RpjmdView; goalActions?: (goal: RpjmdView["missions"][number]["goals"][number]) => ReactNode }) {
  const t = useT();
  const years = Array.from({ length: r.endYear - r.startYear + 1 }, (_, i) => String(r.startYear + i));
  return (
    <>
      <p>
        <strong>{t("rpjmd.vision")}:</strong> <span data-testid="rpjmd-vision">{r.vision}</span>
      </p>
      {r.missions.map((m) => (
        <section key={m.number} className="card">
          <h2>
            {t("rpjmd.mission")} {m.number}: {m.text}
          </h2>
          {m.goals.map((g) => (
            <div key={g.id} data-testid={`goal-${g.code}`}>
              <h3>
                {t("rpjmd.goal")} {g.code}: {g.text}
              </h3>
              <div className="table-wrap">
                <table className="data">
                  <thead>
                    <tr>
                      <th>{t("rpjmd.indicator")}</th>
                      <th>{t("rpjmd.unit")}</th>
                      <th className="num">{t("rpjmd.baseline")}</th>
                      {years.map((y) => (
                        <th key={y} className="num">
                          {y}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {g.indicators.map((i) => (
                      <tr key={i.id}>
                        <td>{i.name}</td>
                        <td>{i.unit}</td>
                        <td className="num">{i.baseline ?? "—"}</td>
                        {years.map((y) => (
                          <td key={y} className="num">
                            {i.targets[y] ?? "—"}
                          </td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <p>
                <strong>{t("rpjmd.programs")}:</strong> {g.programs.length ? g.programs.map((p) => `${p.code} ${p.name}`).join("; ") : "—"}
              </p>
              {goalActions?.(g)}
            </div>
          ))}
        </section>
      ))}
    </>
  );
}
