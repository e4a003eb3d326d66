// Reads an `api_requests` document into the fields a node works from, or refuses it. The shape is
// core's stored-request schema (core/src/documents.ts), the one the backend writes through.
import type { DocumentData } from "firebase/firestore";
import { OPEN_STATUSES, STORED, type RequestStatus } from "consensus-core";

/** An open `api_requests` document as a node needs it. */
export interface OpenRequest {
  request_id: string;
  num_leads: number;
  business_desc: string;
  status: RequestStatus;
  createdAtMs: number;
  timeoutMs: number;
  validatorDeadlineMs: number;
  expected_validators: string[];
  /** Miners expected to answer (submit or decline); null on requests that do not record them. */
  expected_miners: string[] | null;
}

/** The fields of a stored request a node uses; the rest (result, client_id, ...) it never reads. */
const OpenRequestFields = STORED.request.pick({
  num_leads: true,
  business_desc: true,
  status: true,
  created_at: true,
  timeout: true,
  validator_deadline: true,
  expected_validators: true,
  expected_miners: true,
});

/** Reads the fields a node uses; null when the document is not a well-formed open request. */
export function parseOpenRequest(id: string, data: DocumentData): OpenRequest | null {
  const parsed = OpenRequestFields.safeParse(data);
  if (!parsed.success || !OPEN_STATUSES.includes(parsed.data.status)) return null;
  const d = parsed.data;
  return {
    request_id: id,
    num_leads: d.num_leads,
    business_desc: d.business_desc,
    status: d.status,
    createdAtMs: d.created_at.toMillis(),
    timeoutMs: d.timeout.toMillis(),
    validatorDeadlineMs: d.validator_deadline.toMillis(),
    expected_validators: d.expected_validators,
    expected_miners: d.expected_miners ?? null,
  };
}
