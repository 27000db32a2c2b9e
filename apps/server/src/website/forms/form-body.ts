import formbody from '@fastify/formbody';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../errors/app-error.js';

const FORM_TYPE = 'application/x-www-form-urlencoded';

/** Makes the plugin's scope parse HTML form posts (unless an outer scope already does). */
export async function acceptFormPosts(app: FastifyInstance): Promise<void> {
  if (!app.hasContentTypeParser(FORM_TYPE)) await app.register(formbody, { bodyLimit: 64 * 1024 });
}

/**
 * A preValidation hook for routes that take an HTML form: any other body (JSON, say) is refused with
 * 415 before anything is read from it, so it can never be stored.
 */
export async function requireFormPost(request: FastifyRequest): Promise<void> {
  const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== FORM_TYPE) {
    throw new AppError(
      415,
      'unsupported_media_type',
      `Send this form as ${FORM_TYPE} (what a browser sends for an HTML form).`,
    );
  }
}

/** What a browser posts: every value a string; repeated names (arrays) are not accepted. */
export const formBodySchema = z.record(z.string(), z.union([z.string(), z.array(z.string())]));
export type FormBody = z.infer<typeof formBodySchema>;

/** A single value of a posted form, or undefined when missing or sent more than once. */
export function formValue(body: FormBody | undefined, name: string): string | undefined {
  const value = body?.[name];
  return typeof value === 'string' ? value : undefined;
}
