import { AppError } from '../../errors/app-error.js';

/** Parses settings with a schema, or throws a 400 that names the bad field (`settings.projectKey: …`). */
export function validateWith<T>(
  schema: {
    safeParse(
      value: unknown,
    ):
      | { success: true; data: T }
      | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };
  },
  input: unknown,
): T {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.map(String).join('.') || 'settings';
  throw new AppError(400, 'invalid_settings', `settings.${field}: ${issue?.message ?? 'is invalid'}`);
}
