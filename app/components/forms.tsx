import { Form, useNavigation, type FormProps } from "@remix-run/react";
import type { ReactNode } from "react";
import { useCsrf, useT } from "~/hooks";

/** A POST form that always carries the CSRF token. Use it for every mutation. */
export function PostForm({ children, ...props }: Omit<FormProps, "method"> & { children: ReactNode }) {
  const csrf = useCsrf();
  return (
    <Form method="post" {...props}>
      <input type="hidden" name="_csrf" value={csrf} />
      {children}
    </Form>
  );
}

export function Field({
  name,
  label,
  error,
  help,
  children,
}: {
  name: string;
  label: string;
  error?: string;
  help?: string;
  children?: ReactNode;
}) {
  return (
    <div className={`field${error ? " field--error" : ""}`}>
      <label htmlFor={name}>{label}</label>
      {children}
      {help ? (
        <p className="field__help" id={`${name}-help`}>
          {help}
        </p>
      ) : null}
      {error ? (
        <p className="field__error" id={`${name}-error`} role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** aria attributes linking an input to its error message. */
export function errorProps(name: string, error?: string) {
  return error ? { "aria-invalid": true as const, "aria-errormessage": `${name}-error` } : {};
}

export function SubmitButton({ children, className = "button" }: { children: ReactNode; className?: string }) {
  const nav = useNavigation();
  return (
    <button type="submit" className={className} disabled={nav.state === "submitting"}>
      {children}
    </button>
  );
}

export function FormMessage({ message, kind = "error" }: { message?: string | null; kind?: "error" | "ok" }) {
  const t = useT();
  if (!message) return null;
  return (
    <div className={`notice notice--${kind}`} role={kind === "error" ? "alert" : "status"}>
      {message === "form.errors" ? t("form.errors") : message}
    </div>
  );
}

/** A section whose form opens on demand (plain <details>: no script needed); open when its submission failed. */
export function Panel({ summary, open, children, testId }: { summary: string; open?: boolean; children: ReactNode; testId?: string }) {
  return (
    <details className="decide" open={open} data-testid={testId}>
      <summary>{summary}</summary>
      {children}
    </details>
  );
}
