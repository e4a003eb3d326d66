// Lead sourcing (miners) and lead scoring (validators) for the reference nodes.
export * from "./pool";
export * from "./lexicon";
export * from "./parse";
export * from "./fit";
export * from "./curator";
export * from "./ranker";
export * from "./llm-ranker";
