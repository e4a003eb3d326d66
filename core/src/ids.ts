// Document ids that encode ownership, so rules and the backend can check them without a read.
export const COLLECTIONS = {
  requests: "api_requests",
  submissions: "miner_submissions",
  rankings: "validator_rankings",
  metrics: "consensus_metrics",
  validatorAgreement: "validator_agreement",
  /** Each miner's rolling credit from consensus results: what validators set weights from. */
  minerScores: "miner_scores",
  registry: "registry",
  apiKeys: "api_keys",
  rateLimits: "rate_limits",
  signInNonces: "sign_in_nonces",
  idempotencyKeys: "idempotency_keys",
  /** A miner's signed "nothing I hold fits this request", so validators need not wait for it. */
  declines: "miner_declines",
  /**
   * operators/{uid}: written by `grant-operator`, deleted by `--revoke` (Admin SDK only; rules deny
   * every client). The rules' isOperator() requires it besides the token's claim, so a revoked
   * operator's still-valid ID token reads nothing.
   */
  operators: "operators",
  /**
   * finalize_claims/{request_id}: created (create-only) by the ranking trigger that completes a
   * request's quorum, so exactly one trigger attempts the finalisation. Backend-only.
   */
  finalizeClaims: "finalize_claims",
  /**
   * webhooks/{request_id}: a request's callback URL, the key whose secret signs it, and how its
   * delivery went. Backend-only (rules deny everyone): nodes read api_requests, not this.
   */
  webhooks: "webhooks",
  /** registry_meta/current: the last applied metagraph sync. Backend-only (rules deny). */
  registryMeta: "registry_meta",
} as const;

export const rankingDocId = (requestId: string, validatorHotkey: string): string =>
  `${requestId}_${validatorHotkey}`;

export const submissionDocId = (requestId: string, minerHotkey: string): string =>
  `${requestId}_${minerHotkey}`;

export const declineDocId = (requestId: string, minerHotkey: string): string =>
  `${requestId}_${minerHotkey}`;
