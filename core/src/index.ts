// The pure core: no Firebase imports. Shared by the Cloud Functions (bundled into functions/ at
// build) and the node SDK.
export * from "./schemas";
export * from "./createRequest";
export * from "./consensus";
export * from "./signing";
export * from "./ids";
export * from "./metagraph";
export * from "./clipping";
export * from "./correlation";
export * from "./agreement";
export * from "./verify";
export * from "./api";
export * from "./apiKeys";
export * from "./documents";
export * from "./eligibility";
export * from "./minerScores";
export * from "./weights";
export * from "./subtensor";
export * from "./subtensorRpc";
export * from "./leads";
export * from "./webhooks";
