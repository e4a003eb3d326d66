// How the page names nodes and finds requests, and what it says when sign-in fails.
import { findRequest, nodeName, shortKey } from "../../src/model";
import { signInMessage } from "../../src/views/sign-in";

const HOTKEY = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
const ID = "0f8b6c1e-2d4a-4b7e-9c3f-5a6b7c8d9e0f";

describe("nodeName", () => {
  it("puts the uid before the short hotkey", () => {
    expect(nodeName(HOTKEY, new Map([[HOTKEY, 7]]))).toBe("uid 7 · 5Grwva…utQY");
  });
  it("falls back to the short hotkey for a node the registry no longer holds", () => {
    expect(nodeName(HOTKEY)).toBe(shortKey(HOTKEY));
    expect(nodeName(HOTKEY, new Map([[HOTKEY, null]]))).toBe("5Grwva…utQY");
  });
});

describe("findRequest", () => {
  const loaded = [
    ID,
    "0f8b1111-0000-4000-8000-000000000000",
    "aa000000-0000-4000-8000-000000000000",
  ];
  it("opens a whole id even when the page has not loaded it", () => {
    expect(findRequest(` ${ID.toUpperCase()} `, [])).toEqual({ id: ID });
  });
  it("opens the one loaded request a prefix names", () => {
    expect(findRequest("aa00", loaded)).toEqual({ id: loaded[2] });
  });
  it("asks for more characters when a prefix names several", () => {
    expect(findRequest("0f8b", loaded)).toEqual({ error: expect.stringContaining("2 loaded") });
  });
  it("explains an empty box, a typo and an unknown prefix", () => {
    expect(findRequest("  ", loaded)).toEqual({ error: expect.stringContaining("Type") });
    expect(findRequest("zz-top", loaded)).toEqual({ error: expect.stringContaining("0-9, a-f") });
    expect(findRequest("bb", loaded)).toEqual({ error: expect.stringContaining("whole id") });
  });
});

describe("signInMessage", () => {
  it("says wrong credentials in words, not an auth/ code", () => {
    for (const code of ["auth/invalid-credential", "auth/wrong-password", "auth/user-not-found"]) {
      expect(signInMessage(code)).toBe("Wrong email or password.");
    }
    expect(signInMessage("auth/too-many-requests")).toMatch(/^Too many failed attempts/);
  });
  it("keeps an unknown code for support, after a sentence", () => {
    expect(signInMessage("auth/something-new")).toBe(
      "Sign-in failed (auth/something-new). Try again, or ask an admin.",
    );
  });
});
