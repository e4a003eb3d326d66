// The human form of `npm start`'s output: clock times and durations instead of epoch
// milliseconds, the functions' structured (JSON) log lines as one short line each, and the
// firebase-tools warnings that mean nothing for a local demo project dropped or explained.
// `npm start -- --log-format json` prints everything as firebase-tools and the nodes wrote it.

/** Lines that say nothing about this local run, each with why. */
const DROP = [
  // The demo- project needs no login: nothing here reaches Google.
  /You are not currently authenticated/,
  // No network here by design; the MOTD is firebase-tools' news feed.
  /Unable to fetch the CLI MOTD/,
  // firebase-tools is pinned to 14.x because 15 needs Java 21 (see README, Emulators).
  /drop support for Java version < 21/,
  // scripts/setup-emulators.mjs points firebase-tools at the local emulator binaries on purpose.
  /Env variable override detected\. Using \w+ emulator at/,
  // The Emulator UI is disabled in firebase.json.
  /Emulator UI websocket is running/,
  // firebase-tools' functions discovery server, gone once the definitions are loaded.
  /^Serving at port \d+$/,
  // Printed by each new function worker; the file is functions/.env.
  /Loaded environment variables from \.env\./,
  // The header printed by scripts/start.mjs already names the demo project.
  /Detected demo project ID/,
  // The "Finished ... in" line below says the same with its duration.
  /functions: Beginning execution of "/,
];

const clock = (d) => d.toTimeString().slice(0, 8);

export function duration(ms) {
  if (ms < 1000) return `${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** `seen_at_ms=1796485541387` → `seen_at=15:42:07`, `total_ms=961` → `total=961 ms`, ... */
export function humanizeFields(text) {
  return text
    .replace(/\b(\w+?)_ms=(\d+(?:\.\d+)?)/g, (_, name, v) =>
      Number(v) > 1e12 ? `${name}=${clock(new Date(Number(v)))}` : `${name}=${duration(Number(v))}`,
    )
    .replace(/\bms=(\d+(?:\.\d+)?)/g, (_, v) => `in ${duration(Number(v))}`)
    .replace(/\b(\w+?)_s=(\d+(?:\.\d+)?)/g, (_, name, v) => `${name}=${duration(Number(v) * 1000)}`)
    .replace(/\b(\d{4,}) ms\b/g, (_, v) => duration(Number(v)))
    .replace(/\b\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z\b/g, (iso) => clock(new Date(iso)));
}

const short = (v) =>
  Array.isArray(v)
    ? `[${v.map(short).join(",")}]`
    : typeof v === "string" && /^[0-9A-Za-z-]{32,}$/.test(v)
      ? `${v.slice(0, 8)}…`
      : typeof v === "object" && v !== null
        ? JSON.stringify(v)
        : String(v);

/** A function's structured log entry as `event key=value ...` (hotkeys and ids shortened). */
export function humanizeEntry(entry) {
  const { event, message, severity, ...rest } = entry;
  const head = `${severity && severity !== "INFO" ? `${severity} ` : ""}${event ?? message ?? ""}`;
  const fields = Object.entries(rest)
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => `${k}=${short(v)}`);
  return humanizeFields([head, ...fields].join(" "));
}

/** Returns line → printed line, or null to drop it. */
export function createFormatter({ json = false, now = () => new Date() } = {}) {
  if (json) return (line) => line;
  let skip = 0;
  const state = { metadataSaid: false };
  return (raw) => {
    // firebase-tools colours its output only when it believes it writes to a terminal.
    const line = raw.replace(/\x1b\[[0-9;]*m/g, "");
    if (skip > 0 && /^\s+-\s/.test(line)) {
      skip--;
      return null;
    }
    // Its URL and "Be careful" lines follow it.
    skip = /External network resource requested/.test(line) ? 2 : 0;
    const text = rewrite(line, state);
    if (text === null) return null;
    return text === "" ? "" : `${clock(now())} ${text}`;
  };
}

function rewrite(input, state) {
  let line = input;
  if (line.trim() === "") return "";
  if (DROP.some((re) => re.test(line))) return null;
  if (/External network resource requested/.test(line)) {
    // firebase-admin asks the GCE metadata server for the service account that signs Cloud Tasks;
    // locally there is none and the Tasks emulator needs none. Said once, then dropped.
    if (state.metadataSaid) return null;
    state.metadataSaid = true;
    return (
      "i  functions: a function asked the GCE metadata server for its service account (to sign a " +
      "Cloud Task); there is none locally and the Tasks emulator needs none"
    );
  }
  const node = /requested "node" version "(\d+)" doesn't match your global version "(\d+)"/.exec(line);
  if (node) {
    return `i  functions: running on this machine's Node ${node[2]} (deployed, they run on nodejs${node[1]})`;
  }
  const finished = /^(.*)Finished "(?:[\w-]+-)?(\w+)" in ([\d.]+)ms$/.exec(line);
  if (finished) return `${finished[1]}${finished[2]} finished in ${duration(Number(finished[3]))}`;
  const entry = /^>\s+(\{.*\})\s*$/.exec(line);
  if (entry) {
    try {
      return `>  ${humanizeEntry(JSON.parse(entry[1]))}`;
    } catch {
      return line;
    }
  }
  // scripts/lib/supervise.mjs marks the script it runs; the marker is no news to a reader.
  line = line.replace(/LOCAL_SUBNET_SCRIPT=1 exec /, "");
  // The demo prefixes node lines with "[validator alice]"; the node's own "[validator 5GrwvaEF]"
  // then says the same again.
  return humanizeFields(line.replace(/^(\[(?:validator|miner) \w+\]) \[(?:validator|miner) \w+\]/, "$1"));
}
