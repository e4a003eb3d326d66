// Reading a buyer's description and judging a lead against it: shared by the reference nodes
// (node/src/leads) and the backend, which reports how a request was read (understood.ts).
export * from "./lexicon";
export * from "./parse";
export * from "./fit";
export * from "./understood";
