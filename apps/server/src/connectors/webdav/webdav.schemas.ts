import { z } from 'zod';
import { folderPathProblem, normaliseFolderPath } from '../sharepoint/safe-file-name.js';

/**
 * A WebDAV collection (Nextcloud, ownCloud, SharePoint Server, Apache mod_dav …) and a folder below
 * it, created by MKCOL when missing. The URL's host passes the SSRF guard when the target is saved.
 */
export const webDavSettingsSchema = z.object({
  url: z
    .string()
    .trim()
    .max(2000)
    .refine((value) => URL.canParse(value), 'is not a URL')
    .refine((value) => /^https?:$/.test(new URL(value).protocol), 'must start with https:// or http://')
    .refine((value) => {
      const url = new URL(value);
      return url.username === '' && url.password === '';
    }, 'must not contain a user name or password (each user connects their own account)')
    .refine((value) => new URL(value).hash === '' && new URL(value).search === '', 'must not contain ? or #')
    .transform((value) => (value.endsWith('/') ? value : `${value}/`)),
  folderPath: z
    .string()
    .max(300)
    .default('')
    .superRefine((path, ctx) => {
      const problem = folderPathProblem(path);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .transform(normaliseFolderPath),
});
export type WebDavSettings = z.infer<typeof webDavSettingsSchema>;

/** A user's WebDAV account: user name and password or app password (Nextcloud, ownCloud). */
export const webDavCredentialSchema = z.object({
  username: z.string().trim().min(1, 'is required').max(256),
  password: z.string().min(1, 'is required').max(1024),
});
