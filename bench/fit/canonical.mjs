// Canonical JSON (keys sorted at every level, no spaces) and its SHA-256: the frozen test part is
// compared by content, so reformatting its file changes nothing while any edit of a description,
// its N, its gold or its constructs changes the hash.
import { createHash } from "node:crypto";

export function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

export const sha256 = (text) => createHash("sha256").update(text, "utf8").digest("hex");
