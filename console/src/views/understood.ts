// How a request's description was read, for the timeline: the same pure reading the backend
// serves in GET /leads/status/{id} (core/src/leads/understood.ts, bundled into the page), from
// the request's own business_desc, and per result lead the stated constraints it meets.
import {
  leadConstraints,
  understoodFrom,
  type Understood,
} from "../../../core/src/leads/understood";
import { builtInLexicon } from "../../../core/src/leads/lexicon";
import { parseDescription } from "../../../core/src/leads/parse";
import type { Lead } from "../../../core/src/schemas";
import { esc } from "../dom";

export interface Reading {
  understood: Understood;
  /** "role industry !place" for a lead of the result. */
  meets: (lead: Record<string, unknown>) => string;
}

export function readDescription(businessDesc: string): Reading {
  const lexicon = builtInLexicon();
  const parsed = parseDescription(businessDesc, lexicon);
  return {
    understood: understoodFrom(parsed, lexicon),
    meets: (lead) => {
      const { matched, missed } = leadConstraints(lead as unknown as Lead, parsed, lexicon);
      return [...matched, ...missed.map((c) => `!${c}`)].join(" ");
    },
  };
}

/** The reading as an HTML block: one line per part, ignored words last so they stand out. */
export function understoodHtml(u: Understood): string {
  const list = (xs: readonly string[], none = "any") => (xs.length ? xs.join(", ") : none);
  const roles = u.roles.map(
    (r) =>
      `${r.text} (${r.functions ? r.functions.join("/") : "any function"}, ${
        r.title ?? (r.levels ? r.levels.join("/") : "any level")
      }${r.required ? ", required" : ""})`,
  );
  const ex = u.exclude;
  const excluded = [...ex.functions, ...ex.levels, ...ex.industries, ...ex.places];
  const line = (key: string, label: string, value: string) =>
    `<li data-understood="${key}"><span class="muted">${label}:</span> ${esc(value)}</li>`;
  return `<div class="understood"><h4>Read as</h4><ul>${[
    line("roles", "roles", list(roles)),
    line(
      "industries",
      "industries",
      list(u.industries.map((i) => i.label)) +
        (u.companies_like.length ? ` (companies like ${u.companies_like.join(", ")})` : ""),
    ),
    line("places", "places", list(u.places, u.anywhere ? "anywhere" : "any")),
    excluded.length ? line("excluded", "excluded", excluded.join(", ")) : "",
    u.seller_context ? line("seller", "seller context", u.seller_context) : "",
    u.ignored.length ? line("ignored", "ignored", u.ignored.map((w) => `"${w}"`).join(", ")) : "",
    u.unread.length
      ? line(
          "unread",
          "not understood",
          `${u.unread.join(", ")}: stated in words the nodes do not know, so no lead is returned`,
        )
      : "",
  ].join("")}</ul></div>`;
}
