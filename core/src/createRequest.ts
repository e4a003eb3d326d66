// The body of POST /leads. Apart from schemas.ts because its callback_url check needs node:net
// (webhooks.ts), and the console bundles schemas.ts for the stored documents' lead shape.
import { z } from "zod";
import { LIMITS, safeText } from "./schemas";
import { CallbackUrlSchema } from "./webhooks";

export const CreateLeadsRequestSchema = z
  .object({
    num_leads: z.number().int().min(1).max(LIMITS.numLeadsMax),
    // Tab, CR and LF (allowed by safeText) become spaces: the description is one line in the
    // LLM ranker's prompt, in logs and in the console, so a client cannot start a new one.
    business_desc: safeText()
      .overwrite((v) => v.replace(/[\t\r\n]+/g, " "))
      .trim()
      .min(1)
      .max(LIMITS.businessDescMax),
    /** Where the final status is POSTed, signed (webhooks.ts); https only outside the emulator. */
    callback_url: CallbackUrlSchema.optional(),
  })
  .strict();
export type CreateLeadsRequest = z.infer<typeof CreateLeadsRequestSchema>;
