// Who is calling, for per-caller limits. Google's front end appends the address it received the
// connection from to X-Forwarded-For, so the last entry is the one a client cannot choose (entries
// before it are whatever the client sent). Without the header (the emulator, a direct run), the
// socket's peer address.
import type { Request } from "express";

export function callerAddress(req: Request): string {
  const forwarded = req.headers["x-forwarded-for"];
  const list = (Array.isArray(forwarded) ? forwarded.join(",") : (forwarded ?? ""))
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return list.at(-1) ?? req.socket.remoteAddress ?? "unknown";
}
