import { useFetcher } from "@remix-run/react";
import { useEffect, useId, useState } from "react";
import { useT } from "~/hooks";

interface Result {
  code: string;
  name: string;
  kind: string;
  parentName: string | null;
}

/**
 * Picks a kecamatan or desa of the tenant by name. Without JavaScript it is a plain text field that
 * takes the Kemendagri code; with it, typing a name lists matches (from /api/wilayah) to choose from.
 */
export function RegionPicker({
  name,
  defaultValue = "",
  tingkat,
  label,
  error,
}: {
  name: string;
  defaultValue?: string;
  tingkat?: "desa" | "kecamatan";
  label: string;
  error?: string;
}) {
  const t = useT();
  const id = useId();
  const fetcher = useFetcher<{ results: Result[] }>();
  const [code, setCode] = useState(defaultValue);
  const [query, setQuery] = useState("");
  const [chosen, setChosen] = useState<string | null>(null);
  useEffect(() => {
    if (query.trim().length < 2) return;
    const params = new URLSearchParams({ q: query });
    if (tingkat) params.set("tingkat", tingkat);
    fetcher.load(`/api/wilayah?${params}`);
    // fetcher is stable across renders; only the query and level should trigger a search.
  }, [query, tingkat]);
  const results = query.trim().length >= 2 ? (fetcher.data?.results ?? []) : [];
  return (
    <div className="picker">
      <label htmlFor={`${id}-code`}>{label}</label>
      <input
        id={`${id}-code`}
        name={name}
        value={code}
        onChange={(e) => setCode(e.target.value)}
        inputMode="decimal"
        placeholder="35.22.06.2001"
        aria-invalid={error ? true : undefined}
      />
      {chosen ? <p className="field__help">{chosen}</p> : null}
      <label htmlFor={`${id}-q`} className="field__help">
        {t("region.picker.label")}
      </label>
      <input
        id={`${id}-q`}
        type="search"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        placeholder={t("region.picker.placeholder")}
        autoComplete="off"
      />
      {query.trim().length >= 2 && fetcher.state === "idle" && results.length === 0 ? (
        <p className="field__help">{t("region.picker.none")}</p>
      ) : null}
      {results.length > 0 ? (
        <ul className="picker__list" role="listbox">
          {results.map((r) => (
            <li key={r.code}>
              <button
                type="button"
                onClick={() => {
                  setCode(r.code);
                  setChosen(`${r.name}${r.parentName ? ` — ${r.parentName}` : ""}`);
                  setQuery("");
                }}
              >
                {r.name} <span className="muted">{r.parentName ? `— ${r.parentName}` : ""} · {r.code}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      {error ? <p className="field__error">{error}</p> : null}
    </div>
  );
}
