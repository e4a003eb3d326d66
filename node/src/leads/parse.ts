// The description parser lives in the pure core (core/src/leads/parse.ts) so the backend reads a
// request exactly as the reference nodes do; re-exported here for the node SDK's users.
export {
  describeParse,
  parseDescription,
  type ParsedDescription,
  type RoleWant,
} from "consensus-core";
