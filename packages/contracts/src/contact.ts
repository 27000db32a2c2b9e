import { z } from 'zod';

export const enquiryStatusSchema = z.enum(['open', 'closed']);

/** A contact enquiry as the operator console shows it. */
export const contactEnquirySchema = z.object({
  id: z.uuid(),
  name: z.string(),
  email: z.string(),
  company: z.string().nullable(),
  message: z.string(),
  language: z.enum(['en', 'de']),
  receivedAt: z.iso.datetime(),
  status: enquiryStatusSchema,
  closedAt: z.iso.datetime().nullable(),
  operatorNotifiedAt: z.iso.datetime().nullable(),
  /** When the retention job will delete it (closed enquiries only). */
  deleteAfter: z.iso.datetime().nullable(),
});
export type ContactEnquiry = z.infer<typeof contactEnquirySchema>;

/** `GET /operator/api/enquiries?status=` */
export const listEnquiriesQuerySchema = z.object({
  status: z.enum(['open', 'closed', 'all']).default('open'),
});
export const listEnquiriesResponseSchema = z.object({
  enquiries: z.array(contactEnquirySchema),
  retentionDays: z.number().int(),
});
export type ListEnquiriesResponse = z.infer<typeof listEnquiriesResponseSchema>;

/** `DELETE /operator/api/enquiries/:id` */
export const deleteEnquiryResponseSchema = z.object({ outcome: z.enum(['deleted', 'not_found']) });
export type DeleteEnquiryResponse = z.infer<typeof deleteEnquiryResponseSchema>;
