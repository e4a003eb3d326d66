// The public base URL of the `api` function as the client called it, so the poll_url in a 202 works
// when used exactly as returned. The app only sees the path below the function: the Functions
// emulator strips `/{project}/{region}/{function}` and the cloudfunctions.net front end strips
// `/{function}`, so those prefixes are put back here. A Cloud Run (`*.run.app`) address has no
// prefix, and a Firebase Hosting rewrite or custom domain forwards the full path (kept as seen).

export interface CalledUrl {
  /** The client-facing scheme and host (X-Forwarded-* already applied). */
  protocol: string;
  host: string;
  /** The request path as the app saw it, query included (express `req.originalUrl`). */
  originalUrl: string;
  /** The route's own path, e.g. "/leads": whatever precedes it is the base path. */
  route: string;
}

export interface FunctionIdentity {
  /** The deployed function's name (the path segment of its cloudfunctions.net URL). */
  functionName: string;
  /** Set in the Functions emulator only: its URLs carry the project and region. */
  emulator: { projectId: string; region: string } | null;
}

export function publicBaseUrl(called: CalledUrl, fn: FunctionIdentity): string {
  const path = called.originalUrl.split("?")[0];
  const routeAt = path.lastIndexOf(called.route);
  const basePath = routeAt >= 0 ? path.slice(0, routeAt) : "";
  const origin = `${called.protocol}://${called.host}`;
  const hostname = called.host.replace(/:\d+$/, "").toLowerCase();
  if (fn.emulator) {
    return `${origin}/${fn.emulator.projectId}/${fn.emulator.region}/${fn.functionName}${basePath}`;
  }
  if (hostname.endsWith(".cloudfunctions.net")) return `${origin}/${fn.functionName}${basePath}`;
  return `${origin}${basePath}`;
}

/**
 * The function's identity from the runtime's environment. FUNCTION_TARGET is the export name
 * (dots for grouped exports, which deploy as dashes); the emulator sets FUNCTIONS_EMULATOR and
 * GCLOUD_PROJECT, and the region is the REGION param the function was declared with.
 */
export function functionIdentity(env: NodeJS.ProcessEnv, region: string): FunctionIdentity {
  const functionName = (env.FUNCTION_TARGET ?? env.K_SERVICE ?? "api").replace(/\./g, "-");
  const emulator =
    env.FUNCTIONS_EMULATOR === "true" && env.GCLOUD_PROJECT
      ? { projectId: env.GCLOUD_PROJECT, region }
      : null;
  return { functionName, emulator };
}
