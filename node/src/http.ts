// One way to call the backend's HTTPS API from a node or the client: JSON in, JSON out, and the
// API's error envelope { error: { code, message, details } } turned into fields a caller can throw.

export interface ApiFailure {
  status: number;
  code: string;
  message: string;
  field?: string;
}

export type ApiAnswer = { ok: true; status: number; json: unknown } | ({ ok: false } & ApiFailure);

export async function callJsonApi(
  fetchImpl: typeof fetch,
  url: string,
  init: { method: string; headers?: Record<string, string>; body?: unknown },
): Promise<ApiAnswer> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.body !== undefined) headers["content-type"] = "application/json";
  let res: Response;
  try {
    res = await fetchImpl(url, {
      method: init.method,
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  } catch (err) {
    return {
      ok: false,
      status: 0,
      code: "unreachable",
      message: `cannot reach ${url}: ${(err as Error).message}`,
    };
  }
  const text = await res.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    // Not JSON (a proxy's error page, a wrong URL): reported with the status.
  }
  if (res.ok) {
    if (json === null || typeof json !== "object") {
      return {
        ok: false,
        status: res.status,
        code: "bad_response",
        message: `${url} did not answer JSON`,
      };
    }
    return { ok: true, status: res.status, json };
  }
  const error = (
    json as {
      error?: { code?: unknown; message?: unknown; details?: { field?: unknown } | null };
    } | null
  )?.error;
  return {
    ok: false,
    status: res.status,
    code: typeof error?.code === "string" ? error.code : `http_${res.status}`,
    message: typeof error?.message === "string" ? error.message : text.slice(0, 200),
    field: typeof error?.details?.field === "string" ? error.details.field : undefined,
  };
}
