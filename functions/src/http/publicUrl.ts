// The public base URL of the `api` function, for the poll_url of a 202. It comes from
// configuration only, never from the request: Host and X-Forwarded-Host/-Proto are whatever the
// caller (or a proxy it controls) sent, and an answer built from them reflects an attacker's URL
// (issue 20: `X-Forwarded-Host: evil.example` + `X-Forwarded-Proto: javascript` gave
// `poll_url: javascript://evil.example/...`, stored for idempotent replays).
//
// In order: the PUBLIC_API_URL param (a custom domain or a Firebase Hosting rewrite); else the
// function's own address, known from the project, region and function name: in production
// https://<region>-<project>.cloudfunctions.net/<function>, in the Functions emulator
// http://127.0.0.1:5001/<project>/<region>/<function> (the host and port of firebase.json).

/** The Functions emulator's origin as firebase.json declares it (a unit test keeps them equal). */
export const EMULATOR_FUNCTIONS_ORIGIN = "http://127.0.0.1:5001";

export interface FunctionIdentity {
  /** The deployed function's name (the path segment of its cloudfunctions.net URL). */
  functionName: string;
  /** The Firebase project id, or null when the runtime does not say (then PUBLIC_API_URL must). */
  projectId: string | null;
  /** The region the function was deployed to (the REGION param). */
  region: string;
  /** True in the Functions emulator, whose URLs carry the project and region. */
  emulator: boolean;
}

/** Thrown when no base URL can be built from configuration: a deployment error, never guessed. */
export class PublicUrlConfigError extends Error {}

/**
 * The configured PUBLIC_API_URL, normalised: an absolute http(s) URL without credentials, query or
 * fragment, without a trailing slash. "" (unset) returns null. A bad value throws, naming the
 * param, so a typo fails loudly instead of handing clients a broken link.
 */
export function parsePublicApiUrl(raw: string): string | null {
  const text = raw.trim();
  if (text === "") return null;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new PublicUrlConfigError(`param PUBLIC_API_URL must be an absolute URL, got ${text}`);
  }
  if (
    (url.protocol !== "https:" && url.protocol !== "http:") ||
    url.username !== "" ||
    url.password !== "" ||
    url.search !== "" ||
    url.hash !== ""
  ) {
    throw new PublicUrlConfigError(
      `param PUBLIC_API_URL must be an http(s) URL without credentials, query or fragment, got ${text}`,
    );
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

/** The API's base URL: `/leads/status/{id}` below it answers the status. */
export function publicBaseUrl(configured: string, fn: FunctionIdentity): string {
  const override = parsePublicApiUrl(configured);
  if (override) return override;
  if (!fn.projectId) {
    throw new PublicUrlConfigError(
      "no project id in the runtime (GCLOUD_PROJECT / FIREBASE_CONFIG): set param PUBLIC_API_URL",
    );
  }
  const name = encodeURIComponent(fn.functionName);
  if (fn.emulator) {
    return `${EMULATOR_FUNCTIONS_ORIGIN}/${encodeURIComponent(fn.projectId)}/${encodeURIComponent(fn.region)}/${name}`;
  }
  return `https://${fn.region}-${fn.projectId}.cloudfunctions.net/${name}`;
}

/** The project id the runtime was started for (deploy and the emulator set both variables). */
function projectIdOf(env: NodeJS.ProcessEnv): string | null {
  const direct = env.GCLOUD_PROJECT || env.GOOGLE_CLOUD_PROJECT;
  if (direct) return direct;
  try {
    const config = JSON.parse(env.FIREBASE_CONFIG ?? "") as { projectId?: unknown };
    return typeof config.projectId === "string" && config.projectId ? config.projectId : null;
  } catch {
    return null;
  }
}

/**
 * The function's identity from the runtime's environment. FUNCTION_TARGET is the export name
 * (dots for grouped exports, which deploy as dashes); the emulator sets FUNCTIONS_EMULATOR, and the
 * region is the REGION param the function was declared with.
 */
export function functionIdentity(env: NodeJS.ProcessEnv, region: string): FunctionIdentity {
  const functionName = (env.FUNCTION_TARGET ?? env.K_SERVICE ?? "api").replace(/\./g, "-");
  return {
    functionName,
    projectId: projectIdOf(env),
    region,
    emulator: env.FUNCTIONS_EMULATOR === "true",
  };
}
