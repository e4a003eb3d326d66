// One webhook POST that cannot be steered at an internal address: the host is resolved with every
// address it has, any refused address refuses the delivery, and the connection goes to an address
// that was checked (the check runs inside the socket's own lookup, so a DNS answer that changes
// between a check and the connect cannot slip through). Redirects are not followed.
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from "node:dns";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { isIP, type LookupFunction } from "node:net";
import { deliverableAddress, type CallbackPolicy } from "consensus-core";

/** The URL's host is, or resolves to, an address a delivery may not reach: never retried. */
export class RefusedAddressError extends Error {
  constructor(host: string) {
    super(`${host} is, or resolves to, a private, loopback or link-local address`);
    this.name = "RefusedAddressError";
  }
}

export const WEBHOOK_POST_TIMEOUT_MS = 10_000;

function guardedLookup(policy: CallbackPolicy): LookupFunction {
  return (hostname: string, options: LookupOptions, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, "", 0);
      if (addresses.length === 0 || addresses.some((a) => !deliverableAddress(a.address, policy))) {
        return callback(new RefusedAddressError(hostname) as NodeJS.ErrnoException, "", 0);
      }
      if (options.all) return callback(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

/** POSTs `body` and resolves with the response status (the response body is discarded). */
export function postWebhook(
  url: string,
  body: string,
  headers: Record<string, string>,
  policy: CallbackPolicy,
): Promise<number> {
  const target = new URL(url);
  const host = target.hostname.replace(/^\[(.*)\]$/, "$1");
  // An IP literal is connected to without a lookup, so it is checked here.
  if (isIP(host) !== 0 && !deliverableAddress(host, policy)) {
    return Promise.reject(new RefusedAddressError(host));
  }
  const send = target.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      target,
      {
        method: "POST",
        headers: { ...headers, "Content-Length": Buffer.byteLength(body).toString() },
        lookup: guardedLookup(policy),
        timeout: WEBHOOK_POST_TIMEOUT_MS,
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error("receiver timed out")));
    req.on("error", reject);
    req.end(body);
  });
}
