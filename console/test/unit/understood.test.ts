// The timeline's "Read as" block and per-lead constraints, from a request's description alone.
import { readDescription, understoodHtml } from "../../src/views/understood";

const text = (html: string, key: string): string =>
  (new RegExp(`data-understood="${key}">([\\s\\S]*?)</li>`).exec(html)?.[1] ?? "")
    .replace(/<[^>]+>/g, "")
    .trim();

test("shows roles, industries, places, exclusions, seller context and ignored words", () => {
  const r = readDescription(
    "Looking for security managers at banks anywhere but the UK for our identity product, ideally Zorblatt users",
  );
  const html = understoodHtml(r.understood);
  expect(text(html, "roles")).toContain(
    "security managers (security, c_level/vp/head/director/manager)",
  );
  expect(text(html, "industries")).toBe("industries: Banking");
  expect(text(html, "places")).toBe("places: anywhere");
  expect(text(html, "excluded")).toBe("excluded: uk");
  expect(text(html, "seller")).toContain("our identity product");
  expect(text(html, "ignored")).toContain("ideally Zorblatt users");
});

test("says which stated constraints a lead meets", () => {
  const r = readDescription("security leaders at banks in the US");
  const lead = {
    business: "Acme Bank",
    email: "a@acme.test",
    role: "Head of Security",
    industry: "Financial Services",
    sub_industry: "Banking",
    region: "UK - London",
  };
  expect(r.meets(lead)).toBe("role industry !place");
});

test("says when a stated industry was not understood, so the empty answer explains itself", () => {
  const r = readDescription("security directors at AEC firms in the US");
  const html = understoodHtml(r.understood);
  expect(r.understood.unread).toEqual(["industry"]);
  expect(text(html, "unread")).toContain("industry");
  expect(text(html, "ignored")).toContain("AEC");
});
