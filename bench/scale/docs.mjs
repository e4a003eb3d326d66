// Size of a stored document as canonical JSON (timestamps as their ISO string), plus its id: what
// the bench reports as bytes written.
export function docBytes(id, data) {
  const json = JSON.stringify(data, (k, v) =>
    v && typeof v === "object" && typeof v.toDate === "function" ? v.toDate().toISOString() : v,
  );
  return Buffer.byteLength(json ?? "", "utf8") + Buffer.byteLength(id, "utf8");
}
