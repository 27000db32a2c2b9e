import { errorBodySchema } from '@mailissa/contracts';

export { errorBodySchema };

/** Response schemas for the error statuses a route documents, all with the one error body. */
export function errorResponses<const S extends number>(...statuses: S[]): Record<S, typeof errorBodySchema> {
  return Object.fromEntries(statuses.map((status) => [status, errorBodySchema])) as Record<
    S,
    typeof errorBodySchema
  >;
}
