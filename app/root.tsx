import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import {
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLocation,
  useMatches,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { useEffect, type ReactNode } from "react";
import styles from "./styles/app.css";
import { config } from "./config.server";
import { csrfToken } from "./csrf.server";
import { langOf } from "./lang.server";
import { getViewer } from "./session.server";
import { tenantInfo } from "./tenant.server";
import { readFlash } from "./flash.server";
import { can } from "./domain.server";
import { translator, type Lang } from "./i18n";
import type { RootData } from "./hooks";
import { PostForm } from "./components/forms";
import { passHeaders } from "./headers";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export const meta: MetaFunction = () => [{ title: "Jejak" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await getViewer(request);
  const tenant = await tenantInfo();
  const a = viewer.actor;
  const { flash, clear } = readFlash(request);
  const data: RootData = {
    map: config().map,
    flash,
    lang: langOf(request),
    tenant,
    // Signed-in pages carry the token for their forms; anonymous pages stay shareable (microcache),
    // and a public page with a form returns its own token from its loader (see useCsrf).
    csrf: a.isAuthenticated ? (csrfToken(request) ?? "") : "",
    viewer: a.isAuthenticated
      ? {
          username: a.username,
          displayName: a.displayName,
          roles: a.roles(),
          isAdmin: can(a, "admin.users.manage", { tenant: config().tenant }),
          canAudit: can(a, "audit.read", { tenant: config().tenant }),
        }
      : null,
  };
  const headers = new Headers();
  if (viewer.setCookie) headers.append("Set-Cookie", viewer.setCookie);
  if (clear) headers.append("Set-Cookie", clear);
  return json(data, { headers });
}

export const headers = passHeaders;

function Shell({ children, data }: { children: ReactNode; data: RootData | undefined }) {
  const lang: Lang = data?.lang ?? "id";
  const t = translator(lang);
  const location = useLocation();
  // A route whose page works as plain HTML (links and GET forms only) may ship without scripts: no
  // hydration data, no route manifest, no JavaScript to run on the visitor's phone.
  const scripts = !useMatches().some((m) => (m.handle as { scripts?: boolean } | undefined)?.scripts === false);
  // Such a page runs no script of its own, so code running here means a scripted page navigated to it on
  // the client: load it as a document instead (its render data exists only there, see render-data.tsx).
  useEffect(() => {
    if (!scripts) window.location.reload();
  }, [scripts, location.key]);
  return (
    <html lang={lang}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="theme-color" content="#0b5d4b" />
        <Meta />
        <Links />
      </head>
      <body>
        <a className="skip" href="#main">
          {t("app.skip")}
        </a>
        <header className="site-header">
          <div className="site-header__inner">
            <Link to="/" className="brand">
              <span className="brand__mark" aria-hidden="true">
                ◆
              </span>
              <span className="brand__name">Jejak</span>
              {data ? <span className="brand__tenant">{data.tenant.name}</span> : null}
            </Link>
            <nav aria-label={t("nav.workspace")} className="site-nav">
              <Link to="/">{t("nav.home")}</Link>
              <Link to="/usulan">{t("nav.proposals")}</Link>
              <Link to="/pengadaan">{t("nav.procurement")}</Link>
              <Link to="/peta">{t("nav.map")}</Link>
              <Link to="/dasbor">{t("nav.dashboard")}</Link>
              {data?.viewer ? <Link to="/kerja">{t("nav.workspace")}</Link> : null}
              {data?.viewer?.isAdmin ? <Link to="/admin">{t("nav.admin")}</Link> : null}
              {data?.viewer?.canAudit ? <Link to="/audit">{t("nav.audit")}</Link> : null}
              {data ? (
                <Link
                  to={`/bahasa?ke=${lang === "id" ? "en" : "id"}&kembali=${encodeURIComponent(location.pathname + location.search)}`}
                  lang={lang === "id" ? "en" : "id"}
                  rel="nofollow"
                >
                  {t("nav.switchTo")}
                </Link>
              ) : null}
              {data?.viewer ? (
                <PostForm action="/logout" className="inline-form">
                  <button type="submit" className="link-button">
                    {t("nav.logout")} <span className="muted">({data.viewer.username})</span>
                  </button>
                </PostForm>
              ) : data ? (
                <Link to="/login">{t("nav.login")}</Link>
              ) : null}
            </nav>
          </div>
        </header>
        <main id="main" className="container">
          {data?.flash ? (
            <div className={`notice notice--${data.flash.kind}`} role={data.flash.kind === "error" ? "alert" : "status"} data-testid="flash">
              {data.flash.message}
            </div>
          ) : null}
          {children}
        </main>
        <footer className="site-footer">
          <div className="container">
            <p>
              Jejak · {t("app.tagline")} · {t("footer.license")}
            </p>
          </div>
        </footer>
        {scripts ? (
          <>
            <ScrollRestoration />
            <Scripts />
          </>
        ) : null}
      </body>
    </html>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const data = useRouteLoaderData("root") as RootData | undefined;
  return <Shell data={data}>{children}</Shell>;
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  const data = useRouteLoaderData("root") as RootData | undefined;
  const t = translator(data?.lang ?? "id");
  let status = 500;
  let message = t("error.500");
  if (isRouteErrorResponse(error)) {
    status = error.status;
    const key = (error.data as { messageKey?: string; params?: Record<string, unknown> } | null)?.messageKey;
    const params = (error.data as { params?: Record<string, unknown> } | null)?.params;
    message = key ? t(key, params) : status === 404 ? t("error.404") : status === 403 ? t("error.403") : t("error.500");
  } else if (error instanceof Error) console.error(error);
  const title = status === 403 ? t("error.403.title") : status === 404 ? t("error.404.title") : t("error.title");
  return (
    <section className="error-page" data-status={status}>
      <h1>
        {title} <span className="muted">({status})</span>
      </h1>
      <p>{message}</p>
      <p>
        <Link to="/">{t("error.back")}</Link>
      </p>
    </section>
  );
}
